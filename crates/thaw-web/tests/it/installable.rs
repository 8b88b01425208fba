//! Thaw as an installable web app: the manifest, the icons, the service worker and its offline
//! page are public (no secret, nothing private, the Host check still applies), served with the
//! right types and cache headers; private pages and API answers stay `no-store`.

use serde_json::json;

use crate::harness::{Client, Resp, raw_request, start};

/// The public paths a phone and the service worker fetch without a session.
const PUBLIC: [&str; 3] = ["/manifest.webmanifest", "/sw.js", "/offline"];

/// The `?v=` hash a page links its assets with.
fn asset_version(page: &str) -> String {
    let at = page.find("/assets/style.css?v=").expect("stylesheet link") + "/assets/style.css?v=".len();
    page[at..].chars().take_while(char::is_ascii_hexdigit).collect()
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let n = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (n(16), n(20))
}

/// The addresses sw.js keeps: its quoted paths, with this build's hash where it adds one.
fn worker_shell(worker: &str, version: &str) -> Vec<String> {
    let start = worker.find("var SHELL = [").expect("SHELL list");
    let list = &worker[start..start + worker[start..].find("];").expect("end of SHELL")];
    let mut out: Vec<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|p| if p.ends_with("?v=") { format!("{p}{version}") } else { p.to_owned() })
        .collect();
    if list.contains("OFFLINE,") {
        out.push("/offline".to_owned());
    }
    out
}

#[test]
fn the_manifest_names_thaw_and_its_icons_on_every_host_of_ours_without_a_secret() {
    let s = start();
    for c in [Client::anonymous(&s), Client::on_app_host(&s)] {
        let r = c.get("/manifest.webmanifest").status(200);
        assert_eq!(r.header("content-type"), Some("application/manifest+json"));
        assert_eq!(r.header("cache-control"), Some("no-cache"));
        let m = r.json();
        assert_eq!(m["name"], "Thaw");
        assert_eq!(m["short_name"], "Thaw");
        assert_eq!(m["start_url"], "/");
        assert_eq!(m["scope"], "/");
        assert_eq!(m["display"], "standalone");
        for colour in ["theme_color", "background_color"] {
            let v = m[colour].as_str().expect(colour);
            assert!(v.len() == 7 && v.starts_with('#'), "{colour}: {v}");
        }
        let icons = m["icons"].as_array().expect("icons");
        let mut seen = Vec::new();
        for icon in icons {
            let src = icon["src"].as_str().expect("src");
            let sizes = icon["sizes"].as_str().expect("sizes");
            assert_eq!(icon["type"], "image/png");
            let (resp, bytes) = c.get_bytes(src);
            assert_eq!(resp.status, 200, "{src}");
            assert_eq!(resp.header("content-type"), Some("image/png"), "{src}");
            let (w, h) = png_size(&bytes);
            assert_eq!(format!("{w}x{h}"), sizes, "{src}");
            seen.push((w, icon["purpose"].as_str().unwrap_or("any").to_owned()));
        }
        for want in [(192, "any"), (512, "any"), (512, "maskable")] {
            assert!(seen.iter().any(|(w, p)| *w == want.0 && p == want.1), "{want:?} in {seen:?}");
        }
    }
}

