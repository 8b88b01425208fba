//! Schema migrations, applied in order and recorded in `schema_migrations`.
//!
//! Released migrations are never edited: a change is a new entry at the end. All pending
//! migrations run in one transaction under an advisory lock, so two servers starting at once
//! don't both apply them, and a failed migration leaves the schema as it was.

use postgres::GenericClient;
use thaw_store::StoreError;

use crate::error::pg_error;

/// Each entry moves the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: accounts (with their wrapped keys), records (sealed bodies and blind-index tokens),
    // settings (sealed values); row-level security on all three.
    r#"
    -- The account the current transaction works for, or NULL when none is set (then every
    -- policy below matches no row). Set with set_config('thaw.account', id, true).
    CREATE FUNCTION thaw_account() RETURNS uuid
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT nullif(current_setting('thaw.account', true), '')::uuid $$;

    -- The username being signed in to, for the one lookup that happens before the account is
    -- known. Set with set_config('thaw.username', name, true).
    CREATE FUNCTION thaw_username() RETURNS text
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT nullif(current_setting('thaw.username', true), '') $$;

    CREATE TABLE accounts (
        id         uuid PRIMARY KEY,
        username   text NOT NULL UNIQUE,         -- lowercase, as typed otherwise
        key_file   text NOT NULL,                -- thaw-vault key file JSON: the data key, wrapped
        created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE records (
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id         uuid NOT NULL,
        seq        bigint GENERATED ALWAYS AS IDENTITY,  -- write order, for search results
        kind       text NOT NULL,
        at         bigint NOT NULL,              -- when it happened, ms since the epoch (UTC)
        sealed     bytea NOT NULL,               -- XChaCha20-Poly1305: created/updated times and body
        tokens     integer[] NOT NULL,           -- blind index: keyed hashes of word prefixes
        PRIMARY KEY (account_id, id)
    );
    CREATE INDEX records_at ON records (account_id, at, seq);
    CREATE INDEX records_kind_at ON records (account_id, kind, at, seq);
    CREATE INDEX records_seq ON records (account_id, seq);
    -- No GIN index on tokens: under row-level security PostgreSQL may use an index only for
    -- leakproof operators, and array containment (@>) isn't one, so the server's role could never
    -- use it. A search walks the account's rows newest first (records_seq) and stops at its limit.

    CREATE TABLE settings (
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        key        text NOT NULL,
        sealed     bytea NOT NULL,
        PRIMARY KEY (account_id, key)
    );

    ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
    ALTER TABLE accounts FORCE ROW LEVEL SECURITY;
    ALTER TABLE records ENABLE ROW LEVEL SECURITY;
    ALTER TABLE records FORCE ROW LEVEL SECURITY;
    ALTER TABLE settings ENABLE ROW LEVEL SECURITY;
    ALTER TABLE settings FORCE ROW LEVEL SECURITY;

    CREATE POLICY account_reads ON accounts FOR SELECT
        USING (id = thaw_account() OR username = thaw_username());
    CREATE POLICY account_inserts ON accounts FOR INSERT WITH CHECK (id = thaw_account());
    CREATE POLICY account_updates ON accounts FOR UPDATE
        USING (id = thaw_account()) WITH CHECK (id = thaw_account());
    CREATE POLICY account_deletes ON accounts FOR DELETE USING (id = thaw_account());

    CREATE POLICY own_records ON records
        USING (account_id = thaw_account()) WITH CHECK (account_id = thaw_account());
    CREATE POLICY own_settings ON settings
        USING (account_id = thaw_account()) WITH CHECK (account_id = thaw_account());
    "#,
    // 2: invitations for `thaw host --signup invite`: only a SHA-256 of each code, single use,
    // with an expiry. No account data, so no row-level security.
    r#"
    CREATE TABLE invitations (
        code_hash  bytea PRIMARY KEY,            -- SHA-256 of the code; the code itself is never stored
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
    );
    "#,
    // 3: change tracking for sync (docs/SYNC.md). Each record carries the number of its latest
    // change in its account (`rev`); deletions leave a tombstone (id, kind, when: nothing sealed,
    // nothing the records table didn't already show); each account has one counter, whose row
    // every write locks, so an account's changes commit in the order of their numbers.
    // Existing records take their `seq` (unique, in write order). The owner is bound by the
    // forced row-level security, so it is lifted for the two statements that fill in rows of
    // every account, inside this transaction.
    r#"
    ALTER TABLE records ADD COLUMN rev bigint;
    ALTER TABLE records NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE records DISABLE ROW LEVEL SECURITY;
    UPDATE records SET rev = seq;
    ALTER TABLE records ENABLE ROW LEVEL SECURITY;
    ALTER TABLE records FORCE ROW LEVEL SECURITY;
    ALTER TABLE records ALTER COLUMN rev SET NOT NULL;
    CREATE UNIQUE INDEX records_rev ON records (account_id, rev);

    CREATE TABLE tombstones (
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id         uuid NOT NULL,
        kind       text NOT NULL,
        deleted_at bigint NOT NULL,              -- ms since the epoch (UTC)
        rev        bigint NOT NULL,
        PRIMARY KEY (account_id, id)
    );
    CREATE UNIQUE INDEX tombstones_rev ON tombstones (account_id, rev);

    CREATE TABLE change_counters (
        account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        last       bigint NOT NULL
    );
    ALTER TABLE records DISABLE ROW LEVEL SECURITY;
    INSERT INTO change_counters (account_id, last)
        SELECT account_id, max(seq) FROM records GROUP BY account_id;
    ALTER TABLE records ENABLE ROW LEVEL SECURITY;

    ALTER TABLE tombstones ENABLE ROW LEVEL SECURITY;
    ALTER TABLE tombstones FORCE ROW LEVEL SECURITY;
    ALTER TABLE change_counters ENABLE ROW LEVEL SECURITY;
    ALTER TABLE change_counters FORCE ROW LEVEL SECURITY;
    CREATE POLICY own_tombstones ON tombstones
        USING (account_id = thaw_account()) WITH CHECK (account_id = thaw_account());
    CREATE POLICY own_counter ON change_counters
        USING (account_id = thaw_account()) WITH CHECK (account_id = thaw_account());
    "#,
];

