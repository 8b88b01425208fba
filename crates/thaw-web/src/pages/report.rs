//! `/report`: the visit summary for a window of days (the last 90 unless you choose), as
//! `thaw report` makes it: a preview of thaw-report's HTML inside the page (printing the page prints
//! the summary), downloads as PDF, HTML, Markdown and FHIR R4, and the person's own questions for
//! the visit (the `visit_questions` setting, through thaw-report's `questions`).

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use thaw_report::{Summary, html, words};

use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, render_with};
use crate::visit::{Format, REPORT_DAYS, download as file, render as render_file, summary, window};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/report", get(show))
        .route("/report/download", get(download))
        .route("/report/questions", post(add_question))
        .route("/report/questions/remove", post(remove_question))
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    from: String,
    to: String,
    period: String,
    /// The query for the download links, escaped for an attribute: `from=…&amp;to=…` (dates only).
    range_query: String,
    /// thaw-report's own HTML, from inside its `<main>`, headings one level down.
    preview: String,
    questions: Vec<String>,
    /// The question being typed, kept after a problem.
    draft: String,
    notice: Option<&'static str>,
    error: Option<String>,
    /// thaw-core's gentle words after a question with risk language (the question isn't quoted).
    support: Option<crate::app::SupportView>,
}

/// The summary's content for showing inside this page: what its `<main>` holds, with each heading
/// one level lower (the page has its own h1). Its inline styles don't apply here (the page's CSP
/// allows only our stylesheet), which styles the same classes.
fn preview(s: &Summary) -> String {
    let full = html::render(s);
    let start = full.find("<main>").map_or(0, |i| i + "<main>".len());
    let end = full.rfind("</main>").unwrap_or(full.len());
    let inner = full.get(start..end).unwrap_or_default();
    let mut out = inner.to_owned();
    for (from, to) in [("h3", "h4"), ("h2", "h3"), ("h1", "h2")] {
        out = out
            .replace(&format!("<{from}>"), &format!("<{to}>"))
            .replace(&format!("</{from}>"), &format!("</{to}>"));
    }
    crate::pages::insights::inline(out)
}

#[derive(Default)]
struct Shown {
    notice: Option<&'static str>,
    error: Option<String>,
    draft: String,
    support: Option<crate::app::SupportView>,
}

async fn page(state: &AppState, query: Option<&str>, shown: Shown) -> Result<Response, PageError> {
    let q = FormData::from_query(query);

    let mut error = shown.error;
    let win = match window(state.tz(), q.get("from"), q.get("to"), REPORT_DAYS) {
        Ok(w) => w,
        Err(WebError::BadInput(m)) => {
            error = Some(m);
            window(state.tz(), None, None, REPORT_DAYS)?
        }
        Err(e) => return Err(e.into()),
    };
    let s = state.with_app(move |app| summary(app, &win)).await?;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let range_query = format!("from={}&amp;to={}", s.window.from, s.window.to);
    Ok(render_with(
        status,
        &ReportPage {
            chrome: Chrome::new(state, words::TITLE, "report"),
            from: s.window.from.to_string(),
            to: s.window.to.to_string(),
            period: words::period(&s),
            range_query,
            preview: preview(&s),
            questions: s.questions.clone(),
            draft: shown.draft,
            notice: shown.notice,
            error,
            support: shown.support,
        },
    ))
}

async fn show(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("done") {
        "added" => Some("Added. Every visit summary ends with your questions."),
        "removed" => Some("Removed."),
        _ => None,
    };
    page(&state, query.as_deref(), Shown { notice, ..Shown::default() }).await
}

/// The summary as a file. A bad format or date comes back as the page with the problem said.
async fn download(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let made = async {
        let format = Format::parse(q.value("format"))?;
        let win = window(state.tz(), q.get("from"), q.get("to"), REPORT_DAYS)?;
        let (bytes, win) = state
            .with_app(move |app| {
                let s = summary(app, &win)?;
                Ok((render_file(&s, format)?, win))
            })
            .await?;
        Ok::<_, WebError>(file(bytes, format, &win))
    };
    match made.await {
        Ok(r) => Ok(r),
        Err(WebError::BadInput(m)) => page(&state, None, Shown { error: Some(m), ..Shown::default() }).await,
        Err(e) => Err(e.into()),
    }
}

/// Keeps the person's wording for a page: thaw-report's messages point at the CLI.
/// A problem with a question that the person can fix, worded for the page; `None` otherwise.
fn question_problem(e: &thaw_app::AppError) -> Option<String> {
    use thaw_app::AppError;
    match e {
        AppError::Core(_) | AppError::NoSuchQuestion { .. } => Some(e.to_string()),
        AppError::TooManyQuestions { .. } => Some(format!("{e} Each has a Remove button below.")),
        _ => None,
    }
}

async fn add_question(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let text = form.value("question").to_owned();
    // Risk language in a question gets the same follow-up as anywhere else, once, right here.
    let added = state
        .with_app(move |app| match app.add_question(&text) {
            Ok((_, follow_up)) => Ok(Ok(follow_up.as_ref().map(crate::app::SupportView::new))),
            Err(e) => question_problem(&e).map(Err).ok_or_else(|| e.into()),
        })
        .await?;
    match added {
        Ok(support) if support.is_some() => {
            let shown = Shown {
                notice: Some("Added. Every visit summary ends with your questions."),
                support,
                ..Shown::default()
            };
            page(&state, None, shown).await
        }
        Ok(_) => Ok(Redirect::to("/report?done=added#questions-h").into_response()),
        Err(m) => {
            page(
                &state,
                None,
                Shown { error: Some(m), draft: form.value("question").to_owned(), ..Shown::default() },
            )
            .await
        }
    }
}

async fn remove_question(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let n = form.value("n").to_owned();
    let removed = state
        .with_app(move |app| match app.remove_question(&n) {
            Ok(_) => Ok(Ok(())),
            Err(e) => question_problem(&e).map(Err).ok_or_else(|| e.into()),
        })
        .await?;
    match removed {
        Ok(_) => Ok(Redirect::to("/report?done=removed#questions-h").into_response()),
        Err(m) => page(&state, None, Shown { error: Some(m), ..Shown::default() }).await,
    }
}
