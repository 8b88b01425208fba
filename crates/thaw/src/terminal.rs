//! Printing prose for a terminal: wrapped to the width people read comfortably.

use thaw_core::wrap::{wrap_indented, wrap_markdown};

/// The width to wrap at: $COLUMNS when set (within 40–100), else 80.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .map_or(80, |c| c.clamp(40, 100))
}

/// Prints a paragraph wrapped to the terminal, every line starting with `indent`.
pub fn paragraph(text: &str, indent: &str) {
    for line in wrap_indented(text, width(), indent, indent) {
        println!("{line}");
    }
}

/// Prints a list item: `marker` on the first line, aligned text on the others.
pub fn item(text: &str, indent: &str, marker: &str) {
    let first = format!("{indent}{marker}");
    let rest = " ".repeat(first.chars().count());
    for line in wrap_indented(text, width(), &first, &rest) {
        println!("{line}");
    }
}

/// Prints Markdown wrapped for reading.
pub fn markdown(text: &str) {
    println!("{}", wrap_markdown(text, width()));
}
