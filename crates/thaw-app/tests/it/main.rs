//! thaw-app's flows over a real encrypted vault: the safety follow-ups every edge shows, the
//! medicine flow's refusals, the windows, and typed settings.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod sync;

use thaw_app::followup::Reason;
use thaw_app::input::{CheckinInput, FeltInput, JournalInput};
use thaw_app::meds::{DoseText, MedEventInput, MedicationInput};
use thaw_app::settings::{self, Country, Plan};
use thaw_app::{App, AppError, Clock};
use thaw_core::safety::SafetyPlan;
use thaw_core::{RecordBody, Timestamp, instrument};
use thaw_store::{SqliteStore, Store, VaultDir};
use thaw_vault::{KdfParams, Passphrase};

fn vault() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let vault = VaultDir::new(dir.path().join("v"));
    let (store, _) = vault
        .create(&Passphrase::new("app test passphrase".into()), KdfParams::new(1024, 1, 1).unwrap())
        .unwrap();
    (dir, store)
}

fn clock() -> Clock {
    Clock::fixed(Timestamp::from_jiff("2026-06-01T12:00:00Z".parse().unwrap()), jiff::tz::TimeZone::UTC)
}

fn journal(title: &str, body: &str) -> JournalInput {
    JournalInput { title: title.into(), body: body.into(), ..JournalInput::default() }
}

const RISKY: &str = "Some nights I think everyone would be better off without me.";

#[test]
fn risky_text_brings_support_for_the_persons_country_once() {
    let (_d, store) = vault();
    settings::set::<Country>(&store, &"GB".to_owned()).unwrap();
    let app = App::new(&store, clock());
    let saved = app.journal(&journal("Tuesday", RISKY)).unwrap();
    let f = saved.follow_up.expect("risky text brings a follow-up");
    assert_eq!(f.reason, Reason::RiskInText);
    assert_eq!(f.country.as_deref(), Some("GB"));
    assert_eq!(f.crisis.country.map(|c| c.code.as_str()), Some("GB"));
    assert!(!f.message.join(" ").contains("better off without me"), "the text is never quoted back");
    let json = serde_json::to_value(app.journal(&journal("Wednesday", "A quiet walk.")).unwrap()).unwrap();
    assert!(json["follow_up"].is_null(), "a benign entry: follow_up is null, and present: {json}");
    assert_eq!(json["type"], "journal", "the record's own fields sit beside follow_up: {json}");
}

#[test]
fn an_edit_brings_support_only_for_what_it_adds() {
    let (_d, store) = vault();
    let app = App::new(&store, clock());
    let saved = app.journal(&journal("Notes", "Tired today.")).unwrap();
    assert!(saved.follow_up.is_none());
    let mut record = saved.record;
    let RecordBody::Journal(j) = &mut record.body else { panic!() };
    j.body = format!("Tired today. {RISKY}");
    let edited = app.update(record.clone()).unwrap();
    assert_eq!(edited.follow_up.map(|f| f.reason), Some(Reason::RiskInText), "the edit added risky words");
    let RecordBody::Journal(j) = &mut record.body else { panic!() };
    j.body = format!("{RISKY} Still tired.");
    assert!(app.update(record).unwrap().follow_up.is_none(), "the same words again: shown once");
}

#[test]
fn checkins_carry_the_phq9_reminder_while_it_applies() {
    let (_d, store) = vault();
    let plan = SafetyPlan { reasons: vec!["my sister".into()], ..SafetyPlan::default() };
    settings::set::<Plan>(&store, &plan).unwrap();
    let app = App::new(&store, clock()).with_locale_country(Some("IE".into()));
    let checkin = CheckinInput {
        emotions: vec![FeltInput { word: "numb".into(), intensity: Some(4) }],
        ..CheckinInput::default()
    };
    assert!(app.checkin(&checkin).unwrap().follow_up.is_none());

    let phq9 = instrument("phq9").unwrap();
    let taken = app.take_answers(phq9, &[1, 1, 1, 1, 1, 1, 1, 1, 2], Some(1), None).unwrap();
    let f = taken.follow_up.expect("item 9 above 0");
    assert_eq!(f.reason, Reason::Phq9Item9);
    assert_eq!(f.country.as_deref(), Some("IE"), "no setting: the locale's country");
    assert_eq!(f.safety_plan.as_ref().map(|p| p.reasons.clone()), Some(vec!["my sister".to_owned()]));
    assert!(f.tell_doctor);

    let after = app.checkin(&checkin).unwrap().follow_up.expect("the reminder");
    assert_eq!(after.reason, Reason::Phq9Reminder);

    let later = App::new(
        &store,
        Clock::fixed(Timestamp::from_jiff("2026-06-02T12:00:00Z".parse().unwrap()), jiff::tz::TimeZone::UTC),
    );
    assert!(later.take_answers(phq9, &[0; 9], None, None).unwrap().follow_up.is_none());
    assert!(later.checkin(&checkin).unwrap().follow_up.is_none(), "a newer PHQ-9 with item 9 at 0 ends it");
}

