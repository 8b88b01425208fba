//! [`PgStore`]: the [`Store`] trait for one signed-in account.

use std::sync::Arc;

use postgres::types::Type;
use serde::{Deserialize, Serialize};
use thaw_core::ids::IdRef;
use thaw_core::{Record, RecordBody, RecordId, RecordKind, Timestamp};
use thaw_store::{
    ApplyReport, Change, Changed, Cursor, Decision, ListQuery, SearchHit, SearchQuery, Store, StoreError,
    Tombstone, apply_each, search_terms, snippet,
};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::conn::Tx;
use crate::crypto::{self, Keys};
use crate::error::{crypto_error, pg_error, pool_error};
use crate::{AccountId, Pool};

/// One account's records, on PostgreSQL. Made by [`crate::PgBackend::store_for`]; holds the
/// account's keys until dropped, so keep it for one request, not longer than the session.
///
/// Every statement names the account in its `WHERE` clause, and every transaction also sets
/// `thaw.account`, which the row-level security policies check: a query that forgot the filter
/// still sees only this account's rows.
///
/// The methods block (the `postgres` driver runs its own small runtime per connection); from
/// async code call them inside `tokio::task::spawn_blocking`.
pub struct PgStore {
    pub(crate) pool: Pool,
    pub(crate) account: Uuid,
    pub(crate) keys: Arc<Keys>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("account", &self.account).finish_non_exhaustive()
    }
}

/// What a record's sealed column holds besides the body: the times the row doesn't need to show.
#[derive(Serialize)]
struct PayloadOut<'a> {
    created_at: i64,
    updated_at: i64,
    body: &'a RecordBody,
}

#[derive(Deserialize)]
struct PayloadIn {
    created_at: i64,
    updated_at: i64,
    body: RecordBody,
}

fn ts(ms: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_millis(ms)
        .ok_or_else(|| StoreError::Damaged(format!("a stored time is out of range: {ms}")))
}

/// A row of `records` as read: id, kind, at, sealed.
type Row = (Uuid, String, i64, Vec<u8>);

fn read_row(row: &postgres::Row) -> Result<Row, StoreError> {
    Ok((
        row.try_get(0).map_err(pg_error)?,
        row.try_get(1).map_err(pg_error)?,
        row.try_get(2).map_err(pg_error)?,
        row.try_get(3).map_err(pg_error)?,
    ))
}

const SELECT: &str = "SELECT id, kind, at, sealed FROM records";

/// Records and tombstones as changes: rev, id, kind, at (or deleted_at), sealed (NULL for a
/// tombstone), each half filtered by `{where}` and ordered by `{tail}`.
const SELECT_CHANGES: &str = "(SELECT rev, id, kind, at, sealed FROM records WHERE account_id = $1 AND {where} {tail})
     UNION ALL
     (SELECT rev, id, kind, deleted_at, NULL::bytea FROM tombstones WHERE account_id = $1 AND {where} {tail})";

fn changes_sql(filter: &str, tail: &str) -> String {
    SELECT_CHANGES.replace("{where}", filter).replace("{tail}", tail)
}

/// An account's change counter, held for one transaction.
pub(crate) struct Counter {
    start: i64,
    last: i64,
}

impl PgStore {
    /// The account this store reads and writes.
    pub fn account(&self) -> AccountId {
        AccountId(self.account)
    }

    /// Runs `f` in a transaction working for this account (`thaw.account` set for it only).
    fn with_tx<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut conn = self.pool.get().map_err(pool_error)?;
        let mut tx = conn.begin_for(self.account)?;
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    fn seal_record(&self, record: &Record) -> Result<(Vec<u8>, Vec<i32>), StoreError> {
        let payload = PayloadOut {
            created_at: record.created_at.as_millis(),
            updated_at: record.updated_at.as_millis(),
            body: &record.body,
        };
        let plain = Zeroizing::new(
            serde_json::to_vec(&payload)
                .map_err(|e| StoreError::Backend(format!("a record could not be encoded: {e}")))?,
        );
        let aad = crypto::record_aad(self.account, record.id.as_uuid(), record.kind(), record.at.as_millis());
        let sealed = self.keys.seal(&plain, &aad).map_err(crypto_error)?;
        let text = Zeroizing::new(record.body.search_text());
        let tokens = self.keys.index_tokens(&text).map_err(crypto_error)?;
        Ok((sealed, tokens))
    }

