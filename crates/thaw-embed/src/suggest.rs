//! "Words that might fit": up to five words from the emotion vocabulary (and a person's own
//! words), ranked by how close in meaning what they wrote is to "I feel WORD. MEANING" plus to the
//! nearest of the word's everyday moments in content/emotion_examples.toml. Offered, never
//! imposed: the wording around them is the caller's ("Might any of these fit?").

use std::sync::Arc;

use serde::Serialize;
use thaw_core::vocab::{Emotion, Vocabulary};

use crate::{EmbedError, Embedding, Model, cosine};

const EXAMPLES_TOML: &str = include_str!("../../../content/emotion_examples.toml");

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    #[allow(dead_code)] // Kept so the file format stays checked.
    version: u32,
    examples: std::collections::BTreeMap<String, Vec<String>>,
}

/// The everyday moments of content/emotion_examples.toml, by word.
pub fn emotion_examples() -> Result<std::collections::BTreeMap<String, Vec<String>>, String> {
    toml::from_str::<ExampleFile>(EXAMPLES_TOML).map(|f| f.examples).map_err(|e| e.to_string())
}

/// How many words are offered at most.
pub const MAX_SUGGESTIONS: usize = 5;

/// One word that might fit, with its similarity (higher is closer).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub word: String,
    pub score: f32,
}

/// The sentence each word is embedded as.
pub fn word_text(e: &Emotion) -> String {
    format!("I feel {}. {}", e.word, e.meaning)
}

/// The vocabulary's words, embedded once (and kept in the model folder's cache).
#[derive(Debug)]
pub struct Suggester {
    model: Arc<Model>,
    words: Vec<String>,
    /// Each word's names (the word and its synonyms), as lower-case token sequences.
    names: Vec<Vec<Vec<String>>>,
    vectors: Vec<Embedding>,
    /// The embedded moments, each with the index of its word.
    moments: Vec<(usize, Embedding)>,
    /// The labelled dev texts of the evaluation, as neighbours whose words are voted for.
    pool: TextPool,
    blend: Blend,
}

/// The dev half's labelled texts (eval/suggest*.jsonl, split "dev"): each text's meaning (the
/// mean of its sentences', as for a person's text) and the vocabulary words picked for it.
#[derive(Debug, Default)]
pub struct TextPool {
    pub vectors: Vec<Embedding>,
    /// Indices into the vocabulary's words.
    pub words: Vec<Vec<usize>>,
    /// The dev case each text is (index into `eval::suggest_cases("dev")`).
    pub case: Vec<usize>,
    /// A fingerprint of each text, so that a dev text scored by the evaluation leaves itself out.
    keys: Vec<u64>,
}

/// How the words of the nearest labelled texts are blended into a word's score: the `k` nearest
/// dev texts vote for their words, each with its similarity, and a word's share of the votes
/// (0 to 1) times `weight` is added to its meaning score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blend {
    pub k: usize,
    pub weight: f32,
    /// Each neighbour's vote is `exp((similarity - nearest) / temperature)`; 0: the similarity
    /// itself.
    pub temperature: f32,
}

/// The blend in use, chosen by 10-fold cross-validation on the dev texts
/// (`cargo run -p thaw-embed --example eval --release -- --suggest-cv`; docs/SAFETY.md): with 880
/// dev texts from six files, 77.6% top-5 (weight 0.85 gave 76.5%; k 10, weight 0.5 and
/// temperature 0, the blend of 340 texts, 74.3% on 510).
pub const BLEND: Blend = Blend { k: 20, weight: 0.7, temperature: 0.2 };

fn text_key(text: &str) -> u64 {
    crate::cache::fingerprint(&[text.trim().as_bytes()], 0)
}

impl TextPool {
    /// The dev texts, their sentences embedded once (and kept in the model folder's cache).
    fn dev(model: &Model, words: &[String]) -> Result<TextPool, EmbedError> {
        let cases = crate::eval::suggest_cases("dev");
        let texts: Vec<&str> = cases.iter().map(|c| c.text.as_str()).collect();
        let encoded = model.embed_shipped_sentences("suggest-pool", &texts)?;
        let mut pool = TextPool::default();
        for (ci, (c, (_, vs))) in cases.iter().zip(&encoded).enumerate() {
            let picked: Vec<usize> =
                c.words.iter().filter_map(|w| words.iter().position(|x| x == w)).collect();
            if vs.is_empty() || picked.is_empty() {
                continue;
            }
            pool.vectors.push(mean(vs));
            pool.words.push(picked);
            pool.keys.push(text_key(&c.text));
            pool.case.push(ci);
        }
        Ok(pool)
    }

