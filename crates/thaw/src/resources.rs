//! Crisis resources in the terminal: the locale's country, and the printing of thaw-app's safety
//! follow-ups. Which follow-up a save brings is decided once, in thaw-app; this module only words
//! it for a terminal — first, above anything else the command prints.

use anyhow::Result;
use thaw_app::followup::Reason;
use thaw_app::{App, Clock, FollowUp};
use thaw_core::safety::SafetyPlan;
use thaw_core::safety::crisis::country_from_locale;
use thaw_store::Store;

/// The country from the locale: LC_ALL, then LC_MESSAGES, then LANG (`en_GB.UTF-8` → GB).
pub fn locale_country() -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .and_then(|locale| country_from_locale(&locale))
}

/// The application layer over `store`, with the terminal's clock and locale.
pub fn app<'a>(store: &'a dyn Store, clock: &Clock) -> App<'a> {
    App::new(store, clock.clone()).with_locale_country(locale_country())
}

/// The country whose crisis lines to show: `--country`, else the `country` setting, else the
/// locale. `None` means no country is known.
pub fn country(flag: Option<&str>, store: Option<&dyn Store>) -> Result<Option<String>> {
    let flag = flag.map(thaw_core::safety::crisis::parse_country).transpose()?;
    Ok(match store {
        Some(s) => app(s, &crate::session::system_clock()).country(flag.as_deref()),
        None => flag.or_else(locale_country),
    })
}

/// The person's safety plan, if they have written one.
pub fn plan(store: &dyn Store) -> Result<Option<SafetyPlan>> {
    Ok(thaw_app::settings::plan(store)?)
}

/// A follow-up as lines of text: the gentle words, the crisis lines, the plan (or the way to it).
pub fn follow_up_lines(f: &FollowUp) -> Vec<String> {
    if f.reason == Reason::Phq9Reminder {
        // A reminder on every check-in stays one short line; the lines are one command away.
        return vec![format!("{} `thaw crisis` shows where.", f.message.join(" "))];
    }
    let mut out = f.message.clone();
    out.push(String::new());
    out.extend(f.crisis.text());
    match (&f.safety_plan, f.reason) {
        (Some(plan), Reason::Phq9Item9) => {
            out.push(String::new());
            out.push("Your safety plan:".to_owned());
            out.extend(plan.text().into_iter().map(|l| format!("  {l}")));
        }
        (Some(_), _) => out.push("Your safety plan is there too: `thaw safety show`.".to_owned()),
        (None, Reason::Phq9Item9) => {
            out.push(String::new());
            out.push(
                "When you feel up to it, a safety plan can help in hard moments: `thaw safety edit` walks you through one."
                    .to_owned(),
            );
        }
        (None, _) => {}
    }
    if let Some(words) = f.tell_doctor_words() {
        out.push(words.to_owned());
    }
    out
}

/// Prints a follow-up, if any, before anything else the command says: on standard output, or on
/// standard error when the output is JSON (the JSON carries it as `follow_up`, and a person
/// watching still sees it).
pub fn print_follow_up(f: Option<&FollowUp>, json: bool) {
    let Some(f) = f else { return };
    let text = format!("{}\n", follow_up_lines(f).join("\n"));
    if json {
        eprintln!("{text}");
    } else {
        println!("{text}");
    }
}
