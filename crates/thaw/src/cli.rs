//! The command line, defined once with clap: help, completions and the man page come from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod learn;
mod med;
mod people;
mod report;
mod safety;
mod selfcheck;

pub use learn::{GuideArgs, PromptArgs};
pub use med::{MedAddArgs, MedCmd};
pub use people::TalkedArgs;
pub use report::{InsightsArgs, QuestionsCmd, ReportArgs, ReportCmd, ReportFormat, ReportSub};
pub use safety::{AssessArgs, AssessCmd, CrisisArgs, SafetyCmd};
pub use selfcheck::{SelfcheckCmd, SelfcheckSub};

#[derive(Debug, Parser)]
#[command(
    name = "thaw",
    version,
    about = "A private companion for when you can't cry or feel numb.",
    long_about = "Thaw helps you name what you feel (or notice that you can't), keep a journal, \
                  notice how you react, and track moments of release. Everything stays on this \
                  computer, encrypted with your passphrase.\n\nIf you are in crisis, run `thaw crisis`.",
    after_help = "Environment: THAW_VAULT (vault folder), THAW_PASSPHRASE (passphrase, for automation \
                  only), THAW_NEW_PASSPHRASE (new passphrase for passwd and recover), NO_COLOR.\n\
                  Exit codes: 0 ok, 1 failed, 2 bad input, 3 wrong passphrase or recovery key, \
                  4 vault damaged, 5 vault locked, 6 no vault, 7 vault from a newer Thaw."
)]
pub struct Cli {
    /// The vault folder (default: $XDG_DATA_HOME/thaw).
    #[arg(long, global = true, env = "THAW_VAULT", value_name = "DIR")]
    pub vault: Option<PathBuf>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// `thaw init`: on a terminal it also asks for your country (Enter accepts the one from your
/// locale); scripts pass `--country` or nothing, and are never asked.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Your country, for the right crisis lines: a two-letter code like GB or US, or its name.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new encrypted vault and show its recovery words once.
    Init(InitArgs),
    /// Remember the unlocked vault for a while, so later commands don't ask again.
    Unlock(UnlockArgs),
    /// Forget the unlocked vault now.
    Lock,
    /// Change your passphrase (your data stays as it is; only the key wrapping changes).
    Passwd,
    /// Set a new passphrase using your 24 recovery words (typed at the prompt, or piped in).
    Recover(RecoverArgs),
    /// New recovery words: shown once; the old words stop working.
    #[command(subcommand)]
    Recovery(RecoveryCmd),
    /// Give the vault a new data key and re-encrypt it, so old copies of vault.key (and old
    /// recovery words) open nothing. Shows new recovery words once. Stop `thaw serve` first.
    Rekey,
    /// Name what you feel right now (or that you can't).
    Checkin(CheckinCmd),
    /// Write and read your journal.
    #[command(subcommand)]
    Journal(JournalCmd),
    /// Search the text of everything you've written.
    Search(SearchArgs),
    /// Note how you reacted to an intense moment.
    React(ReactCmd),
    /// Record a moment of release: crying, tearing up, laughing hard, feeling moved.
    Release(ReleaseCmd),
    /// Record an expressive activity and how you felt before and after.
    Activity(ActivityCmd),
    /// Feeling words that might fit what you wrote (the text after the command, or piped in),
    /// found on this computer. Only a suggestion: you decide whether any fit.
    Suggest(SuggestArgs),
    /// The people you trust.
    #[command(subcommand)]
    People(PeopleCmd),
    /// The feelings vocabulary, and your own words.
    Words(WordsCmd),
    /// Settings stored in your vault.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Questionnaires: PHQ-9, GAD-7, WHO-5 (screening, not a diagnosis).
    #[command(subcommand)]
    Assess(AssessCmd),
    /// Crisis lines for your country, and what to do in an emergency. Works without a vault.
    Crisis(CrisisArgs),
    /// Your safety plan for hard moments.
    #[command(subcommand)]
    Safety(SafetyCmd),
    /// Your medicines and how they change over time (never advice: questions for your prescriber).
    #[command(subcommand)]
    Med(MedCmd),
    /// A short self-check: what might be making it hard to cry or to feel. Not a diagnosis.
    Selfcheck(SelfcheckCmd),
    /// Short pages on why crying can become hard, and what helps.
    Guide(GuideArgs),
    /// A writing prompt for your journal.
    Prompt(PromptArgs),
    /// Start the web app on this computer (127.0.0.1 only) and open it in your browser.
    Serve(ServeArgs),
    /// Serve Thaw to many people from one server, over PostgreSQL: accounts, each person's records
    /// encrypted with a key only their passphrase opens (docs/HOSTED.md).
    Host(HostArgs),
    /// Save everything in files you can read: JSON (complete), CSV (for spreadsheets) or Markdown.
    Export(ExportArgs),
    /// Bring in what you wrote in jrnl, Daylio, Pixels or Day One, or a Thaw export.
    Import(ImportArgs),
    /// Write an encrypted backup of everything (age format, protected by a backup passphrase).
    Backup(BackupArgs),
    /// Make a new vault from a backup (the folder given by --vault or THAW_VAULT must not exist yet).
    Restore(RestoreArgs),
    /// Your own pattern over a window of days: feelings named, release, reactions, activities.
    Insights(InsightsArgs),
    /// A summary for a visit (PDF, HTML, Markdown or FHIR), and your questions for it.
    Report(ReportCmd),
    /// Check that your vault is healthy (key file, decryption, integrity, search index, permissions).
    Check(CheckArgs),
    /// Keep this vault and your hosted account in step: sends what the server lacks, brings back
    /// what it has (docs/SYNC.md). The server and name are remembered, so later just `thaw sync`.
    Sync(SyncArgs),
    /// A gentle reminder to check in, if you'd like one: a calendar file for any phone or
    /// calendar, and on a Linux desktop a notification.
    #[command(subcommand)]
    Remind(RemindCmd),
    /// Tab completion for your shell: `thaw completions bash > ~/.local/share/bash-completion/completions/thaw`.
    Completions(CompletionsArgs),
    /// The manual page: `thaw man > ~/.local/share/man/man1/thaw.1`, then `man thaw`.
    Man,
    /// Developer tools: sample data and harnesses for benchmarks and reliability tests.
    #[command(subcommand, hide = true)]
    Dev(DevCmd),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum RemindCmd {
    /// Remind you at a time of day (like 20:00), every day or on the days you choose.
    Set {
        /// The time, 24-hour: 20:00, 8:30.
        time: String,
        /// Only on these days: mon,tue,wed,thu,fri,sat,sun, or weekdays, or weekends.
        #[arg(long, value_name = "DAYS")]
        days: Option<String>,
    },
    /// No more reminders (the calendar file and the desktop timer are removed).
    Off,
    /// The reminder you have, if any.
    Show,
}

#[derive(Debug, Subcommand)]
pub enum DevCmd {
    /// Fill the vault with deterministic sample records (the reference data set by default).
    Seed {
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 10)]
        years: u32,
    },
    /// Add check-ins one by one, printing `ack ID` after each durable commit (crash harness).
    WriteLoop {
        #[arg(long, default_value_t = 1_000)]
        count: usize,
        #[arg(long, default_value = "loop")]
        note: String,
    },
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The server's address, like https://thaw.example.org (remembered after the first sync).
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// Your account's name on that server (remembered). The passphrase is asked for, or read
    /// from THAW_SYNC_PASSPHRASE; never given on the command line.
    #[arg(long, value_name = "NAME")]
    pub username: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub port: u16,
    /// Don't open a browser; just print the link.
    #[arg(long)]
    pub no_open: bool,
}