#[test]
fn the_service_worker_keeps_only_public_addresses_of_this_build() {
    let s = start();
    let c = Client::unlocked(&s);
    let home = c.get("/").status(200);
    let version = asset_version(&home.body);
    assert!(version.len() >= 8, "{version}");
    let anon = Client::on_app_host(&s);
    let worker = anon.get("/sw.js").status(200);
    assert_eq!(worker.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(worker.header("cache-control"), Some("no-cache"));
    assert!(worker.header("service-worker-allowed").is_none(), "served at the root, no wider scope needed");
    assert!(
        worker.body.contains(&format!("var VERSION = \"{version}\";")),
        "the build's hash names the cache"
    );
    assert!(!worker.body.contains("__VERSION__"));
    let shell = worker_shell(&worker.body, &version);
    assert!(shell.len() >= 6, "{shell:?}");
    for path in &shell {
        assert!(path.starts_with("/assets/") || path == "/offline", "only public files: {path}");
        // Each one is served without a secret, or installing the worker would fail.
        let r = anon.request("GET", path);
        assert_eq!(r.status, 200, "{path}");
        // The pages link exactly these addresses.
        if path.contains("?v=") && !path.contains("icon-") {
            assert!(home.body.contains(path.as_str()), "the page links {path}");
        }
    }
}

#[test]
fn the_offline_page_is_public_and_the_same_for_everyone() {
    let s = start();
    let anon = Client::anonymous(&s).get("/offline").status(200);
    assert_eq!(anon.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(anon.header("cache-control"), Some("no-cache"));
    let text = anon.text();
    assert!(text.contains("You're offline"), "{text}");
    assert!(text.contains("Thaw needs its server to show your records"));
    assert!(text.contains("call your local emergency number"));
    assert!(text.contains("Samaritans") && text.contains("988"), "crisis lines for every country");
    assert!(!text.contains("Your country"), "no country of the person's");
    assert!(!text.contains("_csrf") && !text.contains("data-csrf"), "no session");
    assert!(!text.contains("<script"), "works without the script");
    // A browser that unlocked and chose a country gets the very same page.
    let c = Client::unlocked(&s);
    c.form("/settings", &[("idle_minutes", "30"), ("country", "IE")]).status(303);
    assert_eq!(c.get("/offline").status(200).body, anon.body);
}

#[test]
fn the_host_check_still_applies_to_the_public_shell() {
    let s = start();
    for path in PUBLIC.iter().chain(&["/assets/icon-192.png", "/assets/apple-touch-icon.png"]) {
        let out = raw_request(
            s.port,
            &format!("GET {path} HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n", s.port),
        );
        assert!(out.starts_with("HTTP/1.1 421"), "{path}: {out}");
        assert!(!out.contains("Thaw needs its server") && !out.contains("\"name\""), "{path}: {out}");
    }
}

#[test]
fn the_policy_lets_in_our_own_worker_and_manifest_only() {
    let s = start();
    let c = Client::unlocked(&s);
    for path in ["/", "/sw.js", "/manifest.webmanifest", "/offline"] {
        let r = c.get(path);
        let csp = r.header("content-security-policy").expect("CSP");
        for want in ["worker-src 'self'", "manifest-src 'self'", "connect-src 'self'", "default-src 'none'"] {
            assert!(csp.contains(want), "{path}: {csp}");
        }
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
    }
    let home = c.get("/").body;
    assert!(home.contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">"));
    assert!(home.contains("rel=\"apple-touch-icon\""));
    assert!(home.contains("name=\"theme-color\""));
}

#[test]
fn private_pages_and_api_answers_stay_no_store() {
    let s = start();
    let c = Client::unlocked(&s);
    let script = Client::script(&s);
    let no_store = |what: &str, r: &Resp| {
        assert_eq!(r.header("cache-control"), Some("no-store"), "{what} (status {})", r.status);
    };
    for page in [
        "/",
        "/checkin",
        "/journal",
        "/journal/new",
        "/insights",
        "/react",
        "/people",
        "/meds",
        "/safety",
        "/report",
        "/search",
        "/settings",
        "/crisis",
        "/guide",
        "/no/such/page",
    ] {
        no_store(page, &c.get(page));
    }
    no_store(
        "a saved check-in (api)",
        &script.post_json("/api/v1/checkins", &json!({ "absence": "nothing" })).status(201),
    );
    for api in ["/api/v1/status", "/api/v1/checkins", "/api/v1/journal", "/api/v1/nothing"] {
        no_store(api, &script.get(api));
        no_store(api, &c.get(api));
    }
    no_store("a form's answer", &c.form("/lock", &[]));
    no_store("the locked home", &c.get("/"));
    // Without a secret: the "use your link" page and the API's 401.
    let anon = Client::on_app_host(&s);
    no_store("401 page", &anon.get("/journal").status(401));
    no_store("401 api", &anon.get("/api/v1/status").status(401));
}
