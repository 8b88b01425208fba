//! What can go wrong while serving, with a status code and a message for the person. Messages
//! never carry record text, passphrases or tokens, so they are safe to log.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use thaw_core::CoreError;
use thaw_store::StoreError;
use thaw_vault::VaultError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebError {
    #[error("Your vault is locked. Unlock it with your passphrase to go on.")]
    Locked,

    #[error("{0}")]
    BadInput(String),

    #[error(
        "That passphrase isn't right. Please try again (check Caps Lock), or use your recovery words with `thaw recover`."
    )]
    WrongPassphrase,

    #[error(
        "Let's pause for a moment: there were a few tries in a row. Please try your passphrase again in {}.",
        wait_text(.0)
    )]
    TooManyAttempts(std::time::Duration),

    /// Hosted: an unknown username or a wrong passphrase (the same answer for both).
    #[error("That username and passphrase don't match. Please check both and try again.")]
    WrongCredentials,

    /// Hosted: the sign-up policy is `closed`.
    #[error("This Thaw isn't taking new accounts. If someone runs it for you, please ask them.")]
    SignupClosed,

    /// Hosted: the sign-up policy is `invite` and no code came.
    #[error("This Thaw makes accounts by invitation. Please type the code you were given.")]
    InvitationNeeded,

    /// Hosted: a username that is taken.
    #[error("{0}")]
    Conflict(String),

    /// Hosted: too many sign-ins are waiting for their turn.
    #[error("Many people are signing in right now. Please try again in {}.", wait_text(.0))]
    Busy(std::time::Duration),

    #[error("There's nothing here. It may have been deleted, or the link is mistyped.")]
    NotFound,

    #[error("{0}")]
    Forbidden(String),

    #[error("Please open Thaw with the link that `thaw serve` printed in your terminal.")]
    Unauthorized,

    #[error("That was too much to send at once (the limit is 2 MiB). Nothing was saved.")]
    TooLarge,

    #[error(transparent)]
    Store(StoreError),

    #[error("{0}")]
    Vault(VaultError),

    #[error("Something went wrong inside Thaw ({0}). Nothing was changed.")]
    Internal(String),

    #[error("{0}")]
    Startup(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Locked => StatusCode::LOCKED,
            WebError::BadInput(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::WrongPassphrase | WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::WrongCredentials => StatusCode::UNAUTHORIZED,
            WebError::SignupClosed | WebError::InvitationNeeded => StatusCode::FORBIDDEN,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Store(e) => match e {
                StoreError::NotFound(_) => StatusCode::NOT_FOUND,
                StoreError::Ambiguous(_) => StatusCode::BAD_REQUEST,
                StoreError::Duplicate(_) => StatusCode::CONFLICT,
                StoreError::Busy => StatusCode::SERVICE_UNAVAILABLE,
                StoreError::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
            WebError::Vault(_) | WebError::Internal(_) | WebError::Startup(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// `Retry-After` (whole seconds, rounded up) on an answer to too many tries.
    pub(crate) fn add_retry_after(&self, response: &mut Response) {
        if let WebError::TooManyAttempts(wait) | WebError::Busy(wait) = self
            && let Ok(v) = axum::http::HeaderValue::from_str(&whole_seconds(wait).to_string())
        {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
    }

    /// Server-side problems go to the terminal `thaw serve` or `thaw host` runs in; the messages
    /// hold no user text.
    fn log_if_internal(&self) {
        if self.status().is_server_error() && !matches!(self, WebError::Busy(_)) {
            eprintln!("{}: {self}", crate::log_prefix());
        }
    }
}

/// "a second", "12 seconds".
fn wait_text(wait: &std::time::Duration) -> String {
    match whole_seconds(wait) {
        1 => "a second".to_owned(),
        n => format!("{n} seconds"),
    }
}

/// A wait in whole seconds, rounded up, at least one.
fn whole_seconds(wait: &std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

impl From<CoreError> for WebError {
    fn from(e: CoreError) -> Self {
        WebError::BadInput(e.to_string())
    }
}

impl From<VaultError> for WebError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::WrongPassphrase => WebError::WrongPassphrase,
            other => WebError::Vault(other),
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Vault(v) => v.into(),
            other => WebError::Store(other),
        }
    }
}

/// An error answered as JSON: `{"error": "…"}`.
#[derive(Debug)]
pub(crate) struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log_if_internal();
        let mut response = json_error(self.0.status(), &self.0.to_string());
        self.0.add_retry_after(&mut response);
        response
    }
}

pub(crate) fn json_error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// An error answered as a calm HTML page (with the crisis link, like every page).
#[derive(Debug)]
pub(crate) struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log_if_internal();
        crate::view::error_page(self.0.status(), &self.0.to_string())
    }
}
