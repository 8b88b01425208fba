//! Recognising clear risk language in what people write, from the reviewed phrase list in
//! `content/risk_phrases.toml` (embedded at compile time). The rules are described in that file
//! and in docs/SAFETY.md; this module normalises text into words and applies them.
//!
//! A match never stops anything from being saved. It only decides whether Thaw shows crisis
//! resources afterwards.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

const RISK_TOML: &str = include_str!("../../../../content/risk_phrases.toml");

/// Longest look-back for the subject of a phrase, in words.
const SUBJECT_WINDOW: usize = 8;

/// Whose distress a phrase is about, as far as simple rules can tell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum About {
    /// The person writing ("I want to die").
    #[default]
    Writer,
    /// Someone else ("my friend said she wanted to die").
    Others,
}

/// One phrase found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskMatch {
    /// The id of the phrase group (`wish-to-die`, `self-harm` …); never the words themselves.
    pub phrase: String,
    pub about: About,
    /// Position of its first word among the text's words.
    pub word: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct NegationRules {
    window: usize,
    negators: Vec<String>,
    /// Words that make a negator right after them not a negation ("I shouldn't want to die, but
    /// I do"): a rule about what ought to be, not a statement of what is.
    #[serde(default)]
    not_negating_after: Vec<String>,
    fillers: Vec<String>,
    /// Bare answers that deny what comes just before, in a clause of their own: a symptom log's
    /// "Suicidal thoughts: none today", a reported question's "… ending my life? Honestly, no."
    #[serde(default)]
    answers: Vec<String>,
    /// Words that may follow such an answer in its clause ("none today", "nil lately").
    #[serde(default)]
    answer_tail: Vec<String>,
    /// Verbs with which the writer reports their answer: "I said no", "I told them no".
    #[serde(default)]
    answer_verbs: Vec<String>,
    /// Words after a lone "no" that turn it into a correction rather than an answer ("no, but …").
    #[serde(default)]
    answer_turns: Vec<String>,
    boundaries: Vec<String>,
    others: Vec<String>,
    self_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseGroup {
    id: String,
    #[serde(default)]
    about: Option<About>,
    patterns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExceptionGroup {
    #[allow(dead_code)] // Documentation for reviewers; kept so the file format stays checked.
    why: String,
    patterns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RiskFile {
    version: u32,
    #[serde(deserialize_with = "super::toml_date")]
    reviewed_on: Date,
    negation: NegationRules,
    #[serde(rename = "phrase")]
    phrases: Vec<PhraseGroup>,
    #[serde(rename = "exception", default)]
    exceptions: Vec<ExceptionGroup>,
}

#[derive(Debug, Clone)]
struct Pattern {
    group: String,
    about: Option<About>,
    words: Vec<String>,
}

/// The loaded phrase list, indexed by each pattern's first word.
#[derive(Debug, Clone)]
pub struct RiskPhrases {
    version: u32,
    reviewed_on: Date,
    rules: NegationRules,
    patterns: Vec<Pattern>,
    by_first: HashMap<String, Vec<usize>>,
    exceptions: Vec<Vec<String>>,
}

/// The phrase list shipped with Thaw.
pub fn risk_phrases() -> &'static RiskPhrases {
    static PHRASES: OnceLock<RiskPhrases> = OnceLock::new();
    PHRASES.get_or_init(|| {
        // Compiled in and checked by the schema tests: failing here is a build bug.
        RiskPhrases::parse(RISK_TOML).expect("content/risk_phrases.toml is valid (schema test)")
    })
}

/// Risk phrases in `text`, using the shipped list.
pub fn scan(text: &str) -> Vec<RiskMatch> {
    risk_phrases().scan(text)
}

impl RiskPhrases {
    /// Parses and checks a phrase file.
    pub fn parse(text: &str) -> Result<RiskPhrases, String> {
        let file: RiskFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if file.negation.window == 0 || file.negation.window > 6 {
            return Err("negation.window must be from 1 to 6 words".to_owned());
        }
        let mut patterns = Vec::new();
        let mut seen = HashSet::new();
        let mut ids = HashSet::new();
        for group in file.phrases {
            if !ids.insert(group.id.clone()) || group.patterns.is_empty() {
                return Err(format!("phrase group \"{}\" is repeated or empty", group.id));
            }
            for p in &group.patterns {
                let words = words_of(p);
                if words.is_empty() || words.join(" ") != *p {
                    return Err(format!(
                        "pattern \"{p}\" must be written in normal form: \"{}\"",
                        words.join(" ")
                    ));
                }
                if !seen.insert(words.clone()) {
                    return Err(format!("pattern \"{p}\" appears twice"));
                }
                patterns.push(Pattern { group: group.id.clone(), about: group.about, words });
            }
        }
        let mut exceptions = Vec::new();
        for group in file.exceptions {
            for p in group.patterns {
                let words = words_of(&p);
                if words.join(" ") != p {
                    return Err(format!("exception \"{p}\" must be written in normal form"));
                }
                if !patterns.iter().any(|pat| contains_run(&words, &pat.words)) {
                    return Err(format!("exception \"{p}\" doesn't contain any pattern, so it does nothing"));
                }
                exceptions.push(words);
            }
        }
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in patterns.iter().enumerate() {
            by_first.entry(p.words[0].clone()).or_default().push(i);
        }
        Ok(RiskPhrases {
            version: file.version,
            reviewed_on: file.reviewed_on,
            rules: file.negation,
            patterns,
            by_first,
            exceptions,
        })
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn reviewed_on(&self) -> Date {
        self.reviewed_on
    }

    /// Every pattern with its group id, for tests and review.
    pub fn patterns(&self) -> impl Iterator<Item = (&str, String)> {
        self.patterns.iter().map(|p| (p.group.as_str(), p.words.join(" ")))
    }

    /// The risk phrases in `text`, in order. Negated phrases and phrases inside an exception
    /// are left out.
    pub fn scan(&self, text: &str) -> Vec<RiskMatch> {
        self.scan_marked(text).into_iter().filter(|(_, negated)| !negated).map(|(m, _)| m).collect()
    }

    /// Like [`RiskPhrases::scan`], but keeps negated matches too, marked `true` ("I don't want to
    /// die"): a sign that a sentence talks about risk only to deny it. Exceptions stay out.
    pub fn scan_marked(&self, text: &str) -> Vec<(RiskMatch, bool)> {
        let toks = tokens(text);
        let mut found = Vec::new();
        for i in 0..toks.len() {
            let Some(candidates) = self.by_first.get(&toks[i].word) else { continue };
            for &p in candidates {
                let pat = &self.patterns[p];
                let end = i + pat.words.len();
                if end > toks.len()
                    || !toks[i..end].iter().zip(&pat.words).all(|(t, w)| t.word == *w)
                    || toks[i + 1..end].iter().any(|t| t.break_before)
                    || self.excepted(&toks, i, end)
                {
                    continue;
                }
                let negated = self.negated(&toks, i) || self.answered_no(&toks, end);
                let about = match pat.about {
                    Some(about) => about,
                    None if pat.words.iter().any(|w| self.rules.self_words.contains(w)) => About::Writer,
                    None => self.subject(&toks, i),
                };
                found.push((RiskMatch { phrase: pat.group.clone(), about, word: i }, negated));
            }
        }
        found
    }

    /// Whether the match at `start..end` lies inside an exception phrase.
    fn excepted(&self, toks: &[Token], start: usize, end: usize) -> bool {
        self.exceptions.iter().any(|ex| {
            let first = end.saturating_sub(ex.len());
            (first..=start).any(|s| {
                s + ex.len() <= toks.len()
                    && s + ex.len() >= end
                    && toks[s..s + ex.len()].iter().zip(ex).all(|(t, w)| t.word == *w)
            })
        })
    }

    /// Whether a negating word comes shortly before `start` in the same clause, on the same line.
    fn negated(&self, toks: &[Token], start: usize) -> bool {
        let r = &self.rules;
        let mut counted = 0;
        let mut j = start;
        let joined = |t: &Token| !t.break_before && !t.line_before;
        while j > 0 && joined(&toks[j]) && counted < r.window {
            j -= 1;
            let w = &toks[j].word;
            if r.negators.contains(w) {
                let normative = j > 0 && joined(&toks[j]) && r.not_negating_after.contains(&toks[j - 1].word);
                if !normative {
                    return true;
                }
            }
            if r.boundaries.contains(w) {
                return false;
            }
            if !r.fillers.contains(w) {
                counted += 1;
            }
        }
        false
    }

    /// Whether the clause right after a match (`end`: the word after it; up to two more words of a
    /// label may come first) is a bare answer that
    /// denies it: "Suicidal thoughts: none today", "Thoughts of ending my life? Honestly, no. Just
    /// flat." A lone "no" counts only when what follows isn't the writer going on ("… die. No, I
    /// mean it"), and "no one" is no answer.
    fn answered_no(&self, toks: &[Token], end: usize) -> bool {
        let r = &self.rules;
        // "… thoughts of hurting myself and I said no": the reported answer in the same clause.
        let reported = |j: usize| {
            toks.get(j).is_some_and(|t| t.word == "i")
                && toks.get(j + 1).is_some_and(|t| !t.break_before && r.answer_verbs.contains(&t.word))
        };
        let mut j = end;
        if toks.get(end).is_some_and(|t| !t.break_before && t.word == "and") && reported(end + 1) {
            j = end + 1;
        } else {
            // The rest of a log's label may follow the match ("suicidal thoughts:", "self-harm urges:").
            while j < toks.len() && !toks[j].break_before && j < end + 2 {
                j += 1;
            }
            if j >= toks.len() || !toks[j].break_before {
                return false;
            }
        }
        // Fillers may come before the answer ("Honestly, no", "honestly no").
        while j < toks.len() && r.fillers.contains(&toks[j].word) {
            j += 1;
        }
        // The writer may report their answer: "I said no", "I told her no".
        if reported(j) {
            j += 2;
            if toks.get(j).is_some_and(|t| !t.break_before && r.others.contains(&t.word)) {
                j += 1;
            }
            if toks.get(j).is_some_and(|t| t.break_before) {
                return false;
            }
        }
        if j >= toks.len() || !r.answers.contains(&toks[j].word) {
            return false;
        }
        let mut k = j + 1;
        while k < toks.len() && !toks[k].break_before {
            if !r.answer_tail.contains(&toks[k].word) {
                return false;
            }
            k += 1;
        }
        // A bare "no" followed by more from the writer, or by a "but", may be a correction, not an
        // answer ("… die. No, I mean it", "I said no, but that wasn't true").
        !(toks[j].word == "no"
            && k == j + 1
            && toks
                .get(k)
                .is_some_and(|t| r.self_words.contains(&t.word) || r.answer_turns.contains(&t.word)))
    }

    /// Whose words a sentence is, by its first subject: another person when the first person word
    /// is someone else ("he", "my friend", "people"), the writer otherwise. For hits that have no
    /// position of their own (the semantic layer).
    pub fn subject_of(&self, sentence: &str) -> About {
        let words = words_of(sentence);
        for (i, w) in words.iter().enumerate() {
            if self.rules.self_words.contains(w) {
                let possessive = matches!(w.as_str(), "my");
                // "my friend", "my best friend": someone else.
                let someone = words.iter().skip(i + 1).take(2).any(|n| self.rules.others.contains(n));
                return if possessive && someone { About::Others } else { About::Writer };
            }
            if self.rules.others.contains(w) {
                return About::Others;
            }
        }
        About::Writer
    }

    /// The nearest subject before `start` in the same clause: the writer unless another person
    /// comes first.
    fn subject(&self, toks: &[Token], start: usize) -> About {
        let mut j = start;
        while j > 0 && !toks[j].break_before && start - j < SUBJECT_WINDOW {
            j -= 1;
            let w = &toks[j].word;
            if self.rules.self_words.contains(w) {
                return About::Writer;
            }
            if self.rules.others.contains(w) {
                return About::Others;
            }
        }
        About::Writer
    }
}

fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// One normalised word, and whether a clause break (. , ; : ! ? quotes, brackets, dashes or a
/// blank line) comes just before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub word: String,
    /// A clause break (punctuation or a blank line) comes before this word.
    pub break_before: bool,
    /// A line break comes before this word. A phrase may run on across it (a wrapped line), but
    /// a negation never reaches across it: the line before may be another thought altogether
    /// ("she didn't freak out" / "want to die"), and the semantic layer reads each line alone.
    pub line_before: bool,
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '"'
            | '\u{201c}'
            | '\u{201d}'
            | '\u{2026}'
            | '\u{2013}'
            | '\u{2014}'
    )
}

/// Splits text into normalised words: lower case, straight apostrophes, contractions expanded.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let (mut pending_break, mut pending_line) = (false, false);
    let mut newlines = 0;
    let flush = |word: &mut String, out: &mut Vec<Token>, pending: &mut bool, line: &mut bool| {
        let w = word.trim_matches('\'');
        if !w.is_empty() {
            for (n, part) in expand(w).into_iter().enumerate() {
                out.push(Token {
                    word: part,
                    break_before: n == 0 && *pending,
                    line_before: n == 0 && *line,
                });
            }
            *pending = false;
            *line = false;
        }
        word.clear();
    };
    for c in text.chars() {
        let c = if matches!(c, '\u{2019}' | '\u{2018}' | '`') { '\'' } else { c };
        if c.is_alphanumeric() || c == '\'' {
            word.extend(c.to_lowercase());
            newlines = 0;
            continue;
        }
        flush(&mut word, &mut out, &mut pending_break, &mut pending_line);
        if c == '\r' {
            pending_line = true;
        } else if c == '\n' {
            pending_line = true;
            newlines += 1;
            if newlines >= 2 {
                pending_break = true;
            }
        } else if is_clause_break(c) {
            pending_break = true;
        } else if !c.is_whitespace() {
            newlines = 0;
        }
    }
    flush(&mut word, &mut out, &mut pending_break, &mut pending_line);
    out
}

