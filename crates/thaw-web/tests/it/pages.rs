//! The pages, driven like a person without JavaScript: links and forms.

use crate::harness::{Client, PASS, TestServer, start};

/// Every page that exists now, reachable once unlocked.
const PAGES: &[&str] = &[
    "/",
    "/checkin",
    "/checkin/body",
    "/checkin/words?v=0&e=4",
    "/checkin/words?family=absence",
    "/journal",
    "/journal/new",
    "/journal/new?prompt=noticing-1",
    "/journal/prompts",
    "/search",
    "/react",
    "/release",
    "/activity",
    "/people",
    "/settings",
    "/assess",
    "/assess/phq9",
    "/assess/gad7",
    "/assess/who5",
    "/safety",
    "/guide",
    "/meds",
    "/selfcheck",
    "/insights",
    "/report",
    "/crisis",
];

fn has_crisis_link(body: &str) -> bool {
    body.contains("<a class=\"crisis-link\" href=\"/crisis\">")
}

#[test]
fn every_page_answers_after_unlocking_with_the_crisis_link() {
    let s = start();
    let c = Client::unlocked(&s);
    for page in PAGES {
        let r = c.get(page);
        assert_eq!(r.status, 200, "{page}: {}", r.body);
        assert!(has_crisis_link(&r.body), "{page} has no crisis link");
        assert!(r.body.contains("<main id=\"main\""), "{page}: skip link target");
        assert!(r.body.contains("name=\"_csrf\""), "{page}: forms carry the token");
        assert!(r.header("content-type").unwrap().starts_with("text/html"), "{page}");
    }
    // The error and locked pages have it too.
    assert!(has_crisis_link(&c.get("/journal/not-an-id").status(404).body));
    let locked = Client::browser(&s);
    locked.form("/lock", &[]).status(303);
    assert!(has_crisis_link(&locked.get("/unlock").status(200).body));
    assert!(has_crisis_link(&locked.get("/crisis").status(200).body), "crisis lines while locked");
}

#[test]
fn locked_pages_send_you_to_unlock_and_back() {
    let s = start();
    let c = Client::browser(&s);
    for page in PAGES.iter().filter(|p| **p != "/crisis") {
        let r = c.get(page).status(303);
        assert!(r.header("location").unwrap().starts_with("/unlock?next="), "{page}");
    }
}

/// Follows a 303 and returns the page it leads to.
fn follow(c: &Client, r: crate::harness::Resp) -> crate::harness::Resp {
    assert_eq!(r.status, 303, "{}", r.body);
    c.get(r.header("location").unwrap())
}

#[test]
fn a_check_in_from_the_plane_to_the_sentence() {
    let s = start();
    let c = Client::unlocked(&s);
    let start = c.get("/checkin").status(200).text();
    assert!(start.contains("href=\"/checkin/words?v=0&e=4\""), "25 squares: {start}");
    assert_eq!(start.matches("href=\"/checkin/words?v=").count(), 25);
    assert!(start.contains("I feel nothing") && start.contains("I can't tell"));
    let words = c.get("/checkin/words?v=0&e=1").status(200).body;
    assert!(words.contains("type=\"checkbox\"") && words.contains("name=\"word\""));
    let intensity = c.form("/checkin/intensity", &[("word", "hurt"), ("word", "sad")]).status(200).body;
    assert!(intensity.contains("How strong is “hurt”?"), "{intensity}");
    assert!(intensity.contains("name=\"intensity.sad\""));
    let sentence = c
        .form(
            "/checkin/sentence",
            &[("word", "hurt"), ("word", "sad"), ("intensity.hurt", "6"), ("body", "tight-chest")],
        )
        .status(200)
        .body;
    assert!(sentence.contains("I feel hurt and sad."), "{sentence}");
    assert!(sentence.contains("I said it"));
    let saved = follow(
        &c,
        c.form(
            "/checkin",
            &[
                ("word", "hurt"),
                ("word", "sad"),
                ("intensity.hurt", "6"),
                ("intensity.sad", ""),
                ("body", "tight-chest"),
                ("said_aloud", "yes"),
                ("note", "after the call"),
            ],
        ),
    )
    .status(200)
    .body;
    assert!(saved.contains("I feel hurt and sad."), "{saved}");
    assert!(saved.contains("6 of 10") && saved.contains("tight chest") && saved.contains("after the call"));
    assert!(saved.contains("You said it aloud"));
    let list = Client::script(&s).get("/api/v1/checkins").json();
    assert_eq!(list[0]["emotions"][0]["intensity"], 6);
    assert!(list[0]["emotions"][1].get("intensity").is_none());
    assert_eq!(list[0]["said_aloud"], true);
    assert!(c.get("/").body.contains("I feel hurt and sad."), "today's check-ins on the home page");
}

