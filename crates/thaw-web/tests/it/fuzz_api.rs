//! The JSON API fuzzed against its own OpenAPI document: every operation in the document gets
//! generated bodies, queries and ids — JSON of the right and the wrong shapes, huge numbers,
//! Unicode, empty and malformed bodies — sent to a real server. No input may cause a 5xx, and
//! a refused request answers `{"error": "…"}`.
//!
//! `THAW_API_FUZZ_CASES` sets the cases per operation (default 24, about 700 requests); a long
//! run: `THAW_API_FUZZ_CASES=2000 cargo test -p thaw-web --test it -- fuzz_api --nocapture`.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Number, Value, json};

use crate::harness::{Client, PASS, Resp, start};

/// One operation of the document.
#[derive(Debug, Clone)]
struct Operation {
    method: String,
    path: String,
    body: Option<Value>,
    query: Vec<String>,
}

fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r.trim_start_matches('#');
            resolve(doc, doc.pointer(pointer).unwrap_or_else(|| panic!("dangling $ref {r}")))
        }
        None => v,
    }
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let body = op.pointer("/requestBody/content/application~1json/schema").map(|s| inline(doc, s));
            let query = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| resolve(doc, p))
                .filter(|p| p["in"] == "query")
                .map(|p| p["name"].as_str().expect("name").to_owned())
                .collect();
            ops.push(Operation { method: method.to_uppercase(), path: path.clone(), body, query });
        }
    }
    ops
}

/// The schema with every `$ref` replaced by what it points to.
fn inline(doc: &Value, schema: &Value) -> Value {
    match resolve(doc, schema) {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), inline(doc, v))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(|v| inline(doc, v)).collect()),
        other => other.clone(),
    }
}

/// Strings that have broken parsers elsewhere, and ones the API should accept.
const STRINGS: &[&str] = &[
    "",
    " ",
    "hurt",
    "Numb",
    "nothing",
    "cant-tell",
    "can't tell",
    "tight chest",
    "humour",
    "felt-it",
    "painting",
    "cried",
    "phq9",
    "who5",
    "journal",
    "2025-03-05",
    "2025-03-05T07:40",
    "2025-03-05T07:40:00+01:00",
    "2025-02-30",
    "0000-01-01",
    "-009999-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "+009999-12-31",
    "1e400",
    "-1",
    "18446744073709551616",
    "0123abcd",
    "ffffffff",
    "01890a5d-ac96-774b-bcce-b302099a8057",
    "\"*",
    "NEAR(a b)",
    "\u{0}",
    "😢🫠",
    "\u{202e}gnp.exe",
    "e\u{301}",
    "<script>alert(1)</script>",
    "../../../etc/passwd",
    "%00%ff",
    "Robert'); DROP TABLE records;--",
];

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-3i64..14).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        Just(Value::from(i64::MIN)),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        Just(json!(1e308)),
        Just(json!(0.5)),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(STRINGS).prop_map(str::to_owned),
        2 => "\\PC{0,24}",
        1 => any::<String>(),
        1 => (1usize..40_000).prop_map(|n| "ж".repeat(n)),
    ]
}

/// For addresses: long, but within what an HTTP client sends (about 64 KiB).
fn address_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(STRINGS).prop_map(str::to_owned),
        2 => "\\PC{0,24}",
        1 => (1usize..1_500).prop_map(|n| "ж".repeat(n)),
    ]
}

/// Any JSON value, nested a little.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Raw material for one request; the operation's schema shapes it at run time.
#[derive(Debug, Clone)]
struct Input {
    op: usize,
    mode: u8,
    /// Values for the schema's properties, in order (wrong shapes on purpose).
    pool: Vec<Value>,
    /// Per property: leave it out, use a value of the schema's type, or one from `pool`.
    choice: Vec<u8>,
    strings: Vec<String>,
    ints: Vec<i64>,
    extra_key: Option<String>,
    id: String,
    query: Vec<(u8, String)>,
    raw: Vec<u8>,
}

fn input(ops: usize) -> impl Strategy<Value = Input> {
    (
        0..ops,
        0u8..10,
        prop::collection::vec(value(), 8),
        prop::collection::vec(0u8..6, 8),
        prop::collection::vec(text(), 8),
        prop::collection::vec(prop_oneof![4 => -2i64..12, 1 => any::<i64>()], 12),
        prop::option::weighted(0.15, text()),
        address_text(),
        prop::collection::vec((0u8..5, address_text()), 0..4),
        prop::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(op, mode, pool, choice, strings, ints, extra_key, id, query, raw)| Input {
            op,
            mode,
            pool,
            choice,
            strings,
            ints,
            extra_key,
            id,
            query,
            raw,
        })
}

