//! Sync between a local vault and a hosted account (docs/SYNC.md): both sides of the protocol,
//! written once. The server side ([`App::sync_changes`], [`App::sync_push`]) is what the API
//! routes call; the client side ([`App::sync`]) drives any [`Remote`] — the HTTP client in the
//! CLI, or another store in tests ([`StoreRemote`], which goes through the same server side).
//!
//! A sync pulls the server's changes since the last pull, resolving conflicts on this device,
//! then pushes this vault's changes since the last push, each write conditional on the server's
//! record not having changed since the pull. Batches of [`BATCH`]; the two cursors are saved in
//! the vault's settings after each batch is applied, so a sync killed at any moment picks up
//! where it was, and a batch sent twice changes nothing the second time.
//!
//! Conflicts (a record changed on both sides since the last sync): the version changed last stays
//! under the record's id; the other becomes a new record, marked "(conflict copy)" where the kind
//! has text, so nothing anyone wrote is lost silently. A deletion on one side and an edit on the
//! other keep the edit. These rules, and what a store does with each pushed change, are written
//! once as pure functions in `thaw_store::changes` ([`thaw_store::resolve`],
//! [`thaw_store::decide`]); this module carries them out and makes the conflict copies.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thaw_core::{Record, RecordBody, RecordId, Timestamp};
use thaw_store::{Applied, Change, Changed, Cursor, Resolution, Store, StoreError, resolve};

use crate::settings::{self, Setting};
use crate::{App, AppError};

/// Changes per request, each way.
pub const BATCH: usize = 500;
/// The most changes a server hands out or takes in one request.
pub const MAX_BATCH: usize = 1000;
/// Roughly the most JSON one push sends, well under the servers' 2 MiB request limit: a batch of
/// long journal entries is cut short.
pub const PUSH_BYTES: usize = 1_500_000;
/// Pull–push rounds before giving up when the other side keeps changing under us.
const MAX_ROUNDS: usize = 8;
/// What a conflict copy's text says it is.
pub const CONFLICT_MARK: &str = "(conflict copy)";

/// Where this vault syncs to and how far it got: the `sync` setting. Device-specific (it is
/// never sent to the server).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// The server's address, as typed once with `--server`.
    pub server: String,
    /// The account's username.
    pub username: String,
    /// This vault's cursor up to which every change has reached the server.
    #[serde(default)]
    pub pushed: Cursor,
    /// The server's cursor up to which every change has been applied here.
    #[serde(default)]
    pub pulled: Cursor,
    /// When a sync last finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_synced: Option<Timestamp>,
}

/// The `sync` setting.
pub struct SyncSetting;
impl Setting for SyncSetting {
    const KEY: &'static str = "sync";
    type Value = SyncState;
}

/// One page of changes: what `GET /api/v1/sync/changes` answers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesPage {
    /// Oldest first.
    pub changes: Vec<Changed>,
    /// The store's latest cursor when the page was read.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub cursor: Cursor,
    /// Whether more changes follow this page.
    pub more: bool,
}

/// What `POST /api/v1/sync/push` takes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The server cursor the client has pulled up to: a change is written only if its record
    /// hasn't changed on the server after it.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub base: Cursor,
    pub changes: Vec<Change>,
}

/// What `POST /api/v1/sync/push` answers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushReply {
    /// One per change, in order.
    pub outcomes: Vec<Applied>,
    /// The server's cursor just before this batch was written (nothing else came between).
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub before: Cursor,
    /// The server's cursor just after it.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub after: Cursor,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    /// Changes of this vault the server took (not counting ones it already had).
    pub pushed: usize,
    /// Changes from the server written here (not counting ones this vault already had).
    pub pulled: usize,
    /// Records changed on both sides: each kept both versions.
    pub conflicts: usize,
}

/// Why the other side couldn't be used. Each edge words its own way forward.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// Not reached at all (address, network, TLS).
    #[error("couldn't reach the server: {0}")]
    Unreachable(String),
    /// The username, passphrase or token wasn't accepted.
    #[error("the server didn't accept the username and passphrase")]
    SignIn,
    /// The hosted vault is locked (a `thaw serve` whose session locked).
    #[error("the server's vault is locked")]
    Locked,
    /// Anything else the server said no to.
    #[error("the server answered: {0}")]
    Refused(String),
}

/// What can stop a sync.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    #[error(transparent)]
    Local(#[from] AppError),
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// The other side (or this vault) kept changing while we synced.
    #[error("the records kept changing during the sync")]
    KeptChanging,
    /// The server answered something that doesn't fit the protocol.
    #[error("the server's answer doesn't fit: {0}")]
    Protocol(String),
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Local(AppError::Store(e))
    }
}

/// The other side of a sync.
pub trait Remote {
    /// Up to `limit` changes after `since`.
    fn changes(&mut self, since: Cursor, limit: usize) -> Result<ChangesPage, RemoteError>;
    /// Conditional writes; see [`PushRequest`].
    fn push(&mut self, request: &PushRequest) -> Result<PushReply, RemoteError>;
}

