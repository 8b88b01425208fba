//! Thaw's domain core: typed records, the emotion vocabulary and the other content files,
//! parsing and validation of everything a person types. Pure: no IO, no database, no clock
//! except where a caller passes one in.

pub mod error;
pub mod ids;
pub mod record;
pub mod settings;
pub mod text;
pub mod time;
pub mod vocab;

pub use error::CoreError;
pub use ids::RecordId;
pub use record::{
    Absence, Activity, ActivityKind, CheckIn, Felt, Intensity, JournalEntry, Person, Reaction, ReactionStyle,
    Record, RecordBody, RecordKind, Release, ReleaseKind,
};
pub use time::Timestamp;
pub use vocab::{Vocabulary, vocabulary};
