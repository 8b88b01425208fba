//! The web edge's link to thaw-app: running a flow on the blocking pool, turning thaw-app's
//! neutral errors into a page's words, and showing a safety follow-up — decided once, in
//! thaw-app — first on the page that confirms the save.

use std::collections::VecDeque;
use std::sync::Mutex;

use thaw_app::followup::Reason;
use thaw_app::{App, AppError, Clock, FollowUp};
use thaw_core::RecordId;
use thaw_core::meds::timeline::NextStep;
use thaw_core::safety::crisis::crisis_directory;

use crate::crisis::{CountryView, DirectoryView, plan_sections};
use crate::error::WebError;
use crate::state::AppState;

impl AppState {
    /// Runs `f` with the application layer over the open vault, on the blocking pool.
    pub(crate) async fn with_app<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&App) -> Result<T, WebError> + Send + 'static,
    {
        let tz = self.tz().clone();
        let locale = self.locale_country().map(str::to_owned);
        let understanding = self.understanding().clone();
        self.with_store(move |s| {
            let app = App::new(s, Clock::new(&tz))
                .with_locale_country(locale)
                .with_risk_check(understanding.as_ref());
            f(&app)
        })
        .await
    }

    /// Loads the on-device model on a thread of its own, so no request waits for it unless it
    /// comes in the first moments (a save then waits: its check is never weaker for being early).
    /// Word suggestions are still built on the first request for them: building them here too kept
    /// the thread busy long enough that a test process could end under it (a crash at exit, once
    /// in CI).
    /// Without the model, the phrase layer works alone and the terminal says so, once.
    pub(crate) fn load_understanding(&self) {
        let state = self.clone();
        std::thread::spawn(move || {
            if !state.understanding().load() {
                state.warn(thaw_embed::MISSING_NOTE);
            }
        });
    }
}

/// How often the server may tell its operator that the on-device model was busy.
const BUSY_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// What the operator was last told about the model's gate.
pub(crate) type BusySeen = std::sync::Arc<Mutex<thaw_embed::Busy>>;

impl AppState {
    /// The model's counters as they are now, as the starting point of [`report_busy`].
    pub(crate) fn busy_seen(&self) -> BusySeen {
        std::sync::Arc::new(Mutex::new(self.understanding().busy()))
    }

    /// Tells the operator, in one line, how many texts the model's gate left to the phrase layer
    /// alone (and how many word suggestions it skipped) since `seen`, if any. Counts only: never
    /// a text, a word or an account.
    pub(crate) fn tell_busy(&self, seen: &BusySeen, period: &str) {
        let now = self.understanding().busy();
        let mut seen = seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(line) = now.since(*seen).log_line(period) {
            self.warn(&format!("{}: {line}", crate::log_prefix()));
        }
        *seen = now;
    }
}

/// Every minute, [`AppState::tell_busy`] (so at most one such line a minute); runs until aborted.
pub(crate) async fn report_busy(state: AppState, seen: BusySeen) {
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + BUSY_EVERY, BUSY_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        state.tell_busy(&seen, "the last minute");
    }
}

/// The shipped vocabulary plus the person's own words.
pub(crate) fn vocabulary(store: &dyn thaw_store::Store) -> Result<thaw_core::Vocabulary, WebError> {
    Ok(thaw_app::vocabulary(store)?)
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        let words = match &e {
            AppError::Store(_) => {
                return match e {
                    AppError::Store(s) => s.into(),
                    _ => WebError::NotFound,
                };
            }
            AppError::NotFound => return WebError::NotFound,
            AppError::Report(m) => return WebError::Internal(m.clone()),
            AppError::Timeline(p) => match p.next_step() {
                Some(NextStep::SeeTimeline) => format!("{e} Check the date against the timeline below."),
                Some(NextStep::AddMedicine) => {
                    format!("{e} If it's taken again now, add it with the form to add a medicine.")
                }
                Some(NextStep::NewDose) => {
                    format!("{e} To note a new dose, use \"New dose\" under the medicine.")
                }
                None => e.to_string(),
            },
            AppError::NotOnList { .. } => {
                format!("{e} Add it first, with its dose, and then its changes can be noted.")
            }
            AppError::LikelyTypo { typed, .. } => {
                format!("{e} If \"{typed}\" is right, keep it just as you typed it.")
            }
            AppError::WindowBackwards { .. } => format!("{e} Swap them, or leave the end empty for today."),
            AppError::UnknownMedicine { .. } => {
                format!("{e} You can still keep any medicine on your list, just as you type it.")
            }
            _ => e.to_string(),
        };
        WebError::BadInput(words)
    }
}

