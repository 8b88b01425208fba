//! The records a person keeps: check-ins, journal entries, reactions, activities, moments of
//! release and trusted people. Each is a validated value; constructors check what people typed.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::instruments::Assessment;
use crate::text::normalise;
use crate::{Conversation, CoreError, MedEvent, RecordId, SelfCheckResult, Timestamp};

/// Longest title, name or short field, in characters.
pub const MAX_SHORT: usize = 200;
/// Longest note, situation or reflection, in characters.
pub const MAX_NOTE: usize = 10_000;
/// Longest journal body, in characters (about a short book chapter).
pub const MAX_BODY: usize = 1_000_000;

/// How strong something felt, 0 (not at all) to 10 (as strong as it gets).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = u8, minimum = 0, maximum = 10))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Intensity(u8);

impl Intensity {
    pub const MAX: u8 = 10;
    pub const ZERO: Intensity = Intensity(0);

    pub fn new(value: u8) -> Result<Self, CoreError> {
        Self::try_from(value)
    }

    /// Parses typed text, naming `what` in the error.
    pub fn parse(input: &str, what: &'static str) -> Result<Self, CoreError> {
        let err = || CoreError::OutOfRange { what, input: input.trim().to_owned(), min: 0, max: 10 };
        let n: u8 = input.trim().parse().map_err(|_| err())?;
        Self::new(n).map_err(|_| err())
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Intensity {
    type Error = CoreError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        if value <= Self::MAX {
            Ok(Self(value))
        } else {
            Err(CoreError::OutOfRange { what: "intensity", input: value.to_string(), min: 0, max: 10 })
        }
    }
}

impl From<Intensity> for u8 {
    fn from(value: Intensity) -> u8 {
        value.0
    }
}

impl fmt::Display for Intensity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Defines a closed set of choices with a kebab-case id, a label for people, and aliases.
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($variant:ident => $id:literal, $label:literal $(, [$($alias:literal),*])?;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $id)] $variant,)+
        }

        // By hand: the derive doesn't see serde's renames through the macro's literals.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($id),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id,)+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Accepts the id, the label or a common alias, in any case.
            pub fn parse(input: &str) -> Result<Self, CoreError> {
                let n = normalise(input).replace('_', "-");
                let kebab = n.replace(' ', "-");
                $(
                    if kebab == $id || n == $label $($(|| n == $alias)*)? {
                        return Ok($name::$variant);
                    }
                )+
                Err(CoreError::UnknownChoice {
                    what: $what,
                    input: input.trim().to_owned(),
                    choices: Self::ALL.iter().map(|c| c.id().to_owned()).collect(),
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }
    };
}

choices!(
    /// How someone responded to an intense moment. None is wrong; some let feelings through more.
    ReactionStyle, "reaction style", {
    ShruggedOff => "shrugged-off", "shrugged it off", ["shrugged"];
    PushedAside => "pushed-aside", "pushed it aside", ["pushed away", "suppressed"];
    Humour => "humour", "used humour", ["humor", "joked", "jokes"];
    KeptBusy => "kept-busy", "kept busy", ["busy"];
    Distracted => "distracted", "distracted myself", ["distraction"];
    Withdrew => "withdrew", "went quiet or withdrew", ["went quiet", "withdrawn", "quiet"];
    Irritable => "irritable", "got irritable", ["snapped", "irritated"];
    FeltIt => "felt-it", "felt it and let it be", ["felt", "let it be"];
    Talked => "talked", "talked about it", ["talked about it"];
    Cried => "cried", "cried or teared up", ["teared up", "tears"];
    Other => "other", "something else", [];
});

impl ReactionStyle {
    /// Styles that let a feeling through rather than around: the ones the person may want to see
    /// grow over time.
    pub fn lets_feeling_through(self) -> bool {
        matches!(self, ReactionStyle::FeltIt | ReactionStyle::Talked | ReactionStyle::Cried)
    }
}

choices!(
    /// Expressive activities that can help feelings out.
    ActivityKind, "activity", {
    Exercise => "exercise", "exercise", ["workout", "sport", "gym", "running", "run", "swimming"];
    Walking => "walking", "walking", ["walk", "hike", "hiking"];
    Painting => "painting", "painting or drawing", ["drawing", "draw", "paint", "art", "painting-drawing"];
    Music => "music", "playing music", ["instrument", "playing an instrument", "piano", "guitar"];
    Singing => "singing", "singing", ["sing"];
    Writing => "writing", "writing", ["write", "poetry"];
    Dancing => "dancing", "dancing", ["dance"];
    Other => "other", "something else", [];
});