/// A store as the other side, through the same server-side flows the API uses.
pub struct StoreRemote<'a>(pub &'a dyn Store);

impl Remote for StoreRemote<'_> {
    fn changes(&mut self, since: Cursor, limit: usize) -> Result<ChangesPage, RemoteError> {
        App::new(self.0, crate::Clock::system())
            .sync_changes(since, limit)
            .map_err(|e| RemoteError::Refused(e.to_string()))
    }

    fn push(&mut self, request: &PushRequest) -> Result<PushReply, RemoteError> {
        App::new(self.0, crate::Clock::system())
            .sync_push(request)
            .map_err(|e| RemoteError::Refused(e.to_string()))
    }
}

/// The copy kept of a conflict's losing version: a new record, with an id derived from the
/// original id and the copy's content (so making it twice makes the same record), and its text
/// marked so the person sees what it is. Assessments and self-checks have no text to mark (and
/// nothing edits them).
pub fn conflict_copy(loser: &Record) -> Record {
    let mut hash = Sha256::new();
    hash.update(b"thaw conflict copy\0");
    hash.update(loser.id.as_uuid().as_bytes());
    hash.update(serde_json::to_vec(loser).unwrap_or_default());
    let digest = hash.finalize();
    let mut random = [0u8; 10];
    random.copy_from_slice(&digest[..10]);
    let millis = u64::try_from(loser.created_at.as_millis()).unwrap_or(0);
    let id = RecordId::from_uuid(uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid());
    let mark = |text: &mut String| {
        if !text.ends_with(CONFLICT_MARK) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(CONFLICT_MARK);
        }
    };
    let mark_opt = |text: &mut Option<String>| mark(text.get_or_insert_with(String::new));
    let mut body = loser.body.clone();
    match &mut body {
        RecordBody::Checkin(c) => mark_opt(&mut c.note),
        RecordBody::Journal(j) => mark(&mut j.title),
        RecordBody::Reaction(r) => mark(&mut r.situation),
        RecordBody::Activity(a) => mark_opt(&mut a.note),
        RecordBody::Release(r) => mark_opt(&mut r.before),
        RecordBody::Person(p) => mark(&mut p.name),
        RecordBody::Medication(m) => mark_opt(&mut m.note),
        RecordBody::Conversation(c) => mark_opt(&mut c.note),
        RecordBody::Assessment(_) | RecordBody::SelfCheck(_) => {}
    }
    Record { id, at: loser.at, created_at: loser.created_at, updated_at: loser.updated_at, body }
}

/// What pulling one page decided to write here.
struct Plan {
    writes: Vec<Change>,
    /// Index in `writes` of each incoming change written as is (for counting).
    incoming: Vec<usize>,
    conflicts: usize,
}

/// Decides what one page of the server's changes does here, given this vault's current state
/// of the same records and its push cursor (a local change after it hasn't reached the server).
fn plan_pull(page: &[Changed], local: &HashMap<RecordId, Changed>, pushed: Cursor) -> Plan {
    let mut plan = Plan { writes: Vec::new(), incoming: Vec::new(), conflicts: 0 };
    for theirs in page {
        let take = |plan: &mut Plan| {
            plan.incoming.push(plan.writes.len());
            plan.writes.push(theirs.change.clone());
        };
        match resolve(local.get(&theirs.change.id()), &theirs.change, pushed) {
            Resolution::Same | Resolution::KeepMine => {}
            Resolution::Take => take(&mut plan),
            Resolution::TakeAndCopyMine(mine) => {
                plan.conflicts += 1;
                take(&mut plan);
                plan.writes.push(Change::Put { record: conflict_copy(mine) });
            }
            Resolution::KeepMineAndCopyTheirs(theirs) => {
                plan.conflicts += 1;
                plan.writes.push(Change::Put { record: conflict_copy(theirs) });
            }
        }
    }
    plan
}

