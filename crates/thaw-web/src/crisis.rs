//! Crisis lines for the crisis page, read from `content/crisis_lines.toml` (embedded).
//!
//! A stand-in: `thaw-core` is getting the real loader (with schema tests) on another branch. When
//! it lands, this module becomes a call to it; the page template stays.

use std::sync::OnceLock;

use serde::Deserialize;

const CRISIS_TOML: &str = include_str!("../../../content/crisis_lines.toml");

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CrisisLines {
    #[serde(default, rename = "country")]
    pub countries: Vec<Country>,
    pub international: Option<Directory>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Country {
    pub code: String,
    pub name: String,
    pub emergency: Option<String>,
    #[serde(default, rename = "line")]
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Line {
    pub name: String,
    pub phone: Option<String>,
    pub text: Option<String>,
    pub text_keyword: Option<String>,
    pub chat: Option<String>,
    pub hours: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Directory {
    pub name: String,
    pub url: String,
    pub note: Option<String>,
}

impl Line {
    /// `tel:` target: digits and a leading plus only.
    pub(crate) fn tel(&self) -> Option<String> {
        self.phone.as_deref().map(dial)
    }

    pub(crate) fn sms(&self) -> Option<String> {
        self.text.as_deref().map(|t| {
            let number = dial(t);
            match &self.text_keyword {
                Some(k) => format!("{number}?body={k}"),
                None => number,
            }
        })
    }
}

fn dial(number: &str) -> String {
    number.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
}

/// The shipped lines. A file that doesn't parse shows no lines but the page still renders its
/// general advice (emergency number, the international directory is then missing too).
pub(crate) fn lines() -> &'static CrisisLines {
    static LINES: OnceLock<CrisisLines> = OnceLock::new();
    LINES.get_or_init(|| {
        toml::from_str(CRISIS_TOML).unwrap_or(CrisisLines { countries: Vec::new(), international: None })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_parses_with_lines() {
        let l = lines();
        assert!(l.countries.len() >= 5);
        assert!(l.international.is_some());
        let gb = l.countries.iter().find(|c| c.code == "GB").expect("GB");
        assert_eq!(gb.lines[0].tel().as_deref(), Some("116123"));
    }
}
