//! content/crisis_lines.toml: at least 25 countries, each with an emergency number; every entry
//! has an https source on the service's or a government's own site and a `source_checked_on` date
//! no older than six months (by the real clock, so staleness fails the build); what people see
//! when their country is missing or unlisted.

use jiff::civil::date;
use thaw_core::safety::crisis::{
    CrisisDirectory, STALE_AFTER_MONTHS, crisis_directory, crisis_for, iso_country, parse_country,
};

#[test]
fn the_shipped_file_covers_at_least_25_countries_each_with_an_emergency_number() {
    let dir = crisis_directory();
    assert!(dir.countries.len() >= 25, "{} countries", dir.countries.len());
    for c in &dir.countries {
        assert!(iso_country(&c.code).is_some(), "{}: an ISO 3166-1 code", c.code);
        assert!(
            !c.emergency.trim().is_empty() && c.emergency.chars().all(|ch| ch.is_ascii_digit()),
            "{}: emergency number {:?}",
            c.code,
            c.emergency
        );
        assert!(!c.lines.is_empty(), "{}: a main line", c.code);
    }
    for code in
        ["US", "GB", "IE", "CA", "AU", "NZ", "IN", "MX", "ES", "BR", "PT", "FR", "DE", "JP", "ZA", "PH", "SG"]
    {
        assert!(dir.country(code).is_some(), "{code} is listed");
    }
    assert!(dir.international.url.starts_with("https://findahelpline.com"));
}

#[test]
fn every_source_is_https_on_the_services_own_site_not_news_or_a_placeholder() {
    let dir = crisis_directory();
    let sources = dir
        .countries
        .iter()
        .flat_map(|c| c.lines.iter().map(move |l| (format!("{}: {}", c.code, l.name), &l.source)))
        .chain(std::iter::once(("international".to_owned(), &dir.international.source)));
    for (what, source) in sources {
        assert!(source.starts_with("https://"), "{what}: {source}");
        let host = source["https://".len()..].split('/').next().unwrap();
        for bad in [
            "example.",
            "localhost",
            "news",
            "blog",
            "pastebin",
            "wikipedia",
            "webmd",
            "fullfact",
            "times",
            "press",
        ] {
            assert!(!host.contains(bad), "{what}: {source} looks like news, a blog or a placeholder");
        }
    }
}

