//! Everyday comforts: completions and the man page, the gentle reminder, and family names that
//! match the screens.

use crate::harness::Thaw;

#[test]
fn completions_and_the_man_page_come_from_the_command_definition() {
    let t = Thaw::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = t.run(&["completions", shell]).ok();
        assert!(run.stdout.contains("checkin") && run.stdout.contains("remind"), "{shell}: {}", run.stdout);
    }
    let run = t.run(&["completions", "tcsh"]).fails(2);
    assert!(run.stderr.contains("bash"), "{}", run.stderr);
    let man = t.run(&["man"]).ok();
    assert!(man.stdout.starts_with(".ie") || man.stdout.contains(".TH thaw"), "{}", man.stdout);
    assert!(man.stdout.contains("checkin") && man.stdout.contains("THAW_VAULT"));
    assert!(!t.vault().exists(), "no vault needed, none made");
}

#[test]
fn a_reminder_makes_a_calendar_file_and_a_desktop_timer_and_goes_away_when_asked() {
    let (t, _) = Thaw::init();
    let shown = t.run(&["remind", "show", "--json"]).ok().json();
    assert_eq!(shown, serde_json::json!({"time": null, "days": [], "ics": null}));

    let run = t.run(&["remind", "set", "20:00", "--days", "mon,thu"]).ok();
    assert!(run.stdout.contains("on mon and thu at 20:00"), "{}", run.stdout);
    assert!(!run.stdout.to_lowercase().contains("miss"), "{}", run.stdout);
    let shown = t.run(&["remind", "show", "--json"]).ok().json();
    assert_eq!(
        (shown["time"].as_str(), shown["days"].clone()),
        (Some("20:00"), serde_json::json!(["mon", "thu"]))
    );
    let ics_path = std::path::PathBuf::from(shown["ics"].as_str().unwrap());
    let ics = std::fs::read_to_string(&ics_path).unwrap();

    // A calendar parser reads it back: one event, repeating on those days, at that time.
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = calendars.next().expect("a calendar").expect("it parses");
    assert_eq!(calendar.events.len(), 1);
    let event = &calendar.events[0];
    let prop = |name: &str| {
        event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default()
    };
    assert_eq!(prop("RRULE"), "FREQ=WEEKLY;BYDAY=MO,TH");
    assert!(prop("DTSTART").ends_with("T200000"), "{}", prop("DTSTART"));
    assert!(prop("DESCRIPTION").contains("If you'd like"), "{}", prop("DESCRIPTION"));
    assert_eq!(event.alarms.len(), 1);

    // The systemd units, checked by systemd itself where it is installed.
    let units = t.home.path().join(".config/systemd/user");
    let timer = std::fs::read_to_string(units.join("thaw-reminder.timer")).unwrap();
    assert!(timer.contains("OnCalendar=Mon,Thu *-*-* 20:00:00"), "{timer}");
    let service = std::fs::read_to_string(units.join("thaw-reminder.service")).unwrap();
    assert!(service.contains("notify-send") && !service.contains("a calm lake"), "{service}");
    if let Ok(out) = std::process::Command::new("systemd-analyze")
        .args(["--user", "verify"])
        .arg(units.join("thaw-reminder.timer"))
        .arg(units.join("thaw-reminder.service"))
        .env("HOME", t.home.path())
        .output()
    {
        let said = String::from_utf8_lossy(&out.stderr);
        let problems: Vec<&str> = said
            .lines()
            .filter(|l| l.contains("thaw-reminder"))
            .filter(|l| !l.contains("Failed to connect") && !l.contains("bus"))
            .collect();
        assert!(problems.is_empty(), "systemd-analyze verify:\n{said}");
    }

    let bad = t.run(&["remind", "set", "25:00"]).fails(2);
    assert!(bad.stderr.contains("like 20:00"), "{}", bad.stderr);
    assert_eq!(t.run(&["remind", "show", "--json"]).ok().json()["time"], "20:00", "unchanged");

    let run = t.run(&["remind", "off"]).ok();
    assert!(run.stdout.contains("No more reminders"), "{}", run.stdout);
    assert!(!ics_path.exists() && !units.join("thaw-reminder.timer").exists());
    assert_eq!(t.run(&["remind", "show", "--json"]).ok().json()["time"], serde_json::Value::Null);
}

#[test]
fn families_go_by_the_names_on_the_screens() {
    let (t, _) = Thaw::init();
    let angry = t.run(&["words", "--family", "angry"]).ok();
    let mad = t.run(&["words", "--family", "mad"]).ok();
    assert_eq!(angry.stdout, mad.stdout);
    assert!(angry.stdout.contains("Angry, annoyed, fed up"), "{}", angry.stdout);
    let numb = t.run(&["words", "--family", "numb"]).ok();
    assert!(numb.stdout.contains("Numb, flat, far away"), "{}", numb.stdout);
    let bad = t.run(&["words", "--family", "purple"]).fails(2);
    assert!(bad.stderr.contains("angry") && bad.stderr.contains("numb"), "{}", bad.stderr);
}

#[test]
fn a_word_from_a_family_title_is_understood() {
    let (t, _) = Thaw::init();
    let run = t.run(&["checkin", "--feel", "warm:6", "--json"]).ok();
    assert!(run.stdout.contains("\"loving\""), "{}", run.stdout);
}
