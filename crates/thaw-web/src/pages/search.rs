//! `/search`: full-text search across everything written. The words are sent with POST, never in
//! the address: search words are private text, and addresses end up in the browser's history.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use thaw_core::RecordKind;
use thaw_store::SearchQuery;

use crate::error::PageError;
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, Row, render};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/search", get(search_form).post(search))
}

struct Hit {
    row: Row,
    snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    form: FormData,
    kinds: Vec<(&'static str, &'static str)>,
    hits: Option<Vec<Hit>>,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    let mut k = vec![("", "Everything")];
    k.extend(RecordKind::ALL.iter().map(|k| (k.as_str(), crate::view::kind_label(*k))));
    k
}

async fn search_form(State(state): State<AppState>) -> Response {
    render(&SearchPage {
        chrome: Chrome::new(&state, "Search", "search"),
        form: FormData::default(),
        kinds: kinds(),
        hits: None,
    })
}

async fn search(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let query = SearchQuery {
        text: form.value("q").to_owned(),
        kinds: form.text("kind").and_then(RecordKind::parse).into_iter().collect(),
        limit: 100,
    };
    let hits = state.with_store(move |s| Ok(s.search(&query)?)).await?;
    let hits =
        hits.iter().map(|h| Hit { row: Row::new(&h.record, &state), snippet: h.snippet.clone() }).collect();
    Ok(render(&SearchPage {
        chrome: Chrome::new(&state, "Search", "search"),
        form,
        kinds: kinds(),
        hits: Some(hits),
    }))
}
