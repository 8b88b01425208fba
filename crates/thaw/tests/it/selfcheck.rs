//! `thaw selfcheck`: the template, answers files, results and history.

use crate::harness::Thaw;

#[test]
fn the_template_lists_every_question_and_parses_back() {
    let t = Thaw::new();
    let template = t.run(&["selfcheck", "--template"]).ok().stdout;
    for key in ["shame-stigma-1", "medication-2", "childhood-1", "trauma-loss-3", "medical-3"] {
        assert!(template.contains(&format!("{key} = \"\"")), "{key}");
    }
    assert!(template.contains("# Would you feel embarrassed if someone saw you cry?"), "{template}");
    assert!(template.contains("0 = Not at all"), "the scale is explained");
    assert!(template.contains("Optional."), "sensitive areas are announced");
    assert!(!t.vault().exists());
}

#[test]
fn an_answers_file_gives_areas_that_may_apply() {
    let (t, _) = Thaw::init();
    let file = t.home.path().join("answers.toml");
    std::fs::write(&file, "medication-1 = 3\nmedical-3 = \"2\"\nchildhood-1 = \"\"\nshame-stigma-1 = 1\n")
        .unwrap();
    let path = file.to_str().unwrap();
    let run = t.run(&["selfcheck", "--answers-file", path]).ok();
    assert!(run.stdout.contains("2 areas may apply"), "{}", run.stdout);
    assert!(run.stdout.contains("Medication") && run.stdout.contains("Health conditions"), "{}", run.stdout);
    assert!(run.stdout.contains("thaw med list"), "names the matching commands: {}", run.stdout);
    assert!(run.stdout.contains("not a diagnosis"), "{}", run.stdout);
    assert!(!run.stdout.contains("Shame"), "below the threshold: {}", run.stdout);

    let json = t.run(&["selfcheck", "--answers-file", path, "--json"]).ok().json();
    let areas = json["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 2);
    assert_eq!(areas[0]["id"], "medication");
    assert_eq!(areas[0]["title"], "Medication");
    assert!(areas[0]["explanation"].as_str().unwrap().contains("Goodwin"));
    assert!(!areas[0]["next_steps"].as_array().unwrap().is_empty());
    assert_eq!(areas[0]["features"][0], "med");
    assert_eq!(areas[0]["commands"][0], "thaw med list");
    assert!(json["not_a_diagnosis"].as_str().unwrap().contains("not a diagnosis"));
    assert_eq!(json["answers"]["childhood-1"], serde_json::Value::Null);
    assert_eq!(json["answers"]["medical-3"], 2);

    // From standard input, with nothing that stands out.
    let run = t.run_stdin(&["selfcheck", "--answers-file", "-"], "medication-1 = 1\n").ok();
    assert!(run.stdout.contains("None of the areas stood out"), "{}", run.stdout);
    assert!(run.stdout.contains("not a diagnosis"), "{}", run.stdout);

    let history = t.run(&["selfcheck", "list", "--json"]).ok().json();
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 3, "every run is kept");
    assert_eq!(history[0]["type"], "selfcheck");
    assert_eq!(history[0]["areas"], serde_json::json!([]));
    assert_eq!(history[1]["areas"], serde_json::json!(["medication", "medical"]));
    let lines = t.run(&["selfcheck", "list"]).ok().stdout;
    assert!(lines.contains("may apply: Medication, Health conditions"), "{lines}");
    assert!(lines.contains("no area stood out"), "{lines}");
}

#[test]
fn bad_answers_name_the_key_and_save_nothing() {
    let (t, _) = Thaw::init();
    let before = t.snapshot();
    let file = t.home.path().join("answers.toml");
    let cases = [
        ("medication-1 = 4\n", "\"medication-1\""),
        ("medication-1 = -1\n", "\"medication-1\""),
        ("medication-1 = \"often\"\n", "\"medication-1\""),
        ("medicaton-1 = 2\n", "\"medicaton-1\""),
        ("favourite-colour = 2\n", "\"favourite-colour\""),
        ("medication-1 = \"\"\n", "skipped"),
        ("medication-1 = = 2\n", "--template"),
    ];
    for (text, expect) in cases {
        std::fs::write(&file, text).unwrap();
        let run = t.run(&["selfcheck", "--answers-file", file.to_str().unwrap()]).fails(2);
        assert!(run.stderr.contains(expect), "{text}: {}", run.stderr);
    }
    let run = t.run(&["selfcheck", "--answers-file", "/nonexistent/answers.toml"]).fails(2);
    assert!(run.stderr.contains("--template"), "{}", run.stderr);
    let run = t.run(&["selfcheck"]).fails(2);
    assert!(run.stderr.contains("--answers-file"), "without a terminal, says how: {}", run.stderr);
    t.run(&["selfcheck", "--template", "--answers-file", "x"]).fails(2);
    assert_eq!(t.snapshot(), before);
    assert!(t.run(&["selfcheck", "list", "--json"]).ok().json().as_array().unwrap().is_empty());
}

#[test]
fn many_areas_show_the_strongest_three_and_fold_the_rest() {
    let (t, _) = Thaw::init();
    let answers =
        "shame-stigma-1 = 2\nmedication-1 = 2\ngender-norms-1 = 2\nmedical-1 = 3\nanxiety-judgement-1 = 3\n";
    let run = t.run_stdin(&["selfcheck", "--answers-file", "-"], answers).ok();
    let out = &run.stdout;
    assert!(out.contains("5 areas may apply to you. These 3 stood out most"), "{out}");
    let worry = out.find("\nWorry about being judged\n").expect("a 3 comes first");
    let health = out.find("\nHealth conditions\n").expect("the other 3");
    let shame = out.find("\nShame and what's expected of adults\n").expect("then the first 2");
    assert!(worry < health && health < shame, "strongest first, ties in the content's order: {out}");
    assert!(!out.contains("\nMedication\n"), "folded away: {out}");
    assert!(out.contains("Also worth a look another time: Medication, Ideas about gender."), "{out}");
    assert!(out.contains("To see them in full: thaw selfcheck show "), "{out}");
    // `show` unfolds everything.
    let id = t.run(&["selfcheck", "list", "--json"]).ok().json()[0]["id"].as_str().unwrap().to_owned();
    let shown = t.run(&["selfcheck", "show", &id[id.len() - 8..]]).ok().stdout;
    assert!(shown.contains("\nMedication\n") && shown.contains("\nIdeas about gender\n"), "{shown}");
    assert!(shown.contains("5 areas may apply to you, the ones that stood out most first"), "{shown}");
    let json = t.run(&["selfcheck", "show", &id, "--json"]).ok().json();
    assert_eq!(json["areas"][0]["id"], "anxiety-judgement");
    assert_eq!(json["areas"][2]["stands_out"], true);
    assert_eq!(json["areas"][3]["stands_out"], false);
    t.run(&["selfcheck", "show", "zzzz"]).fails(2);
}
