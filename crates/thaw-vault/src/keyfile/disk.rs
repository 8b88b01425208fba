//! Reading and writing the key file: JSON with field-by-field checks, and an atomic, durable,
//! owner-only save.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{KEYFILE_FORMAT, KEYFILE_VERSION, KeyFile, NONCE_LEN, SALT_LEN, WRAPPED_LEN, Wrap};
use crate::{KdfParams, VaultError, fill_random};

/// A real key file is well under 1 KiB; anything much larger is not one, and we do not want to
/// read a huge file into memory by mistake.
const MAX_FILE_LEN: u64 = 64 * 1024;
const MAX_SALT_LEN: usize = 64;

#[derive(Serialize)]
struct KeyFileJson<'a> {
    format: &'a str,
    version: u32,
    key_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<&'a str>,
    kdf: KdfJson,
    passphrase_wrap: WrapJson,
    recovery_wrap: WrapJson,
}

#[derive(Serialize)]
struct KdfJson {
    algorithm: &'static str,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
}

#[derive(Serialize)]
struct WrapJson {
    nonce: String,
    ciphertext: String,
}

impl WrapJson {
    fn new(w: &Wrap) -> Self {
        Self { nonce: B64.encode(w.nonce), ciphertext: B64.encode(&w.ciphertext) }
    }
}

fn damaged(msg: impl Into<String>) -> VaultError {
    VaultError::KeyFileDamaged(msg.into())
}

impl KeyFile {
    /// The key file as pretty-printed JSON (ends with a newline).
    pub fn to_json(&self) -> Result<String, VaultError> {
        let doc = KeyFileJson {
            format: KEYFILE_FORMAT,
            version: KEYFILE_VERSION,
            key_id: &self.key_id,
            created_at: self.created_at.as_deref(),
            kdf: KdfJson {
                algorithm: "argon2id",
                m_cost_kib: self.kdf.m_cost_kib(),
                t_cost: self.kdf.t_cost(),
                p_cost: self.kdf.p_cost(),
                salt: B64.encode(&self.salt),
            },
            passphrase_wrap: WrapJson::new(&self.passphrase_wrap),
            recovery_wrap: WrapJson::new(&self.recovery_wrap),
        };
        let mut text = serde_json::to_string_pretty(&doc)
            .map_err(|e| VaultError::Crypto(format!("could not encode the key file ({e})")))?;
        text.push('\n');
        Ok(text)
    }