#[test]
fn nothing_and_cant_tell_are_answers_and_the_body_is_a_start() {
    let s = start();
    let c = Client::unlocked(&s);
    let page = c.form("/checkin/sentence", &[("absence", "nothing")]).status(200).body;
    assert!(page.contains("I feel nothing right now."), "{page}");
    follow(&c, c.form("/checkin", &[("absence", "nothing"), ("body", "nothing-at-all")])).status(200);
    follow(&c, c.form("/checkin", &[("absence", "cant-tell")])).status(200);
    let body = c.get("/checkin/body").status(200).body;
    assert!(body.contains("lump in the throat"));
    let r = c.form("/checkin/words", &[("body", "lump-in-throat")]).status(422);
    assert!(r.body.contains("family"), "asks for a family, keeps the ticks: {}", r.body);
    assert!(r.body.contains("value=\"lump-in-throat\" checked"));
    let words = c.form("/checkin/words", &[("body", "lump-in-throat"), ("family", "sad")]).status(200).body;
    assert!(words.contains("name=\"body\" value=\"lump-in-throat\""), "the body choice is carried");
    let empty = c.form("/checkin/intensity", &[]).status(200).text();
    assert!(empty.contains("Not finding the word is part of this."));
    let list = Client::script(&s).get("/api/v1/checkins").json();
    assert_eq!(list[0]["absence"], "cant-tell");
    assert_eq!(list[1]["absence"], "nothing");
    assert_eq!(list[1]["body"][0], "nothing-at-all");
}

#[test]
fn bad_check_in_input_is_explained_and_saves_nothing() {
    let s = start();
    let c = Client::unlocked(&s);
    c.get("/checkin/words?v=9&e=0").status(422);
    c.get("/checkin/words?family=grumpy").status(422);
    c.form("/checkin/intensity", &[("word", "angyr")]).status(422);
    let r = c.form("/checkin", &[("word", "hurt"), ("intensity.hurt", "11")]).status(422);
    assert!(r.body.contains("0 to 10"), "{}", r.body);
    let r = c.form("/checkin", &[("word", "hurt"), ("at", "2999-01-01T10:00")]).status(422);
    assert!(r.body.contains("future"), "{}", r.body);
    c.form("/checkin", &[]).status(422);
    assert_eq!(Client::script(&s).get("/api/v1/checkins").json().as_array().unwrap().len(), 0);
}

fn journal_entry(c: &Client, title: &str, body: &str) -> String {
    let r = c
        .form("/journal", &[("title", title), ("body", body), ("tags", "Sunday, quiet"), ("feel", "tired")])
        .status(303);
    let location = r.header("location").unwrap().to_owned();
    location.split('?').next().unwrap().to_owned()
}

