//! Record ids: UUIDv7, so ids sort by creation time and can be shown shortened.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::CoreError;

/// The id of any record in the vault.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = "uuid"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(Uuid);

impl RecordId {
    /// A new time-ordered id.
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }

    /// The last eight hex digits: enough to name a record in everyday use. (The first digits of a
    /// UUIDv7 are its timestamp, shared by records made within a minute of each other; the last
    /// ones are random.)
    pub fn short(&self) -> String {
        self.0.simple().to_string()[24..].to_owned()
    }
}

impl Default for RecordId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for RecordId {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim()).map(Self).map_err(|_| CoreError::BadId { input: s.to_owned() })
    }
}

/// What a person may type to name a record: a whole id, or its end (the short id shown in lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdRef(String);

impl IdRef {
    /// At least four hex digits (dashes ignored), at most a whole UUID.
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        let cleaned: String = input.trim().chars().filter(|c| *c != '-').collect();
        let ok = (4..=32).contains(&cleaned.len()) && cleaned.chars().all(|c| c.is_ascii_hexdigit());
        if ok {
            Ok(Self(cleaned.to_ascii_lowercase()))
        } else {
            Err(CoreError::BadId { input: input.to_owned() })
        }
    }

    /// Lowercase hex digits without dashes.
    pub fn as_hex(&self) -> &str {
        &self.0
    }

    /// Whether this is a whole id rather than the end of one.
    pub fn is_whole(&self) -> bool {
        self.0.len() == 32
    }

    pub fn matches(&self, id: &RecordId) -> bool {
        let hex = id.0.simple().to_string();
        if self.is_whole() { hex == self.0 } else { hex.ends_with(&self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_creation() {
        let a = RecordId::new();
        let b = RecordId::new();
        assert!(a < b);
        assert_eq!(a.short().len(), 8);
    }

    #[test]
    fn prefix_accepts_short_and_full_forms() {
        let id = RecordId::new();
        assert!(IdRef::parse(&id.short()).unwrap().matches(&id));
        assert!(IdRef::parse(&id.to_string()).unwrap().matches(&id));
        assert!(IdRef::parse(&id.to_string().to_uppercase()).unwrap().matches(&id));
        assert!(IdRef::parse("abc").is_err());
        assert!(IdRef::parse("zzzzzzzz").is_err());
    }
}
