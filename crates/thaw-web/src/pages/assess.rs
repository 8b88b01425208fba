//! `/assess`: the PHQ-9, GAD-7 and WHO-5, with the exact wording and answers from thaw-core.
//! Sending the answers saves an Assessment record and shows the result on the same response:
//! the answers, then (when PHQ-9 item 9 is above 0) a calm message with crisis lines and the
//! person's safety plan, then the total, its range, and the change since last time.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use thaw_core::instruments::{Instrument, instruments};
use thaw_core::{RecordKind, instrument};

use super::IdPath;
use super::records::latest;
use crate::app::SupportView;
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, Row, render, render_with, when};
use thaw_app::questionnaires::Taken;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/assess", get(list)).route("/assess/{id}", get(form).post(answer))
}

#[derive(Template)]
#[template(path = "assess_list.html")]
struct ListPage {
    chrome: Chrome,
    /// (id, name, about)
    choices: Vec<(String, String, String)>,
    rows: Vec<Row>,
}

async fn list(State(state): State<AppState>) -> Result<Response, PageError> {
    let choices = instruments()
        .iter()
        .map(|i| (i.id.clone(), format!("{} ({})", i.short_name, i.name), i.about.clone()))
        .collect();
    let rows = latest(&state, RecordKind::Assessment, 20).await?;
    Ok(render(&ListPage { chrome: Chrome::new(&state, "Questionnaires", "assess"), choices, rows }))
}

#[derive(Template)]
#[template(path = "assess_form.html")]
struct FormPage {
    chrome: Chrome,
    inst: &'static Instrument,
    form: FormData,
    error: Option<String>,
}

impl FormPage {
    fn field(n: &usize) -> String {
        format!("q{}", n + 1)
    }
}

fn known(id: &str) -> Result<&'static Instrument, PageError> {
    instrument(id).map_err(|_| PageError(WebError::NotFound))
}

async fn form(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let inst = known(&id)?;
    let title = inst.short_name.clone();
    Ok(render(&FormPage {
        chrome: Chrome::new(&state, title, "assess"),
        inst,
        form: FormData::default(),
        error: None,
    }))
}

/// The answers as numbers, or which question is still open.
fn answers(inst: &Instrument, form: &FormData) -> Result<(Vec<u8>, Option<u8>), String> {
    let mut out = Vec::with_capacity(inst.items.len());
    for n in 0..inst.items.len() {
        match form.text(&FormPage::field(&n)).and_then(|v| v.parse::<u8>().ok()) {
            Some(v) => out.push(v),
            None => {
                return Err(format!(
                    "Question {} doesn't have an answer yet. Please pick the one closest to how it's been.",
                    n + 1
                ));
            }
        }
    }
    let difficulty = match form.text("difficulty") {
        Some(d) => Some(
            d.parse::<u8>().map_err(|_| "Please pick one of the answers to the last question.".to_owned())?,
        ),
        None => None,
    };
    Ok((out, difficulty))
}

#[derive(Template)]
#[template(path = "assess_result.html")]
struct ResultPage {
    chrome: Chrome,
    inst: &'static Instrument,
    /// (question, answer label)
    answered: Vec<(String, String)>,
    difficulty: Option<(String, String)>,
    /// Support, first on the page, when PHQ-9 item 9 is above 0.
    support: Option<SupportView>,
    total: String,
    band_name: String,
    band_meaning: String,
    two_item: Option<String>,
    change: String,
    copyright: String,
}

fn result_page(state: &AppState, inst: &'static Instrument, taken: &Taken) -> ResultPage {
    let a = &taken.assessment;
    let answered = inst
        .items
        .iter()
        .zip(&a.answers)
        .map(|(item, &v)| (item.text.clone(), inst.answer_label(v).unwrap_or("?").to_owned()))
        .collect();
    let difficulty = match (&inst.difficulty, a.difficulty) {
        (Some(d), Some(v)) => Some((
            d.text.clone(),
            d.answers.iter().find(|x| x.value == v).map_or("?", |x| x.label.as_str()).to_owned(),
        )),
        _ => None,
    };
    let band = inst.band_for(a.total);
    let total = match a.percentage {
        Some(p) => format!("{} of {} ({p}%)", a.total, inst.max_total()),
        None => format!("{} of {}", a.total, inst.max_total()),
    };
    let two_item = match (&inst.two_item, a.two_item_total) {
        (Some(two), Some(t)) => Some(format!(
            "{} (the first two questions): {t} of {}.",
            two.name,
            2 * u32::from(inst.max_answer())
        )),
        _ => None,
    };
    let change = match &taken.previous {
        Some((at, prev)) => {
            let mut s = format!(
                "Last time ({}): {}. This time: {} ({}).",
                when(*at, state),
                prev.shown_score(),
                a.shown_score(),
                // In the unit shown (WHO-5 percentage points), never a raw-score difference.
                a.change_words_since(prev)
            );
            if let (Some(p), Some(q)) = (a.percentage, prev.percentage)
                && p.abs_diff(q) >= 10
            {
                s.push_str(" A change of 10 points or more is usually seen as meaningful.");
            }
            s
        }
        None => format!("This is your first {} in Thaw; next time you'll see the change.", inst.short_name),
    };
    ResultPage {
        chrome: Chrome::new(state, format!("Your {}", inst.short_name), "assess"),
        inst,
        answered,
        difficulty,
        support: taken.follow_up.as_ref().map(SupportView::new),
        total,
        band_name: band.name.clone(),
        band_meaning: band.meaning.clone(),
        two_item,
        change,
        copyright: inst.copyright.clone(),
    }
}

async fn answer(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    Form(form): Form,
) -> Result<Response, PageError> {
    let inst = known(&id)?;
    let redo = |form: FormData, error: String| {
        let page = FormPage {
            chrome: Chrome::new(&state, inst.short_name.clone(), "assess"),
            inst,
            form,
            error: Some(error),
        };
        render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let (given, difficulty) = match answers(inst, &form) {
        Ok(v) => v,
        Err(e) => return Ok(redo(form, e)),
    };
    if let Err(e) = inst.score(&given, difficulty) {
        return Ok(redo(form, e.to_string()));
    }
    let taken = state.with_app(move |app| Ok(app.take_answers(inst, &given, difficulty, None)?)).await?;
    Ok(render(&result_page(&state, inst, &taken)))
}