    fn open_record(&self, (id, kind, at, sealed): Row) -> Result<Record, StoreError> {
        let kind = RecordKind::parse(&kind)
            .ok_or_else(|| StoreError::Damaged(format!("a stored record has an unknown kind: {kind}")))?;
        let aad = crypto::record_aad(self.account, id, kind, at);
        let plain = self.keys.open(&sealed, &aad).map_err(crypto_error)?;
        let payload: PayloadIn = serde_json::from_slice(&plain)?;
        if payload.body.kind() != kind {
            return Err(StoreError::Damaged("a stored record's kind doesn't match its body".into()));
        }
        Ok(Record {
            id: RecordId::from_uuid(id),
            at: ts(at)?,
            created_at: ts(payload.created_at)?,
            updated_at: ts(payload.updated_at)?,
            body: payload.body,
        })
    }

    fn insert_in(&self, tx: &mut Tx<'_>, counter: &mut Counter, record: &Record) -> Result<bool, StoreError> {
        let (sealed, tokens) = self.seal_record(record)?;
        let rev = counter.last + 1;
        let added = tx.execute(
            "INSERT INTO records (account_id, id, kind, at, sealed, tokens, rev)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (account_id, id) DO NOTHING",
            &[
                (&self.account, Type::UUID),
                (&record.id.as_uuid(), Type::UUID),
                (&record.kind().as_str(), Type::TEXT),
                (&record.at.as_millis(), Type::INT8),
                (&sealed, Type::BYTEA),
                (&tokens, Type::INT4_ARRAY),
                (&rev, Type::INT8),
            ],
        )?;
        if added == 1 {
            counter.last = rev;
            // A record written again under a deleted id is no longer deleted.
            tx.execute(
                "DELETE FROM tombstones WHERE account_id = $1 AND id = $2",
                &[(&self.account, Type::UUID), (&record.id.as_uuid(), Type::UUID)],
            )?;
        }
        Ok(added == 1)
    }

    /// Locks the account's change counter for this transaction and reads it. Every write takes
    /// this lock first, so an account's writes commit one after another in cursor order (a reader
    /// never sees cursor n+1 before cursor n).
    fn lock_counter(&self, tx: &mut Tx<'_>) -> Result<Counter, StoreError> {
        let row = tx.query_opt(
            "INSERT INTO change_counters (account_id, last) VALUES ($1, 0)
             ON CONFLICT (account_id) DO UPDATE SET last = change_counters.last
             RETURNING last",
            &[(&self.account, Type::UUID)],
        )?;
        let last: i64 = row.map_or(Ok(0), |r| r.try_get(0).map_err(pg_error))?;
        Ok(Counter { start: last, last })
    }

    fn save_counter(&self, tx: &mut Tx<'_>, counter: &Counter) -> Result<(), StoreError> {
        if counter.last != counter.start {
            tx.execute(
                "UPDATE change_counters SET last = $2 WHERE account_id = $1",
                &[(&self.account, Type::UUID), (&counter.last, Type::INT8)],
            )?;
        }
        Ok(())
    }

