//! BERT's uncased WordPiece tokenizer, as all-MiniLM-L6-v2 was trained with it: clean the text,
//! lower-case it and strip accents, split on white space and punctuation (CJK characters each stand
//! alone), then cut every word into the longest pieces found in `vocab.txt` ("##" marks a piece
//! that continues a word). A word that can't be cut becomes `[UNK]`.
//!
//! Written here (about 150 lines with its tests) so that the model folder needs only the plain
//! `vocab.txt`. It was meant to keep the `tokenizers` crate out of the build, but candle-core 0.11
//! depends on `tokenizers` itself, so that saving didn't materialise; swapping this module for
//! `tokenizers::Tokenizer` (keeping `tokenizer.json` in the model folder) is a fair choice now.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words longer than this (in characters) become `[UNK]`, as in BERT.
const MAX_WORD_CHARS: usize = 100;

/// A WordPiece vocabulary and the ids of its special tokens.
#[derive(Debug, Clone)]
pub struct WordPiece {
    ids: HashMap<String, u32>,
    pub(crate) cls: u32,
    pub(crate) sep: u32,
    unk: u32,
}

impl WordPiece {
    /// Reads a vocabulary in `vocab.txt` form: one token a line, the line number is its id.
    pub fn from_vocab(text: &str) -> Result<WordPiece, String> {
        let mut ids = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let id = u32::try_from(i).map_err(|_| "vocab.txt is too long".to_owned())?;
            ids.entry(line.to_owned()).or_insert(id);
        }
        let special =
            |name: &str| ids.get(name).copied().ok_or_else(|| format!("vocab.txt has no {name} token"));
        Ok(WordPiece { cls: special("[CLS]")?, sep: special("[SEP]")?, unk: special("[UNK]")?, ids })
    }

    /// Number of tokens in the vocabulary.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the vocabulary is empty (never, once loaded).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ids of `text` between `[CLS]` and `[SEP]`, at most `max_len` in all.
    pub fn encode(&self, text: &str, max_len: usize) -> Vec<u32> {
        let mut out = vec![self.cls];
        'words: for word in basic_tokens(text) {
            for id in self.pieces(&word) {
                if out.len() + 1 >= max_len {
                    break 'words;
                }
                out.push(id);
            }
        }
        out.push(self.sep);
        out
    }

    /// The tokens (as text) of `text`, without `[CLS]` and `[SEP]`: for tests and debugging.
    pub fn tokenize(&self, text: &str) -> Vec<String> {
        let names: HashMap<u32, &str> = self.ids.iter().map(|(k, v)| (*v, k.as_str())).collect();
        basic_tokens(text)
            .iter()
            .flat_map(|w| self.pieces(w))
            .map(|id| names.get(&id).copied().unwrap_or("[UNK]").to_owned())
            .collect()
    }

    /// Greedy longest-match-first pieces of one word.
    fn pieces(&self, word: &str) -> Vec<u32> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > MAX_WORD_CHARS {
            return vec![self.unk];
        }
        let mut out = Vec::new();
        let mut start = 0;
        let mut candidate = String::new();
        while start < chars.len() {
            let mut end = chars.len();
            let mut found = None;
            while start < end {
                candidate.clear();
                if start > 0 {
                    candidate.push_str("##");
                }
                candidate.extend(&chars[start..end]);
                if let Some(&id) = self.ids.get(&candidate) {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            match found {
                Some(id) => out.push(id),
                None => return vec![self.unk],
            }
            start = end;
        }
        out
    }
}

/// BERT's basic tokenizer, uncased: cleaned, lower-cased, accents stripped, split on white space
/// and punctuation.
pub fn basic_tokens(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            // Lower case, then NFD and drop the combining marks ("Café" → "cafe").
            let lowered: String = word.to_lowercase().nfd().filter(|c| !is_combining_mark(*c)).collect();
            if !lowered.is_empty() {
                words.push(lowered);
            }
            word.clear();
        }
    };
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || is_control(c) {
            continue;
        }
        if c.is_whitespace() {
            flush(&mut word, &mut words);
        } else if is_punctuation(c) || is_cjk(c) {
            flush(&mut word, &mut words);
            words.push(c.to_string());
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut words);
    // Stripping accents can leave punctuation split from letters only after lower-casing in rare
    // scripts; BERT splits again after normalising, so do the same.
    words
        .into_iter()
        .flat_map(|w| {
            if w.chars().count() > 1 && w.chars().any(is_punctuation) { split_punct(&w) } else { vec![w] }
        })
        .collect()
}