    /// Each word's share of the votes of the `k` nearest texts to `v` (those for which `skip`
    /// holds left out), by word index.
    fn votes(&self, v: &Embedding, n_words: usize, blend: Blend, skip: &dyn Fn(usize) -> bool) -> Vec<f32> {
        let mut out = vec![0f32; n_words];
        let k = blend.k;
        if k == 0 {
            return out;
        }
        let mut near: Vec<(usize, f32)> = self
            .vectors
            .iter()
            .enumerate()
            .filter(|(i, _)| !skip(*i))
            .map(|(i, p)| (i, cosine(v, p)))
            .collect();
        near.sort_by(|a, b| b.1.total_cmp(&a.1));
        near.truncate(k);
        let top = near.first().map_or(0.0, |n| n.1);
        let vote = |s: f32| {
            if blend.temperature > 0.0 { ((s - top) / blend.temperature).exp() } else { s.max(0.0) }
        };
        let total: f32 = near.iter().map(|(_, s)| vote(*s)).sum();
        if total <= 0.0 {
            return out;
        }
        for (i, s) in near {
            for &w in &self.words[i] {
                if let Some(o) = out.get_mut(w) {
                    *o += vote(s) / total;
                }
            }
        }
        out
    }

    /// How many labelled texts there are.
    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }
}

