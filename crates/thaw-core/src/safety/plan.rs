//! The safety plan a person writes for hard moments: six steps and the reasons that matter to
//! them, following the structure of Stanley & Brown's Safety Planning Intervention (clinical.md
//! §2.1) with section titles and hints in our own words.

use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::record::MAX_NOTE;

/// Most entries one section may hold.
pub const MAX_ENTRIES: usize = 50;

/// One section of the plan: its key in files and JSON, a title and a hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub key: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
}

/// The sections, in the order they are used in a hard moment.
pub const SECTIONS: [Section; 7] = [
    Section {
        key: "warning_signs",
        title: "Signs that a hard time is coming",
        hint: "Thoughts, feelings, moods or situations that tell you things are getting harder.",
    },
    Section {
        key: "coping_alone",
        title: "Things I can do on my own",
        hint: "Small things that help you through a difficult moment without needing anyone else.",
    },
    Section {
        key: "distractions",
        title: "People and places that take my mind off things",
        hint: "Company or places that lift you a little, even without talking about how you feel.",
    },
    Section {
        key: "people_to_ask",
        title: "People I can ask for help",
        hint: "Friends or family you could tell that you're struggling, and how to reach them.",
    },
    Section {
        key: "professionals",
        title: "Professionals and services I can contact",
        hint: "Your doctor, therapist, a crisis line or an urgent care service, with their numbers.",
    },
    Section {
        key: "safer_surroundings",
        title: "Making my surroundings safer",
        hint: "Steps, perhaps with someone you trust, that make where you are safer during a hard time.",
    },
    Section {
        key: "reasons",
        title: "Reasons that matter to me",
        hint: "People, animals, plans, hopes or anything else that is worth staying for.",
    },
];

/// A person's safety plan. Every section is a list of short entries in their own words.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafetyPlan {
    #[serde(default)]
    pub warning_signs: Vec<String>,
    #[serde(default)]
    pub coping_alone: Vec<String>,
    #[serde(default)]
    pub distractions: Vec<String>,
    #[serde(default)]
    pub people_to_ask: Vec<String>,
    #[serde(default)]
    pub professionals: Vec<String>,
    #[serde(default)]
    pub safer_surroundings: Vec<String>,
    #[serde(default)]
    pub reasons: Vec<String>,
}

impl SafetyPlan {
    /// The entries of a section, by key.
    pub fn section(&self, key: &str) -> &[String] {
        match key {
            "warning_signs" => &self.warning_signs,
            "coping_alone" => &self.coping_alone,
            "distractions" => &self.distractions,
            "people_to_ask" => &self.people_to_ask,
            "professionals" => &self.professionals,
            "safer_surroundings" => &self.safer_surroundings,
            "reasons" => &self.reasons,
            _ => &[],
        }
    }

    fn section_mut(&mut self, key: &str) -> Option<&mut Vec<String>> {
        Some(match key {
            "warning_signs" => &mut self.warning_signs,
            "coping_alone" => &mut self.coping_alone,
            "distractions" => &mut self.distractions,
            "people_to_ask" => &mut self.people_to_ask,
            "professionals" => &mut self.professionals,
            "safer_surroundings" => &mut self.safer_surroundings,
            "reasons" => &mut self.reasons,
            _ => return None,
        })
    }

    pub fn is_empty(&self) -> bool {
        SECTIONS.iter().all(|s| self.section(s.key).is_empty())
    }

