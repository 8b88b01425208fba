//! What a person sends to make a record: from a command's flags, a page's form, or as JSON to the
//! API. Every edge builds the same input value; this module and `thaw-core` check it. These structs
//! are the API's request bodies: unknown fields are refused.

use serde::Deserialize;
use thaw_core::ids::IdRef;
use thaw_core::{
    Absence, Activity, ActivityKind, CheckIn, CoreError, Felt, Intensity, JournalEntry, Person, Reaction,
    ReactionStyle, Record, RecordBody, Release, ReleaseKind, Vocabulary,
};
use thaw_store::Store;

use crate::{AppError, Clock};

/// A 0–10 value sent as a number.
pub fn intensity(n: i64, what: &'static str) -> Result<Intensity, CoreError> {
    u8::try_from(n).ok().and_then(|v| Intensity::new(v).ok()).ok_or(CoreError::OutOfRange {
        what,
        input: n.to_string(),
        min: 0,
        max: 10,
    })
}

/// A 0–10 value typed or chosen in a form: "" means not given.
pub fn form_number(text: &str, what: &'static str) -> Result<Option<i64>, CoreError> {
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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeltInput {
    /// A word of the vocabulary, one of its synonyms, or one of your own words.
    pub word: String,
    /// How strongly, 0 to 10.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub intensity: Option<i64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinInput {
    #[serde(default)]
    pub emotions: Vec<FeltInput>,
    #[serde(default)]
    pub note: Option<String>,
    /// Body sensations, by id or label (GET /api/v1/vocabulary lists them).
    #[serde(default)]
    pub body: Vec<String>,
    /// Whether you said the feeling out loud.
    #[serde(default)]
    pub said_aloud: bool,
    /// When no word fits: `nothing` (you feel nothing) or `cant-tell`. Both are answers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<thaw_core::Absence>))]
    pub absence: Option<String>,
    /// When it happened, for filling in an earlier day: 2025-03-05 (noon, your local time),
    /// 2025-03-05T07:40 (local) or RFC 3339. Left out: now.
    #[serde(default)]
    pub at: Option<String>,
}

pub fn parse_absence(text: &str) -> Result<Absence, CoreError> {
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
    pub fn check_in(&self, vocab: &Vocabulary) -> Result<CheckIn, CoreError> {
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

    pub fn record(&self, vocab: &Vocabulary, clock: &Clock) -> Result<Record, CoreError> {
        let at = clock.at(self.at.as_deref())?;
        Ok(Record::new(RecordBody::Checkin(self.check_in(vocab)?), at, clock.now))
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalInput {
    pub title: String,
    /// The entry, in Markdown.
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
    /// When it happened, for filling in an earlier day: 2025-03-05 (noon, your local time),
    /// 2025-03-05T07:40 (local) or RFC 3339. Left out: now.
    #[serde(default)]
    pub at: Option<String>,
}

impl JournalInput {
    pub fn entry(&self, vocab: &Vocabulary) -> Result<JournalEntry, CoreError> {
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

    pub fn record(&self, vocab: &Vocabulary, clock: &Clock) -> Result<Record, CoreError> {
        let at = clock.at(self.at.as_deref())?;
        Ok(Record::new(RecordBody::Journal(self.entry(vocab)?), at, clock.now))
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReactionInput {
    pub situation: String,
    /// How strong it felt, 0 to 10.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub intensity: i64,
    /// How you reacted: one or more of the reaction styles.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<thaw_core::ReactionStyle>))]
    pub styles: Vec<String>,
    #[serde(default)]
    pub felt: Vec<String>,
    #[serde(default)]
    pub reflection: Option<String>,
    /// When it happened, for filling in an earlier day: 2025-03-05 (noon, your local time),
    /// 2025-03-05T07:40 (local) or RFC 3339. Left out: now.
    #[serde(default)]
    pub at: Option<String>,
}

impl ReactionInput {
    pub fn record(&self, vocab: &Vocabulary, clock: &Clock) -> Result<Record, CoreError> {
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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    #[cfg_attr(feature = "openapi", schema(value_type = thaw_core::ActivityKind))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub minutes: i64,
    #[serde(default)]
    pub place: Option<String>,
    /// How strongly you felt before, 0 to 10.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub before: i64,
    /// And after, 0 to 10.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub after: i64,
    #[serde(default)]
    pub note: Option<String>,
    /// When it happened, for filling in an earlier day: 2025-03-05 (noon, your local time),
    /// 2025-03-05T07:40 (local) or RFC 3339. Left out: now.
    #[serde(default)]
    pub at: Option<String>,
}

impl ActivityInput {
    pub fn record(&self, clock: &Clock) -> Result<Record, CoreError> {
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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseInput {
    #[cfg_attr(feature = "openapi", schema(value_type = thaw_core::ReleaseKind))]
    pub kind: String,
    /// How strong it was, 0 to 10.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub intensity: i64,
    /// What came before, in your words.
    #[serde(default)]
    pub before: Option<String>,
    /// How much relief came after, 0 to 10.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub relief: Option<i64>,
    /// The id (or its last 8 characters) of an activity, reaction or journal entry it followed.
    #[serde(default)]
    pub linked: Option<String>,
    /// When it happened, for filling in an earlier day: 2025-03-05 (noon, your local time),
    /// 2025-03-05T07:40 (local) or RFC 3339. Left out: now.
    #[serde(default)]
    pub at: Option<String>,
}

impl ReleaseInput {
    pub fn record(&self, store: &dyn Store, clock: &Clock) -> Result<Record, AppError> {
        let linked = match self.linked.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => Some(store.resolve(&IdRef::parse(id)?, None).map_err(|e| match e {
                thaw_store::StoreError::NotFound(_) => AppError::Core(CoreError::Invalid(format!(
                    "No record matches \"{id}\", so the moment can't be linked to it."
                ))),
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

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub name: String,
    /// How you reach them (a phone number, "next door" …).
    #[serde(default)]
    pub reach: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl PersonInput {
    pub fn record(&self, clock: &Clock) -> Result<Record, CoreError> {
        let person = Person::new(&self.name, self.reach.as_deref(), self.note.as_deref())?;
        Ok(Record::new(RecordBody::Person(person), None, clock.now))
    }
}

/// Property tests: any value a form or a JSON body can carry gives a record or an error with a
/// message, never a panic; valid input round-trips. (The HTTP-level fuzz test in `tests/it`
/// sends the same inputs through the server.)
#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

    use proptest::prelude::*;
    use serde::de::DeserializeOwned;
    use serde_json::{Value, json};
    use thaw_core::{Timestamp, vocabulary};

    use super::*;

    fn clock() -> Clock {
        Clock {
            now: Timestamp::from_jiff("2026-06-01T12:00:00Z".parse().unwrap()),
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-2i64..13).prop_map(Value::from),
            Just(Value::from(u64::MAX)),
            any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
            "\\PC{0,12}".prop_map(Value::String),
            prop::sample::select(
                &["hurt", "numb", "nothing", "cant-tell", "humour", "walking", "cried", "2025-03-05"][..]
            )
            .prop_map(|s| Value::String(s.to_owned())),
        ];
        leaf.prop_recursive(3, 16, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(
                        &[
                            "word",
                            "intensity",
                            "emotions",
                            "note",
                            "body",
                            "said_aloud",
                            "absence",
                            "at",
                            "title",
                            "tags",
                            "prompt",
                            "starred",
                            "situation",
                            "styles",
                            "felt",
                            "reflection",
                            "kind",
                            "minutes",
                            "place",
                            "before",
                            "after",
                            "relief",
                            "linked",
                            "name",
                            "reach",
                            "other",
                        ][..]
                    )
                    .prop_map(str::to_owned),
                    inner,
                    0..8,
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Deserialises like the API does; what deserialises must then give a record or an error.
    fn try_input<T: DeserializeOwned>(v: &Value, make: impl Fn(&T) -> Result<Record, CoreError>) {
        if let Ok(input) = serde_json::from_value::<T>(v.clone())
            && let Err(e) = make(&input)
        {
            assert!(!e.to_string().trim().is_empty(), "an error without a message: {e:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

        #[test]
        fn any_json_body_gives_a_record_or_a_message(v in any_json()) {
            let vocab = vocabulary();
            let c = clock();
            try_input::<CheckinInput>(&v, |i| i.record(vocab, &c));
            try_input::<JournalInput>(&v, |i| i.record(vocab, &c));
            try_input::<ReactionInput>(&v, |i| i.record(vocab, &c));
            try_input::<ActivityInput>(&v, |i| i.record(&c));
            try_input::<PersonInput>(&v, |i| i.record(&c));
        }

        #[test]
        fn any_form_text_is_a_number_or_a_message(text in "\\PC{0,30}|[ ]?-?[0-9]{0,22}[ ]?") {
            match form_number(&text, "Intensity") {
                Ok(None) => prop_assert!(text.trim().is_empty()),
                Ok(Some(n)) => prop_assert_eq!(form_number(&n.to_string(), "Intensity").unwrap(), Some(n)),
                Err(e) => prop_assert!(e.to_string().contains("Intensity")),
            }
            let _ = parse_absence(&text).map_err(|e| assert!(!e.to_string().is_empty()));
            let _ = clock().at(Some(&text)).map_err(|e| assert!(!e.to_string().is_empty()));
        }

        #[test]
        fn intensities_round_trip_and_others_are_refused(n in any::<i64>(), small in 0i64..=10) {
            prop_assert_eq!(i64::from(intensity(small, "Intensity").unwrap().get()), small);
            prop_assert_eq!(form_number(&format!(" {small} "), "Intensity").unwrap(), Some(small));
            prop_assert_eq!(intensity(n, "Relief").is_ok(), (0..=10).contains(&n));
            if let Err(e) = intensity(n, "Relief") {
                prop_assert!(e.to_string().contains("Relief") && e.to_string().contains(&n.to_string()));
            }
        }

        #[test]
        fn valid_check_ins_round_trip(picks in prop::collection::vec((0usize..1000, prop::option::of(0i64..=10)), 1..5),
                                      note in "\\PC{0,60}", said in any::<bool>()) {
            let vocab = vocabulary();
            let words: Vec<(String, Option<i64>)> =
                picks.iter().map(|(i, n)| (vocab.emotions()[i % vocab.emotions().len()].word.clone(), *n)).collect();
            let body = json!({
                "emotions": words.iter().map(|(w, n)| json!({ "word": w.to_uppercase(), "intensity": n })).collect::<Vec<_>>(),
                "note": note,
                "said_aloud": said,
            });
            let input: CheckinInput = serde_json::from_value(body).unwrap();
            let record = input.record(vocab, &clock()).unwrap();
            let RecordBody::Checkin(c) = record.body else { panic!("not a check-in") };
            let mut want: Vec<(String, Option<u8>)> = Vec::new();
            for (w, n) in &words {
                if !want.iter().any(|(x, _)| x == w) {
                    want.push((w.clone(), n.map(|n| u8::try_from(n).unwrap())));
                }
            }
            let got: Vec<(String, Option<u8>)> =
                c.emotions.iter().map(|f| (f.word.clone(), f.intensity.map(Intensity::get))).collect();
            prop_assert_eq!(got, want);
            prop_assert_eq!(c.note.unwrap_or_default(), note.trim().to_owned());
            prop_assert_eq!(c.said_aloud, said);
        }

        #[test]
        fn valid_journal_entries_round_trip(title in "\\PC{1,60}", body in "\\PC{0,200}", tag in "[a-z]{1,10}") {
            prop_assume!(!title.trim().is_empty());
            let input: JournalInput =
                serde_json::from_value(json!({ "title": title, "body": body, "tags": [format!("#{tag}")] })).unwrap();
            let record = input.record(vocabulary(), &clock()).unwrap();
            let RecordBody::Journal(e) = record.body else { panic!("not an entry") };
            prop_assert_eq!(e.title, title.trim().to_owned());
            prop_assert_eq!(e.body, body.trim().to_owned());
            prop_assert_eq!(e.tags, vec![tag]);
        }

        #[test]
        fn activities_and_reactions_check_their_numbers(minutes in any::<i64>(), before in -3i64..14, after in -3i64..14) {
            let c = clock();
            let input = ActivityInput { kind: "walking".into(), minutes, before, after, ..Default::default() };
            let ok = (1..=i64::from(Activity::MAX_MINUTES)).contains(&minutes)
                && (0..=10).contains(&before)
                && (0..=10).contains(&after);
            match input.record(&c) {
                Ok(r) => {
                    prop_assert!(ok);
                    let RecordBody::Activity(a) = r.body else { panic!("not an activity") };
                    prop_assert_eq!(i64::from(a.minutes), minutes);
                }
                Err(e) => {
                    prop_assert!(!ok, "{}", e);
                    prop_assert!(!e.to_string().is_empty());
                }
            }
            let reaction = ReactionInput {
                situation: "news".into(),
                intensity: before,
                styles: vec!["humour".into()],
                ..Default::default()
            };
            prop_assert_eq!(reaction.record(vocabulary(), &c).is_ok(), (0..=10).contains(&before));
        }
    }

    #[test]
    fn absences_are_read_however_they_are_typed() {
        for (typed, want) in [
            ("nothing", Absence::Nothing),
            (" Nothing ", Absence::Nothing),
            ("cant-tell", Absence::CantTell),
            ("can't tell", Absence::CantTell),
            ("CAN’T TELL", Absence::CantTell),
            ("cant_tell", Absence::CantTell),
        ] {
            assert_eq!(parse_absence(typed).unwrap(), want, "{typed}");
        }
        assert!(parse_absence("something").unwrap_err().to_string().contains("cant-tell"));
    }
}
