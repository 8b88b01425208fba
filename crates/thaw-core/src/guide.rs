//! The guide: short pages in `content/guide/*.md` (embedded at compile time), each with TOML front
//! matter between `+++` lines (id, title, summary, order, features, sources) and a Markdown body.
//!
//! Every file in the folder must be listed in [`FILES`]; a schema test reads the folder and fails
//! when one is missing.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::text::{closest, normalise};
use crate::{CoreError, Missing};

macro_rules! page {
    ($file:literal) => {
        ($file, include_str!(concat!("../../../content/guide/", $file)))
    };
}

/// The embedded pages: file name and text.
pub const FILES: &[(&str, &str)] = &[
    page!("anxiety-judgement.md"),
    page!("childhood.md"),
    page!("faq-emotionless.md"),
    page!("faq-making-yourself-cry.md"),
    page!("faq-no-emotions.md"),
    page!("faq-not-crying-when-someone-dies.md"),
    page!("faq-what-it-means.md"),
    page!("gender-norms.md"),
    page!("is-crying-good-or-bad.md"),
    page!("long-held-troubles.md"),
    page!("medical.md"),
    page!("medication.md"),
    page!("not-crying-is-common.md"),
    page!("shame-stigma.md"),
    page!("trauma-loss.md"),
    page!("working-towards-release.md"),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    summary: String,
    order: u32,
    features: Vec<String>,
    sources: Vec<String>,
}

/// Words that mark a placeholder rather than a publication a person could look up.
pub const PLACEHOLDER_SOURCES: &[&str] = &[
    "seed article",
    "consumer health article",
    "no author or date",
    "todo",
    "tbd",
    "citation needed",
    "lorem",
    "example.com",
    "example.org",
];

/// Checks a source shown to people: a real publication (with its year), never a placeholder.
pub fn check_citation(source: &str) -> Result<(), String> {
    let text = source.trim();
    let lower = text.to_lowercase();
    if text.is_empty() {
        return Err("a source is empty".to_owned());
    }
    if let Some(p) = PLACEHOLDER_SOURCES.iter().find(|p| lower.contains(*p)) {
        return Err(format!("\"{text}\" is a placeholder ({p}), not a publication"));
    }
    let has_year = text.as_bytes().windows(4).any(|w| {
        w.iter().all(u8::is_ascii_digit) && (w[0] == b'1' && w[1] == b'9' || w[0] == b'2' && w[1] == b'0')
    });
    if !has_year {
        return Err(format!("\"{text}\" needs the year of the publication"));
    }
    Ok(())
}

/// One page of the guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuidePage {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Where it comes in the list (lower first).
    pub order: u32,
    /// Feature ids the page points to (see [`crate::features`]).
    pub features: Vec<String>,
    pub sources: Vec<String>,
    /// Markdown.
    pub body: String,
}

impl GuidePage {
    /// Parses one page: `+++`, TOML front matter, `+++`, Markdown body.
    pub fn parse(text: &str) -> Result<GuidePage, String> {
        let text = text.replace("\r\n", "\n");
        let rest = text.strip_prefix("+++\n").ok_or("a page starts with a +++ line")?;
        let (front, body) = rest.split_once("\n+++\n").ok_or("the front matter ends with a +++ line")?;
        let fm: FrontMatter = toml::from_str(front).map_err(|e| e.to_string())?;
        let id_ok = !fm.id.is_empty()
            && fm.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err(format!("id \"{}\" must be lowercase letters, digits and hyphens", fm.id));
        }
        for (what, value) in [("title", &fm.title), ("summary", &fm.summary)] {
            if value.trim().is_empty() {
                return Err(format!("{}: {what} is empty", fm.id));
            }
        }
        // Sources are shown to people: real publications, or none at all (a page of general
        // advice), never a placeholder.
        if let Some(err) = fm.sources.iter().find_map(|s| check_citation(s).err()) {
            return Err(format!("{}: {err}", fm.id));
        }
        if let Some(f) = fm.features.iter().find(|f| crate::features::feature(f).is_none()) {
            return Err(format!("{}: unknown feature \"{f}\"", fm.id));
        }
        Ok(GuidePage {
            id: fm.id,
            title: fm.title,
            summary: fm.summary,
            order: fm.order,
            features: fm.features,
            sources: fm.sources,
            body: body.trim().to_owned(),
        })
    }

    /// Words in the body, for the length rule.
    pub fn word_count(&self) -> usize {
        self.body.split_whitespace().count()
    }
}

/// All pages, in order.
#[derive(Debug, Clone)]
pub struct Guide {
    pages: Vec<GuidePage>,
}

