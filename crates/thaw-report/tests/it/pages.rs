//! The HTML page and the Markdown text, held by snapshots, and what makes the page self-contained.

use thaw_report::{html, markdown};

use crate::fixture;

#[test]
fn the_html_page_is_stable_and_self_contained() {
    let page = html::render(&fixture::summary());
    insta::assert_snapshot!("summary_html", page);
    assert!(!page.contains("http://") && !page.contains("https://"), "no URL of any kind");
    let lower = page.to_lowercase();
    for banned in ["<script", "<link", "<iframe", "<img", "@import", "url("] {
        assert!(!lower.contains(banned), "{banned}");
    }
    assert!(page.contains("@media print") && page.contains("size:A4"));
    // Key content.
    assert!(page.contains("2025-03-01 to 2025-03-28 (28 days)"));
    assert!(page.contains("Item 9 answered &#34;Several days&#34; on 2025-03-05"));
    assert!(page.contains("sertraline (SSRI)"));
    assert!(page.contains("Is it &#60;normal&#62; to feel &#34;flat&#34; &#38; tired in the mornings?"));
    assert!(page.contains("not a diagnosis"));
    assert_eq!(
        page.matches("<svg").count(),
        9,
        "three trends; the timeline, the hard-to-reach chart and the map, each wide and narrow"
    );
    assert!(page.contains("How often feelings were hard to reach"));
    assert!(!page.contains("docs/"), "no file paths a reader can't follow");
}

#[test]
fn the_markdown_is_stable() {
    let text = markdown::render(&fixture::summary());
    insta::assert_snapshot!("summary_md", text);
    assert!(text.contains("**Item 9 answered \"Several days\" on 2025-03-05**"));
    assert!(text.contains("Is it \\<normal\\> to feel \"flat\" & tired in the mornings?"));
    assert!(text.contains("| 2025-03-01 – 2025-03-07 | 4 | 50% | 67% |"), "{text}");
}
