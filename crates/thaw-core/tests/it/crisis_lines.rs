//! content/crisis_lines.toml: every entry has a source and a verified_on date; the numbers the
//! clinical reference gives are there; entries older than six months are reported.

use jiff::civil::date;
use thaw_core::safety::crisis::{CrisisDirectory, crisis_directory, crisis_for};

#[test]
fn the_shipped_file_loads_with_sources_and_dates() {
    let dir = crisis_directory();
    assert!(dir.countries.len() >= 9);
    for c in &dir.countries {
        for l in &c.lines {
            assert!(l.source.starts_with("http"), "{} {}: source", c.code, l.name);
            assert!(l.verified_on >= date(2026, 1, 1), "{} {}: verified_on", c.code, l.name);
        }
    }
    assert!(dir.international.url.contains("findahelpline.com"));
}

#[test]
fn the_numbers_from_the_clinical_reference_are_there() {
    let has = |country: &str, name: &str, how: &str| {
        let r = crisis_for(Some(country));
        assert!(
            r.lines().iter().any(|l| l.name.contains(name) && l.how_to_reach().contains(how)),
            "{country}: {name} {how}"
        );
    };
    has("US", "988", "988");
    has("GB", "Samaritans", "call 116 123");
    has("GB", "Shout", "text 85258");
    has("IE", "Samaritans", "116 123");
    has("IE", "Pieta", "1800 247 247");
    has("CA", "9-8-8", "988");
    has("AU", "Lifeline", "13 11 14");
    has("NZ", "1737", "1737");
    has("DE", "TelefonSeelsorge", "0800 111 0 111");
    has("FR", "3114", "3114");
    has("IN", "Tele-MANAS", "14416");
    assert_eq!(crisis_for(Some("gb")).country.unwrap().emergency, "999");
    assert!(crisis_for(Some("XX")).country.is_none());
    assert!(crisis_for(None).country.is_none());
}

const ENTRY: &str = r#"
version = 1
[[country]]
code = "GB"
name = "United Kingdom"
emergency = "999"
[[country.line]]
name = "Samaritans"
phone = "116 123"
hours = "24/7"
SOURCE
VERIFIED
[international]
name = "Find A Helpline"
url = "https://findahelpline.com"
note = "A directory."
source = "https://example.org/source"
verified_on = 2026-11-25
"#;

fn entry(source: &str, verified: &str) -> String {
    ENTRY.replace("SOURCE", source).replace("VERIFIED", verified)
}

#[test]
fn an_entry_without_a_source_or_date_fails() {
    let ok = entry("source = \"https://example.org\"", "verified_on = 2026-11-25");
    assert!(CrisisDirectory::parse(&ok).is_ok());
    let err = CrisisDirectory::parse(&entry("", "verified_on = 2026-11-25")).unwrap_err();
    assert!(err.contains("source"), "{err}");
    let err = CrisisDirectory::parse(&entry("source = \"https://example.org\"", "")).unwrap_err();
    assert!(err.contains("verified_on"), "{err}");
    let err = CrisisDirectory::parse(&entry("source = \"a friend told me\"", "verified_on = 2026-11-25"))
        .unwrap_err();
    assert!(err.contains("source"), "{err}");
    let err =
        CrisisDirectory::parse(&entry("source = \"https://example.org\"", "verified_on = \"recently\""))
            .unwrap_err();
    assert!(err.contains("verified_on") || err.contains("date"), "{err}");
}

#[test]
fn entries_older_than_six_months_are_stale() {
    let dir = CrisisDirectory::parse(&entry("source = \"https://example.org\"", "verified_on = 2026-05-31"))
        .unwrap();
    assert!(dir.stale_entries(date(2026, 11, 30)).is_empty(), "exactly six months is still fresh");
    let stale = dir.stale_entries(date(2026, 12, 1));
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].entry, "GB: Samaritans");
    assert_eq!(stale[0].verified_on, date(2026, 5, 31));
    assert_eq!(dir.stale_entries(date(2027, 6, 1)).len(), 2, "the directory entry too");
}

/// Warns (doesn't fail) when the shipped entries need checking again: they must be re-verified
/// against each service's own site before every release.
#[test]
fn warn_about_stale_entries_today() {
    let today = jiff::Zoned::now().date();
    for s in crisis_directory().stale_entries(today) {
        eprintln!(
            "warning: crisis line \"{}\" was last verified on {}; re-verify it before the next release",
            s.entry, s.verified_on
        );
    }
}
