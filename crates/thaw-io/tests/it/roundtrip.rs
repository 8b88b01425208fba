//! Property tests: generated vault content (records of every kind, settings) survives export →
//! import into an empty vault → export, and backup → restore, exactly.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;
use thaw_core::meds::{Dose, DoseUnit, MedEventKind};
use thaw_core::{
    Absence, Activity, ActivityKind, Assessment, CheckIn, Conversation, Felt, Intensity, JournalEntry,
    MedEvent, Person, Reaction, ReactionStyle, Record, RecordBody, RecordId, Release, ReleaseKind,
    SelfCheckResult, Timestamp,
};
use thaw_io::import::Source;
use thaw_io::{SecretString, ThawExport, apply};
use thaw_store::Store;

use crate::support::{export_json, meta, new_store, parse};

/// Text with the awkward parts: quotes, commas, pipes, line breaks, `#` headings, any script.
fn text() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{0,24}", "[a-zé ,\"'|#\n\t<>&;]{0,24}", Just(String::new())]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn intensity() -> impl Strategy<Value = Intensity> {
    (0u8..=10).prop_map(|n| Intensity::new(n).expect("0..=10"))
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (0i64..4_102_444_800_000).prop_map(|ms| Timestamp::from_millis(ms).expect("in range"))
}

fn id() -> impl Strategy<Value = RecordId> {
    any::<u128>().prop_map(|n| RecordId::from_uuid(uuid::Uuid::from_u128(n)))
}

fn words() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(text(), 0..3)
}

/// The kinds [`body`] generates. Export, import and backup are generic over records, but these
/// tests can only generate the kinds they know.
const GENERATED: [&str; 10] = [
    "checkin",
    "journal",
    "reaction",
    "activity",
    "release",
    "person",
    "assessment",
    "medication",
    "selfcheck",
    "conversation",
];

#[test]
fn every_record_kind_is_generated() {
    let all: Vec<&str> = thaw_core::RecordKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        all, GENERATED,
        "a new record kind: add a strategy for it to `body()` in thaw-io/tests/it/roundtrip.rs so the \
         export and backup round trips cover it"
    );
}

/// One body of every kind `RecordBody` has.
fn body() -> impl Strategy<Value = RecordBody> {
    let felt =
        (text(), proptest::option::of(intensity())).prop_map(|(word, intensity)| Felt { word, intensity });
    let checkin = (
        proptest::collection::vec(felt, 0..3),
        words(),
        opt_text(),
        any::<bool>(),
        proptest::option::of(select(vec![Absence::Nothing, Absence::CantTell])),
    )
        .prop_map(|(emotions, body, note, said_aloud, absence)| {
            RecordBody::Checkin(CheckIn { emotions, body, note, said_aloud, absence })
        });
    let journal = (text(), text(), words(), words(), opt_text(), any::<bool>()).prop_map(
        |(title, body, tags, emotions, prompt, starred)| {
            RecordBody::Journal(JournalEntry { title, body, tags, emotions, prompt, starred })
        },
    );
    let reaction = (
        text(),
        intensity(),
        proptest::collection::vec(select(ReactionStyle::ALL), 0..3),
        words(),
        opt_text(),
    )
        .prop_map(|(situation, intensity, styles, felt, reflection)| {
            RecordBody::Reaction(Reaction { situation, intensity, styles, felt, reflection })
        });
    let activity = (select(ActivityKind::ALL), 1u32..=1440, opt_text(), intensity(), intensity(), opt_text())
        .prop_map(|(kind, minutes, place, before, after, note)| {
            RecordBody::Activity(Activity { kind, minutes, place, before, after, note })
        });
    let release = (
        select(ReleaseKind::ALL),
        intensity(),
        opt_text(),
        proptest::option::of(intensity()),
        proptest::option::of(id()),
    )
        .prop_map(|(kind, intensity, before, relief, linked)| {
            RecordBody::Release(Release { kind, intensity, before, relief, linked })
        });
    let person = (text(), opt_text(), opt_text())
        .prop_map(|(name, reach, note)| RecordBody::Person(Person { name, reach, note }));
    let assessment = (
        select(vec!["phq9", "gad7", "who5"]),
        proptest::collection::vec(0u8..=5, 0..10),
        proptest::option::of(0u8..=3),
        0u32..=100,
        text(),
        proptest::option::of(0u32..=100),
        proptest::option::of(0u32..=6),
    )
        .prop_map(|(instrument, answers, difficulty, total, band, percentage, two_item_total)| {
            RecordBody::Assessment(Assessment {
                instrument: instrument.to_owned(),
                answers,
                difficulty,
                total,
                band,
                percentage,
                two_item_total,
            })
        });
    let medication = (
        text(),
        opt_text(),
        opt_text(),
        opt_text(),
        select(vec![
            MedEventKind::Started,
            MedEventKind::DoseChanged,
            MedEventKind::Paused,
            MedEventKind::Stopped,
            MedEventKind::Taken,
        ]),
        proptest::option::of(select(vec!["50", "37.5", "0.125", "1000"])),
        opt_text(),
    )
        .prop_map(|(name, generic, class, atc, event, dose, note)| {
            let unit = dose.map(|_| DoseUnit::Mg);
            let dose = dose.map(|d| Dose::parse(d, DoseUnit::Mg).expect("valid dose"));
            RecordBody::Medication(MedEvent { name, generic, class, atc, event, dose, unit, note })
        });
    let selfcheck = (proptest::collection::btree_map(text(), proptest::option::of(0u8..=3), 0..4), words())
        .prop_map(|(answers, areas)| RecordBody::SelfCheck(SelfCheckResult { answers, areas }));
    let conversation =
        (text(), proptest::option::of(id()), text(), proptest::option::of(intensity()), opt_text()).prop_map(
            |(person, person_id, how, went, note)| {
                RecordBody::Conversation(Conversation { person, person_id, how, went, note })
            },
        );
    prop_oneof![
        checkin,
        journal,
        reaction,
        activity,
        release,
        person,
        assessment,
        medication,
        selfcheck,
        conversation
    ]
}

