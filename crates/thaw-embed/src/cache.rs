//! Embeddings of Thaw's own texts (risk exemplars, the shipped vocabulary), kept in a file in the
//! model folder so that a short-lived process (`thaw journal add`) doesn't spend half a second
//! re-reading them. The file name carries a fingerprint of the model and of every text, so a
//! change to either makes a new file; a file of the wrong size is ignored. Nothing a person wrote
//! is ever stored here.

use std::path::PathBuf;

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

fn cache_file(model: &Model, name: &str, texts: &[&str]) -> PathBuf {
    let mut parts: Vec<&[u8]> = vec![name.as_bytes()];
    parts.extend(texts.iter().map(|t| t.as_bytes()));
    let key = fingerprint(&parts, model.key as usize) ^ model.key;
    model.dir.join("cache").join(format!("{name}-{key:016x}.f32"))
}

pub(crate) fn embed_cached(model: &Model, name: &str, texts: &[&str]) -> Result<Vec<Embedding>, EmbedError> {
    let path = cache_file(model, name, texts);
    if let Ok(bytes) = std::fs::read(&path)
        && bytes.len() == texts.len() * DIM * 4
    {
        return Ok(bytes
            .chunks_exact(DIM * 4)
            .map(|row| {
                let mut e = [0f32; DIM];
                for (v, b) in e.iter_mut().zip(row.chunks_exact(4)) {
                    *v = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                }
                e
            })
            .collect());
    }
    let out = model.embed(texts)?;
    let bytes: Vec<u8> = out.iter().flat_map(|e| e.iter().flat_map(|v| v.to_le_bytes())).collect();
    // Best effort: a read-only install just recomputes each time.
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, &bytes).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
    Ok(out)
}
