//! Medicines: adding one (names resolved through Thaw's table, "did you mean" for a likely typo),
//! noting a change (checked against the timeline), the list and what Thaw's table knows. Never
//! advice: Thaw records what happened and prepares questions for the prescriber.

use serde::{Deserialize, Serialize};
use thaw_core::meds::{
    Dose, DoseUnit, MedClass, MedEventKind, MedIdentity, MedStatus, MedicationState, check_new_event,
    current_medications, find_on_list, medications, name_key, near_on_list,
};
use thaw_core::{MedEvent, Record, RecordBody, RecordKind};
use thaw_store::ListQuery;

use crate::{App, AppError};

/// Said whenever a medicine is paused or stopped.
pub const ASK_FIRST: &str = "If this wasn't planned with your prescriber, it's worth letting them know \
     soon: stopping suddenly can cause withdrawal effects, and they can help you make changes safely.";

/// Said with every class note: information, not advice.
pub const NOT_ADVICE: &str =
    "This is information to help you talk it through, not advice about your medicine.";

/// A dose as JSON sends it (a number) or as typed (text).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DoseText {
    Number(f64),
    Text(String),
}

impl DoseText {
    fn text(&self) -> String {
        match self {
            DoseText::Number(n) => n.to_string(),
            DoseText::Text(t) => t.clone(),
        }
    }
}

/// Adding a medicine (or starting one again).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationInput {
    pub name: String,
    #[serde(default)]
    pub dose: Option<DoseText>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    /// Keep a name Thaw doesn't know just as typed, even when it looks like a typo.
    #[serde(default)]
    pub as_typed: bool,
}

/// A change to a medicine already on the list (or `started` again, which needs a dose).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = MedicationEventInput))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedEventInput {
    /// `dose-changed`, `paused`, `stopped`, `taken` or `started`.
    pub event: String,
    #[serde(default)]
    pub dose: Option<DoseText>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
}

/// A medicine just added.
#[derive(Debug, Clone)]
pub struct Added {
    pub record: Record,
    /// It was on the list, paused or stopped, and is taken again now.
    pub restarted: bool,
    /// Thaw's table doesn't know the name: it's kept as typed, without a group.
    pub unknown_name: bool,
}

impl Added {
    /// The class of the medicine just added, when Thaw knows it.
    pub fn class(&self) -> Option<&'static MedClass> {
        match &self.record.body {
            RecordBody::Medication(e) => e.class.as_deref().and_then(|c| medications().class(c)),
            _ => None,
        }
    }
}

fn blank(text: Option<&str>) -> bool {
    text.is_none_or(|t| t.trim().is_empty())
}

fn dose_needed() -> AppError {
    AppError::DoseNeeded { units: DoseUnit::ALL.iter().map(|u| u.id()).collect::<Vec<_>>().join(", ") }
}

/// The dose and its unit, both needed.
fn dose_and_unit(dose: Option<&DoseText>, unit: Option<&str>) -> Result<(Dose, DoseUnit), AppError> {
    let dose = dose.map(DoseText::text);
    if blank(dose.as_deref()) || blank(unit) {
        return Err(dose_needed());
    }
    let unit = DoseUnit::parse(unit.unwrap_or_default())?;
    Ok((Dose::parse(&dose.unwrap_or_default(), unit)?, unit))
}

fn optional_dose(dose: Option<&DoseText>, unit: Option<&str>) -> Result<Option<(Dose, DoseUnit)>, AppError> {
    if blank(dose.map(DoseText::text).as_deref()) && blank(unit) {
        return Ok(None);
    }
    dose_and_unit(dose, unit).map(Some)
}

/// The identity to record: Thaw's table when it knows the name, else the name already on the list.
fn identity_for(typed: &str, state: Option<&MedicationState>) -> Result<MedIdentity, AppError> {
    let mut identity = medications().identify(typed)?;
    if let Some(s) = state
        && !identity.is_known()
    {
        identity.name = s.name.clone();
    }
    Ok(identity)
}