    /// Reads a plan from TOML: each key a section, each value a list of strings. Unknown keys
    /// and wrong types are refused with a message that names them.
    pub fn from_toml(text: &str) -> Result<SafetyPlan, CoreError> {
        let keys = || SECTIONS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ");
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let detail = e.message().trim().trim_end_matches('.').to_owned();
            let line = e.span().and_then(|s| text.get(..s.start)).map(|t| t.matches('\n').count() + 1);
            CoreError::Invalid(format!(
                "The safety plan isn't valid TOML{}: {detail}. Each section is a list of strings, like warning_signs = [\"I stop answering messages\"].",
                line.map(|l| format!(" (line {l})")).unwrap_or_default()
            ))
        })?;
        let mut plan = SafetyPlan::default();
        for (key, value) in table {
            let Some(section) = plan.section_mut(&key) else {
                return Err(CoreError::Invalid(format!(
                    "\"{key}\" isn't a section of the safety plan. The sections are: {}.",
                    keys()
                )));
            };
            let wrong_type = || {
                CoreError::Invalid(format!("{key} must be a list of strings, like {key} = [\"…\", \"…\"]."))
            };
            let items = value.as_array().ok_or_else(wrong_type)?;
            for item in items {
                section.push(item.as_str().ok_or_else(wrong_type)?.to_owned());
            }
        }
        plan.cleaned()
    }

    /// Trims entries, drops empty ones and checks the limits.
    pub fn cleaned(mut self) -> Result<SafetyPlan, CoreError> {
        for s in SECTIONS {
            let Some(entries) = self.section_mut(s.key) else { continue };
            let mut kept = Vec::new();
            for e in entries.iter() {
                let t = crate::text::bounded(e, "An entry in the safety plan", MAX_NOTE)?;
                if !t.is_empty() {
                    kept.push(t);
                }
            }
            if kept.len() > MAX_ENTRIES {
                return Err(CoreError::Invalid(format!(
                    "{} has {} entries; the limit is {MAX_ENTRIES}.",
                    s.key,
                    kept.len()
                )));
            }
            *entries = kept;
        }
        Ok(self)
    }

    /// The plan as TOML for editing, with each section's title and hint as comments. Reading it
    /// back with [`SafetyPlan::from_toml`] gives the same plan.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# Your safety plan: for a hard moment, work down the list until something helps.\n\
             # Write each entry in quotes, separated by commas. Lines starting with # are ignored.\n",
        );
        for s in SECTIONS {
            out.push_str(&format!("\n# {}\n# {}\n{} = [", s.title, s.hint, s.key));
            let entries = self.section(s.key);
            if entries.is_empty() {
                out.push_str("]\n");
                continue;
            }
            out.push('\n');
            for e in entries {
                out.push_str(&format!("  {},\n", toml_string(e)));
            }
            out.push_str("]\n");
        }
        out
    }

    /// The plan as lines of text, section by section; sections without entries are left out.
    pub fn text(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in SECTIONS {
            let entries = self.section(s.key);
            if entries.is_empty() {
                continue;
            }
            out.push(s.title.to_owned());
            out.extend(entries.iter().map(|e| format!("  \u{2022} {}", e.replace('\n', "\n    "))));
        }
        out
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_and_refuses_unknown_keys() {
        let plan =
            SafetyPlan::from_toml("reasons = [\"my cat\", \"  \"]\nwarning_signs = [\" not sleeping \"]")
                .unwrap();
        assert_eq!(plan.reasons, ["my cat"]);
        assert_eq!(plan.warning_signs, ["not sleeping"]);
        let err = SafetyPlan::from_toml("reasons = [\"x\"]\nhobbies = [\"y\"]").unwrap_err().to_string();
        assert!(err.contains("\"hobbies\"") && err.contains("warning_signs"), "{err}");
        let err = SafetyPlan::from_toml("reasons = \"x\"").unwrap_err().to_string();
        assert!(err.contains("reasons must be a list of strings"), "{err}");
        let err = SafetyPlan::from_toml("reasons = [1]").unwrap_err().to_string();
        assert!(err.contains("reasons must be a list of strings"), "{err}");
        let err = SafetyPlan::from_toml("reasons = [\"x\"]\n\nwarning_signs = [\"é\" oops]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("isn't valid TOML (line 3)"), "{err}");
    }

    #[test]
    fn the_editing_form_reads_back_the_same() {
        let plan = SafetyPlan {
            warning_signs: vec!["I stop \"answering\"\nmessages".into(), "back\\slash\tand a tab".into()],
            reasons: vec!["my sister".into()],
            ..SafetyPlan::default()
        };
        let text = plan.to_toml();
        for s in SECTIONS {
            assert!(text.contains(s.title) && text.contains(s.key), "{}", s.key);
        }
        assert_eq!(SafetyPlan::from_toml(&text).unwrap(), plan);
        assert_eq!(SafetyPlan::from_toml(&SafetyPlan::default().to_toml()).unwrap(), SafetyPlan::default());
    }
}