impl Suggester {
    /// Embeds every word of `vocabulary` (Thaw's own list; personal words come with each call).
    pub fn new(model: Arc<Model>, vocabulary: &Vocabulary) -> Result<Suggester, EmbedError> {
        let texts: Vec<String> = vocabulary.emotions().iter().map(word_text).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let vectors = model.embed_shipped("vocabulary", &refs)?;
        let words: Vec<String> = vocabulary.emotions().iter().map(|e| e.word.clone()).collect();
        let names = vocabulary
            .emotions()
            .iter()
            .map(|e| std::iter::once(&e.word).chain(&e.synonyms).map(|n| word_tokens(n)).collect())
            .collect();
        let examples =
            emotion_examples().map_err(|e| EmbedError::Run(format!("content/emotion_examples.toml: {e}")))?;
        let mut owners = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for t in examples.get(w).into_iter().flatten() {
                owners.push(i);
                texts.push(t);
            }
        }
        let moment_vectors = model.embed_shipped("moments", &texts)?;
        let pool = TextPool::dev(&model, &words)?;
        Ok(Suggester {
            model,
            words,
            names,
            vectors,
            moments: owners.into_iter().zip(moment_vectors).collect(),
            pool,
            blend: BLEND,
        })
    }

    /// The same suggester with another blend (for evaluation; `k` 0 leaves the neighbours out).
    pub fn with_blend(mut self, blend: Blend) -> Suggester {
        self.blend = blend;
        self
    }

    /// The labelled dev texts used as neighbours.
    pub fn pool(&self) -> &TextPool {
        &self.pool
    }

    /// Up to five words for `text`, best first; `personal` are the person's own words (embedded
    /// for this call only, never stored). Text without a letter gets none, without the model.
    ///
    /// The text's sentences are encoded once and shared with the risk check of the same text
    /// ([`Model::encode_sentences`]); the whole text's meaning is the mean of its sentences'.
    pub fn suggest(&self, text: &str, personal: &[Emotion]) -> Result<Vec<Suggestion>, EmbedError> {
        self.suggest_unseen(text, personal, &|_| false)
    }

    /// Like [`Suggester::suggest`], but a labelled dev text with exactly this text is not its own
    /// neighbour, nor any for which `skip(index)` holds (for the evaluation: leave-one-out and
    /// cross-validation on dev).
    pub fn suggest_unseen(
        &self,
        text: &str,
        personal: &[Emotion],
        skip: &dyn Fn(usize) -> bool,
    ) -> Result<Vec<Suggestion>, EmbedError> {
        if !text.chars().any(char::is_alphabetic) {
            return Ok(Vec::new());
        }
        let encoded = self.model.encode_sentences(text).inspect_err(|e| {
            if matches!(e, EmbedError::Busy) {
                self.model.skipped_suggestion();
            }
        })?;
        let key = text_key(text);
        let skip = |i: usize| skip(i) || self.pool.keys.get(i) == Some(&key);
        self.rank(text, &encoded.vectors, personal, self.blend, &skip)
    }

    /// The ranking itself, over sentences already encoded (`vectors`, in [`crate::sentences::split`]
    /// order), with a given blend.
    pub fn rank(
        &self,
        text: &str,
        vectors: &[Embedding],
        personal: &[Emotion],
        blend: Blend,
        skip: &dyn Fn(usize) -> bool,
    ) -> Result<Vec<Suggestion>, EmbedError> {
        if vectors.is_empty() {
            return Ok(Vec::new());
        }
        let mut text_vecs: Vec<Embedding> = Vec::with_capacity(vectors.len() + 1);
        text_vecs.push(mean(vectors));
        if vectors.len() > 1 {
            text_vecs.extend(vectors.iter().copied());
        }
        // Words the person says they don't feel ("I'm not angry, just tired") are not offered.
        // (Taking their direction out of the text's meaning as well was tried: it also pushed
        // away the neighbours that did fit, "not sad, more like nothing" → numb, and scored lower
        // on dev.)
        let said = mentions(&self.names, text);
        let own: Vec<&Emotion> =
            personal.iter().filter(|p| !self.words.iter().any(|w| w.eq_ignore_ascii_case(&p.word))).collect();
        let own_texts: Vec<String> = own.iter().map(|e| word_text(e)).collect();
        let own_refs: Vec<&str> = own_texts.iter().map(String::as_str).collect();
        let own_vecs = if own_refs.is_empty() { Vec::new() } else { self.model.embed(&own_refs)? };
        let candidates = self
            .words
            .iter()
            .map(String::as_str)
            .zip(self.vectors.iter())
            .chain(own.iter().map(|p| p.word.as_str()).zip(own_vecs.iter()));
        // Each word: its "I feel WORD. MEANING" plus its closest moment; a personal word has no
        // moments, so its own sentence counts twice.
        let votes = self.pool.votes(&text_vecs[0], self.words.len(), blend, skip);
        let mut best_moment = vec![f32::MIN; self.words.len()];
        for (i, v) in &self.moments {
            best_moment[*i] = best_moment[*i].max(score(&text_vecs, v));
        }
        let mut scored: Vec<Suggestion> = candidates
            .enumerate()
            .filter(|(i, _)| !said.contains(&(*i, true)))
            .map(|(i, (word, v))| {
                let own = score(&text_vecs, v);
                let moment = best_moment.get(i).copied().filter(|m| *m > f32::MIN).unwrap_or(own);
                // A word the person used themselves is a little more likely to fit.
                let named = if said.contains(&(i, false)) { NAMED_BONUS } else { 0.0 };
                // What people picked for the texts nearest in meaning.
                // A person's own word has no votes of its own: it takes those of the vocabulary
                // word nearest to it in meaning, so it isn't pushed out by the votes.
                let voted = match votes.get(i) {
                    Some(share) => *share,
                    None => nearest_word(v, &self.vectors).and_then(|j| votes.get(j)).copied().unwrap_or(0.0),
                } * blend.weight;
                Suggestion { word: word.to_owned(), score: (own + moment) / 2.0 + named + voted }
            })
            .collect();
        scored.sort_by(|a, b| b.score.total_cmp(&a.score));
        scored.truncate(MAX_SUGGESTIONS);
        Ok(scored)
    }
}

/// Added to the score of a vocabulary word the text itself uses (not negated).
const NAMED_BONUS: f32 = 0.05;

/// Words that turn what follows around ("not", "don't" …).
fn is_negator(t: &str) -> bool {
    matches!(t, "not" | "no" | "never" | "nor" | "without" | "hardly" | "barely" | "nt")
        || t.ends_with("n't")
        || matches!(
            t,
            "dont"
                | "didnt"
                | "doesnt"
                | "isnt"
                | "wasnt"
                | "arent"
                | "werent"
                | "cant"
                | "couldnt"
                | "wont"
                | "wouldnt"
                | "havent"
                | "hasnt"
                | "aint"
                | "shouldnt"
        )
}

