//! Crisis lines for the pages, from `thaw_core::safety` (the same loader and file the CLI uses).
//! This module only turns them into what a page shows: tap-to-call `tel:` and `sms:` targets.
//! The person's plan is `thaw_app::settings::plan`.

use thaw_core::safety::crisis::{Country, CrisisLine, International, crisis_directory, parse_country};
use thaw_core::safety::plan::SECTIONS;
use thaw_core::safety::{CrisisResources, SafetyPlan, crisis_for};

use crate::state::AppState;

/// A country as the crisis page shows it.
#[derive(Debug, Clone)]
pub(crate) struct CountryView {
    pub code: String,
    pub name: String,
    pub emergency: String,
    pub emergency_tel: String,
    pub lines: Vec<LineView>,
}

/// One line with its links.
#[derive(Debug, Clone)]
pub(crate) struct LineView {
    pub name: String,
    pub phone: Option<String>,
    pub tel: Option<String>,
    pub text: Option<String>,
    pub text_keyword: Option<String>,
    pub sms: Option<String>,
    pub chat: Option<String>,
    pub hours: String,
    pub note: Option<String>,
}

/// The international directory.
#[derive(Debug, Clone)]
pub(crate) struct DirectoryView {
    pub name: String,
    pub url: String,
    pub note: String,
}

impl From<&CrisisLine> for LineView {
    fn from(line: &CrisisLine) -> Self {
        let sms = line.text.as_deref().map(|t| {
            let number = dial(t);
            match &line.text_keyword {
                Some(k) => format!("{number}?body={k}"),
                None => number,
            }
        });
        Self {
            name: line.name.clone(),
            phone: line.phone.clone(),
            tel: line.phone.as_deref().map(dial),
            text: line.text.clone(),
            text_keyword: line.text_keyword.clone(),
            sms,
            chat: line.chat.clone(),
            hours: line.hours.clone(),
            note: line.note.clone(),
        }
    }
}

impl CountryView {
    /// The country with its first line only, for the compact list shown when no country is known.
    pub(crate) fn main_line_only(mut self) -> Self {
        self.lines.truncate(1);
        self
    }
}

impl From<&Country> for CountryView {
    fn from(c: &Country) -> Self {
        Self {
            code: c.code.clone(),
            name: c.name.clone(),
            emergency: c.emergency.clone(),
            emergency_tel: dial(&c.emergency),
            lines: c.lines.iter().map(LineView::from).collect(),
        }
    }
}

impl From<&International> for DirectoryView {
    fn from(d: &International) -> Self {
        Self { name: d.name.clone(), url: d.url.clone(), note: d.note.clone() }
    }
}

/// `tel:`/`sms:` target: digits and a leading plus only.
fn dial(number: &str) -> String {
    number.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
}

/// The person's country: the vault's `country` setting (once unlocked), else the locale Thaw was
/// started in. `None` means the international directory.
pub(crate) fn country(state: &AppState) -> Option<String> {
    state.country().and_then(|c| parse_country(&c).ok()).or_else(|| state.locale_country().map(str::to_owned))
}

/// The resources for the person's country, from thaw-core.
pub(crate) fn resources(state: &AppState) -> CrisisResources<'static> {
    crisis_for(country(state).as_deref())
}

/// A plan's sections that have entries: (title, entries).
pub(crate) fn plan_sections(plan: &SafetyPlan) -> Vec<(&'static str, Vec<String>)> {
    SECTIONS
        .iter()
        .map(|s| (s.title, plan.section(s.key).to_vec()))
        .filter(|(_, entries)| !entries.is_empty())
        .collect()
}

/// Every country Thaw has lines for: (code, name).
pub(crate) fn countries() -> Vec<(String, String)> {
    crisis_directory().countries.iter().map(|c| (c.code.clone(), c.name.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_get_tap_targets() {
        let gb = crisis_directory().country("GB").expect("GB");
        let view = CountryView::from(gb);
        assert_eq!(view.lines[0].tel.as_deref(), Some("116123"));
        let ie = CountryView::from(crisis_directory().country("IE").expect("IE"));
        let pieta = ie.lines.iter().find(|l| l.name == "Pieta").expect("Pieta");
        assert_eq!(pieta.sms.as_deref(), Some("51444?body=HELP"));
    }
}