/// The medicine on the list that `name` means.
fn on_list<'a>(states: &'a [MedicationState], name: &str) -> Result<&'a MedicationState, AppError> {
    find_on_list(states, name).ok_or_else(|| {
        // A brand leads to its generic name, which is what the list shows.
        let name = medications().lookup(name).map_or(name, |m| m.generic.as_str()).trim().to_owned();
        let near = near_on_list(states, &name);
        AppError::NotOnList { name, near: near.into_iter().map(str::to_owned).collect() }
    })
}

/// The event kinds a change can be, by id.
pub fn event_kind(id: &str) -> Result<MedEventKind, AppError> {
    const KINDS: [MedEventKind; 5] = [
        MedEventKind::DoseChanged,
        MedEventKind::Paused,
        MedEventKind::Stopped,
        MedEventKind::Taken,
        MedEventKind::Started,
    ];
    KINDS.into_iter().find(|k| k.id() == id.trim()).ok_or_else(|| {
        AppError::Core(thaw_core::CoreError::UnknownChoice {
            what: "change",
            input: id.trim().to_owned(),
            choices: KINDS.iter().map(|k| k.id().to_owned()).collect(),
        })
    })
}

impl App<'_> {
    fn med_records(&self) -> Result<Vec<Record>, AppError> {
        Ok(self.store.list(&ListQuery::kind(RecordKind::Medication))?)
    }

    /// Every medicine on the person's list (taken now first, then paused, then stopped).
    pub fn medicines(&self) -> Result<Vec<MedicationState>, AppError> {
        Ok(current_medications(&self.med_records()?))
    }

    /// The medicine on the list with this id or name.
    pub fn medicine(&self, name: &str) -> Result<MedicationState, AppError> {
        let states = self.medicines()?;
        on_list(&states, name).cloned()
    }

    /// Checks the event against the timeline and saves it.
    fn save_med(&self, records: &[Record], event: MedEvent, at: Option<&str>) -> Result<Record, AppError> {
        let record = Record::new(RecordBody::Medication(event), self.clock.at(at)?, self.clock.now);
        check_new_event(records, &record).map_err(AppError::Timeline)?;
        self.store.insert(&record)?;
        Ok(record)
    }

    /// Adds a medicine, or starts one on the list again. A name that looks like a misspelling of
    /// one Thaw knows is refused with [`AppError::LikelyTypo`] unless `as_typed`.
    pub fn add_medicine(&self, input: &MedicationInput) -> Result<Added, AppError> {
        let table = medications();
        let name = input.name.trim().to_owned();
        table.identify(&name)?;
        let dose = dose_and_unit(input.dose.as_ref(), input.unit.as_deref())?;
        self.clock.at(input.at.as_deref())?;
        let records = self.med_records()?;
        let states = current_medications(&records);
        let existing = find_on_list(&states, &name);
        let identity = identity_for(&name, existing)?;
        if !identity.is_known()
            && existing.is_none()
            && !input.as_typed
            && let Some(near) = table.likely_typo(&name)
        {
            return Err(AppError::LikelyTypo { typed: name, near: near.to_owned() });
        }
        let restarted = existing.is_some_and(|s| s.status != MedStatus::Active);
        let unknown_name = !identity.is_known();
        let event = MedEvent::new(identity, MedEventKind::Started, Some(dose), input.note.as_deref())?;
        let record = self.save_med(&records, event, input.at.as_deref())?;
        Ok(Added { record, restarted, unknown_name })
    }

    /// Notes a change to a medicine on the list.
    pub fn change_medicine(&self, name: &str, input: &MedEventInput) -> Result<Record, AppError> {
        let kind = event_kind(&input.event)?;
        medications().identify(name)?;
        let dose = if kind.sets_dose() {
            Some(dose_and_unit(input.dose.as_ref(), input.unit.as_deref())?)
        } else {
            optional_dose(input.dose.as_ref(), input.unit.as_deref())?
        };
        self.clock.at(input.at.as_deref())?;
        let records = self.med_records()?;
        let states = current_medications(&records);
        let state = on_list(&states, name)?;
        let identity = identity_for(name, Some(state))?;
        let event = MedEvent::new(identity, kind, dose, input.note.as_deref())?;
        self.save_med(&records, event, input.at.as_deref())
    }
}