    /// Runs a write in a transaction holding the account's change counter.
    fn with_counter<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>, &mut Counter) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.with_tx(|tx| {
            let mut counter = self.lock_counter(tx)?;
            let out = f(tx, &mut counter)?;
            self.save_counter(tx, &counter)?;
            Ok(out)
        })
    }

    /// Replaces an existing record of the same kind.
    fn update_in(&self, tx: &mut Tx<'_>, counter: &mut Counter, record: &Record) -> Result<(), StoreError> {
        let (sealed, tokens) = self.seal_record(record)?;
        let id = record.id.as_uuid();
        let kind = record.kind().as_str();
        let rev = counter.last + 1;
        let row = tx.query_opt(
            "WITH changed AS (
                 UPDATE records SET at = $4, sealed = $5, tokens = $6, rev = $7
                 WHERE account_id = $1 AND id = $2 AND kind = $3
                 RETURNING 1
             )
             SELECT kind, (SELECT count(*) FROM changed) FROM records WHERE account_id = $1 AND id = $2",
            &[
                (&self.account, Type::UUID),
                (&id, Type::UUID),
                (&kind, Type::TEXT),
                (&record.at.as_millis(), Type::INT8),
                (&sealed, Type::BYTEA),
                (&tokens, Type::INT4_ARRAY),
                (&rev, Type::INT8),
            ],
        )?;
        let Some(row) = row else {
            return Err(StoreError::NotFound(record.id.to_string()));
        };
        let stored: String = row.try_get(0).map_err(pg_error)?;
        if stored != kind {
            return Err(StoreError::Backend(format!("record {} is a {stored}, not a {kind}", record.id)));
        }
        counter.last = rev;
        Ok(())
    }

    /// Removes a record, leaving a tombstone; `false` when there was no record.
    fn delete_in(
        &self,
        tx: &mut Tx<'_>,
        counter: &mut Counter,
        id: RecordId,
        deleted_at: Timestamp,
    ) -> Result<bool, StoreError> {
        let rev = counter.last + 1;
        let row = tx.query_opt(
            "WITH gone AS (
                 DELETE FROM records WHERE account_id = $1 AND id = $2 RETURNING kind
             )
             INSERT INTO tombstones (account_id, id, kind, deleted_at, rev)
                 SELECT $1, $2, kind, $3, $4 FROM gone
             ON CONFLICT (account_id, id) DO UPDATE
                 SET kind = excluded.kind, deleted_at = excluded.deleted_at, rev = excluded.rev
             RETURNING 1",
            &[
                (&self.account, Type::UUID),
                (&id.as_uuid(), Type::UUID),
                (&deleted_at.as_millis(), Type::INT8),
                (&rev, Type::INT8),
            ],
        )?;
        if row.is_some() {
            counter.last = rev;
        }
        Ok(row.is_some())
    }

    /// The current record or tombstone of `id`.
    fn version_in(&self, tx: &mut Tx<'_>, id: Uuid) -> Result<Option<Changed>, StoreError> {
        let rows =
            tx.query(&changes_sql("id = $2", ""), &[(&self.account, Type::UUID), (&id, Type::UUID)])?;
        rows.first().map(|r| self.to_changed(r)).transpose()
    }

    fn to_changed(&self, row: &postgres::Row) -> Result<Changed, StoreError> {
        let rev: i64 = row.try_get(0).map_err(pg_error)?;
        let cursor = Cursor::try_from(rev)
            .map_err(|_| StoreError::Damaged(format!("a change number is negative: {rev}")))?;
        let id: Uuid = row.try_get(1).map_err(pg_error)?;
        let kind: String = row.try_get(2).map_err(pg_error)?;
        let at: i64 = row.try_get(3).map_err(pg_error)?;
        let sealed: Option<Vec<u8>> = row.try_get(4).map_err(pg_error)?;
        let change = match sealed {
            Some(sealed) => Change::Put { record: self.open_record((id, kind, at, sealed))? },
            None => Change::Delete {
                tombstone: Tombstone {
                    id: RecordId::from_uuid(id),
                    kind: RecordKind::parse(&kind).ok_or_else(|| {
                        StoreError::Damaged(format!("a tombstone has an unknown kind: {kind}"))
                    })?,
                    deleted_at: ts(at)?,
                },
            },
        };
        Ok(Changed { cursor, change })
    }
}

/// The kinds as a text array, or `None` for every kind.
fn kind_names(kinds: &[RecordKind]) -> Option<Vec<&'static str>> {
    (!kinds.is_empty()).then(|| kinds.iter().map(|k| k.as_str()).collect())
}

fn read_rows(rows: &[postgres::Row]) -> Result<Vec<Row>, StoreError> {
    rows.iter().map(read_row).collect()
}

impl Store for PgStore {
    fn insert(&self, record: &Record) -> Result<(), StoreError> {
        self.with_counter(|tx, counter| {
            if self.insert_in(tx, counter, record)? {
                Ok(())
            } else {
                Err(StoreError::Duplicate(record.id.to_string()))
            }
        })
    }

