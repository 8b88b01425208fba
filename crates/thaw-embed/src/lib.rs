//! On-device sentence embeddings for Thaw: all-MiniLM-L6-v2 (384 dimensions, uncased WordPiece,
//! mean pooling, L2-normalised) run by candle on the CPU, from files on disk. Nothing is ever
//! fetched at run time: when the files are missing, [`Model::load`] returns
//! [`EmbedError::Missing`], whose message says how to get them (`scripts/fetch-model`).
//!
//! Built on it: [`SafetyNet`], the risk check with its two layers (the phrase list of
//! `thaw-core`, always; the semantic layer, when the model is loaded), and [`Suggester`], "words
//! that might fit" from the emotion vocabulary. The model sits behind a [`gate`]: a few encodes
//! at once on a pool of cores − 1 threads, a bounded wait, then the phrase layer alone for that
//! text, so a busy server keeps a core for everything else.
//!
//! Where the model is looked for ([`model_dir_candidates`]), first found wins:
//! 1. `$THAW_MODEL_DIR` (only there, when it is set);
//! 2. `<data dir>/models/all-minilm-l6-v2`, when the caller passes its data folder;
//! 3. `models/all-minilm-l6-v2` and `share/thaw/models/all-minilm-l6-v2` in the folder of the
//!    running executable and in up to three folders above it (so an install that puts `models/`
//!    next to the binary works, and so does `target/release/thaw` inside a checkout).

mod bert;
mod cache;
#[doc(hidden)]
pub mod eval;
pub mod gate;
#[doc(hidden)]
pub mod learn;
pub mod safety;
pub mod sentences;
pub mod suggest;
pub mod tokenizer;
mod understanding;
mod weights;

use std::path::{Path, PathBuf};

use candle_core::{DType, Tensor};
use candle_nn::VarBuilder;

pub use gate::{Busy, GateConfig};
pub use safety::{Layer, RiskCheck, RiskHit, SafetyNet};
pub use suggest::{Suggester, Suggestion};
use tokenizer::WordPiece;
pub use understanding::{BUSY_NOTE, MISSING_NOTE, PREPARING_NOTE, Understanding};

/// Size of one embedding.
pub const DIM: usize = 384;
/// One sentence's meaning: a unit-length vector.
pub type Embedding = [f32; DIM];
/// The encoder's earlier layers the risk check reads beside the last (docs/SAFETY.md, "The same
/// reader, read deeper"): layers 1 to 5 of six.
pub const DEPTH_LAYERS: std::ops::RangeInclusive<usize> = 1..=5;
/// Size of a sentence's [`Depth`].
pub const DEPTH: usize = (*DEPTH_LAYERS.end() - *DEPTH_LAYERS.start() + 1) * DIM;
/// A sentence's earlier layers ([`DEPTH_LAYERS`]), each mean-pooled and scaled to length 1, one
/// after another ([`DEPTH`] values). The encoder computes them on its way to the last layer.
pub type Depth = Vec<f32>;

/// The environment variable naming the model folder.
pub const MODEL_DIR_ENV: &str = "THAW_MODEL_DIR";
/// The folder name the model lives under.
pub const MODEL_NAME: &str = "all-minilm-l6-v2";
/// The files a model folder must hold.
pub const MODEL_FILES: [&str; 3] = ["config.json", "vocab.txt", "model.safetensors"];

/// Longest input in tokens (all-MiniLM-L6-v2 was trained with 256); longer text is cut.
const MAX_TOKENS: usize = 256;
/// Sentences run through the encoder together.
const BATCH: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(
        "the on-device language model isn't installed (looked in {}). Run scripts/fetch-model, or set THAW_MODEL_DIR to the folder that holds config.json, vocab.txt and model.safetensors",
        looked_in(.looked)
    )]
    Missing { looked: Vec<PathBuf> },
    #[error(
        "the language model folder {} has no {file}. Run scripts/fetch-model again, or point THAW_MODEL_DIR at a complete copy",
        .dir.display()
    )]
    Incomplete { dir: PathBuf, file: &'static str },
    #[error("the language model files in {} can't be used: {reason}. Run scripts/fetch-model again", .dir.display())]
    Invalid { dir: PathBuf, reason: String },
    #[error("the language model failed while reading text: {0}")]
    Run(String),
    /// Every slot of the model gate stayed taken for the whole wait ([`gate`]).
    #[error("the on-device language model is busy with other texts just now; try again in a moment")]
    Busy,
}