/// Where the PostgreSQL URL comes from. A URL in the command line is visible to every user of
/// the machine (in `ps`), so prefer THAW_DATABASE_URL or a file readable only by the server.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// The server role's PostgreSQL URL (postgresql://thaw_app@%2Frun%2Fpostgresql/thaw). Visible to
    /// other users of this machine while Thaw runs: prefer THAW_DATABASE_URL or --database-url-file.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// A file holding the URL (its first line), readable only by the server's user.
    #[arg(long, value_name = "FILE", conflicts_with = "database_url")]
    pub database_url_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "The database URL comes from THAW_DATABASE_URL, --database-url-file or --database-url, in that \
                  order of preference: a URL in the command line (it may hold a password) can be read by \
                  other users of the machine.\n\
                  Example: THAW_DATABASE_URL=postgresql://thaw_app@%2Frun%2Fpostgresql/thaw thaw host \
                  --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem"
)]
pub struct HostArgs {
    #[command(subcommand)]
    pub command: Option<HostCmd>,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The address and port to listen on (port 0 picks a free one).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Who may make an account: open (anyone), invite (a code from `thaw host invite`), closed.
    #[arg(long, value_name = "POLICY", default_value = "invite")]
    pub signup: thaw_web::Signup,
    /// Serve https with this certificate chain (PEM). Needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM). Needs --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto, -For and -Host
    /// (only when the proxy overwrites them and nothing else can reach this port).
    #[arg(long, conflicts_with = "tls_cert")]
    pub behind_proxy: bool,
    /// The longest a signed-in session may stay quiet, in minutes (1 to 240); each person may
    /// choose less in their settings.
    #[arg(long, value_name = "MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=240))]
    pub idle_minutes: u32,
}