impl App<'_> {
    /// Server side: up to `limit` (at most [`MAX_BATCH`]) changes after `since`.
    pub fn sync_changes(&self, since: Cursor, limit: usize) -> Result<ChangesPage, AppError> {
        let limit = limit.clamp(1, MAX_BATCH);
        let store = self.store();
        let cursor = store.cursor()?;
        let changes = store.changes_since(since, limit)?;
        let more = changes.last().is_some_and(|c| c.cursor < cursor);
        Ok(ChangesPage { changes, cursor, more })
    }

    /// Server side: writes a batch of a client's changes, each only if its record is unchanged
    /// since the client's base.
    pub fn sync_push(&self, request: &PushRequest) -> Result<PushReply, AppError> {
        if request.changes.len() > MAX_BATCH {
            return Err(AppError::Report(format!(
                "a push takes at most {MAX_BATCH} changes; this one had {}",
                request.changes.len()
            )));
        }
        let report = self.store().apply(&request.changes, Some(request.base))?;
        Ok(PushReply { outcomes: report.outcomes, before: report.before, after: report.after })
    }

    /// The `sync` setting, if this vault was ever synced.
    pub fn sync_state(&self) -> Result<Option<SyncState>, AppError> {
        settings::get::<SyncSetting>(self.store())
    }

    /// Client side: one whole sync with `remote`, the account `username` at `server`. Pulls, then
    /// pushes, and again while the server changed under us; saves progress after every batch.
    pub fn sync(
        &self,
        remote: &mut dyn Remote,
        server: &str,
        username: &str,
    ) -> Result<SyncReport, SyncError> {
        let store = self.store();
        let mut state = match self.sync_state()? {
            // Another server or account: start again from the beginning on both sides (records
            // both have are recognised and not written twice).
            Some(s) if s.server == server && s.username == username => s,
            _ => {
                SyncState { server: server.to_owned(), username: username.to_owned(), ..SyncState::default() }
            }
        };
        settings::set::<SyncSetting>(store, &state)?;
        let mut report = SyncReport::default();
        for _ in 0..MAX_ROUNDS {
            self.pull(remote, &mut state, &mut report)?;
            if self.push(remote, &mut state, &mut report)? {
                state.last_synced = Some(self.clock().now);
                settings::set::<SyncSetting>(store, &state)?;
                return Ok(report);
            }
        }
        Err(SyncError::KeptChanging)
    }

    fn pull(
        &self,
        remote: &mut dyn Remote,
        state: &mut SyncState,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let store = self.store();
        let mut restarted = false;
        loop {
            let page = remote.changes(state.pulled, BATCH)?;
            if page.cursor < state.pulled && !restarted {
                // The account is not the one we synced with (it was made again): start over.
                restarted = true;
                state.pulled = 0;
                state.pushed = 0;
                settings::set::<SyncSetting>(store, state)?;
                continue;
            }
            if page.changes.windows(2).any(|w| w[0].cursor >= w[1].cursor)
                || page.changes.first().is_some_and(|c| c.cursor <= state.pulled)
            {
                return Err(SyncError::Protocol("changes out of order".into()));
            }
            let Some(last) = page.changes.last().map(|c| c.cursor) else {
                return Ok(());
            };
            self.apply_page(&page.changes, state, report)?;
            state.pulled = last;
            settings::set::<SyncSetting>(store, state)?;
            if !page.more {
                return Ok(());
            }
        }
    }

    /// Writes one page of the server's changes here, atomically with the check that none of
    /// the records it touches changed here meanwhile (else it decides again).
    fn apply_page(
        &self,
        page: &[Changed],
        state: &mut SyncState,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let store = self.store();
        let ids: Vec<RecordId> = page.iter().map(|c| c.change.id()).collect();
        for _ in 0..MAX_ROUNDS {
            let seen = store.cursor()?;
            let local: HashMap<RecordId, Changed> =
                store.versions(&ids)?.into_iter().map(|c| (c.change.id(), c)).collect();
            let plan = plan_pull(page, &local, state.pushed);
            let applied = store.apply(&plan.writes, Some(seen))?;
            if applied.outcomes.iter().any(|o| matches!(o, Applied::Conflict { .. })) {
                // Something here changed one of these records since we looked; this batch was
                // all or nothing only for what it wrote, so look again.
                continue;
            }
            report.pulled += plan
                .incoming
                .iter()
                .filter(|&&i| matches!(applied.outcomes[i], Applied::Written { .. }))
                .count();
            report.conflicts += plan.conflicts;
            if applied.before == state.pushed {
                // Everything here before this batch had reached the server, and this batch holds
                // only the server's own versions: no need to send them back.
                state.pushed = applied.after;
            }
            return Ok(());
        }
        Err(SyncError::KeptChanging)
    }

    /// Sends this vault's changes since the last push. `false` when the server had changed a
    /// record since our pull (pull again, then push again).
    fn push(
        &self,
        remote: &mut dyn Remote,
        state: &mut SyncState,
        report: &mut SyncReport,
    ) -> Result<bool, SyncError> {
        let store = self.store();
        loop {
            let mut changed = store.changes_since(state.pushed, BATCH)?;
            let mut bytes = 0;
            let fits = changed
                .iter()
                .position(|c| {
                    bytes += serde_json::to_vec(&c.change).map_or(0, |v| v.len());
                    bytes > PUSH_BYTES
                })
                .map_or(changed.len(), |i| i.max(1));
            changed.truncate(fits);
            let Some(last) = changed.last().map(|c| c.cursor) else {
                return Ok(true);
            };
            let request =
                PushRequest { base: state.pulled, changes: changed.into_iter().map(|c| c.change).collect() };
            let reply = remote.push(&request)?;
            if reply.outcomes.len() != request.changes.len() {
                return Err(SyncError::Protocol("a push answer doesn't match its request".into()));
            }
            let written = reply.outcomes.iter().filter(|o| matches!(o, Applied::Written { .. })).count();
            report.pushed += written;
            if reply.outcomes.iter().any(|o| matches!(o, Applied::Conflict { .. })) {
                return Ok(false);
            }
            state.pushed = last;
            if reply.before == state.pulled {
                // Nothing else reached the server between our pull and this batch: the server's
                // changes up to `after` are this batch, which we have.
                state.pulled = reply.after;
            }
            settings::set::<SyncSetting>(store, state)?;
        }
    }
}
