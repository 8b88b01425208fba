//! Each importer on fixture files written from the published formats, including the awkward
//! cases; re-imports add nothing; malformed files name their line or field and change nothing.

use thaw_core::{Absence, ActivityKind, Record, RecordBody, RecordKind};
use thaw_io::import::Source;
use thaw_io::{ImportError, apply};
use thaw_store::Store;

use crate::support::{by_title, fixture, new_store, parse};

fn checkins(records: &[Record]) -> Vec<&thaw_core::CheckIn> {
    records.iter().filter_map(|r| if let RecordBody::Checkin(c) = &r.body { Some(c) } else { None }).collect()
}

fn words(c: &thaw_core::CheckIn) -> Vec<&str> {
    c.emotions.iter().map(|f| f.word.as_str()).collect()
}

fn journal(r: &Record) -> &thaw_core::JournalEntry {
    match &r.body {
        RecordBody::Journal(j) => j,
        other => panic!("not a journal entry: {other:?}"),
    }
}

#[test]
fn jrnl_text_titles_times_stars_and_tags() {
    let plan = parse(Source::Jrnl, &fixture("jrnl.txt")).unwrap();
    assert_eq!(plan.records.len(), 5);
    let woke = by_title(&plan.records, "Woke up early.");
    assert_eq!(woke.at.rfc3339(), "2025-03-05T07:40:00Z");
    let j = journal(woke);
    assert!(j.body.starts_with("Couldn't get back to sleep. @sleep\nThe light"), "{}", j.body);
    assert_eq!(j.tags, ["sleep", "work"]);
    assert!(!j.starred);

    let walk = by_title(&plan.records, "Evening walk with Sam");
    assert_eq!(walk.at.rfc3339(), "2025-03-05T19:40:00Z", "07:40:00 PM is 19:40");
    assert!(journal(walk).starred);
    assert_eq!(journal(walk).tags, ["walk", "sam"]);
    assert!(journal(walk).body.contains("\n\nDidn't cry"), "blank lines inside an entry stay");

    let cafe = by_title(&plan.records, "Café notes — ünïcödé and \"quotes\", commas, too");
    assert_eq!(cafe.at.rfc3339(), "2025-03-06T10:15:00Z");
    assert_eq!(journal(cafe).body, "[x] a line in square brackets stays text\n  indented line");

    assert_eq!(by_title(&plan.records, "Just a date").at.rfc3339(), "2025-03-07T09:00:00Z", "jrnl's 09:00");
    let untitled = by_title(&plan.records, "Untitled");
    assert_eq!(journal(untitled).body, "An entry without a title line.");
    assert!(plan.report.mapped.iter().any(|m| m.from == "an entry without a title"));
    assert!(plan.report.mapped.iter().any(|m| m.from == "starred entries" && m.count == 1));
    assert!(plan.report.mapped.iter().any(|m| m.from == "tag @sam" && m.to == "tag sam"));
}

#[test]
fn jrnl_json_and_text_give_the_same_ids_so_nothing_doubles() {
    let (_dir, store) = new_store();
    let text = apply(&store, parse(Source::Jrnl, &fixture("jrnl.txt")).unwrap()).unwrap();
    assert_eq!(text.imported["journal"], 5);
    let json = apply(&store, parse(Source::Jrnl, &fixture("jrnl.json")).unwrap()).unwrap();
    assert_eq!(json.imported.get("journal"), Some(&1), "only the entry the text file doesn't have");
    assert_eq!(json.skipped_duplicates, 2);
    assert_eq!(store.count(None).unwrap(), 6);
    let again = apply(&store, parse(Source::Jrnl, &fixture("jrnl.json")).unwrap()).unwrap();
    assert_eq!(again.total(), 0);
    assert_eq!(again.skipped_duplicates, 3);
    assert_eq!(store.count(None).unwrap(), 6);
}

