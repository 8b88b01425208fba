//! `/react`: notice how you reacted to an intense moment, without judging it.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::{ReactionStyle, RecordBody, RecordKind};

use super::records::latest;
use crate::error::PageError;
use crate::forms::{Form, FormData};
use crate::input::{Clock, ReactionInput, form_number};
use crate::state::AppState;
use crate::view::{Chrome, Row, render_with};
use crate::vocab::vocabulary;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/react", get(react).post(record_reaction))
}

#[derive(Template)]
#[template(path = "react.html")]
struct ReactPage {
    chrome: Chrome,
    form: FormData,
    styles: Vec<(&'static str, &'static str)>,
    words: Vec<String>,
    rows: Vec<Row>,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    form: FormData,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let words =
        state.with_store(|s| Ok(vocabulary(s)?.emotions().iter().map(|e| e.word.clone()).collect())).await?;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = ReactPage {
        chrome: Chrome::new(state, "Reactions", "react"),
        form,
        styles: ReactionStyle::ALL.iter().map(|s| (s.id(), s.label())).collect(),
        words,
        rows: latest(state, RecordKind::Reaction, 20).await?,
        notice,
        error,
    };
    Ok(render_with(status, &page))
}

async fn react(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("saved") {
        "through" => Some("Noted. You let some of it through, and that counts."),
        "" => None,
        _ => Some("Noted. Noticing how you reacted is the first step; there's no wrong way."),
    };
    page(&state, FormData::default(), notice, None).await
}

async fn record_reaction(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let intensity = match form_number(form.value("intensity"), "Intensity") {
        Ok(Some(n)) => n,
        Ok(None) => {
            return page(&state, form, None, Some("Please choose how intense it was, from 0 to 10.".into()))
                .await;
        }
        Err(e) => return page(&state, form, None, Some(e.to_string())).await,
    };
    let input = ReactionInput {
        situation: form.value("situation").to_owned(),
        intensity,
        styles: form.all("style").into_iter().map(str::to_owned).collect(),
        felt: form.list("felt"),
        reflection: form.get("reflection").map(str::to_owned),
        at: form.text("at").map(str::to_owned),
    };
    let clock = Clock::new(state.tz());
    let saved = state
        .with_store(move |s| {
            let record = match input.record(&vocabulary(s)?, &clock) {
                Ok(r) => r,
                Err(e) => return Ok(Err(e.to_string())),
            };
            s.insert(&record)?;
            Ok(Ok(record))
        })
        .await?;
    match saved {
        Ok(record) => {
            let through = matches!(&record.body, RecordBody::Reaction(r) if r.styles.iter().any(|s| s.lets_feeling_through()));
            Ok(Redirect::to(if through { "/react?saved=through" } else { "/react?saved=1" }).into_response())
        }
        Err(message) => page(&state, form, None, Some(message)).await,
    }
}
