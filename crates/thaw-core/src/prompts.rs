//! Writing prompts for the journal, loaded from `content/prompts.toml` (embedded at compile time),
//! grouped by purpose. Heavier prompts carry a warning that is shown before the prompt.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::text::{closest, normalise};
use crate::{CoreError, Missing};

const PROMPTS_TOML: &str = include_str!("../../../content/prompts.toml");

/// One prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub id: String,
    pub text: String,
    /// Empty unless the prompt may bring up painful feelings; then shown first.
    pub warning: String,
}

impl Prompt {
    pub fn is_heavy(&self) -> bool {
        !self.warning.trim().is_empty()
    }
}

/// Prompts with one purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptGroup {
    pub id: String,
    pub title: String,
    #[serde(rename = "prompt")]
    pub prompts: Vec<Prompt>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompts {
    pub version: u32,
    #[serde(rename = "group")]
    pub groups: Vec<PromptGroup>,
}

/// The prompts shipped with Thaw.
pub fn prompts() -> &'static Prompts {
    static PROMPTS: OnceLock<Prompts> = OnceLock::new();
    PROMPTS.get_or_init(|| {
        // Compiled in and checked by the schema tests: failing here is a build bug, not user input.
        Prompts::parse(PROMPTS_TOML).expect("content/prompts.toml is valid (schema test)")
    })
}

impl Prompts {
    /// Parses and checks a prompts file: unique ids, no empty group or text.
    pub fn parse(text: &str) -> Result<Prompts, String> {
        let prompts: Prompts = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut ids: Vec<&str> = Vec::new();
        for g in &prompts.groups {
            if g.prompts.is_empty() {
                return Err(format!("group \"{}\" has no prompts", g.id));
            }
            for id in std::iter::once(&g.id).chain(g.prompts.iter().map(|p| &p.id)) {
                if ids.contains(&id.as_str()) {
                    return Err(format!("id \"{id}\" is used twice"));
                }
                ids.push(id);
            }
            if let Some(p) = g.prompts.iter().find(|p| p.text.trim().is_empty()) {
                return Err(format!("prompt \"{}\" has no text", p.id));
            }
        }
        Ok(prompts)
    }

    /// Every prompt with its group, in file order.
    pub fn all(&self) -> impl Iterator<Item = (&PromptGroup, &Prompt)> {
        self.groups.iter().flat_map(|g| g.prompts.iter().map(move |p| (g, p)))
    }

    /// A group by id or title, or an error listing the groups.
    pub fn group(&self, input: &str) -> Result<&PromptGroup, CoreError> {
        let n = normalise(input);
        self.groups.iter().find(|g| g.id == n || normalise(&g.title) == n).ok_or_else(|| {
            CoreError::UnknownChoice {
                what: "prompt group",
                input: input.trim().to_owned(),
                choices: self.groups.iter().map(|g| g.id.clone()).collect(),
            }
        })
    }

    /// A prompt by id, or an error suggesting close ones.
    pub fn find(&self, id: &str) -> Result<(&PromptGroup, &Prompt), CoreError> {
        let n = normalise(id);
        self.all().find(|(_, p)| p.id == n).ok_or_else(|| {
            let near = closest(&n, self.all().map(|(_, p)| p.id.as_str()), 3);
            CoreError::NotFound { what: Missing::Prompt, input: id.trim().to_owned(), near }
        })
    }

    /// One prompt, chosen from `seed` (the caller passes something that changes, like the time):
    /// from one group, or from all.
    pub fn pick<'a>(
        &'a self,
        group: Option<&'a PromptGroup>,
        seed: u64,
    ) -> Option<(&'a PromptGroup, &'a Prompt)> {
        let pool: Vec<(&PromptGroup, &Prompt)> = match group {
            Some(g) => g.prompts.iter().map(|p| (g, p)).collect(),
            None => self.all().collect(),
        };
        if pool.is_empty() {
            return None;
        }
        let index = usize::try_from(mix(seed) % pool.len() as u64).unwrap_or(0);
        pool.get(index).copied()
    }
}

/// Spreads nearby seeds (consecutive milliseconds) over the whole range (SplitMix64's finaliser).
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_spread_over_the_prompts_and_respect_the_group() {
        let p = prompts();
        let grief = p.group("grief").unwrap();
        let mut seen = std::collections::HashSet::new();
        for seed in 0..200 {
            let (g, prompt) = p.pick(Some(grief), seed).unwrap();
            assert_eq!(g.id, "grief");
            seen.insert(prompt.id.clone());
        }
        assert_eq!(seen.len(), grief.prompts.len(), "every grief prompt comes up");
        let firsts: std::collections::HashSet<String> =
            (1_700_000_000_000..1_700_000_000_020).map(|s| p.pick(None, s).unwrap().1.id.clone()).collect();
        assert!(firsts.len() > 5, "consecutive seeds give different prompts");
    }

    #[test]
    fn groups_and_ids_are_found_or_explained() {
        let p = prompts();
        assert_eq!(p.group("Grief and loss").unwrap().id, "grief");
        let err = p.group("sadness").unwrap_err().to_string();
        assert!(err.contains("noticing") && err.contains("gentle"), "{err}");
        assert_eq!(p.find("memories-2").unwrap().1.id, "memories-2");
        assert!(p.find("memories-2").unwrap().1.is_heavy());
        let err = p.find("memory-2").unwrap_err().to_string();
        assert!(err.contains("memories-2"), "{err}");
    }
}
