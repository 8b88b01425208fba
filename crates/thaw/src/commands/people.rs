//! `thaw people`: the people you trust.

use anyhow::Result;
use thaw_core::{Person, Record, RecordBody, RecordKind};
use thaw_store::Store;

use super::{Ctx, list_query};
use crate::cli::PeopleCmd;
use crate::output;

pub fn run(ctx: &Ctx, cmd: PeopleCmd) -> Result<()> {
    match cmd {
        PeopleCmd::Add { name, reach, note } => {
            let person = Person::new(&name, reach.as_deref(), note.as_deref())?;
            let record = Record::new(RecordBody::Person(person), None, ctx.clock.now);
            ctx.open()?.insert(&record)?;
            output::saved(&record, ctx.json, &format!("Added {}.", name.trim()))
        }
        PeopleCmd::List(args) => {
            let query = list_query(ctx, RecordKind::Person, &args)?;
            let records = ctx.open()?.list(&query)?;
            output::records(
                &records,
                ctx.json,
                &ctx.clock,
                "No one here yet. `thaw people add NAME` adds someone you trust.",
            )
        }
    }
}