choices!(
    /// Moments when feelings came out: the outcome Thaw works towards.
    ReleaseKind, "kind of release", {
    Cried => "cried", "cried", ["crying", "cry"];
    TearedUp => "teared-up", "teared up", ["tears", "tearful", "welled up"];
    AlmostCried => "almost-cried", "almost cried", ["nearly cried"];
    Laughed => "laughed", "laughed hard", ["laughed-hard", "laughing", "laugh"];
    Moved => "moved", "felt moved", ["touched", "felt-moved"];
    Vented => "vented", "shouted or vented", ["shouted", "yelled", "vent"];
    Shook => "shook", "shook or trembled", ["trembled", "shaking", "shivered"];
    Other => "other", "something else", [];
});

/// "I feel nothing" and "I can't tell" are answers in their own right.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Absence {
    Nothing,
    CantTell,
}

/// One feeling named in a check-in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Felt {
    /// The vocabulary word (a synonym typed by the person is stored as its main word).
    pub word: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity: Option<Intensity>,
}

/// A check-in: naming what is there (or that nothing seems to be).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub emotions: Vec<Felt>,
    #[serde(default)]
    pub body: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub said_aloud: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absence: Option<Absence>,
}

impl CheckIn {
    /// Checks the parts together: at least one word, or "nothing", or "can't tell".
    pub fn new(
        emotions: Vec<Felt>,
        body: Vec<String>,
        note: Option<&str>,
        said_aloud: bool,
        absence: Option<Absence>,
    ) -> Result<Self, CoreError> {
        if emotions.is_empty() && absence.is_none() {
            return Err(CoreError::NoFeeling);
        }
        let mut unique: Vec<Felt> = Vec::new();
        for felt in emotions {
            if !unique.iter().any(|u| u.word == felt.word) {
                unique.push(felt);
            }
        }
        let mut body_unique = Vec::new();
        for b in body {
            if !body_unique.contains(&b) {
                body_unique.push(b);
            }
        }
        Ok(Self {
            emotions: unique,
            body: body_unique,
            note: optional(note, "note", MAX_NOTE)?,
            said_aloud,
            absence,
        })
    }

    /// The sentence to say aloud: "I feel hurt and angry."
    pub fn sentence(&self) -> String {
        let words: Vec<&str> = self.emotions.iter().map(|f| f.word.as_str()).collect();
        match (words.as_slice(), self.absence) {
            ([], Some(Absence::Nothing)) => "I feel nothing right now.".to_owned(),
            ([], Some(Absence::CantTell)) | ([], None) => "I can't tell what I feel right now.".to_owned(),
            (w, Some(Absence::CantTell)) => format!("I can't quite tell, but I may feel {}.", join_and(w)),
            (w, _) => format!("I feel {}.", join_and(w)),
        }
    }
}

fn join_and(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A journal entry: a title, a Markdown body, tags and linked feelings.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub emotions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(default)]
    pub starred: bool,
}

impl JournalEntry {
    pub fn new(title: &str, body: &str, tags: &[String], emotions: Vec<String>) -> Result<Self, CoreError> {
        let title = crate::text::required_line(title, "The title", MAX_SHORT)?;
        let body = crate::text::bounded(body, "The entry", MAX_BODY)?;
        Ok(Self { title, body, tags: normalise_tags(tags)?, emotions, prompt: None, starred: false })
    }
}

/// Tags are lowercase, without a leading `#`, with spaces as hyphens.
pub fn normalise_tags(tags: &[String]) -> Result<Vec<String>, CoreError> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let t = normalise(tag.trim_start_matches('#')).replace(' ', "-");
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 50 {
            return Err(CoreError::TooLong { what: "A tag", len: t.chars().count(), max: 50 });
        }
        if t.chars().any(|c| crate::text::is_forbidden_control(c) || crate::text::is_bidi_control(c)) {
            return Err(CoreError::ControlCharacter { what: "A tag" });
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// How someone reacted to an intense situation, written without judgement.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub situation: String,
    pub intensity: Intensity,
    pub styles: Vec<ReactionStyle>,
    #[serde(default)]
    pub felt: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reflection: Option<String>,
}

