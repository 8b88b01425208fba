//! Crisis lines by country, loaded from `content/crisis_lines.toml` (embedded at compile time),
//! with the international directory for everywhere else.

use std::sync::OnceLock;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::CoreError;

const CRISIS_TOML: &str = include_str!("../../../../content/crisis_lines.toml");

/// How long an entry may go without being checked again before the schema test warns.
pub const STALE_AFTER_MONTHS: i32 = 6;

/// One service: how to reach it, when, and where the number comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisLine {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A word to send first, when the service asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_keyword: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<String>,
    pub hours: String,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(deserialize_with = "super::toml_date")]
    pub verified_on: Date,
}

impl CrisisLine {
    /// "call 116 123", "call or text 988", "text HELP to 51444", "chat at https://…".
    pub fn how_to_reach(&self) -> String {
        let mut ways: Vec<String> = Vec::new();
        let text = |number: &str| match &self.text_keyword {
            Some(word) => format!("text {word} to {number}"),
            None => format!("text {number}"),
        };
        match (&self.phone, &self.text) {
            (Some(p), Some(t)) if p == t && self.text_keyword.is_none() => {
                ways.push(format!("call or text {p}"))
            }
            (p, t) => {
                ways.extend(p.as_ref().map(|p| format!("call {p}")));
                ways.extend(t.as_deref().map(text));
            }
        }
        ways.extend(self.chat.as_ref().map(|c| format!("chat at {c}")));
        ways.join(", ")
    }
}

/// A country's crisis lines and emergency number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub code: String,
    pub name: String,
    pub emergency: String,
    #[serde(rename = "line")]
    pub lines: Vec<CrisisLine>,
}

/// The directory for every other country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct International {
    pub name: String,
    pub url: String,
    pub note: String,
    pub source: String,
    #[serde(deserialize_with = "super::toml_date")]
    pub verified_on: Date,
}

/// The whole crisis-lines file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisDirectory {
    pub version: u32,
    #[serde(rename = "country")]
    pub countries: Vec<Country>,
    pub international: International,
}

/// An entry whose `verified_on` is older than [`STALE_AFTER_MONTHS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleEntry {
    /// "GB: Samaritans", or "international: Find A Helpline".
    pub entry: String,
    pub verified_on: Date,
}

/// What to show someone: their country's lines, or the international directory when the
/// country is unknown or not listed. The directory is always there as a last line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CrisisResources<'a> {
    pub country: Option<&'a Country>,
    pub international: &'a International,
}

impl CrisisResources<'_> {
    /// The lines to offer (none when only the directory is known).
    pub fn lines(&self) -> &[CrisisLine] {
        self.country.map(|c| c.lines.as_slice()).unwrap_or_default()
    }

    /// The sentence about immediate danger.
    pub fn emergency_sentence(&self) -> String {
        match self.country {
            Some(c) => format!("If you are in immediate danger, call {}.", c.emergency),
            None => "If you are in immediate danger, call your local emergency number.".to_owned(),
        }
    }

    /// The resources as lines of plain text, ready to print.
    pub fn text(&self) -> Vec<String> {
        let mut out = Vec::new();
        let intl = self.international;
        match self.country {
            Some(country) => {
                out.push(country.name.clone());
                for line in &country.lines {
                    out.push(format!("  {}: {} ({})", line.name, line.how_to_reach(), line.hours));
                    if let Some(note) = &line.note {
                        out.push(format!("    {note}"));
                    }
                }
                out.push(self.emergency_sentence());
                out.push(format!("Somewhere else? {}: {}", intl.name, intl.url));
            }
            None => {
                out.push(format!("  {}: {}", intl.name, intl.url));
                out.push(format!("    {}", intl.note));
                out.push(self.emergency_sentence());
            }
        }
        out
    }
}

/// The crisis lines shipped with Thaw.
pub fn crisis_directory() -> &'static CrisisDirectory {
    static DIR: OnceLock<CrisisDirectory> = OnceLock::new();
    DIR.get_or_init(|| {
        // Compiled in and checked by the schema tests: failing here is a build bug.
        CrisisDirectory::parse(CRISIS_TOML).expect("content/crisis_lines.toml is valid (schema test)")
    })
}

/// The resources for a country code (any case), or the international directory.
pub fn crisis_for(country: Option<&str>) -> CrisisResources<'static> {
    crisis_directory().resources(country)
}