/// The words of a text, without break marks.
pub fn words_of(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.word).collect()
}

/// Auxiliaries that people often write without the apostrophe ("dont", "didnt").
const BARE_NOT: &[&str] = &[
    "do", "does", "did", "is", "was", "are", "were", "would", "could", "should", "have", "has", "had", "must",
];

/// Expands one lower-case word: "don't" and "dont" → "do not", "i'm" → "i am", "wanna" → "want to".
fn expand(word: &str) -> Vec<String> {
    let fixed: &[&str] = match word {
        "can't" | "cant" | "cannot" => &["can", "not"],
        "won't" => &["will", "not"],
        "shan't" => &["shall", "not"],
        "ain't" => &["is", "not"],
        "wanna" => &["want", "to"],
        "gonna" => &["going", "to"],
        "gotta" => &["got", "to"],
        "im" => &["i", "am"],
        "ive" => &["i", "have"],
        "idk" => &["i", "do", "not", "know"],
        // Text-speak (phrase list v4).
        "dnt" => &["do", "not"],
        "wont" => &["will", "not"],
        "wud" => &["would"],
        "cud" => &["could"],
        "b" => &["be"],
        "evry1" | "every1" | "evryone" => &["everyone"],
        "ppl" => &["people"],
        "abt" => &["about"],
        "cuz" | "coz" | "bc" => &["because"],
        _ => &[],
    };
    if !fixed.is_empty() {
        return fixed.iter().map(|s| (*s).to_owned()).collect();
    }
    if let Some(stem) = word.strip_suffix("n't") {
        return vec![stem.to_owned(), "not".to_owned()];
    }
    if let Some(stem) = word.strip_suffix("nt")
        && BARE_NOT.contains(&stem)
    {
        return vec![stem.to_owned(), "not".to_owned()];
    }
    for (suffix, full) in
        [("'m", "am"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"), ("'s", "is")]
    {
        if let Some(stem) = word.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return vec![stem.replace('\'', ""), full.to_owned()];
        }
    }
    vec![word.replace('\'', "")]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_normalised() {
        assert_eq!(words_of("I DON’T wanna"), ["i", "do", "not", "want", "to"]);
        assert_eq!(
            words_of("dont cant cannot I'm im i'd"),
            ["do", "not", "can", "not", "can", "not", "i", "am", "i", "am", "i", "would"]
        );
        assert_eq!(words_of("self-harm 'quoted'"), ["self", "harm", "quoted"]);
        assert_eq!(words_of("life's not"), ["life", "is", "not"]);
        assert_eq!(words_of("evry1 wud b fine, dnt"), ["everyone", "would", "be", "fine", "do", "not"]);
    }

    #[test]
    fn breaks_are_marked() {
        let t = tokens("one, two\nthree\n\nfour\r\nfive");
        let breaks: Vec<bool> = t.iter().map(|t| t.break_before).collect();
        assert_eq!(breaks, [false, true, false, true, false]);
        let lines: Vec<bool> = t.iter().map(|t| t.line_before).collect();
        assert_eq!(lines, [false, false, true, true, true]);
    }

    #[test]
    fn a_negation_never_reaches_across_a_line() {
        // The line before is another thought: it must not silence the next one.
        assert_eq!(scan("told her I feel numb and she didn't freak out\nwant to die").len(), 1);
        assert_eq!(scan("the numbness is a jumper I can't take off\r\nI want to die").len(), 1);
        assert!(scan("she didn't freak out. I do not want to die").is_empty(), "same line still denies");
    }

    #[test]
    fn a_phrase_never_spans_a_clause_break() {
        assert!(scan("I want to. Die hard is a film").is_empty());
        assert_eq!(scan("I want to\ndie").len(), 1, "a wrapped line is still one sentence");
    }
}
