//! CSV and Markdown exports read back the way a spreadsheet or a person would.

use thaw_core::{CheckIn, Felt, JournalEntry, Record, RecordBody, Timestamp};
use thaw_io::export::{csv_tables, markdown};
use thaw_store::Store;

use crate::support::{meta, new_store};

fn at(s: &str) -> Timestamp {
    s.parse::<jiff::Timestamp>().unwrap().into()
}

fn sample() -> Vec<Record> {
    let felt = |w: &str, n: Option<u8>| Felt {
        word: w.into(),
        intensity: n.map(|n| thaw_core::Intensity::new(n).unwrap()),
    };
    let checkin = CheckIn::new(
        vec![felt("hurt", Some(6)), felt("tired", None)],
        vec![],
        Some("after the call, \"really\"\nsecond line"),
        true,
        None,
    )
    .unwrap();
    let mut entry = JournalEntry::new(
        "Sunday, late",
        "# Inside\nThe lake | grey.",
        &["a b".into(), "c".into()],
        vec!["numb".into()],
    )
    .unwrap();
    entry.starred = true;
    vec![
        Record::new(RecordBody::Journal(entry), Some(at("2025-03-05T23:30:00Z")), at("2025-03-06T00:00:00Z")),
        Record::new(
            RecordBody::Checkin(checkin),
            Some(at("2025-03-04T08:00:00Z")),
            at("2025-03-04T08:00:00Z"),
        ),
    ]
}

#[test]
fn csv_one_table_per_kind_with_local_dates_and_quoted_text() {
    let tz = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
    let tables = csv_tables(&sample(), &tz).unwrap();
    let names: Vec<String> = tables.iter().map(|t| t.file_name()).collect();
    assert_eq!(names, ["checkin.csv", "journal.csv"]);
    let bytes = tables[1].write(Vec::new()).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for spreadsheets");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "id",
            "type",
            "at",
            "local_date",
            "local_time",
            "created_at",
            "updated_at",
            "title",
            "body",
            "tags",
            "emotions",
            "starred"
        ]
    );
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[2], "2025-03-05T23:30:00Z");
    assert_eq!((&row[3], &row[4]), ("2025-03-06", "08:30"), "the local date in Tokyo");
    assert_eq!(&row[7], "Sunday, late");
    assert_eq!(&row[8], "# Inside\nThe lake | grey.");
    assert_eq!(&row[9], "a-b | c");
    assert_eq!(&row[11], "true");

    let bytes = tables[0].write(Vec::new()).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[7..], ["emotions.word", "emotions.intensity", "body", "note", "said_aloud"]);
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!((&row[7], &row[8]), ("hurt | tired", "6 | "));
    assert_eq!(&row[10], "after the call, \"really\"\nsecond line");
}

#[test]
fn markdown_dates_as_headings_oldest_first() {
    let (_dir, store) = new_store();
    store.insert_many(&sample()).unwrap();
    let records = thaw_io::ThawExport::from_store(&store, &meta("2026-01-01T00:00:00Z")).unwrap().records;
    let md = markdown(&records, &jiff::tz::TimeZone::UTC, &meta("2026-01-01T00:00:00Z"));
    let checkin = md.find("## 2025-03-04, Tuesday").unwrap();
    let journal = md.find("## 2025-03-05, Wednesday").unwrap();
    assert!(checkin < journal, "{md}");
    assert!(md.contains("### 08:00 · Check-in: hurt 6, tired · said aloud"), "{md}");
    assert!(md.contains("**Note:** after the call, \"really\"\nsecond line"), "{md}");
    assert!(
        md.contains(
            "### 23:30 · Sunday, late ★\n\n*Tags: #a-b #c · Feelings: numb*\n\n#### Inside\nThe lake | grey."
        ),
        "{md}"
    );
}
