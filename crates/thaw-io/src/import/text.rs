//! Small readers shared by the importers: dates and times as other apps write them, HTML notes,
//! `@tags`, and jrnl's title rule.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use thaw_core::Timestamp;

/// A calendar date written `YYYY-MM-DD`, also with one-digit months and days (`2025-3-5`).
pub(crate) fn parse_ymd(input: &str) -> Option<Date> {
    let mut parts = input.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4, 4) || !digits(m, 1, 2) || !digits(d, 1, 2) {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// A time of day as apps write it: `21:05`, `9:05`, `07:40:00`, `9:05 pm`, `07:40:00 AM`,
/// `9:05 p.m.`.
pub(crate) fn parse_clock(input: &str) -> Option<Time> {
    let text = input.trim().to_ascii_lowercase();
    let (clock, half) = if let Some(c) = strip_suffixes(&text, &["am", "a.m.", "a. m."]) {
        (c, Some(false))
    } else if let Some(c) = strip_suffixes(&text, &["pm", "p.m.", "p. m."]) {
        (c, Some(true))
    } else {
        (text.as_str(), None)
    };
    let mut parts = clock.trim().split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() {
        return None;
    }
    let number = |t: &str, len: std::ops::RangeInclusive<usize>| -> Option<i8> {
        (len.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok()).flatten()
    };
    let mut hour = number(h, 1..=2)?;
    let minute = number(m, 2..=2)?;
    let second = match s {
        Some(s) => number(s, 2..=2)?,
        None => 0,
    };
    if let Some(pm) = half {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    Time::new(hour, minute, second, 0).ok()
}

fn strip_suffixes<'a>(text: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    suffixes.iter().find_map(|s| text.strip_suffix(s))
}

/// A local date and time in `tz` as an instant (a time skipped by a clock change moves forward,
/// as clocks do).
pub(crate) fn local(date: Date, time: Time, tz: &TimeZone) -> Option<Timestamp> {
    let zoned = DateTime::from_parts(date, time).to_zoned(tz.clone()).ok()?;
    Some(Timestamp::from_jiff(zoned.timestamp()))
}

/// `@tags` in text, as jrnl finds them: an `@` at the start or after white space, then letters,
/// digits and `-+*#/_`. Lowercase, without the `@`, in order, without repeats.
pub(crate) fn at_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut prev_space = true;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '@' && prev_space {
            let start = i + 1;
            let mut end = start;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || matches!(d, '-' | '+' | '*' | '#' | '/' | '_') {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            if end > start {
                let tag = text[start..end].to_lowercase();
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            prev_space = false;
            continue;
        }
        prev_space = c.is_whitespace();
    }
    tags
}

/// Splits the first sentence off a line, as jrnl does for titles: a sentence ends at `.`, `!`,
/// `?` or `…` (and their kin), with an optional closing quote and brackets, followed by white
/// space; CJK full stops end a sentence without a space. Returns (title, rest).
pub(crate) fn split_first_sentence(line: &str) -> (&str, &str) {
    const TERMINALS: &[char] = &[
        '.', '!', '?', '\u{2026}', '\u{203C}', '\u{203D}', '\u{2047}', '\u{2048}', '\u{2049}', '\u{22EF}',
        '\u{FE52}', '\u{FE57}',
    ];
    const CJK: &[char] = &['\u{FF01}', '\u{FF0E}', '\u{FF1F}', '\u{FF61}', '\u{3002}'];
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if CJK.contains(&c) {
            let end = at + c.len_utf8();
            return (line[..end].trim(), line[end..].trim());
        }
        if TERMINALS.contains(&c) {
            let mut j = i + 1;
            while j < chars.len() && TERMINALS.contains(&chars[j].1) {
                j += 1;
            }
            if j < chars.len() && matches!(chars[j].1, '\'' | '\u{2019}' | '"' | '\u{201D}') {
                j += 1;
            }
            while j < chars.len() && matches!(chars[j].1, ']' | ')') {
                j += 1;
            }
            if j < chars.len() && chars[j].1.is_whitespace() {
                let end = chars[j].0;
                return (line[..end].trim(), line[end..].trim());
            }
            i = j;
            continue;
        }
        i += 1;
    }
    (line.trim(), "")
}

