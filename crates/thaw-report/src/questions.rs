//! The person's own questions for their next visit, kept in the vault's settings
//! (`visit_questions`, a JSON list of strings) and printed at the end of every summary.

use thaw_core::CoreError;
use thaw_store::Store;

use crate::ReportError;

/// The settings key.
pub const KEY: &str = "visit_questions";
/// Longest question, in characters.
pub const MAX_LEN: usize = 1_000;
/// Most questions kept at once.
pub const MAX_COUNT: usize = 50;

/// The questions, in the order they were added.
pub fn load(store: &dyn Store) -> Result<Vec<String>, ReportError> {
    match store.setting(KEY)? {
        None => Ok(Vec::new()),
        Some(value) => serde_json::from_value(value).map_err(|e| ReportError::Questions(e.to_string())),
    }
}

fn save(store: &dyn Store, questions: &[String]) -> Result<(), ReportError> {
    if questions.is_empty() {
        store.remove_setting(KEY)?;
    } else {
        store.set_setting(KEY, &serde_json::json!(questions))?;
    }
    Ok(())
}

/// Checks a question as typed: not empty, not too long; spaces at the ends are trimmed.
pub fn parse(text: &str) -> Result<String, CoreError> {
    let t = thaw_core::text::required(text, "The question", MAX_LEN)?;
    Ok(t)
}

/// Adds a question at the end; returns its number (from 1).
pub fn add(store: &dyn Store, text: &str) -> Result<usize, ReportError> {
    let question = parse(text)?;
    let mut all = load(store)?;
    if all.len() >= MAX_COUNT {
        return Err(ReportError::TooManyQuestions { max: MAX_COUNT });
    }
    all.push(question);
    save(store, &all)?;
    Ok(all.len())
}

/// What numbers there are, for a message about a wrong one.
pub(crate) fn numbers(count: usize) -> String {
    match count {
        0 => "There are no questions on your list yet.".to_owned(),
        1 => "The only question is number 1.".to_owned(),
        len => format!("Use a number from 1 to {len}."),
    }
}

/// Removes question number `n` (from 1, as `list` shows them); returns its text.
pub fn remove(store: &dyn Store, n: &str) -> Result<String, ReportError> {
    let mut all = load(store)?;
    let index = n
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|i| (1..=all.len()).contains(i))
        .ok_or_else(|| ReportError::NoSuchQuestion { input: n.trim().to_owned(), count: all.len() })?;
    let removed = all.remove(index - 1);
    save(store, &all)?;
    Ok(removed)
}
