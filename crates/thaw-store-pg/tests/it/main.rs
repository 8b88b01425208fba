//! The PostgreSQL store against a throwaway cluster: the conformance story, isolation between
//! accounts (in code and by row-level security), no plaintext in a dump, and the account
//! lifecycle.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod accounts;
mod behaviour;
mod isolation;
mod plaintext;
mod schema;

use std::sync::OnceLock;

use thaw_core::meds::{Dose, DoseUnit, MedEventKind, medications};
use thaw_core::selfcheck::{Answers, selfcheck};
use thaw_core::{
    Activity, ActivityKind, CheckIn, Conversation, Felt, Intensity, JournalEntry, MedEvent, Person, Reaction,
    ReactionStyle, Record, RecordBody, Release, ReleaseKind, Timestamp, instrument,
};
use thaw_store_pg::testing::{TestCluster, TestDatabase};
use thaw_store_pg::{AccountSession, PgBackend, PgOptions, PgStore};
use thaw_vault::{KdfParams, Passphrase, RecoveryKey};

/// One cluster for the whole test binary (a database per test); stopped by its watchdog when
/// the binary exits.
fn cluster() -> &'static TestCluster {
    static CLUSTER: OnceLock<TestCluster> = OnceLock::new();
    CLUSTER.get_or_init(|| TestCluster::start().unwrap_or_else(|e| panic!("{e}")))
}

fn options() -> PgOptions {
    PgOptions { pool_size: 4, kdf: KdfParams::new(1024, 1, 1).unwrap(), ..PgOptions::default() }
}

/// A fresh migrated database and a backend connected to it as the app role.
fn backend() -> (TestDatabase, PgBackend) {
    let db = cluster().database().unwrap_or_else(|e| panic!("{e}"));
    let backend = PgBackend::connect_with(&db.app_url, options()).unwrap();
    (db, backend)
}

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text.into())
}

/// A new account and its store.
fn account(backend: &PgBackend, name: &str) -> (AccountSession, RecoveryKey, PgStore) {
    let (session, recovery) = backend.create_account(name, &pass("a good long passphrase")).unwrap();
    let store = backend.store_for(&session);
    (session, recovery, store)
}

#[test]
fn postgres_passes_the_story() {
    let (_db, backend) = backend();
    let (_session, _recovery, store) = account(&backend, "story");
    thaw_store::story::run(&store).unwrap_or_else(|e| panic!("{e}"));
}

fn i(n: u8) -> Intensity {
    Intensity::new(n).unwrap()
}

/// One record of every kind, with `m` in every free-text field (assessments and self-checks have
/// none).
fn every_kind(m: &str) -> Vec<Record> {
    let note = format!("{m} note");
    let bodies = vec![
        RecordBody::Checkin(
            CheckIn::new(
                vec![Felt { word: "hurt".into(), intensity: Some(i(5)) }],
                vec!["tight-chest".into()],
                Some(&note),
                false,
                None,
            )
            .unwrap(),
        ),
        RecordBody::Journal(
            JournalEntry::new(&format!("{m} title"), &format!("{m} body"), &[format!("{m}tag")], vec![])
                .unwrap(),
        ),
        RecordBody::Reaction(
            Reaction::new(&format!("{m} situation"), i(5), vec![ReactionStyle::Humour], vec![], Some(&note))
                .unwrap(),
        ),
        RecordBody::Activity(
            Activity::new(ActivityKind::Painting, 20, Some(&format!("{m} place")), i(2), i(4), Some(&note))
                .unwrap(),
        ),
        RecordBody::Release(
            Release::new(ReleaseKind::TearedUp, i(6), Some(&format!("{m} before")), None, None).unwrap(),
        ),
        RecordBody::Person(
            Person::new(&format!("{m}person"), Some(&format!("{m} reach")), Some(&note)).unwrap(),
        ),
        RecordBody::Conversation(
            Conversation::new(&format!("{m}person"), None, &format!("{m} how"), Some(i(7)), Some(&note))
                .unwrap(),
        ),
        RecordBody::Medication(
            MedEvent::new(
                medications().identify("sertraline").unwrap(),
                MedEventKind::Started,
                Some((Dose::parse("50", DoseUnit::Mg).unwrap(), DoseUnit::Mg)),
                Some(&note),
            )
            .unwrap(),
        ),
        RecordBody::Assessment(
            instrument("phq9").unwrap().score(&[1, 1, 1, 0, 0, 0, 0, 0, 0], None).unwrap(),
        ),
        RecordBody::SelfCheck({
            let first = selfcheck().questions().next().unwrap().id.clone();
            selfcheck().result(&Answers::from([(first, Some(1))])).unwrap()
        }),
    ];
    let now = Timestamp::now();
    bodies.into_iter().map(|b| Record::new(b, None, now)).collect()
}

/// A journal entry with this text, happening on `day` (days after 2025-01-01).
fn journal(text: &str, day: i64) -> Record {
    let at = Timestamp::from_millis(1_735_689_600_000 + day * 86_400_000).unwrap();
    Record::new(RecordBody::Journal(JournalEntry::new("t", text, &[], vec![]).unwrap()), Some(at), at)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}