#[test]
fn the_journal_lists_shows_edits_and_deletes() {
    let s = start();
    let c = Client::unlocked(&s);
    let empty = c.get("/journal").status(200).body;
    assert!(empty.contains("Nothing here yet"));
    let path = journal_entry(&c, "Sunday", "# A heading\n\nI walked **slowly**.");
    let view = c.get(&path).status(200).body;
    assert!(view.contains("<h1>Sunday</h1>"));
    assert!(view.contains("<h2>A heading</h2>") && view.contains("<strong>slowly</strong>"), "{view}");
    assert!(view.contains("#sunday") && view.contains("tired"));
    let list = c.get("/journal").body;
    assert!(list.contains("Sunday") && list.contains(&format!("href=\"{path}\"")));
    let tagged = c.form("/journal/tagged", &[("tag", "quiet")]).status(200).body;
    assert!(tagged.contains("Entries tagged #quiet") && tagged.contains(&format!("href=\"{path}\"")));
    assert!(!c.form("/journal/tagged", &[("tag", "other")]).body.contains(&format!("href=\"{path}\"")));
    assert!(!list.contains("?tag="), "tags stay out of addresses");
    // Edit.
    let form = c.get(&format!("{path}/edit")).status(200).body;
    assert!(form.contains("I walked **slowly**."));
    let r = c.form(
        &format!("{path}/edit"),
        &[("title", "Sunday evening"), ("body", "Changed."), ("tags", "sunday"), ("feel", "")],
    );
    let view = follow(&c, r).status(200).body;
    assert!(view.contains("Sunday evening") && view.contains("Changed."));
    let bad = c.form(&format!("{path}/edit"), &[("title", " "), ("body", "x")]).status(422);
    assert!(bad.text().contains("can't be empty"), "{}", bad.body);
    // Delete, with confirmation first.
    let confirm = c.get(&format!("{path}/delete")).status(200).body;
    assert!(confirm.contains("Delete this entry?") && confirm.contains("Sunday evening"));
    let r = c.form(&format!("{path}/delete"), &[]).status(303);
    assert_eq!(r.header("location"), Some("/journal?deleted=1"));
    c.get(&path).status(404);
}

#[test]
fn prompts_are_offered_on_a_new_entry_shown_while_writing_and_kept_out_of_the_text() {
    let s = start();
    let c = Client::unlocked(&s);
    let new = c.get("/journal/new").status(200).body;
    assert!(new.contains("Not sure where to start?"), "{new}");
    assert_eq!(new.matches("href=\"/journal/new?prompt=").count(), 3, "three starters: {new}");
    let all = c.get("/journal/prompts").status(200).body;
    let every = thaw_core::prompts::prompts().all().count();
    assert_eq!(all.matches("href=\"/journal/new?prompt=").count(), every, "every prompt: {all}");
    // A heavy prompt shows its warning first, on the list and above the text.
    let heavy = thaw_core::prompts::prompts().all().map(|(_, p)| p).find(|p| p.is_heavy()).unwrap();
    let writing = c.get(&format!("/journal/new?prompt={}", heavy.id)).status(200).body;
    let warning = writing.find(heavy.warning.trim().split('\'').next().unwrap()).expect("warning shown");
    let text = writing.find("Your prompt:").expect("the prompt shown");
    assert!(warning < text, "the warning comes first");
    assert!(!writing.contains("Not sure where to start?"), "no starters once a prompt is chosen");
    // Saving keeps which prompt it answered, never its words in the entry.
    let r = c
        .form("/journal", &[("title", "Prompted"), ("body", "my own words"), ("prompt", "noticing-1")])
        .status(303);
    let view = c.get(r.header("location").unwrap().split('?').next().unwrap()).status(200).body;
    assert!(view.contains("my own words"), "{view}");
    let entries = Client::script(&s).get("/api/v1/journal").status(200).json();
    assert_eq!(entries[0]["prompt"], "noticing-1");
    assert_eq!(entries[0]["body"], "my own words");
    // An unknown prompt id is ignored, not an error.
    let unknown = c.get("/journal/new?prompt=no-such-prompt").status(200).body;
    assert!(!unknown.contains("Your prompt:"));
}

