//! `/crisis`: crisis lines, reachable from every page, locked or not. Shows the person's country
//! first when it is known (the vault's setting, or the locale); then every other country Thaw has
//! lines for, and the international directory for everywhere else. The lines come from
//! `thaw_core::safety`, the same file and loader as `thaw crisis`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use thaw_core::safety::crisis::crisis_directory;

use crate::crisis::{CountryView, DirectoryView, resources};
use crate::state::AppState;
use crate::view::{Chrome, render};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/crisis", get(crisis))
}

#[derive(Template)]
#[template(path = "crisis.html")]
struct CrisisPage {
    chrome: Chrome,
    /// The person's own country, when known and listed.
    mine: Option<CountryView>,
    others: Vec<CountryView>,
    directory: DirectoryView,
    /// "If you are in immediate danger, call …", for the person's country when known.
    emergency: String,
}

async fn crisis(State(state): State<AppState>) -> Response {
    let res = resources(&state);
    let mine_code = res.country.map(|c| c.code.clone());
    let others = crisis_directory()
        .countries
        .iter()
        .filter(|c| Some(&c.code) != mine_code.as_ref())
        .map(CountryView::from)
        .collect();
    render(&CrisisPage {
        chrome: Chrome::new(&state, "Crisis help", "crisis"),
        mine: res.country.map(CountryView::from),
        others,
        directory: DirectoryView::from(res.international),
        emergency: res.emergency_sentence(),
    })
}
