//! `/checkin`: name what you feel. Start from the pleasantness × energy plane, a family of
//! feelings, or the body; narrow to words; say how strong each is; end with "I feel …" and the
//! invitation to say it aloud. "I feel nothing" and "I can't tell" are answers from the first step.
//!
//! Choosing where to start is a plain link (GET: a point or a family is not private). From the
//! chosen words on, every step is a POST, so what you feel never lands in the browser's history.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use thaw_core::vocab::{Emotion, Family};
use thaw_core::{RecordBody, RecordId, RecordKind, Vocabulary};

use super::IdPath;
use crate::app::vocabulary;
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::input::{CheckinInput, FeltInput, form_number};
use crate::state::AppState;
use crate::view::{Chrome, render, render_with, when};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/checkin", get(start).post(save))
        .route("/checkin/body", get(body))
        .route("/checkin/words", get(words).post(words_from_body))
        .route("/checkin/intensity", post(intensity))
        .route("/checkin/sentence", post(sentence))
        .route("/checkin/{id}", get(saved))
}

/// The five steps of each axis, from the lowest.
const ENERGY: [&str; 5] = ["Very low energy", "Low energy", "Some energy", "High energy", "Very high energy"];
const PLEASANT: [&str; 5] = ["Very unpleasant", "Unpleasant", "Neither", "Pleasant", "Very pleasant"];

/// Words up to this long fit a square of the plane on a phone.
const SHORT_WORD: usize = 8;

/// Index 0..=4 on an axis to a coordinate −1..1.
fn coordinate(i: usize) -> f64 {
    (i as f64 - 2.0) / 2.0
}

struct Cell {
    href: String,
    word: String,
    pleasant: &'static str,
}

struct PlaneRow {
    energy: &'static str,
    cells: Vec<Cell>,
}

struct FamilyLink {
    href: String,
    title: &'static str,
    examples: String,
}

