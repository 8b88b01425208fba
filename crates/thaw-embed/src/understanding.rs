//! What an edge holds: the risk check and the word suggestions over one model, loaded at most once
//! — lazily on the first text that needs it (the CLI), or ahead of time on a thread of its own
//! (`thaw serve`) — and the adapter through which every save's safety follow-up in thaw-app uses
//! it (`impl thaw_app::RiskCheck`, feature `app`).
//!
//! Why the adapter lives here: thaw-app stays free of candle and of the model (it knows only its
//! `RiskCheck` trait, with the phrase layer as the default). thaw-embed depends on thaw-app only
//! behind its `app` feature, which the edges (which depend on both) turn on, so the evaluation and
//! the benchmarks build without the store. The edges hand an [`Understanding`] to
//! `App::with_risk_check`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use thaw_core::safety::risk::RiskMatch;
use thaw_core::vocab::Emotion;

use crate::{Busy, EmbedError, GateConfig, Model, SafetyNet, Suggester, Suggestion};

/// Said once when the model isn't installed: the phrase layer still works, understanding is less.
pub const MISSING_NOTE: &str = "Thaw's on-device language model isn't installed here, so what you write is checked only for certain phrases and no words are suggested. Everything else works as usual; scripts/fetch-model installs it.";

/// Said once when the model first has to prepare its own texts (the first use after installing).
pub const PREPARING_NOTE: &str =
    "Getting Thaw's language model ready on this computer. This happens only once and takes under a minute…";

/// Said when words were asked for while the model stayed busy with other texts ([`crate::gate`]).
pub const BUSY_NOTE: &str = "Thaw is busy just now, so no words were found this time. Try again in a moment.";

/// Where to find the model.
#[derive(Debug, Clone)]
enum Source {
    /// The usual places ([`crate::model_dir_candidates`]), with the person's data folder.
    Find(Option<PathBuf>),
    /// Exactly this folder.
    Dir(PathBuf),
}

/// The loaded parts (or, without the model, the phrase layer and the reason).
#[derive(Debug)]
struct Loaded {
    net: SafetyNet,
    model: Option<Arc<Model>>,
    suggester: OnceLock<Result<Suggester, String>>,
}

/// The risk check and word suggestions an edge uses, over a model loaded at most once, behind
/// the model's gate ([`crate::gate`]: a few encodes at once, a bounded wait, then the phrase layer
/// alone for that text).
pub struct Understanding {
    source: Source,
    gate: GateConfig,
    notice: Option<crate::Notice>,
    loaded: OnceLock<Loaded>,
}

impl std::fmt::Debug for Understanding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Understanding")
            .field("source", &self.source)
            .field("gate", &self.gate)
            .field("loaded", &self.loaded)
            .finish_non_exhaustive()
    }
}

impl Understanding {
    /// Looks in the usual places, `data_dir/models/…` among them; nothing is loaded yet.
    pub fn find(data_dir: Option<&Path>) -> Understanding {
        Understanding {
            source: Source::Find(data_dir.map(Path::to_owned)),
            gate: GateConfig::default(),
            notice: None,
            loaded: OnceLock::new(),
        }
    }

    /// Uses exactly the model in `dir`; nothing is loaded yet.
    pub fn in_dir(dir: &Path) -> Understanding {
        Understanding {
            source: Source::Dir(dir.to_owned()),
            gate: GateConfig::default(),
            notice: None,
            loaded: OnceLock::new(),
        }
    }

    /// The same, behind a gate of another size (before anything is loaded; tests use a short
    /// wait). The default is [`GateConfig::default`].
    pub fn with_gate(mut self, gate: GateConfig) -> Understanding {
        self.gate = gate;
        self
    }

    /// Calls `notice` once if loading has to prepare the model's own texts afresh (their cache
    /// files aren't there: the first use after installing, under a minute), so the edge can
    /// say why it is slow. Set before anything is loaded.
    pub fn with_notice(mut self, notice: impl Fn() + Send + Sync + 'static) -> Understanding {
        self.notice = Some(Arc::new(notice));
        self
    }

    /// The size of the model's gate.
    pub fn gate(&self) -> GateConfig {
        self.gate
    }

    /// What the model's gate turned away since it loaded: risk checks answered by the phrase
    /// layer alone, and suggestions that found none, because the model was busy. Counts only;
    /// zero while the model isn't loaded (or isn't there).
    pub fn busy(&self) -> Busy {
        self.loaded.get().and_then(|l| l.model.as_ref()).map(|m| m.busy()).unwrap_or_default()
    }

