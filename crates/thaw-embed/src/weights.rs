//! The model's weights, read from `model.safetensors` straight into the memory of the tensors that
//! use them: one copy from the file, where reading the whole file and then building the tensors
//! from it made two (and touched twice the memory). Every process that checks a save loads the
//! model, so this is on the path of `thaw journal add`. Only files whose tensors are all `F32` or
//! `I64` (the pinned all-MiniLM-L6-v2's are) are read this way; any other goes through candle's
//! reader.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use candle_core::{Device, Tensor};
use serde::Deserialize;

/// The header may not be larger than this (safetensors' own limit).
const MAX_HEADER: u64 = 100_000_000;

#[derive(Deserialize)]
struct Entry {
    dtype: String,
    shape: Vec<usize>,
    data_offsets: [u64; 2],
}

/// The tensors of a safetensors file of `F32` and `I64` tensors, or `Ok(None)` when some tensor is
/// of another type
/// (then the caller reads the file the general way). `Err` says what is wrong with the file.
pub(crate) fn read(path: &Path, device: &Device) -> Result<Option<HashMap<String, Tensor>>, String> {
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let file_len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut len = [0u8; 8];
    file.read_exact(&mut len).map_err(|_| "the file is too short to be safetensors".to_owned())?;
    let header_len = u64::from_le_bytes(len);
    if header_len > MAX_HEADER || 8 + header_len > file_len {
        return Err("its header length is impossible".to_owned());
    }
    let mut header = vec![0u8; header_len as usize];
    file.read_exact(&mut header).map_err(|e| e.to_string())?;
    let mut entries: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(&header).map_err(|e| format!("its header isn't JSON: {e}"))?;
    entries.remove("__metadata__");
    let data_start = 8 + header_len;
    let data_len = file_len - data_start;
    let mut list = Vec::with_capacity(entries.len());
    for (name, value) in entries {
        let entry: Entry = serde_json::from_value(value).map_err(|e| format!("tensor {name}: {e}"))?;
        let wide = match entry.dtype.as_str() {
            "F32" => false,
            "I64" => true,
            _ => return Ok(None),
        };
        let [start, end] = entry.data_offsets;
        let count = entry.shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
        let size = if wide { 8 } else { 4 };
        let bytes = count.and_then(|c| u64::try_from(c).ok()).and_then(|c| c.checked_mul(size));
        if start > end || end > data_len || bytes != Some(end - start) {
            return Err(format!("tensor {name} doesn't fit its place in the file"));
        }
        list.push((start, end, name, entry.shape, wide));
    }
    // In the file's order, so the reads go forward.
    list.sort_by_key(|(start, ..)| *start);
    let mut at = data_start;
    let mut tensors = HashMap::with_capacity(list.len());
    for (start, end, name, shape, wide) in list {
        if data_start + start != at {
            file.seek(SeekFrom::Start(data_start + start)).map_err(|e| e.to_string())?;
        }
        at = data_start + end;
        let count: usize = shape.iter().product();
        let made = if wide {
            let mut values = vec![0i64; count];
            file.read_exact(bytemuck::cast_slice_mut(&mut values))
                .map_err(|e| format!("tensor {name}: {e}"))?;
            // The file is little-endian; on a little-endian machine these change nothing.
            values.iter_mut().for_each(|v| *v = i64::from_le(*v));
            Tensor::from_vec(values, shape, device)
        } else {
            let mut values = vec![0f32; count];
            file.read_exact(bytemuck::cast_slice_mut(&mut values))
                .map_err(|e| format!("tensor {name}: {e}"))?;
            values.iter_mut().for_each(|v| *v = f32::from_bits(u32::from_le(v.to_bits())));
            Tensor::from_vec(values, shape, device)
        };
        tensors.insert(name.clone(), made.map_err(|e| format!("tensor {name}: {e}"))?);
    }
    Ok(Some(tensors))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A safetensors file with the given header entries and data.
    fn file(dir: &Path, header: &str, data: &[u8]) -> std::path::PathBuf {
        let path = dir.join("model.safetensors");
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(data);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn the_same_tensors_as_candles_own_reader() {
        let dir = tempfile::tempdir().unwrap();
        let a = [1.5f32, -2.0, 3.25, 0.0, 7.0, -0.5];
        let b = [42.0f32, 0.125];
        let ids = [0i64, 1, -5];
        let mut data: Vec<u8> = b.iter().chain(&a).flat_map(|v| v.to_le_bytes()).collect();
        data.extend(ids.iter().flat_map(|v| v.to_le_bytes()));
        let header = r#"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"ids":{"dtype":"I64","shape":[1,3],"data_offsets":[32,56]}}"#;
        let path = file(dir.path(), header, &data);
        let ours = read(&path, &Device::Cpu).unwrap().unwrap();
        let theirs = candle_core::safetensors::load(&path, &Device::Cpu).unwrap();
        assert_eq!(ours.len(), 3);
        for (name, t) in &theirs {
            assert_eq!(ours[name].dims(), t.dims(), "{name}");
            assert_eq!(ours[name].dtype(), t.dtype(), "{name}");
            let flat = |t: &Tensor| {
                t.flatten_all().unwrap().to_dtype(candle_core::DType::F64).unwrap().to_vec1::<f64>().unwrap()
            };
            assert_eq!(flat(&ours[name]), flat(t), "{name}");
        }
        assert_eq!(ours["ids"].flatten_all().unwrap().to_vec1::<i64>().unwrap(), ids);
    }

    #[test]
    fn another_type_is_left_to_candle_and_a_broken_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let half = file(dir.path(), r#"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, &[0; 4]);
        assert!(read(&half, &Device::Cpu).unwrap().is_none());
        let half = file(
            dir.path(),
            r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}"#,
            &[0; 8],
        );
        assert!(read(&half, &Device::Cpu).unwrap().is_none());
        for header in [
            // The data is shorter than the offsets say.
            r#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#,
            // The shape doesn't match the offsets.
            r#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
            // Offsets backwards.
            r#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#,
            "not json",
        ] {
            let path = file(dir.path(), header, &[0; 8]);
            assert!(read(&path, &Device::Cpu).is_err(), "{header}");
        }
        let short = dir.path().join("short");
        std::fs::write(&short, [1, 2, 3]).unwrap();
        assert!(read(&short, &Device::Cpu).is_err());
        let huge = dir.path().join("huge");
        std::fs::write(&huge, u64::MAX.to_le_bytes()).unwrap();
        assert!(read(&huge, &Device::Cpu).is_err());
    }

    /// The shipped model itself reads the same either way (the tests need it, as the model tests
    /// do: scripts/fetch-model).
    #[test]
    fn the_shipped_model_reads_the_same_as_with_candle() {
        let dir = std::env::var_os(crate::MODEL_DIR_ENV)
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../../models")
                    .join(crate::MODEL_NAME)
            });
        let path = dir.join("model.safetensors");
        assert!(
            path.is_file(),
            "This test needs the on-device language model: run scripts/fetch-model first (or set THAW_MODEL_DIR)."
        );
        let ours = read(&path, &Device::Cpu).unwrap().expect("all F32 and I64");
        let theirs = candle_core::safetensors::load(&path, &Device::Cpu).unwrap();
        assert_eq!(ours.len(), theirs.len());
        for (name, t) in &theirs {
            let diff = (ours[name].to_dtype(candle_core::DType::F64).unwrap()
                - t.to_dtype(candle_core::DType::F64).unwrap())
            .unwrap()
            .abs()
            .unwrap()
            .flatten_all()
            .unwrap()
            .max(0)
            .unwrap()
            .to_scalar::<f64>()
            .unwrap();
            assert_eq!(diff, 0.0, "{name}");
            assert_eq!(ours[name].dims(), t.dims(), "{name}");
        }
    }
}
