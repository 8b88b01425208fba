//! What a person sends to make a record, from a page's form or as JSON to the API. Both edges
//! build the same input value; `thaw-core` checks it. These structs are the API's request bodies
//! (see `api/openapi.json`): unknown fields are refused.

use serde::Deserialize;
use thaw_core::ids::IdRef;
use thaw_core::{
    Absence, Activity, ActivityKind, CheckIn, CoreError, Felt, Intensity, JournalEntry, Person, Reaction,
    ReactionStyle, Record, RecordBody, Release, ReleaseKind, Timestamp, Vocabulary,
};
use thaw_store::Store;

use crate::error::WebError;

/// "Now" and the person's time zone, for `at`.
pub(crate) struct Clock {
    pub now: Timestamp,
    pub tz: jiff::tz::TimeZone,
}

impl Clock {
    pub(crate) fn new(tz: &jiff::tz::TimeZone) -> Self {
        Self { now: Timestamp::now(), tz: tz.clone() }
    }

    pub(crate) fn at(&self, at: Option<&str>) -> Result<Option<Timestamp>, CoreError> {
        at.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| thaw_core::time::parse_at(s, &self.tz, self.now))
            .transpose()
    }
}

/// A 0–10 value sent as a number.
pub(crate) fn intensity(n: i64, what: &'static str) -> Result<Intensity, CoreError> {
    u8::try_from(n).ok().and_then(|v| Intensity::new(v).ok()).ok_or(CoreError::OutOfRange {
        what,
        input: n.to_string(),
        min: 0,
        max: 10,
    })
}

/// A 0–10 value typed or chosen in a form: "" means not given.
pub(crate) fn form_number(text: &str, what: &'static str) -> Result<Option<i64>, CoreError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>().map(Some).map_err(|_| CoreError::OutOfRange {
        what,
        input: t.to_owned(),
        min: 0,
        max: 10,
    })
}