/// Plain text from a note that may hold HTML (Daylio's rich notes): `<br>` and block ends become
/// line breaks, list items start with "- ", other tags go, entities are decoded. Text that merely
/// contains `<` (like "<3") is left alone.
pub(crate) fn html_to_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let after = &rest[lt + 1..];
        let name_start = after.strip_prefix('/').unwrap_or(after);
        let is_tag = name_start.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        match (is_tag, after.find('>')) {
            (true, Some(gt)) => {
                let tag = &after[..gt];
                let closing = tag.starts_with('/');
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                match (name.as_str(), closing) {
                    ("br", _) => out.push('\n'),
                    ("li", false) => {
                        newline_if_needed(&mut out);
                        out.push_str("- ");
                    }
                    (
                        "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                        | "blockquote",
                        _,
                    ) => newline_if_needed(&mut out),
                    _ => {}
                }
                rest = &after[gt + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(&decode_entities(rest));
    tidy_lines(&out)
}

fn newline_if_needed(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Trims each line's end and folds runs of blank lines into one.
fn tidy_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`, a few typographic names, and
/// numeric references. Anything else stays as written.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &after[..semi];
            entity(name).map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let named = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "hellip" => '\u{2026}',
        "mdash" => '\u{2014}',
        "ndash" => '\u{2013}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201C}',
        "rdquo" => '\u{201D}',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            return char::from_u32(code).filter(|c| *c != '\0');
        }
    };
    Some(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_in_12_and_24_hours() {
        let t = |s: &str| parse_clock(s).map(|t| t.to_string());
        assert_eq!(t("21:05").as_deref(), Some("21:05:00"));
        assert_eq!(t("9:05 pm").as_deref(), Some("21:05:00"));
        assert_eq!(t("9:05PM").as_deref(), Some("21:05:00"));
        assert_eq!(t("07:40:00 AM").as_deref(), Some("07:40:00"));
        assert_eq!(t("12:10 am").as_deref(), Some("00:10:00"));
        assert_eq!(t("12:10 p.m.").as_deref(), Some("12:10:00"));
        for bad in ["", "25:00", "13:00 pm", "0:30 am", "9", "9:5", "ab:cd", "9:05:00:00", "-1:30"] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_with_short_parts() {
        assert_eq!(parse_ymd("2025-3-5").map(|d| d.to_string()).as_deref(), Some("2025-03-05"));
        assert_eq!(parse_ymd("2025-02-30"), None);
        assert_eq!(parse_ymd("25-03-05"), None);
        assert_eq!(parse_ymd("2025-03-05x"), None);
    }

    #[test]
    fn tags_like_jrnl() {
        assert_eq!(at_tags("@work and @Family. me@example.com @a/b @"), ["work", "family", "a/b"]);
        assert_eq!(at_tags("(@x) @café"), ["café"]);
    }

    #[test]
    fn first_sentence() {
        assert_eq!(split_first_sentence("Title text. Body goes on."), ("Title text.", "Body goes on."));
        assert_eq!(split_first_sentence("Really?! Yes"), ("Really?!", "Yes"));
        assert_eq!(split_first_sentence("She said \"no.\" Then left"), ("She said \"no.\"", "Then left"));
        assert_eq!(split_first_sentence("v1.2 is out"), ("v1.2 is out", ""));
        assert_eq!(split_first_sentence("終わり。次"), ("終わり。", "次"));
        assert_eq!(split_first_sentence("No end"), ("No end", ""));
    }

    #[test]
    fn html_notes_become_text() {
        assert_eq!(
            html_to_text("<b>Hi</b> &amp; bye<br>next<br/>line &lt;3 &#x1F600; &unknown; <3"),
            "Hi & bye\nnext\nline <3 \u{1F600} &unknown; <3"
        );
        assert_eq!(html_to_text("<ul><li>one</li><li>two</li></ul><p>para</p>"), "- one\n- two\npara");
        assert_eq!(html_to_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(html_to_text("unclosed <b"), "unclosed <b");
    }
}
