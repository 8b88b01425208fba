//! The parts of Thaw that content can point to. Guide pages and self-check areas name features by
//! id (`features = ["checkin", "people"]`); this table turns an id into the command that opens it,
//! and the schema tests check that every id named in content is listed here.

use serde::Serialize;

/// One feature a page or self-check result can point a person to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Feature {
    pub id: &'static str,
    /// The command to run, as a person would type it.
    pub command: &'static str,
    /// What it does, in a few words, lowercase so it reads inside a sentence.
    pub label: &'static str,
}

/// Every feature content may name. Some are built in parallel (`assess`, `safety`, `crisis`) or
/// later (`report`); they are listed so content can point to them already.
pub const FEATURES: &[Feature] = &[
    Feature { id: "checkin", command: "thaw checkin", label: "name what you feel, or that you can't" },
    Feature { id: "journal", command: "thaw journal add", label: "write about it in your journal" },
    Feature { id: "prompt", command: "thaw prompt", label: "get a writing prompt" },
    Feature { id: "react", command: "thaw react", label: "note how you reacted to an intense moment" },
    Feature { id: "activity", command: "thaw activity", label: "record an expressive activity" },
    Feature { id: "release", command: "thaw release", label: "record a moment of release" },
    Feature { id: "med", command: "thaw med list", label: "keep a timeline of your medicines" },
    Feature { id: "selfcheck", command: "thaw selfcheck", label: "think through possible reasons" },
    Feature {
        id: "people",
        command: "thaw people starters",
        label: "find words to talk to someone you trust",
    },
    Feature { id: "guide", command: "thaw guide", label: "read short pages on why crying can become hard" },
    Feature { id: "assess", command: "thaw assess", label: "take a questionnaire (PHQ-9, GAD-7, WHO-5)" },
    Feature { id: "report", command: "thaw report", label: "prepare a summary for your doctor" },
    Feature { id: "safety", command: "thaw safety", label: "open your safety plan" },
    Feature { id: "crisis", command: "thaw crisis", label: "find crisis lines for your country" },
];

/// The feature with this id, if there is one.
pub fn feature(id: &str) -> Option<&'static Feature> {
    FEATURES.iter().find(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_commands_start_with_thaw() {
        for (i, f) in FEATURES.iter().enumerate() {
            assert!(FEATURES[..i].iter().all(|g| g.id != f.id), "{} twice", f.id);
            assert!(f.command.starts_with("thaw "), "{}", f.command);
        }
        assert_eq!(feature("med").map(|f| f.command), Some("thaw med list"));
        assert!(feature("nope").is_none());
    }
}
