//! Journal Markdown to HTML, safely: raw HTML in an entry is shown as text, images are reduced to
//! their description (nothing is ever fetched), and only ordinary web and mail links stay links.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

fn safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Renders an entry's Markdown to HTML that can be placed in a page as is.
pub(crate) fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let mut skipped_links = 0usize;
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        // Raw HTML becomes visible text, escaped by the renderer.
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        // An image would be a request to somewhere; keep only its description.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link { dest_url, .. }) if !safe_link(&dest_url) => {
            skipped_links += 1;
            None
        }
        Event::End(TagEnd::Link) if skipped_links > 0 => {
            skipped_links -= 1;
            None
        }
        // The page's title is its only first-level heading; an entry's headings sit below it.
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Some(Event::Start(Tag::Heading { level: lower(level), id, classes, attrs }))
        }
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(lower(level)))),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_shown_not_run() {
        let out = to_html("Hi <script>alert(1)</script> <b onclick=x>bold</b>\n\n<iframe src=x></iframe>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<b "), "{out}");
        assert!(!out.contains("<iframe"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn images_fetch_nothing_and_odd_links_are_text() {
        let out = to_html(
            "![a cat](https://example.com/cat.png) [click](javascript:alert(1)) [ok](https://example.org)",
        );
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("a cat"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(out.contains("click"), "{out}");
        assert!(out.contains("<a href=\"https://example.org\">ok</a>"), "{out}");
    }

    #[test]
    fn ordinary_markdown_renders() {
        let out = to_html("# Title\n\n*soft* and **strong**\n\n- one\n- two");
        assert!(
            out.contains("<h2>Title</h2>") && out.contains("<em>soft</em>") && out.contains("<li>one</li>")
        );
    }
}
