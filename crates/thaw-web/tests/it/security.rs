//! Who may use the server, and how: the per-launch secret, Host check, CSRF, headers, limits.

use serde_json::json;

use crate::harness::{Auth, Client, PASS, csrf_of, raw_request, start, start_with};

#[test]
fn the_printed_link_is_loopback_with_a_long_url_safe_token() {
    let s = start();
    assert!(s.url.starts_with(&format!("http://127.0.0.1:{}/?token=", s.port)), "{}", s.url);
    assert!(s.token.len() >= 22, "at least 128 bits in base64");
    assert!(s.token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{}", s.token);
    assert_ne!(start().token, s.token, "a new token per launch");
}

#[test]
fn nothing_without_the_token() {
    let s = start();
    let c = Client::anonymous(&s);
    for path in ["/", "/journal", "/crisis", "/unlock", "/settings", "/nope"] {
        let r = c.get(path).status(401);
        assert!(r.body.contains("thaw serve"), "says how to get in: {}", r.body);
    }
    let r = c.get("/api/v1/checkins").status(401);
    assert!(r.json()["error"].as_str().unwrap().contains("thaw serve"));
    c.get("/?token=not-the-token").status(401);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(401);
    let mut wrong = Client::anonymous(&s);
    wrong.auth = Auth::Bearer("x".repeat(43));
    wrong.get("/api/v1/status").status(401);
    wrong.auth = Auth::Cookie(format!("thaw_session_{}={}", s.port, "x".repeat(43)));
    wrong.get("/").status(401);
    // The assets aren't private.
    c.get("/assets/style.css").status(200);
}

#[test]
fn the_printed_link_moves_the_browser_to_the_apps_own_host_name_without_a_cookie() {
    let s = start();
    assert!(
        s.app_host.starts_with("t-") && s.app_host.ends_with(&format!(".localhost:{}", s.port)),
        "{}",
        s.app_host
    );
    let label = s.app_host.split('.').next().unwrap();
    assert_eq!(label.len(), 2 + 32, "128 random bits: {label}");
    assert_ne!(start().app_host, s.app_host, "a new host name per launch");
    let r = Client::anonymous(&s).get(&format!("/?token={}", s.token)).status(303);
    assert!(r.header("set-cookie").is_none(), "no cookie for 127.0.0.1, which other servers share");
    let next = r.header("location").unwrap();
    assert!(next.starts_with(&format!("http://{}/open/", s.app_host)), "{next}");
    assert!(!next.contains(&s.token), "a one-time code, not the token: {next}");
    let mut on_localhost = Client::anonymous(&s);
    on_localhost.extra.push(("Host".into(), format!("localhost:{}", s.port)));
    let r = on_localhost.get(&format!("/journal?token={}", s.token)).status(303);
    assert!(r.header("set-cookie").is_none());
}

#[test]
fn the_cookie_is_host_only_strict_and_works_only_on_the_apps_host_name() {
    let s = start();
    let c = Client::on_app_host(&s);
    let r = c.get(&format!("/?token={}", s.token)).status(303);
    assert_eq!(r.header("location"), Some("/"));
    let cookie = r.header("set-cookie").unwrap();
    assert!(cookie.starts_with(&format!("thaw_session_{}=", s.port)), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.to_ascii_lowercase().contains("domain"), "host-only: {cookie}");
    let value = cookie.split(';').next().unwrap().split('=').nth(1).unwrap();
    assert_ne!(value, s.token, "the cookie is not the link's token");
    let r = c.get(&format!("/journal?token={}", s.token)).status(303);
    assert_eq!(r.header("location"), Some("/journal"), "back to the page asked for");
    // The same cookie sent to 127.0.0.1 or localhost opens nothing.
    let pair = cookie.split(';').next().unwrap().to_owned();
    let mut loopback = Client::anonymous(&s);
    loopback.auth = Auth::Cookie(pair.clone());
    loopback.get("/crisis").status(401);
    loopback.extra.push(("Host".into(), format!("localhost:{}", s.port)));
    loopback.get("/crisis").status(401);
    let mut app = Client::on_app_host(&s);
    app.auth = Auth::Cookie(pair);
    app.get("/crisis").status(200);
    // Arriving from elsewhere (a file, another site): a page of ours moves on, so the Strict
    // cookie goes with the next request.
    let mut from_file = Client::on_app_host(&s);
    from_file.extra.push(("Sec-Fetch-Site".into(), "cross-site".into()));
    let r = from_file.get(&format!("/?token={}", s.token)).status(200);
    assert!(r.header("set-cookie").is_some());
    assert!(r.body.contains("http-equiv=\"refresh\" content=\"0; url=/\""), "{}", r.body);
    assert!(!r.body.contains(&s.token));
}

#[test]
fn the_browser_is_opened_with_a_code_that_works_once_and_a_second_use_closes_its_session() {
    let s = start();
    let path = s.open_url.strip_prefix(&format!("http://{}", s.app_host)).unwrap().to_owned();
    assert!(path.starts_with("/open/"), "{}", s.open_url);
    assert!(!s.open_url.contains(&s.token), "the launch token never goes on a command line");
    let c = Client::on_app_host(&s);
    c.get("/open/wrong").status(401);
    let r = c.get(&path).status(303);
    assert_eq!(r.header("location"), Some("/"));
    let cookie = r.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let mut browser = Client::on_app_host(&s);
    browser.auth = Auth::Cookie(cookie);
    browser.get("/crisis").status(200);
    // Used again: whoever has it too, nobody keeps a session from it.
    let r = c.get(&path).status(401);
    assert!(r.text().contains("already used"), "{}", r.body);
    browser.get("/crisis").status(401);
    // The printed link still works.
    Client::browser(&s).get("/crisis").status(200);
}

#[test]
fn each_browser_session_unlocks_and_locks_on_its_own() {
    let s = start();
    let a = Client::unlocked(&s);
    let b = Client::browser(&s);
    assert_eq!(a.get("/api/v1/status").json()["unlocked"], true);
    assert_eq!(b.get("/api/v1/status").json()["unlocked"], false);
    b.get("/journal").status(303);
    assert_eq!(Client::bearer(&s).get("/api/v1/status").json()["unlocked"], false);
    b.form("/unlock", &[("passphrase", PASS)]).status(303);
    a.form("/lock", &[]).status(303);
    assert_eq!(a.get("/api/v1/status").json()["unlocked"], false);
    assert_eq!(b.get("/api/v1/status").json()["unlocked"], true);
}

#[test]
fn wrong_passphrases_bring_growing_waits_that_pass() {
    let s = start();
    let api = Client::bearer(&s);
    for _ in 0..3 {
        api.post_json("/api/v1/unlock", &json!({ "passphrase": "not it" })).status(403);
    }
    // The fourth try within a second waits, without running Argon2id at all.
    let r = api.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(429);
    assert_eq!(r.header("retry-after"), Some("1"));
    assert!(r.json()["error"].as_str().unwrap().contains("again in a second"), "{}", r.body);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    api.post_json("/api/v1/unlock", &json!({ "passphrase": "still not" })).status(403);
    let r = api.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(429);
    assert_eq!(r.header("retry-after"), Some("2"), "the wait grows");
    // Another browser session is not held up by this one's tries.
    let page = Client::browser(&s);
    let r = page.form("/unlock", &[("passphrase", "nope")]).status(403);
    assert!(r.text().contains("passphrase isn't right"), "{}", r.body);
    page.form("/unlock", &[("passphrase", PASS)]).status(303);
    // The page says kindly to wait.
    let other = Client::browser(&s);
    for _ in 0..3 {
        other.form("/unlock", &[("passphrase", "nope")]).status(403);
    }
    let r = other.form("/unlock", &[("passphrase", PASS)]).status(429);
    assert!(r.text().contains("Please try your passphrase again in a second."), "{}", r.body);
    assert!(r.header("retry-after").is_some());
    // After the wait, the right passphrase works and the count starts again.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    api.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
}

#[test]
fn redirect_targets_are_rebuilt_and_nothing_gives_a_server_error() {
    let s = start();
    let c = Client::browser(&s);
    for query in [
        "/%09/evil.example",
        "/%5Cevil.example",
        "%2F%2Fevil.example",
        "/%0a",
        "/%0d%0aSet-Cookie:x=y",
        "/%E2%80%AE",
        "/%00",
        "/%20/x",
        "http%3A%2F%2Fevil.example",
    ] {
        let r = c.get(&format!("/unlock?next={query}"));
        assert!(r.status < 500, "{query}: {}", r.status);
        assert!(!r.body.contains("evil.example"), "{query}: {}", r.body);
        let r = c.form("/unlock", &[("passphrase", PASS), ("next", &form_decode(query))]);
        assert_eq!(r.status, 303, "{query}: {}", r.body);
        // Home, or first the one-time country question, which then goes home.
        let to = r.header("location").unwrap_or_default();
        assert!(to == "/" || to == "/welcome/country?next=%2F", "{query}: {to}");
        c.form("/lock", &[]).status(303);
        let r = c.get(&format!("/open/x?next={query}"));
        assert!(r.status < 500, "{query}");
    }
    let r = c.form("/unlock", &[("passphrase", PASS), ("next", "/journal?page=2")]).status(303);
    assert_eq!(r.header("location"), Some("/journal?page=2"));
}

fn form_decode(s: &str) -> String {
    form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[test]
fn bearer_tokens_work_for_scripts() {
    let s = start();
    let c = Client::bearer(&s);
    assert_eq!(c.get("/api/v1/status").status(200).json()["unlocked"], false);
    // No CSRF token needed: another site can't make a browser send this header.
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    c.post_json("/api/v1/checkins", &json!({ "absence": "nothing" })).status(201);
}

#[test]
fn other_host_names_are_refused_against_dns_rebinding() {
    let s = start();
    let req = |host: &str| {
        raw_request(
            s.port,
            &format!(
                "GET /api/v1/status HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
                s.token
            ),
        )
    };
    let guessed = format!("t-{}.localhost:{}", "0".repeat(32), s.port);
    for host in [
        "evil.example",
        &format!("evil.example:{}", s.port),
        "127.0.0.1",
        "127.0.0.1:1",
        "localhost.evil:80",
        &guessed,
        &format!("{}.evil.example", s.app_host),
    ] {
        let out = req(host);
        assert!(out.starts_with("HTTP/1.1 421"), "{host}: {out}");
        assert!(!out.contains("unlocked"), "{out}");
    }
    for host in [format!("127.0.0.1:{}", s.port), format!("localhost:{}", s.port), s.app_host.clone()] {
        let out = req(&host);
        assert!(out.starts_with("HTTP/1.1 200"), "{host}: {out}");
    }
    let none = raw_request(s.port, "GET / HTTP/1.0\r\n\r\n");
    assert!(none.starts_with("HTTP/1.0 421") || none.starts_with("HTTP/1.1 421"), "{none}");
}

#[test]
fn forms_need_the_csrf_token_and_our_own_origin() {
    let s = start();
    let c = Client::browser(&s);
    let before = c.get("/api/v1/status").json();
    // Missing and wrong tokens.
    let r = c.form_raw("/unlock", &[("passphrase", PASS)]).status(403);
    assert!(r.body.contains("Nothing was changed"), "{}", r.body);
    c.form_raw("/unlock", &[("passphrase", PASS), ("_csrf", "wrong")]).status(403);
    assert_eq!(c.get("/api/v1/status").json(), before, "still locked");
    // A foreign origin, even with the right token.
    let mut foreign = Client::browser(&s);
    foreign.extra.push(("Origin".into(), "http://evil.example".into()));
    foreign.form("/unlock", &[("passphrase", PASS)]).status(403);
    let mut null_origin = Client::browser(&s);
    null_origin.extra.push(("Origin".into(), "null".into()));
    null_origin.extra.push(("Sec-Fetch-Site".into(), "cross-site".into()));
    null_origin.form("/unlock", &[("passphrase", PASS)]).status(403);
    null_origin.extra.pop();
    null_origin.form_raw("/unlock", &[("passphrase", PASS)]).status(403);
    let mut cross = Client::browser(&s);
    cross.extra.push(("Sec-Fetch-Site".into(), "cross-site".into()));
    cross.form("/unlock", &[("passphrase", PASS)]).status(403);
    let mut same_site = Client::browser(&s);
    same_site.extra.push(("Sec-Fetch-Site".into(), "same-site".into()));
    same_site.form("/unlock", &[("passphrase", PASS)]).status(403);
    // Cookie-authenticated JSON needs the header; other content types need it too.
    let mut no_header = Client::browser(&s);
    no_header.csrf = None;
    no_header.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(403);
    no_header.post_raw("/unlock", "text/plain", "passphrase=x").status(403);
    no_header.delete("/api/v1/journal/abcd1234").status(403);
    assert_eq!(c.get("/api/v1/status").json()["unlocked"], false);
    // Our own forms: browsers send `Origin: null` under `Referrer-Policy: no-referrer`.
    let mut own_form = Client::browser(&s);
    own_form.extra.push(("Origin".into(), "null".into()));
    own_form.extra.push(("Sec-Fetch-Site".into(), "same-origin".into()));
    own_form.form("/lock", &[]).status(303);
    // Our own origin with the token works.
    let mut own = Client::browser(&s);
    own.extra.push(("Origin".into(), format!("http://{}", s.app_host)));
    own.extra.push(("Sec-Fetch-Site".into(), "same-origin".into()));
    own.form("/unlock", &[("passphrase", PASS)]).status(303);
    assert_eq!(own.get("/api/v1/status").json()["unlocked"], true);
    // Each browser session has its own lock.
    assert_eq!(c.get("/api/v1/status").json()["unlocked"], false);
}

#[test]
fn every_response_carries_the_security_headers() {
    let s = start();
    let anon = Client::anonymous(&s);
    let c = Client::unlocked(&s);
    let mut responses = vec![
        ("401 page", anon.get("/journal")),
        ("401 api", anon.get("/api/v1/status")),
        ("asset", anon.get("/assets/app.js")),
        ("404", c.get("/no/such/page")),
        ("api 404", c.get("/api/v1/nothing")),
    ];
    for page in ["/", "/checkin", "/journal", "/crisis", "/settings", "/api/v1/checkins"] {
        responses.push((page, c.get(page)));
    }
    for (what, r) in responses {
        let h = |n: &str| r.header(n).unwrap_or_else(|| panic!("{what}: no {n} header"));
        assert_eq!(h("content-security-policy"), thaw_web_csp(), "{what}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{what}");
        assert_eq!(h("x-frame-options"), "DENY", "{what}");
        if what != "asset" {
            assert_eq!(h("cache-control"), "no-store", "{what}");
        }
    }
}

fn thaw_web_csp() -> &'static str {
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

#[test]
fn pages_load_nothing_from_elsewhere() {
    let s = start();
    let c = Client::unlocked(&s);
    for page in [
        "/",
        "/checkin",
        "/journal/new",
        "/react",
        "/release",
        "/activity",
        "/people",
        "/settings",
        "/search",
    ] {
        let body = c.get(page).status(200).body;
        for attr in ["src=\"http", "href=\"http", "url(http", "src=\"//", "href=\"//"] {
            assert!(!body.contains(attr), "{page} refers elsewhere with {attr}");
        }
    }
    let css = c.get("/assets/style.css").body;
    assert!(!css.contains("http") && !css.contains("@import"), "stylesheet loads nothing");
    assert!(!c.get("/assets/app.js").body.contains("http"), "script loads nothing");
}

#[test]
fn bodies_over_the_limit_are_refused_and_change_nothing() {
    let s = start();
    let c = Client::bearer(&s);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    // Announced too large: refused before reading.
    let head = format!(
        "POST /api/v1/journal HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        s.port,
        s.token,
        thaw_web::BODY_LIMIT + 1
    );
    let out = raw_request(s.port, &head);
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    // Not announced (chunked), found too large while reading.
    let body = format!("{{\"title\": \"t\", \"body\": \"{}\"}}", "a".repeat(thaw_web::BODY_LIMIT));
    let chunked = format!(
        "POST /api/v1/journal HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
        s.port,
        s.token,
        body.len()
    );
    let out = raw_request(s.port, &chunked);
    assert!(out.starts_with("HTTP/1.1 413"), "{}", &out[..out.len().min(300)]);
    assert_eq!(c.get("/api/v1/journal").json().as_array().unwrap().len(), 0);
}

#[test]
fn the_vault_starts_locked_and_locks_again_when_idle() {
    let s = start_with(Some(std::time::Duration::from_millis(1500)));
    let c = Client::browser(&s);
    let r = c.get("/journal").status(303);
    assert_eq!(r.header("location"), Some("/unlock?next=%2Fjournal"));
    let r = c.form("/unlock", &[("passphrase", "not it"), ("next", "/journal")]).status(403);
    assert!(r.text().contains("passphrase isn't right"), "{}", r.body);
    // The first unlock asks for a country once, then goes on to where the person was going.
    let r = c.form("/unlock", &[("passphrase", PASS), ("next", "/journal")]).status(303);
    assert_eq!(r.header("location"), Some("/welcome/country?next=%2Fjournal"));
    let ask = c.get("/welcome/country?next=%2Fjournal").status(200);
    assert!(ask.body.contains("name=\"next\" value=\"/journal\""), "{}", ask.body);
    let r = c.form("/welcome/country", &[("next", "/journal"), ("country", ""), ("skip", "1")]).status(303);
    assert_eq!(r.header("location"), Some("/journal"));
    c.get("/journal").status(200);
    std::thread::sleep(std::time::Duration::from_millis(2000));
    c.get("/journal").status(303);
    assert_eq!(c.get("/api/v1/status").json()["unlocked"], false);
    // Lock on demand.
    c.form("/unlock", &[("passphrase", PASS)]).status(303);
    let r = c.form("/lock", &[]).status(303);
    assert_eq!(r.header("location"), Some("/unlock?locked=1"));
    assert!(c.get("/unlock?locked=1").body.contains("Locked."));
    let api = Client::bearer(&s);
    api.get("/api/v1/checkins").status(423);
}

#[test]
fn a_form_sent_while_locked_is_kept_through_the_unlock() {
    let s = start();
    let c = Client::unlocked(&s);
    c.form("/lock", &[]).status(303);
    let r = c.form("/journal", &[("title", "Kept"), ("body", "Every word\nof it <b>")]).status(423);
    assert!(r.body.contains("What you wrote is still here"), "{}", r.body);
    assert!(r.body.contains("name=\"resume.body\" value=\"Every word\nof it &#60;b&#62;\""), "{}", r.body);
    assert!(!r.body.contains("resume._csrf"), "the old token isn't carried");
    let r = c
        .form(
            "/unlock",
            &[
                ("passphrase", PASS),
                ("resume_to", "/journal"),
                ("resume.title", "Kept"),
                ("resume.body", "Every word\nof it <b>"),
            ],
        )
        .status(200);
    assert!(r.body.contains("hasn't been saved yet"), "{}", r.body);
    assert!(r.body.contains("action=\"/journal\""));
    let token = csrf_of(&r.body);
    let r = c
        .form_raw("/journal", &[("_csrf", &token), ("title", "Kept"), ("body", "Every word\nof it <b>")])
        .status(303);
    let entry = c.get(r.header("location").unwrap()).status(200);
    assert!(entry.body.contains("Every word"));
    assert!(entry.body.contains("of it &lt;b&gt;"), "shown as text: {}", entry.body);
}

#[test]
fn unlock_redirects_stay_on_this_site() {
    let s = start();
    let c = Client::browser(&s);
    // The welcome page keeps `next` on this site too.
    let r = c.form("/unlock", &[("passphrase", PASS), ("next", "//evil.example/")]).status(303);
    assert_eq!(r.header("location"), Some("/welcome/country?next=%2F"));
    let r = c.form("/welcome/country", &[("next", "https://evil.example/"), ("skip", "1")]).status(303);
    assert_eq!(r.header("location"), Some("/"));
    c.form("/lock", &[]).status(303);
    for next in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"] {
        let r = c.form("/unlock", &[("passphrase", PASS), ("next", next)]).status(303);
        assert_eq!(r.header("location"), Some("/"), "{next}");
        c.form("/lock", &[]).status(303);
    }
}