    /// Takes `n` slots of the loaded model's gate until the result is dropped, as if other texts
    /// were being encoded (for tests of a busy model). `None` without the model.
    #[doc(hidden)]
    pub fn hold_slots(&self, n: usize) -> Option<crate::gate::Held<'_>> {
        self.loaded().model.as_ref().and_then(|m| m.hold_slots(n).ok())
    }

    /// Loads the model now, if it isn't loaded yet (callers at the same time wait for it).
    /// Returns whether the semantic layer is on.
    pub fn load(&self) -> bool {
        self.loaded().model.is_some()
    }

    /// Loads the model and gets word suggestions ready too (a server does this on a thread of its
    /// own as it starts, so neither the first save nor the first suggestion waits, and the cache
    /// files a later `thaw` command reads are written). Returns whether the semantic layer is on.
    pub fn prepare(&self) -> bool {
        let loaded = self.loaded();
        if let Some(model) = &loaded.model {
            let _ = Self::suggester(loaded, model);
        }
        loaded.model.is_some()
    }

    fn suggester<'a>(loaded: &'a Loaded, model: &Arc<Model>) -> &'a Result<Suggester, String> {
        loaded.suggester.get_or_init(|| {
            Suggester::new(model.clone(), thaw_core::vocab::vocabulary()).map_err(|e| e.to_string())
        })
    }

    /// Whether the model was loaded (or found missing) already. Nothing is loaded by asking.
    pub fn is_loaded(&self) -> bool {
        self.loaded.get().is_some()
    }

    fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| {
            let model = match &self.source {
                Source::Find(data) => {
                    crate::find_model_dir(data.as_deref()).and_then(|dir| Model::load_with(&dir, self.gate))
                }
                Source::Dir(dir) => Model::load_with(dir, self.gate),
            };
            match model {
                Ok(m) => {
                    if let Some(notice) = &self.notice {
                        m.set_notice(notice.clone());
                    }
                    let m = Arc::new(m);
                    let net = SafetyNet::with_model(m.clone());
                    let model = net.model_available().then_some(m);
                    Loaded { net, model, suggester: OnceLock::new() }
                }
                Err(e) => {
                    Loaded { net: SafetyNet::phrase_only(Some(e)), model: None, suggester: OnceLock::new() }
                }
            }
        })
    }

    /// Why the semantic layer is off, once loading was tried (`None` while it is on, or before).
    pub fn unavailable(&self) -> Option<&EmbedError> {
        self.loaded.get().and_then(|l| l.net.unavailable())
    }

    /// The whole risk check of `text` (loads the model when the text has a letter).
    pub fn check(&self, text: &str) -> crate::RiskCheck {
        if !text.chars().any(char::is_alphabetic) {
            let model_available = self.loaded.get().is_some_and(|l| l.model.is_some());
            return crate::RiskCheck { model_available, ..Default::default() };
        }
        self.loaded().net.check(text)
    }

    /// Up to five words that might fit `text`, best first, from the shipped vocabulary and
    /// `personal` (the person's own words). Without the model: [`EmbedError::Missing`] (or the
    /// reason it couldn't load); while the model stays busy for the gate's whole wait:
    /// [`EmbedError::Busy`].
    pub fn suggest(&self, text: &str, personal: &[Emotion]) -> Result<Vec<Suggestion>, EmbedError> {
        if !text.chars().any(char::is_alphabetic) {
            return Ok(Vec::new());
        }
        let loaded = self.loaded();
        let Some(model) = &loaded.model else {
            return Err(match loaded.net.unavailable() {
                Some(e) => EmbedError::Run(e.to_string()),
                None => EmbedError::Missing { looked: Vec::new() },
            });
        };
        match Self::suggester(loaded, model) {
            Ok(s) => s.suggest(text, personal),
            Err(e) => Err(EmbedError::Run(e.clone())),
        }
    }
}

/// The hook of thaw-app (feature "app"): every save's follow-up asks this. A phrase hit is a match of its phrase
/// group; a semantic hit is a match of its risk kind (`plan-means` …), at its sentence's first
/// word, so an edit brings support again only for a kind it newly added.
#[cfg(feature = "app")]
impl thaw_app::RiskCheck for Understanding {
    fn scan(&self, text: &str) -> Vec<RiskMatch> {
        self.check(text).to_matches(text)
    }
}

/// The same hook over an already built net (for callers that hold one).
#[cfg(feature = "app")]
impl thaw_app::RiskCheck for SafetyNet {
    fn scan(&self, text: &str) -> Vec<RiskMatch> {
        self.check(text).to_matches(text)
    }
}

impl crate::RiskCheck {
    /// The hits as thaw-core's phrase matches (the shape thaw-app's follow-ups read).
    pub fn to_matches(&self, text: &str) -> Vec<RiskMatch> {
        let starts = crate::safety::sentence_first_words(text, &crate::sentences::split(text));
        self.hits
            .iter()
            .map(|h| RiskMatch {
                phrase: h.kind.clone(),
                about: h.about,
                word: h.sentence.and_then(|i| starts.get(i).copied()).unwrap_or(0),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_the_model_the_phrase_layer_answers_and_says_why() {
        let u = Understanding::in_dir(Path::new("/nonexistent/thaw-model"));
        assert!(!u.is_loaded());
        // Text without a letter never loads anything.
        assert!(u.check("  12 …").hits.is_empty());
        assert!(!u.is_loaded());
        let found = u.check("some days i just want to die");
        assert!(found.is_hit() && !found.to_matches("some days i just want to die").is_empty());
        assert!(u.is_loaded() && !u.load());
        assert!(u.unavailable().is_some_and(|e| e.to_string().contains("scripts/fetch-model")));
        assert!(u.suggest("I felt flat all day.", &[]).is_err());
        assert!(u.suggest("   ", &[]).expect("nothing to do").is_empty());
    }
}
