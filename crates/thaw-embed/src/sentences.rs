//! Splitting what a person wrote into sentences for the semantic layer: at . ! ? … and line
//! breaks; a very long run without any of those is cut again at ; : and commas.

/// Longest sentence kept whole, in words.
const LONG_SENTENCE: usize = 40;

/// The sentences of `text`, trimmed, in order; pieces without a letter are dropped.
pub fn split(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end_here = match c {
            '\n' | '\r' => true,
            '!' | '?' | '\u{2026}' => true,
            // A full stop ends a sentence when space or the end follows ("3.5" and "e.g" stay).
            '.' => chars
                .peek()
                .is_none_or(|(_, n)| n.is_whitespace() || matches!(n, '"' | '\'' | ')' | '\u{201d}')),
            _ => false,
        };
        if end_here {
            let stop = i + c.len_utf8();
            push(&text[start..stop], &mut out);
            start = stop;
        }
    }
    push(&text[start..], &mut out);
    out
}

fn push<'a>(piece: &'a str, out: &mut Vec<&'a str>) {
    let piece = piece.trim();
    if !piece.chars().any(char::is_alphabetic) {
        return;
    }
    if piece.split_whitespace().count() <= LONG_SENTENCE {
        out.push(piece);
        return;
    }
    let mut start = 0;
    let mut words = 0;
    for (i, c) in piece.char_indices() {
        if c.is_whitespace() {
            words += 1;
        }
        if matches!(c, ',' | ';' | ':') && words >= 6 {
            let part = piece[start..i + 1].trim();
            if part.chars().any(char::is_alphabetic) {
                out.push(part);
            }
            start = i + 1;
            words = 0;
        }
    }
    let rest = piece[start..].trim();
    if rest.chars().any(char::is_alphabetic) {
        out.push(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn sentences_end_at_stops_and_lines() {
        assert_eq!(
            split("Work was long. I slept at 3.5 hours!? Not much\nthen tea…and bed"),
            ["Work was long.", "I slept at 3.5 hours!", "Not much", "then tea…", "and bed"]
        );
        assert!(split("  ...  \n\n 123 ").is_empty());
        assert_eq!(split("no stop at all"), ["no stop at all"]);
    }

    #[test]
    fn very_long_runs_are_cut_at_commas() {
        let long = "I went to the shop and bought some bread, then I walked home the long way round, \
                    and the rain started so I stood under a tree for a while, then I got home and \
                    made soup and watched the news and went to bed early";
        let parts = split(long);
        assert!(parts.len() >= 3, "{parts:?}");
        assert_eq!(parts.concat().replace(' ', "").len(), long.replace(' ', "").len());
    }
}
