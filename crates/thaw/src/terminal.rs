//! Printing prose for a terminal: wrapped to the width people read comfortably, and never with a
//! control character in it.

use thaw_core::wrap::{wrap_indented, wrap_markdown};

/// The width to wrap at: $COLUMNS when set (within 40–100), else 80.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .map_or(80, |c| c.clamp(40, 100))
}

/// Text someone stored or imported, made safe to print: control characters other than newline and
/// tab are dropped (no escape sequence reaches the terminal: OSC 52 could write the clipboard, others
/// could rewrite the screen), and so are text-direction controls. Every print of a person's text
/// goes through this (`thaw_core::text::for_terminal`).
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    thaw_core::text::for_terminal(text)
}

/// Prints a paragraph wrapped to the terminal, every line starting with `indent`.
pub fn paragraph(text: &str, indent: &str) {
    for line in wrap_indented(&clean(text), width(), indent, indent) {
        println!("{line}");
    }
}

/// Prints a list item: `marker` on the first line, aligned text on the others.
pub fn item(text: &str, indent: &str, marker: &str) {
    let first = format!("{indent}{marker}");
    let rest = " ".repeat(first.chars().count());
    for line in wrap_indented(&clean(text), width(), &first, &rest) {
        println!("{line}");
    }
}

/// Prints Markdown wrapped for reading.
pub fn markdown(text: &str) {
    println!("{}", wrap_markdown(&clean(text), width()));
}
