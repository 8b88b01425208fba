//! `/meds`: your medicines and their timeline (thaw-core `meds` and `meds::timeline`, as
//! `thaw med` uses them): add one (names resolve through Thaw's table, with "did you mean" for a
//! likely typo), note a new dose, a pause, a stop or a dose taken, and read what Thaw knows about
//! a medicine's group with a question for the prescriber. Never advice.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use thaw_core::meds::{DoseUnit, MedEventKind, MedStatus, MedicationState};
use thaw_core::{Record, RecordBody};

use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, render, render_with};
use thaw_app::AppError;
use thaw_app::meds::{
    ASK_FIRST, DoseText, InfoView, MedEventInput, MedicationInput, NOT_ADVICE, class_of, event_words,
    status_words,
};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/meds", get(show).post(add))
        .route("/meds/change", post(change))
        .route("/meds/info", post(info))
}

/// One line of a medicine's timeline.
struct EventLine {
    date: String,
    what: &'static str,
    amount: Option<String>,
    note: Option<String>,
}

/// What the page shows for a class: its note and the question for the prescriber.
struct ClassNote {
    short: String,
    note: String,
    question: String,
}

struct MedCard {
    /// For ids in the page: "m0", "m1" …
    slot: String,
    name: String,
    group: Option<String>,
    status: &'static str,
    active: bool,
    amount: Option<String>,
    since: String,
    events: Vec<EventLine>,
    taken: Option<String>,
    class: Option<ClassNote>,
}

#[derive(Template)]
#[template(path = "meds.html")]
struct MedsPage {
    chrome: Chrome,
    meds: Vec<MedCard>,
    units: Vec<&'static str>,
    /// The add form, as sent (refilled after a problem).
    form: FormData,
    notice: Option<String>,
    error: Option<String>,
    /// "Did you mean …?" after adding a name that looks like a typo: (typed, near).
    did_you_mean: Option<(String, String)>,
    /// Close names after looking up one Thaw doesn't know.
    lookup_near: Vec<String>,
    not_advice: &'static str,
}

fn day(r: &Record, state: &AppState) -> String {
    r.at.date_in(state.tz()).to_string()
}

fn card(i: usize, s: &MedicationState, state: &AppState) -> MedCard {
    let class = class_of(s);
    let mut events = Vec::new();
    let mut taken: Vec<&Record> = Vec::new();
    for r in &s.events {
        let RecordBody::Medication(e) = &r.body else { continue };
        if e.event == MedEventKind::Taken {
            taken.push(r);
            continue;
        }
        events.push(EventLine {
            date: day(r, state),
            what: event_words(e.event),
            amount: e.amount(),
            note: e.note.clone(),
        });
    }
    let taken = taken.last().map(|last| {
        let times = if taken.len() == 1 { "once".to_owned() } else { format!("{} times", taken.len()) };
        format!("Noted as taken {times}, last on {}.", day(last, state))
    });
    MedCard {
        slot: format!("m{i}"),
        name: s.name.clone(),
        group: class.map(|c| c.short.clone()),
        status: status_words(s.status),
        active: s.status == MedStatus::Active,
        amount: s.amount(),
        since: s.since.date_in(state.tz()).to_string(),
        events,
        taken,
        class: class.map(|c| ClassNote {
            short: c.short.clone(),
            note: c.note.clone(),
            question: c.prescriber_question.clone(),
        }),
    }
}

struct Shown {
    notice: Option<String>,
    error: Option<String>,
    did_you_mean: Option<(String, String)>,
    lookup_near: Vec<String>,
}

impl Shown {
    fn notice(n: Option<String>) -> Self {
        Shown { notice: n, error: None, did_you_mean: None, lookup_near: Vec::new() }
    }

    fn error(e: String) -> Self {
        Shown { notice: None, error: Some(e), did_you_mean: None, lookup_near: Vec::new() }
    }
}