impl Reaction {
    pub fn new(
        situation: &str,
        intensity: Intensity,
        styles: Vec<ReactionStyle>,
        felt: Vec<String>,
        reflection: Option<&str>,
    ) -> Result<Self, CoreError> {
        if styles.is_empty() {
            return Err(CoreError::NoReactionStyle);
        }
        let mut unique = styles;
        unique.dedup();
        Ok(Self {
            situation: crate::text::required(situation, "The situation", MAX_NOTE)?,
            intensity,
            styles: unique,
            felt,
            reflection: optional(reflection, "The reflection", MAX_NOTE)?,
        })
    }
}

/// Time spent on something expressive, with how strongly the person felt before and after.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub kind: ActivityKind,
    pub minutes: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    pub before: Intensity,
    pub after: Intensity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Activity {
    pub const MAX_MINUTES: u32 = 24 * 60;

    pub fn new(
        kind: ActivityKind,
        minutes: u32,
        place: Option<&str>,
        before: Intensity,
        after: Intensity,
        note: Option<&str>,
    ) -> Result<Self, CoreError> {
        if minutes == 0 || minutes > Self::MAX_MINUTES {
            return Err(CoreError::OutOfRange {
                what: "Minutes",
                input: minutes.to_string(),
                min: 1,
                max: Self::MAX_MINUTES,
            });
        }
        Ok(Self {
            kind,
            minutes,
            place: optional_line(place, "The place", MAX_SHORT)?,
            before,
            after,
            note: optional(note, "The note", MAX_NOTE)?,
        })
    }
}

/// A moment of release: crying, tearing up, laughing hard, feeling moved.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub kind: ReleaseKind,
    pub intensity: Intensity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relief: Option<Intensity>,
    /// An activity, reaction or journal entry this moment followed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked: Option<RecordId>,
}

impl Release {
    pub fn new(
        kind: ReleaseKind,
        intensity: Intensity,
        before: Option<&str>,
        relief: Option<Intensity>,
        linked: Option<RecordId>,
    ) -> Result<Self, CoreError> {
        Ok(Self { kind, intensity, before: optional(before, "What came before", MAX_NOTE)?, relief, linked })
    }
}

/// Someone the person trusts and might talk to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Person {
    pub fn new(name: &str, reach: Option<&str>, note: Option<&str>) -> Result<Self, CoreError> {
        Ok(Self {
            name: crate::text::required_line(name, "The name", MAX_SHORT)?,
            reach: optional_line(reach, "How you reach them", MAX_SHORT)?,
            note: optional(note, "The note", MAX_NOTE)?,
        })
    }
}

fn optional_line(input: Option<&str>, what: &'static str, max: usize) -> Result<Option<String>, CoreError> {
    match input {
        None => Ok(None),
        Some(text) => {
            let t = crate::text::line(text, what, max)?;
            Ok((!t.is_empty()).then_some(t))
        }
    }
}

fn optional(input: Option<&str>, what: &'static str, max: usize) -> Result<Option<String>, CoreError> {
    match input {
        None => Ok(None),
        Some(text) => {
            let t = crate::text::bounded(text, what, max)?;
            Ok((!t.is_empty()).then_some(t))
        }
    }
}

/// The body of a record, tagged by its type in JSON (`"type": "checkin"`). (Not `kind`: activities
/// and releases have a `kind` of their own.)
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecordBody {
    Checkin(CheckIn),
    Journal(JournalEntry),
    Reaction(Reaction),
    Activity(Activity),
    Release(Release),
    Person(Person),
    Assessment(Assessment),
    Medication(MedEvent),
    #[serde(rename = "selfcheck")]
    SelfCheck(SelfCheckResult),
    Conversation(Conversation),
}

/// The kinds of record, for queries.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Checkin,
    Journal,
    Reaction,
    Activity,
    Release,
    Person,
    Assessment,
    Medication,
    #[serde(rename = "selfcheck")]
    SelfCheck,
    Conversation,
}

