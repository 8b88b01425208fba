//! `thaw crisis`: crisis lines for your country and the emergency number. Needs no vault: it
//! reads the `country` setting only when the vault opens without asking anything.

use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;
use thaw_core::safety::crisis::parse_country;
use thaw_core::safety::crisis_for;

use crate::cli::CrisisArgs;
use crate::{output, resources, session};

pub fn run(vault: Option<PathBuf>, as_json: bool, args: &CrisisArgs) -> Result<()> {
    // A mistyped --country must not stand between someone and a phone number: say so, and
    // carry on with the setting, the locale or the directory.
    let flag = match args.country.as_deref().map(parse_country) {
        Some(Ok(code)) => Some(code),
        Some(Err(e)) => {
            eprintln!("thaw: {e}");
            None
        }
        None => None,
    };
    let store = session::vault_dir(vault).ok().and_then(|dir| session::open_quietly(&dir));
    let store_ref = store.as_ref().map(|s| s as &dyn thaw_store::Store);
    let country = match flag {
        Some(code) => Some(code),
        None => resources::country(None, store_ref).ok().flatten(),
    };
    let res = crisis_for(country.as_deref());
    let has_plan =
        store_ref.is_some_and(|s| resources::plan(s).ok().flatten().is_some_and(|p| !p.is_empty()));

    if as_json {
        return output::json(&json!({
            "country": country,
            "name": res.country.map(|c| c.name.clone()),
            "emergency": res.country.map(|c| c.emergency.clone()),
            "lines": res.lines(),
            "unlisted": res.unlisted,
            "main_lines": res.main_lines().iter().map(|c| json!({
                "code": c.code,
                "name": c.name,
                "emergency": c.emergency,
                "line": c.main_line(),
            })).collect::<Vec<_>>(),
            "international": res.international,
        }));
    }
    let intro = match (res.country, res.unlisted) {
        (Some(_), _) => "You don't have to go through this alone. These services are free and confidential:",
        (None, Some(_)) => {
            "You don't have to go through this alone. These services are free and confidential:"
        }
        (None, None) => {
            "You don't have to go through this alone. Thaw doesn't know which country you're in, so here are \
             free, confidential lines for every country it knows. (`thaw config set country GB` shows your own \
             country's lines first.)"
        }
    };
    println!("{intro}\n");
    println!("{}", res.text().join("\n"));
    if has_plan {
        println!("\nYour safety plan is there too: `thaw safety show`.");
    }
    Ok(())
}
