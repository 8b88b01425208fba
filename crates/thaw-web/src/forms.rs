//! Posted forms, with repeated fields (checkboxes) kept. Handlers read fields by name and hand the
//! text to `thaw-core` for validation; templates use the same values to refill a form after an
//! error, so nothing a person typed is lost.

use std::fmt::Display;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};

use crate::error::{PageError, WebError};
use crate::security::CSRF_FIELD;

/// The fields of a form, in order. (The CSRF field is checked by the security layer and dropped.)
#[derive(Debug, Clone, Default)]
pub(crate) struct FormData {
    fields: Vec<(String, String)>,
}

impl FormData {
    pub(crate) fn parse(bytes: &[u8]) -> Self {
        let fields = form_urlencoded::parse(bytes)
            .filter(|(k, _)| k != CSRF_FIELD)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self { fields }
    }

    /// Fields from a query string (for GET forms).
    pub(crate) fn from_query(query: Option<&str>) -> Self {
        Self::parse(query.unwrap_or_default().as_bytes())
    }

    /// The first value of a field, or "".
    pub(crate) fn value(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }

    /// The first value, if the field was sent.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The first value, trimmed, or None when missing or blank.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// Every value of a repeated field (checkboxes), blanks left out.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether the field has this value (a ticked checkbox, a selected option).
    pub(crate) fn is(&self, name: &str, value: impl Display) -> bool {
        let value = value.to_string();
        self.fields.iter().any(|(k, v)| k == name && *v == value)
    }

    pub(crate) fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Words typed in one box, separated by commas ("hurt, let down").
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        self.all(name)
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// All fields, for carrying a draft through a page (hidden inputs).
    pub(crate) fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// Removes a field and hands over its value (a passphrase: no second copy stays here).
    pub(crate) fn take(&mut self, name: &str) -> Option<String> {
        let at = self.fields.iter().position(|(k, _)| k == name)?;
        Some(self.fields.remove(at).1)
    }

    pub(crate) fn push(&mut self, name: &str, value: impl Into<String>) {
        self.fields.push((name.to_owned(), value.into()));
    }
}

/// Extracts a posted form. The body is already limited and CSRF-checked by the security layer.
pub(crate) struct Form(pub FormData);

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| PageError(WebError::TooLarge).into_response())?;
        Ok(Form(FormData::parse(&bytes)))
    }
}