/// A follow-up as a page shows it: the gentle words, tap-to-call lines, the plan.
#[derive(Debug, Clone)]
pub(crate) struct SupportView {
    pub message: Vec<String>,
    /// The person's country, when Thaw has lines for it.
    pub mine: Option<CountryView>,
    /// With no country known: every listed country, compactly.
    pub others: Vec<CountryView>,
    pub directory: DirectoryView,
    pub emergency: String,
    /// The plan's sections, shown in full after a questionnaire.
    pub plan: Vec<(&'static str, Vec<String>)>,
    pub has_plan: bool,
    pub full_plan: bool,
    pub closing: Option<&'static str>,
}

impl SupportView {
    pub(crate) fn new(f: &FollowUp) -> Self {
        // A reminder on every check-in stays short: the main line, and the way to the rest.
        let short = f.reason == Reason::Phq9Reminder;
        let mine =
            f.crisis.country.map(CountryView::from).map(|c| if short { c.main_line_only() } else { c });
        let others = if mine.is_some() || short {
            Vec::new()
        } else {
            crisis_directory()
                .countries
                .iter()
                .map(CountryView::from)
                .map(CountryView::main_line_only)
                .collect()
        };
        let plan = f.safety_plan.as_ref().map(plan_sections).unwrap_or_default();
        SupportView {
            message: f.message.clone(),
            mine,
            others,
            directory: DirectoryView::from(f.crisis.international),
            emergency: f.crisis.emergency_sentence(),
            has_plan: !plan.is_empty(),
            full_plan: f.reason == Reason::Phq9Item9,
            plan,
            closing: f.tell_doctor_words(),
        }
    }
}

/// Follow-ups decided when a record was saved, waiting for the page the save redirects to. Kept
/// in memory only, without the person's plan (read again when shown), taken once, and bounded.
static PENDING: Mutex<VecDeque<(RecordId, FollowUp)>> = Mutex::new(VecDeque::new());
const PENDING_MAX: usize = 64;

/// Keeps `follow_up` for the page that shows record `id` next.
pub(crate) fn hold(id: RecordId, follow_up: Option<FollowUp>) {
    let Some(mut f) = follow_up else { return };
    f.safety_plan = None;
    let mut pending = PENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    pending.retain(|(other, _)| *other != id);
    if pending.len() >= PENDING_MAX {
        pending.pop_front();
    }
    pending.push_back((id, f));
}

/// The follow-up held for record `id`, once.
pub(crate) fn take(id: RecordId) -> Option<FollowUp> {
    let mut pending = PENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let at = pending.iter().position(|(other, _)| *other == id)?;
    pending.remove(at).map(|(_, f)| f)
}

/// The held follow-up for `id`, with the person's plan read again, ready for a page.
pub(crate) async fn support_for(state: &AppState, id: RecordId) -> Option<SupportView> {
    let mut f = take(id)?;
    f.safety_plan = state.with_store(|s| Ok(thaw_app::settings::plan(s).ok().flatten())).await.ok().flatten();
    Some(SupportView::new(&f))
}

/// Splits a flow's outcome for a form: input the person can fix becomes a message shown with the
/// form; anything else stays an error page.
pub(crate) fn or_message<T>(outcome: Result<T, AppError>) -> Result<Result<T, String>, WebError> {
    match outcome {
        Ok(v) => Ok(Ok(v)),
        Err(e) => match WebError::from(e) {
            WebError::BadInput(m) => Ok(Err(m)),
            other => Err(other),
        },
    }
}

impl From<thaw_report::ReportError> for WebError {
    fn from(e: thaw_report::ReportError) -> Self {
        AppError::from(e).into()
    }
}
