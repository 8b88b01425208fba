//! Medicines, for the `/meds` page and `/api/v1/medications`: what a person sends to add a
//! medicine or note a change, turned into a thaw-core `MedEvent` that is checked against the
//! timeline (thaw-core `meds::timeline`) before it is saved. The same steps as `thaw med`; the rules
//! live in thaw-core, only the wording for a web page is here. Never advice.

use serde::{Deserialize, Serialize};
use thaw_core::meds::{
    Dose, DoseUnit, MedClass, MedEventKind, MedIdentity, MedStatus, MedicationState, check_new_event,
    current_medications, find_on_list, medications, name_key, near_on_list,
};
use thaw_core::{MedEvent, Record, RecordBody, RecordKind};
use thaw_store::{ListQuery, Store};

use crate::error::WebError;
use crate::input::Clock;

/// Said whenever a medicine is paused or stopped.
pub(crate) const ASK_FIRST: &str = "If this wasn't planned with your prescriber, it's worth letting them know \
     soon: stopping suddenly can cause withdrawal effects, and they can help you make changes safely.";

/// Said with every class note: information, not advice.
pub(crate) const NOT_ADVICE: &str =
    "This is information to help you talk it through, not advice about your medicine.";

/// A dose as JSON sends it (a number) or a form does (text).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum DoseText {
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

/// Adding a medicine (or starting one again): `thaw med add`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MedicationInput {
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

/// A change to a medicine already on the list: `thaw med dose|pause|stop|taken` (or `started`
/// again, which needs a dose).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MedEventInput {
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

/// What adding led to.
#[derive(Debug)]
pub(crate) enum Added {
    Saved {
        record: Record,
        restarted: bool,
    },
    /// The name looks like a misspelling of a medicine Thaw knows; nothing was saved.
    DidYouMean {
        typed: String,
        near: String,
    },
}

fn blank(text: Option<&str>) -> bool {
    text.is_none_or(|t| t.trim().is_empty())
}

/// The dose and its unit, both needed.
fn dose_and_unit(dose: Option<&DoseText>, unit: Option<&str>) -> Result<(Dose, DoseUnit), WebError> {
    let dose = dose.map(DoseText::text);
    if blank(dose.as_deref()) || blank(unit) {
        let units = DoseUnit::ALL.iter().map(|u| u.id()).collect::<Vec<_>>().join(", ");
        return Err(WebError::BadInput(format!(
            "Please add the dose and its unit, like 50 mg. It's on the box or the pharmacy label. Units: \
             {units}."
        )));
    }
    let unit = DoseUnit::parse(unit.unwrap_or_default())?;
    Ok((Dose::parse(&dose.unwrap_or_default(), unit)?, unit))
}

fn optional_dose(dose: Option<&DoseText>, unit: Option<&str>) -> Result<Option<(Dose, DoseUnit)>, WebError> {
    if blank(dose.map(DoseText::text).as_deref()) && blank(unit) {
        return Ok(None);
    }
    dose_and_unit(dose, unit).map(Some)
}

fn med_records(store: &dyn Store) -> Result<Vec<Record>, WebError> {
    Ok(store.list(&ListQuery::kind(RecordKind::Medication))?)
}

/// Every medicine on the person's list (taken now first, then paused, then stopped).
pub(crate) fn list(store: &dyn Store) -> Result<Vec<MedicationState>, WebError> {
    Ok(current_medications(&med_records(store)?))
}

/// The identity to record: Thaw's table when it knows the name, else the name already on the list.
fn identity_for(typed: &str, state: Option<&MedicationState>) -> Result<MedIdentity, WebError> {
    let mut identity = medications().identify(typed)?;
    if let Some(s) = state
        && !identity.is_known()
    {
        identity.name = s.name.clone();
    }
    Ok(identity)
}

/// The medicine on the list that `name` means, or a message saying how to add it.
fn on_list<'a>(states: &'a [MedicationState], name: &str) -> Result<&'a MedicationState, WebError> {
    find_on_list(states, name).ok_or_else(|| {
        let name = medications().lookup(name).map_or(name, |m| m.generic.as_str()).trim();
        let near = near_on_list(states, name);
        let hint =
            if near.is_empty() { String::new() } else { format!(" Did you mean {}?", near.join(" or ")) };
        WebError::BadInput(format!(
            "{name} isn't on your medicine list yet.{hint} Add it first, with its dose, and then its changes \
             can be noted."
        ))
    })
}

fn save(
    store: &dyn Store,
    records: &[Record],
    event: MedEvent,
    clock: &Clock,
    at: Option<&str>,
) -> Result<Record, WebError> {
    let record = Record::new(RecordBody::Medication(event), clock.at(at)?, clock.now);
    check_new_event(records, &record).map_err(|e| WebError::BadInput(web_words(&e.to_string())))?;
    store.insert(&record)?;
    Ok(record)
}

/// thaw-core's timeline messages name CLI commands; on a page, the form is right there.
fn web_words(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
            continue;
        }
        out.push_str(if part.starts_with("thaw med add") {
            "the form to add a medicine"
        } else if part.starts_with("thaw med dose") {
            "\"New dose\" under the medicine"
        } else {
            "your medicine list"
        });
    }
    out.replace(" with your medicine list", " on your medicine list")
}

