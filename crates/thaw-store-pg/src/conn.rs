//! Pooled connections and the one way to use them: a transaction working for one account.
//!
//! `BEGIN` and `SET LOCAL thaw.account` travel together in one round trip, statements go as
//! one-round-trip typed queries, then `COMMIT`: three round trips for a one-statement operation.
//! A connection goes back to the pool only after its transaction ended cleanly (committed, or
//! rolled back when dropped); otherwise the pool throws it away, so no transaction and no account
//! setting can leak into the next use.

use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Row};
use r2d2::ManageConnection;
use thaw_store::StoreError;
use uuid::Uuid;

use crate::error::pg_error;

/// Opens connections for the pool.
#[derive(Debug)]
pub(crate) struct Manager {
    pub(crate) config: postgres::Config,
}

/// A pooled connection.
pub(crate) struct Conn {
    client: Goodbye,
    /// Set while a transaction is open and until it ends cleanly: a connection left this way is
    /// not reused.
    broken: bool,
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Conn, postgres::Error> {
        Ok(Conn { client: Goodbye(Some(self.config.connect(NoTls)?)), broken: false })
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), postgres::Error> {
        conn.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.broken || conn.client.is_closed()
    }
}

/// A client that can be dropped anywhere. `postgres::Client` says goodbye to the server when
/// dropped by blocking on a runtime of its own, which panics inside an async runtime (a web
/// server dropping its last handle on the pool); there, the goodbye is said from a thread of its
/// own.
pub(crate) struct Goodbye(Option<Client>);

impl std::ops::Deref for Goodbye {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.0.as_ref().expect("a connection's client stays until the connection is dropped")
    }
}

impl std::ops::DerefMut for Goodbye {
    fn deref_mut(&mut self) -> &mut Client {
        self.0.as_mut().expect("a connection's client stays until the connection is dropped")
    }
}

impl Drop for Goodbye {
    fn drop(&mut self) {
        if let Some(client) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            std::thread::spawn(move || drop(client));
        }
    }
}

/// Parameters with their types, so each statement is one round trip (no separate prepare).
pub(crate) type Params<'a> = [(&'a (dyn ToSql + Sync), Type)];

impl Conn {
    /// Starts a transaction in which row-level security admits `account`'s rows only.
    pub(crate) fn begin_for(&mut self, account: Uuid) -> Result<Tx<'_>, StoreError> {
        // A Uuid prints as hex digits and dashes only, so it can sit in the statement as a literal.
        self.begin(&format!("BEGIN; SET LOCAL thaw.account = '{account}'"))
    }

    /// Starts a transaction with no account set (the sign-in lookup and migrations set their own).
    pub(crate) fn begin_plain(&mut self) -> Result<Tx<'_>, StoreError> {
        self.begin("BEGIN")
    }

    fn begin(&mut self, sql: &str) -> Result<Tx<'_>, StoreError> {
        self.broken = true;
        self.client.batch_execute(sql).map_err(pg_error)?;
        Ok(Tx { conn: self, open: true })
    }

    /// The plain client, outside any transaction (role and schema checks at connect).
    pub(crate) fn client(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// An open transaction. Dropped without [`Tx::commit`], it rolls back.
pub(crate) struct Tx<'a> {
    conn: &'a mut Conn,
    open: bool,
}

impl Tx<'_> {
    pub(crate) fn query(&mut self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>, StoreError> {
        self.conn.client.query_typed(sql, params).map_err(pg_error)
    }

    pub(crate) fn query_opt(&mut self, sql: &str, params: &Params<'_>) -> Result<Option<Row>, StoreError> {
        self.conn.client.query_typed_opt(sql, params).map_err(pg_error)
    }

    pub(crate) fn execute(&mut self, sql: &str, params: &Params<'_>) -> Result<u64, StoreError> {
        self.conn.client.execute_typed(sql, params).map_err(pg_error)
    }

    /// Like [`Tx::execute`], keeping the driver's error (to tell a unique violation apart).
    pub(crate) fn execute_raw(&mut self, sql: &str, params: &Params<'_>) -> Result<u64, postgres::Error> {
        self.conn.client.execute_typed(sql, params)
    }

    pub(crate) fn commit(mut self) -> Result<(), StoreError> {
        self.open = false;
        self.conn.client.batch_execute("COMMIT").map_err(pg_error)?;
        self.conn.broken = false;
        Ok(())
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open && self.conn.client.batch_execute("ROLLBACK").is_ok() {
            self.conn.broken = false;
        }
    }
}
