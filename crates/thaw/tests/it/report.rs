//! `thaw insights` and `thaw report`: every format from a vault with check-ins, releases, a
//! medicine and a PHQ-9 with item 9 at 1; overwriting refused; bad dates exit 2.

use crate::harness::{Run, Thaw};

fn vault() -> Thaw {
    let (t, _) = Thaw::init();
    for args in [
        &["checkin", "--feel", "numb:3", "--at", "2025-03-02"][..],
        &["checkin", "--feel", "sad:5", "--feel", "tired:4", "--at", "2025-03-04"],
        &["checkin", "--nothing", "--at", "2025-03-06"],
        &["checkin", "--feel", "calm:4", "--feel", "relieved:6", "--at", "2025-03-12"],
        &["release", "--kind", "teared-up", "--intensity", "4", "--at", "2025-03-08"],
        &["release", "--kind", "cried", "--intensity", "6", "--relief", "7", "--at", "2025-03-13"],
        &[
            "react",
            "--situation",
            "A hard call",
            "--intensity",
            "6",
            "--style",
            "humour",
            "--style",
            "talked",
            "--at",
            "2025-03-05",
        ],
        &[
            "activity",
            "--kind",
            "walking",
            "--minutes",
            "30",
            "--before",
            "2",
            "--after",
            "5",
            "--at",
            "2025-03-12T18:00",
        ],
        &["med", "add", "Zoloft", "--dose", "50", "--unit", "mg", "--at", "2025-02-01"],
        &["med", "dose", "sertraline", "--dose", "100", "--unit", "mg", "--at", "2025-03-07"],
        &["assess", "phq9", "--answers", "2,2,1,1,1,1,1,1,1", "--difficulty", "1", "--at", "2025-03-05"],
        &["assess", "gad7", "--answers", "1,1,1,1,1,1,1", "--at", "2025-03-05"],
        &["report", "questions", "add", "Could", "the", "dose", "affect", "crying?"],
        &["report", "questions", "add", "What else could help me feel things again?"],
    ] {
        t.run(args).ok();
    }
    t
}

fn report(t: &Thaw, format: &str, file: &str) -> Run {
    let out = t.home.path().join(file);
    t.run(&[
        "report",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-14",
        "--format",
        format,
        "-o",
        out.to_str().unwrap(),
    ])
}

#[test]
fn insights_json_and_text() {
    let t = vault();
    let v = t.run(&["insights", "--from", "2025-03-01", "--to", "2025-03-14", "--json"]).ok().json();
    let range = &v["emotional_range"];
    assert_eq!(range["distinct_emotions"], 5, "numb, sad, tired, calm, relieved: {range}");
    assert_eq!(range["checkins"], 4);
    assert_eq!(range["nothing"], 1);
    assert_eq!(range["releases"]["total"], 2);
    assert_eq!(range["releases"]["by_kind"]["cried"], 1);
    assert_eq!(v["from"], "2025-03-01");
    assert_eq!(v["period_days"], 7);
    assert_eq!(v["series"].as_array().unwrap().len(), 2);
    assert_eq!(v["reactions"]["lets_through_share"], 0.5);
    assert_eq!(v["activities"]["kinds"][0]["mean_change"], 3.0);
    assert_eq!(v["activities"]["releases_within_24h"], 1);
    assert_eq!(v["medications"]["events"][0]["event"], "dose-changed");
    assert_eq!(v["questionnaires"][0]["item9"][0]["label"], "Several days");
    let text = t.run(&["insights", "--from", "2025-03-01", "--to", "2025-03-14"]).ok().stdout;
    assert!(text.contains("Your own pattern, 2025-03-01 to 2025-03-14 (14 days)"), "{text}");
    assert!(text.contains("Different feelings named: 5"), "{text}");
    assert!(text.contains("Item 9 answered \"Several days\" on 2025-03-05"), "{text}");
    assert!(text.contains("isn't a score"), "{text}");
    // The default window is the last 14 days: nothing recorded then.
    let v = t.run(&["insights", "--json"]).ok().json();
    assert_eq!(v["days"], 14);
    assert_eq!(v["emotional_range"]["distinct_emotions"], 0);
}

