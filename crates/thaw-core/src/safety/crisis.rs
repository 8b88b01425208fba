//! Crisis lines by country, loaded from `content/crisis_lines.toml` (embedded at compile time),
//! with the international directory for everywhere else; and the one place where a country a person
//! types is checked against ISO 3166-1 (`content/countries.toml`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::CoreError;

const CRISIS_TOML: &str = include_str!("../../../../content/crisis_lines.toml");
const COUNTRIES_TOML: &str = include_str!("../../../../content/countries.toml");

/// How long an entry may go without its source being checked again before the schema test fails.
pub const STALE_AFTER_MONTHS: i32 = 6;

/// Hosts that are never a line's source: news, blogs and placeholders. A source must be the
/// service's own page or a government health page (docs/SAFETY.md).
const NOT_A_SOURCE: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "localhost",
    "127.0.0.1",
    "blogspot.",
    "wordpress.",
    "medium.com",
    "pastebin.",
    "wikipedia.org",
    "webmd.com",
    "fullfact.org",
    "newswire.",
    "newshub.",
    "todayfm.",
    "wicklownow.",
    "crackittoday.",
    "domradio.",
    "spektrum.de",
    "nzfamilies.",
    "familyandcaregivertoolkit.",
    "irishexaminer.",
    "irishtimes.",
];

/// One service: how to reach it, when, and where the number comes from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The service's own page, or a government health page, that publishes the number.
    pub source: String,
    /// When the number was last checked against `source` (or against `checked_via`).
    #[serde(deserialize_with = "super::toml_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub source_checked_on: Date,
    /// The pages read at that check when `source` itself couldn't be: a second-hand confirmation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checked_via: Vec<String>,
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

    /// The shortest way to reach it, for the compact list: "call 116 123", "call or text 988".
    pub fn how_to_reach_briefly(&self) -> String {
        let full = CrisisLine {
            chat: if self.phone.is_none() && self.text.is_none() { self.chat.clone() } else { None },
            ..self.clone()
        };
        full.how_to_reach()
    }
}

/// A country's crisis lines and emergency number.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub code: String,
    pub name: String,
    pub emergency: String,
    /// The first is the country's main line.
    #[serde(rename = "line")]
    pub lines: Vec<CrisisLine>,
}

impl Country {
    /// The line shown for this country in the compact list (the file's first line for it).
    pub fn main_line(&self) -> &CrisisLine {
        // `CrisisDirectory::parse` refuses a country without lines.
        &self.lines[0]
    }

    /// "United Kingdom: Samaritans, call 116 123 (24/7). Emergency: 999."
    pub fn compact(&self) -> String {
        let line = self.main_line();
        format!(
            "{}: {}, {} ({}). Emergency: {}.",
            self.name,
            line.name,
            line.how_to_reach_briefly(),
            line.hours,
            self.emergency
        )
    }
}

/// The directory for every other country.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct International {
    pub name: String,
    pub url: String,
    pub note: String,
    pub source: String,
    #[serde(deserialize_with = "super::toml_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub source_checked_on: Date,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checked_via: Vec<String>,
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

/// An entry whose `source_checked_on` is older than [`STALE_AFTER_MONTHS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleEntry {
    /// "GB: Samaritans", or "international: Find A Helpline".
    pub entry: String,
    pub source_checked_on: Date,
}

/// A country as ISO 3166-1 names it (short English name).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IsoCountry {
    pub code: String,
    pub name: String,
}

/// What to show someone. With their country listed: its lines and emergency number. Otherwise —
/// no country set, or one Thaw has no lines for — every listed country's main line, the
/// international directory and the emergency advice: never only a website.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CrisisResources<'a> {
    /// The person's country, when Thaw lists lines for it.
    pub country: Option<&'a Country>,
    /// The person's country when it is a real country Thaw has no lines for yet.
    pub unlisted: Option<&'a IsoCountry>,
    pub international: &'a International,
    /// Every listed country, for the compact list.
    #[serde(skip)]
    pub listed: &'a [Country],
}

