//! `thaw guide`: short pages on why crying can become hard and what helps.

use anyhow::Result;
use serde::Serialize;
use thaw_core::features::feature;
use thaw_core::guide::guide;

use super::Ctx;
use crate::cli::GuideArgs;
use crate::{output, terminal};

#[derive(Serialize)]
struct Topic<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
}

#[derive(Serialize)]
struct Page<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    features: &'a [String],
    sources: &'a [String],
}

pub fn run(ctx: &Ctx, args: &GuideArgs) -> Result<()> {
    let guide = guide();
    if args.topic.is_empty() {
        if ctx.json {
            let topics: Vec<Topic<'_>> = guide
                .pages()
                .iter()
                .map(|p| Topic { id: &p.id, title: &p.title, summary: &p.summary })
                .collect();
            return output::json(&topics);
        }
        println!("The guide: short pages to read at your own pace. Open one with `thaw guide TOPIC`.");
        for p in guide.pages() {
            println!("\n{}  ({})", p.title, p.id);
            terminal::paragraph(&p.summary, "  ");
        }
        return Ok(());
    }
    let page = guide.find(&args.topic.join(" "))?;
    if ctx.json {
        return output::json(&Page {
            id: &page.id,
            title: &page.title,
            summary: &page.summary,
            body: &page.body,
            features: &page.features,
            sources: &page.sources,
        });
    }
    println!("{}\n", page.title);
    terminal::markdown(&page.body);
    let related: Vec<_> = page.features.iter().filter_map(|f| feature(f)).collect();
    if !related.is_empty() {
        println!("\nRelated in Thaw:");
        for f in related {
            terminal::item(&format!("`{}`: {}", f.command, f.label), "  ", "- ");
        }
    }
    if !page.sources.is_empty() {
        println!("\nSources:");
        for s in &page.sources {
            terminal::item(s, "  ", "- ");
        }
    }
    Ok(())
}
