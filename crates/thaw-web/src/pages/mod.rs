//! The pages, one module per page. Each module owns its routes; pages that show or change records
//! sit behind the unlock gate, which sends a locked visitor to the unlock page without losing a
//! form they were sending.
//!
//! A new capability (questionnaires, medications, the guide …) adds a module here and one line in
//! [`routes`].

mod account;
mod activity;
mod assess;
mod checkin;
mod crisis;
mod edit;
mod guide;
mod home;
mod insights;
mod journal;
mod meds;
mod people;
mod react;
mod records;
mod release;
mod report;
mod safety;
mod search;
mod selfcheck;
mod settings;
mod unlock;
mod welcome;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};

use crate::forms::FormData;
use crate::state::AppState;

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let vault_pages = Router::new()
        .merge(home::routes())
        .merge(checkin::routes())
        .merge(journal::routes())
        .merge(search::routes())
        .merge(react::routes())
        .merge(release::routes())
        .merge(activity::routes())
        .merge(people::routes())
        .merge(settings::routes())
        .merge(assess::routes())
        .merge(safety::routes())
        .merge(guide::routes())
        .merge(meds::routes())
        .merge(selfcheck::routes())
        .merge(insights::routes())
        .merge(report::routes())
        .merge(welcome::routes())
        .route_layer(middleware::from_fn_with_state(state.clone(), require_unlocked));
    let doors = if state.is_hosted() { account::routes(state) } else { Router::new() };
    Router::new()
        .merge(vault_pages)
        .merge(unlock::routes())
        .merge(doors)
        .merge(crisis::routes())
        .fallback(not_found)
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::json_error(
            StatusCode::NOT_FOUND,
            "There's no such API route. See /api/v1/openapi.json.",
        );
    }
    crate::view::error_page(StatusCode::NOT_FOUND, &crate::error::WebError::NotFound.to_string())
}

/// Pages with private content need the vault open. A locked visitor is sent to the unlock page;
/// a form sent while locked (Thaw locked itself while someone was writing) comes back inside the
/// unlock page, so nothing they wrote is lost.
pub(crate) async fn require_unlocked(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.is_unlocked() {
        return next.run(request).await;
    }
    let target = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
    let door = if state.is_hosted() { "/signin" } else { "/unlock" };
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        if target == "/" && state.is_hosted() {
            return Redirect::to(door).into_response();
        }
        let next: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
        return Redirect::to(&format!("{door}?next={next}")).into_response();
    }
    let bytes = match axum::body::to_bytes(request.into_body(), crate::BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => Bytes::new(),
    };
    let draft = FormData::parse(&bytes);
    if state.is_hosted() {
        return account::ended_while_sending(&state, request_path(&target), draft);
    }
    unlock::locked_while_sending(&state, request_path(&target), draft)
}

/// A record id from the path; anything that can't be one is a calm 404 page.
pub(crate) struct IdPath(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IdPath {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Response> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|p| IdPath(p.0))
            .map_err(|_| crate::error::PageError(crate::error::WebError::NotFound).into_response())
    }
}

fn request_path(target: &str) -> &str {
    target.split('?').next().unwrap_or("/")
}