/// A value of the schema's type, mostly in range, built from the input's material.
fn typed_value(schema: &Value, input: &Input, salt: usize) -> Value {
    if let Some(choices) = schema["enum"].as_array() {
        return choices[input.ints[salt % input.ints.len()].unsigned_abs() as usize % choices.len()].clone();
    }
    let kind = match &schema["type"] {
        Value::Array(types) => types.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    let int = input.ints[salt % input.ints.len()];
    match kind.as_str() {
        Some("string") => Value::String(input.strings[salt % input.strings.len()].clone()),
        Some("integer") => Value::from(int),
        Some("boolean") => Value::Bool(int % 2 == 0),
        Some("array") => {
            let n = int.unsigned_abs() as usize % 10;
            Value::Array((0..n).map(|k| typed_value(&schema["items"], input, salt * 7 + k + 1)).collect())
        }
        Some("object") => object(schema, input, salt + 1),
        _ => input.pool[salt % input.pool.len()].clone(),
    }
}

fn object(schema: &Value, input: &Input, salt: usize) -> Value {
    let mut out = Map::new();
    if let Some(props) = schema["properties"].as_object() {
        for (i, (name, prop)) in props.iter().enumerate() {
            let k = salt + i;
            match input.choice[k % input.choice.len()] {
                0 => {}
                1 => {
                    out.insert(name.clone(), input.pool[k % input.pool.len()].clone());
                }
                _ => {
                    out.insert(name.clone(), typed_value(prop, input, k));
                }
            }
        }
    }
    if salt == 0
        && let Some(key) = &input.extra_key
    {
        out.insert(key.clone(), input.pool[0].clone());
    }
    Value::Object(out)
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

struct Sent {
    what: String,
    /// `None` when the connection failed while the body was still being sent.
    resp: Option<Resp>,
}

fn send(client: &Client, op: &Operation, input: &Input) -> Sent {
    let mut path = op.path.replace("{id}", &percent_encode(&input.id));
    if op.method == "GET" && !input.query.is_empty() {
        let names: Vec<String> = op.query.iter().cloned().chain(["q".to_owned(), "".to_owned()]).collect();
        let pairs: Vec<String> = input
            .query
            .iter()
            .map(|(n, v)| {
                format!("{}={}", percent_encode(&names[*n as usize % names.len()]), percent_encode(v))
            })
            .collect();
        path = format!("{path}?{}", pairs.join("&"));
    }
    let (what, resp) = match op.method.as_str() {
        "GET" => (format!("GET {path:.300}"), Some(client.get(&path))),
        "DELETE" => (format!("DELETE {path:.300}"), Some(client.delete(&path))),
        _ => {
            let body = match (&op.body, input.mode) {
                (_, 0) => input.pool[0].to_string(),
                (_, 1) => String::from_utf8_lossy(&input.raw).into_owned(),
                (_, 2) => String::new(),
                (Some(schema), _) => object(schema, input, 0).to_string(),
                (None, _) => input.pool[1].to_string(),
            };
            let content_type = if input.mode == 3 { "text/plain" } else { "application/json" };
            (
                format!("{} {path} ({content_type}) {body:.300}", op.method),
                client.try_post_raw(&path, content_type, &body).ok(),
            )
        }
    };
    Sent { what, resp }
}

/// Unlocks, waiting out the growing waits that wrong passphrases bring (429 + Retry-After).
fn unlock_waiting(client: &Client) {
    for _ in 0..30 {
        let r = client.post_json("/api/v1/unlock", &json!({ "passphrase": PASS }));
        if r.status == 200 {
            return;
        }
        assert_eq!(r.status, 429, "{}", r.body);
        let secs: u64 = r.header("retry-after").and_then(|s| s.parse().ok()).expect("Retry-After");
        std::thread::sleep(std::time::Duration::from_secs(secs));
    }
    panic!("the vault never unlocked again");
}

#[test]
fn no_generated_input_causes_a_server_error() {
    let doc: Value = serde_json::from_str(thaw_web::openapi_document()).expect("openapi.json");
    let ops = operations(&doc);
    assert!(ops.len() >= 20, "{} operations", ops.len());
    let server = start();
    let client = Client::bearer(&server);
    client.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    // Something to find and link to.
    let entry =
        client.post_json("/api/v1/journal", &json!({ "title": "hurt", "body": "numb" })).status(201).json();
    assert!(entry["id"].is_string());

    let per_op: u32 = std::env::var("THAW_API_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let cases = per_op * u32::try_from(ops.len()).expect("few operations");
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let statuses = std::cell::RefCell::new(std::collections::BTreeMap::<u16, u32>::new());
    let result = runner.run(&input(ops.len()), |input| {
        let op = &ops[input.op];
        let sent = send(&client, op, &input);
        let Some(resp) = sent.resp else {
            // The server refused before reading the whole body and closed the connection (a
            // client sees a broken pipe). It must still be up and answering.
            *statuses.borrow_mut().entry(0).or_default() += 1;
            let alive = client.get("/api/v1/status");
            if alive.status != 200 {
                return Err(TestCaseError::fail(format!("{}: the server stopped answering", sent.what)));
            }
            return Ok(());
        };
        *statuses.borrow_mut().entry(resp.status).or_default() += 1;
        let status = resp.status;
        if status >= 500 {
            return Err(TestCaseError::fail(format!("{status} for {}: {}", sent.what, resp.body)));
        }
        if matches!(status, 400 | 404 | 415 | 422 | 423) {
            let error = serde_json::from_str::<Value>(&resp.body)
                .ok()
                .and_then(|v| v["error"].as_str().map(str::to_owned));
            if error.is_none_or(|e| e.trim().is_empty()) {
                return Err(TestCaseError::fail(format!(
                    "{status} without a JSON error for {}: {}",
                    sent.what, resp.body
                )));
            }
        }
        // Locking (or a lucky unlock) is fine; the next case should find the vault open again.
        // Generated passphrases are wrong, so the unlock may first have to wait its turn.
        if op.path.ends_with("/lock") {
            unlock_waiting(&client);
        }
        Ok(())
    });
    // Status 0 counts connections the server closed before the body was sent.
    eprintln!("API fuzz: {cases} requests over {} operations, statuses {:?}", ops.len(), statuses.borrow());
    if let Err(e) = result {
        panic!("{e}");
    }
    let statuses = statuses.into_inner();
    assert!(statuses.keys().any(|s| (200..300).contains(s)), "some inputs were accepted: {statuses:?}");
    assert!(statuses.contains_key(&422), "some were refused as bad values: {statuses:?}");
}

fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let marker = format!(" {attr}=\"");
    html.split(marker.as_str()).skip(1).map(|r| r.split('"').next().unwrap_or_default().to_owned()).collect()
}

/// The fields of every form on the pages (except locking), as `(action, field names)`.
fn forms_on(pages: &[String]) -> Vec<(String, Vec<String>)> {
    let mut forms: Vec<(String, Vec<String>)> = Vec::new();
    for page in pages {
        for chunk in page.split("<form").skip(1) {
            let form = chunk.split("</form>").next().unwrap_or_default();
            let Some(action) = attr_values(form, "action").into_iter().next() else { continue };
            let mut names: Vec<String> =
                attr_values(form, "name").into_iter().filter(|n| n != "_csrf").collect();
            names.sort();
            names.dedup();
            if action != "/lock" && action != "/unlock" && !forms.contains(&(action.clone(), names.clone())) {
                forms.push((action, names));
            }
        }
    }
    forms
}

/// Every form the pages show, posted with generated values (any text, out-of-range numbers,
/// fields left out, repeated or unknown): no 5xx.
#[test]
fn no_generated_form_causes_a_server_error() {
    let server = start();
    let browser = Client::unlocked(&server);
    let entry = Client::script(&server)
        .post_json("/api/v1/journal", &json!({ "title": "hurt", "body": "numb", "tags": ["rain"] }))
        .status(201)
        .json();
    let id = entry["id"].as_str().expect("id");
    let pages: Vec<String> = [
        "/",
        "/checkin",
        "/checkin/body",
        "/checkin/words?family=sad",
        "/journal",
        "/journal/new",
        "/react",
        "/release",
        "/activity",
        "/people",
        "/safety",
        "/settings",
        "/search",
        "/assess/phq9",
        "/assess/gad7",
        "/assess/who5",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .chain([format!("/journal/{id}"), format!("/journal/{id}/edit"), format!("/journal/{id}/delete")])
    .map(|p| browser.get(&p).status(200).body)
    .collect();
    let forms = forms_on(&pages);
    assert!(forms.len() >= 12, "{forms:?}");

    let per_form: u32 = std::env::var("THAW_API_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let cases = per_form * u32::try_from(forms.len()).expect("few forms");
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let fields = prop::collection::vec((0u8..8, address_text()), 0..12);
    let result = runner.run(
        &(0..forms.len(), fields, prop::option::weighted(0.2, address_text())),
        |(f, values, extra)| {
            let (action, names) = &forms[f];
            let mut sent: Vec<(String, String)> = Vec::new();
            for (i, name) in names.iter().enumerate() {
                // Each field is left out, sent once or sent twice, with generated text.
                let (how, value) = values.get(i).cloned().unwrap_or((1, String::new()));
                for _ in 0..(how % 3) {
                    sent.push((name.clone(), value.clone()));
                }
            }
            if let Some(extra) = extra {
                sent.push((extra.clone(), extra));
            }
            let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let resp = browser.form(action, &pairs);
            if resp.status >= 500 {
                return Err(TestCaseError::fail(format!(
                    "{} for {action} {sent:?}: {:.500}",
                    resp.status, resp.body
                )));
            }
            Ok(())
        },
    );
    eprintln!("form fuzz: {cases} posts over {} forms", forms.len());
    if let Err(e) = result {
        panic!("{e}");
    }
}