#[test]
fn jrnl_json_fields() {
    let plan = parse(Source::Jrnl, &fixture("jrnl.json")).unwrap();
    let grief = by_title(&plan.records, "Grief, still");
    assert_eq!(grief.at.rfc3339(), "2025-03-09T23:59:00Z");
    assert!(journal(by_title(&plan.records, "Evening walk with Sam")).starred);
    assert!(plan.report.unmapped.is_empty(), "the tag counts match the entries: {:?}", plan.report.unmapped);
}

#[test]
fn daylio_rows_become_checkins_with_words_activities_and_notes() {
    let (_dir, store) = new_store();
    let plan = parse(Source::Daylio, &fixture("daylio.csv")).unwrap();
    assert_eq!(plan.report.skipped_duplicates, 1, "the repeated row");
    let report = apply(&store, plan.clone()).unwrap();
    assert_eq!(report.imported["checkin"], 6);
    assert_eq!(report.imported["activity"], 4);

    let at = |r: &Record| r.at.rfc3339();
    let checkin_at = |time: &str| {
        plan.records
            .iter()
            .find(|r| r.kind() == RecordKind::Checkin && at(r) == time)
            .and_then(|r| if let RecordBody::Checkin(c) = &r.body { Some(c) } else { None })
            .unwrap_or_else(|| panic!("no check-in at {time}"))
    };
    let concert = checkin_at("2025-03-07T21:05:00Z");
    assert_eq!(words(concert), ["joyful"], "rad");
    let note = concert.note.as_deref().unwrap();
    assert_eq!(
        note,
        "Concert\n\nSang along, loud. Felt something & nearly cried.\nSecond line\nThird \"quoted\" line\n\nActivities: friends, movies / tv"
    );
    assert_eq!(words(checkin_at("2025-03-07T07:40:00Z")), ["indifferent"], "meh");
    let awful = checkin_at("2025-03-06T21:05:00Z");
    assert_eq!(words(awful), ["heavy"]);
    assert!(awful.note.as_deref().unwrap().contains("just \"flat\", like always. ☁️\n\nActivities: work"));
    let unknown = checkin_at("2025-03-05T00:00:00Z");
    assert!(unknown.emotions.is_empty());
    assert_eq!(unknown.absence, Some(Absence::CantTell));
    assert!(unknown.note.as_deref().unwrap().contains("Daylio mood: super duper"));
    assert_eq!(words(checkin_at("2025-03-05T08:15:00Z")), ["anxious"], "a custom label that is a word");
    let birthday = checkin_at("2025-03-04T18:30:00Z");
    assert_eq!(
        birthday.note.as_deref(),
        Some("Émile's birthday\n\nCake, candles, <3 — and a card: \u{1F382}")
    );

    let kinds: Vec<ActivityKind> = plan
        .records
        .iter()
        .filter_map(|r| if let RecordBody::Activity(a) = &r.body { Some(a.kind) } else { None })
        .collect();
    for kind in [ActivityKind::Music, ActivityKind::Exercise, ActivityKind::Walking, ActivityKind::Painting] {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
    let gym = plan.records.iter().find_map(|r| match &r.body {
        RecordBody::Activity(a) if a.kind == ActivityKind::Exercise => Some(a),
        _ => None,
    });
    let gym = gym.unwrap();
    assert_eq!((gym.minutes, gym.before.get(), gym.after.get()), (30, 5, 5));
    assert!(gym.note.as_deref().unwrap().contains("placeholders"));

    let mapped = |from: &str| plan.report.mapped.iter().find(|m| m.from == from).map(|m| m.to.clone());
    assert_eq!(mapped("mood \"rad\"").as_deref(), Some("joyful"));
    assert_eq!(mapped("mood \"good\"").as_deref(), Some("content"));
    assert!(mapped("activity \"gym\"").unwrap().contains("exercise"));
    assert_eq!(mapped("activity \"reading\"").as_deref(), Some("kept in the check-in's note"));
    let unmapped = &plan.report.unmapped;
    assert!(
        unmapped.iter().any(|u| u.what == "mood \"super duper\"" && u.first_at == "line 6"),
        "{unmapped:?}"
    );

    // Searchable: the note text is found by full-text search.
    let hits =
        store.search(&thaw_store::SearchQuery { text: "candles".into(), kinds: vec![], limit: 5 }).unwrap();
    assert_eq!(hits.len(), 1);

    let again = apply(&store, parse(Source::Daylio, &fixture("daylio.csv")).unwrap()).unwrap();
    assert_eq!(again.total(), 0, "re-import adds nothing");
    assert_eq!(again.skipped_duplicates, 11);
}

#[test]
fn daylio_old_seven_column_export() {
    let plan = parse(Source::Daylio, &fixture("daylio_old.csv")).unwrap();
    let c = checkins(&plan.records);
    assert_eq!(c.len(), 2);
    let first = plan.records.iter().find(|r| r.kind() == RecordKind::Checkin).unwrap();
    assert_eq!(first.at.rfc3339(), "2019-03-27T20:39:00Z");
    assert!(words(c[0]).contains(&"irritable"));
    assert!(
        plan.records
            .iter()
            .any(|r| matches!(&r.body, RecordBody::Activity(a) if a.kind == ActivityKind::Singing))
    );
}

#[test]
fn day_one_entries() {
    let plan = parse(Source::DayOne, &fixture("dayone.json")).unwrap();
    assert_eq!(plan.records.len(), 2);
    let grey = by_title(&plan.records, "A grey morning. Again!");
    assert_eq!(grey.at.rfc3339(), "2025-03-05T07:40:00Z");
    assert_eq!(grey.updated_at.rfc3339(), "2025-03-05T09:00:00Z");
    let j = journal(grey);
    assert!(j.starred);
    assert_eq!(j.tags, ["grief", "family-time"]);
    assert!(j.body.starts_with("I felt *nothing* at the funeral"));
    assert!(j.body.contains("dayone-moment://1A2B3C"), "photo references stay in the text");
    assert!(
        by_title(&plan.records, "Short one, no heading, with ünïcödé.")
            .at
            .rfc3339()
            .starts_with("2025-03-06T21:15:30")
    );
    let unmapped: Vec<&str> = plan.report.unmapped.iter().map(|u| u.what.as_str()).collect();
    for what in
        ["entries with photos", "entries with a location", "entries with weather", "an entry without text"]
    {
        assert!(unmapped.contains(&what), "{what} in {unmapped:?}");
    }
    let photos = plan.report.unmapped.iter().find(|u| u.what == "entries with photos").unwrap();
    assert_eq!((photos.count, photos.first_at.as_str()), (2, "entries[0]"));
}

#[test]
fn pixels_days() {
    let plan = parse(Source::Pixels, &fixture("pixels.json")).unwrap();
    let c = checkins(&plan.records);
    assert_eq!(c.len(), 4);
    assert_eq!(plan.records[0].at.rfc3339(), "2025-03-05T12:00:00Z", "noon on the day");
    assert_eq!(words(c[0]), ["content", "happy", "tired"]);
    let note = c[0].note.as_deref().unwrap();
    assert!(note.starts_with("Walked in the sun. ☀️ Felt \"okay\", really."), "{note}");
    assert!(note.contains("Pixels score: 4 (of 5)"));
    assert!(note.contains("Emotions: grumpy-ish"));
    assert!(note.contains("Activities: walk, reading"));
    assert_eq!(words(c[1]), ["heavy", "down"]);
    assert_eq!(words(c[2]), ["numb"]);
    assert_eq!(c[3].absence, Some(Absence::CantTell), "score 7 is off the scale");
    let unmapped: Vec<&str> = plan.report.unmapped.iter().map(|u| u.what.as_str()).collect();
    assert!(unmapped.contains(&"emotion \"grumpy-ish\"") && unmapped.contains(&"score 7"), "{unmapped:?}");
}

#[test]
fn malformed_files_name_the_line_or_field_and_change_nothing() {
    let (_dir, store) = new_store();
    apply(&store, parse(Source::Jrnl, &fixture("jrnl.json")).unwrap()).unwrap();
    let before =
        thaw_io::ThawExport::from_store(&store, &crate::support::meta("2026-01-01T00:00:00Z")).unwrap();
    let line = |source, name: &str| match parse(source, &fixture(name)) {
        Err(ImportError::Line { line, message }) => (line, message),
        other => panic!("{name}: expected a line error, got {other:?}"),
    };
    let field = |source, name: &str| match parse(source, &fixture(name)) {
        Err(ImportError::Field { path, message }) => (path, message),
        other => panic!("{name}: expected a field error, got {other:?}"),
    };
    let (n, message) = line(Source::Daylio, "daylio_bad_row.csv");
    assert_eq!(n, 4);
    assert!(message.contains("double quotes"), "{message}");
    let (n, message) = line(Source::Daylio, "daylio_bad_time.csv");
    assert_eq!(n, 3);
    assert!(message.contains("25:61"), "{message}");
    assert_eq!(line(Source::Jrnl, "jrnl_bad_date.txt").0, 4);
    assert_eq!(line(Source::Jrnl, "jrnl_leading_text.txt").0, 1);
    assert_eq!(field(Source::Jrnl, "jrnl_bad.json").0, "entries[1].date");
    assert_eq!(field(Source::DayOne, "dayone_bad.json").0, "entries[1].creationDate");
    assert_eq!(field(Source::Pixels, "pixels_bad.json").0, "[1].scores[0]");
    match parse(Source::Daylio, "not,a,daylio\n1,2,3\n") {
        Err(ImportError::Line { line: 1, message }) => {
            assert!(message.contains("mood") || message.contains("time"))
        }
        other => panic!("{other:?}"),
    }
    for (source, text) in [
        (Source::Jrnl, "{\"entries\": [oops]}"),
        (Source::DayOne, "[]"),
        (Source::Pixels, "{\"nope\": 1}"),
        (Source::Thaw, "{\"format\": \"something-else\"}"),
        (Source::Thaw, "age-encryption.org/v1\n-> scrypt"),
        (Source::DayOne, "PK\u{3}\u{4}rest"),
        (Source::Jrnl, ""),
        (Source::Daylio, ""),
    ] {
        assert!(parse(source, text).is_err(), "{source:?}: {text}");
    }
    let after =
        thaw_io::ThawExport::from_store(&store, &crate::support::meta("2026-01-01T00:00:00Z")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn thaw_export_errors_point_at_the_record() {
    let text = r#"{"format":"thaw-export","version":1,"exported_at":"2026-01-01T00:00:00Z","app_version":"x",
        "settings":{},"records":[{"id":"01a21452-b0b1-7223-9612-0a187093edbb","at":"2026-01-01T00:00:00Z",
        "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","type":"hologram"}]}"#;
    match parse(Source::Thaw, text) {
        Err(ImportError::Field { path, message }) => {
            assert_eq!(path, "records[0]");
            assert!(message.contains("newer version of Thaw"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let newer = text.replace("\"version\":1", "\"version\":2");
    match parse(Source::Thaw, &newer) {
        Err(ImportError::Field { path, message }) => {
            assert_eq!(path, "version");
            assert!(message.contains("newer version"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn thaw_import_keeps_ids_and_leaves_existing_settings_alone() {
    let (_a, source) = new_store();
    apply(&source, parse(Source::Daylio, &fixture("daylio.csv")).unwrap()).unwrap();
    source.set_setting("country", &serde_json::json!("GB")).unwrap();
    source.set_setting("personal_words", &serde_json::json!([])).unwrap();
    let json = crate::support::export_json(&source, "2026-01-01T00:00:00Z");

    let (_b, target) = new_store();
    target.set_setting("country", &serde_json::json!("IE")).unwrap();
    let report = apply(&target, parse(Source::Thaw, &json).unwrap()).unwrap();
    assert_eq!(report.total(), 10);
    assert_eq!(report.settings_imported, 1, "personal_words");
    assert!(report.unmapped.iter().any(|u| u.what == "setting \"country\""), "{:?}", report.unmapped);
    assert_eq!(target.setting("country").unwrap(), Some(serde_json::json!("IE")));
    let again = apply(&target, parse(Source::Thaw, &json).unwrap()).unwrap();
    assert_eq!((again.total(), again.skipped_duplicates), (0, 10));
}