/// The class Thaw knows for a medicine on the list.
pub fn class_of(state: &MedicationState) -> Option<&'static MedClass> {
    state.class.as_deref().and_then(|c| medications().class(c))
}

/// One medicine on the list: its state and timeline, plus what Thaw knows about its group.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Medication))]
#[derive(Debug, Clone, Serialize)]
pub struct MedView {
    /// The name folded to letters and digits, for addressing it.
    pub id: String,
    #[serde(flatten)]
    pub state: MedicationState,
    pub class_name: Option<String>,
    pub class_short: Option<String>,
    pub blunting_reported: bool,
    pub blunting_note: Option<String>,
    pub prescriber_question: Option<String>,
}

impl MedView {
    pub fn new(state: MedicationState) -> Self {
        let class = class_of(&state);
        MedView {
            id: name_key(&state.name),
            class_name: class.map(|c| c.name.clone()),
            class_short: class.map(|c| c.short.clone()),
            blunting_reported: class.is_some_and(|c| c.blunting_reported),
            blunting_note: class.map(|c| c.note.clone()),
            prescriber_question: class.map(|c| c.prescriber_question.clone()),
            state,
        }
    }
}

/// What Thaw's table says about a medicine.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = MedicationInfo))]
#[derive(Debug, Clone, Serialize)]
pub struct InfoView {
    pub generic: String,
    pub aliases: Vec<String>,
    pub brands: Vec<String>,
    pub class: String,
    pub class_name: String,
    pub class_short: String,
    pub atc: String,
    pub atc_unverified: bool,
    pub blunting_reported: bool,
    pub blunting_note: String,
    pub prescriber_question: String,
    pub not_advice: &'static str,
}

/// A medicine from Thaw's table, or [`AppError::UnknownMedicine`] with close names.
pub fn info(name: &str) -> Result<InfoView, AppError> {
    let table = medications();
    if name.trim().is_empty() {
        return Err(thaw_core::CoreError::Empty { what: "The medicine's name" }.into());
    }
    let unknown = |near: Vec<String>| AppError::UnknownMedicine { name: name.trim().to_owned(), near };
    let Some(med) = table.lookup(name) else {
        return Err(unknown(table.suggest(name)));
    };
    let Some(class) = table.class(&med.class) else {
        return Err(unknown(Vec::new()));
    };
    Ok(InfoView {
        generic: med.generic.clone(),
        aliases: med.aliases.clone(),
        brands: med.brands.clone(),
        class: class.id.clone(),
        class_name: class.name.clone(),
        class_short: class.short.clone(),
        atc: med.atc.clone(),
        atc_unverified: med.atc_unverified,
        blunting_reported: class.blunting_reported,
        blunting_note: class.note.clone(),
        prescriber_question: class.prescriber_question.clone(),
        not_advice: NOT_ADVICE,
    })
}

/// "started", "dose changed" … for a timeline line.
pub fn event_words(kind: MedEventKind) -> &'static str {
    match kind {
        MedEventKind::Started => "started",
        MedEventKind::DoseChanged => "dose changed",
        MedEventKind::Paused => "paused",
        MedEventKind::Stopped => "stopped",
        MedEventKind::Taken => "taken",
    }
}

/// "taking", "paused", "stopped".
pub fn status_words(status: MedStatus) -> &'static str {
    match status {
        MedStatus::Active => "taking",
        MedStatus::Paused => "paused",
        MedStatus::Stopped => "stopped",
    }
}