/// The schema version this build writes.
pub(crate) fn latest() -> i32 {
    MIGRATIONS.len() as i32
}

/// An arbitrary constant naming Thaw's migration lock among advisory locks.
const MIGRATION_LOCK: i64 = 0x7468_6177_5f70_6731; // "thaw_pg1"

/// The version recorded in the database; 0 when it has no schema yet.
pub(crate) fn version(client: &mut impl GenericClient) -> Result<i32, StoreError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
        .map_err(pg_error)?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let v: Option<i32> =
        client.query_one("SELECT max(version) FROM schema_migrations", &[]).map_err(pg_error)?.get(0);
    Ok(v.unwrap_or(0))
}

/// Applies every pending migration, then (with `grant_to`) grants that role row access, all in one
/// transaction under the lock; returns the version reached. Needs the right to create tables (the
/// schema owner). Safe to call at every start: with nothing pending it changes nothing.
pub(crate) fn migrate(client: &mut postgres::Client, grant_to: Option<&str>) -> Result<i32, StoreError> {
    let mut tx = client.transaction().map_err(pg_error)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(pg_error)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .map_err(pg_error)?;
    let current = version(&mut tx)?;
    if current > latest() {
        return Err(StoreError::TooNew {
            found: u32::try_from(current).unwrap_or(u32::MAX),
            supported: u32::try_from(latest()).unwrap_or(0),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(usize::try_from(current).unwrap_or(0)) {
        tx.batch_execute(sql).map_err(pg_error)?;
        let v = i32::try_from(i + 1).unwrap_or(i32::MAX);
        tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&v]).map_err(pg_error)?;
    }
    if let Some(role) = grant_to {
        grant(&mut tx, role)?;
    }
    tx.commit().map_err(pg_error)?;
    Ok(latest())
}

/// Lets `role` (the server's everyday role) read and write rows, and nothing more: no DDL, not
/// the owner, so it can't switch row-level security off.
fn grant(client: &mut impl GenericClient, role: &str) -> Result<(), StoreError> {
    let quoted = quote_ident(role);
    client
        .batch_execute(&format!(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON accounts, records, settings TO {quoted};
             GRANT SELECT, INSERT, UPDATE, DELETE ON tombstones, change_counters TO {quoted};
             GRANT SELECT ON schema_migrations TO {quoted};
             GRANT SELECT, INSERT, DELETE ON invitations TO {quoted};
             GRANT EXECUTE ON FUNCTION thaw_account(), thaw_username() TO {quoted};"
        ))
        .map_err(pg_error)
}

/// A PostgreSQL identifier in double quotes, with quotes inside doubled.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
