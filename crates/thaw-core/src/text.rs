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

/// Checks a free-text field: trims it and enforces a length limit (characters, not bytes).
pub fn bounded(input: &str, what: &'static str, max: usize) -> Result<String, crate::CoreError> {
    let text = input.trim();
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
}
