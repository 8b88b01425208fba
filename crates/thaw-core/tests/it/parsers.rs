//! Property tests for everything a person types that thaw-core parses (the CLI's flags and the web
//! app's fields both end here): any text gives a value or an error with a message, never a panic;
//! valid input round-trips; invalid input is refused.

use proptest::prelude::*;
use thaw_core::ids::IdRef;
use thaw_core::meds::{Dose, DoseUnit};
use thaw_core::record::{ActivityKind, Intensity, ReactionStyle, ReleaseKind};
use thaw_core::safety::crisis::{all_iso_countries, iso_country};
use thaw_core::settings::{IdleLock, parse_country};
use thaw_core::time::{parse_at, parse_date};
use thaw_core::vocab::Family;
use thaw_core::{CoreError, Timestamp, instruments, vocabulary};

/// Text people might type, and text nobody would: any Unicode, digits and signs, huge numbers.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        any::<String>(),
        "[ \t]{0,2}[-+]?[0-9]{0,25}([.,][0-9]{0,6})?[ \t]{0,2}",
        "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?",
        "[a-zA-Z' _-]{0,20}",
        "[0-9a-fA-F-]{0,40}",
    ]
}

#[track_caller]
fn explained<T: std::fmt::Debug>(r: &Result<T, CoreError>) {
    if let Err(e) = r {
        assert!(!e.to_string().trim().is_empty(), "an error without a message: {e:?}");
    }
}