fn split_punct(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in w.chars() {
        if is_punctuation(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Control and format characters BERT removes (tab, newline and carriage return are white space).
fn is_control(c: char) -> bool {
    if matches!(c, '\t' | '\n' | '\r') {
        return false;
    }
    c.is_control()
        || matches!(c, '\u{00ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// BERT's punctuation: every ASCII non-letter non-digit symbol, and the Unicode punctuation that
/// turns up in what people type (quotes, dashes, ellipses, inverted marks, CJK and full-width
/// punctuation).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '\u{00a1}' | '\u{00a7}' | '\u{00ab}' | '\u{00b6}' | '\u{00b7}' | '\u{00bb}' | '\u{00bf}'
                | '\u{037e}' | '\u{0387}'
                | '\u{2010}'..='\u{2027}'
                | '\u{2030}'..='\u{2043}'
                | '\u{2045}'..='\u{2051}'
                | '\u{2053}'..='\u{205e}'
                | '\u{2e00}'..='\u{2e4f}'
                | '\u{3001}'..='\u{3003}'
                | '\u{3008}'..='\u{3011}'
                | '\u{3014}'..='\u{301f}'
                | '\u{ff01}'..='\u{ff03}'
                | '\u{ff05}'..='\u{ff0a}'
                | '\u{ff0c}'..='\u{ff0f}'
                | '\u{ff1a}' | '\u{ff1b}' | '\u{ff1f}' | '\u{ff20}'
                | '\u{ff3b}'..='\u{ff3d}'
                | '\u{ff3f}' | '\u{ff5b}' | '\u{ff5d}'
        )
}

/// The CJK ideograph blocks BERT puts spaces around.
fn is_cjk(c: char) -> bool {
    matches!(
        c,
        '\u{4e00}'..='\u{9fff}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{20000}'..='\u{2a6df}'
            | '\u{2a700}'..='\u{2b73f}'
            | '\u{2b740}'..='\u{2b81f}'
            | '\u{2b820}'..='\u{2ceaf}'
            | '\u{f900}'..='\u{faff}'
            | '\u{2f800}'..='\u{2fa1f}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> WordPiece {
        let words =
            "[PAD]\n[UNK]\n[CLS]\n[SEP]\ni\nfeel\nun\n##want\n##ed\nwant\ncafe\n.\n'\nt\ndon\n,\n##s\n";
        WordPiece::from_vocab(words).expect("valid")
    }

    #[test]
    fn basic_tokens_split_punctuation_and_strip_accents() {
        assert_eq!(basic_tokens("I DON'T feel…  Café!"), ["i", "don", "'", "t", "feel", "…", "cafe", "!"]);
        assert_eq!(basic_tokens("a\u{200b}b\tc\n"), ["ab", "c"]);
        assert_eq!(basic_tokens("“quoted”—yes"), ["“", "quoted", "”", "—", "yes"]);
        assert_eq!(basic_tokens("日本"), ["日", "本"]);
        assert!(basic_tokens("   \n\t").is_empty());
    }

    #[test]
    fn wordpiece_takes_the_longest_pieces() {
        let v = vocab();
        assert_eq!(v.tokenize("I feel unwanted."), ["i", "feel", "un", "##want", "##ed", "."]);
        assert_eq!(v.tokenize("wants xyz"), ["want", "##s", "[UNK]"]);
        assert_eq!(v.tokenize("CAFÉ"), ["cafe"]);
    }

    #[test]
    fn encode_adds_specials_and_truncates() {
        let v = vocab();
        assert_eq!(v.encode("i feel", 16), [2, 4, 5, 3]);
        assert_eq!(v.encode("", 16), [2, 3]);
        let long = "i ".repeat(50);
        let ids = v.encode(&long, 8);
        assert_eq!(ids.len(), 8);
        assert_eq!((ids[0], ids[7]), (2, 3));
    }

    #[test]
    fn a_vocabulary_without_specials_is_refused() {
        assert!(WordPiece::from_vocab("a\nb\n").is_err());
    }
}
