//! `/guide`: the guide pages shipped with Thaw (thaw-core's guide), listed and read. The
//! Markdown is drawn with the same safe renderer as journal entries.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use thaw_core::guide::guide;

use super::IdPath;
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::view::{Chrome, render};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/guide", get(list)).route("/guide/{id}", get(one))
}

#[derive(Template)]
#[template(path = "guide_list.html")]
struct ListPage {
    chrome: Chrome,
    /// (id, title, summary)
    pages: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "guide_page.html")]
struct GuidePageView {
    chrome: Chrome,
    title: String,
    /// Rendered by `crate::markdown`, which escapes raw HTML.
    body: String,
    sources: Vec<String>,
}

async fn list(State(state): State<AppState>) -> Response {
    let pages = guide().pages().iter().map(|p| (p.id.clone(), p.title.clone(), p.summary.clone())).collect();
    render(&ListPage { chrome: Chrome::new(&state, "Guide", "guide"), pages })
}

async fn one(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let page = guide().pages().iter().find(|p| p.id == id).ok_or(PageError(WebError::NotFound))?;
    Ok(render(&GuidePageView {
        chrome: Chrome::new(&state, page.title.clone(), "guide"),
        title: page.title.clone(),
        body: crate::markdown::to_html(&page.body),
        sources: page.sources.clone(),
    }))
}