/// Words after which a negation no longer reaches ("not angry, just tired"; "not sad but lost").
fn ends_reach(t: &str) -> bool {
    matches!(
        t,
        "but"
            | "just"
            | "only"
            | "more"
            | "rather"
            | "instead"
            | "though"
            | "although"
            | "yet"
            | "and"
            | "so"
    )
}

/// Lower-case words of `text`; a clause break (punctuation, a line break) is an empty string.
fn word_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = if c == '\u{2019}' { '\'' } else { c };
        if c.is_alphanumeric() || c == '\'' || c == '-' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if !c.is_whitespace() || c == '\n' {
            out.push(String::new());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Words (each given by its names as token sequences) the text uses: (index, negated), each index
/// once (negated wins). Negated: "not", "never", "don't" … up to four words before, in the same
/// clause, with no "but", "just" … between.
fn mentions(words: &[Vec<Vec<String>>], text: &str) -> Vec<(usize, bool)> {
    let toks = word_tokens(text);
    let mut out: Vec<(usize, bool)> = Vec::new();
    for (i, names) in words.iter().enumerate() {
        let mut found: Option<bool> = None;
        for name in names {
            let n = name.len();
            if n == 0 || toks.len() < n {
                continue;
            }
            for start in 0..=toks.len() - n {
                if toks[start..start + n] != name[..] {
                    continue;
                }
                let mut negated = false;
                for back in toks[..start].iter().rev().take(4) {
                    if back.is_empty() || ends_reach(back) {
                        break;
                    }
                    if is_negator(back) {
                        negated = true;
                        break;
                    }
                }
                found = Some(found.unwrap_or(false) || negated);
            }
        }
        if let Some(negated) = found {
            out.push((i, negated));
        }
    }
    out
}

/// The index of the vector in `set` nearest to `v`.
fn nearest_word(v: &Embedding, set: &[Embedding]) -> Option<usize> {
    set.iter().map(|w| cosine(v, w)).enumerate().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(j, _)| j)
}

/// The mean of unit vectors, scaled back to unit length.
fn mean(vectors: &[Embedding]) -> Embedding {
    let mut out = [0f32; crate::DIM];
    for v in vectors {
        for (o, x) in out.iter_mut().zip(v) {
            *o += x;
        }
    }
    let norm = out.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        out.iter_mut().for_each(|x| *x /= norm);
    }
    out
}

/// The whole text counts for half, the closest sentence for the other half.
fn score(text_vecs: &[Embedding], word: &Embedding) -> f32 {
    let whole = cosine(&text_vecs[0], word);
    let best_sentence = text_vecs[1..].iter().map(|s| cosine(s, word)).fold(whole, f32::max);
    0.5 * whole + 0.5 * best_sentence
}

/// The baseline the evaluation compares with: vocabulary words (or their synonyms) that appear in
/// the text as words, in the order they appear, at most five.
pub fn keyword_baseline(text: &str, vocabulary: &Vocabulary) -> Vec<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for w in &words {
        if let Some(e) = vocabulary.lookup(w)
            && !out.contains(&e.word)
        {
            out.push(e.word.clone());
        }
    }
    out.truncate(MAX_SUGGESTIONS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_clause_breaks() {
        assert_eq!(
            word_tokens("I don't feel angry, just tired."),
            ["i", "don't", "feel", "angry", "", "just", "tired", ""]
        );
        assert!(is_negator("don't") && is_negator("dont") && is_negator("never") && !is_negator("note"));
    }

    #[test]
    fn negated_and_named_words() {
        let words: Vec<Vec<Vec<String>>> =
            ["angry", "tired", "on edge", "sad"].iter().map(|w| vec![word_tokens(w)]).collect();
        assert_eq!(mentions(&words, "I don't feel angry, just tired."), [(0, true), (1, false)]);
        assert_eq!(mentions(&words, "Not sad exactly. A bit on edge"), [(2, false), (3, true)]);
        assert_eq!(mentions(&words, "I don't know why I'm so sad"), [(3, false)]);
        assert_eq!(mentions(&words, "never angry but always tired"), [(0, true), (1, false)]);
        assert!(mentions(&words, "nothing here").is_empty());
    }
}
