//! The sync routes over the bearer API: changes since a cursor, conditional pushes, and the
//! settings page's line about the last sync.

use serde_json::{Value, json};

use crate::harness::{Client, PASS, start};

#[test]
fn changes_come_in_cursor_order_and_pushes_are_conditional() {
    let s = start();
    let c = Client::bearer(&s);
    c.get("/api/v1/sync/changes").status(423);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    let saved =
        c.post_json("/api/v1/journal", &json!({ "title": "Sunday", "body": "grey lake" })).status(201).json();
    let page = c.get("/api/v1/sync/changes?since=0&limit=10").status(200).json();
    let changes = page["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["change"], "put");
    assert_eq!(changes[0]["record"]["id"], saved["id"]);
    let cursor = changes[0]["cursor"].as_u64().unwrap();
    assert_eq!(page["cursor"], cursor);
    assert_eq!(page["more"], false);

    // A push based on the latest cursor is written; the same again is unchanged.
    let mut record = changes[0]["record"].clone();
    record["body"] = json!("grey lake, then sun");
    record["updated_at"] = json!("2030-01-01T00:00:00Z");
    let push = |base: u64, record: &Value| {
        c.post_json(
            "/api/v1/sync/push",
            &json!({ "base": base, "changes": [{ "change": "put", "record": record }] }),
        )
    };
    let reply = push(cursor, &record).status(200).json();
    assert_eq!(reply["outcomes"][0]["outcome"], "written");
    assert_eq!(reply["before"], cursor);
    assert_eq!(push(0, &record).status(200).json()["outcomes"][0]["outcome"], "unchanged");
    // One based on an older cursor loses: nothing is written.
    let mut stale = record.clone();
    stale["body"] = json!("from an old copy");
    assert_eq!(push(cursor, &stale).status(200).json()["outcomes"][0]["outcome"], "conflict");
    let id = saved["id"].as_str().unwrap();
    assert_eq!(c.get(&format!("/api/v1/journal/{id}")).status(200).json()["body"], "grey lake, then sun");

    // A deletion travels as a tombstone with no content.
    let deleted = c.post_json(
        "/api/v1/sync/push",
        &json!({ "base": reply["after"], "changes": [{ "change": "delete", "tombstone": { "id": id, "kind": "journal", "deleted_at": "2030-01-02T00:00:00Z" } }] }),
    );
    assert_eq!(deleted.status(200).json()["outcomes"][0]["outcome"], "written");
    let tail = c.get(&format!("/api/v1/sync/changes?since={}", reply["after"])).status(200).json();
    assert_eq!(tail["changes"][0]["change"], "delete");
    assert!(tail["changes"][0].get("record").is_none());
    assert!(!tail.to_string().contains("lake"));

    // Bad input is a clear 4xx.
    c.get("/api/v1/sync/changes?since=-1").status(422);
    c.get("/api/v1/sync/changes?limit=5000").status(422);
    c.get("/api/v1/sync/changes?cursor=3").status(422);
    c.post_json("/api/v1/sync/push", &json!({ "base": 0 })).status(422);
    c.post_json("/api/v1/sync/push", &json!({ "base": 0, "changes": [{ "change": "put" }] })).status(422);
}