impl CrisisDirectory {
    /// Parses and checks a crisis-lines file: every entry has a source and a `verified_on` date
    /// (serde refuses the file otherwise) and at least one way to reach it.
    pub fn parse(text: &str) -> Result<CrisisDirectory, String> {
        let dir: CrisisDirectory = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut codes = Vec::new();
        for country in &dir.countries {
            let code = &country.code;
            if parse_country(code).ok().as_deref() != Some(code.as_str()) {
                return Err(format!("\"{code}\" must be two upper-case letters"));
            }
            if codes.contains(code) {
                return Err(format!("{code} appears twice"));
            }
            codes.push(code.clone());
            if country.lines.is_empty() || country.emergency.trim().is_empty() {
                return Err(format!("{code}: needs an emergency number and at least one line"));
            }
            for line in &country.lines {
                let what = format!("{code}: {}", line.name);
                if line.phone.is_none() && line.text.is_none() && line.chat.is_none() {
                    return Err(format!("{what}: needs a phone, text or chat"));
                }
                if line.text_keyword.is_some() && line.text.is_none() {
                    return Err(format!("{what}: a text keyword needs a text number"));
                }
                check_source(&what, &line.source)?;
                if line.hours.trim().is_empty() {
                    return Err(format!("{what}: say when it is open"));
                }
            }
        }
        check_source("international", &dir.international.source)?;
        if !dir.international.url.starts_with("https://") {
            return Err("international: the directory needs an https:// address".to_owned());
        }
        Ok(dir)
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        let code = code.trim().to_ascii_uppercase();
        self.countries.iter().find(|c| c.code == code)
    }

    pub fn resources(&self, country: Option<&str>) -> CrisisResources<'_> {
        CrisisResources { country: country.and_then(|c| self.country(c)), international: &self.international }
    }

    /// Entries last checked more than [`STALE_AFTER_MONTHS`] before `today`.
    pub fn stale_entries(&self, today: Date) -> Vec<StaleEntry> {
        let limit = today.saturating_sub(STALE_AFTER_MONTHS.months());
        let mut stale: Vec<StaleEntry> = self
            .countries
            .iter()
            .flat_map(|c| c.lines.iter().map(move |l| (format!("{}: {}", c.code, l.name), l.verified_on)))
            .chain(std::iter::once((
                format!("international: {}", self.international.name),
                self.international.verified_on,
            )))
            .filter(|(_, on)| *on < limit)
            .map(|(entry, verified_on)| StaleEntry { entry, verified_on })
            .collect();
        stale.sort_by_key(|s| s.verified_on);
        stale
    }
}

fn check_source(what: &str, source: &str) -> Result<(), String> {
    if source.starts_with("https://") || source.starts_with("http://") {
        Ok(())
    } else {
        Err(format!("{what}: the source must be a web address"))
    }
}

/// Checks a country code someone typed: two letters, returned upper case.
pub fn parse_country(input: &str) -> Result<String, CoreError> {
    let code = input.trim().to_ascii_uppercase();
    if code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(CoreError::Invalid(format!(
            "\"{}\" isn't a two-letter country code. Try GB, US, IE, CA, AU, NZ, DE, FR or IN.",
            input.trim()
        )))
    }
}

/// The country in a locale name such as `en_GB.UTF-8` or `de_DE@euro`; `None` for `C`, `POSIX`
/// or a bare language.
pub fn country_from_locale(locale: &str) -> Option<String> {
    let base = locale.split(['.', '@']).next().unwrap_or_default();
    let (_, region) = base.split_once(['_', '-'])?;
    parse_country(region).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_name_countries() {
        assert_eq!(country_from_locale("en_GB.UTF-8").as_deref(), Some("GB"));
        assert_eq!(country_from_locale("de_DE@euro").as_deref(), Some("DE"));
        assert_eq!(country_from_locale("fr_CA").as_deref(), Some("CA"));
        assert_eq!(country_from_locale("C.UTF-8"), None);
        assert_eq!(country_from_locale("POSIX"), None);
        assert_eq!(country_from_locale("en"), None);
        assert_eq!(country_from_locale(""), None);
    }

    #[test]
    fn ways_to_reach_read_naturally() {
        let us = crisis_for(Some("us"));
        assert_eq!(us.lines()[0].how_to_reach(), "call or text 988, chat at https://988lifeline.org/chat");
        let ie = crisis_for(Some("IE"));
        let pieta = ie.lines().iter().find(|l| l.name == "Pieta").unwrap();
        assert_eq!(pieta.how_to_reach(), "call 1800 247 247, text HELP to 51444");
    }
}
