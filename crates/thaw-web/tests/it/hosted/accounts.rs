//! Accounts through the API and the pages: sign-up (the recovery words once), sign-in, sign-out,
//! recovery, passphrase change, export, deletion; the sign-up policies; waits after failed
//! sign-ins; sessions that idle out.

use std::time::Duration;

use serde_json::json;
use thaw_web::Signup;

use super::{PASS, set_cookie, start};
use crate::harness::{Auth, Client, csrf_of};

#[test]
fn an_account_lives_through_the_api() {
    let s = start(|_| {});
    let words = s.sign_up("river");
    assert_eq!(words.split_whitespace().count(), 24, "{words}");
    let c = s.script("river");
    let status = c.get("/api/v1/status").status(200).json();
    assert_eq!(status["unlocked"], true);
    let entry =
        c.post_json("/api/v1/journal", &json!({ "title": "first", "body": "held" })).status(201).json();
    let id = entry["id"].as_str().unwrap().to_owned();
    c.get(&format!("/api/v1/journal/{id}")).status(200);
    // Signing in again gives a second, separate session with the same records.
    let again = s.script("river");
    again.get(&format!("/api/v1/journal/{id}")).status(200);
    // Signing out ends this session only.
    c.delete("/api/v1/sessions").status(204);
    let gone = c.get("/api/v1/status");
    assert_eq!(gone.status, 401, "{}", gone.body);
    assert!(gone.json()["error"].as_str().unwrap().contains("sign in"));
    again.get(&format!("/api/v1/journal/{id}")).status(200);
    // The username is taken now; another account can be made.
    let taken = s
        .client()
        .post_json("/api/v1/accounts", &json!({ "username": "River", "passphrase": PASS }))
        .status(409);
    assert!(taken.json()["error"].as_str().unwrap().contains("taken"));
    // Nothing but the doors answers without a session.
    s.client().get("/api/v1/journal").status(401);
    s.client().delete("/api/v1/sessions").status(401);
    s.client().get("/api/v1/accounts").status(401);
    s.client().post_json("/api/v1/journal", &json!({ "title": "x" })).status(401);
}

#[test]
fn a_wrong_passphrase_and_an_unknown_name_get_the_same_answer() {
    let s = start(|_| {});
    s.sign_up("meadow");
    let wrong = s
        .client()
        .post_json("/api/v1/sessions", &json!({ "username": "meadow", "passphrase": "not the one at all" }))
        .status(401);
    let unknown = s
        .client()
        .post_json(
            "/api/v1/sessions",
            &json!({ "username": "nobody-here", "passphrase": "not the one at all" }),
        )
        .status(401);
    assert_eq!(wrong.body, unknown.body);
    // Bad shapes are refused before any work.
    s.client().post_json("/api/v1/sessions", &json!({ "username": "meadow" })).status(422);
    s.client().post_raw("/api/v1/sessions", "application/json", "{").status(400);
}

#[test]
fn failed_sign_ins_bring_growing_waits_per_account_and_per_address() {
    let s = start(|_| {});
    s.sign_up("harbour");
    let try_as = |name: &str, pass: &str| {
        s.client().post_json("/api/v1/sessions", &json!({ "username": name, "passphrase": pass }))
    };
    // Three free tries for an account, then a wait (429 with Retry-After) — the right passphrase
    // included, so guessing can't go on in between.
    for _ in 0..3 {
        try_as("harbour", "wrong wrong wrong").status(401);
    }
    let wait = try_as("harbour", PASS).status(429);
    let secs: u64 = wait.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
    assert!(wait.json()["error"].as_str().unwrap().contains("try"));
    // A name that doesn't exist is treated just the same.
    for _ in 0..3 {
        try_as("no-such-name", "wrong wrong wrong").status(401);
    }
    try_as("no-such-name", "wrong wrong wrong").status(429);
    // After the wait, the right passphrase works.
    std::thread::sleep(Duration::from_secs(secs));
    try_as("harbour", PASS).status(201);
    // Per address: many names from one address (10 free in all), then everything waits.
    let mut refused = false;
    for i in 0..12 {
        let r = try_as(&format!("name-{i}"), "wrong wrong wrong");
        if r.status == 429 {
            refused = true;
            break;
        }
        assert_eq!(r.status, 401);
    }
    assert!(refused, "an address trying many names is slowed down");
}

