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
    // 2: a covering index of every record except journal entries. Insights and the visit summary
    // read tens of thousands of small records (check-ins, reactions, …) by kind and time; in the
    // table they sit between long journal entries, so reading them meant decrypting nearly every
    // page of the database. This index keeps them together: about a tenth of the pages.
    // (docs/PERFORMANCE.md; queries name `kind <> 'journal'` so the planner may use it.)
    r#"
    CREATE INDEX records_moments ON records (kind, at, seq, id, created_at, updated_at, body)
        WHERE kind <> 'journal';
    "#,
    // 3: change tracking for sync (docs/SYNC.md). Each record carries the number of its latest
    // change (`rev`); deletions leave a tombstone (id, kind, when: no content) with its own number;
    // one counter hands out the numbers. Existing records take their `seq` (unique, in write
    // order), so a vault from before sync has every record as one change to send.
    r#"
    ALTER TABLE records ADD COLUMN rev INTEGER;
    UPDATE records SET rev = seq;
    CREATE UNIQUE INDEX records_rev ON records (rev);
    CREATE TABLE tombstones (
        id         TEXT PRIMARY KEY,                -- as records.id
        kind       TEXT NOT NULL,
        deleted_at INTEGER NOT NULL,                -- ms since the epoch (UTC)
        rev        INTEGER NOT NULL UNIQUE
    ) STRICT;
    CREATE TABLE change_counter (
        one  INTEGER PRIMARY KEY CHECK (one = 1),
        last INTEGER NOT NULL
    ) STRICT;
    INSERT INTO change_counter (one, last) SELECT 1, coalesce(max(seq), 0) FROM records;
    "#,
];

/// The schema version this build writes.
pub fn latest() -> u32 {
    MIGRATIONS.len() as u32
}
