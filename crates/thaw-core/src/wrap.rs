//! Wrapping text to a width, for terminals and for comments in files Thaw writes. Counts
//! characters, not bytes; never breaks a word (a word longer than the width gets a line of its own).

/// Wraps one paragraph to lines of at most `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_indented(text, width, "", "")
}

/// Wraps one paragraph, starting the first line with `first` and the others with `rest` (for
/// list items: `- ` then two spaces).
pub fn wrap_indented(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        let len = line.chars().count();
        if !empty && len + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, rest.to_owned()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty || lines.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// Wraps Markdown for reading in a terminal: paragraphs are joined and wrapped, list items
/// ("- ", "* ", "1. ") get a hanging indent, blank lines and fenced code stay as they are.
pub fn wrap_markdown(text: &str, width: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut marker: Option<String> = None;
    let mut in_code = false;
    let flush = |out: &mut Vec<String>, paragraph: &mut Vec<&str>, marker: &mut Option<String>| {
        if paragraph.is_empty() {
            return;
        }
        let joined = paragraph.join(" ");
        let (first, rest) = match marker.take() {
            Some(m) => {
                let pad = " ".repeat(m.chars().count());
                (m, pad)
            }
            None => (String::new(), String::new()),
        };
        out.extend(wrap_indented(&joined, width, &first, &rest));
        paragraph.clear();
    };
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            flush(&mut out, &mut paragraph, &mut marker);
            in_code = !in_code;
            out.push(line.to_owned());
            continue;
        }
        if in_code {
            out.push(line.to_owned());
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut out, &mut paragraph, &mut marker);
            out.push(String::new());
            continue;
        }
        if let Some(m) = list_marker(trimmed) {
            flush(&mut out, &mut paragraph, &mut marker);
            marker = Some(m.to_owned());
            paragraph.push(&trimmed[m.len()..]);
            continue;
        }
        if trimmed.starts_with('#') {
            flush(&mut out, &mut paragraph, &mut marker);
            out.push(trimmed.to_owned());
            continue;
        }
        paragraph.push(trimmed);
    }
    flush(&mut out, &mut paragraph, &mut marker);
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.join("\n")
}

/// "- ", "* " or "12. " at the start of a line.
fn list_marker(line: &str) -> Option<&str> {
    if line.starts_with("- ") || line.starts_with("* ") {
        return Some(&line[..2]);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Some(&line[..digits + 2]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_word_boundaries() {
        let lines = wrap("one two three four five six", 10);
        assert_eq!(lines, ["one two", "three four", "five six"]);
        assert!(lines.iter().all(|l| l.chars().count() <= 10));
        assert_eq!(wrap("supercalifragilistic word", 5), ["supercalifragilistic", "word"]);
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("ééé ééé", 3), ["ééé", "ééé"]);
    }

    #[test]
    fn markdown_lists_get_a_hanging_indent() {
        let md = "A paragraph that runs\nover two lines.\n\n- **Item.** with some words here\n- two\n\n```\nkeep   this\n```\n";
        let out = wrap_markdown(md, 20);
        assert_eq!(
            out,
            "A paragraph that\nruns over two lines.\n\n- **Item.** with\n  some words here\n- two\n\n```\nkeep   this\n```"
        );
    }
}