#[test]
fn a_report_in_every_format() {
    let t = vault();
    let run = report(&t, "html", "summary.html").ok();
    assert!(run.stdout.contains("not encrypted"), "{}", run.stdout);
    let page = std::fs::read_to_string(t.home.path().join("summary.html")).unwrap();
    assert!(page.contains("Item 9 answered &#34;Several days&#34; on 2025-03-05"));
    assert!(page.contains("Could the dose affect crying?"));
    assert!(page.contains("sertraline (SSRI)") && page.contains("dose changed to 100 mg"));
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"));

    report(&t, "md", "summary.md").ok();
    let md = std::fs::read_to_string(t.home.path().join("summary.md")).unwrap();
    assert!(md.contains("**Item 9 answered \"Several days\" on 2025-03-05**"), "{md}");
    assert!(md.contains("| 2025-03-05 | PHQ-9 | 11 of 27 | moderate | first one |"), "{md}");

    report(&t, "fhir", "summary.json").ok();
    let bundle: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.home.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["entry"].as_array().unwrap().len(), 4, "PHQ-9 and GAD-7, each a response and a total");
    assert_eq!(bundle["entry"][1]["resource"]["valueInteger"], 11);

    let run = report(&t, "pdf", "summary.pdf").ok();
    assert!(run.stdout.contains("Saved the visit summary for 2025-03-01 to 2025-03-14"), "{}", run.stdout);
    let bytes = std::fs::read(t.home.path().join("summary.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // The JSON form says where it went; the reminder goes to standard error.
    let out = t.home.path().join("again.md");
    let run = t.run(&["report", "--format", "md", "-o", out.to_str().unwrap(), "--json"]).ok();
    assert_eq!(run.json()["format"], "md");
    assert!(run.stderr.contains("not encrypted"));
}

#[test]
fn overwriting_is_refused_without_force() {
    let t = vault();
    let path = t.home.path().join("mine.txt");
    std::fs::write(&path, "my own notes").unwrap();
    let run = report(&t, "md", "mine.txt").fails(2);
    assert!(run.stderr.contains("already exists") && run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my own notes");
    let out = path.to_str().unwrap();
    t.run(&["report", "--format", "md", "-o", out, "--force"]).ok();
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("# Visit summary"));
    let leftovers: Vec<_> = std::fs::read_dir(t.home.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".thaw-report-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

#[test]
fn bad_dates_and_usage_exit_2_and_write_nothing() {
    let t = vault();
    let out = t.home.path().join("x.html");
    let o = out.to_str().unwrap();
    for args in [
        &["report", "--from", "2025-13-01", "--format", "html", "-o", o][..],
        &["report", "--from", "2025-03-10", "--to", "2025-03-01", "--format", "html", "-o", o],
        &["report", "--to", "yesterday", "--format", "html", "-o", o],
        &["report", "--format", "docx", "-o", o],
        &["report", "--format", "html"],
        &["report", "-o", o],
        &["insights", "--from", "03/01/2025"],
        &["insights", "--from", "2025-03-10", "--to", "2025-03-01"],
    ] {
        let run = t.run(args).fails(2);
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
    assert!(!out.exists());
    let run = t.run(&["report", "--to", "2025-02-30", "--format", "html", "-o", o]).fails(2);
    assert!(run.stderr.contains("2025-03-05"), "says what a date looks like: {}", run.stderr);
    let run = t.run(&["report", "--format", "html", "-o", "/no/such/folder/x.html"]).fails(2);
    assert!(run.stderr.contains("doesn't exist"), "{}", run.stderr);
}

#[test]
fn questions_are_listed_and_removed_by_number() {
    let t = vault();
    let list = t.run(&["report", "questions", "list", "--json"]).ok().json();
    assert_eq!(
        list,
        serde_json::json!(["Could the dose affect crying?", "What else could help me feel things again?"])
    );
    let text = t.run(&["report", "questions", "list"]).ok().stdout;
    assert!(text.contains(" 1. Could the dose affect crying?"), "{text}");
    let run = t.run(&["report", "questions", "remove", "3"]).fails(2);
    assert!(run.stderr.contains("from 1 to 2"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`thaw report questions list` shows them"),
        "the CLI's own hint: {}",
        run.stderr
    );
    t.run(&["report", "questions", "remove", "1"]).ok();
    let list = t.run(&["report", "questions", "list", "--json"]).ok().json();
    assert_eq!(list, serde_json::json!(["What else could help me feel things again?"]));
    t.run(&["report", "questions", "add", "  "]).fails(2);
    // Risk language in a question: the follow-up, first, and in the JSON.
    let added =
        t.run(&["report", "questions", "add", "--json", "Is it normal that I want to end my life?"]).ok();
    let json = added.json();
    assert_eq!(json["follow_up"]["reason"], "risk_in_text", "{json}");
    assert_eq!(json["questions"].as_array().unwrap().len(), 2);
    let calm = t.run(&["report", "questions", "add", "--json", "What about sleep?"]).ok().json();
    assert!(calm["follow_up"].is_null(), "{calm}");
}
