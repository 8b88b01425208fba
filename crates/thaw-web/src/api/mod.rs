//! The JSON API under `/api/v1`, used by the pages' small script and by scripts. Records are
//! exactly the CLI's record JSON (docs/CLI.md). Every route is registered through [`Api::route`],
//! which also lists it, so a test can hold the router and the OpenAPI document (generated in
//! [`doc`]) to each other.

mod accounts;
mod doc;
mod meds;
mod records;
mod search;
mod selfcheck;
mod session;
pub(crate) mod suggest;
mod sync;
mod visit;
mod vocabulary;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use serde::de::DeserializeOwned;
use thaw_core::{RecordKind, Timestamp};
use thaw_store::ListQuery;

use crate::error::{ApiError, WebError, json_error};
use crate::forms::FormData;
use crate::state::AppState;

struct Api {
    router: Router<AppState>,
    listed: Vec<(&'static str, &'static str)>,
}

impl Api {
    /// Adds a route and records its methods (which must be the ones `route` answers).
    fn route(mut self, path: &'static str, methods: &[&'static str], route: MethodRouter<AppState>) -> Self {
        self.listed.extend(methods.iter().map(|m| (*m, path)));
        self.router = self.router.route(path, route);
        self
    }
}

fn build() -> Api {
    let api = Api { router: Router::new(), listed: Vec::new() }
        .route("/api/v1/openapi.json", &["GET"], get(doc::openapi))
        .route("/api/v1/status", &["GET"], get(session::status))
        .route("/api/v1/unlock", &["POST"], axum::routing::post(session::unlock))
        .route("/api/v1/lock", &["POST"], axum::routing::post(session::lock))
        .route("/api/v1/search", &["POST"], axum::routing::post(search::search))
        .route("/api/v1/vocabulary", &["GET"], get(vocabulary::vocabulary))
        .route("/api/v1/accounts", &["POST"], axum::routing::post(accounts::create))
        .route(
            "/api/v1/sessions",
            &["POST", "DELETE"],
            axum::routing::post(accounts::sign_in).delete(accounts::sign_out),
        )
        .route("/api/v1/account", &["DELETE"], axum::routing::delete(accounts::delete))
        .route("/api/v1/account/passphrase", &["PUT"], axum::routing::put(accounts::change_passphrase))
        .route("/api/v1/account/export", &["GET"], get(accounts::export))
        .route("/api/v1/recovery", &["POST"], axum::routing::post(accounts::recover))
        .route("/api/v1/suggest", &["POST"], axum::routing::post(suggest::suggest));
    let api = records::routes(api);
    let api = meds::routes(api);
    let api = selfcheck::routes(api);
    sync::routes(visit::routes(api))
}

pub(crate) fn routes() -> Router<AppState> {
    build().router
}

/// Every (method, path) the API serves, as registered on the router.
pub fn documented_routes() -> Vec<(String, String)> {
    build().listed.into_iter().map(|(m, p)| (m.to_owned(), p.to_owned())).collect()
}

/// The OpenAPI document the server serves at `/api/v1/openapi.json`.
pub fn openapi_document() -> &'static str {
    doc::document()
}

/// A JSON request body. Malformed JSON is a 400, the wrong shape (types, unknown or missing
/// fields) a 422, and both answer `{"error": "…"}`.
pub(crate) struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/json"));
        if !is_json {
            return Err(json_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send JSON with the header Content-Type: application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError(WebError::TooLarge).into_response())?;
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            let status = match e.classify() {
                serde_json::error::Category::Data => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::BAD_REQUEST,
            };
            json_error(status, &format!("The request body isn't what Thaw expects: {e}."))
        })
    }
}

/// A record id from the path; one that isn't even text (bad percent-encoding) is a JSON 422.
pub(crate) struct IdPath(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IdPath {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Response> {
        axum::extract::Path::<String>::from_request_parts(parts, state).await.map(|p| IdPath(p.0)).map_err(
            |_| {
                json_error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "That isn't a record id. Use an id from a list (the last 8 characters are enough).",
                )
            },
        )
    }
}

/// `from`, `to` (dates, inclusive, in the person's time zone) and `limit`, as for the CLI's lists.
pub(crate) fn list_query(
    state: &AppState,
    kind: RecordKind,
    query: Option<&str>,
) -> Result<ListQuery, WebError> {
    let q = FormData::from_query(query);
    if let Some((name, _)) = q.fields().iter().find(|(k, _)| !matches!(k.as_str(), "from" | "to" | "limit")) {
        return Err(WebError::BadInput(format!(
            "Unknown query parameter \"{name}\". Use from, to and limit."
        )));
    }
    let day_start = |d: jiff::civil::Date| -> Result<Timestamp, WebError> {
        let zoned = d
            .to_zoned(state.tz().clone())
            .map_err(|_| WebError::BadInput(format!("{d} can't be used here.")))?;
        Ok(Timestamp::from_jiff(zoned.timestamp()))
    };
    let from = q.text("from").map(thaw_core::time::parse_date).transpose()?.map(day_start).transpose()?;
    let to = match q.text("to").map(thaw_core::time::parse_date).transpose()? {
        Some(d) => Some(day_start(
            d.tomorrow().map_err(|_| WebError::BadInput("That date is too far away.".into()))?,
        )?),
        None => None,
    };
    if let (Some(f), Some(t)) = (from, to)
        && f >= t
    {
        return Err(WebError::BadInput("from must be on or before to.".into()));
    }
    let limit = match q.text("limit") {
        Some(l) => Some(l.parse::<usize>().ok().filter(|n| (1..=100_000).contains(n)).ok_or_else(|| {
            WebError::BadInput(format!("limit must be a whole number from 1 to 100000; \"{l}\" isn't."))
        })?),
        None => None,
    };
    Ok(ListQuery { kinds: vec![kind], from, to, limit, newest_first: true })
}