fn words(vocab: &Vocabulary, words: &[String]) -> Result<Vec<String>, CoreError> {
    words.iter().map(|w| vocab.resolve(w).map(|e| e.word.clone())).collect()
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeltInput {
    pub word: String,
    #[serde(default)]
    pub intensity: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckinInput {
    #[serde(default)]
    pub emotions: Vec<FeltInput>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub body: Vec<String>,
    #[serde(default)]
    pub said_aloud: bool,
    /// "nothing" or "cant-tell".
    #[serde(default)]
    pub absence: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
}

pub(crate) fn parse_absence(text: &str) -> Result<Absence, CoreError> {
    match thaw_core::text::normalise(text).replace(['_', ' '], "-").as_str() {
        "nothing" => Ok(Absence::Nothing),
        "cant-tell" | "can't-tell" => Ok(Absence::CantTell),
        _ => Err(CoreError::UnknownChoice {
            what: "answer",
            input: text.to_owned(),
            choices: vec!["nothing".into(), "cant-tell".into()],
        }),
    }
}

impl CheckinInput {
    /// The check-in itself (also used to draw the "I feel …" sentence before saving).
    pub(crate) fn check_in(&self, vocab: &Vocabulary) -> Result<CheckIn, CoreError> {
        let felt = self
            .emotions
            .iter()
            .map(|f| {
                let word = vocab.resolve(&f.word)?.word.clone();
                let intensity = f.intensity.map(|n| intensity(n, "Intensity")).transpose()?;
                Ok(Felt { word, intensity })
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        let body = self
            .body
            .iter()
            .map(|b| vocab.resolve_sensation(b).map(|s| s.id.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        let absence =
            self.absence.as_deref().filter(|a| !a.trim().is_empty()).map(parse_absence).transpose()?;
        CheckIn::new(felt, body, self.note.as_deref(), self.said_aloud, absence)
    }

    pub(crate) fn record(&self, vocab: &Vocabulary, clock: &Clock) -> Result<Record, CoreError> {
        let at = clock.at(self.at.as_deref())?;
        Ok(Record::new(RecordBody::Checkin(self.check_in(vocab)?), at, clock.now))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JournalInput {
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub emotions: Vec<String>,
    #[serde(default)]
    pub prompt: Option<String>,
    #[serde(default)]
    pub starred: bool,
    #[serde(default)]
    pub at: Option<String>,
}

impl JournalInput {
    pub(crate) fn entry(&self, vocab: &Vocabulary) -> Result<JournalEntry, CoreError> {
        let mut entry =
            JournalEntry::new(&self.title, &self.body, &self.tags, words(vocab, &self.emotions)?)?;
        entry.prompt = self
            .prompt
            .as_deref()
            .map(|p| thaw_core::text::bounded(p, "The prompt", thaw_core::record::MAX_NOTE))
            .transpose()?
            .filter(|p| !p.is_empty());
        entry.starred = self.starred;
        Ok(entry)
    }

    pub(crate) fn record(&self, vocab: &Vocabulary, clock: &Clock) -> Result<Record, CoreError> {
        let at = clock.at(self.at.as_deref())?;
        Ok(Record::new(RecordBody::Journal(self.entry(vocab)?), at, clock.now))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReactionInput {
    pub situation: String,
    pub intensity: i64,
    pub styles: Vec<String>,
    #[serde(default)]
    pub felt: Vec<String>,
    #[serde(default)]
    pub reflection: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
}

impl ReactionInput {
    pub(crate) fn record(&self, vocab: &Vocabulary, clock: &Clock) -> Result<Record, CoreError> {
        let styles = self.styles.iter().map(|s| ReactionStyle::parse(s)).collect::<Result<Vec<_>, _>>()?;
        let reaction = Reaction::new(
            &self.situation,
            intensity(self.intensity, "Intensity")?,
            styles,
            words(vocab, &self.felt)?,
            self.reflection.as_deref(),
        )?;
        Ok(Record::new(RecordBody::Reaction(reaction), clock.at(self.at.as_deref())?, clock.now))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivityInput {
    pub kind: String,
    pub minutes: i64,
    #[serde(default)]
    pub place: Option<String>,
    pub before: i64,
    pub after: i64,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
}

impl ActivityInput {
    pub(crate) fn record(&self, clock: &Clock) -> Result<Record, CoreError> {
        let minutes = u32::try_from(self.minutes).map_err(|_| CoreError::OutOfRange {
            what: "Minutes",
            input: self.minutes.to_string(),
            min: 1,
            max: Activity::MAX_MINUTES,
        })?;
        let activity = Activity::new(
            ActivityKind::parse(&self.kind)?,
            minutes,
            self.place.as_deref(),
            intensity(self.before, "How strongly you felt before")?,
            intensity(self.after, "How strongly you felt after")?,
            self.note.as_deref(),
        )?;
        Ok(Record::new(RecordBody::Activity(activity), clock.at(self.at.as_deref())?, clock.now))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReleaseInput {
    pub kind: String,
    pub intensity: i64,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub relief: Option<i64>,
    /// The id (or its last 8 characters) of an activity, reaction or journal entry it followed.
    #[serde(default)]
    pub linked: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
}

impl ReleaseInput {
    pub(crate) fn record(&self, store: &dyn Store, clock: &Clock) -> Result<Record, WebError> {
        let linked = match self.linked.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => Some(store.resolve(&IdRef::parse(id)?, None).map_err(|e| match e {
                thaw_store::StoreError::NotFound(_) => WebError::BadInput(format!(
                    "No record matches \"{id}\", so the moment can't be linked to it."
                )),
                other => other.into(),
            })?),
            None => None,
        };
        let release = Release::new(
            ReleaseKind::parse(&self.kind)?,
            intensity(self.intensity, "Intensity")?,
            self.before.as_deref(),
            self.relief.map(|r| intensity(r, "Relief")).transpose()?,
            linked,
        )?;
        Ok(Record::new(RecordBody::Release(release), clock.at(self.at.as_deref())?, clock.now))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonInput {
    pub name: String,
    #[serde(default)]
    pub reach: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl PersonInput {
    pub(crate) fn record(&self, clock: &Clock) -> Result<Record, CoreError> {
        let person = Person::new(&self.name, self.reach.as_deref(), self.note.as_deref())?;
        Ok(Record::new(RecordBody::Person(person), None, clock.now))
    }
}