#[derive(Template)]
#[template(path = "checkin_start.html")]
struct StartPage {
    chrome: Chrome,
    pleasant: [&'static str; 5],
    plane: Vec<PlaneRow>,
    families: Vec<FamilyLink>,
}

async fn start(State(state): State<AppState>) -> Result<Response, PageError> {
    let vocab = state.with_store(|s| vocabulary(s)).await?;
    // Each square shows a word that lives there: the nearest one not already shown, preferring
    // short words so the grid stays readable on a phone.
    let mut shown: Vec<String> = Vec::new();
    let mut plane = Vec::new();
    for e in (0..5).rev() {
        let mut cells = Vec::new();
        for (v, pleasant) in PLEASANT.iter().enumerate() {
            let near = vocab.nearest(coordinate(v), coordinate(e), 12);
            let fresh = |w: &Emotion| !shown.contains(&w.word);
            let word = near
                .iter()
                .find(|w| fresh(w) && w.word.chars().count() <= SHORT_WORD)
                .or_else(|| near.iter().find(|w| fresh(w)))
                .or(near.first())
                .map(|w| w.word.clone())
                .unwrap_or_default();
            shown.push(word.clone());
            cells.push(Cell { href: format!("/checkin/words?v={v}&e={e}"), word, pleasant });
        }
        plane.push(PlaneRow { energy: ENERGY[e], cells });
    }
    let families = Family::ALL
        .iter()
        .map(|f| FamilyLink {
            href: format!("/checkin/words?family={}", f.id()),
            title: f.title(),
            examples: vocab.in_family(*f).take(3).map(|e| e.word.as_str()).collect::<Vec<_>>().join(", "),
        })
        .collect();
    Ok(render(&StartPage {
        chrome: Chrome::new(&state, "Check in", "checkin"),
        pleasant: PLEASANT,
        plane,
        families,
    }))
}

struct Choice {
    id: String,
    label: String,
    value: String,
    hint: String,
    checked: bool,
}

struct ChoiceGroup {
    legend: String,
    choices: Vec<Choice>,
}

/// Body sensations grouped by where they are felt.
fn body_groups(vocab: &Vocabulary, chosen: &FormData) -> Vec<ChoiceGroup> {
    let region_title = |r: &str| match r {
        "head" => "Head",
        "face" => "Face",
        "throat" => "Throat",
        "chest" => "Chest",
        "stomach" => "Stomach",
        "arms-hands" => "Arms and hands",
        "legs-feet" => "Legs and feet",
        "whole-body" => "Whole body",
        "none" => "Nothing",
        _ => "Elsewhere",
    };
    let mut groups: Vec<ChoiceGroup> = Vec::new();
    for (i, s) in vocab.sensations().iter().enumerate() {
        let legend = region_title(&s.region).to_owned();
        let choice = Choice {
            id: format!("b-{i}"),
            label: s.label.clone(),
            value: s.id.clone(),
            hint: String::new(),
            checked: chosen.is("body", &s.id),
        };
        match groups.iter_mut().find(|g| g.legend == legend) {
            Some(g) => g.choices.push(choice),
            None => groups.push(ChoiceGroup { legend, choices: vec![choice] }),
        }
    }
    groups
}

#[derive(Template)]
#[template(path = "checkin_body.html")]
struct BodyPage {
    chrome: Chrome,
    body_groups: Vec<ChoiceGroup>,
    families: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

async fn body(State(state): State<AppState>) -> Result<Response, PageError> {
    let vocab = state.with_store(|s| vocabulary(s)).await?;
    Ok(render(&BodyPage {
        chrome: Chrome::new(&state, "Check in: your body", "checkin"),
        body_groups: body_groups(&vocab, &FormData::default()),
        families: Family::ALL.iter().map(|f| (f.id(), f.title())).collect(),
        error: None,
    }))
}

#[derive(Template)]
#[template(path = "checkin_words.html")]
struct WordsPage {
    chrome: Chrome,
    heading: String,
    words: Vec<Choice>,
    carry: Vec<(String, String)>,
}

fn word_choices(words: &[&Emotion]) -> Vec<Choice> {
    words
        .iter()
        .enumerate()
        .map(|(i, e)| Choice {
            id: format!("w-{i}"),
            label: e.word.clone(),
            value: e.word.clone(),
            hint: e.meaning.clone(),
            checked: false,
        })
        .collect()
}

fn axis(q: &FormData, name: &str) -> Result<usize, WebError> {
    q.value(name).parse::<usize>().ok().filter(|i| *i < 5).ok_or_else(|| {
        WebError::BadInput("That point isn't on the plane. Please pick one from the grid.".into())
    })
}

/// Words near a point of the plane, or of one family.
async fn words(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    words_page(&state, &q).await
}

async fn words_page(state: &AppState, q: &FormData) -> Result<Response, PageError> {
    let vocab = state.with_store(|s| vocabulary(s)).await?;
    let (heading, choices) = if let Some(f) = q.text("family") {
        let family = Family::parse(f)?;
        (
            format!("{}: which words fit?", family.title()),
            word_choices(&vocab.in_family(family).collect::<Vec<_>>()),
        )
    } else {
        let (v, e) = (axis(q, "v")?, axis(q, "e")?);
        let near = vocab.nearest(coordinate(v), coordinate(e), 12);
        (format!("{}, {}: which words fit?", PLEASANT[v], ENERGY[e].to_lowercase()), word_choices(&near))
    };
    let carry = q.all("body").into_iter().map(|b| ("body".to_owned(), b.to_owned())).collect();
    Ok(render(&WordsPage {
        chrome: Chrome::new(state, "Check in: words", "checkin"),
        heading,
        words: choices,
        carry,
    }))
}

/// From the body page: the sensations chosen and the family that feels closest.
async fn words_from_body(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    if form.text("family").is_none() {
        let vocab = state.with_store(|s| vocabulary(s)).await?;
        let page = BodyPage {
            chrome: Chrome::new(&state, "Check in: your body", "checkin"),
            body_groups: body_groups(&vocab, &form),
            families: Family::ALL.iter().map(|f| (f.id(), f.title())).collect(),
            error: Some(
                "Please pick the family of feelings that seems closest, even if it's only a guess.".into(),
            ),
        };
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    words_page(&state, &form).await
}

struct IntensityChoice {
    id: String,
    word: String,
    field: String,
    value: String,
}

#[derive(Template)]
#[template(path = "checkin_intensity.html")]
struct IntensityPage {
    chrome: Chrome,
    words: Vec<IntensityChoice>,
    body_groups: Vec<ChoiceGroup>,
    carry: Vec<(String, String)>,
}

async fn intensity(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let chosen: Vec<String> = form.all("word").into_iter().map(str::to_owned).collect();
    let (vocab, words) = state
        .with_store(move |s| {
            let vocab = vocabulary(s)?;
            let words = chosen
                .iter()
                .map(|w| vocab.resolve(w).map(|e| e.word.clone()))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((vocab, words))
        })
        .await?;
    let has_body = !form.all("body").is_empty();
    let mut carry: Vec<(String, String)> =
        form.all("body").into_iter().map(|b| ("body".to_owned(), b.to_owned())).collect();
    carry.extend(words.iter().map(|w| ("word".to_owned(), w.clone())));
    let page = IntensityPage {
        chrome: Chrome::new(&state, "Check in: how strong", "checkin"),
        words: words
            .iter()
            .enumerate()
            .map(|(i, w)| IntensityChoice {
                id: format!("i-{i}"),
                word: w.clone(),
                field: format!("intensity.{w}"),
                value: form.value(&format!("intensity.{w}")).to_owned(),
            })
            .collect(),
        body_groups: if has_body { Vec::new() } else { body_groups(&vocab, &form) },
        carry,
    };
    Ok(render(&page))
}

/// Reads a check-in from the fields the steps carry.
fn checkin_input(form: &FormData) -> Result<CheckinInput, WebError> {
    let emotions = form
        .all("word")
        .into_iter()
        .map(|w| {
            Ok(FeltInput {
                word: w.to_owned(),
                intensity: form_number(form.value(&format!("intensity.{w}")), "Intensity")?,
            })
        })
        .collect::<Result<Vec<_>, WebError>>()?;
    Ok(CheckinInput {
        emotions,
        note: form.get("note").map(str::to_owned),
        body: form.all("body").into_iter().map(str::to_owned).collect(),
        said_aloud: form.checked("said_aloud"),
        absence: form.text("absence").map(str::to_owned),
        at: form.text("at").map(str::to_owned),
    })
}

/// The fields that make up the check-in so far, to carry to the next step.
fn carried(form: &FormData) -> Vec<(String, String)> {
    form.fields()
        .iter()
        .filter(|(k, v)| {
            (k == "word" || k == "body" || k == "absence" || k.starts_with("intensity."))
                && !v.trim().is_empty()
        })
        .cloned()
        .collect()
}

#[derive(Template)]
#[template(path = "checkin_sentence.html")]
struct SentencePage {
    chrome: Chrome,
    sentence: String,
    absence: bool,
    body_groups: Vec<ChoiceGroup>,
    carry: Vec<(String, String)>,
    form: FormData,
    error: Option<String>,
    /// Words that might fit the note, after the person asked for them.
    offer: Option<crate::api::suggest::Offer>,
}

async fn sentence_page(
    state: &AppState,
    form: FormData,
    error: Option<String>,
) -> Result<Response, PageError> {
    let offer = if form.checked("suggest") {
        let chosen: Vec<String> = form.all("word").into_iter().map(str::to_owned).collect();
        Some(crate::api::suggest::offer(state, form.value("note"), &chosen, "word").await?)
    } else {
        None
    };
    let input = checkin_input(&form)?;
    let (vocab, checkin) = state
        .with_store(move |s| {
            let vocab = vocabulary(s)?;
            let checkin = input.check_in(&vocab)?;
            Ok((vocab, checkin))
        })
        .await?;
    let absence = checkin.absence.is_some() && checkin.emotions.is_empty();
    let mut carry = carried(&form);
    if absence {
        carry.retain(|(k, _)| k != "body");
    }
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = SentencePage {
        chrome: Chrome::new(state, "Check in: say it", "checkin"),
        sentence: checkin.sentence(),
        absence,
        body_groups: if absence { body_groups(&vocab, &form) } else { Vec::new() },
        carry,
        form,
        error,
        offer,
    };
    Ok(render_with(status, &page))
}

async fn sentence(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    sentence_page(&state, form, None).await
}

async fn save(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let input = checkin_input(&form)?;
    let saved = state.with_app(move |app| crate::app::or_message(app.checkin(&input))).await?;
    match saved {
        Ok(saved) => {
            let id = saved.record.id;
            crate::app::hold(id, saved.follow_up);
            Ok(Redirect::to(&format!("/checkin/{id}")).into_response())
        }
        Err(message) => sentence_page(&state, form, Some(message)).await,
    }
}

#[derive(Template)]
#[template(path = "checkin_saved.html")]
struct SavedPage {
    chrome: Chrome,
    sentence: String,
    when: String,
    felt: Vec<(String, String)>,
    body: Vec<String>,
    note: Option<String>,
    said_aloud: bool,
    /// The words, for "write about it" (posted, so they stay out of the address bar).
    feel: Vec<String>,
    /// Right after saving, when it calls for it: support, first on the page.
    support: Option<crate::app::SupportView>,
}

async fn saved(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let id: RecordId = id.parse().map_err(|_| WebError::NotFound)?;
    let (record, vocab) = state.with_store(move |s| Ok((s.get(id)?, vocabulary(s)?))).await?;
    let record = record.filter(|r| r.kind() == RecordKind::Checkin).ok_or(WebError::NotFound)?;
    let RecordBody::Checkin(c) = &record.body else { return Err(WebError::NotFound.into()) };
    let felt = c
        .emotions
        .iter()
        .map(|f| {
            (
                f.word.clone(),
                f.intensity.map(|i| format!("{i} of 10")).unwrap_or_else(|| "strength not given".into()),
            )
        })
        .collect();
    let body = c
        .body
        .iter()
        .map(|b| vocab.resolve_sensation(b).map(|s| s.label.clone()).unwrap_or_else(|_| b.clone()))
        .collect();
    let feel = c.emotions.iter().map(|f| f.word.clone()).collect();
    Ok(render(&SavedPage {
        chrome: Chrome::new(&state, "Check-in saved", "checkin"),
        sentence: c.sentence(),
        when: when(record.at, &state),
        felt,
        body,
        note: c.note.clone(),
        said_aloud: c.said_aloud,
        feel,
        support: crate::app::support_for(&state, record.id).await,
    }))
}
