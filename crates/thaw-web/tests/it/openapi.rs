//! The generated OpenAPI document against what the live server answers: every answer's status is
//! documented for its operation, and every JSON answer has the documented shape (types, required
//! and known fields, enums, ranges, nested through `$ref`, `allOf`, `oneOf`).

use serde_json::{Value, json};

use crate::harness::{Client, PASS, Resp, TestServer, start};

/// The served document.
pub fn served(c: &Client) -> Value {
    let spec = c.get("/api/v1/openapi.json").status(200).json();
    let generated: Value = serde_json::from_str(thaw_web::openapi_document()).unwrap();
    assert_eq!(spec, generated, "the server serves the generated document");
    let mut ids: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "every operationId is used once: {ids:?}");
    spec
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            resolve(doc, doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("dangling {r}")))
        }
        None => schema,
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        other => panic!("unknown type {other}"),
    }
}

/// Whether `v` has the shape `schema` describes; the error names where it doesn't. An object may
/// hold only fields the schema lists (through `allOf`, `oneOf` and `anyOf`), unless it allows more.
pub fn conforms(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    shape(doc, schema, v, at)?;
    let schema = resolve(doc, schema);
    if let Some(object) = v.as_object() {
        let known = known_fields(doc, schema);
        if !known.is_empty()
            && !open(doc, schema)
            && let Some(name) = object.keys().find(|k| !known.contains(k))
        {
            return Err(format!("{at}: the server sent {name}, which the document doesn't list"));
        }
        for (name, value) in object {
            if let Some(p) = property(doc, schema, name, value) {
                conforms(doc, p, value, &format!("{at}.{name}"))?;
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), v.as_array()) {
        for (i, item) in list.iter().enumerate() {
            conforms(doc, items, item, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// The checks of one schema and its parts, field by field but without the check for unknown
/// fields (which needs the whole).
fn shape(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    for part in schema["allOf"].as_array().into_iter().flatten() {
        shape(doc, part, v, at)?;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let errors: Vec<String> = options.iter().filter_map(|o| shape(doc, o, v, at).err()).collect();
            if errors.len() == options.len() {
                return Err(format!("{at}: matches none of {key}: {}", errors.join(" | ")));
            }
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| type_matches(t, v)) {
        return Err(format!("{at}: {v:.80} isn't {types:?}"));
    }
    if let Some(choices) = schema["enum"].as_array()
        && !choices.contains(v)
    {
        return Err(format!("{at}: {v} isn't one of {choices:?}"));
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_f64(), v.as_f64())
        && n < min
    {
        return Err(format!("{at}: {n} is under the minimum {min}"));
    }
    if let (Some(max), Some(n)) = (schema["maximum"].as_f64(), v.as_f64())
        && n > max
    {
        return Err(format!("{at}: {n} is over the maximum {max}"));
    }
    if let Some(object) = v.as_object() {
        for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                return Err(format!("{at}: the required field {name} is missing"));
            }
        }
        if let Some(props) = schema["properties"].as_object() {
            for (name, value) in object {
                if let Some(p) = props.get(name) {
                    shape(doc, p, value, &format!("{at}.{name}"))?;
                }
            }
        }
    }
    Ok(())
}

/// The schema of field `name` (for `value`) in `schema` or its parts: the first that fits.
fn property<'a>(doc: &'a Value, schema: &'a Value, name: &str, value: &Value) -> Option<&'a Value> {
    let schema = resolve(doc, schema);
    if let Some(p) = schema["properties"].get(name) {
        return Some(p);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for part in schema[key].as_array().into_iter().flatten() {
            if let Some(p) = property(doc, part, name, value)
                && shape(doc, p, value, "").is_ok()
            {
                return Some(p);
            }
        }
    }
    if schema["additionalProperties"].is_object() {
        return schema.get("additionalProperties");
    }
    None
}

/// Whether a schema allows fields it doesn't list (a free-form object, or a map).
fn open(doc: &Value, schema: &Value) -> bool {
    let schema = resolve(doc, schema);
    schema["additionalProperties"].is_object()
        || schema["additionalProperties"] == true
        || ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| schema[*k].as_array().into_iter().flatten().any(|p| open(doc, p)))
}

/// The fields a schema can hold, through `allOf` and the options of `oneOf`.
fn known_fields(doc: &Value, schema: &Value) -> Vec<String> {
    let schema = resolve(doc, schema);
    let mut out: Vec<String> =
        schema["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    for key in ["allOf", "oneOf", "anyOf"] {
        for part in schema[key].as_array().into_iter().flatten() {
            out.extend(known_fields(doc, part));
        }
    }
    out
}

/// The operation `method path` (a path as documented, with `{id}`).
fn operation<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    let op = &doc["paths"][path][method.to_lowercase()];
    assert!(op.is_object(), "{method} {path} isn't in the document");
    op
}

/// Asserts that `resp`, the answer to `method path`, is documented: its status, and for JSON its
/// shape.
#[track_caller]
pub fn check(doc: &Value, method: &str, path: &str, resp: &Resp) {
    let op = operation(doc, method, path);
    let documented = &op["responses"][resp.status.to_string()];
    assert!(
        documented.is_object(),
        "{method} {path} answered {}, which its documentation doesn't list: {:.300}",
        resp.status,
        resp.body
    );
    let content_type = resp.header("content-type").unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let content = &documented["content"];
    if resp.body.is_empty() {
        return;
    }
    assert!(
        content.get(media).is_some(),
        "{method} {path} {}: answered {media}, documented {:?}",
        resp.status,
        content.as_object().map(|c| c.keys().collect::<Vec<_>>())
    );
    if media == "application/json"
        && let Some(schema) = content[media].get("schema")
    {
        let body: Value = serde_json::from_str(&resp.body).expect("JSON");
        if let Err(e) = conforms(doc, schema, &body, "body") {
            panic!("{method} {path} {}: {e}\n{:.600}", resp.status, resp.body);
        }
    }
}

/// A client that checks every answer against the document as it goes.
struct Checked<'a> {
    c: Client,
    doc: &'a Value,
}

