//! Small helpers for what people type: normalising words and finding close matches.

/// Lowercases, trims, folds runs of white space and typographic apostrophes, so that
/// " Let  Down" and "let down" and "can’t" / "can't" compare equal.
pub fn normalise(input: &str) -> String {
    input
        .replace(['\u{2019}', '\u{2018}'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Up to `max` candidates closest to `input`, best first, for "did you mean" hints.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<String> {
    let needle = normalise(input);
    if needle.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let mut score = strsim::jaro_winkler(&needle, c);
            if c.starts_with(&needle) || needle.starts_with(c) {
                score = score.max(0.9);
            }
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.82)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, c) in scored {
        if !out.iter().any(|o| o == c) {
            out.push(c.to_owned());
        }
        if out.len() == max {
            break;
        }
    }
    out
}

/// Whether `c` changes the direction text is shown in rather than being part of it: the bidi
/// embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). In a title or a name
/// they can make text look like something else (U+202E turns `txt.exe` around).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Control characters other than newline and tab: NUL, escape (which starts terminal escape
/// sequences), DEL and the C1 range. Nothing a person types needs them.
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Windows (`\r\n`) and old Mac (`\r`) line ends become `\n`; browsers send form text with `\r\n`.
fn unify_newlines(input: &str) -> std::borrow::Cow<'_, str> {
    if input.contains('\r') {
        std::borrow::Cow::Owned(input.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(input)
    }
}

/// Checks a free-text field that may span lines (a note, an entry): unifies line ends, trims it,
/// refuses control characters other than newline and tab, and enforces a length limit
/// (characters, not bytes).
pub fn bounded(input: &str, what: &'static str, max: usize) -> Result<String, crate::CoreError> {
    let unified = unify_newlines(input);
    let text = unified.trim();
    if text.chars().any(is_forbidden_control) {
        return Err(crate::CoreError::ControlCharacter { what });
    }
    let len = text.chars().count();
    if len > max {
        return Err(crate::CoreError::TooLong { what, len, max });
    }
    Ok(text.to_owned())
}

/// Like [`bounded`] but the field must not be empty.
pub fn required(input: &str, what: &'static str, max: usize) -> Result<String, crate::CoreError> {
    let text = bounded(input, what, max)?;
    if text.is_empty() {
        return Err(crate::CoreError::Empty { what });
    }
    Ok(text)
}

/// Checks a one-line field (a title, a name, a word): like [`bounded`], and text-direction
/// controls ([`is_bidi_control`]) are refused too.
pub fn line(input: &str, what: &'static str, max: usize) -> Result<String, crate::CoreError> {
    let text = bounded(input, what, max)?;
    if text.chars().any(is_bidi_control) {
        return Err(crate::CoreError::ControlCharacter { what });
    }
    Ok(text)
}

/// Like [`line`] but the field must not be empty.
pub fn required_line(input: &str, what: &'static str, max: usize) -> Result<String, crate::CoreError> {
    let text = line(input, what, max)?;
    if text.is_empty() {
        return Err(crate::CoreError::Empty { what });
    }
    Ok(text)
}

/// For importers: removes what validation would refuse, so that one stray character from another
/// app doesn't fail a whole import. Line ends are unified; control characters other than newline
/// and tab go; in a one-line field text-direction controls go too. Returns the text and whether
/// anything was removed.
pub fn sanitise(input: &str, one_line: bool) -> (String, bool) {
    let unified = unify_newlines(input);
    let kept: String =
        unified.chars().filter(|&c| !(is_forbidden_control(c) || (one_line && is_bidi_control(c)))).collect();
    let changed = kept.len() != unified.len();
    (kept, changed)
}

/// For printing text someone stored (or imported) to a terminal: control characters other than
/// newline and tab are dropped, so no escape sequence reaches the terminal (OSC 52 could write the
/// clipboard), and text-direction controls are dropped so text shows in the order it was written.
pub fn for_terminal(input: &str) -> std::borrow::Cow<'_, str> {
    if input.chars().any(|c| is_forbidden_control(c) || is_bidi_control(c)) {
        std::borrow::Cow::Owned(
            input.chars().filter(|&c| !is_forbidden_control(c) && !is_bidi_control(c)).collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_space_case_and_apostrophes() {
        assert_eq!(normalise("  Let   Down "), "let down");
        assert_eq!(normalise("Can\u{2019}t"), "can't");
    }

    #[test]
    fn finds_close_words() {
        let words = ["angry", "anxious", "sad", "hurt", "hopeless"];
        assert_eq!(closest("angyr", words, 3)[0], "angry");
        assert_eq!(closest("hurtt", words, 3)[0], "hurt");
        assert!(closest("zzzz", words, 3).is_empty());
    }

    #[test]
    fn bounded_counts_characters() {
        assert!(bounded("ééé", "note", 3).is_ok());
        assert!(bounded("éééé", "note", 3).is_err());
        assert!(required("   ", "title", 10).is_err());
    }

    #[test]
    fn control_characters_are_refused_but_lines_and_tabs_kept() {
        assert_eq!(bounded("a\r\nb\rc\td", "note", 100).unwrap(), "a\nb\nc\td");
        for bad in ["a\u{0}b", "\u{1b}]52;c;aGk=\u{7}", "x\u{7f}", "\u{9b}31m"] {
            assert!(
                matches!(bounded(bad, "note", 100), Err(crate::CoreError::ControlCharacter { .. })),
                "{bad:?}"
            );
        }
        // Text-direction controls: refused in one-line fields, allowed in prose.
        assert!(line("invoice\u{202e}fdp.exe", "The title", 100).is_err());
        assert!(required_line("\u{2067}x", "The title", 100).is_err());
        assert!(bounded("\u{2067}שלום\u{2069} hi", "note", 100).is_ok());
        assert_eq!(line("Sunday", "The title", 100).unwrap(), "Sunday");
    }

    proptest::proptest! {
        /// Sanitised text passes validation (when short enough) and is never changed again;
        /// text for a terminal holds no control character but newline and tab.
        #[test]
        fn sanitised_text_validates_and_terminal_text_is_clean(input in "\\PC*|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}a ]{0,20}") {
            let (line_text, _) = sanitise(&input, true);
            proptest::prop_assert!(line(&line_text, "The title", usize::MAX).is_ok());
            proptest::prop_assert_eq!(sanitise(&line_text, true), (line_text.clone(), false));
            let (prose, _) = sanitise(&input, false);
            proptest::prop_assert!(bounded(&prose, "The note", usize::MAX).is_ok());
            let shown = for_terminal(&input);
            proptest::prop_assert!(!shown.chars().any(|c| is_forbidden_control(c) || is_bidi_control(c)));
        }
    }

    #[test]
    fn sanitising_removes_what_validation_refuses() {
        assert_eq!(sanitise("a\u{1b}[2Jb\r\nc", true), ("a[2Jb\nc".to_owned(), true));
        assert_eq!(sanitise("x\u{202e}y", true), ("xy".to_owned(), true));
        assert_eq!(sanitise("x\u{202e}y", false), ("x\u{202e}y".to_owned(), false));
        assert_eq!(sanitise("plain", true), ("plain".to_owned(), false));
        assert_eq!(for_terminal("t\u{1b}]52;c;aGk=\u{7}\u{202e}x\n\ty"), "t]52;c;aGk=x\n\ty");
    }
}
