//! The local vault: one SQLite database encrypted whole by SQLCipher (pages, WAL, full-text index
//! and temporary data), opened with a random 256-bit data key as a raw key.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params};
use thaw_core::ids::IdRef;
use thaw_core::{Record, RecordBody, RecordId, RecordKind, Timestamp};
use thaw_vault::DataKey;
use zeroize::Zeroizing;

use crate::migrations::{MIGRATIONS, latest};
use crate::{
    ApplyReport, Change, Changed, Cursor, Decision, ListQuery, SearchHit, SearchQuery, Store, StoreError,
    Tombstone, apply_each, search_terms, snippet,
};

/// How long a writer waits for another writer (a second CLI, the web app) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// When a connection closes with a WAL larger than this, the WAL is checkpointed into the
/// database and emptied (`wal_checkpoint(TRUNCATE)`). Small, because every process that opens the
/// vault reads the whole WAL once to rebuild its index (~130 pages at most here); large enough
/// that most commands (a check-in writes ~30 pages) close without a checkpoint.
const WAL_TRUNCATE_BYTES: u64 = 512 * 1024;

/// The SQLite + SQLCipher store. One connection behind a mutex: SQLite allows one writer at a
/// time anyway, and the busy timeout lets other processes take turns.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// The database's WAL file (`thaw.db-wal`).
    wal: std::path::PathBuf,
}

impl Drop for SqliteStore {
    /// Empties a WAL that has grown past [`WAL_TRUNCATE_BYTES`] (see [`SqliteStore::open`]). Best
    /// effort: while another process reads the vault the checkpoint waits for a later close, and
    /// nothing is lost either way (every commit is already durable in the WAL).
    fn drop(&mut self) {
        if std::fs::metadata(&self.wal).is_ok_and(|m| m.len() > WAL_TRUNCATE_BYTES)
            && let Ok(conn) = self.conn.get_mut()
        {
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
        }
    }
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteStore")
    }
}

/// Whether opening may create the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Create,
    Existing,
}

impl SqliteStore {
    /// Opens an existing encrypted database.
    pub fn open(path: &Path, key: &DataKey) -> Result<Self, StoreError> {
        Self::open_with(path, key, Mode::Existing)
    }

