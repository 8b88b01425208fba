//! `/people`: the people you trust and might talk to.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::{RecordBody, RecordKind};
use thaw_store::ListQuery;

use crate::error::PageError;
use crate::forms::{Form, FormData};
use crate::input::{Clock, PersonInput};
use crate::state::AppState;
use crate::view::{Chrome, render_with};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/people", get(people).post(add_person))
}

struct PersonRow {
    name: String,
    reach: Option<String>,
    note: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    form: FormData,
    people: Vec<PersonRow>,
    notice: Option<String>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    form: FormData,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let records = state
        .with_store(
            |s| Ok(s.list(&ListQuery { newest_first: false, ..ListQuery::kind(RecordKind::Person) })?),
        )
        .await?;
    let people = records
        .into_iter()
        .filter_map(|r| match r.body {
            RecordBody::Person(p) => Some(PersonRow { name: p.name, reach: p.reach, note: p.note }),
            _ => None,
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render_with(
        status,
        &PeoplePage { chrome: Chrome::new(state, "People", "people"), form, people, notice, error },
    ))
}

async fn people(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    page(&state, FormData::default(), q.checked("added").then(|| "Added.".to_owned()), None).await
}

async fn add_person(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let input = PersonInput {
        name: form.value("name").to_owned(),
        reach: form.get("reach").map(str::to_owned),
        note: form.get("note").map(str::to_owned),
    };
    let clock = Clock::new(state.tz());
    let saved = state
        .with_store(move |s| {
            let record = match input.record(&clock) {
                Ok(r) => r,
                Err(e) => return Ok(Err(e.to_string())),
            };
            s.insert(&record)?;
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Redirect::to("/people?added=1").into_response()),
        Err(message) => page(&state, form, None, Some(message)).await,
    }
}
