//! From other apps' moods to Thaw's feelings words.
//!
//! A mood label (Daylio lets people rename theirs) maps to a word when the label is a word or a
//! synonym in the vocabulary (including the person's own words). Otherwise the five default
//! Daylio moods, and the five Pixels scores, map to gentle words that describe the state without
//! judging it. Anything else is reported as not mapped and kept as text.

use thaw_core::Vocabulary;

/// The default mood scale shared by Daylio (labels) and Pixels (scores 5 = best … 1 = worst),
/// and the word each maps to.
pub const DEFAULT_MOODS: [(&str, u8, &str); 5] = [
    ("rad", 5, "joyful"),
    ("good", 4, "content"),
    ("meh", 3, "indifferent"),
    ("bad", 2, "down"),
    ("awful", 1, "heavy"),
];

/// The vocabulary word for a mood label, if there is one.
pub fn word_for_label(vocab: &Vocabulary, label: &str) -> Option<String> {
    if let Some(emotion) = vocab.lookup(label) {
        return Some(emotion.word.clone());
    }
    let label = thaw_core::text::normalise(label);
    DEFAULT_MOODS
        .iter()
        .find(|(name, _, _)| *name == label)
        .and_then(|(_, _, word)| vocab.lookup(word))
        .map(|e| e.word.clone())
}

/// The vocabulary word for a score on a five-point scale (5 best).
pub fn word_for_score(vocab: &Vocabulary, score: i64) -> Option<String> {
    DEFAULT_MOODS
        .iter()
        .find(|(_, s, _)| i64::from(*s) == score)
        .and_then(|(_, _, word)| vocab.lookup(word))
        .map(|e| e.word.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_words_exist_in_the_shipped_vocabulary() {
        let vocab = thaw_core::vocabulary();
        for (label, score, word) in DEFAULT_MOODS {
            assert_eq!(word_for_label(vocab, label).as_deref(), Some(word), "{label}");
            assert_eq!(word_for_score(vocab, i64::from(score)).as_deref(), Some(word), "{score}");
        }
        assert_eq!(word_for_label(vocab, " Anxious ").as_deref(), Some("anxious"));
        assert_eq!(word_for_label(vocab, "glad").as_deref(), Some("happy"), "synonyms count");
        assert_eq!(word_for_label(vocab, "super duper"), None);
        assert_eq!(word_for_score(vocab, 0), None);
    }
}
