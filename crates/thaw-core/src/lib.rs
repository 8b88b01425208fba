//! Thaw's domain core: typed records, the emotion vocabulary and the other content files,
//! parsing and validation of everything a person types. Pure: no IO, no database, no clock
//! except where a caller passes one in.

pub mod error;
pub mod features;
pub mod guide;
pub mod ids;
pub mod insights;
pub mod instruments;
pub mod meds;
pub mod people;
pub mod prompts;
pub mod record;
pub mod reminder;
pub mod safety;
pub mod sample;
pub mod selfcheck;
pub mod settings;
pub mod text;
pub mod time;
pub mod vocab;
pub mod wrap;

pub use error::{CoreError, Missing};
pub use ids::RecordId;
pub use instruments::{Assessment, Instrument, instrument, instruments};
pub use meds::MedEvent;
pub use people::Conversation;
pub use record::{
    Absence, Activity, ActivityKind, CheckIn, Felt, Intensity, JournalEntry, Person, Reaction, ReactionStyle,
    Record, RecordBody, RecordKind, Release, ReleaseKind,
};
pub use selfcheck::SelfCheckResult;
pub use time::Timestamp;
pub use vocab::{Vocabulary, vocabulary};
