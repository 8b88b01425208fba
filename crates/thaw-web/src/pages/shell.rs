//! The frame that the "note something down" pages share (reactions, moments of release,
//! activities): one form, for a new record or for changing one; the recent ones under it; a word
//! after saving; and support on the page itself when what was written calls for it (thaw-app
//! decides that). Each page adds only its own choices; its page struct derefs to [`Shell`], so its
//! template reads `form`, `rows`, `notice` … directly.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use thaw_core::RecordKind;

use super::records::latest;
use crate::app::SupportView;
use crate::error::PageError;
use crate::forms::FormData;
use crate::state::AppState;
use crate::view::{Chrome, Row};

/// What a page is asked to show around its form.
#[derive(Default)]
pub(crate) struct Shown {
    pub form: FormData,
    pub notice: Option<&'static str>,
    pub error: Option<String>,
    /// The id of the record being changed; `None` for a new one.
    pub editing: Option<String>,
    /// Right after saving text with risk language: gentle words and the way to support.
    pub support: Option<SupportView>,
}

impl Shown {
    pub fn notice(notice: Option<&'static str>) -> Self {
        Shown { notice, ..Shown::default() }
    }

    /// The form again, as sent, with what to change.
    pub fn problem(form: FormData, error: String, editing: Option<String>) -> Self {
        Shown { form, error: Some(error), editing, ..Shown::default() }
    }

    /// A saved record's form, to change it.
    pub fn editing(form: FormData, id: String) -> Self {
        Shown { form, editing: Some(id), ..Shown::default() }
    }
}

/// The shared part of the page.
pub(crate) struct Shell {
    pub chrome: Chrome,
    pub form: FormData,
    pub rows: Vec<Row>,
    pub notice: Option<&'static str>,
    pub error: Option<String>,
    /// Where the form goes: `/react`, or `/react/{id}/edit` when changing one.
    pub action: String,
    pub editing: bool,
    /// The page's own address (`/react`), for "leave it as it was".
    pub path: &'static str,
    pub support: Option<SupportView>,
    /// 422 after a problem, else 200.
    pub status: StatusCode,
}

impl Shell {
    /// The frame for the page at `path` (`/react`) listing the latest records of `kind`.
    pub async fn new(
        state: &AppState,
        kind: RecordKind,
        title: &str,
        path: &'static str,
        shown: Shown,
    ) -> Result<Shell, PageError> {
        let nav = path.trim_start_matches('/');
        Ok(Shell {
            chrome: Chrome::new(state, title, nav),
            rows: latest(state, kind, 20).await?,
            status: if shown.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK },
            action: shown.editing.as_ref().map_or_else(|| path.to_owned(), |id| format!("{path}/{id}/edit")),
            editing: shown.editing.is_some(),
            path,
            form: shown.form,
            notice: shown.notice,
            error: shown.error,
            support: shown.support,
        })
    }
}

/// Where a save leaves the person.
pub(crate) enum AfterSave {
    /// The page again: with support after risky text, or with the problem to fix.
    Page(Box<Shown>),
    /// Back to the page (post/redirect/get), with `?saved=…` for the word to show.
    Redirect(String),
}

impl AfterSave {
    /// `saved` is thaw-app's answer (or the message to show); `form` and `editing` are what was
    /// sent, kept after a problem; `noticed` is the word shown above support; `to` is where to go
    /// otherwise.
    pub fn of(
        saved: Result<thaw_app::Saved, String>,
        form: FormData,
        editing: Option<String>,
        noticed: &'static str,
        to: String,
    ) -> AfterSave {
        match saved {
            Ok(saved) => match &saved.follow_up {
                Some(f) => AfterSave::Page(Box::new(Shown {
                    notice: Some(noticed),
                    support: Some(SupportView::new(f)),
                    ..Shown::default()
                })),
                None => AfterSave::Redirect(to),
            },
            Err(message) => AfterSave::Page(Box::new(Shown::problem(form, message, editing))),
        }
    }

    pub fn redirect(to: &str) -> Response {
        Redirect::to(to).into_response()
    }
}