impl EmbedError {
    fn invalid(dir: &Path, reason: impl std::fmt::Display) -> EmbedError {
        EmbedError::Invalid { dir: dir.to_owned(), reason: reason.to_string() }
    }
}

fn looked_in(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "nowhere".to_owned();
    }
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// The first `n` bytes of a file (fewer if it is shorter) and its length.
fn file_head(path: &Path, n: u64) -> std::io::Result<(Vec<u8>, usize)> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let mut head = Vec::new();
    file.take(n).read_to_end(&mut head)?;
    Ok((head, usize::try_from(len).unwrap_or(usize::MAX)))
}

/// Where the model may be, in the order they are tried (see the crate docs).
pub fn model_dir_candidates(data_dir: Option<&Path>) -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os(MODEL_DIR_ENV).filter(|d| !d.is_empty()) {
        return vec![PathBuf::from(dir)];
    }
    let mut out = Vec::new();
    if let Some(data) = data_dir {
        out.push(data.join("models").join(MODEL_NAME));
    }
    if let Some(exe_dir) = std::env::current_exe().ok().as_deref().and_then(Path::parent) {
        for dir in exe_dir.ancestors().take(4) {
            out.push(dir.join("models").join(MODEL_NAME));
            out.push(dir.join("share").join("thaw").join("models").join(MODEL_NAME));
        }
    }
    out
}

/// The first candidate folder that holds a model.
pub fn find_model_dir(data_dir: Option<&Path>) -> Result<PathBuf, EmbedError> {
    let looked = model_dir_candidates(data_dir);
    looked
        .iter()
        .find(|d| d.join("model.safetensors").is_file())
        .cloned()
        .ok_or(EmbedError::Missing { looked })
}

/// The sentences of one text and their meanings, as [`Model::encode_sentences`] returns them.
#[derive(Debug, Clone, Default)]
pub struct Encoded {
    /// Each sentence as a byte range of the text, in [`sentences::split`] order.
    pub ranges: Vec<std::ops::Range<usize>>,
    pub vectors: Vec<Embedding>,
    /// Each sentence's earlier layers, in the same order.
    pub depth: Vec<Depth>,
}

impl Encoded {
    /// The sentences, as slices of `text` (the text that was encoded).
    pub fn parts<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.ranges.iter().filter_map(|r| text.get(r.clone())).collect()
    }
}

/// Sentences whose vectors are kept, so that the risk check and the word suggestions of one save
/// (and the check of an edit against the text before it) run the encoder once per sentence. Kept
/// in memory only, under a keyed hash of the sentence, never the sentence itself.
const RECENT: usize = 256;

thread_local! {
    /// Whose sentences this thread is reading ([`with_cache_scope`]); `None`: the process's own.
    static SCOPE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with the sentence vectors that [`Model::encode_sentences`] keeps scoped to `scope`: a
/// hosted server passes the signed-in account, so a sentence one account wrote is never found
/// kept by another, and how fast a save is tells nothing about what anyone else wrote lately.
/// Without a scope (`None`, one person's vault), one set of kept vectors serves the process. The
/// scope holds for this thread until `f` returns (the web edge runs each flow on one thread).
pub fn with_cache_scope<T>(scope: Option<&str>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<String>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let before = self.0.take();
            SCOPE.with(|s| *s.borrow_mut() = before);
        }
    }
    let _restore = Restore(SCOPE.with(|s| s.replace(scope.map(str::to_owned))));
    f()
}

/// The kept sentence vectors, the one unused the longest first out.
#[derive(Default)]
struct Recent {
    vectors: std::collections::HashMap<(u64, usize), (Embedding, Depth)>,
    order: std::collections::VecDeque<(u64, usize)>,
}

/// A text's sentences and their vectors ([`Model::embed_shipped_sentences`]).
pub type SentencesOf<'t> = (Vec<&'t str>, Vec<Embedding>);

/// A loaded all-MiniLM-L6-v2.
pub struct Model {
    bert: bert::Bert,
    vocab: WordPiece,
    dir: PathBuf,
    key: u64,
    runs: std::sync::atomic::AtomicUsize,
    hasher: std::hash::RandomState,
    recent: std::sync::Mutex<Recent>,
    gate: gate::Gate,
    /// Taken and called before the first of Thaw's own texts has to be encoded because its cache
    /// file isn't there yet (a fresh install: under a minute of work, once).
    notice: std::sync::Mutex<Option<Notice>>,
}

