//! The emotion vocabulary and body sensations, loaded from `content/emotions.toml` (embedded at
//! compile time). The words, meanings and coordinates are data the Thaw team writes and reviews;
//! this module only loads, checks and searches them.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::text::{closest, normalise};

const EMOTIONS_TOML: &str = include_str!("../../../content/emotions.toml");

/// The families words belong to. `Absence` holds numb, flat, empty and the like: a valid answer,
/// not a failure.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Sad,
    Scared,
    Mad,
    Joyful,
    Powerful,
    Peaceful,
    Absence,
}

impl Family {
    pub const ALL: [Family; 7] = [
        Family::Sad,
        Family::Scared,
        Family::Mad,
        Family::Joyful,
        Family::Powerful,
        Family::Peaceful,
        Family::Absence,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Family::Sad => "sad",
            Family::Scared => "scared",
            Family::Mad => "mad",
            Family::Joyful => "joyful",
            Family::Powerful => "powerful",
            Family::Peaceful => "peaceful",
            Family::Absence => "absence",
        }
    }

    /// A friendly heading for pickers.
    pub fn title(self) -> &'static str {
        match self {
            Family::Sad => "Sad, low, hurt",
            Family::Scared => "Scared, worried, tense",
            Family::Mad => "Angry, annoyed, fed up",
            Family::Joyful => "Glad, warm, light",
            Family::Powerful => "Strong, proud, capable",
            Family::Peaceful => "Calm, safe, content",
            Family::Absence => "Numb, flat, far away",
        }
    }

    /// The short name shown on screens: the first word of the title (`angry`, `glad`, `numb`).
    pub fn name(self) -> &'static str {
        match self {
            Family::Sad => "sad",
            Family::Scared => "scared",
            Family::Mad => "angry",
            Family::Joyful => "glad",
            Family::Powerful => "strong",
            Family::Peaceful => "calm",
            Family::Absence => "numb",
        }
    }

    /// A family by its id (`mad`), its short name (`angry`), any word of its title (`fed up`,
    /// `warm`) or the whole title, ignoring case.
    pub fn parse(input: &str) -> Result<Family, CoreError> {
        let n = normalise(input);
        Family::ALL
            .into_iter()
            .find(|f| {
                f.id() == n || normalise(f.title()) == n || f.title().split(',').any(|w| normalise(w) == n)
            })
            .ok_or_else(|| CoreError::UnknownChoice {
                what: "feeling family",
                input: input.to_owned(),
                choices: Family::ALL.iter().map(|f| f.name().to_owned()).collect(),
            })
    }
}

/// Words of the families' titles that aren't words of their own, and the word each stands for, so
/// that what a screen shows is understood when it is typed ("Glad, warm, light"). A person's own
/// word with the same spelling comes first.
const TITLE_WORDS: &[(&str, &str)] = &[("warm", "loving"), ("light", "light-hearted")];

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One word of the vocabulary.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Emotion {
    pub word: String,
    pub family: Family,
    pub meaning: String,
    /// Pleasantness, −1 (very unpleasant) to 1 (very pleasant).
    pub valence: f64,
    /// Energy, −1 (very low) to 1 (very high).
    pub energy: f64,
    #[serde(default)]
    pub synonyms: Vec<String>,
}

/// One body sensation people can pick in a check-in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sensation {
    pub id: String,
    pub label: String,
    pub region: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    version: u32,
    emotion: Vec<Emotion>,
    body: Vec<Sensation>,
}

/// The loaded vocabulary, with an index from every word and synonym to its entry.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    version: u32,
    emotions: Vec<Emotion>,
    sensations: Vec<Sensation>,
    index: HashMap<String, usize>,
}

/// The vocabulary shipped with Thaw.
pub fn vocabulary() -> &'static Vocabulary {
    static VOCAB: OnceLock<Vocabulary> = OnceLock::new();
    VOCAB.get_or_init(|| {
        // The file is compiled in and checked by the schema tests, so failing here is a bug in
        // the build, not something a person can cause.
        Vocabulary::parse(EMOTIONS_TOML).expect("content/emotions.toml is valid (schema test)")
    })
}

impl Vocabulary {
    /// Parses and checks a vocabulary file.
    pub fn parse(text: &str) -> Result<Vocabulary, String> {
        let file: VocabularyFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut vocab = Vocabulary {
            version: file.version,
            emotions: Vec::new(),
            sensations: file.body,
            index: HashMap::new(),
        };
        for emotion in file.emotion {
            vocab.push(emotion)?;
        }
        Ok(vocab)
    }

    fn push(&mut self, emotion: Emotion) -> Result<(), String> {
        check_emotion(&emotion)?;
        let at = self.emotions.len();
        for name in std::iter::once(&emotion.word).chain(&emotion.synonyms) {
            if self.index.insert(normalise(name), at).is_some() {
                return Err(format!("\"{name}\" appears twice in the vocabulary"));
            }
        }
        self.emotions.push(emotion);
        Ok(())
    }

