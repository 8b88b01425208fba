//! Shared by every target: run an importer on arbitrary text and check what it promises — no
//! panic, and every record it returns is one Thaw could have made (the core's limits hold) and
//! survives a JSON round trip.

use jiff::tz::TimeZone;
use thaw_core::record::{MAX_BODY, MAX_NOTE, MAX_SHORT};
use thaw_core::{Record, RecordBody};
use thaw_io::ImportError;
use thaw_io::import::{Context, ImportPlan};

pub fn run(data: &[u8], parse: impl Fn(&str, &Context<'_>) -> Result<ImportPlan, ImportError>) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // A zone with daylight saving, so skipped and repeated local times are exercised.
    let tz = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").expect("valid POSIX zone");
    let ctx = Context { vocab: thaw_core::vocabulary(), tz: &tz };
    let Ok(plan) = parse(text, &ctx) else { return };
    for record in &plan.records {
        check(record);
    }
    let mut ids: Vec<_> = plan.records.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), plan.records.len(), "ids are unique within a plan");
}

fn check(record: &Record) {
    let chars = |s: &str| s.chars().count();
    match &record.body {
        RecordBody::Journal(j) => {
            assert!(!j.title.trim().is_empty() && chars(&j.title) <= MAX_SHORT, "title {:?}", j.title);
            assert!(chars(&j.body) <= MAX_BODY);
        }
        RecordBody::Checkin(c) => {
            assert!(!c.emotions.is_empty() || c.absence.is_some(), "a check-in names something");
            assert!(c.note.as_deref().is_none_or(|n| chars(n) <= MAX_NOTE));
            for felt in &c.emotions {
                assert!(thaw_core::vocabulary().lookup(&felt.word).is_some(), "{} is a word", felt.word);
            }
        }
        RecordBody::Activity(a) => assert!((1..=24 * 60).contains(&a.minutes)),
        _ => {}
    }
    let json = serde_json::to_string(record).expect("records serialize");
    let back: Record = serde_json::from_str(&json).expect("and read back");
    assert_eq!(&back, record);
}