    pub(crate) fn open_with(path: &Path, key: &DataKey, mode: Mode) -> Result<Self, StoreError> {
        let flags = match mode {
            Mode::Create => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            Mode::Existing => OpenFlags::SQLITE_OPEN_READ_WRITE,
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if mode == Mode::Existing {
            match std::fs::metadata(path) {
                Err(_) => return Err(StoreError::NoVault(path.display().to_string())),
                // SQLite would happily treat an empty file as a new database; for a vault that
                // once existed that would silently hide the loss. (Checked before opening: the
                // WAL beside it may still hold pages.)
                Ok(meta) if meta.len() == 0 => {
                    return Err(StoreError::Damaged("the database file is empty".into()));
                }
                Ok(_) => {}
            }
        }
        let conn = Connection::open_with_flags(path, flags)?;
        // SQLCipher logs decryption failures to stderr by default; Thaw reports them itself.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        let pragma = Zeroizing::new(format!("PRAGMA key = \"{}\";", key.sqlcipher_pragma_value().as_str()));
        conn.execute_batch(&pragma)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The first read decrypts page 1: a wrong key or a damaged file fails here. The schema
        // version is in that page's header, so this one read is also the migration check.
        let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if mode == Mode::Existing && version == 0 {
            return Err(StoreError::Damaged("the database file is empty".into()));
        }
        // A vault from a newer Thaw is refused before anything is set up, so that not even an
        // empty WAL file is left beside it.
        if version > latest() {
            return Err(StoreError::TooNew { found: version, supported: latest() });
        }
        // Durability: WAL, and every commit is synced (`synchronous = FULL`): a command that said
        // "Saved" has its record on disk, across a power cut too.
        //
        // The WAL is kept when a command ends instead of being checkpointed into the database on
        // every close: a checkpoint on close cost each CLI command three more fsyncs (the new
        // WAL's header, the WAL again before copying, the database after) and the creation and
        // removal of the WAL and its index. The price is that the next process rebuilds the WAL
        // index by reading the frames still in the WAL, so the WAL is kept short: a close that
        // finds it past WAL_TRUNCATE_BYTES checkpoints it and empties it (`Drop`), every few
        // commands. (SQLite's own autocheckpoint, at 1,000 pages, still runs within a process:
        // `thaw serve`, an import.) docs/PERFORMANCE.md has the figures.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;",
        )?;
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let store = Self { conn: Mutex::new(conn), wal: wal.into() };
        if version != latest() {
            store.migrate()?;
        }
        Ok(store)
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        // A poisoned lock means a panic mid-call; SQLite rolled back any open transaction, so the
        // connection is still consistent and can be used.
        Ok(self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current > latest() {
            return Err(StoreError::TooNew { found: current, supported: latest() });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let now: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now > i as u32 {
                continue;
            }
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Re-encrypts the whole database under `new` (SQLCipher's `PRAGMA rekey`: every page is
    /// rewritten in one transaction, so a crash leaves it wholly under the old key or wholly
    /// under the new one), then checkpoints the WAL so no page under the old key stays behind.
    /// Use [`crate::VaultDir::rekey`], which keeps the key file in step.
    pub(crate) fn rekey(&self, new: &DataKey) -> Result<(), StoreError> {
        let conn = self.conn()?;
        let pragma = Zeroizing::new(format!("PRAGMA rekey = \"{}\";", new.sqlcipher_pragma_value().as_str()));
        conn.execute_batch(&pragma)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0))?;
        Ok(())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(self.conn()?.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Runs SQLite's own consistency checks: page structure and the full-text index.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.conn()?;
        let mut problems = Vec::new();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            let line = row?;
            if line != "ok" {
                problems.push(line);
            }
        }
        if let Err(e) =
            conn.execute("INSERT INTO records_fts(records_fts, rank) VALUES ('integrity-check', 0)", [])
        {
            problems.push(format!("full-text index: {e}"));
        }
        let records: i64 = conn.query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
        let indexed: i64 = conn.query_row("SELECT count(*) FROM records_fts", [], |r| r.get(0))?;
        if records != indexed {
            problems.push(format!("full-text index: {indexed} entries for {records} records"));
        }
        Ok(problems)
    }

    /// Reads every record back, returning how many there are and the ids of any that can't be read.
    pub fn verify_records(&self) -> Result<(u64, Vec<String>), StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY seq"))?;
        let rows = stmt.query_map([], read_row)?;
        let (mut count, mut bad) = (0u64, Vec::new());
        for row in rows {
            let row = row?;
            let id = row.0.clone();
            count += 1;
            if to_record(row).is_err() {
                bad.push(id);
            }
        }
        Ok((count, bad))
    }
}

fn id_hex(id: RecordId) -> String {
    id.as_uuid().simple().to_string()
}

fn parse_id(hex: &str) -> Result<RecordId, StoreError> {
    uuid_from_hex(hex).ok_or_else(|| StoreError::Damaged(format!("a stored id is not valid: {hex}")))
}

fn uuid_from_hex(hex: &str) -> Option<RecordId> {
    hex.parse::<RecordId>().ok()
}

fn ts(ms: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_millis(ms)
        .ok_or_else(|| StoreError::Damaged(format!("a stored time is out of range: {ms}")))
}

type Row = (String, i64, i64, i64, String);

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_record((id, at, created, updated, body): Row) -> Result<Record, StoreError> {
    let body: RecordBody = serde_json::from_str(&body)?;
    Ok(Record { id: parse_id(&id)?, at: ts(at)?, created_at: ts(created)?, updated_at: ts(updated)?, body })
}

const SELECT: &str = "SELECT id, at, created_at, updated_at, body FROM records";

fn insert_in(tx: &Transaction<'_>, record: &Record) -> Result<bool, StoreError> {
    let body = serde_json::to_string(&record.body)
        .map_err(|e| StoreError::Backend(format!("a record could not be encoded: {e}")))?;
    // The next change number is taken only if the row is really added, so numbers have no gaps.
    let added = tx.execute(
        "INSERT INTO records (id, kind, at, created_at, updated_at, body, rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT last + 1 FROM change_counter))
         ON CONFLICT (id) DO NOTHING",
        params![
            id_hex(record.id),
            record.kind().as_str(),
            record.at.as_millis(),
            record.created_at.as_millis(),
            record.updated_at.as_millis(),
            body
        ],
    )?;
    if added == 1 {
        let seq = tx.last_insert_rowid();
        tx.execute("UPDATE change_counter SET last = last + 1", [])?;
        // A record written again under a deleted id is no longer deleted.
        tx.execute("DELETE FROM tombstones WHERE id = ?1", [id_hex(record.id)])?;
        tx.execute(
            "INSERT INTO records_fts (rowid, text) VALUES (?1, ?2)",
            params![seq, record.body.search_text()],
        )?;
    }
    Ok(added == 1)
}

/// Takes the next change number.
fn next_rev(tx: &Transaction<'_>) -> Result<i64, StoreError> {
    Ok(tx.query_row("UPDATE change_counter SET last = last + 1 RETURNING last", [], |r| r.get(0))?)
}

fn current_cursor(conn: &Connection) -> Result<Cursor, StoreError> {
    let last: i64 = conn.query_row("SELECT last FROM change_counter", [], |r| r.get(0))?;
    Ok(Cursor::try_from(last).unwrap_or(0))
}

fn cursor_param(cursor: Cursor) -> i64 {
    i64::try_from(cursor).unwrap_or(i64::MAX)
}

/// Replaces the stored record with the same id (which must exist, of the same kind).
fn update_in(tx: &Transaction<'_>, record: &Record) -> Result<(), StoreError> {
    let seq: Option<(i64, String)> = tx
        .query_row("SELECT seq, kind FROM records WHERE id = ?1", [id_hex(record.id)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((seq, kind)) = seq else {
        return Err(StoreError::NotFound(record.id.to_string()));
    };
    if kind != record.kind().as_str() {
        return Err(StoreError::Backend(format!(
            "record {} is a {kind}, not a {}",
            record.id,
            record.kind()
        )));
    }
    let body = serde_json::to_string(&record.body)
        .map_err(|e| StoreError::Backend(format!("a record could not be encoded: {e}")))?;
    let rev = next_rev(tx)?;
    tx.execute(
        "UPDATE records SET at = ?2, created_at = ?3, updated_at = ?4, body = ?5, rev = ?6 WHERE seq = ?1",
        params![
            seq,
            record.at.as_millis(),
            record.created_at.as_millis(),
            record.updated_at.as_millis(),
            body,
            rev
        ],
    )?;
    tx.execute("DELETE FROM records_fts WHERE rowid = ?1", [seq])?;
    tx.execute(
        "INSERT INTO records_fts (rowid, text) VALUES (?1, ?2)",
        params![seq, record.body.search_text()],
    )?;
    Ok(())
}

/// Removes a record and its search entry, leaving a tombstone; `false` when there was no record.
fn delete_in(tx: &Transaction<'_>, id: RecordId, deleted_at: Timestamp) -> Result<bool, StoreError> {
    let row: Option<(i64, String)> = tx
        .query_row("SELECT seq, kind FROM records WHERE id = ?1", [id_hex(id)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((seq, kind)) = row else {
        return Ok(false);
    };
    let rev = next_rev(tx)?;
    tx.execute("DELETE FROM records_fts WHERE rowid = ?1", [seq])?;
    tx.execute("DELETE FROM records WHERE seq = ?1", [seq])?;
    tx.execute(
        "INSERT INTO tombstones (id, kind, deleted_at, rev) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, deleted_at = excluded.deleted_at, rev = excluded.rev",
        params![id_hex(id), kind, deleted_at.as_millis(), rev],
    )?;
    Ok(true)
}

/// A change row: rev, id, at (or deleted_at), created_at, updated_at, body (NULL for a
/// tombstone), kind.
type ChangeRow = (i64, String, i64, i64, i64, Option<String>, String);

const SELECT_CHANGES: &str =
    "SELECT rev, id, at, created_at, updated_at, body, kind FROM records WHERE {where}
     UNION ALL SELECT rev, id, deleted_at, 0, 0, NULL, kind FROM tombstones WHERE {where}";

fn read_change_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChangeRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn to_changed((rev, id, at, created, updated, body, kind): ChangeRow) -> Result<Changed, StoreError> {
    let cursor = Cursor::try_from(rev)
        .map_err(|_| StoreError::Damaged(format!("a change number is negative: {rev}")))?;
    let change = match body {
        Some(body) => Change::Put { record: to_record((id, at, created, updated, body))? },
        None => Change::Delete {
            tombstone: Tombstone {
                id: parse_id(&id)?,
                kind: RecordKind::parse(&kind)
                    .ok_or_else(|| StoreError::Damaged(format!("a tombstone has an unknown kind: {kind}")))?,
                deleted_at: ts(at)?,
            },
        },
    };
    Ok(Changed { cursor, change })
}

/// The current record or tombstone for `id`.
fn version_in(conn: &Connection, id: RecordId) -> Result<Option<Changed>, StoreError> {
    let sql = SELECT_CHANGES.replace("{where}", "id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let row = stmt.query_row([id_hex(id)], read_change_row).optional()?;
    row.map(to_changed).transpose()
}

/// Builds an FTS5 query from typed words: every word must appear, each matched as a prefix.
/// Quoting each term makes operators and punctuation in the input harmless.
fn fts_query(terms: &[String]) -> String {
    terms.iter().map(|t| format!("\"{}\"*", t.replace('"', "\"\""))).collect::<Vec<_>>().join(" ")
}

fn kinds_clause(kinds: &[RecordKind], column: &str) -> String {
    if kinds.is_empty() {
        return String::new();
    }
    // Kind names are fixed identifiers from the enum, never user text.
    let list: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.as_str())).collect();
    format!(" AND {column} IN ({})", list.join(", "))
}

impl Store for SqliteStore {
    fn insert(&self, record: &Record) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if !insert_in(&tx, record)? {
            return Err(StoreError::Duplicate(record.id.to_string()));
        }
        tx.commit()?;
        Ok(())
    }

    fn insert_many(&self, records: &[Record]) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut added = 0;
        for record in records {
            if insert_in(&tx, record)? {
                added += 1;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    fn update(&self, record: &Record) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        update_in(&tx, record)?;
        tx.commit()?;
        Ok(())
    }

    fn delete(&self, id: RecordId) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if !delete_in(&tx, id, Timestamp::now())? {
            return Err(StoreError::NotFound(id.to_string()));
        }
        tx.commit()?;
        Ok(())
    }

    fn get(&self, id: RecordId) -> Result<Option<Record>, StoreError> {
        let conn = self.conn()?;
        let row = conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id_hex(id)], read_row).optional()?;
        row.map(to_record).transpose()
    }

    fn resolve(&self, prefix: &IdRef, kind: Option<RecordKind>) -> Result<RecordId, StoreError> {
        let conn = self.conn()?;
        let kinds: Vec<RecordKind> = kind.into_iter().collect();
        // A whole id is looked up exactly; a short one matches the end of ids (their random part).
        let pattern =
            if prefix.is_whole() { prefix.as_hex().to_owned() } else { format!("*{}", prefix.as_hex()) };
        let sql = format!("SELECT id FROM records WHERE id GLOB ?1{} LIMIT 2", kinds_clause(&kinds, "kind"));
        let mut stmt = conn.prepare(&sql)?;
        let ids: Vec<String> = stmt.query_map([pattern], |r| r.get(0))?.collect::<Result<_, _>>()?;
        match ids.as_slice() {
            [] => Err(StoreError::NotFound(prefix.as_hex().to_owned())),
            [one] => parse_id(one),
            _ => Err(StoreError::Ambiguous(prefix.as_hex().to_owned())),
        }
    }

    fn list(&self, query: &ListQuery) -> Result<Vec<Record>, StoreError> {
        let conn = self.conn()?;
        let mut sql = format!("{SELECT} WHERE at >= ?1 AND at < ?2{}", kinds_clause(&query.kinds, "kind"));
        if !query.kinds.is_empty() && !query.kinds.contains(&RecordKind::Journal) {
            // Lets SQLite read the compact covering index of everything but journal entries
            // (migration 2) instead of the table's pages.
            sql.push_str(" AND kind <> 'journal'");
        }
        sql.push_str(if query.newest_first { " ORDER BY at DESC, seq DESC" } else { " ORDER BY at, seq" });
        sql.push_str(" LIMIT ?3");
        let from = query.from.map_or(i64::MIN, |t| t.as_millis());
        let to = query.to.map_or(i64::MAX, |t| t.as_millis());
        let limit = query.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![from, to, limit], read_row)?;
        rows.map(|r| to_record(r?)).collect()
    }