/// The guide shipped with Thaw.
pub fn guide() -> &'static Guide {
    static GUIDE: OnceLock<Guide> = OnceLock::new();
    GUIDE.get_or_init(|| {
        // Compiled in and checked by the schema tests: failing here is a build bug, not user input.
        Guide::parse(FILES.iter().map(|(_, text)| *text)).expect("content/guide is valid (schema test)")
    })
}

impl Guide {
    /// Parses pages and checks that ids and orders are unique.
    pub fn parse<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<Guide, String> {
        let mut pages: Vec<GuidePage> = Vec::new();
        for text in texts {
            let page = GuidePage::parse(text)?;
            if let Some(other) = pages.iter().find(|p| p.id == page.id || p.order == page.order) {
                return Err(format!("pages \"{}\" and \"{}\" share an id or an order", other.id, page.id));
            }
            pages.push(page);
        }
        pages.sort_by_key(|p| p.order);
        Ok(Guide { pages })
    }

    pub fn pages(&self) -> &[GuidePage] {
        &self.pages
    }

    /// Finds a page by id or title (any case), or by the start of an id when only one page has it.
    pub fn find(&self, topic: &str) -> Result<&GuidePage, CoreError> {
        let wanted = normalise(topic);
        let kebab = wanted.replace(' ', "-");
        if let Some(p) = self.pages.iter().find(|p| p.id == kebab || normalise(&p.title) == wanted) {
            return Ok(p);
        }
        let starting: Vec<&GuidePage> =
            self.pages.iter().filter(|p| !kebab.is_empty() && p.id.starts_with(&kebab)).collect();
        if let [only] = starting.as_slice() {
            return Ok(only);
        }
        let mut suggestions: Vec<String> = starting.iter().map(|p| p.id.clone()).collect();
        for near in closest(&kebab, self.pages.iter().map(|p| p.id.as_str()), 3) {
            if !suggestions.contains(&near) {
                suggestions.push(near);
            }
        }
        suggestions.truncate(4);
        Err(CoreError::NotFound {
            what: Missing::GuidePage,
            input: topic.trim().to_owned(),
            near: suggestions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_load_in_order_and_can_be_found() {
        let g = guide();
        assert_eq!(g.pages().len(), FILES.len());
        assert!(g.pages().windows(2).all(|w| w[0].order < w[1].order));
        assert_eq!(g.find("medication").unwrap().id, "medication");
        assert_eq!(g.find(" Medication ").unwrap().id, "medication");
        assert_eq!(g.find("Is crying good or bad?").unwrap().id, "is-crying-good-or-bad");
        assert_eq!(g.find("faq-making").unwrap().id, "faq-making-yourself-cry", "a unique start is enough");
        let err = g.find("faq").unwrap_err().to_string();
        assert!(err.contains("faq-"), "several pages start with faq: {err}");
        let err = g.find("medicaton").unwrap_err().to_string();
        assert!(err.contains("Did you mean") && err.contains("medication"), "{err}");
        assert!(g.find("").is_err());
    }

    #[test]
    fn front_matter_is_required() {
        assert!(GuidePage::parse("no front matter").is_err());
        assert!(GuidePage::parse("+++\nid = \"x\"\n").is_err());
        let ok = "+++\nid = \"x\"\ntitle = \"T\"\nsummary = \"S\"\norder = 1\nfeatures = [\"checkin\"]\nsources = [\"A. Author 2020, A Journal 1:1-2\"]\n+++\nBody.\n";
        assert_eq!(GuidePage::parse(ok).unwrap().body, "Body.");
        assert!(
            GuidePage::parse(&ok.replace("sources = [\"A. Author 2020, A Journal 1:1-2\"]", "sources = []"))
                .is_ok(),
            "general advice"
        );
        let seed = "sources = [\"Seed article: consumer health article (no author or date given)\"]";
        assert!(
            GuidePage::parse(&ok.replace("sources = [\"A. Author 2020, A Journal 1:1-2\"]", seed)).is_err()
        );
        let real = "sources = [\"Gross JJ, John OP. 2003, J Pers Soc Psychol 85:348-362\"]";
        assert!(
            GuidePage::parse(&ok.replace("sources = [\"A. Author 2020, A Journal 1:1-2\"]", real)).is_ok()
        );
        assert!(GuidePage::parse(&ok.replace("\"checkin\"", "\"nope\"")).is_err());
        assert!(GuidePage::parse(&ok.replace("order = 1", "order = 1\nextra = 2")).is_err());
    }
}
