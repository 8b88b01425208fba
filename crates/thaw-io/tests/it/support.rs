use jiff::tz::TimeZone;
use thaw_core::Record;
use thaw_io::import::{Context, Source};
use thaw_io::{ExportMeta, ImportError, ImportPlan, ThawExport};
use thaw_store::{SqliteStore, VaultDir};
use thaw_vault::{KdfParams, Passphrase};

/// A new, empty encrypted vault (cheap key derivation: these tests are about content).
pub fn new_store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = VaultDir::new(dir.path().join("v"));
    let params = KdfParams::new(1024, 1, 1).expect("params");
    let (store, _) = vault.create(&Passphrase::new("io test passphrase".into()), params).expect("create");
    (dir, store)
}

pub fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses with the shipped vocabulary, in UTC.
pub fn parse(source: Source, text: &str) -> Result<ImportPlan, ImportError> {
    parse_in(source, text, &TimeZone::UTC)
}

pub fn parse_in(source: Source, text: &str, tz: &TimeZone) -> Result<ImportPlan, ImportError> {
    source.parse(text, &Context { vocab: thaw_core::vocabulary(), tz })
}

pub fn meta(at: &str) -> ExportMeta {
    ExportMeta { exported_at: at.parse::<jiff::Timestamp>().unwrap().into(), app_version: "test".into() }
}

/// The JSON export of a store as text.
pub fn export_json(store: &SqliteStore, at: &str) -> String {
    let doc = ThawExport::from_store(store, &meta(at)).unwrap();
    String::from_utf8(doc.write_json(Vec::new()).unwrap()).unwrap()
}

pub fn by_title<'a>(records: &'a [Record], title: &str) -> &'a Record {
    records
        .iter()
        .find(|r| matches!(&r.body, thaw_core::RecordBody::Journal(j) if j.title == title))
        .unwrap_or_else(|| panic!("no entry titled {title}"))
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
