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
mod host;
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
mod suggest;
mod sync;
mod vault;
mod words;

use anyhow::Result;
use thaw_core::RecordKind;
use thaw_store::{ListQuery, Store};

use crate::cli::{Cli, Command, ListArgs, ListOnly};
use crate::session::{self, Clock};

/// What every command gets: where the vault is, whether to print JSON, the clock, and the
/// on-device model (loaded only when free text is checked or words are suggested).
pub struct Ctx {
    pub vault: thaw_store::VaultDir,
    pub json: bool,
    pub clock: Clock,
    pub understanding: thaw_embed::Understanding,
}

/// The file in the vault folder that records that the missing-model note was shown (it holds
/// nothing else), so the note is said once, not on every save.
const MODEL_NOTE_SHOWN: &str = "model-note-shown";

impl Ctx {
    pub fn open(&self) -> Result<Box<dyn Store>> {
        session::require_vault(&self.vault)?;
        session::open(&self.vault)
    }

    /// The application layer over an open store, with this command's clock; free text is checked
    /// by both layers of the risk check (the model loads on the first text that needs it).
    pub fn app<'a>(&'a self, store: &'a dyn Store) -> thaw_app::App<'a> {
        crate::resources::app(store, &self.clock).with_risk_check(&self.understanding)
    }

    /// The application layer for a save without free text (a check-in without a note, a journal
    /// entry that is only a title): the phrase layer alone, so the model is never loaded for it.
    pub fn app_without_free_text<'a>(&self, store: &'a dyn Store) -> thaw_app::App<'a> {
        crate::resources::app(store, &self.clock)
    }

    /// After a command: when the model was needed and isn't installed, say so once per vault.
    fn note_missing_model(&self) {
        if self.understanding.unavailable().is_none() {
            return;
        }
        let marker = self.vault.root().join(MODEL_NOTE_SHOWN);
        if marker.exists() || !self.vault.root().is_dir() {
            return;
        }
        if std::fs::write(&marker, b"").is_ok() {
            let width = crate::terminal::width();
            eprintln!(
                "\n{}",
                thaw_core::wrap::wrap_indented(thaw_embed::MISSING_NOTE, width, "", "").join("\n")
            );
        }
    }
}

/// Parses the shipped vocabulary and risk phrases on a thread of their own while the caller opens
/// the vault (key cache, SQLCipher, its schema): a save needs both, and on two cores the parsing
/// then costs no waiting. Only work that would be done anyway; the caller still gets the same
/// values (each is parsed once, whoever asks first).
pub fn warm_content() {
    // Best effort: if the thread can't start, the content is parsed when first used, as before.
    let _ = std::thread::Builder::new().name("content".into()).spawn(|| {
        thaw_core::vocabulary();
        thaw_core::safety::risk::risk_phrases();
    });
}

/// Where the model may be: `$THAW_MODEL_DIR`, the vault folder's `models/`, beside the program.
fn understanding(vault: &thaw_store::VaultDir) -> thaw_embed::Understanding {
    // One save at a time in a process of its own: the model may use every core.
    thaw_embed::Understanding::find(Some(vault.root()))
        .with_gate(thaw_embed::GateConfig::one_process())
        .with_notice(|| {
            // Only for a person at a terminal: a script reads stdout and needs no reassurance.
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                eprintln!("{}", thaw_embed::PREPARING_NOTE);
            }
        })
}

pub fn run(cli: Cli) -> Result<()> {
    // Crisis lines show whatever else is missing: no vault, a locked vault, no home folder.
    if let Command::Crisis(args) = &cli.command {
        return crisis::run(cli.vault.clone(), cli.json, args);
    }
    // The hosted server has accounts instead of a vault.
    if let Command::Host(args) = &cli.command {
        return host::run(args);
    }
    // Completions and the man page need no vault.
    match &cli.command {
        Command::Completions(args) => return shell::completions(args.shell),
        Command::Man => return shell::man(),
        _ => {}
    }
    let vault = session::vault_dir(cli.vault)?;
    let ctx =
        Ctx { understanding: understanding(&vault), vault, json: cli.json, clock: session::system_clock() };
    let done = dispatch(&ctx, cli.command);
    if done.is_ok() {
        ctx.note_missing_model();
    }
    done
}

fn dispatch(ctx: &Ctx, command: Command) -> Result<()> {
    match command {
        Command::Init(args) => vault::init(ctx, &args),
        Command::Unlock(args) => vault::unlock(ctx, &args),
        Command::Lock => vault::lock(ctx),
        Command::Passwd => vault::passwd(ctx),
        Command::Recover(args) => vault::recover(ctx, &args),
        Command::Recovery(crate::cli::RecoveryCmd::New) => vault::recovery_new(ctx),
        Command::Rekey => vault::rekey(ctx),
        Command::Checkin(cmd) => match cmd.list {
            Some(ListOnly::List(args)) => list(ctx, RecordKind::Checkin, &args, "No check-ins yet."),
            None => checkin::add(ctx, cmd.add),
        },
        Command::Journal(cmd) => journal::run(ctx, cmd),
        Command::Search(args) => search::run(ctx, &args),
        Command::React(cmd) => match cmd.list {
            Some(ListOnly::List(args)) => list(ctx, RecordKind::Reaction, &args, "No reactions noted yet."),
            None => moments::react(ctx, cmd.add),
        },
        Command::Release(cmd) => match cmd.list {
            Some(ListOnly::List(args)) => {
                list(ctx, RecordKind::Release, &args, "No moments of release yet. They come when they come.")
            }
            None => moments::release(ctx, cmd.add),
        },
        Command::Activity(cmd) => match cmd.list {
            Some(ListOnly::List(args)) => list(ctx, RecordKind::Activity, &args, "No activities yet."),
            None => moments::activity(ctx, cmd.add),
        },
        Command::Suggest(args) => suggest::run(ctx, &args),
        Command::People(cmd) => people::run(ctx, cmd),
        Command::Words(cmd) => words::run(ctx, cmd),
        Command::Config(cmd) => config::run(ctx, cmd),
        Command::Check(args) => check::run(ctx, &args),
        Command::Sync(args) => sync::run(ctx, &args),
        Command::Remind(cmd) => remind::run(ctx, cmd),
        Command::Completions(_) | Command::Man | Command::Host(_) => Ok(()),
        Command::Dev(cmd) => dev::run(ctx, cmd),
        Command::Assess(cmd) => assess::run(ctx, cmd),
        Command::Crisis(args) => crisis::run(Some(ctx.vault.root().to_path_buf()), ctx.json, &args),
        Command::Safety(cmd) => safety::run(ctx, cmd),
        Command::Med(cmd) => med::run(ctx, cmd),
        Command::Selfcheck(cmd) => selfcheck::run(ctx, cmd),
        Command::Guide(args) => guide::run(ctx, &args),
        Command::Prompt(args) => prompt::run(ctx, &args),
        Command::Export(args) => export::run(ctx, &args),
        Command::Import(args) => import::run(ctx, &args),
        Command::Backup(args) => backup::backup(ctx, &args),
        Command::Restore(args) => backup::restore(ctx, &args),
        Command::Serve(args) => serve::run(ctx, &args),
        Command::Insights(args) => insights::run(ctx, &args),
        Command::Report(cmd) => report::run(ctx, cmd),
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
