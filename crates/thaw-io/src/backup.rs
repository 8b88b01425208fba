//! Encrypted backups: the complete JSON export (see [`ThawExport`]) inside an age file protected by
//! a passphrase (age's scrypt recipient, interoperable with the `age` and `rage` tools).
//!
//! Writing streams the JSON straight into age's encrypting writer: no plaintext reaches the disk,
//! not even in a temporary file. Reading decrypts into memory, checks the age tag on every chunk,
//! and only then parses; a wrong passphrase, a damaged file or a file that isn't a backup is an
//! error before anything is written anywhere.

use std::io::{BufReader, BufWriter, Read, Write};
use std::iter;

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use crate::BackupError;
use crate::export::ThawExport;
use crate::import::thaw::parse_document;

/// What every age file starts with; used to tell a backup from a plain export.
pub const AGE_MAGIC: &str = "age-encryption.org/";

/// scrypt's work factor (log2 N) that `thaw backup` writes: 2^18 takes 256 MiB and about a second.
pub const BACKUP_WORK_FACTOR: u8 = 18;
/// The highest work factor a restore accepts: what Thaw writes plus headroom for backups made by
/// `age`/`rage` on a fast machine (2^20: 1 GiB, a few seconds). A crafted file asking for more is
/// refused before any of the work is done.
pub const MAX_RESTORE_WORK_FACTOR: u8 = BACKUP_WORK_FACTOR + 2;

/// Encrypts `export` to `out` with the passphrase. `work_factor` is scrypt's log2(N); `None` means
/// [`BACKUP_WORK_FACTOR`] (tests pass a small one).
pub fn write_backup<W: Write>(
    export: &ThawExport,
    passphrase: SecretString,
    work_factor: Option<u8>,
    out: W,
) -> Result<W, BackupError> {
    let mut recipient = age::scrypt::Recipient::new(passphrase);
    // age panics outside 1..=63; keep the work factor within what a restore accepts.
    recipient.set_work_factor(work_factor.unwrap_or(BACKUP_WORK_FACTOR).clamp(1, MAX_RESTORE_WORK_FACTOR));
    let encryptor = age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| BackupError::Io(std::io::Error::other(e.to_string())))?;
    let encrypting = encryptor.wrap_output(out)?;
    let buffered = export.write_json(BufWriter::with_capacity(64 * 1024, encrypting))?;
    let encrypting = buffered.into_inner().map_err(|e| BackupError::Io(e.into_error()))?;
    Ok(encrypting.finish()?)
}

/// Decrypts and parses a backup. Nothing is returned unless every byte decrypted and verified.
pub fn read_backup<R: Read>(input: R, passphrase: SecretString) -> Result<ThawExport, BackupError> {
    let decryptor = age::Decryptor::new_buffered(BufReader::new(input)).map_err(open_error)?;
    if !decryptor.is_scrypt() {
        return Err(BackupError::NotABackup(
            "it is an age file encrypted to keys, not to a passphrase; Thaw backups use a passphrase".into(),
        ));
    }
    let mut identity = age::scrypt::Identity::new(passphrase);
    // age checks the header's work factor against this before running scrypt, so a crafted file
    // costs nothing.
    identity.set_max_work_factor(MAX_RESTORE_WORK_FACTOR);
    let mut reader = decryptor.decrypt(iter::once(&identity as &dyn age::Identity)).map_err(open_error)?;
    let mut plain = Zeroizing::new(Vec::new());
    reader.read_to_end(&mut plain).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => BackupError::Damaged("it ends too early".into()),
        std::io::ErrorKind::InvalidData => BackupError::Damaged("a part of it doesn't decrypt".into()),
        _ => BackupError::Io(e),
    })?;
    let text = std::str::from_utf8(&plain)
        .map_err(|_| BackupError::Damaged("its content isn't UTF-8 text".into()))?;
    Ok(parse_document(text)?)
}

fn open_error(err: age::DecryptError) -> BackupError {
    use age::DecryptError as E;
    match err {
        E::DecryptionFailed | E::KeyDecryptionFailed | E::NoMatchingKeys => BackupError::WrongPassphrase,
        E::InvalidHeader | E::UnknownFormat => {
            BackupError::NotABackup("it doesn't start like an age-encrypted file".into())
        }
        E::InvalidMac => BackupError::Damaged("its header was changed".into()),
        E::ExcessiveWork { required, .. } => BackupError::NotABackup(format!(
            "its passphrase protection asks for far more work (scrypt 2^{required}) than a Thaw backup \
             uses (at most 2^{MAX_RESTORE_WORK_FACTOR}), so Thaw didn't try it"
        )),
        E::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            BackupError::Damaged("it ends too early".into())
        }
        E::Io(io) => BackupError::Io(io),
    }
}
