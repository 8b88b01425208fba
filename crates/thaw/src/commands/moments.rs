//! `thaw react`, `thaw release`, `thaw activity`: recording intense moments and what helps.

use anyhow::Result;
use thaw_core::ids::IdRef;
use thaw_core::{
    Activity, ActivityKind, Intensity, Reaction, ReactionStyle, Record, RecordBody, Release, ReleaseKind,
};

use super::Ctx;
use crate::cli::{ActivityArgs, ReactArgs, ReleaseArgs};
use crate::{exit, output};

fn required<'a>(value: Option<&'a str>, flag: &str, example: &str) -> Result<&'a str> {
    value.ok_or_else(|| exit::bad_input(format!("Please add {flag}, for example {flag} {example}.")))
}

fn intensity(value: Option<&str>, flag: &str, what: &'static str) -> Result<Intensity> {
    Ok(Intensity::parse(required(value, flag, "5")?, what)?)
}

pub fn react(ctx: &Ctx, args: ReactArgs) -> Result<()> {
    let at = ctx.clock.at(args.at.as_deref())?;
    let situation = required(args.situation.as_deref(), "--situation", "\"Argument with my brother\"")?;
    let level = intensity(args.intensity.as_deref(), "--intensity", "Intensity")?;
    let styles = args.styles.iter().map(|s| ReactionStyle::parse(s)).collect::<Result<Vec<_>, _>>()?;
    let store = ctx.open()?;
    let vocab = ctx.app(store.as_ref()).vocabulary()?;
    let felt =
        args.felt.iter().map(|w| vocab.resolve(w).map(|e| e.word.clone())).collect::<Result<Vec<_>, _>>()?;
    let reaction = Reaction::new(situation, level, styles, felt, args.reflection.as_deref())?;
    let through = reaction.styles.iter().any(|s| s.lets_feeling_through());
    let record = Record::new(RecordBody::Reaction(reaction), at, ctx.clock.now);
    let saved = ctx.app(store.as_ref()).add(record)?;
    let message = if through {
        "Noted. You let some of it through, and that counts."
    } else {
        "Noted. Noticing how you reacted is the first step; there's no wrong way."
    };
    crate::resources::print_follow_up(saved.follow_up.as_ref(), ctx.json);
    output::saved(&saved, ctx.json, message)
}

pub fn release(ctx: &Ctx, args: ReleaseArgs) -> Result<()> {
    let at = ctx.clock.at(args.at.as_deref())?;
    let kind = ReleaseKind::parse(required(args.kind.as_deref(), "--kind", "teared-up")?)?;
    let level = intensity(args.intensity.as_deref(), "--intensity", "Intensity")?;
    let relief = args.relief.as_deref().map(|r| Intensity::parse(r, "Relief")).transpose()?;
    let store = ctx.open()?;
    let linked = match args.after_record.as_deref() {
        Some(id) => Some(store.resolve(&IdRef::parse(id)?, None)?),
        None => None,
    };
    let release = Release::new(kind, level, args.before.as_deref(), relief, linked)?;
    let record = Record::new(RecordBody::Release(release), at, ctx.clock.now);
    let saved = ctx.app(store.as_ref()).add(record)?;
    crate::resources::print_follow_up(saved.follow_up.as_ref(), ctx.json);
    output::saved(&saved, ctx.json, "Saved. Whatever came out, it's good that it had somewhere to go.")
}

pub fn activity(ctx: &Ctx, args: ActivityArgs) -> Result<()> {
    let at = ctx.clock.at(args.at.as_deref())?;
    let kind = ActivityKind::parse(required(args.kind.as_deref(), "--kind", "walking")?)?;
    let minutes_text = required(args.minutes.as_deref(), "--minutes", "30")?;
    let minutes: u32 = minutes_text.trim().parse().map_err(|_| {
        exit::bad_input(format!("Minutes must be a whole number from 1 to 1440; \"{minutes_text}\" isn't."))
    })?;
    let before = intensity(args.before.as_deref(), "--before", "How strongly you felt before")?;
    let after = intensity(args.after.as_deref(), "--after", "How strongly you felt after")?;
    let activity = Activity::new(kind, minutes, args.place.as_deref(), before, after, args.note.as_deref())?;
    let record = Record::new(RecordBody::Activity(activity), at, ctx.clock.now);
    let store = ctx.open()?;
    let saved = ctx.app(store.as_ref()).add(record)?;
    crate::resources::print_follow_up(saved.follow_up.as_ref(), ctx.json);
    output::saved(&saved, ctx.json, "Saved.")
}
