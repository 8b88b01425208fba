//! content/guide/*.md: every page embedded, with front matter, sources and a readable length.

use std::collections::HashSet;
use std::path::Path;

use thaw_core::features::feature;
use thaw_core::guide::{FILES, GuidePage, guide};

#[test]
fn every_markdown_file_in_the_folder_is_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/guide");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = FILES.iter().map(|(f, _)| (*f).to_owned()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded, "add new pages to FILES in crates/thaw-core/src/guide.rs");
    for (file, text) in FILES {
        let on_disk = std::fs::read_to_string(dir.join(file)).unwrap();
        assert_eq!(&on_disk, text, "{file}");
    }
}

#[test]
fn every_page_has_front_matter_sources_and_a_readable_length() {
    let mut ids = HashSet::new();
    for (file, text) in FILES {
        let page = GuidePage::parse(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(format!("{}.md", page.id), *file, "the file is named after its id");
        assert!(ids.insert(page.id.clone()), "{} twice", page.id);
        for s in &page.sources {
            assert!(thaw_core::guide::check_citation(s).is_ok(), "{}: source {s}", page.id);
        }
        let words = page.word_count();
        assert!((100..=450).contains(&words), "{}: {words} words", page.id);
        assert!(!page.features.is_empty(), "{}: links to a feature", page.id);
        for f in &page.features {
            assert!(feature(f).is_some(), "{}: unknown feature {f}", page.id);
        }
        assert!(page.summary.chars().count() <= 160, "{}: summary is short", page.id);
    }
    assert_eq!(guide().pages().len(), FILES.len());
}

#[test]
fn the_topics_from_the_product_are_covered() {
    for id in [
        "not-crying-is-common",
        "is-crying-good-or-bad",
        "working-towards-release",
        "medication",
        "shame-stigma",
        "gender-norms",
        "childhood",
        "long-held-troubles",
        "anxiety-judgement",
        "trauma-loss",
        "medical",
        "faq-making-yourself-cry",
        "faq-not-crying-when-someone-dies",
        "faq-no-emotions",
        "faq-emotionless",
    ] {
        assert!(guide().find(id).is_ok(), "{id}");
    }
}

#[test]
fn pages_about_medicine_never_advise_changing_it_alone() {
    for p in guide().pages().iter().filter(|p| p.features.iter().any(|f| f == "med")) {
        assert!(p.body.contains("withdrawal"), "{}: mentions withdrawal effects", p.id);
    }
}