fn now() -> Timestamp {
    Timestamp::from_jiff("2026-06-01T12:00:00Z".parse().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_is_parsed_or_explained(text in typed()) {
        let utc = jiff::tz::TimeZone::UTC;
        let dst = jiff::tz::TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap();
        explained(&Intensity::parse(&text, "Intensity"));
        explained(&ReactionStyle::parse(&text));
        explained(&ActivityKind::parse(&text));
        explained(&ReleaseKind::parse(&text));
        explained(&Family::parse(&text));
        explained(&DoseUnit::parse(&text));
        for unit in DoseUnit::ALL {
            explained(&Dose::parse(&text, *unit));
        }
        explained(&IdRef::parse(&text));
        explained(&parse_at(&text, &utc, now()));
        explained(&parse_at(&text, &dst, now()));
        explained(&parse_date(&text));
        explained(&parse_country(&text));
        explained(&IdleLock::parse(&text));
        for inst in instruments() {
            explained(&inst.parse_answers(&text));
        }
        let vocab = vocabulary();
        explained(&vocab.resolve(&text).map(|e| e.word.clone()));
        explained(&vocab.resolve_sensation(&text).map(|s| s.id.clone()));
    }

    #[test]
    fn intensities_in_range_round_trip(n in 0u8..=10, pad in "[ \t]{0,3}") {
        let typed = format!("{pad}{n}{pad}");
        prop_assert_eq!(Intensity::parse(&typed, "Intensity").unwrap().get(), n);
    }

    #[test]
    fn intensities_out_of_range_are_refused(n in prop_oneof![11i128..=i128::MAX, i128::MIN..0]) {
        let err = Intensity::parse(&n.to_string(), "Intensity").unwrap_err();
        prop_assert!(err.to_string().contains("Intensity"), "{}", err);
    }

    #[test]
    fn choices_round_trip_by_id_and_label(i in 0usize..64, upper in any::<bool>()) {
        let case = |s: &str| if upper { s.to_uppercase() } else { s.to_owned() };
        let style = ReactionStyle::ALL[i % ReactionStyle::ALL.len()];
        prop_assert_eq!(ReactionStyle::parse(&case(style.id())).unwrap(), style);
        prop_assert_eq!(ReactionStyle::parse(&case(style.label())).unwrap(), style);
        let kind = ActivityKind::ALL[i % ActivityKind::ALL.len()];
        prop_assert_eq!(ActivityKind::parse(&format!(" {} ", case(kind.id()))).unwrap(), kind);
        prop_assert_eq!(ActivityKind::parse(&case(kind.label())).unwrap(), kind);
        let release = ReleaseKind::ALL[i % ReleaseKind::ALL.len()];
        prop_assert_eq!(ReleaseKind::parse(&case(release.id())).unwrap(), release);
        prop_assert_eq!(ReleaseKind::parse(&case(release.label())).unwrap(), release);
        let unit = DoseUnit::ALL[i % DoseUnit::ALL.len()];
        prop_assert_eq!(DoseUnit::parse(&case(unit.id())).unwrap(), unit);
    }

    #[test]
    fn doses_round_trip_through_their_text(whole in 0u32..2000, millis in 0u32..1000, i in 0usize..16) {
        let unit = DoseUnit::ALL[i % DoseUnit::ALL.len()];
        let typed = format!("{whole}.{millis:03}");
        match Dose::parse(&typed, unit) {
            Ok(dose) => {
                let again = Dose::parse(&dose.to_string(), unit).unwrap();
                prop_assert_eq!(again, dose);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        if whole == 0 && millis == 0 {
            prop_assert!(Dose::parse(&typed, unit).is_err(), "a dose of nothing is refused");
        }
        prop_assert!(Dose::parse(&format!("{whole}.{millis:03}1"), unit).is_err(), "four decimals are refused");
    }

    #[test]
    fn dates_round_trip(y in 1i16..=9999, m in 1i8..=12, d in 1i8..=28) {
        let date = jiff::civil::date(y, m, d);
        prop_assert_eq!(parse_date(&date.to_string()).unwrap(), date);
        prop_assert_eq!(parse_date(&format!("  {date} ")).unwrap(), date);
    }

    #[test]
    fn past_times_round_trip_and_far_futures_are_refused(secs in 0i64..1_780_000_000, ahead in 2i64..100_000) {
        let ts = jiff::Timestamp::from_second(secs).unwrap();
        let back = parse_at(&ts.to_string(), &jiff::tz::TimeZone::UTC, now()).unwrap();
        prop_assert_eq!(back.as_jiff(), ts);
        let future = now().as_jiff() + jiff::SignedDuration::from_hours(24 * ahead);
        prop_assert!(parse_at(&future.to_string(), &jiff::tz::TimeZone::UTC, now()).is_err());
    }

    #[test]
    fn id_refs_accept_hex_of_four_to_thirty_two_digits(hex in "[0-9a-fA-F]{0,40}") {
        let r = IdRef::parse(&hex);
        prop_assert_eq!(r.is_ok(), (4..=32).contains(&hex.len()), "{}", hex);
        if let Ok(r) = r {
            prop_assert_eq!(r.as_hex(), hex.to_ascii_lowercase());
        }
    }

    #[test]
    fn questionnaire_answers_round_trip(i in 0usize..8, seed in any::<u64>(), extra in 1usize..4) {
        let inst = &instruments()[i % instruments().len()];
        let max = u64::from(inst.max_answer()) + 1;
        let answers: Vec<u8> = (0..inst.items.len())
            .map(|k| u8::try_from((seed >> (k % 32)).wrapping_add(k as u64) % max).unwrap())
            .collect();
        let typed: Vec<String> = answers.iter().map(u8::to_string).collect();
        prop_assert_eq!(inst.parse_answers(&typed.join(",")).unwrap(), answers.clone());
        prop_assert_eq!(inst.parse_answers(&typed.join(" ")).unwrap(), answers.clone());
        let mut too_many = typed.clone();
        too_many.extend(std::iter::repeat_n("0".to_owned(), extra));
        prop_assert!(inst.parse_answers(&too_many.join(",")).is_err());
        let mut out_of_range = typed;
        out_of_range[seed as usize % answers.len()] = (u64::from(inst.max_answer()) + 1 + seed % 200).to_string();
        prop_assert!(inst.parse_answers(&out_of_range.join(",")).is_err());
    }

    #[test]
    fn every_word_resolves_however_it_is_typed(i in 0usize..1000, upper in any::<bool>()) {
        let vocab = vocabulary();
        let e = &vocab.emotions()[i % vocab.emotions().len()];
        let typed = if upper { format!("  {} ", e.word.to_uppercase()) } else { e.word.clone() };
        prop_assert_eq!(&vocab.resolve(&typed).unwrap().word, &e.word);
        let s = &vocab.sensations()[i % vocab.sensations().len()];
        prop_assert_eq!(&vocab.resolve_sensation(&s.id).unwrap().id, &s.id);
    }

    #[test]
    fn countries_are_iso_codes_aliases_or_names(i in 0usize..1000, lower in any::<bool>(), other in "\\PC{0,6}") {
        let all: Vec<_> = all_iso_countries().collect();
        let c = all[i % all.len()];
        let typed = if lower { c.code.to_lowercase() } else { c.code.clone() };
        prop_assert_eq!(parse_country(&format!(" {typed} ")).unwrap(), c.code.clone());
        prop_assert_eq!(parse_country(&c.name.to_lowercase()).unwrap(), c.code.clone());
        // Unicode upper-casing used to turn "ß" into "SS" (South Sudan), accepted as a code.
        for odd in ["ß", "ﬀ", "ǆ", "ǳ"] {
            prop_assert!(parse_country(odd).is_err(), "{}", odd);
        }
        // Whatever is accepted is a real ISO 3166-1 country.
        if let Ok(code) = parse_country(&other) {
            prop_assert!(iso_country(&code).is_some(), "{:?} gave {}", other, code);
        }
    }
}