impl<'a> CrisisResources<'a> {
    /// The person's country's lines (none when it isn't known or isn't listed).
    pub fn lines(&self) -> &'a [CrisisLine] {
        self.country.map(|c| c.lines.as_slice()).unwrap_or_default()
    }

    /// Every listed country, by name, for the compact list (empty when the person's country is
    /// listed: then its own lines are shown instead).
    pub fn main_lines(&self) -> Vec<&'a Country> {
        if self.country.is_some() {
            return Vec::new();
        }
        let mut all: Vec<&Country> = self.listed.iter().collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all
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
                out.push(self.emergency_sentence());
                if let Some(unlisted) = self.unlisted {
                    out.push(format!(
                        "Thaw doesn't have lines for {} yet. This directory can find free, confidential support there:",
                        unlisted.name
                    ));
                }
                out.push(format!("  {}: {}", intl.name, intl.url));
                out.push(format!("    {}", intl.note));
                out.push("The main line in each country Thaw knows:".to_owned());
                out.extend(self.main_lines().into_iter().map(|c| format!("  {}", c.compact())));
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

/// The resources for a country (a code in any case, an alias like UK, or a name), or — when it
/// is unknown, unlisted or not set — every listed country's main line with the directory.
pub fn crisis_for(country: Option<&str>) -> CrisisResources<'static> {
    crisis_directory().resources(country)
}

impl CrisisDirectory {
    /// Parses and checks a crisis-lines file: every entry has a source on the service's or a
    /// government's own site (https, no news or placeholder) and a `source_checked_on` date (serde
    /// refuses the file otherwise), at least one way to reach it and its hours; every country is a
    /// real ISO 3166-1 code, once, with an emergency number.
    pub fn parse(text: &str) -> Result<CrisisDirectory, String> {
        let dir: CrisisDirectory = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut codes = Vec::new();
        for country in &dir.countries {
            let code = &country.code;
            if iso_countries().get(code.as_str()).is_none() {
                return Err(format!("\"{code}\" isn't an ISO 3166-1 alpha-2 code (content/countries.toml)"));
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
                if let Some(chat) = &line.chat
                    && !chat.starts_with("https://")
                {
                    return Err(format!("{what}: the chat needs an https:// address"));
                }
                check_source(&what, &line.source, &line.checked_via)?;
                if line.hours.trim().is_empty() {
                    return Err(format!("{what}: say when it is open"));
                }
            }
        }
        let intl = &dir.international;
        check_source("international", &intl.source, &intl.checked_via)?;
        if !intl.url.starts_with("https://") {
            return Err("international: the directory needs an https:// address".to_owned());
        }
        Ok(dir)
    }

    /// A listed country by code, alias or name.
    pub fn country(&self, code: &str) -> Option<&Country> {
        let code = parse_country(code).ok()?;
        self.countries.iter().find(|c| c.code == code)
    }

    pub fn resources(&self, country: Option<&str>) -> CrisisResources<'_> {
        let code = country.and_then(|c| parse_country(c).ok());
        let listed = code.as_deref().and_then(|code| self.countries.iter().find(|c| c.code == code));
        let unlisted = match (listed, code.as_deref()) {
            (None, Some(code)) => iso_country(code),
            _ => None,
        };
        CrisisResources {
            country: listed,
            unlisted,
            international: &self.international,
            listed: &self.countries,
        }
    }

    /// Entries last checked more than [`STALE_AFTER_MONTHS`] before `today`.
    pub fn stale_entries(&self, today: Date) -> Vec<StaleEntry> {
        let limit = today.saturating_sub(STALE_AFTER_MONTHS.months());
        let mut stale: Vec<StaleEntry> = self
            .countries
            .iter()
            .flat_map(|c| {
                c.lines.iter().map(move |l| (format!("{}: {}", c.code, l.name), l.source_checked_on))
            })
            .chain(std::iter::once((
                format!("international: {}", self.international.name),
                self.international.source_checked_on,
            )))
            .filter(|(_, on)| *on < limit)
            .map(|(entry, source_checked_on)| StaleEntry { entry, source_checked_on })
            .collect();
        stale.sort_by_key(|s| s.source_checked_on);
        stale
    }

    /// Entries confirmed only second-hand at their last check (`checked_via`): recheck these
    /// against their source first.
    pub fn second_hand_entries(&self) -> Vec<String> {
        self.countries
            .iter()
            .flat_map(|c| {
                c.lines
                    .iter()
                    .filter(|l| !l.checked_via.is_empty())
                    .map(move |l| format!("{}: {}", c.code, l.name))
            })
            .collect()
    }
}

/// The host of an https address, or `None` for anything else.
fn https_host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

