//! `/crisis`: crisis lines, reachable from every page, locked or not. Shows the person's country
//! first when it is known; otherwise every country Thaw has lines for, and the international
//! directory.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::crisis::{Country, Directory, lines};
use crate::state::AppState;
use crate::view::{Chrome, render};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/crisis", get(crisis))
}

#[derive(Template)]
#[template(path = "crisis.html")]
struct CrisisPage {
    chrome: Chrome,
    /// The person's own country, when set and known.
    mine: Option<Country>,
    others: Vec<Country>,
    directory: Option<Directory>,
}

async fn crisis(State(state): State<AppState>) -> Response {
    let all = lines();
    let country = state.country();
    let mine = country.as_deref().and_then(|code| all.countries.iter().find(|c| c.code == code)).cloned();
    let others = all.countries.iter().filter(|c| Some(&c.code) != country.as_ref()).cloned().collect();
    render(&CrisisPage {
        chrome: Chrome::new(&state, "Crisis help", "crisis"),
        mine,
        others,
        directory: all.international.clone(),
    })
}
