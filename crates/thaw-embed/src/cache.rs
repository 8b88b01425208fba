//! Embeddings of Thaw's own texts (risk exemplars, the shipped vocabulary), kept in a file so that a
//! short-lived process (`thaw journal add`) doesn't spend half a second re-reading them: in the
//! model folder, or, when that folder can't be written (a model installed system-wide), in the
//! user's cache folder (`$XDG_CACHE_HOME/thaw/model-cache`, else `~/.cache/thaw/model-cache`). The
//! file name carries a fingerprint of the model and of every text, so a change to either makes a
//! new file; a file of the wrong size is ignored. Nothing a person wrote is ever stored here.

use std::path::{Path, PathBuf};

use crate::{DIM, EmbedError, Embedding, Model};

/// FNV-1a over the parts, mixed with a length: stable across builds and platforms.
pub(crate) fn fingerprint(parts: &[&[u8]], extra: usize) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for p in parts {
        eat(&(p.len() as u64).to_le_bytes());
        eat(p);
    }
    eat(&(extra as u64).to_le_bytes());
    h
}

/// Where the file may be, in order: the model folder's `cache/`, then the user's cache folder.
fn cache_files(model: &Model, name: &str, texts: &[&str]) -> Vec<PathBuf> {
    let mut parts: Vec<&[u8]> = vec![name.as_bytes()];
    parts.extend(texts.iter().map(|t| t.as_bytes()));
    let key = fingerprint(&parts, model.key as usize) ^ model.key;
    let file = format!("{name}-{key:016x}.f32");
    let mut out = vec![model.dir.join("cache").join(&file)];
    if let Some(dir) = user_cache_dir() {
        out.push(dir.join("thaw").join("model-cache").join(&file));
    }
    out
}

/// `$XDG_CACHE_HOME`, else `~/.cache` (absolute paths only, as the XDG rules ask).
fn user_cache_dir() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    std::env::var_os("XDG_CACHE_HOME")
        .and_then(absolute)
        .or_else(|| std::env::var_os("HOME").and_then(absolute).map(|h| h.join(".cache")))
}

fn read(path: &Path, rows: usize) -> Option<Vec<Embedding>> {
    let bytes = std::fs::read(path).ok().filter(|b| b.len() == rows * DIM * 4)?;
    Some(
        bytes
            .chunks_exact(DIM * 4)
            .map(|row| {
                let mut e = [0f32; DIM];
                for (v, b) in e.iter_mut().zip(row.chunks_exact(4)) {
                    *v = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                }
                e
            })
            .collect(),
    )
}

/// Writes `bytes` to `path` through a file of this process's own, so that two processes filling
/// the cache at once never rename a half-written file into place.
fn write(path: &Path, bytes: &[u8]) -> bool {
    let Some(dir) = path.parent() else { return false };
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_ok();
    if !written {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

pub(crate) fn embed_cached(model: &Model, name: &str, texts: &[&str]) -> Result<Vec<Embedding>, EmbedError> {
    let paths = cache_files(model, name, texts);
    if let Some(found) = paths.iter().find_map(|p| read(p, texts.len())) {
        return Ok(found);
    }
    model.preparing();
    let out = model.embed(texts)?;
    let bytes: Vec<u8> = out.iter().flat_map(|e| e.iter().flat_map(|v| v.to_le_bytes())).collect();
    // Best effort: the first folder that takes it; with none writable, each process recomputes.
    let _ = paths.iter().any(|p| write(p, &bytes));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_file_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("x.f32");
        assert!(write(&path, &[1, 2, 3, 4]));
        assert_eq!(std::fs::read(&path).unwrap(), [1, 2, 3, 4]);
        // No temporary file is left beside it.
        assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
        // A file of the wrong size is not a cache hit.
        assert!(read(&path, 1).is_none());
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"not a folder").unwrap();
        // A path "under" a plain file can't be created, whoever runs the test (root included).
        assert!(!write(&blocker.join("cache").join("x.f32"), &[0; 4]));
        assert_eq!(std::fs::read(&blocker).unwrap(), b"not a folder");
    }
}