    fn count(&self, kind: Option<RecordKind>) -> Result<u64, StoreError> {
        let conn = self.conn()?;
        let n: i64 = match kind {
            Some(k) => {
                conn.query_row("SELECT count(*) FROM records WHERE kind = ?1", [k.as_str()], |r| r.get(0))?
            }
            None => conn.query_row("SELECT count(*) FROM records", [], |r| r.get(0))?,
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let terms = search_terms(&query.text);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.conn()?;
        let sql = format!(
            "SELECT r.id, r.at, r.created_at, r.updated_at, r.body FROM records_fts f
             JOIN records r ON r.seq = f.rowid
             WHERE records_fts MATCH ?1{}
             ORDER BY f.rowid DESC LIMIT ?2",
            kinds_clause(&query.kinds, "r.kind")
        );
        let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![fts_query(&terms), limit], read_row)?;
        let mut hits = Vec::new();
        for row in rows {
            let record = to_record(row?)?;
            let snippet = snippet(&record.body.search_text(), &terms, 80);
            hits.push(SearchHit { record, snippet });
        }
        hits.sort_by_key(|h| std::cmp::Reverse(h.record.at));
        Ok(hits)
    }

    fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let conn = self.conn()?;
        let text: Option<String> =
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
        Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
    }

    fn set_setting(&self, key: &str, value: &serde_json::Value) -> Result<(), StoreError> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value.to_string()],
        )?;
        Ok(())
    }

    fn remove_setting(&self, key: &str) -> Result<(), StoreError> {
        self.conn()?.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }

    fn settings(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("SELECT key, value FROM settings ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (k, v) = row?;
            out.push((k, serde_json::from_str(&v)?));
        }
        Ok(out)
    }

    fn cursor(&self) -> Result<Cursor, StoreError> {
        current_cursor(&*self.conn()?)
    }

    fn changes_since(&self, cursor: Cursor, limit: usize) -> Result<Vec<Changed>, StoreError> {
        let conn = self.conn()?;
        let sql = format!("{} ORDER BY rev LIMIT ?2", SELECT_CHANGES.replace("{where}", "rev > ?1"));
        let mut stmt = conn.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![cursor_param(cursor), limit], read_change_row)?;
        rows.map(|r| to_changed(r?)).collect()
    }

    fn versions(&self, ids: &[RecordId]) -> Result<Vec<Changed>, StoreError> {
        let conn = self.conn()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(version_in(&conn, *id)?);
        }
        Ok(out)
    }

    fn apply(&self, changes: &[Change], unchanged_since: Option<Cursor>) -> Result<ApplyReport, StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let before = current_cursor(&tx)?;
        let outcomes = apply_each(
            &mut &tx,
            changes,
            unchanged_since,
            before,
            |tx, id| version_in(tx, id),
            |tx, decision| {
                match decision {
                    Decision::Insert(record) => _ = insert_in(tx, record)?,
                    Decision::Update(record) => update_in(tx, record)?,
                    Decision::Delete(tombstone) => _ = delete_in(tx, tombstone.id, tombstone.deleted_at)?,
                    Decision::Unchanged | Decision::Conflict { .. } => {}
                }
                current_cursor(tx)
            },
        )?;
        let after = current_cursor(&tx)?;
        tx.commit()?;
        Ok(ApplyReport { before, after, outcomes })
    }
}