impl Checked<'_> {
    fn send(&self, method: &str, path: &str, concrete: &str, body: Option<&Value>) -> Resp {
        let resp = match (method, body) {
            ("GET", _) => self.c.get(concrete),
            ("DELETE", _) => self.c.delete(concrete),
            ("POST", Some(b)) => self.c.post_json(concrete, b),
            (m, Some(b)) => self.c.request_json(m, concrete, b),
            (m, None) => self.c.request(m, concrete),
        };
        check(self.doc, method, path, &resp);
        resp
    }
}

fn server() -> (TestServer, Client) {
    let s = start();
    let c = Client::bearer(&s);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    (s, c)
}

/// Real requests to every kind of operation — saves with and without a follow-up, lists, one
/// record, questionnaires, medicines, the self-check, the visit, sync — and each answer has the
/// documented status and shape.
#[test]
fn every_answer_has_the_documented_shape() {
    let (_s, c) = server();
    let doc = served(&c);
    let api = Checked { c, doc: &doc };
    let post = |path: &str, body: Value| api.send("POST", path, path, Some(&body));
    let get = |path: &str| api.send("GET", path.split('?').next().unwrap_or(path), path, None);

    // Support after risky words, with a country set, so follow_up holds the country's lines.
    Client::unlocked(&_s).form("/settings", &[("idle_minutes", "30"), ("country", "GB")]).status(303);
    let risky = post("/api/v1/journal", json!({ "title": "Tonight", "body": "I want to kill myself." }));
    assert_eq!(risky.status, 201);
    assert!(risky.json()["follow_up"].is_object(), "{}", risky.body);
    let id = risky.json()["id"].as_str().unwrap().to_owned();
    let calm = post("/api/v1/journal", json!({ "title": "Lake", "body": "Still water." }));
    assert!(calm.json()["follow_up"].is_null());
    api.send(
        "PUT",
        "/api/v1/journal/{id}",
        &format!("/api/v1/journal/{id}"),
        Some(&json!({ "title": "Tonight", "body": "A little better." })),
    );
    post("/api/v1/checkins", json!({ "emotions": [{ "word": "numb", "intensity": 4 }], "note": "flat" }));
    post("/api/v1/checkins", json!({ "absence": "nothing" }));
    post("/api/v1/reactions", json!({ "situation": "news", "intensity": 5, "styles": ["humour"] }));
    let activity =
        post("/api/v1/activities", json!({ "kind": "walking", "minutes": 20, "before": 2, "after": 4 }));
    let linked = activity.json()["id"].as_str().unwrap().to_owned();
    post("/api/v1/releases", json!({ "kind": "cried", "intensity": 6, "relief": 7, "linked": linked }));
    post("/api/v1/people", json!({ "name": "Sam", "reach": "phone" }));
    // A PHQ-9 with item 9 above 0: support first, then the reminder on the next check-in.
    let phq =
        post("/api/v1/assessments", json!({ "instrument": "phq9", "answers": [1, 1, 1, 1, 1, 1, 1, 1, 1] }));
    assert!(phq.json()["follow_up"].is_object(), "{}", phq.body);
    post("/api/v1/assessments", json!({ "instrument": "who5", "answers": [3, 3, 3, 3, 3] }));
    let reminded = post("/api/v1/checkins", json!({ "emotions": [{ "word": "tired" }] }));
    assert!(reminded.json()["follow_up"].is_object(), "{}", reminded.body);
    for (collection, _) in [
        ("/api/v1/checkins", ()),
        ("/api/v1/journal", ()),
        ("/api/v1/reactions", ()),
        ("/api/v1/releases", ()),
        ("/api/v1/activities", ()),
        ("/api/v1/people", ()),
        ("/api/v1/assessments", ()),
    ] {
        let list = get(collection);
        let first = list.json()[0]["id"].as_str().unwrap().to_owned();
        api.send("GET", &format!("{collection}/{{id}}"), &format!("{collection}/{first}"), None);
        get(&format!("{collection}?limit=0"));
    }
    post("/api/v1/search", json!({ "q": "water" }));
    post("/api/v1/suggest", json!({ "text": "I feel nothing at all" }));
    get("/api/v1/vocabulary");
    get("/api/v1/status");

    post("/api/v1/medications", json!({ "name": "Zoloft", "dose": 50, "unit": "mg" }));
    post("/api/v1/medications", json!({ "name": "sertralin", "dose": 50, "unit": "mg" }));
    let meds = get("/api/v1/medications");
    let med = meds.json()[0]["id"].as_str().unwrap().to_owned();
    api.send("GET", "/api/v1/medications/{id}", &format!("/api/v1/medications/{med}"), None);
    api.send("GET", "/api/v1/medications/{id}", "/api/v1/medications/aspirin", None);
    api.send(
        "POST",
        "/api/v1/medications/{id}/events",
        &format!("/api/v1/medications/{med}/events"),
        Some(&json!({ "event": "dose-changed", "dose": 75, "unit": "mg" })),
    );
    api.send("GET", "/api/v1/medication-info/{id}", "/api/v1/medication-info/zoloft", None);
    api.send("GET", "/api/v1/medication-info/{id}", "/api/v1/medication-info/sertralin", None);

    let questions = get("/api/v1/selfcheck");
    assert!(questions.json()["areas"].is_array());
    let taken = post("/api/v1/selfchecks", json!({ "answers": { "numb-1": 3 } }));
    assert!(taken.status == 201 || taken.status == 422, "{}", taken.body);
    get("/api/v1/selfchecks");

    get("/api/v1/insights");
    get("/api/v1/insights?from=2020-01-01");
    for format in ["md", "html", "fhir", "pdf", "doc"] {
        get(&format!("/api/v1/report?format={format}"));
    }
    let added = post("/api/v1/report/questions", json!({ "text": "Could the dose be why I feel flat?" }));
    assert_eq!(added.status, 201);
    get("/api/v1/report/questions");
    api.send("DELETE", "/api/v1/report/questions/{id}", "/api/v1/report/questions/1", None);
    api.send("DELETE", "/api/v1/report/questions/{id}", "/api/v1/report/questions/9", None);

    let page = get("/api/v1/sync/changes?limit=3");
    assert_eq!(page.json()["changes"].as_array().unwrap().len(), 3);
    api.send("DELETE", "/api/v1/journal/{id}", &format!("/api/v1/journal/{id}"), None);
    let all = get("/api/v1/sync/changes");
    let cursor = all.json()["cursor"].clone();
    let changes: Vec<Value> = all.json()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .take(2)
        .map(|c| {
            let mut c = c.clone();
            c.as_object_mut().unwrap().remove("cursor");
            c
        })
        .collect();
    assert!(changes.iter().any(|c| c["change"] == "delete"), "{changes:?}");
    post("/api/v1/sync/push", json!({ "base": cursor, "changes": changes }));
    post("/api/v1/sync/push", json!({ "base": 0, "changes": changes }));

    // Refusals are documented too.
    post("/api/v1/checkins", json!({ "emotions": [{ "word": "blorple" }] }));
    api.send("POST", "/api/v1/checkins", "/api/v1/checkins", None);
    post("/api/v1/accounts", json!({ "username": "fern", "passphrase": PASS }));
    api.send("DELETE", "/api/v1/sessions", "/api/v1/sessions", None);
    post("/api/v1/lock", json!({}));
    get("/api/v1/checkins");
    get("/api/v1/status");
    let anonymous = Checked { c: Client::anonymous(&_s), doc: &doc };
    anonymous.send("GET", "/api/v1/journal", "/api/v1/journal", None);
}