#[test]
fn the_reminder_finds_a_phq9_under_many_newer_questionnaires() {
    let (_d, store) = vault();
    let app = App::new(&store, clock());
    let checkin = CheckinInput {
        emotions: vec![FeltInput { word: "numb".into(), intensity: Some(4) }],
        ..CheckinInput::default()
    };
    let phq9 = instrument("phq9").unwrap();
    let who5 = instrument("who5").unwrap();
    app.take_answers(phq9, &[1, 1, 1, 1, 1, 1, 1, 1, 1], Some(1), None).unwrap();
    for day in 0..40 {
        let later = App::new(
            &store,
            Clock::fixed(
                Timestamp::from_jiff(
                    "2026-07-01T12:00:00Z".parse::<jiff::Timestamp>().unwrap()
                        + jiff::SignedDuration::from_hours(24 * day),
                ),
                jiff::tz::TimeZone::UTC,
            ),
        );
        later.take_answers(who5, &[3; 5], None, None).unwrap();
    }
    let f = app.checkin(&checkin).unwrap().follow_up;
    assert_eq!(f.map(|f| f.reason), Some(Reason::Phq9Reminder), "40 WHO-5s later, the PHQ-9 still counts");
}

#[test]
fn medicines_refuse_clearly_and_change_nothing() {
    let (_d, store) = vault();
    let app = App::new(&store, clock());
    let add = |name: &str, as_typed| MedicationInput {
        name: name.into(),
        dose: Some(DoseText::Number(50.0)),
        unit: Some("mg".into()),
        as_typed,
        ..MedicationInput::default()
    };
    assert!(matches!(app.add_medicine(&add("sertralin", false)), Err(AppError::LikelyTypo { .. })));
    assert!(app.medicines().unwrap().is_empty(), "a likely typo saves nothing");
    let added = app.add_medicine(&add("Zoloft", false)).unwrap();
    assert!(!added.restarted && !added.unknown_name);
    let pause = MedEventInput { event: "paused".into(), ..MedEventInput::default() };
    assert!(matches!(app.change_medicine("citalopram", &pause), Err(AppError::NotOnList { .. })));
    app.change_medicine("sertraline", &pause).unwrap();
    match app.change_medicine("sertraline", &pause) {
        Err(AppError::Timeline(p)) => assert!(p.message().contains("already paused"), "{p}"),
        other => panic!("{other:?}"),
    }
    let dose = MedEventInput { event: "dose-changed".into(), ..MedEventInput::default() };
    assert!(matches!(app.change_medicine("sertraline", &dose), Err(AppError::DoseNeeded { .. })));
    assert_eq!(store.count(None).unwrap(), 2, "only the two good events are saved");
}

#[test]
fn windows_have_one_default_and_one_limit() {
    let c = clock();
    let w = thaw_app::window::window(&c, None, None, thaw_app::window::REPORT_DAYS).unwrap();
    assert_eq!(w.days(), 90);
    assert!(matches!(
        thaw_app::window::window(&c, Some("2026-05-02"), Some("2026-05-01"), 14),
        Err(AppError::WindowBackwards { .. })
    ));
    assert!(matches!(
        thaw_app::window::window(&c, Some("1800-01-01"), None, 14),
        Err(AppError::WindowTooLong)
    ));
}

#[test]
fn a_damaged_setting_is_a_clear_error_and_never_hides_help() {
    let (_d, store) = vault();
    store.set_setting("safety_plan", &serde_json::json!(42)).unwrap();
    assert!(settings::get::<Plan>(&store).is_err());
    store.set_setting("country", &serde_json::json!(["not", "a", "code"])).unwrap();
    let app = App::new(&store, clock()).with_locale_country(Some("US".into()));
    let f = app.journal(&journal("t", RISKY)).unwrap().follow_up.expect("support still shown");
    assert_eq!(f.country.as_deref(), Some("US"), "an unreadable setting falls back to the locale");
    assert!(f.safety_plan.is_none());
}