/// Fails as soon as any entry's source was last checked more than six months ago (by today's real
/// date), so a stale number can't ship unnoticed: recheck it (docs/SAFETY.md) and update the date.
#[test]
fn no_entry_is_older_than_six_months() {
    let today = jiff::Zoned::now().date();
    let stale = crisis_directory().stale_entries(today);
    assert!(
        stale.is_empty(),
        "these crisis lines were last checked more than {STALE_AFTER_MONTHS} months ago; recheck each against its source (docs/SAFETY.md) and update source_checked_on:\n{}",
        stale
            .iter()
            .map(|s| format!("  {} (checked {})", s.entry, s.source_checked_on))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Not a failure: the lines confirmed only second-hand at their last check are listed so the next
/// person to recheck starts with them.
#[test]
fn list_the_entries_confirmed_second_hand() {
    for entry in crisis_directory().second_hand_entries() {
        eprintln!(
            "note: crisis line \"{entry}\" was last confirmed second-hand; recheck it against its source first"
        );
    }
}

#[test]
fn the_numbers_people_rely_on_are_there() {
    let has = |country: &str, name: &str, how: &str| {
        let r = crisis_for(Some(country));
        assert!(
            r.lines().iter().any(|l| l.name.contains(name) && l.how_to_reach().contains(how)),
            "{country}: {name} {how}"
        );
    };
    has("US", "988", "988");
    has("GB", "Samaritans", "call 116 123");
    has("GB", "Shout", "text SHOUT to 85258");
    has("IE", "Samaritans", "116 123");
    has("IE", "Pieta", "1800 247 247");
    has("CA", "9-8-8", "988");
    has("AU", "Lifeline", "13 11 14");
    has("NZ", "1737", "1737");
    has("DE", "TelefonSeelsorge", "0800 111 0 111");
    has("FR", "3114", "3114");
    has("IN", "Tele-MANAS", "14416");
    has("BR", "CVV", "188");
    has("ES", "024", "024");
    assert_eq!(crisis_for(Some("gb")).country.unwrap().emergency, "999");
    let ie = crisis_for(Some("IE"));
    let samaritans = ie.lines().iter().find(|l| l.name == "Samaritans").unwrap();
    assert!(samaritans.note.as_deref().unwrap().contains("jo@samaritans.ie"), "Ireland's own address");
    let de = crisis_for(Some("DE"));
    let note = de.lines()[0].note.as_deref().unwrap();
    assert!(note.contains("0800 111 0 222") && note.contains("116 123"), "{note}");
}

#[test]
fn countries_are_checked_against_iso_with_aliases() {
    assert_eq!(parse_country("UK").unwrap(), "GB");
    assert_eq!(parse_country("uk").unwrap(), "GB");
    assert_eq!(parse_country("EL").unwrap(), "GR");
    assert_eq!(parse_country("ireland").unwrap(), "IE");
    assert_eq!(parse_country("Scotland").unwrap(), "GB");
    assert_eq!(parse_country("is").unwrap(), "IS", "a real country with no lines is still a country");
    let err = parse_country("XX").unwrap_err().to_string();
    assert!(err.contains("\"XX\"") && err.contains("two-letter code"), "{err}");
    assert!(parse_country("").unwrap_err().to_string().contains("two-letter code"));
    assert_eq!(crisis_for(Some("UK")).country.unwrap().code, "GB");
}

#[test]
fn without_a_listed_country_every_main_line_is_shown_with_the_directory_and_emergency_advice() {
    let dir = crisis_directory();
    for country in [None, Some("IS"), Some("XX")] {
        let r = crisis_for(country);
        assert!(r.country.is_none());
        let text = r.text().join("\n");
        assert!(text.contains("call your local emergency number"), "{country:?}: {text}");
        assert!(text.contains("https://findahelpline.com"), "{country:?}: {text}");
        for c in &dir.countries {
            let main = c.main_line();
            assert!(text.contains(&c.name) && text.contains(&main.name), "{country:?}: {} missing", c.code);
        }
        assert!(text.contains("United Kingdom: Samaritans, call 116 123 (24/7). Emergency: 999."), "{text}");
        assert_eq!(r.main_lines().len(), dir.countries.len());
    }
    let iceland = crisis_for(Some("is"));
    assert_eq!(iceland.unlisted.unwrap().name, "Iceland");
    assert!(iceland.text().join("\n").contains("doesn't have lines for Iceland yet"));
    assert!(crisis_for(Some("XX")).unlisted.is_none(), "not a country at all");
    assert!(crisis_for(Some("GB")).main_lines().is_empty(), "a listed country shows its own lines");
}

const ENTRY: &str = r#"
version = 2
[[country]]
code = "GB"
name = "United Kingdom"
emergency = "999"
[[country.line]]
name = "Samaritans"
phone = "116 123"
hours = "24/7"
SOURCE
CHECKED
[international]
name = "Find A Helpline"
url = "https://findahelpline.com"
note = "A directory."
source = "https://findahelpline.com"
source_checked_on = 2026-11-25
"#;

fn entry(source: &str, checked: &str) -> String {
    ENTRY.replace("SOURCE", source).replace("CHECKED", checked)
}

#[test]
fn an_entry_without_a_real_source_or_a_date_fails() {
    let ok = entry("source = \"https://www.samaritans.org\"", "source_checked_on = 2026-11-25");
    assert!(CrisisDirectory::parse(&ok).is_ok());
    let err = CrisisDirectory::parse(&entry("", "source_checked_on = 2026-11-25")).unwrap_err();
    assert!(err.contains("source"), "{err}");
    let err = CrisisDirectory::parse(&entry("source = \"https://www.samaritans.org\"", "")).unwrap_err();
    assert!(err.contains("source_checked_on"), "{err}");
    for bad in
        ["a friend told me", "http://www.samaritans.org", "https://example.org/x", "https://news.example.com"]
    {
        let err =
            CrisisDirectory::parse(&entry(&format!("source = \"{bad}\""), "source_checked_on = 2026-11-25"))
                .unwrap_err();
        assert!(err.contains("source"), "{bad}: {err}");
    }
    let err = CrisisDirectory::parse(&entry(
        "source = \"https://somebody.blogspot.com/post\"",
        "source_checked_on = 2026-11-25",
    ))
    .unwrap_err();
    assert!(err.contains("service's own page"), "{err}");
    let err = CrisisDirectory::parse(&entry(
        "source = \"https://www.samaritans.org\"",
        "source_checked_on = \"recently\"",
    ))
    .unwrap_err();
    assert!(err.contains("source_checked_on") || err.contains("date"), "{err}");
    let old_name =
        CrisisDirectory::parse(&entry("source = \"https://www.samaritans.org\"", "verified_on = 2026-11-25"));
    assert!(old_name.is_err(), "the old, ambiguous field name is refused");
    let not_iso = ok.replace("code = \"GB\"", "code = \"UK\"");
    assert!(CrisisDirectory::parse(&not_iso).unwrap_err().contains("ISO 3166-1"));
}

#[test]
fn entries_older_than_six_months_are_stale() {
    let dir = CrisisDirectory::parse(&entry(
        "source = \"https://www.samaritans.org\"",
        "source_checked_on = 2026-05-31",
    ))
    .unwrap();
    assert!(dir.stale_entries(date(2026, 11, 30)).is_empty(), "exactly six months is still fresh");
    let stale = dir.stale_entries(date(2026, 12, 1));
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].entry, "GB: Samaritans");
    assert_eq!(stale[0].source_checked_on, date(2026, 5, 31));
    assert_eq!(dir.stale_entries(date(2027, 6, 1)).len(), 2, "the directory entry too");
}