/// The follow-up is in the document with what it holds, and every save of free text or of a
/// questionnaire answers with it.
#[test]
fn the_follow_up_is_documented_where_it_is_answered() {
    let (_s, c) = server();
    let doc = served(&c);
    let follow_up = &doc["components"]["schemas"]["FollowUp"];
    for field in ["reason", "message", "country", "crisis", "safety_plan", "tell_doctor"] {
        assert!(follow_up["properties"][field].is_object(), "FollowUp.{field}");
    }
    let text = doc.to_string();
    for path in ["/api/v1/checkins", "/api/v1/journal", "/api/v1/assessments", "/api/v1/report/questions"] {
        let op = operation(&doc, "POST", path);
        let schema = resolve(&doc, &op["responses"]["201"]["content"]["application/json"]["schema"]);
        assert!(known_fields(&doc, schema).contains(&"follow_up".to_owned()), "{path}: no follow_up");
    }
    assert!(text.contains("/api/v1/sync/changes") && text.contains("/api/v1/sync/push"));
}

/// The shape check itself finds what is wrong: an unknown field, a missing one, a value out of
/// range or outside an enum, deep inside a save's answer.
#[test]
fn the_shape_check_finds_a_wrong_answer() {
    let (_s, c) = server();
    let doc = served(&c);
    let op = operation(&doc, "POST", "/api/v1/checkins");
    let schema = &op["responses"]["201"]["content"]["application/json"]["schema"];
    let saved = c
        .post_json(
            "/api/v1/checkins",
            &json!({ "emotions": [{ "word": "numb", "intensity": 3 }], "note": "x" }),
        )
        .status(201)
        .json();
    conforms(&doc, schema, &saved, "body").unwrap();
    let wrong = |change: &dyn Fn(&mut Value)| {
        let mut v = saved.clone();
        change(&mut v);
        conforms(&doc, schema, &v, "body").expect_err(&v.to_string())
    };
    assert!(wrong(&|v| v["mood"] = json!("fine")).contains("mood"));
    assert!(
        wrong(&|v| {
            v.as_object_mut().unwrap().remove("id");
        })
        .contains("id")
    );
    assert!(wrong(&|v| v["emotions"][0]["intensity"] = json!(11)).contains("11"));
    assert!(wrong(&|v| v["type"] = json!("diary")).contains("diary"));
    assert!(wrong(&|v| v["follow_up"] = json!({ "reason": "nope" })).contains("follow_up"));
    assert!(wrong(&|v| v["said_aloud"] = json!("yes")).contains("said_aloud"));
}
