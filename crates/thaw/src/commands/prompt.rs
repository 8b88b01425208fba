//! `thaw prompt`: a writing prompt for the journal, picked at random or listed.

use anyhow::Result;
use serde::Serialize;
use thaw_core::prompts::{Prompt, PromptGroup, prompts};

use super::Ctx;
use crate::cli::PromptArgs;
use crate::{exit, output, terminal};

#[derive(Serialize)]
struct PromptView<'a> {
    id: &'a str,
    group: &'a str,
    group_title: &'a str,
    text: &'a str,
    /// Only for heavier prompts.
    #[serde(skip_serializing_if = "Option::is_none")]
    warning: Option<&'a str>,
}

fn view<'a>(g: &'a PromptGroup, p: &'a Prompt) -> PromptView<'a> {
    PromptView {
        id: &p.id,
        group: &g.id,
        group_title: &g.title,
        text: &p.text,
        warning: p.is_heavy().then_some(p.warning.as_str()),
    }
}

pub fn run(ctx: &Ctx, args: &PromptArgs) -> Result<()> {
    let all = prompts();
    let group = args.group.as_deref().map(|g| all.group(g)).transpose()?;
    if args.all {
        let chosen: Vec<(&PromptGroup, &Prompt)> =
            all.all().filter(|(g, _)| group.is_none_or(|want| want.id == g.id)).collect();
        if ctx.json {
            return output::json(&chosen.iter().map(|(g, p)| view(g, p)).collect::<Vec<_>>());
        }
        let mut last = "";
        for (g, p) in chosen {
            if g.id != last {
                println!("{}{}", if last.is_empty() { "" } else { "\n" }, g.title);
                last = &g.id;
            }
            let mark = if p.is_heavy() { " (heavier)" } else { "" };
            terminal::item(&format!("{}{mark}: {}", p.id, p.text), "  ", "- ");
        }
        return Ok(());
    }
    let seed = u64::try_from(ctx.clock.now.as_millis()).unwrap_or_default();
    let (g, p) =
        all.pick(group, seed).ok_or_else(|| exit::bad_input("There are no prompts in that group."))?;
    if ctx.json {
        return output::json(&view(g, p));
    }
    if p.is_heavy() {
        terminal::paragraph(&format!("Before you start: {}", p.warning), "");
        terminal::paragraph(
            "If you'd rather have a lighter one, `thaw prompt --group gentle` gives you one.",
            "",
        );
        println!();
    }
    terminal::paragraph(&p.text, "");
    println!();
    println!("To write with it: thaw journal add --title \"…\" --prompt {}", p.id);
    println!("For another one: thaw prompt");
    Ok(())
}