fn record() -> impl Strategy<Value = Record> {
    (id(), timestamp(), timestamp(), timestamp(), body())
        .prop_map(|(id, at, created_at, updated_at, body)| Record { id, at, created_at, updated_at, body })
}

fn setting_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
        text().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn content() -> impl Strategy<Value = (Vec<Record>, BTreeMap<String, Value>)> {
    (
        proptest::collection::vec(record(), 0..10),
        proptest::collection::btree_map("[a-z_]{1,12}", setting_value(), 0..4),
    )
}

/// A vault holding exactly this content.
fn vault_with(
    records: &[Record],
    settings: &BTreeMap<String, Value>,
) -> (tempfile::TempDir, thaw_store::SqliteStore) {
    let (dir, store) = new_store();
    assert_eq!(store.insert_many(records).unwrap(), records.len());
    for (k, v) in settings {
        store.set_setting(k, v).unwrap();
    }
    (dir, store)
}

fn without_exported_at(json: &str) -> String {
    json.lines().filter(|l| !l.trim_start().starts_with("\"exported_at\"")).collect::<Vec<_>>().join("\n")
}

fn unique(mut records: Vec<Record>) -> Vec<Record> {
    let mut seen = std::collections::HashSet::new();
    records.retain(|r| seen.insert(r.id));
    records
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn export_import_export_is_identical((records, settings) in content()) {
        let records = unique(records);
        let (_a, original) = vault_with(&records, &settings);
        let first = export_json(&original, "2026-01-01T00:00:00Z");

        let (_b, copy) = new_store();
        let report = apply(&copy, parse(Source::Thaw, &first).unwrap()).unwrap();
        prop_assert_eq!(report.total(), records.len());
        prop_assert_eq!(report.settings_imported, settings.len());
        prop_assert!(report.unmapped.is_empty());
        let second = export_json(&copy, "2026-02-02T00:00:00Z");
        prop_assert_ne!(&first, &second, "exported_at differs");
        prop_assert_eq!(without_exported_at(&first), without_exported_at(&second));

        // Importing again changes nothing.
        let again = apply(&copy, parse(Source::Thaw, &first).unwrap()).unwrap();
        prop_assert_eq!((again.total(), again.skipped_duplicates), (0, records.len()));
        prop_assert_eq!(without_exported_at(&export_json(&copy, "2026-03-03T00:00:00Z")), without_exported_at(&first));
    }

    #[test]
    fn backup_then_restore_is_identical((records, settings) in content()) {
        let records = unique(records);
        let (_a, original) = vault_with(&records, &settings);
        let doc = ThawExport::from_store(&original, &meta("2026-01-01T00:00:00Z")).unwrap();
        let file = thaw_io::backup::write_backup(&doc, SecretString::from("correct horse".to_owned()), Some(4), Vec::new()).unwrap();
        let restored = thaw_io::backup::read_backup(&file[..], SecretString::from("correct horse".to_owned())).unwrap();
        prop_assert_eq!(&restored, &doc);

        let (_b, copy) = new_store();
        apply(&copy, thaw_io::import::thaw::plan_of(restored).unwrap()).unwrap();
        prop_assert_eq!(
            without_exported_at(&export_json(&copy, "2026-05-05T00:00:00Z")),
            without_exported_at(&export_json(&original, "2026-01-01T00:00:00Z"))
        );
    }
}