#[derive(Debug, Subcommand)]
pub enum HostCmd {
    /// Print a new invitation code for `--signup invite` (single use; stored only hashed).
    Invite {
        #[command(flatten)]
        database: DatabaseArgs,
        /// How many days the code works.
        #[arg(long, value_name = "N", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=365))]
        days: u32,
    },
    /// Create or update the database schema as its owner, and grant the server's role what it
    /// needs. The owner's URL comes from THAW_OWNER_DATABASE_URL or --owner-url-file.
    Migrate {
        /// A file holding the schema owner's URL (first line).
        #[arg(long, value_name = "FILE")]
        owner_url_file: Option<PathBuf>,
        /// The role `thaw host` connects as (granted row access, nothing more).
        #[arg(long, value_name = "ROLE", default_value = "thaw_app")]
        app_role: String,
    },
}

#[derive(Debug, Args)]
pub struct UnlockArgs {
    /// How long to stay unlocked, like 15m, 2h (at most 12h).
    #[arg(long = "for", value_name = "DURATION", default_value = "15m")]
    pub duration: String,
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// Only for old scripts: a program's arguments can be read by every user of this computer
    /// and end up in your shell history. Type the words at the prompt, or pipe them in instead.
    #[arg(long, value_name = "WORDS")]
    pub recovery_key: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RecoveryCmd {
    /// Make new recovery words (shown once; `--json` prints {"recovery_key": …}). The old words
    /// stop opening this vault's key file.
    New,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Set loosened permissions back to owner-only (folder 0700, files 0600).
    #[arg(long)]
    pub fix: bool,
}

/// Options shared by every `list`.
#[derive(Debug, Args, Default, Clone)]
pub struct ListArgs {
    /// Only records on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only records on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// At most this many, newest first.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum ListOnly {
    /// List what you've recorded, newest first.
    List(ListArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CheckinCmd {
    #[command(subcommand)]
    pub list: Option<ListOnly>,
    #[command(flatten)]
    pub add: CheckinArgs,
}

#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// A feeling word, optionally with how strong it is from 0 to 10 (hurt:6). Repeat for more.
    #[arg(long = "feel", value_name = "WORD[:INTENSITY]")]
    pub feel: Vec<String>,
    /// Where you notice it in your body (tight-chest, "lump in the throat"). Repeat for more.
    #[arg(long, value_name = "SENSATION")]
    pub body: Vec<String>,
    /// Anything you want to add.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// You said the feeling aloud ("I feel …").
    #[arg(long)]
    pub said_aloud: bool,
    /// You feel nothing right now. That's a real answer.
    #[arg(long, conflicts_with = "cant_tell")]
    pub nothing: bool,
    /// You can't tell what you feel. That's a real answer too.
    #[arg(long)]
    pub cant_tell: bool,
    /// When it was, for back-filling (2025-03-05 or 2025-03-05T07:40:00+01:00).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum JournalCmd {
    /// Write a new entry (body from --body, from standard input, or your editor).
    Add(JournalAddArgs),
    /// List entries, newest first.
    List(JournalListArgs),
    /// Show one entry.
    Show { id: String },
    /// Change an entry in your editor (no plaintext copy is left on disk), or with --body.
    Edit(JournalEditArgs),
    /// Delete an entry.
    Delete {
        id: String,
        /// Don't ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Search your journal.
    Search { query: Vec<String> },
}

#[derive(Debug, Args)]
pub struct JournalAddArgs {
    #[arg(long, value_name = "TITLE")]
    pub title: String,
    /// The entry's text (Markdown). Without it: read from standard input, else your editor ($VISUAL
    /// or $EDITOR), else typed right in the terminal (end with Ctrl-D).
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Feeling words this entry is about. Repeat for more.
    #[arg(long = "feel", value_name = "WORD")]
    pub feel: Vec<String>,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// The writing prompt this entry answers (its id, from `thaw prompt`).
    #[arg(long, value_name = "ID")]
    pub prompt: Option<String>,
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// What you wrote. Without it, read from standard input.
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,
}

#[derive(Debug, Args)]
pub struct JournalListArgs {
    #[command(flatten)]
    pub list: ListArgs,
    /// Only entries with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
}

#[derive(Debug, Args)]
pub struct JournalEditArgs {
    /// The entry's id (the first 8 characters are enough).
    #[arg(required_unless_present = "title")]
    pub id: Option<String>,
    /// Without an id: edit the most recent entry with this title. With an id: give it this title.
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// Replace the text without opening an editor.
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for; all must appear (each matches the start of a word).
    #[arg(required = true)]
    pub query: Vec<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReactCmd {
    #[command(subcommand)]
    pub list: Option<ListOnly>,
    #[command(flatten)]
    pub add: ReactArgs,
}

#[derive(Debug, Args)]
pub struct ReactArgs {
    /// What happened.
    #[arg(long, value_name = "TEXT")]
    pub situation: Option<String>,
    /// How intense it was, 0 to 10.
    #[arg(long, value_name = "N")]
    pub intensity: Option<String>,
    /// How you reacted: shrugged-off, pushed-aside, humour, kept-busy, distracted, withdrew,
    /// irritable, felt-it, talked, cried, other. Repeat for more.
    #[arg(long = "style", value_name = "STYLE")]
    pub styles: Vec<String>,
    /// A feeling that may have been underneath. Repeat for more.
    #[arg(long = "felt", value_name = "WORD")]
    pub felt: Vec<String>,
    /// Looking back, without judging yourself.
    #[arg(long, value_name = "TEXT")]
    pub reflection: Option<String>,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReleaseCmd {
    #[command(subcommand)]
    pub list: Option<ListOnly>,
    #[command(flatten)]
    pub add: ReleaseArgs,
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// cried, teared-up, almost-cried, laughed, moved, vented, shook, other.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// How strong it was, 0 to 10.
    #[arg(long, value_name = "N")]
    pub intensity: Option<String>,
    /// What came before.
    #[arg(long, value_name = "TEXT")]
    pub before: Option<String>,
    /// How much relief you felt afterwards, 0 to 10.
    #[arg(long, value_name = "N")]
    pub relief: Option<String>,
    /// The id of an activity, reaction or journal entry it followed.
    #[arg(long, value_name = "ID")]
    pub after_record: Option<String>,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ActivityCmd {
    #[command(subcommand)]
    pub list: Option<ListOnly>,
    #[command(flatten)]
    pub add: ActivityArgs,
}

#[derive(Debug, Args)]
pub struct ActivityArgs {
    /// exercise, walking, painting, music, singing, writing, dancing, other.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    #[arg(long, value_name = "N")]
    pub minutes: Option<String>,
    /// How strongly you felt things before, 0 to 10.
    #[arg(long, value_name = "N")]
    pub before: Option<String>,
    /// How strongly you felt things after, 0 to 10.
    #[arg(long, value_name = "N")]
    pub after: Option<String>,
    /// Where: a place that feels safe to you.
    #[arg(long, value_name = "PLACE")]
    pub place: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PeopleCmd {
    /// Add someone you trust.
    Add {
        name: String,
        /// How you reach them (phone, text, in person …).
        #[arg(long, value_name = "HOW")]
        reach: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// List the people you trust.
    List(ListArgs),
    /// Ways to start a conversation, from light to open, to copy and make your own.
    Starters {
        /// light, medium or open.
        #[arg(long, value_name = "LEVEL")]
        level: Option<String>,
    },
    /// Note that you talked with someone on your list, and how it went.
    Talked(TalkedArgs),
    /// The conversations you've noted, newest first.
    Log(ListArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct WordsCmd {
    #[command(subcommand)]
    pub add: Option<WordsAdd>,
    /// Only words of this family: sad, scared, angry, glad, strong, calm or numb (any word of a
    /// family's title works, as shown by `thaw words`).
    #[arg(long, value_name = "FAMILY")]
    pub family: Option<String>,
    /// Only the words you added yourself.
    #[arg(long)]
    pub mine: bool,
}

#[derive(Debug, Subcommand)]
pub enum WordsAdd {
    /// Add a word of your own.
    Add {
        word: String,
        /// Its family: sad, scared, angry, glad, strong, calm or numb.
        #[arg(long, value_name = "FAMILY")]
        family: String,
        /// What it means to you, in one sentence.
        #[arg(long, value_name = "TEXT")]
        meaning: String,
        /// How pleasant, -1 to 1 (default: the family's usual).
        #[arg(long, allow_hyphen_values = true)]
        valence: Option<f64>,
        /// How much energy, -1 to 1 (default: the family's usual).
        #[arg(long, allow_hyphen_values = true)]
        energy: Option<f64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Change a setting: country (two letters, like GB).
    Set { key: String, value: String },
    /// Show one setting.
    Get { key: String },
    /// Show all settings.
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Everything, re-importable with `thaw import thaw` (schema in docs/EXPORT.md).
    Json,
    /// One spreadsheet file per kind of record, in the folder given by -o.
    Csv,
    /// Your journal and notes as one readable document.
    #[value(alias = "markdown")]
    Md,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,
    /// The file to write (for csv: a folder, created if missing).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: PathBuf,
    /// Replace files that already exist.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFrom {
    /// jrnl: its JSON export (jrnl --format json) or its plain-text journal file.
    Jrnl,
    /// Daylio: its CSV export.
    Daylio,
    /// Pixels (Year in Pixels): its JSON export.
    Pixels,
    /// Day One: Journal.json from its zipped JSON export.
    #[value(alias = "day-one")]
    Dayone,
    /// A Thaw JSON export (thaw export --format json).
    Thaw,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(value_enum, value_name = "APP")]
    pub from: ImportFrom,
    /// The exported file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write. The backup passphrase comes from THAW_BACKUP_PASSPHRASE or a prompt.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the file if it already exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup written by `thaw backup`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}