#[test]
fn signup_policies_hold_in_the_api_and_the_pages() {
    let closed = start(|c| c.signup = Signup::Closed);
    let r = closed
        .client()
        .post_json("/api/v1/accounts", &json!({ "username": "someone", "passphrase": PASS }))
        .status(403);
    assert!(r.json()["error"].as_str().unwrap().contains("isn't taking new accounts"));
    let page = closed.client().get("/signup").status(200);
    assert!(page.text().contains("isn't taking new accounts"));
    assert!(!page.body.contains("name=\"passphrase\""));
    assert!(!closed.client().get("/signin").status(200).body.contains("href=\"/signup\""));

    let invite = start(|c| c.signup = Signup::Invite);
    let r = invite
        .client()
        .post_json("/api/v1/accounts", &json!({ "username": "someone", "passphrase": PASS }))
        .status(403);
    assert!(r.json()["error"].as_str().unwrap().contains("invitation"));
    invite
        .client()
        .post_json(
            "/api/v1/accounts",
            &json!({ "username": "someone", "passphrase": PASS, "invite": "0000-1111" }),
        )
        .status(403);
    let backend = super::backend(&invite.db);
    let code = backend.create_invitation(Duration::from_secs(3600)).unwrap();
    assert_eq!(code.len(), 39, "{code}");
    invite
        .client()
        .post_json(
            "/api/v1/accounts",
            &json!({ "username": "someone", "passphrase": PASS, "invite": code.to_uppercase() }),
        )
        .status(201);
    // Single use.
    invite
        .client()
        .post_json("/api/v1/accounts", &json!({ "username": "another", "passphrase": PASS, "invite": code }))
        .status(403);
    // Expired codes don't work.
    let short = backend.create_invitation(Duration::from_secs(1)).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    invite
        .client()
        .post_json("/api/v1/accounts", &json!({ "username": "another", "passphrase": PASS, "invite": short }))
        .status(403);
    let page = invite.client().get("/signup").status(200);
    assert!(page.body.contains("name=\"invite\""));
}

#[test]
fn sessions_idle_out_and_their_keys_go() {
    let s = start(|c| c.idle = Duration::from_secs(1));
    s.sign_up("quiet");
    let c = s.script("quiet");
    c.get("/api/v1/status").status(200);
    std::thread::sleep(Duration::from_millis(2500));
    let r = c.get("/api/v1/journal");
    assert_eq!(r.status, 401, "{}", r.body);
    // Signing in again works.
    s.script("quiet").get("/api/v1/journal").status(200);
}

/// A browser: cookies kept by hand, the CSRF token read from each page.
struct Browser {
    client: Client,
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn new(base: &str) -> Self {
        Browser { client: Client::at(base), cookies: Vec::new() }
    }

    fn keep(&mut self, r: &crate::harness::Resp) {
        for (k, v) in &r.headers {
            if !k.eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let pair = v.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != name);
            if !value.is_empty() && !v.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        let header: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        self.client.auth = if header.is_empty() { Auth::None } else { Auth::Cookie(header.join("; ")) };
        if r.body.contains("name=\"_csrf\"") || r.body.contains("data-csrf=") {
            self.client.csrf = Some(csrf_of(&r.body));
        }
    }

    fn get(&mut self, path: &str) -> crate::harness::Resp {
        let r = self.client.get(path);
        self.keep(&r);
        r
    }

    fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> crate::harness::Resp {
        let r = self.client.form(path, fields);
        self.keep(&r);
        r
    }
}

#[test]
fn an_account_lives_through_the_pages() {
    let s = start(|_| {});
    let mut b = Browser::new(&s.base);
    // Signed out, every private page sends the browser to sign in.
    let home = b.get("/");
    assert_eq!(home.status, 303);
    assert_eq!(home.header("location"), Some("/signin"));
    let cookie = set_cookie(&home, "thaw_form").expect("a cookie for the forms' token");
    assert_eq!(b.get("/journal").header("location"), Some("/signin?next=%2Fjournal"));
    b.get("/signup").status(200);
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"));
    // A form without the token changes nothing.
    let forged =
        b.client.form_raw("/signup", &[("username", "fern"), ("passphrase", PASS), ("passphrase2", PASS)]);
    assert_eq!(forged.status, 403, "{}", forged.body);
    // Passphrases that differ are caught.
    let differ =
        b.form("/signup", &[("username", "fern"), ("passphrase", PASS), ("passphrase2", "something else")]);
    assert_eq!(differ.status, 422);
    assert!(differ.text().contains("aren't the same"));
    // Too short for Thaw's one rule, said in the page's words.
    let short = b.form("/signup", &[("username", "fern"), ("passphrase", "short"), ("passphrase2", "short")]);
    assert_eq!(short.status, 422);
    assert!(short.text().contains("at least 8 characters"), "{}", short.body);
    // Made: the browser is sent on to the words (so a reload never sends the form again).
    let made = b.form("/signup", &[("username", "fern"), ("passphrase", PASS), ("passphrase2", PASS)]);
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(made.header("location"), Some("/signup/words"));
    let words = b.get("/signup/words").status(200);
    assert!(words.text().contains("write these 24 words down"), "{}", words.body);
    let list: Vec<String> = words
        .body
        .split("<li>")
        .skip(1)
        .filter_map(|w| w.split("</li>").next())
        .map(str::to_owned)
        .filter(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    assert_eq!(list.len(), 24, "{}", words.body);
    let session = set_cookie(&made, "thaw_session").expect("signed in");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/")
    );
    assert!(!session.contains("Domain"));
    // Shown once: a reload finds them gone, and says so kindly.
    let again = b.get("/signup/words").status(200);
    assert!(!again.body.contains("recovery-words"), "{}", again.body);
    assert!(again.text().contains("can't be shown again"), "{}", again.body);
    assert!(list.iter().all(|w| !again.body.contains(&format!(">{w}<"))));
    // Without a session there is nothing to show.
    assert_eq!(Client::at(&s.base).get("/signup/words").header("location"), Some("/signin"));
    let done = b.form("/signup/done", &[("written", "1")]);
    assert_eq!(done.status, 303);
    assert!(done.header("location").unwrap().starts_with("/welcome/country"));
    let home = b.get("/").status(200);
    assert!(home.body.contains("Sign out") && home.body.contains("href=\"/account\""));
    // A journal entry, then the export has it.
    let saved = b.form("/journal", &[("title", "Pages"), ("body", "a quiet note")]);
    assert_eq!(saved.status, 303, "{}", saved.body);
    b.get("/account").status(200);
    let export = b.form("/account/export", &[]).status(200);
    assert!(export.header("content-disposition").unwrap().contains("attachment"));
    let json: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(json["format"], "thaw-export");
    assert!(export.body.contains("a quiet note"));
    // Passphrase change: a wrong current one changes nothing.
    b.get("/account");
    let wrong = b.form(
        "/account/passphrase",
        &[("old", "not it at all"), ("new", "a new calm sea"), ("new2", "a new calm sea")],
    );
    assert_eq!(wrong.status, 401);
    let changed = b
        .form("/account/passphrase", &[("old", PASS), ("new", "a new calm sea"), ("new2", "a new calm sea")]);
    assert_eq!(changed.header("location"), Some("/account?changed=1"));
    // Sign out: the cookie goes, and the old one opens nothing.
    let old_cookie = b.client.auth.clone();
    b.get("/account");
    let out = b.form("/signout", &[]);
    assert_eq!(out.header("location"), Some("/signin?signed_out=1"));
    assert!(set_cookie(&out, "thaw_session").unwrap().contains("Max-Age=0"));
    let mut stale = Client::at(&s.base);
    stale.auth = old_cookie;
    assert_eq!(stale.get("/").header("location"), Some("/signin"));
    // Sign in with the new passphrase, through the page.
    b.get("/signin");
    let wrong = b.form("/signin", &[("username", "fern"), ("passphrase", PASS)]);
    assert_eq!(wrong.status, 401);
    assert!(wrong.text().contains("don't match"));
    let ok =
        b.form("/signin", &[("username", "fern"), ("passphrase", "a new calm sea"), ("next", "/journal")]);
    assert_eq!(ok.header("location"), Some("/journal"), "{}", ok.body);
    assert!(b.get("/journal").status(200).body.contains("Pages"));
    // Recovery: the words and a new passphrase.
    b.get("/account");
    b.form("/signout", &[]);
    b.get("/recover");
    let bad = b.form(
        "/recover",
        &[("username", "fern"), ("words", "abandon ability"), ("passphrase", PASS), ("passphrase2", PASS)],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    let all = list.join(" ");
    let back = b.form(
        "/recover",
        &[("username", "fern"), ("words", &all), ("passphrase", PASS), ("passphrase2", PASS)],
    );
    assert_eq!(back.header("location"), Some("/"), "{}", back.body);
    assert!(b.get("/journal").status(200).body.contains("Pages"));
    // Deletion asks for the passphrase, then everything goes.
    b.get("/account");
    let unsure = b.form("/account/delete", &[("passphrase", PASS)]);
    assert_eq!(unsure.status, 422);
    let wrong = b.form("/account/delete", &[("passphrase", "not it at all"), ("sure", "1")]);
    assert_eq!(wrong.status, 401);
    let deleted = b.form("/account/delete", &[("passphrase", PASS), ("sure", "1")]).status(200);
    assert!(deleted.text().contains("account is deleted"));
    assert_eq!(b.get("/journal").status, 303);
    s.client().post_json("/api/v1/sessions", &json!({ "username": "fern", "passphrase": PASS })).status(401);
    // The name is free again.
    s.sign_up("fern");
}

#[test]
fn forms_from_another_site_are_refused() {
    let s = start(|_| {});
    let mut b = Browser::new(&s.base);
    b.get("/signin");
    b.client.extra.push(("Origin".into(), "http://evil.example".into()));
    let r = b.form("/signin", &[("username", "x"), ("passphrase", PASS)]);
    assert_eq!(r.status, 403);
    let mut api = s.client();
    api.extra.push(("Origin".into(), "http://evil.example".into()));
    api.post_json("/api/v1/sessions", &json!({ "username": "x", "passphrase": PASS })).status(403);
}

/// Passphrase change, recovery, export and deletion through the API: the same flows as the
/// pages, clear JSON errors, and the waits of signing in wherever a secret is tried.
#[test]
fn the_account_flows_work_through_the_api() {
    let s = start(|_| {});
    let words = s.sign_up("willow");
    let c = s.script("willow");
    c.post_json("/api/v1/journal", &json!({ "title": "kept", "body": "willow text" })).status(201);

    // Export: the same JSON as `thaw export`, as a download.
    let export = c.get("/api/v1/account/export").status(200);
    assert!(export.header("content-type").unwrap().starts_with("application/json"));
    assert!(export.header("content-disposition").unwrap().starts_with("attachment; filename=\"thaw-export-"));
    let json = export.json();
    assert_eq!(json["format"], "thaw-export");
    assert!(export.body.contains("willow text"));

    // Passphrase change: shapes, the rule, the current passphrase.
    let change = |current: &str, new: &str| {
        c.request_json(
            "PUT",
            "/api/v1/account/passphrase",
            &json!({ "passphrase": current, "new_passphrase": new }),
        )
    };
    c.request_json("PUT", "/api/v1/account/passphrase", &json!({ "passphrase": PASS })).status(422);
    let short = change(PASS, "short").status(422);
    assert!(short.json()["error"].as_str().unwrap().contains("at least 8 characters"));
    let wrong = change("not the one at all", "a brand new one").status(401);
    assert!(wrong.json()["error"].as_str().unwrap().contains("don't match"));
    change(PASS, "a brand new one").status(204);
    s.client()
        .post_json("/api/v1/sessions", &json!({ "username": "willow", "passphrase": PASS }))
        .status(401);
    s.client()
        .post_json("/api/v1/sessions", &json!({ "username": "willow", "passphrase": "a brand new one" }))
        .status(201);
    c.get("/api/v1/journal").status(200);

    // Wrong current passphrases bring the waits of signing in (three free tries were used above:
    // one wrong change and one wrong sign-in count against the account).
    let mut waited = None;
    for _ in 0..4 {
        let r = change("still not the one", "whatever it is");
        if r.status == 429 {
            waited = Some(r);
            break;
        }
        assert_eq!(r.status, 401, "{}", r.body);
    }
    let waited = waited.expect("guessing the current passphrase is slowed down");
    let secs: u64 = waited.header("retry-after").unwrap().parse().unwrap();
    assert!(waited.json()["error"].as_str().unwrap().contains("try"));
    std::thread::sleep(Duration::from_secs(secs));

    // Recovery: words and a new passphrase; old sessions end, a new one comes back.
    let r = s.client().post_json(
        "/api/v1/recovery",
        &json!({ "username": "willow", "recovery_key": "abandon ability", "new_passphrase": "recovered at last" }),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    s.client()
        .post_json(
            "/api/v1/recovery",
            &json!({ "username": "willow", "recovery_key": words, "new_passphrase": "short" }),
        )
        .status(422);
    let back = s
        .client()
        .post_json(
            "/api/v1/recovery",
            &json!({ "username": "willow", "recovery_key": words, "new_passphrase": "recovered at last" }),
        )
        .status(201);
    assert_eq!(back.header("cache-control"), Some("no-store"));
    c.get("/api/v1/journal").status(401);
    let mut r = s.client();
    r.auth = Auth::Bearer(back.json()["token"].as_str().unwrap().to_owned());
    assert!(r.get("/api/v1/journal").status(200).body.contains("kept"));

    // Deletion: the passphrase first; then the account, its keys and its records are gone.
    r.request_json("DELETE", "/api/v1/account", &json!({})).status(422);
    r.request_json("DELETE", "/api/v1/account", &json!({ "passphrase": "a brand new one" })).status(401);
    r.request_json("DELETE", "/api/v1/account", &json!({ "passphrase": "recovered at last" })).status(204);
    r.get("/api/v1/journal").status(401);
    s.client()
        .post_json("/api/v1/sessions", &json!({ "username": "willow", "passphrase": "recovered at last" }))
        .status(401);
    s.client()
        .post_json(
            "/api/v1/recovery",
            &json!({ "username": "willow", "recovery_key": words, "new_passphrase": "recovered at last" }),
        )
        .status(403);
    // Without a session, only recovery answers.
    s.client().get("/api/v1/account/export").status(401);
    s.client().request_json("DELETE", "/api/v1/account", &json!({ "passphrase": PASS })).status(401);
    s.client()
        .request_json(
            "PUT",
            "/api/v1/account/passphrase",
            &json!({ "passphrase": PASS, "new_passphrase": PASS }),
        )
        .status(401);
}