async fn page(state: &AppState, form: FormData, shown: Shown) -> Result<Response, PageError> {
    let states = state.with_app(|app| Ok(app.medicines()?)).await?;
    let meds = states.iter().enumerate().map(|(i, s)| card(i, s, state)).collect();
    let status = if shown.error.is_some() || shown.did_you_mean.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render_with(
        status,
        &MedsPage {
            chrome: Chrome::new(state, "Medicines", "meds"),
            meds,
            units: DoseUnit::ALL.iter().map(|u| u.id()).collect(),
            form,
            notice: shown.notice,
            error: shown.error,
            did_you_mean: shown.did_you_mean,
            lookup_near: shown.lookup_near,
            not_advice: NOT_ADVICE,
        },
    ))
}

async fn show(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("done") {
        "added" => Some("Added to your list.".to_owned()),
        "again" => Some("Noted: started again.".to_owned()),
        "dose-changed" => Some("New dose noted.".to_owned()),
        "taken" => Some("Noted as taken.".to_owned()),
        "paused" => Some(format!("Noted as paused. {ASK_FIRST}")),
        "stopped" => Some(format!("Noted as stopped. {ASK_FIRST}")),
        _ => None,
    };
    page(&state, FormData::default(), Shown::notice(notice)).await
}

fn text(form: &FormData, name: &str) -> Option<String> {
    form.text(name).map(str::to_owned)
}

async fn add(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    // "Yes, I meant …" sends the suggested name; "Keep it as I typed it" sends as_typed.
    let name = form.text("use").unwrap_or(form.value("name")).to_owned();
    let input = MedicationInput {
        name,
        dose: text(&form, "dose").map(DoseText::Text),
        unit: text(&form, "unit"),
        note: text(&form, "note"),
        at: text(&form, "at"),
        as_typed: form.checked("as_typed"),
    };
    let added = state
        .with_app(move |app| match app.add_medicine(&input) {
            Err(AppError::LikelyTypo { typed, near }) => Ok(Err(Ok((typed, near)))),
            other => Ok(crate::app::or_message(other)?.map_err(Err)),
        })
        .await?;
    match added {
        Ok(added) => Ok(Redirect::to(if added.restarted { "/meds?done=again" } else { "/meds?done=added" })
            .into_response()),
        Err(Ok((typed, near))) => {
            let shown = Shown {
                notice: None,
                error: None,
                did_you_mean: Some((typed, near)),
                lookup_near: Vec::new(),
            };
            page(&state, form, shown).await
        }
        Err(Err(message)) => page(&state, form, Shown::error(message)).await,
    }
}

async fn change(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let name = form.value("name").to_owned();
    let input = MedEventInput {
        event: form.value("event").to_owned(),
        dose: text(&form, "dose").map(DoseText::Text),
        unit: text(&form, "unit"),
        note: text(&form, "note"),
        at: text(&form, "at"),
    };
    let saved = state.with_app(move |app| crate::app::or_message(app.change_medicine(&name, &input))).await?;
    match saved {
        Ok(record) => {
            let done = match &record.body {
                RecordBody::Medication(e) if e.event == MedEventKind::Started => "again",
                RecordBody::Medication(e) => e.event.id(),
                _ => "added",
            };
            Ok(Redirect::to(&format!("/meds?done={done}")).into_response())
        }
        Err(message) => page(&state, FormData::default(), Shown::error(message)).await,
    }
}

#[derive(Template)]
#[template(path = "med_info.html")]
struct InfoPage {
    chrome: Chrome,
    info: InfoView,
}

/// What Thaw knows about a medicine: POST, like search, so what someone looks up stays out of the
/// browser's history.
async fn info(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    match thaw_app::meds::info(form.value("lookup")) {
        Ok(info) => Ok(render(&InfoPage { chrome: Chrome::new(&state, info.generic.clone(), "meds"), info })),
        Err(e) => {
            let near = match &e {
                AppError::UnknownMedicine { near, .. } => near.clone(),
                _ => Vec::new(),
            };
            let message = WebError::from(e).to_string();
            let shown = Shown { notice: None, error: Some(message), did_you_mean: None, lookup_near: near };
            page(&state, FormData::default(), shown).await
        }
    }
}
