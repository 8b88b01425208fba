//! Talking to people you trust: conversation starters from `content/starters.toml` (embedded at
//! compile time), and the log of conversations a person keeps.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::record::{MAX_NOTE, MAX_SHORT};
use crate::text::normalise;
use crate::{CoreError, Intensity, RecordId};

const STARTERS_TOML: &str = include_str!("../../../content/starters.toml");

/// Starters for one level of openness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarterLevel {
    pub id: String,
    pub title: String,
    pub starters: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Starters {
    pub version: u32,
    #[serde(rename = "level")]
    pub levels: Vec<StarterLevel>,
}

/// The starters shipped with Thaw.
pub fn starters() -> &'static Starters {
    static STARTERS: OnceLock<Starters> = OnceLock::new();
    STARTERS.get_or_init(|| {
        // Compiled in and checked by the schema tests: failing here is a build bug, not user input.
        Starters::parse(STARTERS_TOML).expect("content/starters.toml is valid (schema test)")
    })
}

impl Starters {
    /// Parses and checks a starters file: unique level ids, every level has lines.
    pub fn parse(text: &str) -> Result<Starters, String> {
        let s: Starters = toml::from_str(text).map_err(|e| e.to_string())?;
        for (i, level) in s.levels.iter().enumerate() {
            if s.levels[..i].iter().any(|l| l.id == level.id) {
                return Err(format!("level \"{}\" appears twice", level.id));
            }
            if level.starters.is_empty() || level.starters.iter().any(|l| l.trim().is_empty()) {
                return Err(format!("level \"{}\" needs starters, none empty", level.id));
            }
        }
        Ok(s)
    }

    /// A level by id or title, or an error listing the levels.
    pub fn level(&self, input: &str) -> Result<&StarterLevel, CoreError> {
        let n = normalise(input);
        self.levels.iter().find(|l| l.id == n || normalise(&l.title) == n).ok_or_else(|| {
            CoreError::UnknownChoice {
                what: "level",
                input: input.trim().to_owned(),
                choices: self.levels.iter().map(|l| l.id.clone()).collect(),
            }
        })
    }
}

/// A conversation with someone the person trusts, and how it went.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// Their name, as on the person's list.
    pub person: String,
    /// Their entry on the list, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<RecordId>,
    /// How: phone, in person, text …
    pub how: String,
    /// How it went, 0 (badly) to 10 (really well).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub went: Option<Intensity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Conversation {
    pub fn new(
        person: &str,
        person_id: Option<RecordId>,
        how: &str,
        went: Option<Intensity>,
        note: Option<&str>,
    ) -> Result<Conversation, CoreError> {
        let note = match note {
            None => None,
            Some(text) => Some(crate::text::bounded(text, "The note", MAX_NOTE)?).filter(|t| !t.is_empty()),
        };
        Ok(Conversation {
            person: crate::text::required_line(person, "The name", MAX_SHORT)?,
            person_id,
            how: crate::text::required_line(how, "How you talked (--how)", MAX_SHORT)?,
            went,
            note,
        })
    }

    /// The text a person wrote, for search.
    pub fn search_parts(&self) -> Vec<&str> {
        [Some(self.person.as_str()), Some(self.how.as_str()), self.note.as_deref()]
            .into_iter()
            .flatten()
            .collect()
    }

    /// One line for lists: "Robin · phone · went 7/10".
    pub fn summary(&self) -> String {
        let went = self.went.map(|w| format!(" · went {w}/10")).unwrap_or_default();
        format!("{} · {}{went}", self.person, self.how)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_found_by_id_or_title() {
        let s = starters();
        assert_eq!(s.level("LIGHT").unwrap().id, "light");
        assert_eq!(s.level("opening up").unwrap().id, "open");
        let err = s.level("deep").unwrap_err().to_string();
        assert!(err.contains("light") && err.contains("medium") && err.contains("open"), "{err}");
    }

    #[test]
    fn a_conversation_needs_a_name_and_how() {
        let c =
            Conversation::new(" Robin ", None, "phone", Some(Intensity::new(7).unwrap()), Some("")).unwrap();
        assert_eq!(c.summary(), "Robin · phone · went 7/10");
        assert_eq!(c.note, None);
        assert!(Conversation::new("Robin", None, "  ", None, None).is_err());
        assert!(Conversation::new("", None, "phone", None, None).is_err());
    }
}
