//! Changing saved reactions, moments of release, activities and people from their pages.

use serde_json::json;

use crate::harness::{Client, PASS, start};

#[test]
fn saved_records_can_be_changed_in_place() {
    let s = start();
    let api = Client::bearer(&s);
    api.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    let reaction = api
        .post_json(
            "/api/v1/reactions",
            &json!({ "situation": "Bad news", "intensity": 7, "styles": ["humour"], "felt": ["hurt"], "at": "2025-03-05T09:30:00Z" }),
        )
        .status(201)
        .json();
    let activity = api
        .post_json(
            "/api/v1/activities",
            &json!({ "kind": "walking", "minutes": 30, "before": 3, "after": 5 }),
        )
        .status(201)
        .json();
    let release = api
        .post_json(
            "/api/v1/releases",
            &json!({ "kind": "teared-up", "intensity": 4, "linked": activity["id"], "at": "2025-03-05T20:00:00Z" }),
        )
        .status(201)
        .json();
    let person =
        api.post_json("/api/v1/people", &json!({ "name": "Robin", "reach": "phone" })).status(201).json();
    let c = Client::unlocked(&s);
    let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();

    // A reaction: the form comes filled in, and saving changes the same record.
    let r = c.get("/react").text();
    assert!(r.contains(&format!("href=\"/react/{}/edit\">Change", id(&reaction))), "{r}");
    let form = c.get(&format!("/react/{}/edit", id(&reaction))).status(200).text();
    assert!(form.contains(&format!("action=\"/react/{}/edit\"", id(&reaction))), "{form}");
    assert!(form.contains(">Bad news</textarea>") && form.contains("value=\"hurt\""), "{form}");
    assert!(form.contains("id=\"s-humour\" name=\"style\" value=\"humour\" checked"), "{form}");
    assert!(form.contains("value=\"2025-03-05T09:30\""), "{form}");
    assert!(form.contains("Save changes"), "{form}");
    let r = c.form(
        &format!("/react/{}/edit", id(&reaction)),
        &[
            ("situation", "Bad news, then a call"),
            ("intensity", "5"),
            ("style", "talked"),
            ("at", "2025-03-05T09:30"),
        ],
    );
    assert_eq!(r.status(303).header("location"), Some("/react?saved=changed"));
    let after = api.get(&format!("/api/v1/reactions/{}", id(&reaction))).status(200).json();
    assert_eq!(after["situation"], "Bad news, then a call");
    assert_eq!(after["intensity"], 5);
    assert_eq!(after["created_at"], reaction["created_at"]);
    assert_eq!(after["at"], reaction["at"]);
    assert_eq!(api.get("/api/v1/reactions").json().as_array().unwrap().len(), 1, "changed, not added");
    let bad = c
        .form(&format!("/react/{}/edit", id(&reaction)), &[("situation", "x"), ("intensity", "")])
        .status(422);
    assert!(bad.text().contains("Please choose how intense it was"));
    assert_eq!(api.get(&format!("/api/v1/reactions/{}", id(&reaction))).json()["intensity"], 5, "unchanged");

    // An activity.
    let form = c.get(&format!("/activity/{}/edit", id(&activity))).status(200).text();
    assert!(form.contains("value=\"30\""), "{form}");
    c.form(
        &format!("/activity/{}/edit", id(&activity)),
        &[("kind", "music"), ("minutes", "45"), ("before", "2"), ("after", "6"), ("place", "home")],
    )
    .status(303);
    let after = api.get(&format!("/api/v1/activities/{}", id(&activity))).json();
    assert_eq!(after["kind"], "music");
    assert_eq!(after["minutes"], 45);
    c.form(&format!("/activity/{}/edit", id(&activity)), &[("kind", "music"), ("minutes", "0")]).status(422);

    // A moment of release keeps its link to the activity.
    let form = c.get(&format!("/release/{}/edit", id(&release))).status(200).text();
    assert!(form.contains(&format!("value=\"{}\" selected", id(&activity))), "{form}");
    c.form(
        &format!("/release/{}/edit", id(&release)),
        &[("kind", "cried"), ("intensity", "6"), ("relief", "8"), ("linked", &id(&activity))],
    )
    .status(303);
    let after = api.get(&format!("/api/v1/releases/{}", id(&release))).json();
    assert_eq!(after["kind"], "cried");
    assert_eq!(after["relief"], 8);
    assert_eq!(after["linked"], activity["id"]);

    // A person.
    let page = c.get("/people").text();
    assert!(page.contains(&format!("href=\"/people/{}/edit\">Change", id(&person))), "{page}");
    let form = c.get(&format!("/people/{}/edit", id(&person))).status(200).text();
    assert!(form.contains("value=\"Robin\"") && form.contains("Change their details"), "{form}");
    let r = c.form(&format!("/people/{}/edit", id(&person)), &[("name", "Robin S."), ("reach", "text")]);
    assert_eq!(r.status(303).header("location"), Some("/people?done=changed"));
    assert!(c.get("/people?done=changed").text().contains("Saved your changes."));
    assert_eq!(api.get(&format!("/api/v1/people/{}", id(&person))).json()["name"], "Robin S.");
    c.form(&format!("/people/{}/edit", id(&person)), &[("name", "  ")]).status(422);

    // Unknown ids, and ids of another kind.
    c.get("/react/not-an-id/edit").status(404);
    c.get(&format!("/react/{}/edit", id(&person))).status(404);
    c.form(&format!("/people/{}/edit", id(&reaction)), &[("name", "x")]).status(404);
    // And the edit forms need the CSRF token like every other.
    c.form_raw(&format!("/people/{}/edit", id(&person)), &[("name", "Mallory")]).status(403);
}
