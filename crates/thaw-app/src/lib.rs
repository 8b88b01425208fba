//! Thaw's application layer: each capability's read–decide–write flow, written once over
//! `&dyn Store` and a [`Clock`], so the terminal, the local web app and any later edge behave the
//! same. Edges parse what a person typed and format what comes back; every decision — what to
//! save, which medicine a name means, which window a summary covers, and above all which safety
//! follow-up a save brings — is made here or in `thaw-core`.
//!
//! Errors are neutral ([`AppError`]): they say what happened in structured form, and each edge
//! words its own hint (a command to type, or a form on the page).

mod clock;
mod error;
pub mod followup;
pub mod input;
pub mod meds;
pub mod questionnaires;
pub mod records;
pub mod selfcheck;
pub mod settings;
pub mod sync;
pub mod transfer;
pub mod window;

use thaw_core::safety::risk::RiskMatch;
use thaw_core::{Vocabulary, vocab::Emotion};
use thaw_store::Store;

pub use clock::Clock;
pub use error::AppError;
pub use followup::FollowUp;
pub use records::Saved;

/// How free text is checked for risk language. The phrase layer (`thaw_core::safety::risk`) is
/// always there; a richer check (an on-device model) can stand in for it through this trait.
pub trait RiskCheck: Send + Sync {
    fn scan(&self, text: &str) -> Vec<RiskMatch>;
}

/// The phrase layer alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhraseCheck;

impl RiskCheck for PhraseCheck {
    fn scan(&self, text: &str) -> Vec<RiskMatch> {
        thaw_core::safety::risk::scan(text)
    }
}

static PHRASES: PhraseCheck = PhraseCheck;

/// The shipped vocabulary plus the person's own words in `store`.
pub fn vocabulary(store: &dyn Store) -> Result<Vocabulary, AppError> {
    let base = thaw_core::vocabulary();
    let personal: Vec<Emotion> = settings::get::<settings::PersonalWords>(store)?.unwrap_or_default();
    if personal.is_empty() {
        return Ok(base.clone());
    }
    base.with_personal(&personal).map_err(|e| AppError::damaged(format!("personal words: {e}")))
}

/// One person's vault (or account) at one moment: the store, the clock, and what the edge knows of
/// the surroundings (the locale's country). Cheap to build per command or per request.
pub struct App<'a> {
    store: &'a dyn Store,
    clock: Clock,
    locale_country: Option<String>,
    country_override: Option<String>,
    risk: &'a dyn RiskCheck,
}

impl<'a> App<'a> {
    pub fn new(store: &'a dyn Store, clock: Clock) -> Self {
        Self { store, clock, locale_country: None, country_override: None, risk: &PHRASES }
    }

    /// The country the edge found in its locale: used for crisis lines when none is set.
    pub fn with_locale_country(mut self, country: Option<String>) -> Self {
        self.locale_country = country;
        self
    }

    /// A country chosen for this one request (`--country`, already checked): it wins over the
    /// setting and the locale.
    pub fn with_country(mut self, country: Option<String>) -> Self {
        self.country_override = country;
        self
    }

    /// A risk check other than the phrase layer alone.
    pub fn with_risk_check(mut self, risk: &'a dyn RiskCheck) -> Self {
        self.risk = risk;
        self
    }

    pub fn store(&self) -> &'a dyn Store {
        self.store
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The shipped vocabulary plus the person's own words.
    pub fn vocabulary(&self) -> Result<Vocabulary, AppError> {
        vocabulary(self.store)
    }

    /// The country whose crisis lines to show: `flag` (already checked) if given, else the
    /// `country` setting, else the locale. `None`: no country known.
    pub fn country(&self, flag: Option<&str>) -> Option<String> {
        if let Some(flag) = flag.or(self.country_override.as_deref()) {
            return Some(flag.to_owned());
        }
        // Help must not depend on a readable setting: a damaged value falls back to the locale.
        settings::get::<settings::Country>(self.store)
            .ok()
            .flatten()
            .and_then(|c| thaw_core::settings::parse_country(&c).ok())
            .or_else(|| self.locale_country.clone())
    }
}
