//! Schema migrations, applied in order and recorded in `PRAGMA user_version`.
//!
//! Released migrations are never edited: a change is a new entry at the end.

/// Each entry moves the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: records (any kind, JSON body), the full-text index, settings.
    r#"
    CREATE TABLE records (
        seq        INTEGER PRIMARY KEY,             -- links the full-text index
        id         TEXT NOT NULL UNIQUE,            -- UUIDv7 as 32 lowercase hex digits
        kind       TEXT NOT NULL,
        at         INTEGER NOT NULL,                -- when it happened, ms since the epoch (UTC)
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        body       TEXT NOT NULL CHECK (json_valid(body))
    ) STRICT;
    CREATE INDEX records_kind_at ON records (kind, at);
    CREATE INDEX records_at ON records (at);
    -- Contentless: the text lives only in `records`; the index keeps tokens, not a second copy.
    CREATE VIRTUAL TABLE records_fts USING fts5 (
        text, content = '', contentless_delete = 1,
        tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
    ) STRICT;
    "#,
];

/// The schema version this build writes.
pub fn latest() -> u32 {
    MIGRATIONS.len() as u32
}