impl RecordKind {
    pub const ALL: &'static [RecordKind] = &[
        RecordKind::Checkin,
        RecordKind::Journal,
        RecordKind::Reaction,
        RecordKind::Activity,
        RecordKind::Release,
        RecordKind::Person,
        RecordKind::Assessment,
        RecordKind::Medication,
        RecordKind::SelfCheck,
        RecordKind::Conversation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Checkin => "checkin",
            RecordKind::Journal => "journal",
            RecordKind::Reaction => "reaction",
            RecordKind::Activity => "activity",
            RecordKind::Release => "release",
            RecordKind::Person => "person",
            RecordKind::Assessment => "assessment",
            RecordKind::Medication => "medication",
            RecordKind::SelfCheck => "selfcheck",
            RecordKind::Conversation => "conversation",
        }
    }

    pub fn parse(input: &str) -> Option<RecordKind> {
        Self::ALL.iter().copied().find(|k| k.as_str() == input)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl RecordBody {
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordBody::Checkin(_) => RecordKind::Checkin,
            RecordBody::Journal(_) => RecordKind::Journal,
            RecordBody::Reaction(_) => RecordKind::Reaction,
            RecordBody::Activity(_) => RecordKind::Activity,
            RecordBody::Release(_) => RecordKind::Release,
            RecordBody::Person(_) => RecordKind::Person,
            RecordBody::Assessment(_) => RecordKind::Assessment,
            RecordBody::Medication(_) => RecordKind::Medication,
            RecordBody::SelfCheck(_) => RecordKind::SelfCheck,
            RecordBody::Conversation(_) => RecordKind::Conversation,
        }
    }

    /// All the text a person wrote in this record, for full-text search.
    pub fn search_text(&self) -> String {
        let parts: Vec<&str> = match self {
            RecordBody::Checkin(c) => {
                let mut p: Vec<&str> = c.emotions.iter().map(|f| f.word.as_str()).collect();
                p.extend(c.body.iter().map(String::as_str));
                p.extend(c.note.as_deref());
                p
            }
            RecordBody::Journal(j) => {
                let mut p = vec![j.title.as_str(), j.body.as_str()];
                p.extend(j.tags.iter().map(String::as_str));
                p.extend(j.emotions.iter().map(String::as_str));
                p
            }
            RecordBody::Reaction(r) => {
                let mut p = vec![r.situation.as_str()];
                p.extend(r.felt.iter().map(String::as_str));
                p.extend(r.reflection.as_deref());
                p
            }
            RecordBody::Activity(a) => {
                [a.place.as_deref(), a.note.as_deref()].into_iter().flatten().collect()
            }
            RecordBody::Release(r) => r.before.as_deref().into_iter().collect(),
            RecordBody::Person(p) => {
                [Some(p.name.as_str()), p.reach.as_deref(), p.note.as_deref()].into_iter().flatten().collect()
            }
            RecordBody::Assessment(_) => Vec::new(),
            RecordBody::Medication(m) => m.search_parts(),
            RecordBody::SelfCheck(_) => Vec::new(),
            RecordBody::Conversation(c) => c.search_parts(),
        };
        parts.join("\n")
    }

    /// A one-line description for lists.
    pub fn summary(&self) -> String {
        match self {
            RecordBody::Checkin(c) => {
                let felt: Vec<String> = c
                    .emotions
                    .iter()
                    .map(|f| match f.intensity {
                        Some(i) => format!("{} {i}", f.word),
                        None => f.word.clone(),
                    })
                    .collect();
                let mut s = match (felt.is_empty(), c.absence) {
                    (true, Some(Absence::Nothing)) => "nothing".to_owned(),
                    (true, _) => "can't tell".to_owned(),
                    (false, Some(Absence::CantTell)) => format!("can't tell; maybe {}", felt.join(", ")),
                    (false, _) => felt.join(", "),
                };
                if !c.body.is_empty() {
                    s.push_str(&format!(" · body: {}", c.body.join(", ")));
                }
                if c.said_aloud {
                    s.push_str(" · said aloud");
                }
                s
            }
            RecordBody::Journal(j) => {
                let tags = if j.tags.is_empty() { String::new() } else { format!(" #{}", j.tags.join(" #")) };
                format!("{}{tags}", j.title)
            }
            RecordBody::Reaction(r) => {
                let styles: Vec<&str> = r.styles.iter().map(|s| s.label()).collect();
                format!("{} ({}/10) · {}", first_line(&r.situation), r.intensity, styles.join(", "))
            }
            RecordBody::Activity(a) => format!(
                "{} · {} min · {} → {}{}",
                a.kind.label(),
                a.minutes,
                a.before,
                a.after,
                a.place.as_deref().map(|p| format!(" · {p}")).unwrap_or_default()
            ),
            RecordBody::Release(r) => format!(
                "{} ({}/10){}",
                r.kind.label(),
                r.intensity,
                r.relief.map(|v| format!(" · relief {v}/10")).unwrap_or_default()
            ),
            RecordBody::Person(p) => {
                format!("{}{}", p.name, p.reach.as_deref().map(|r| format!(" · {r}")).unwrap_or_default())
            }
            RecordBody::Assessment(a) => a.summary(),
            RecordBody::Medication(m) => m.summary(),
            RecordBody::SelfCheck(s) => s.summary(),
            RecordBody::Conversation(c) => c.summary(),
        }
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 60 {
        format!("{}…", line.chars().take(59).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// A record as stored: id, when it happened, when it was written and changed, and its body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: RecordId,
    /// When it happened (settable, for back-filling).
    pub at: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(flatten)]
    pub body: RecordBody,
}

impl Record {
    /// A new record happening at `at` (now, unless back-filled), written now.
    pub fn new(body: RecordBody, at: Option<Timestamp>, now: Timestamp) -> Self {
        Self { id: RecordId::new(), at: at.unwrap_or(now), created_at: now, updated_at: now, body }
    }

    pub fn kind(&self) -> RecordKind {
        self.body.kind()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intensity_bounds() {
        assert!(Intensity::parse("0", "intensity").is_ok());
        assert!(Intensity::parse("10", "intensity").is_ok());
        assert!(Intensity::parse("11", "intensity").is_err());
        assert!(Intensity::parse("-1", "intensity").is_err());
        assert!(Intensity::parse("five", "intensity").is_err());
        assert!(serde_json::from_str::<Intensity>("11").is_err());
    }

    #[test]
    fn choices_accept_ids_labels_and_aliases() {
        assert_eq!(ReactionStyle::parse("shrugged-off").unwrap(), ReactionStyle::ShruggedOff);
        assert_eq!(ReactionStyle::parse("Used Humour").unwrap(), ReactionStyle::Humour);
        assert_eq!(ReactionStyle::parse("humor").unwrap(), ReactionStyle::Humour);
        assert_eq!(ReactionStyle::parse("felt_it").unwrap(), ReactionStyle::FeltIt);
        assert_eq!(ActivityKind::parse("drawing").unwrap(), ActivityKind::Painting);
        assert_eq!(ReleaseKind::parse("teared up").unwrap(), ReleaseKind::TearedUp);
        let err = ReleaseKind::parse("sobbed").unwrap_err().to_string();
        assert!(err.contains("cried") && err.contains("teared-up"), "{err}");
    }

    #[test]
    fn sentences_read_naturally() {
        let felt = |w: &str| Felt { word: w.to_owned(), intensity: None };
        let c = CheckIn::new(vec![felt("hurt")], vec![], None, false, None).unwrap();
        assert_eq!(c.sentence(), "I feel hurt.");
        let c =
            CheckIn::new(vec![felt("sad"), felt("angry"), felt("hurt")], vec![], None, false, None).unwrap();
        assert_eq!(c.sentence(), "I feel sad, angry and hurt.");
        let c = CheckIn::new(vec![], vec![], None, false, Some(Absence::Nothing)).unwrap();
        assert_eq!(c.sentence(), "I feel nothing right now.");
        assert!(CheckIn::new(vec![], vec![], None, false, None).is_err());
    }

    #[test]
    fn records_round_trip_through_json_with_a_kind_tag() {
        let person = Person::new("Sam", Some("phone"), None).unwrap();
        let rec = Record::new(RecordBody::Person(person), None, Timestamp::now());
        let json = serde_json::to_value(&rec).unwrap();
        assert_eq!(json["type"], "person");
        assert_eq!(json["name"], "Sam");
        let back: Record = serde_json::from_value(json).unwrap();
        assert_eq!(back, rec);
    }

    #[test]
    fn tags_are_normalised() {
        let tags = normalise_tags(&["#Work".into(), "work".into(), " big day ".into(), "".into()]).unwrap();
        assert_eq!(tags, vec!["work", "big-day"]);
    }
}