    /// Parses key file JSON, checking every field. Errors name the field that is wrong.
    pub fn from_json(text: &str) -> Result<KeyFile, VaultError> {
        let doc: Value =
            serde_json::from_str(text).map_err(|e| damaged(format!("it is not valid JSON ({e})")))?;
        let root = doc.as_object().ok_or_else(|| damaged("it is not a JSON object"))?;

        let format = str_field(root, "", "format")?;
        if format != KEYFILE_FORMAT {
            return Err(damaged(format!(
                "field `format` is \"{format}\", expected \"{KEYFILE_FORMAT}\" (is this a Thaw \
                 key file?)"
            )));
        }
        // Check the version before anything else, so a newer file reports "too new" rather than
        // "damaged" because of fields this version does not know.
        let version = field(root, "", "version")?
            .as_u64()
            .ok_or_else(|| damaged("field `version` is not a whole number"))?;
        if version > u64::from(KEYFILE_VERSION) {
            return Err(VaultError::KeyFileTooNew {
                found: u32::try_from(version).unwrap_or(u32::MAX),
                supported: KEYFILE_VERSION,
            });
        }
        if version == 0 {
            return Err(damaged("field `version` is 0"));
        }

        let key_id = str_field(root, "", "key_id")?;
        if key_id.len() != 16 || !key_id.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
            return Err(damaged("field `key_id` is not 16 lowercase hex digits"));
        }
        let created_at = match root.get("created_at") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(damaged("field `created_at` is not text")),
        };

        let kdf = obj_field(root, "", "kdf")?;
        let algorithm = str_field(kdf, "kdf.", "algorithm")?;
        if algorithm != "argon2id" {
            return Err(damaged(format!(
                "field `kdf.algorithm` is \"{algorithm}\"; only \"argon2id\" is supported"
            )));
        }
        let params = KdfParams::new(
            u32_field(kdf, "kdf.", "m_cost_kib")?,
            u32_field(kdf, "kdf.", "t_cost")?,
            u32_field(kdf, "kdf.", "p_cost")?,
        )
        .map_err(|e| match e {
            VaultError::Crypto(why) => damaged(format!("the `kdf` parameters are invalid: {why}")),
            other => other,
        })?;
        let salt = b64_field(kdf, "kdf.", "salt", SALT_LEN..=MAX_SALT_LEN)?;

        Ok(KeyFile {
            kdf: params,
            salt,
            passphrase_wrap: wrap_field(root, "passphrase_wrap")?,
            recovery_wrap: wrap_field(root, "recovery_wrap")?,
            key_id: key_id.to_owned(),
            created_at,
        })
    }

    /// Reads a key file. [`VaultError::KeyFileMissing`] if there is none at `path`,
    /// [`VaultError::KeyFileDamaged`] naming the bad field, [`VaultError::KeyFileTooNew`] for a
    /// file from a newer Thaw.
    pub fn load(path: &Path) -> Result<KeyFile, VaultError> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(VaultError::KeyFileMissing(path.to_path_buf()));
            }
            Err(e) => return Err(e.into()),
        };
        let mut text = String::new();
        file.take(MAX_FILE_LEN + 1).read_to_string(&mut text).map_err(|e| match e.kind() {
            io::ErrorKind::InvalidData => damaged("it is not UTF-8 text"),
            _ => e.into(),
        })?;
        if text.len() as u64 > MAX_FILE_LEN {
            return Err(damaged("it is far too large to be a key file"));
        }
        KeyFile::from_json(&text)
    }

    /// Writes the key file so that a crash or power cut leaves either the old file or the new
    /// one, never a mix: a temporary file in the same directory, created readable by the owner
    /// only (0600), flushed to disk, renamed over `path`, then the directory flushed so the
    /// rename itself survives a crash.
    pub fn save(&self, path: &Path) -> Result<(), VaultError> {
        let text = self.to_json()?;
        let name = path.file_name().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("{} does not name a file", path.display()))
        })?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut suffix = [0u8; 8];
        fill_random(&mut suffix)?;
        let mut tmp_name = name.to_os_string();
        tmp_name.push(format!(".tmp-{}-{}", std::process::id(), hex8(&suffix)));
        let tmp = dir.join(tmp_name);

        let written = write_synced(&tmp, text.as_bytes()).and_then(|()| fs::rename(&tmp, path));
        if let Err(e) = written {
            // Best effort: do not leave a stray temporary file behind.
            let _ = fs::remove_file(&tmp);
            return Err(e.into());
        }
        File::open(&dir)?.sync_all()?;
        Ok(())
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    // The umask can only remove bits from 0600, but set it explicitly so the result is exactly
    // owner read/write whatever the umask was.
    file.set_permissions(fs::Permissions::from_mode(0o600))?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn hex8(bytes: &[u8; 8]) -> String {
    let mut s = String::with_capacity(16);
    crate::secret::push_hex(&mut s, bytes);
    s
}

fn field<'a>(obj: &'a Map<String, Value>, parent: &str, name: &str) -> Result<&'a Value, VaultError> {
    obj.get(name).ok_or_else(|| damaged(format!("field `{parent}{name}` is missing")))
}

fn str_field<'a>(obj: &'a Map<String, Value>, parent: &str, name: &str) -> Result<&'a str, VaultError> {
    field(obj, parent, name)?.as_str().ok_or_else(|| damaged(format!("field `{parent}{name}` is not text")))
}

fn obj_field<'a>(
    obj: &'a Map<String, Value>,
    parent: &str,
    name: &str,
) -> Result<&'a Map<String, Value>, VaultError> {
    field(obj, parent, name)?
        .as_object()
        .ok_or_else(|| damaged(format!("field `{parent}{name}` is not an object")))
}

fn u32_field(obj: &Map<String, Value>, parent: &str, name: &str) -> Result<u32, VaultError> {
    field(obj, parent, name)?
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| damaged(format!("field `{parent}{name}` is not a valid whole number")))
}

fn b64_field(
    obj: &Map<String, Value>,
    parent: &str,
    name: &str,
    len: std::ops::RangeInclusive<usize>,
) -> Result<Vec<u8>, VaultError> {
    let bytes = B64
        .decode(str_field(obj, parent, name)?)
        .map_err(|_| damaged(format!("field `{parent}{name}` is not valid base64")))?;
    if !len.contains(&bytes.len()) {
        return Err(damaged(format!(
            "field `{parent}{name}` has {} bytes; expected {}",
            bytes.len(),
            if len.start() == len.end() {
                len.start().to_string()
            } else {
                format!("{} to {}", len.start(), len.end())
            }
        )));
    }
    Ok(bytes)
}

fn wrap_field(root: &Map<String, Value>, name: &str) -> Result<Wrap, VaultError> {
    let obj = obj_field(root, "", name)?;
    let parent = format!("{name}.");
    let nonce_bytes = b64_field(obj, &parent, "nonce", NONCE_LEN..=NONCE_LEN)?;
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&nonce_bytes);
    let ciphertext = b64_field(obj, &parent, "ciphertext", WRAPPED_LEN..=WRAPPED_LEN)?;
    Ok(Wrap { nonce, ciphertext })
}
