//! `thaw config`: settings kept inside the encrypted vault.

use anyhow::Result;
use serde_json::Value;

use super::Ctx;
use crate::cli::ConfigCmd;
use crate::{exit, output};

/// The settings people may change, with how each is checked.
const KEYS: &[(&str, &str)] =
    &[("country", "your country, like GB or US (or its name): which crisis lines Thaw shows")];

fn validate(key: &str, value: &str) -> Result<Value> {
    match key {
        "country" => thaw_core::settings::parse_country(value)
            .map(Value::String)
            .map_err(|e| exit::bad_input(e.to_string())),
        _ => Err(exit::bad_input(format!(
            "There's no setting called \"{key}\". Settings: {}.",
            KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
        ))),
    }
}

pub fn run(ctx: &Ctx, cmd: ConfigCmd) -> Result<()> {
    match cmd {
        ConfigCmd::Set { key, value } => {
            let value = validate(&key, &value)?;
            ctx.open()?.set_setting(&key, &value)?;
            if !ctx.json {
                println!("{key} = {}", display(&value));
                if let Some(note) = value.as_str().and_then(thaw_core::safety::crisis::unlisted_note) {
                    println!("{note}");
                }
            }
            Ok(())
        }
        ConfigCmd::Get { key } => {
            validate_key(&key)?;
            let value = ctx.open()?.setting(&key)?;
            if ctx.json {
                return output::json(&value);
            }
            println!("{}", value.as_ref().map(display).unwrap_or_else(|| unset(&key)));
            Ok(())
        }
        ConfigCmd::List => {
            let store = ctx.open()?;
            let set: Vec<(String, Value)> = KEYS
                .iter()
                .map(|(k, _)| Ok(((*k).to_owned(), store.setting(k)?.unwrap_or(Value::Null))))
                .collect::<Result<_>>()?;
            if ctx.json {
                let map: serde_json::Map<String, Value> = set.into_iter().collect();
                return output::json(&map);
            }
            for ((key, value), (_, help)) in set.iter().zip(KEYS) {
                let shown = if value.is_null() { unset(key) } else { display(value) };
                println!("{key:<10} {shown:<12} {help}");
            }
            Ok(())
        }
    }
}

fn validate_key(key: &str) -> Result<()> {
    if KEYS.iter().any(|(k, _)| *k == key) { Ok(()) } else { validate(key, "").map(|_| ()) }
}

/// What an unset setting means: the country falls back to the locale (LANG), as crisis lines do.
fn unset(key: &str) -> String {
    match (key, crate::resources::locale_country()) {
        ("country", Some(code)) => format!("(not set; {code} from your locale)"),
        _ => "(not set)".to_owned(),
    }
}

fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