#[test]
fn journal_markdown_is_shown_safely() {
    let s = start();
    let c = Client::unlocked(&s);
    let path = journal_entry(
        &c,
        "<script>alert('t')</script>",
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n![cat](http://example.com/c.png)\n\n[x](javascript:alert(3))",
    );
    let view = c.get(&path).status(200).body;
    assert!(!view.contains("<script>alert"), "{view}");
    assert!(!view.contains("<img src=x"), "{view}");
    assert!(!view.contains("http://example.com"), "no remote images: {view}");
    assert!(!view.contains("href=\"javascript:"), "{view}");
    assert!(view.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{view}");
}

#[test]
fn search_is_posted_and_finds_every_kind() {
    let s = start();
    let c = Client::unlocked(&s);
    journal_entry(&c, "Lake", "The water was very still today.");
    follow(
        &c,
        c.form(
            "/react",
            &[("situation", "Still water at the lake"), ("intensity", "4"), ("style", "humour")],
        ),
    )
    .status(200);
    let r = c.form("/search", &[("q", "still")]).status(200).body;
    assert!(r.contains("2 matches"), "{r}");
    let r = c.form("/search", &[("q", "still"), ("kind", "journal")]).status(200).body;
    assert!(r.contains("One match") && r.contains("Lake"), "{r}");
    assert!(c.form("/search", &[("q", "nothinglikethis")]).body.contains("Nothing found"));
    assert!(c.form("/search", &[("q", "\"*(:")]).status == 200, "odd input is harmless");
}

#[test]
fn reactions_releases_activities_and_people() {
    let s = start();
    let c = Client::unlocked(&s);
    let r = follow(
        &c,
        c.form(
            "/react",
            &[
                ("situation", "Bad news at work"),
                ("intensity", "7"),
                ("style", "humour"),
                ("style", "felt-it"),
                ("felt", "scared, hurt"),
                ("reflection", "I laughed it off"),
            ],
        ),
    )
    .status(200)
    .body;
    assert!(r.contains("You let some of it through"), "{r}");
    assert!(r.contains("Bad news at work"));
    let r = c
        .form("/react", &[("situation", "x"), ("intensity", "7"), ("style", "humour"), ("felt", "angyr")])
        .status(422);
    assert!(
        r.body.contains("angry") && r.body.contains("Bad news") && r.body.contains("value=\"angyr\""),
        "suggests, keeps input"
    );
    c.form("/react", &[("situation", "x"), ("intensity", "7")]).status(422);

    let r = follow(
        &c,
        c.form(
            "/activity",
            &[("kind", "walking"), ("minutes", "30"), ("place", "the park"), ("before", "3"), ("after", "5")],
        ),
    )
    .status(200)
    .body;
    assert!(r.contains("walking") && r.contains("the park"), "{r}");
    assert!(r.contains("<option value=\"the park\">"), "the place is offered again");
    c.form("/activity", &[("kind", "walking"), ("minutes", "0"), ("before", "3"), ("after", "5")])
        .status(422);
    c.form("/activity", &[("kind", "flying"), ("minutes", "10"), ("before", "3"), ("after", "5")])
        .status(422);

    let activity_id =
        Client::script(&s).get("/api/v1/activities").json()[0]["id"].as_str().unwrap().to_owned();
    let release_page = c.get("/release").body;
    assert!(release_page.contains(&activity_id), "recent records can be linked");
    let r = follow(
        &c,
        c.form(
            "/release",
            &[
                ("kind", "teared-up"),
                ("intensity", "4"),
                ("before", "an old song"),
                ("relief", "6"),
                ("linked", &activity_id),
            ],
        ),
    )
    .status(200)
    .body;
    assert!(r.contains("teared up") && r.contains("somewhere to go"), "{r}");
    let release = &Client::script(&s).get("/api/v1/releases").json()[0];
    assert_eq!(release["linked"], activity_id.as_str());
    c.form("/release", &[("kind", "teared-up"), ("intensity", "")]).status(422);

    let r = follow(&c, c.form("/people", &[("name", "Robin"), ("reach", "phone")])).status(200).body;
    assert!(r.contains("Robin") && r.contains("phone"));
    c.form("/people", &[("name", "  ")]).status(422);
}

#[test]
fn settings_change_the_idle_time_and_the_crisis_country() {
    let s: TestServer = start();
    let c = Client::unlocked(&s);
    let page = c.get("/settings").body;
    assert!(page.contains("value=\"15\""), "default 15 minutes: {page}");
    follow(&c, c.form("/settings", &[("idle_minutes", "30"), ("country", "GB")])).status(200);
    assert_eq!(Client::script(&s).get("/api/v1/status").json()["idle_lock_minutes"], 30);
    let crisis = c.get("/crisis").body;
    let mine = crisis.find("Your country").expect("own country first");
    assert!(crisis[mine..].find("United Kingdom").unwrap() < crisis[mine..].find("United States").unwrap());
    assert!(crisis.contains("href=\"tel:116123\""), "tap to call");
    for bad in [("0", "GB"), ("241", "GB"), ("x", "GB"), ("15", "Narnia"), ("15", "XX")] {
        c.form("/settings", &[("idle_minutes", bad.0), ("country", bad.1)]).status(422);
    }
    follow(&c, c.form("/settings", &[("idle_minutes", "10"), ("country", "")])).status(200);
    assert!(!c.get("/crisis").body.contains("Your country"));
}

#[test]
fn crisis_page_uses_the_shared_lines_with_the_directory_last() {
    let s = start();
    let c = Client::unlocked(&s);
    let page = c.get("/crisis").status(200).body;
    assert!(has_crisis_link(&page));
    assert!(page.contains("call your local emergency number"), "no country: the general sentence");
    assert!(page.contains("id=\"anywhere\""), "the international directory");
    assert!(page.contains("href=\"sms:51444?body=HELP\""), "tap to text with the keyword");
    follow(&c, c.form("/settings", &[("idle_minutes", "15"), ("country", "GB")])).status(200);
    let page = c.get("/crisis").body;
    assert!(page.contains("If you are in immediate danger, call 999"), "{page}");
    let mine = page.find("Your country").expect("own country first");
    assert!(page[mine..].find("id=\"anywhere\"").is_some(), "the directory is still there");
}

fn phq9_fields(answers: [&'static str; 9]) -> Vec<(String, &'static str)> {
    answers.iter().enumerate().map(|(i, a)| (format!("q{}", i + 1), *a)).collect()
}

#[test]
fn a_questionnaire_has_the_exact_wording_and_shows_its_result() {
    let s = start();
    let c = Client::unlocked(&s);
    let form = c.get("/assess/phq9").status(200).body;
    assert!(has_crisis_link(&form));
    assert!(form.contains("<legend>1. Little interest or pleasure in doing things</legend>"), "{form}");
    assert!(form.contains(">More than half the days</label>"));
    assert!(form.contains("name=\"q9\""));
    // A missing answer keeps the others.
    let mut fields = phq9_fields(["1", "1", "0", "0", "0", "0", "0", "0", "0"]);
    fields.pop();
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let again = c.form("/assess/phq9", &f).status(422).body;
    assert!(again.contains("Question 9"), "{again}");
    assert!(again.contains("id=\"q1-1\" name=\"q1\" value=\"1\" required checked"));
    let fields = phq9_fields(["1", "1", "0", "0", "0", "0", "0", "0", "0"]);
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let result = c.form("/assess/phq9", &f).status(200).body;
    assert!(has_crisis_link(&result));
    assert!(result.contains("Total: 2 of 27"), "{result}");
    assert!(result.contains("PHQ-2"), "two-item total");
    assert!(result.contains("This is your first PHQ-9"));
    assert!(!result.contains("Support, if you want it"), "item 9 at 0: no follow-up");
    let f: Vec<(&str, &str)> =
        fields.iter().map(|(k, v)| (k.as_str(), if *k == "q3" { "3" } else { *v })).collect();
    let second = c.form("/assess/phq9", &f).body;
    assert!(second.contains("3 more than last time"), "{second}");
    assert!(c.get("/assess").body.contains("Questionnaire"));
}

#[test]
fn phq9_item9_above_0_shows_crisis_lines_right_after_the_answers() {
    let s = start();
    let c = Client::unlocked(&s);
    follow(&c, c.form("/settings", &[("idle_minutes", "15"), ("country", "GB")])).status(200);
    let fields = phq9_fields(["0", "0", "0", "0", "0", "0", "0", "0", "1"]);
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let page = c.form("/assess/phq9", &f).status(200).body;
    assert!(page.contains("href=\"/safety\""), "no plan yet: where to write one");
    follow(&c, c.form("/safety", &[("reasons", "my niece")])).status(200);
    let fields = phq9_fields(["0", "0", "0", "0", "0", "0", "0", "0", "1"]);
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let page = c.form("/assess/phq9", &f).status(200).body;
    let answers = page.find("Your answers").unwrap();
    let support = page.find("Support, if you want it").expect("the follow-up");
    let result = page.find("What the answers add up to").unwrap();
    assert!(support < answers && support < result, "support first, above the recap");
    assert!(page.contains("href=\"tel:116123\""), "the person's country's lines");
    assert!(page.contains("my niece"), "their safety plan");
    assert!(!page.contains("role=\"alert\""), "calm, not an alarm");
}

#[test]
fn the_safety_plan_is_written_one_line_an_entry_and_kept_like_the_cli() {
    let s = start();
    let c = Client::unlocked(&s);
    let empty = c.get("/safety").status(200).body;
    assert!(has_crisis_link(&empty));
    assert!(empty.contains("You haven't written a safety plan yet"));
    assert_eq!(empty.matches("<textarea").count(), 7, "one box a section");
    let saved = follow(
        &c,
        c.form(
            "/safety",
            &[("warning_signs", "I stop answering messages\n\n  I sleep all day  "), ("reasons", "my niece")],
        ),
    )
    .status(200)
    .body;
    assert!(saved.contains("Saved your safety plan."));
    assert!(saved.contains("<li>I sleep all day</li>"), "trimmed, blank lines dropped: {saved}");
    assert!(saved.contains("I stop answering messages\nI sleep all day</textarea>"));
    let long: String = (0..60).map(|n| format!("reason {n}\n")).collect();
    let bad = c.form("/safety", &[("reasons", long.as_str())]).status(422).body;
    assert!(bad.contains("the limit is 50"), "{bad}");
    assert!(bad.contains("reason 59"), "what was typed stays");
}

#[test]
fn the_guide_lists_its_pages_and_draws_them() {
    let s = start();
    let c = Client::unlocked(&s);
    let list = c.get("/guide").status(200).body;
    assert!(has_crisis_link(&list));
    let at = list.find("href=\"/guide/").expect("a page");
    let href = &list[at + 6..];
    let href = &href[..href.find('"').unwrap()];
    let page = c.get(href).status(200).body;
    assert!(has_crisis_link(&page));
    assert!(page.contains("class=\"prose\""), "{page}");
    c.get("/guide/no-such-page").status(404);
}

#[test]
fn risk_language_in_a_journal_entry_or_a_check_in_note_brings_support_on_the_same_page() {
    let s = start();
    let c = Client::unlocked(&s);
    let heavy = journal_entry(&c, "Tonight", "Some nights I just want to die.");
    let view = c.get(&format!("{heavy}?saved=1")).status(200).body;
    assert!(view.contains("Support, if you want it") && view.contains("href=\"/crisis\""), "{view}");
    assert!(view.contains("saved, just as you wrote it"), "{view}");
    // Read again later, the entry is just the entry.
    assert!(!c.get(&heavy).body.contains("Support, if you want it"));
    let plain = journal_entry(&c, "Walk", "A slow walk by the river.");
    assert!(!c.get(&format!("{plain}?saved=1")).body.contains("Support, if you want it"));
    // A check-in's note.
    let saved = follow(&c, c.form("/checkin", &[("word", "numb"), ("note", "I want to kill myself")]))
        .status(200)
        .body;
    assert!(saved.contains("Support, if you want it") && saved.contains("href=\"/crisis\""), "{saved}");
    let calm =
        follow(&c, c.form("/checkin", &[("word", "numb"), ("note", "quiet evening")])).status(200).body;
    assert!(!calm.contains("Support, if you want it"), "{calm}");
}

#[test]
fn risk_language_in_a_reaction_an_activity_or_a_release_brings_support_once() {
    let s = start();
    let c = Client::unlocked(&s);
    let support = "Support, if you want it";
    let heavy = "everyone would be better off without me";
    for (path, fields) in [
        ("/react", vec![("situation", heavy), ("intensity", "7"), ("style", "withdrew")]),
        (
            "/activity",
            vec![("kind", "walking"), ("minutes", "20"), ("before", "3"), ("after", "4"), ("note", heavy)],
        ),
        ("/release", vec![("kind", "teared-up"), ("intensity", "4"), ("before", heavy)]),
    ] {
        let page = c.form(path, &fields).status(200).body;
        assert!(page.contains(support) && page.contains("href=\"/crisis\""), "{path}: {page}");
        assert!(page.contains("saved, just as you wrote it"), "{path}: {page}");
        // Saved, and the page after it is the usual one.
        assert!(!c.get(path).body.contains(support), "{path}");
    }
    let calm =
        c.form("/activity", &[("kind", "walking"), ("minutes", "20"), ("before", "3"), ("after", "4")]);
    assert_eq!(calm.status, 303);
    assert_eq!(Client::script(&s).get("/api/v1/reactions").json().as_array().unwrap().len(), 1);
    assert_eq!(Client::script(&s).get("/api/v1/activities").json().as_array().unwrap().len(), 2);
    assert_eq!(Client::script(&s).get("/api/v1/releases").json().as_array().unwrap().len(), 1);
}

#[test]
fn the_first_unlock_asks_for_a_country_once_with_a_picker() {
    let s = start();
    let c = Client::browser(&s);
    let r = c.form("/unlock", &[("passphrase", PASS), ("next", "/journal")]).status(303);
    assert_eq!(r.header("location"), Some("/welcome/country?next=%2Fjournal"));
    let ask = c.get("/welcome/country?next=%2Fjournal").status(200).text();
    assert!(ask.contains("Which country do you live in?"), "{ask}");
    assert!(ask.contains("<option value=\"GB\">United Kingdom</option>"), "listed countries");
    assert!(ask.contains("<option value=\"IS\">Iceland</option>"), "every other country too");
    assert!(ask.contains("Skip for now"));
    // A bad value changes nothing and says what to do.
    let bad = c.form("/welcome/country", &[("next", "/journal"), ("country", "Narnia")]).status(422).text();
    assert!(bad.contains("two-letter code"), "{bad}");
    // A country without its own lines is saved, with a kind word about what support will show.
    let noted = c.form("/welcome/country", &[("next", "/journal"), ("country", "IS")]).status(200).text();
    assert!(noted.contains("doesn't have crisis lines for Iceland yet"), "{noted}");
    assert!(noted.contains("href=\"/journal\""));
    let crisis = c.get("/crisis").status(200).text();
    assert!(
        crisis.contains("call your local emergency number"),
        "no lines for Iceland: the general sentence"
    );
    // Asked once: later unlocks go straight on.
    c.form("/lock", &[]).status(303);
    let r = c.form("/unlock", &[("passphrase", PASS), ("next", "/journal")]).status(303);
    assert_eq!(r.header("location"), Some("/journal"));
    let settings = c.get("/settings").status(200).body;
    assert!(settings.contains("<option value=\"IS\" selected>Iceland</option>"), "{settings}");
    // Choosing a listed country goes straight on, and its lines come first.
    c.form("/welcome/country", &[("next", "/"), ("country", "GB")]).status(303);
    assert!(c.get("/crisis").body.contains("If you are in immediate danger, call 999"));
}

#[test]
fn the_home_page_shows_the_week_and_a_warm_word_for_a_release() {
    let s = start();
    let c = Client::unlocked(&s);
    c.post_json("/api/v1/checkins", &serde_json::json!({"emotions": [{"word": "numb"}]})).status(201);
    c.post_json("/api/v1/releases", &serde_json::json!({"kind": "teared-up", "intensity": 4})).status(201);
    let home = c.get("/").status(200).body;
    assert!(home.contains("Your week at a glance"), "{home}");
    assert!(home.contains("<strong>You teared up today.</strong>"), "{home}");
    assert!(home.contains("<span class=\"big-number\">1</span> check-in"), "{home}");
    assert!(home.contains("numb"), "{home}");
}

#[test]
fn settings_offer_the_reminder_as_a_calendar_file() {
    let s = start();
    let c = Client::unlocked(&s);
    let page = c.get("/settings").status(200).body;
    assert!(page.contains("action=\"/settings/reminder.ics\""), "{page}");
    let r = c.get("/settings/reminder.ics?time=07%3A30&days=mon&days=fri").status(200);
    assert_eq!(r.header("content-type"), Some("text/calendar; charset=utf-8"));
    assert!(
        r.body.contains("RRULE:FREQ=WEEKLY;BYDAY=MO,FR\r\n") && r.body.contains("DTSTART:"),
        "{}",
        r.body
    );
    assert!(r.body.contains("T073000\r\n"), "{}", r.body);
    let bad = c.get("/settings/reminder.ics?time=soon").status(422).body;
    assert!(bad.contains("like 20:00"), "{bad}");
}