/// Adds a medicine, or starts one on the list again.
pub(crate) fn add(store: &dyn Store, input: &MedicationInput, clock: &Clock) -> Result<Added, WebError> {
    let table = medications();
    let name = input.name.trim().to_owned();
    table.identify(&name)?;
    let dose = dose_and_unit(input.dose.as_ref(), input.unit.as_deref())?;
    clock.at(input.at.as_deref())?;
    let records = med_records(store)?;
    let states = current_medications(&records);
    let existing = find_on_list(&states, &name);
    let identity = identity_for(&name, existing)?;
    if !identity.is_known()
        && existing.is_none()
        && !input.as_typed
        && let Some(near) = table.likely_typo(&name)
    {
        return Ok(Added::DidYouMean { typed: name, near: near.to_owned() });
    }
    let restarted = existing.is_some_and(|s| s.status != MedStatus::Active);
    let event = MedEvent::new(identity, MedEventKind::Started, Some(dose), input.note.as_deref())?;
    let record = save(store, &records, event, clock, input.at.as_deref())?;
    Ok(Added::Saved { record, restarted })
}

/// The event kinds a change can be, by id.
pub(crate) fn event_kind(id: &str) -> Result<MedEventKind, WebError> {
    const KINDS: [MedEventKind; 5] = [
        MedEventKind::DoseChanged,
        MedEventKind::Paused,
        MedEventKind::Stopped,
        MedEventKind::Taken,
        MedEventKind::Started,
    ];
    KINDS.into_iter().find(|k| k.id() == id.trim()).ok_or_else(|| {
        WebError::BadInput(format!(
            "\"{}\" isn't a change Thaw can note. Choose one of: dose-changed, paused, stopped, taken, started.",
            id.trim()
        ))
    })
}

/// Notes a change to a medicine on the list.
pub(crate) fn change(
    store: &dyn Store,
    name: &str,
    input: &MedEventInput,
    clock: &Clock,
) -> Result<Record, WebError> {
    let kind = event_kind(&input.event)?;
    medications().identify(name)?;
    let dose = if kind.sets_dose() {
        Some(dose_and_unit(input.dose.as_ref(), input.unit.as_deref())?)
    } else {
        optional_dose(input.dose.as_ref(), input.unit.as_deref())?
    };
    clock.at(input.at.as_deref())?;
    let records = med_records(store)?;
    let states = current_medications(&records);
    let state = on_list(&states, name)?;
    let identity = identity_for(name, Some(state))?;
    let event = MedEvent::new(identity, kind, dose, input.note.as_deref())?;
    save(store, &records, event, clock, input.at.as_deref())
}

/// One medicine on the list, for the API: its state and timeline, plus what Thaw knows about its
/// group (the same fields as `thaw med list --json`, and `id` for addressing it).
#[derive(Debug, Serialize)]
pub(crate) struct MedView {
    /// The name folded to letters and digits: `/api/v1/medications/{id}`.
    pub id: String,
    #[serde(flatten)]
    pub state: MedicationState,
    pub class_name: Option<String>,
    pub class_short: Option<String>,
    pub blunting_reported: bool,
    pub blunting_note: Option<String>,
    pub prescriber_question: Option<String>,
}

pub(crate) fn class_of(state: &MedicationState) -> Option<&'static MedClass> {
    state.class.as_deref().and_then(|c| medications().class(c))
}

impl MedView {
    pub(crate) fn new(state: MedicationState) -> Self {
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

/// The medicine on the list with this id or name.
pub(crate) fn find(store: &dyn Store, name: &str) -> Result<MedicationState, WebError> {
    let states = list(store)?;
    on_list(&states, name).cloned()
}

/// What Thaw's table says about a medicine: `thaw med info --json`.
#[derive(Debug, Serialize)]
pub(crate) struct InfoView {
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

/// A medicine from Thaw's table, or a message with close names.
pub(crate) fn info(name: &str) -> Result<InfoView, (String, Vec<String>)> {
    let table = medications();
    let unknown = |near: Vec<String>| {
        let hint =
            if near.is_empty() { String::new() } else { format!(" Did you mean {}?", near.join(" or ")) };
        (
            format!(
                "Thaw doesn't know \"{}\".{hint} You can still keep any medicine on your list, just as you type it.",
                name.trim()
            ),
            near,
        )
    };
    if name.trim().is_empty() {
        return Err(("Please type a medicine's name, like sertraline or Zoloft.".to_owned(), Vec::new()));
    }
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
pub(crate) fn event_words(kind: MedEventKind) -> &'static str {
    match kind {
        MedEventKind::Started => "started",
        MedEventKind::DoseChanged => "dose changed",
        MedEventKind::Paused => "paused",
        MedEventKind::Stopped => "stopped",
        MedEventKind::Taken => "taken",
    }
}

/// "taking", "paused", "stopped".
pub(crate) fn status_words(status: MedStatus) -> &'static str {
    match status {
        MedStatus::Active => "taking",
        MedStatus::Paused => "paused",
        MedStatus::Stopped => "stopped",
    }
}