    fn insert_many(&self, records: &[Record]) -> Result<usize, StoreError> {
        self.with_counter(|tx, counter| {
            let mut added = 0;
            for record in records {
                if self.insert_in(tx, counter, record)? {
                    added += 1;
                }
            }
            Ok(added)
        })
    }

    fn update(&self, record: &Record) -> Result<(), StoreError> {
        self.with_counter(|tx, counter| self.update_in(tx, counter, record))
    }

    fn delete(&self, id: RecordId) -> Result<(), StoreError> {
        self.with_counter(|tx, counter| {
            if self.delete_in(tx, counter, id, Timestamp::now())? {
                Ok(())
            } else {
                Err(StoreError::NotFound(id.to_string()))
            }
        })
    }

    fn get(&self, id: RecordId) -> Result<Option<Record>, StoreError> {
        let row = self.with_tx(|tx| {
            let row = tx.query_opt(
                &format!("{SELECT} WHERE account_id = $1 AND id = $2"),
                &[(&self.account, Type::UUID), (&id.as_uuid(), Type::UUID)],
            )?;
            row.as_ref().map(read_row).transpose()
        })?;
        row.map(|r| self.open_record(r)).transpose()
    }

    fn resolve(&self, prefix: &IdRef, kind: Option<RecordKind>) -> Result<RecordId, StoreError> {
        let kind = kind.map(RecordKind::as_str);
        let ids: Vec<Uuid> = self.with_tx(|tx| {
            let rows = if prefix.is_whole() {
                let id = Uuid::parse_str(prefix.as_hex())
                    .map_err(|_| StoreError::NotFound(prefix.as_hex().to_owned()))?;
                tx.query(
                    "SELECT id FROM records WHERE account_id = $1 AND id = $2
                     AND ($3::text IS NULL OR kind = $3) LIMIT 2",
                    &[(&self.account, Type::UUID), (&id, Type::UUID), (&kind, Type::TEXT)],
                )?
            } else {
                // A short id is the end of an id (its random part). The prefix is hex digits only
                // (IdRef checks), so it holds no LIKE wildcards.
                tx.query(
                    "SELECT id FROM records WHERE account_id = $1
                     AND replace(id::text, '-', '') LIKE '%' || $2
                     AND ($3::text IS NULL OR kind = $3) LIMIT 2",
                    &[(&self.account, Type::UUID), (&prefix.as_hex(), Type::TEXT), (&kind, Type::TEXT)],
                )?
            };
            rows.iter().map(|r| r.try_get(0).map_err(pg_error)).collect()
        })?;
        match ids.as_slice() {
            [] => Err(StoreError::NotFound(prefix.as_hex().to_owned())),
            [one] => Ok(RecordId::from_uuid(*one)),
            _ => Err(StoreError::Ambiguous(prefix.as_hex().to_owned())),
        }
    }

