//! One module per command.

mod assess;
mod backup;
mod check;
mod checkin;
mod config;
mod crisis;
mod dev;
mod export;
mod guide;
mod import;
mod insights;
mod journal;
mod med;
mod moments;
mod people;
mod prompt;
mod remind;
mod report;
mod safety;
mod search;
mod selfcheck;
mod serve;
mod shell;
mod sync;
mod vault;
mod words;

use anyhow::Result;
use thaw_core::RecordKind;
use thaw_store::{ListQuery, Store};

use crate::cli::{Cli, Command, ListArgs, ListOnly};
use crate::session::{self, Clock};

/// What every command gets: where the vault is, whether to print JSON, and the clock.
pub struct Ctx {
    pub vault: thaw_store::VaultDir,
    pub json: bool,
    pub clock: Clock,
}

impl Ctx {
    pub fn open(&self) -> Result<Box<dyn Store>> {
        session::require_vault(&self.vault)?;
        session::open(&self.vault)
    }

    /// The application layer over an open store, with this command's clock.
    pub fn app<'a>(&self, store: &'a dyn Store) -> thaw_app::App<'a> {
        crate::resources::app(store, &self.clock)
    }
}

pub fn run(cli: Cli) -> Result<()> {
    // Crisis lines show whatever else is missing: no vault, a locked vault, no home folder.
    if let Command::Crisis(args) = &cli.command {
        return crisis::run(cli.vault.clone(), cli.json, args);
    }
    // Completions and the man page need no vault.
    match &cli.command {
        Command::Completions(args) => return shell::completions(args.shell),
        Command::Man => return shell::man(),
        _ => {}
    }
    let ctx = Ctx { vault: session::vault_dir(cli.vault)?, json: cli.json, clock: Clock::system() };
    match cli.command {
        Command::Init(args) => vault::init(&ctx, &args),
        Command::Unlock(args) => vault::unlock(&ctx, &args),
        Command::Lock => vault::lock(&ctx),
        Command::Passwd => vault::passwd(&ctx),
        Command::Recover(args) => vault::recover(&ctx, &args),
        Command::Recovery(crate::cli::RecoveryCmd::New) => vault::recovery_new(&ctx),
        Command::Rekey => vault::rekey(&ctx),
        Command::Checkin(cmd) => match cmd.list {
            Some(ListOnly::List(args)) => list(&ctx, RecordKind::Checkin, &args, "No check-ins yet."),
            None => checkin::add(&ctx, cmd.add),
        },
        Command::Journal(cmd) => journal::run(&ctx, cmd),
        Command::Search(args) => search::run(&ctx, &args),
        Command::React(cmd) => match cmd.list {
            Some(ListOnly::List(args)) => list(&ctx, RecordKind::Reaction, &args, "No reactions noted yet."),
            None => moments::react(&ctx, cmd.add),
        },
        Command::Release(cmd) => match cmd.list {
            Some(ListOnly::List(args)) => {
                list(&ctx, RecordKind::Release, &args, "No moments of release yet. They come when they come.")
            }
            None => moments::release(&ctx, cmd.add),
        },
        Command::Activity(cmd) => match cmd.list {
            Some(ListOnly::List(args)) => list(&ctx, RecordKind::Activity, &args, "No activities yet."),
            None => moments::activity(&ctx, cmd.add),
        },
        Command::People(cmd) => people::run(&ctx, cmd),
        Command::Words(cmd) => words::run(&ctx, cmd),
        Command::Config(cmd) => config::run(&ctx, cmd),
        Command::Check(args) => check::run(&ctx, &args),
        Command::Sync(args) => sync::run(&ctx, &args),
        Command::Remind(cmd) => remind::run(&ctx, cmd),
        Command::Completions(_) | Command::Man => Ok(()),
        Command::Dev(cmd) => dev::run(&ctx, cmd),
        Command::Assess(cmd) => assess::run(&ctx, cmd),
        Command::Crisis(args) => crisis::run(Some(ctx.vault.root().to_path_buf()), ctx.json, &args),
        Command::Safety(cmd) => safety::run(&ctx, cmd),
        Command::Med(cmd) => med::run(&ctx, cmd),
        Command::Selfcheck(cmd) => selfcheck::run(&ctx, cmd),
        Command::Guide(args) => guide::run(&ctx, &args),
        Command::Prompt(args) => prompt::run(&ctx, &args),
        Command::Export(args) => export::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Backup(args) => backup::backup(&ctx, &args),
        Command::Restore(args) => backup::restore(&ctx, &args),
        Command::Serve(args) => serve::run(&ctx, &args),
        Command::Insights(args) => insights::run(&ctx, &args),
        Command::Report(cmd) => report::run(&ctx, cmd),
    }
}

/// The query behind every `list`: --from/--to as local dates (inclusive), --limit, newest first.
pub fn list_query(ctx: &Ctx, kind: RecordKind, args: &ListArgs) -> Result<ListQuery> {
    let day_start = |d: jiff::civil::Date| -> Result<thaw_core::Timestamp> {
        let zoned = d.to_zoned(ctx.clock.tz.clone())?;
        Ok(thaw_core::Timestamp::from_jiff(zoned.timestamp()))
    };
    let from =
        args.from.as_deref().map(thaw_core::time::parse_date).transpose()?.map(day_start).transpose()?;
    let to = args
        .to
        .as_deref()
        .map(thaw_core::time::parse_date)
        .transpose()?
        .map(|d| d.tomorrow().map_err(anyhow::Error::from).and_then(day_start))
        .transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f >= t
    {
        return Err(crate::exit::bad_input("--from must be on or before --to."));
    }
    Ok(ListQuery { kinds: vec![kind], from, to, limit: args.limit, newest_first: true })
}

fn list(ctx: &Ctx, kind: RecordKind, args: &ListArgs, empty: &str) -> Result<()> {
    let query = list_query(ctx, kind, args)?;
    let store = ctx.open()?;
    let records = store.list(&query)?;
    crate::output::records(&records, ctx.json, &ctx.clock, empty)
}
