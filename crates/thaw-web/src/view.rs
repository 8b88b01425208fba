//! What every page shares: the frame around it (`Chrome`), rendering, the error page, and how
//! records and times are shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use thaw_core::{Record, RecordBody, RecordKind, Timestamp};

use crate::state::AppState;

/// The frame of every page: title, navigation, the crisis link, the lock button.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    pub title: String,
    /// The CSRF token for forms; None on pages made without the state (errors).
    pub csrf: Option<String>,
    pub unlocked: bool,
    pub idle_seconds: u64,
    /// Which section of the navigation is current ("home", "checkin", …).
    pub nav: &'static str,
    pub asset_version: &'static str,
    /// A hosted server (`thaw host`): "Sign out" and "Account" instead of "Lock".
    pub hosted: bool,
}

impl Chrome {
    pub(crate) fn new(state: &AppState, title: impl Into<String>, nav: &'static str) -> Self {
        Self {
            title: title.into(),
            csrf: Some(state.csrf_token()),
            unlocked: state.is_unlocked(),
            idle_seconds: state.idle().as_secs(),
            nav,
            asset_version: crate::assets::version(),
            hosted: state.is_hosted(),
        }
    }

    fn bare(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            csrf: None,
            unlocked: false,
            idle_seconds: 0,
            nav: "",
            asset_version: crate::assets::version(),
            hosted: false,
        }
    }

    /// A page made without a session (after an account is deleted): no forms, no navigation.
    pub(crate) fn bare_page(title: &str) -> Self {
        Self { hosted: true, ..Self::bare(title) }
    }

    /// The CSRF token, for hidden inputs.
    pub(crate) fn token(&self) -> &str {
        self.csrf.as_deref().unwrap_or_default()
    }

    /// Whether `section` is the current one (for `aria-current`).
    pub(crate) fn at(&self, section: &str) -> bool {
        self.nav == section
    }
}

/// Renders a template as a page with this status.
pub(crate) fn render_with(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            eprintln!("{}: a page could not be drawn: {e}", crate::log_prefix());
            (StatusCode::INTERNAL_SERVER_ERROR, Html("<!doctype html><title>Thaw</title><p>Something went wrong drawing this page. <a href=\"/\">Home</a> · <a href=\"/crisis\">Crisis help</a></p>")).into_response()
        }
    }
}

pub(crate) fn render(template: &impl Template) -> Response {
    render_with(StatusCode::OK, template)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    message: String,
    locked: bool,
}

/// A calm page for an error; it needs no state, so it has no lock button.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::LOCKED => "Locked",
        s if s.is_server_error() => "Something went wrong",
        _ => "That didn't work",
    };
    let page = ErrorPage {
        chrome: Chrome::bare(title),
        message: message.to_owned(),
        locked: status == StatusCode::LOCKED,
    };
    render_with(status, &page)
}

/// A record in a list.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub kind: &'static str,
    pub when: String,
    pub summary: String,
    /// Where the record can be read in full, if it has its own page.
    pub href: Option<String>,
    /// Where it can be changed, for kinds edited on their own page.
    pub edit: Option<String>,
}

impl Row {
    pub(crate) fn new(record: &Record, state: &AppState) -> Self {
        let summary = match &record.body {
            RecordBody::Checkin(c) => c.sentence(),
            other => other.summary(),
        };
        let edit = match record.kind() {
            RecordKind::Reaction => Some(format!("/react/{}/edit", record.id)),
            RecordKind::Release => Some(format!("/release/{}/edit", record.id)),
            RecordKind::Activity => Some(format!("/activity/{}/edit", record.id)),
            _ => None,
        };
        Self {
            kind: kind_label(record.kind()),
            when: when(record.at, state),
            summary,
            href: href(record),
            edit,
        }
    }
}

pub(crate) fn href(record: &Record) -> Option<String> {
    match record.kind() {
        RecordKind::Journal => Some(format!("/journal/{}", record.id)),
        RecordKind::Checkin => Some(format!("/checkin/{}", record.id)),
        RecordKind::SelfCheck => Some(format!("/selfcheck/{}", record.id)),
        RecordKind::Medication => Some("/meds".to_owned()),
        _ => None,
    }
}

pub(crate) fn kind_label(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Checkin => "Check-in",
        RecordKind::Journal => "Journal",
        RecordKind::Reaction => "Reaction",
        RecordKind::Activity => "Activity",
        RecordKind::Release => "Release",
        RecordKind::Person => "Person",
        RecordKind::Assessment => "Questionnaire",
        RecordKind::Medication => "Medication",
        RecordKind::SelfCheck => "Self-check",
        RecordKind::Conversation => "Conversation",
    }
}

/// A time as people say it: "Today, 07:40", "Yesterday, 21:15", "Mon 3 Mar, 07:40", with the
/// year when it isn't this year.
pub(crate) fn when(ts: Timestamp, state: &AppState) -> String {
    let tz = state.tz();
    let zoned = ts.as_jiff().to_zoned(tz.clone());
    let today = Timestamp::now().date_in(tz);
    let date = zoned.date();
    let time = zoned.strftime("%H:%M");
    if date == today {
        format!("Today, {time}")
    } else if today.yesterday().ok() == Some(date) {
        format!("Yesterday, {time}")
    } else if date.year() == today.year() {
        format!("{}, {time}", zoned.strftime("%a %-d %b"))
    } else {
        format!("{}, {time}", zoned.strftime("%a %-d %b %Y"))
    }
}

/// The `datetime` attribute for `<time>`.
pub(crate) fn iso(ts: Timestamp) -> String {
    ts.rfc3339()
}

/// The page for a feature id that content points to (`thaw_core::features`).
pub(crate) fn feature_href(id: &str) -> Option<&'static str> {
    Some(match id {
        "checkin" => "/checkin",
        "journal" | "prompt" => "/journal/new",
        "react" => "/react",
        "activity" => "/activity",
        "release" => "/release",
        "med" => "/meds",
        "selfcheck" => "/selfcheck",
        "people" => "/people",
        "guide" => "/guide",
        "assess" => "/assess",
        "report" => "/report",
        "safety" => "/safety",
        "crisis" => "/crisis",
        _ => return None,
    })
}

/// Content written for the terminal names commands in brackets ("The guide (`thaw guide`) has
/// more"); on a page the links are right there, so the brackets go.
pub(crate) fn without_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(" (`") {
        match rest[start..].find("`)") {
            Some(end) => {
                out.push_str(&rest[..start]);
                rest = &rest[start + end + 2..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}