    fn list(&self, query: &ListQuery) -> Result<Vec<Record>, StoreError> {
        let from = query.from.map_or(i64::MIN, |t| t.as_millis());
        let to = query.to.map_or(i64::MAX, |t| t.as_millis());
        let limit: Option<i64> = query.limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX));
        let kinds = kind_names(&query.kinds);
        let order = if query.newest_first { "at DESC, seq DESC" } else { "at, seq" };
        let kind_clause = if kinds.is_some() { " AND kind = ANY($5)" } else { "" };
        let sql = format!(
            "{SELECT} WHERE account_id = $1 AND at >= $2 AND at < $3{kind_clause} ORDER BY {order} LIMIT $4"
        );
        let rows: Vec<Row> = self.with_tx(|tx| {
            let mut params: Vec<(&(dyn postgres::types::ToSql + Sync), Type)> = vec![
                (&self.account, Type::UUID),
                (&from, Type::INT8),
                (&to, Type::INT8),
                (&limit, Type::INT8),
            ];
            if let Some(k) = &kinds {
                params.push((k, Type::TEXT_ARRAY));
            }
            read_rows(&tx.query(&sql, &params)?)
        })?;
        rows.into_iter().map(|r| self.open_record(r)).collect()
    }

    fn count(&self, kind: Option<RecordKind>) -> Result<u64, StoreError> {
        let kind = kind.map(RecordKind::as_str);
        let n: i64 = self.with_tx(|tx| {
            let rows = tx.query(
                "SELECT count(*) FROM records WHERE account_id = $1 AND ($2::text IS NULL OR kind = $2)",
                &[(&self.account, Type::UUID), (&kind, Type::TEXT)],
            )?;
            rows.first().map_or(Ok(0), |r| r.try_get(0).map_err(pg_error))
        })?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let typed = search_terms(&query.text);
        let terms: Vec<String> =
            typed.iter().map(|t| crypto::normalise(t)).filter(|t| !t.is_empty()).collect();
        if terms.is_empty() || query.limit == 0 {
            return Ok(Vec::new());
        }
        let tokens = self.keys.query_tokens(&terms).map_err(crypto_error)?;
        let kinds = kind_names(&query.kinds);
        let kind_clause = if kinds.is_some() { " AND kind = ANY($5)" } else { "" };
        // The most recently written matches first, like the SQLite store. The index narrows the
        // rows and the decrypted text decides (a word longer than the index's prefixes, or a
        // 32-bit token collision, can bring a row that doesn't match), so rows come in batches
        // until `limit` of them really match; nearly always the first batch is enough.
        let sql = format!(
            "SELECT id, kind, at, sealed, seq FROM records
             WHERE account_id = $1 AND tokens @> $2 AND seq < $3{kind_clause}
             ORDER BY seq DESC LIMIT $4"
        );
        let batch = i64::try_from(query.limit.clamp(16, 500)).unwrap_or(500);
        let mut hits = self.with_tx(|tx| {
            let mut hits = Vec::new();
            let mut before = i64::MAX;
            loop {
                let mut params: Vec<(&(dyn postgres::types::ToSql + Sync), Type)> = vec![
                    (&self.account, Type::UUID),
                    (&tokens, Type::INT4_ARRAY),
                    (&before, Type::INT8),
                    (&batch, Type::INT8),
                ];
                if let Some(k) = &kinds {
                    params.push((k, Type::TEXT_ARRAY));
                }
                let rows = tx.query(&sql, &params)?;
                for row in &rows {
                    before = row.try_get(4).map_err(pg_error)?;
                    let record = self.open_record(read_row(row)?)?;
                    let text = Zeroizing::new(record.body.search_text());
                    if crypto::matches_all(&text, &terms) {
                        let snippet = snippet(&text, &typed, 80);
                        hits.push(SearchHit { record, snippet });
                        if hits.len() == query.limit {
                            return Ok(hits);
                        }
                    }
                }
                if i64::try_from(rows.len()).unwrap_or(0) < batch {
                    return Ok(hits);
                }
            }
        })?;
        hits.sort_by_key(|h| std::cmp::Reverse(h.record.at));
        Ok(hits)
    }

    fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let sealed: Option<Vec<u8>> = self.with_tx(|tx| {
            let row = tx.query_opt(
                "SELECT sealed FROM settings WHERE account_id = $1 AND key = $2",
                &[(&self.account, Type::UUID), (&key, Type::TEXT)],
            )?;
            row.map(|r| r.try_get(0).map_err(pg_error)).transpose()
        })?;
        sealed.map(|s| self.open_setting(key, &s)).transpose()
    }

    fn set_setting(&self, key: &str, value: &serde_json::Value) -> Result<(), StoreError> {
        let plain = Zeroizing::new(
            serde_json::to_vec(value)
                .map_err(|e| StoreError::Backend(format!("a setting could not be encoded: {e}")))?,
        );
        let sealed = self.keys.seal(&plain, &crypto::setting_aad(self.account, key)).map_err(crypto_error)?;
        self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO settings (account_id, key, sealed) VALUES ($1, $2, $3)
                 ON CONFLICT (account_id, key) DO UPDATE SET sealed = excluded.sealed",
                &[(&self.account, Type::UUID), (&key, Type::TEXT), (&sealed, Type::BYTEA)],
            )?;
            Ok(())
        })
    }

    fn remove_setting(&self, key: &str) -> Result<(), StoreError> {
        self.with_tx(|tx| {
            tx.execute(
                "DELETE FROM settings WHERE account_id = $1 AND key = $2",
                &[(&self.account, Type::UUID), (&key, Type::TEXT)],
            )?;
            Ok(())
        })
    }

    fn settings(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        let rows: Vec<(String, Vec<u8>)> = self.with_tx(|tx| {
            let rows = tx.query(
                "SELECT key, sealed FROM settings WHERE account_id = $1",
                &[(&self.account, Type::UUID)],
            )?;
            rows.iter()
                .map(|r| Ok((r.try_get(0).map_err(pg_error)?, r.try_get(1).map_err(pg_error)?)))
                .collect()
        })?;
        let mut out = rows
            .into_iter()
            .map(|(k, s)| {
                let v = self.open_setting(&k, &s)?;
                Ok((k, v))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    fn cursor(&self) -> Result<Cursor, StoreError> {
        let last: i64 = self.with_tx(|tx| {
            let row = tx.query_opt(
                "SELECT last FROM change_counters WHERE account_id = $1",
                &[(&self.account, Type::UUID)],
            )?;
            row.map_or(Ok(0), |r| r.try_get(0).map_err(pg_error))
        })?;
        Ok(Cursor::try_from(last).unwrap_or(0))
    }

    fn changes_since(&self, cursor: Cursor, limit: usize) -> Result<Vec<Changed>, StoreError> {
        let since = i64::try_from(cursor).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = format!("{} ORDER BY rev LIMIT $3", changes_sql("rev > $2", "ORDER BY rev LIMIT $3"));
        self.with_tx(|tx| {
            let rows =
                tx.query(&sql, &[(&self.account, Type::UUID), (&since, Type::INT8), (&limit, Type::INT8)])?;
            rows.iter().map(|r| self.to_changed(r)).collect()
        })
    }

    fn versions(&self, ids: &[RecordId]) -> Result<Vec<Changed>, StoreError> {
        let uuids: Vec<Uuid> = ids.iter().map(|id| id.as_uuid()).collect();
        let sql = changes_sql("id = ANY($2)", "");
        let mut found: Vec<Changed> = self.with_tx(|tx| {
            let rows = tx.query(&sql, &[(&self.account, Type::UUID), (&uuids, Type::UUID_ARRAY)])?;
            rows.iter().map(|r| self.to_changed(r)).collect::<Result<_, _>>()
        })?;
        // In the order asked for, like the SQLite store.
        found.sort_by_key(|c| ids.iter().position(|id| *id == c.change.id()));
        Ok(found)
    }

    fn apply(&self, changes: &[Change], unchanged_since: Option<Cursor>) -> Result<ApplyReport, StoreError> {
        self.with_counter(|tx, counter| {
            let before = Cursor::try_from(counter.start).unwrap_or(0);
            let outcomes = apply_each(
                &mut (&mut *tx, &mut *counter),
                changes,
                unchanged_since,
                before,
                |(tx, _), id| self.version_in(tx, id.as_uuid()),
                |(tx, counter), decision| {
                    match decision {
                        Decision::Insert(record) => _ = self.insert_in(tx, counter, record)?,
                        Decision::Update(record) => self.update_in(tx, counter, record)?,
                        Decision::Delete(tombstone) => {
                            self.delete_in(tx, counter, tombstone.id, tombstone.deleted_at)?;
                        }
                        Decision::Unchanged | Decision::Conflict { .. } => {}
                    }
                    Ok(Cursor::try_from(counter.last).unwrap_or(0))
                },
            )?;
            Ok(ApplyReport { before, after: Cursor::try_from(counter.last).unwrap_or(0), outcomes })
        })
    }
}

impl PgStore {
    fn open_setting(&self, key: &str, sealed: &[u8]) -> Result<serde_json::Value, StoreError> {
        let plain = self.keys.open(sealed, &crypto::setting_aad(self.account, key)).map_err(crypto_error)?;
        Ok(serde_json::from_slice(&plain)?)
    }
}