    /// This vocabulary plus the person's own words (which may not clash with existing ones).
    pub fn with_personal(&self, personal: &[Emotion]) -> Result<Vocabulary, String> {
        let mut vocab = self.clone();
        for emotion in personal {
            vocab.push(emotion.clone())?;
        }
        Ok(vocab)
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn emotions(&self) -> &[Emotion] {
        &self.emotions
    }

    pub fn sensations(&self) -> &[Sensation] {
        &self.sensations
    }

    pub fn in_family(&self, family: Family) -> impl Iterator<Item = &Emotion> {
        self.emotions.iter().filter(move |e| e.family == family)
    }

    /// Finds a word or synonym, ignoring case and extra spaces.
    pub fn lookup(&self, word: &str) -> Option<&Emotion> {
        let n = normalise(word);
        let i = self.index.get(&n).or_else(|| {
            TITLE_WORDS.iter().find(|(title, _)| *title == n).and_then(|(_, main)| self.index.get(*main))
        });
        i.map(|&i| &self.emotions[i])
    }

    /// Finds a word, or explains that it is unknown and suggests close ones.
    pub fn resolve(&self, word: &str) -> Result<&Emotion, CoreError> {
        self.lookup(word).ok_or_else(|| CoreError::UnknownEmotion {
            word: word.trim().to_owned(),
            suggestions: self.suggest(word),
        })
    }

    /// Up to three known words close to `word` (synonyms lead to their main word).
    pub fn suggest(&self, word: &str) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for name in closest(word, self.index.keys().map(String::as_str), 6) {
            if let Some(&i) = self.index.get(&name) {
                let main = &self.emotions[i].word;
                if !words.contains(main) {
                    words.push(main.clone());
                }
            }
        }
        words.truncate(3);
        words
    }

    /// The `n` words nearest a point on the pleasantness × energy plane.
    pub fn nearest(&self, valence: f64, energy: f64, n: usize) -> Vec<&Emotion> {
        let mut all: Vec<&Emotion> = self.emotions.iter().collect();
        let dist = |e: &Emotion| (e.valence - valence).powi(2) + (e.energy - energy).powi(2);
        all.sort_by(|a, b| dist(a).total_cmp(&dist(b)));
        all.truncate(n);
        all
    }

    /// Finds a body sensation by id or label, ignoring case.
    pub fn resolve_sensation(&self, input: &str) -> Result<&Sensation, CoreError> {
        let n = normalise(input);
        let kebab = n.replace(' ', "-");
        self.sensations.iter().find(|s| s.id == kebab || normalise(&s.label) == n).ok_or_else(|| {
            CoreError::UnknownSensation {
                input: input.trim().to_owned(),
                suggestions: closest(&n, self.sensations.iter().map(|s| s.label.as_str()), 3),
            }
        })
    }
}

/// The rules every word must follow, shipped or personal.
pub fn check_emotion(e: &Emotion) -> Result<(), String> {
    let word_ok = |w: &str| {
        !w.is_empty()
            && w.len() <= 40
            && w == normalise(w)
            && w.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\''))
    };
    if !word_ok(&e.word) {
        return Err(format!(
            "\"{}\": a word must be lowercase letters, spaces, hyphens or apostrophes (at most 40)",
            e.word
        ));
    }
    if let Some(s) = e.synonyms.iter().find(|s| !word_ok(s)) {
        return Err(format!("\"{}\": synonym \"{s}\" must be lowercase letters", e.word));
    }
    for (name, v) in [("valence", e.valence), ("energy", e.energy)] {
        if !(-1.0..=1.0).contains(&v) {
            return Err(format!("\"{}\": {name} {v} is outside -1..1", e.word));
        }
    }
    if e.meaning.chars().any(|c| crate::text::is_forbidden_control(c) || crate::text::is_bidi_control(c)) {
        return Err(format!("\"{}\": the meaning has an invisible control character in it", e.word));
    }
    if e.meaning.trim().is_empty() || e.meaning.chars().count() > 120 {
        return Err(format!("\"{}\": the meaning must be one short sentence", e.word));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_vocabulary_loads() {
        let v = vocabulary();
        assert!(v.emotions().len() >= 120, "at least 120 words");
        assert!(v.lookup("ANGRY").is_some());
        assert!(v.lookup(" hurt ").is_some());
    }

    #[test]
    fn unknown_word_suggests_close_ones() {
        let err = vocabulary().resolve("angyr").unwrap_err();
        match err {
            CoreError::UnknownEmotion { suggestions, .. } => {
                assert!(suggestions.contains(&"angry".to_owned()))
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[cfg(test)]
mod title_words {
    use super::*;

    #[test]
    fn every_word_of_a_family_title_is_understood_as_a_word_of_that_family() {
        let vocab = vocabulary();
        for family in Family::ALL {
            for word in family.title().split(',').map(str::trim) {
                let found = vocab.resolve(word).unwrap_or_else(|e| panic!("{word}: {e}"));
                assert_eq!(found.family, family, "{word} → {}", found.word);
                assert_eq!(Family::parse(word).unwrap(), family, "{word}");
            }
            assert_eq!(Family::parse(family.name()).unwrap(), family);
            assert!(family.title().to_lowercase().starts_with(family.name()), "{}", family.title());
            assert_eq!(Family::parse(family.id()).unwrap(), family);
            assert_eq!(Family::parse(family.title()).unwrap(), family);
        }
        assert_eq!(vocab.resolve("Warm").unwrap().word, "loving");
        assert_eq!(Family::parse("angry").unwrap(), Family::Mad);
        let err = Family::parse("purple").unwrap_err().to_string();
        assert!(err.contains("angry") && err.contains("numb"), "{err}");
    }
}