fn check_source(what: &str, source: &str, checked_via: &[String]) -> Result<(), String> {
    let Some(host) = https_host(source) else {
        return Err(format!("{what}: the source must be an https:// web address"));
    };
    let host = host.to_ascii_lowercase();
    if let Some(bad) = NOT_A_SOURCE.iter().find(|bad| host.contains(*bad)) {
        return Err(format!(
            "{what}: the source must be the service's own page or a government health page, not {bad}"
        ));
    }
    if let Some(via) = checked_via.iter().find(|v| !v.starts_with("https://") && !v.starts_with("http://")) {
        return Err(format!("{what}: \"{via}\" in checked_via must be a web address"));
    }
    Ok(())
}

/// The ISO 3166-1 table (`content/countries.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountriesFile {
    countries: BTreeMap<String, String>,
    aliases: BTreeMap<String, String>,
}

struct IsoTable {
    by_code: BTreeMap<String, IsoCountry>,
    /// Upper-cased alias or country name → code.
    by_word: BTreeMap<String, String>,
}

impl IsoTable {
    fn get(&self, code: &str) -> Option<&IsoCountry> {
        self.by_code.get(code)
    }
}

fn iso_countries() -> &'static IsoTable {
    static TABLE: OnceLock<IsoTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        // Compiled in and checked by the schema tests: failing here is a build bug.
        let file: CountriesFile =
            toml::from_str(COUNTRIES_TOML).expect("content/countries.toml is valid (schema test)");
        let mut by_word: BTreeMap<String, String> =
            file.countries.iter().map(|(code, name)| (name.to_uppercase(), code.clone())).collect();
        by_word.extend(file.aliases.into_iter().map(|(alias, code)| (alias.to_uppercase(), code)));
        let by_code = file
            .countries
            .into_iter()
            .map(|(code, name)| (code.clone(), IsoCountry { code, name }))
            .collect();
        IsoTable { by_code, by_word }
    })
}

/// A country by its ISO 3166-1 alpha-2 code (upper case), listed or not.
pub fn iso_country(code: &str) -> Option<&'static IsoCountry> {
    iso_countries().get(code)
}

/// Every ISO 3166-1 country, by code.
pub fn all_iso_countries() -> impl Iterator<Item = &'static IsoCountry> {
    iso_countries().by_code.values()
}

/// Checks a country someone typed: an ISO 3166-1 alpha-2 code in any case ("gb"), a common alias
/// ("UK" → GB, "EL" → GR) or the country's English name ("Ireland"). Returns the code in upper case.
/// A real country Thaw lists no lines for is accepted: the person lives there.
pub fn parse_country(input: &str) -> Result<String, CoreError> {
    let typed = input.trim();
    let table = iso_countries();
    // ASCII upper-casing for codes: Unicode upper-casing turns "ß" into "SS", a code nobody typed.
    let code = typed.to_ascii_uppercase();
    if table.get(&code).is_some() {
        return Ok(code);
    }
    let word = typed.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
    if let Some(code) = table.by_word.get(&word) {
        return Ok(code.clone());
    }
    Err(CoreError::Invalid(if typed.is_empty() {
        "Type your country's two-letter code, like GB, US, IE or DE, or its name.".to_owned()
    } else {
        format!(
            "\"{typed}\" isn't a country Thaw knows. Type your country's two-letter code, like GB, US, IE or DE, or its name in English."
        )
    }))
}

/// The kind note for a country that is real but has no lines listed yet (`None` otherwise), for
/// the moment someone sets it.
pub fn unlisted_note(code: &str) -> Option<String> {
    crisis_for(Some(code)).unlisted.map(|c| {
        format!(
            "Thaw doesn't have crisis lines for {} yet. If you ever need them, it will show a worldwide directory of helplines and the main line of every country it knows.",
            c.name
        )
    })
}

/// The country in a locale name such as `en_GB.UTF-8` or `de_DE@euro`; `None` for `C`, `POSIX`
/// or a bare language.
pub fn country_from_locale(locale: &str) -> Option<String> {
    let base = locale.split(['.', '@']).next().unwrap_or_default();
    let (_, region) = base.split_once(['_', '-'])?;
    // Only a two-letter region names a country, never a word that happens to be a name.
    (region.len() == 2).then(|| parse_country(region).ok()).flatten()
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
        assert_eq!(us.lines()[0].how_to_reach(), "call or text 988, chat at https://988lifeline.org");
        let ie = crisis_for(Some("IE"));
        let pieta = ie.lines().iter().find(|l| l.name == "Pieta").unwrap();
        assert_eq!(pieta.how_to_reach(), "call 1800 247 247, text HELP to 51444");
    }
}
