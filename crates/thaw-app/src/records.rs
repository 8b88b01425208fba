//! Saving, changing, finding and removing records: the one write path of every edge, so every
//! save of free text brings the same safety follow-up.

use serde::Serialize;
use thaw_core::ids::IdRef;
use thaw_core::{Record, RecordBody, RecordId, RecordKind};
use thaw_store::{ListQuery, SearchHit, SearchQuery};

use crate::input::{ActivityInput, CheckinInput, JournalInput, PersonInput, ReactionInput, ReleaseInput};
use crate::{App, AppError, FollowUp};

/// A record just written, and what to show first because of it. As JSON: the record's own fields
/// plus `follow_up` (`null` when nothing is shown).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    #[serde(flatten)]
    pub record: Record,
    pub follow_up: Option<FollowUp>,
}

impl App<'_> {
    /// Saves a new record and works out its follow-up.
    pub fn add(&self, record: Record) -> Result<Saved, AppError> {
        self.store.insert(&record)?;
        let follow_up = self.follow_up_for_record(&record, None);
        Ok(Saved { record, follow_up })
    }

    /// Saves a changed record (same id and kind) and works out the follow-up for what it brought
    /// in that wasn't there before.
    pub fn update(&self, mut record: Record) -> Result<Saved, AppError> {
        let before = self.store.get(record.id)?.ok_or(AppError::NotFound)?;
        if before.kind() != record.kind() {
            return Err(AppError::NotFound);
        }
        record.created_at = before.created_at;
        record.updated_at = self.clock.now;
        self.store.update(&record)?;
        let follow_up = self.follow_up_for_record(&record, Some(&before));
        Ok(Saved { record, follow_up })
    }

    pub fn delete(&self, id: RecordId) -> Result<(), AppError> {
        Ok(self.store.delete(id)?)
    }

    /// The record of `kind` whose id is `id` or ends with it.
    pub fn find(&self, kind: Option<RecordKind>, id: &str) -> Result<Record, AppError> {
        let prefix = IdRef::parse(id)?;
        let id = self.store.resolve(&prefix, kind)?;
        self.store.get(id)?.ok_or(AppError::NotFound)
    }

    pub fn list(&self, query: &ListQuery) -> Result<Vec<Record>, AppError> {
        Ok(self.store.list(query)?)
    }

    pub fn search(&self, text: &str, kinds: &[RecordKind], limit: usize) -> Result<Vec<SearchHit>, AppError> {
        Ok(self.store.search(&SearchQuery { text: text.to_owned(), kinds: kinds.to_vec(), limit })?)
    }

    /// Journal entries with every one of `tags`, newest first, at most `limit`.
    pub fn journal_tagged(&self, mut query: ListQuery, tags: &[String]) -> Result<Vec<Record>, AppError> {
        let tags = thaw_core::record::normalise_tags(tags)?;
        let limit = query.limit.take();
        let mut all = self.store.list(&query)?;
        all.retain(|r| matches!(&r.body, RecordBody::Journal(j) if tags.iter().all(|t| j.tags.contains(t))));
        if let Some(l) = limit {
            all.truncate(l);
        }
        Ok(all)
    }

    /// The journal entry titled `title` (ignoring case), most recent first.
    pub fn journal_by_title(&self, title: &str) -> Result<Option<Record>, AppError> {
        let wanted = title.trim().to_lowercase();
        let all = self.store.list(&ListQuery::kind(RecordKind::Journal))?;
        Ok(all
            .into_iter()
            .find(|r| matches!(&r.body, RecordBody::Journal(j) if j.title.to_lowercase() == wanted)))
    }

    pub fn checkin(&self, input: &CheckinInput) -> Result<Saved, AppError> {
        let record = input.record(&self.vocabulary()?, &self.clock)?;
        self.add(record)
    }

    pub fn journal(&self, input: &JournalInput) -> Result<Saved, AppError> {
        let record = input.record(&self.vocabulary()?, &self.clock)?;
        self.add(record)
    }

    pub fn reaction(&self, input: &ReactionInput) -> Result<Saved, AppError> {
        let record = input.record(&self.vocabulary()?, &self.clock)?;
        self.add(record)
    }

    pub fn release(&self, input: &ReleaseInput) -> Result<Saved, AppError> {
        let record = input.record(self.store, &self.clock)?;
        self.add(record)
    }

    pub fn activity(&self, input: &ActivityInput) -> Result<Saved, AppError> {
        let record = input.record(&self.clock)?;
        self.add(record)
    }

    pub fn person(&self, input: &PersonInput) -> Result<Saved, AppError> {
        let record = input.record(&self.clock)?;
        self.add(record)
    }
}
