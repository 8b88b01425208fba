//! Everything out, and records in from other apps: the JSON export that every edge offers (the
//! CLI's `thaw export`, a hosted account's download) and the importers, behind one flow each.
//! Imported text is history, not something just written, so it brings no safety follow-up.

use thaw_io::import::{Context, Source};
use thaw_io::{ExportMeta, ImportReport, ThawExport};

use crate::{App, AppError};

impl App<'_> {
    /// Every record and setting, as `thaw export --format json` writes them, stamped now.
    pub fn export(&self) -> Result<ThawExport, AppError> {
        let meta =
            ExportMeta { exported_at: self.clock.now, app_version: env!("CARGO_PKG_VERSION").to_owned() };
        Ok(ThawExport::from_store(self.store, &meta)?)
    }

    /// Checks the whole file first, then adds everything new in one transaction. A file that
    /// can't be read as `source` changes nothing.
    pub fn import(&self, source: Source, text: &str) -> Result<ImportReport, AppError> {
        let vocab = self.vocabulary()?;
        let plan = source
            .parse(text, &Context { vocab: &vocab, tz: &self.clock.tz })
            .map_err(|e| AppError::Import { source_name: source.name(), problem: e.to_string() })?;
        Ok(thaw_io::apply(self.store, plan)?)
    }
}