/// What an edge does when the model starts a long first preparation ([`Understanding::with_notice`]).
pub type Notice = std::sync::Arc<dyn Fn() + Send + Sync>;

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").field("dir", &self.dir).field("vocab", &self.vocab.len()).finish()
    }
}

impl Model {
    /// Loads the model from the first folder [`find_model_dir`] finds.
    pub fn find_and_load(data_dir: Option<&Path>) -> Result<Model, EmbedError> {
        Model::load(&find_model_dir(data_dir)?)
    }

    /// Loads the model from `dir` (config.json, vocab.txt, model.safetensors), with the default
    /// gate ([`GateConfig::default`]).
    pub fn load(dir: &Path) -> Result<Model, EmbedError> {
        Model::load_with(dir, GateConfig::default())
    }

    /// Loads the model from `dir`, behind a gate of the given size ([`gate`]).
    pub fn load_with(dir: &Path, gate: GateConfig) -> Result<Model, EmbedError> {
        for file in MODEL_FILES {
            if !dir.join(file).is_file() {
                if !dir.is_dir() {
                    return Err(EmbedError::Missing { looked: vec![dir.to_owned()] });
                }
                return Err(EmbedError::Incomplete { dir: dir.to_owned(), file });
            }
        }
        let read = |file: &str| {
            std::fs::read(dir.join(file)).map_err(|e| EmbedError::invalid(dir, format!("{file}: {e}")))
        };
        let config: bert::Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| EmbedError::invalid(dir, format!("config.json: {e}")))?;
        if config.hidden_size != DIM
            || config.num_attention_heads == 0
            || !config.hidden_size.is_multiple_of(config.num_attention_heads)
            || config.hidden_act != "gelu"
        {
            return Err(EmbedError::invalid(
                dir,
                "config.json doesn't describe all-MiniLM-L6-v2 (384 dimensions, gelu)",
            ));
        }
        let vocab_bytes = read("vocab.txt")?;
        let vocab_text = std::str::from_utf8(&vocab_bytes)
            .map_err(|_| EmbedError::invalid(dir, "vocab.txt isn't UTF-8"))?;
        let vocab = WordPiece::from_vocab(vocab_text).map_err(|e| EmbedError::invalid(dir, e))?;
        if vocab.len() != config.vocab_size {
            return Err(EmbedError::invalid(dir, "vocab.txt doesn't match config.json"));
        }
        let weights_path = dir.join("model.safetensors");
        let bad_weights =
            |e: &dyn std::fmt::Display| EmbedError::invalid(dir, format!("model.safetensors: {e}"));
        // The cache key: the file's first 64 KiB (its header and first weights) and its length.
        let (head, weights_len) = file_head(&weights_path, 1 << 16).map_err(|e| bad_weights(&e))?;
        let key = cache::fingerprint(&[&head, vocab_text.as_bytes()], weights_len);
        let device = bert::cpu();
        let tensors = match weights::read(&weights_path, &device).map_err(|e| bad_weights(&e))? {
            Some(tensors) => tensors,
            // Weights of another type: read whole, then converted below.
            None => candle_core::safetensors::load_buffer(&read("model.safetensors")?, &device)
                .map_err(|e| bad_weights(&e))?,
        };
        // Some exports prefix every name with "bert."; accept both.
        let tensors = tensors
            .into_iter()
            .map(|(k, v)| (k.strip_prefix("bert.").map(str::to_owned).unwrap_or(k), v.to_dtype(DType::F32)))
            .map(|(k, v)| v.map(|v| (k, v)))
            .collect::<candle_core::Result<std::collections::HashMap<_, _>>>()
            .map_err(|e| EmbedError::invalid(dir, e))?;
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let bert = bert::Bert::load(&vb, &config)
            .map_err(|e| EmbedError::invalid(dir, format!("model.safetensors: {e}")))?;
        Ok(Model {
            bert,
            vocab,
            dir: dir.to_owned(),
            key,
            runs: std::sync::atomic::AtomicUsize::new(0),
            hasher: std::hash::RandomState::new(),
            recent: std::sync::Mutex::new(Recent::default()),
            gate: gate::Gate::new(gate),
            notice: std::sync::Mutex::new(None),
        })
    }

    /// The folder the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The WordPiece tokenizer.
    pub fn tokenizer(&self) -> &WordPiece {
        &self.vocab
    }

    /// How many times the encoder has run (batches), for tests that check it wasn't needed.
    pub fn runs(&self) -> usize {
        self.runs.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The size of the model's gate.
    pub fn gate(&self) -> GateConfig {
        self.gate.config()
    }

    /// What the gate turned away since the model loaded (counts only).
    pub fn busy(&self) -> Busy {
        self.gate.busy()
    }

    pub(crate) fn skipped_check(&self) {
        self.gate.skipped_check();
    }

    pub(crate) fn skipped_suggestion(&self) {
        self.gate.skipped_suggestion();
    }

    /// Takes `n` slots of the gate until the result is dropped, as if other texts were being
    /// encoded (for tests of a busy model); [`EmbedError::Busy`] if they don't come free in time.
    #[doc(hidden)]
    pub fn hold_slots(&self, n: usize) -> Result<gate::Held<'_>, EmbedError> {
        self.gate.hold(n)
    }

    /// The meaning of each text, in order (texts longer than 256 tokens are cut). Runs on the
    /// model's threads, without taking a slot of the gate: for Thaw's own texts and for
    /// evaluation; what a person wrote goes through [`Model::encode_sentences`].
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>, EmbedError> {
        Ok(self.gate.compute(|| self.embed_here(texts, false))?.into_iter().map(|(v, _)| v).collect())
    }

    /// [`Model::embed`] with each text's [`Depth`] beside its meaning (as the risk check reads
    /// a sentence).
    pub fn embed_deep(&self, texts: &[&str]) -> Result<Vec<(Embedding, Depth)>, EmbedError> {
        self.gate.compute(|| self.embed_here(texts, true))
    }

    /// The meaning of each text, and its depth when `deep` (else an empty one).
    fn embed_here(&self, texts: &[&str], deep: bool) -> Result<Vec<(Embedding, Depth)>, EmbedError> {
        let encoded: Vec<Vec<u32>> = texts.iter().map(|t| self.vocab.encode(t, MAX_TOKENS)).collect();
        // Similar lengths together, so little of each batch is padding.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| encoded[i].len());
        let mut out = vec![([0f32; DIM], Depth::new()); texts.len()];
        for chunk in order.chunks(BATCH) {
            let vectors = self
                .run(chunk.iter().map(|&i| &encoded[i][..]), deep)
                .map_err(|e| EmbedError::Run(e.to_string()))?;
            for (&i, v) in chunk.iter().zip(vectors) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// For each text, the mean-pooled vector (length 1) after the embeddings and after each
    /// layer (seven with this model, the last being [`Model::embed`]'s), then the max-pooled last
    /// layer. Not used by the check: for the experiment in examples/layers.rs.
    #[doc(hidden)]
    pub fn embed_layers(&self, texts: &[&str]) -> Result<Vec<Vec<Vec<f32>>>, EmbedError> {
        let encoded: Vec<Vec<u32>> = texts.iter().map(|t| self.vocab.encode(t, MAX_TOKENS)).collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| encoded[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        let run = |chunk: &[usize]| -> candle_core::Result<Vec<Vec<Vec<f32>>>> {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| &encoded[i][..]).collect();
            let (ids, mask) = padded(&batch)?;
            let layers = self.bert.forward_layers(&ids, &mask)?;
            let mut per: Vec<Vec<Vec<f32>>> = vec![Vec::new(); chunk.len()];
            let last = layers.last().map(|h| bert::max_pool_normalised(h, &mask)).transpose()?;
            let pooled: Vec<Tensor> = layers
                .iter()
                .map(|h| bert::mean_pool_normalised(h, &mask))
                .chain(last.map(Ok))
                .collect::<Result<_, _>>()?;
            for p in pooled {
                for (j, row) in p.to_vec2::<f32>()?.into_iter().enumerate() {
                    per[j].push(row);
                }
            }
            Ok(per)
        };
        for chunk in order.chunks(BATCH) {
            let per = run(chunk).map_err(|e| EmbedError::Run(e.to_string()))?;
            for (&i, v) in chunk.iter().zip(per) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// The meaning of one text.
    pub fn embed_one(&self, text: &str) -> Result<Embedding, EmbedError> {
        Ok(self.embed(&[text])?.into_iter().next().unwrap_or([0.0; DIM]))
    }

    /// The sentences of `text` ([`sentences::split`]) and their meanings. The vectors of recent
    /// sentences are kept in memory (under a keyed hash of the sentence and the thread's
    /// [`with_cache_scope`], never the text), so a risk check and word suggestions for the same
    /// text, or the check of an edit, encode each sentence once.
    ///
    /// Sentences not kept need the encoder, and so a slot of the model's gate ([`gate`]): when
    /// none comes free within the gate's wait, [`EmbedError::Busy`] (nothing was encoded).
    pub fn encode_sentences(&self, text: &str) -> Result<Encoded, EmbedError> {
        use std::hash::BuildHasher;
        let parts = sentences::split(text);
        let base = text.as_ptr() as usize;
        let ranges: Vec<std::ops::Range<usize>> = parts
            .iter()
            .map(|p| {
                let start = p.as_ptr() as usize - base;
                start..start + p.len()
            })
            .collect();
        // Keyed by the scope too ([`with_cache_scope`]): another account's sentence is never "kept".
        let keys: Vec<(u64, usize)> = SCOPE.with(|scope| {
            let scope = scope.borrow();
            parts.iter().map(|p| (self.hasher.hash_one((scope.as_deref(), p)), p.len())).collect()
        });
        let lock = || self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let known: Vec<Option<(Embedding, Depth)>> = {
            let mut recent = lock();
            let known: Vec<Option<(Embedding, Depth)>> =
                keys.iter().map(|k| recent.vectors.get(k).cloned()).collect();
            // A sentence used again stays longest (a note written on many days, the text of an
            // entry checked and then given words).
            for (k, v) in keys.iter().zip(&known) {
                if v.is_some()
                    && let Some(at) = recent.order.iter().position(|o| o == k)
                    && let Some(k) = recent.order.remove(at)
                {
                    recent.order.push_back(k);
                }
            }
            known
        };
        // Each sentence not known yet, once (a sentence written twice is encoded once).
        let mut fresh: std::collections::HashMap<(u64, usize), (Embedding, Depth)> =
            std::collections::HashMap::new();
        let mut todo: Vec<usize> = Vec::new();
        let mut queued = std::collections::HashSet::new();
        for (i, k) in keys.iter().enumerate() {
            if known[i].is_none() && queued.insert(*k) {
                todo.push(i);
            }
        }
        if !todo.is_empty() {
            let texts: Vec<&str> = todo.iter().map(|&i| parts[i]).collect();
            let permit = self.gate.enter()?;
            let vectors = self.embed_deep(&texts);
            drop(permit);
            let vectors = vectors?;
            let mut recent = lock();
            for (&i, v) in todo.iter().zip(vectors) {
                fresh.insert(keys[i], v.clone());
                if recent.vectors.insert(keys[i], v).is_none() {
                    recent.order.push_back(keys[i]);
                }
            }
            while recent.order.len() > RECENT {
                if let Some(old) = recent.order.pop_front() {
                    recent.vectors.remove(&old);
                }
            }
        }
        let (vectors, depth) = keys
            .iter()
            .zip(known)
            .map(|(k, v)| v.or_else(|| fresh.get(k).cloned()).unwrap_or(([0.0; DIM], Depth::new())))
            .unzip();
        Ok(Encoded { ranges, vectors, depth })
    }

    /// Calls `notice` once, before the first of Thaw's own texts has to be encoded afresh (their
    /// cache files aren't there yet): the edge can tell the person why this first save is slow.
    pub fn set_notice(&self, notice: Notice) {
        *self.notice.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(notice);
    }

    /// A cache file was missing: says so through the notice, once per process (it is taken).
    pub(crate) fn preparing(&self) {
        let notice = self.notice.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(notice) = notice {
            notice();
        }
    }

    /// Forgets the kept sentence vectors (for benchmarks that measure a first encode).
    #[doc(hidden)]
    pub fn forget_recent(&self) {
        let mut recent = self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        recent.vectors.clear();
        recent.order.clear();
    }

    /// Like [`Model::embed`], but keeps the results in a file next to the model (or skips the file
    /// when the folder can't be written). Only for Thaw's own texts (exemplars, the shipped
    /// vocabulary): never call it with what a person wrote.
    pub fn embed_shipped(&self, name: &str, texts: &[&str]) -> Result<Vec<Embedding>, EmbedError> {
        cache::embed_cached(self, name, texts)
    }

    /// Each of Thaw's own texts (the labelled dev texts) split into sentences, with the sentences'
    /// vectors: all encoded in one batch through [`Model::embed_shipped`].
    pub fn embed_shipped_sentences<'t>(
        &self,
        name: &str,
        texts: &[&'t str],
    ) -> Result<Vec<SentencesOf<'t>>, EmbedError> {
        use rayon::prelude::*;
        let parts: Vec<Vec<&str>> = texts.par_iter().map(|t| sentences::split(t)).collect();
        let all: Vec<&str> = parts.iter().flatten().copied().collect();
        let mut vectors = self.embed_shipped(name, &all)?.into_iter();
        Ok(parts
            .into_iter()
            .map(|p| {
                let vs = vectors.by_ref().take(p.len()).collect();
                (p, vs)
            })
            .collect())
    }

    /// One batch through the encoder: each text's meaning, and its [`Depth`] when `deep`.
    fn run<'a>(
        &self,
        batch: impl Iterator<Item = &'a [u32]>,
        deep: bool,
    ) -> candle_core::Result<Vec<(Embedding, Depth)>> {
        let batch: Vec<&[u32]> = batch.collect();
        self.runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let len = batch.iter().map(|b| b.len()).max().unwrap_or(0);
        if batch.is_empty() || len == 0 {
            return Ok(Vec::new());
        }
        let (ids, mask) = padded(&batch)?;
        let mut out: Vec<(Embedding, Depth)> = vec![([0f32; DIM], Depth::new()); batch.len()];
        let last = if deep {
            let lens: Vec<usize> = batch.iter().map(|b| b.len()).collect();
            self.bert.forward_seeing(&ids, &mask, |l, h| {
                if DEPTH_LAYERS.contains(&l) {
                    for (o, row) in out.iter_mut().zip(bert::mean_pool_rows(h, &lens)?) {
                        o.1.extend_from_slice(&row);
                    }
                }
                Ok(())
            })?
        } else {
            self.bert.forward(&ids, &mask)?
        };
        if deep && out.iter().any(|o| o.1.len() != DEPTH) {
            return Err(candle_core::Error::Msg(
                "the model has fewer layers than all-MiniLM-L6-v2".to_owned(),
            ));
        }
        let rows: Vec<Vec<f32>> = bert::mean_pool_normalised(&last, &mask)?.to_vec2()?;
        for (o, r) in out.iter_mut().zip(rows) {
            o.0.copy_from_slice(&r[..DIM]);
        }
        Ok(out)
    }
}

/// Token ids padded with 0 to the longest of `batch`, and the mask of real tokens.
fn padded(batch: &[&[u32]]) -> candle_core::Result<(Tensor, Tensor)> {
    let len = batch.iter().map(|b| b.len()).max().unwrap_or(0);
    let mut ids = Vec::with_capacity(batch.len() * len);
    let mut mask = Vec::with_capacity(batch.len() * len);
    for seq in batch {
        ids.extend_from_slice(seq);
        ids.extend(std::iter::repeat_n(0u32, len - seq.len()));
        mask.extend(std::iter::repeat_n(1f32, seq.len()));
        mask.extend(std::iter::repeat_n(0f32, len - seq.len()));
    }
    let device = bert::cpu();
    Ok((
        Tensor::from_vec(ids, (batch.len(), len), &device)?,
        Tensor::from_vec(mask, (batch.len(), len), &device)?,
    ))
}

/// Cosine similarity of two embeddings (their dot product, as both have length 1; computed in
/// full so that any vectors work).
pub fn cosine(a: &Embedding, b: &Embedding) -> f32 {
    let (mut dot, mut na, mut nb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na.sqrt() * nb.sqrt()) }
}

/// The `n` candidates nearest to `query`, as (index, cosine), nearest first.
pub fn nearest(query: &Embedding, candidates: &[Embedding], n: usize) -> Vec<(usize, f32)> {
    let mut scored: Vec<(usize, f32)> =
        candidates.iter().enumerate().map(|(i, c)| (i, cosine(query, c))).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.truncate(n);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_and_nearest() {
        let mut a = [0f32; DIM];
        let mut b = [0f32; DIM];
        let mut c = [0f32; DIM];
        a[0] = 1.0;
        b[0] = 0.6;
        b[1] = 0.8;
        c[1] = 1.0;
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-6);
        assert!((cosine(&a, &b) - 0.6).abs() < 1e-6);
        assert_eq!(cosine(&a, &[0.0; DIM]), 0.0);
        let found = nearest(&a, &[c, b, a], 2);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn a_missing_model_is_a_clear_error() {
        let err = Model::load(Path::new("/nonexistent/thaw-model")).expect_err("no model there");
        let msg = err.to_string();
        assert!(msg.contains("scripts/fetch-model") && msg.contains("/nonexistent/thaw-model"), "{msg}");
    }
}
