//! Medicines: the built-in table of antidepressants from `content/medications.toml` (embedded at
//! compile time), resolving what a person types ("Zoloft", "sertraline ") to one medicine, doses
//! and their units, and the medication events a person records. The timeline and current state
//! are derived in [`timeline`].
//!
//! Nothing here advises anyone about a medicine: the table only names things and carries neutral
//! notes and questions a person can bring to their prescriber.

pub mod timeline;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use timeline::{
    MedStatus, MedicationState, check_new_event, current_medications, find_on_list, near_on_list,
};

use crate::CoreError;
use crate::record::MAX_NOTE;
use crate::text::{closest, normalise};

const MEDICATIONS_TOML: &str = include_str!("../../../content/medications.toml");

/// A group of medicines, with what is known about emotional blunting for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedClass {
    pub id: String,
    /// A label for lists: "SSRI", "tricyclic".
    pub short: String,
    pub name: String,
    /// Whether people commonly report emotional blunting with this group.
    pub blunting_reported: bool,
    /// A neutral note, ending with the reminder not to stop or change a dose alone.
    pub note: String,
    /// A question the person could bring to their prescriber.
    pub prescriber_question: String,
}

/// One medicine in the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Medicine {
    pub generic: String,
    /// Other names for the same medicine, such as an older name (dothiepin for dosulepin).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub brands: Vec<String>,
    /// A class id.
    pub class: String,
    /// The WHO ATC code.
    pub atc: String,
    /// The code was not checked against the WHO index.
    #[serde(default)]
    pub atc_unverified: bool,
}

impl Medicine {
    /// Every name this medicine goes by: generic, aliases, brands.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.generic).chain(&self.aliases).chain(&self.brands)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MedicationsFile {
    version: u32,
    class: Vec<MedClass>,
    medication: Vec<Medicine>,
}

/// The loaded table, with an index from every name's [`name_key`] to its medicine.
#[derive(Debug, Clone)]
pub struct MedTable {
    version: u32,
    classes: Vec<MedClass>,
    medicines: Vec<Medicine>,
    index: HashMap<String, usize>,
    /// Lowercase names for "did you mean", with the medicine each belongs to.
    names: Vec<(String, usize)>,
}

/// The table shipped with Thaw.
pub fn medications() -> &'static MedTable {
    static TABLE: OnceLock<MedTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        // Compiled in and checked by the schema tests: failing here is a build bug, not user input.
        MedTable::parse(MEDICATIONS_TOML).expect("content/medications.toml is valid (schema test)")
    })
}

/// How names are compared: lowercase letters and digits only, so "Effexor-XR", "effexor xr" and
/// "St John's wort" / "st johns wort" match.
pub fn name_key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// What Thaw knows about a typed name: the medicine's generic name, class and ATC code, or only
/// the name as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MedIdentity {
    /// The generic name when known, otherwise the name as typed (trimmed).
    pub name: String,
    pub generic: Option<String>,
    pub class: Option<String>,
    pub atc: Option<String>,
}

impl MedIdentity {
    pub fn is_known(&self) -> bool {
        self.generic.is_some()
    }

    /// The key that groups events of one medicine.
    pub fn key(&self) -> String {
        name_key(&self.name)
    }
}

impl MedTable {
    /// Parses and checks a table.
    pub fn parse(text: &str) -> Result<MedTable, String> {
        let file: MedicationsFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut table = MedTable {
            version: file.version,
            classes: Vec::new(),
            medicines: Vec::new(),
            index: HashMap::new(),
            names: Vec::new(),
        };
        for class in file.class {
            if table.classes.iter().any(|c| c.id == class.id) {
                return Err(format!("class \"{}\" appears twice", class.id));
            }
            for (what, text) in [("short", &class.short), ("name", &class.name), ("note", &class.note)] {
                if text.trim().is_empty() {
                    return Err(format!("class \"{}\": {what} is empty", class.id));
                }
            }
            if class.prescriber_question.trim().is_empty() {
                return Err(format!("class \"{}\": prescriber_question is empty", class.id));
            }
            table.classes.push(class);
        }
        for med in file.medication {
            if table.class(&med.class).is_none() {
                return Err(format!("{}: unknown class \"{}\"", med.generic, med.class));
            }
            if med.generic != normalise(&med.generic) {
                return Err(format!("\"{}\": a generic name is lowercase", med.generic));
            }
            let at = table.medicines.len();
            for name in med.names() {
                let key = name_key(name);
                if key.is_empty() {
                    return Err(format!("{}: an empty name", med.generic));
                }
                if table.index.insert(key, at).is_some() {
                    return Err(format!("\"{name}\" names two medicines (or one twice)"));
                }
                table.names.push((normalise(name), at));
            }
            table.medicines.push(med);
        }
        Ok(table)
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn classes(&self) -> &[MedClass] {
        &self.classes
    }

    pub fn medicines(&self) -> &[Medicine] {
        &self.medicines
    }

    pub fn class(&self, id: &str) -> Option<&MedClass> {
        self.classes.iter().find(|c| c.id == id)
    }

    /// Finds a generic name, alias or brand, ignoring case, spaces, hyphens and apostrophes.
    pub fn lookup(&self, name: &str) -> Option<&Medicine> {
        self.index.get(&name_key(name)).map(|&i| &self.medicines[i])
    }

    /// Up to three generic names close to `name`, for "did you mean".
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let candidates = self.names.iter().map(|(n, _)| n.as_str());
        let mut out: Vec<String> = Vec::new();
        for hit in closest(name, candidates, 8) {
            if let Some((_, i)) = self.names.iter().find(|(n, _)| *n == hit) {
                let generic = &self.medicines[*i].generic;
                if !out.contains(generic) {
                    out.push(generic.clone());
                }
            }
        }
        out.truncate(3);
        out
    }

    /// The generic name a typed name most likely misspells: at most two edits from one of the
    /// medicine's names (one for short names). Stricter than [`MedTable::suggest`], so that an
    /// unknown medicine isn't taken for a typo of a known one just because they share an ending.
    pub fn likely_typo(&self, name: &str) -> Option<&str> {
        let key = name_key(name);
        let allowed = if key.chars().count() <= 5 { 1 } else { 2 };
        self.index
            .iter()
            .map(|(k, &i)| (strsim::damerau_levenshtein(&key, k), k, i))
            .filter(|(d, _, _)| *d > 0 && *d <= allowed)
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
            .map(|(_, _, i)| self.medicines[i].generic.as_str())
    }

    /// What Thaw knows about a typed name. Unknown names are fine: they are kept as typed.
    pub fn identify(&self, typed: &str) -> Result<MedIdentity, CoreError> {
        let name = crate::text::required_line(typed, "The medicine's name", crate::record::MAX_SHORT)?;
        Ok(match self.lookup(&name) {
            Some(med) => MedIdentity {
                name: med.generic.clone(),
                generic: Some(med.generic.clone()),
                class: Some(med.class.clone()),
                atc: Some(med.atc.clone()),
            },
            None => MedIdentity { name, generic: None, class: None, atc: None },
        })
    }
}

/// How much of a medicine: a positive amount with at most three decimal places, kept exactly (in
/// thousandths) so that 0.125 stays 0.125. In JSON it is a number.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = f64))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Dose(u64);

impl Dose {
    /// Parses typed text like `50`, `37.5` or `0.125` for a dose in `unit`, checking that it is more
    /// than zero and not more than any real dose in that unit.
    pub fn parse(input: &str, unit: DoseUnit) -> Result<Dose, CoreError> {
        let text = input.trim();
        let not_a_number = || {
            CoreError::Invalid(format!(
                "The dose must be a number, like 50 or 12.5 (with a point for decimals); \"{text}\" isn't."
            ))
        };
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
            return Err(not_a_number());
        }
        if fraction.len() > 3 {
            return Err(CoreError::Invalid(format!(
                "The dose can have at most three decimal places; \"{text}\" has more. For very small doses, \
                 a smaller unit such as mcg may fit better."
            )));
        }
        let whole: u64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| not_a_number())? };
        let fraction: u64 = format!("{fraction:0<3}").parse().map_err(|_| not_a_number())?;
        let thousandths =
            whole.checked_mul(1000).and_then(|w| w.checked_add(fraction)).ok_or_else(not_a_number)?;
        if thousandths == 0 {
            return Err(CoreError::Invalid("The dose must be more than 0.".to_owned()));
        }
        if thousandths > unit.max_dose() * 1000 {
            return Err(CoreError::Invalid(format!(
                "{text} {unit} is more than any usual dose (Thaw accepts up to {} {unit}). Please check the \
                 number and the unit on the label.",
                unit.max_dose()
            )));
        }
        Ok(Dose(thousandths))
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// Whether this is exactly one (for "1 tablet" rather than "1 tablets").
    pub fn is_one(self) -> bool {
        self.0 == 1000
    }
}

impl fmt::Display for Dose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.0 / 1000, self.0 % 1000);
        if fraction == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{fraction:03}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl Serialize for Dose {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(1000) {
            serializer.serialize_u64(self.0 / 1000)
        } else {
            serializer.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Dose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        let scaled = value * 1000.0;
        let rounded = scaled.round();
        if !value.is_finite() || !(1.0..=1e12).contains(&rounded) || (scaled - rounded).abs() > 1e-6 {
            return Err(serde::de::Error::custom(format!(
                "a dose must be more than 0 with at most three decimal places, not {value}"
            )));
        }
        Ok(Dose(rounded as u64))
    }
}

/// Units a dose can be given in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DoseUnit {
    #[serde(rename = "mg")]
    Mg,
    #[serde(rename = "mcg")]
    Mcg,
    #[serde(rename = "g")]
    G,
    #[serde(rename = "ml")]
    Ml,
    #[serde(rename = "drops")]
    Drops,
    #[serde(rename = "tablets")]
    Tablets,
    #[serde(rename = "capsules")]
    Capsules,
    #[serde(rename = "patches")]
    Patches,
    #[serde(rename = "sprays")]
    Sprays,
}

impl DoseUnit {
    pub const ALL: &'static [DoseUnit] = &[
        DoseUnit::Mg,
        DoseUnit::Mcg,
        DoseUnit::G,
        DoseUnit::Ml,
        DoseUnit::Drops,
        DoseUnit::Tablets,
        DoseUnit::Capsules,
        DoseUnit::Patches,
        DoseUnit::Sprays,
    ];

    pub fn id(self) -> &'static str {
        match self {
            DoseUnit::Mg => "mg",
            DoseUnit::Mcg => "mcg",
            DoseUnit::G => "g",
            DoseUnit::Ml => "ml",
            DoseUnit::Drops => "drops",
            DoseUnit::Tablets => "tablets",
            DoseUnit::Capsules => "capsules",
            DoseUnit::Patches => "patches",
            DoseUnit::Sprays => "sprays",
        }
    }

    /// Other ways people write the unit.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            DoseUnit::Mg => &["milligram", "milligrams", "mgs"],
            DoseUnit::Mcg => &["µg", "μg", "ug", "microgram", "micrograms"],
            DoseUnit::G => &["gram", "grams"],
            DoseUnit::Ml => &["millilitre", "millilitres", "milliliter", "milliliters", "mls"],
            DoseUnit::Drops => &["drop", "gtt"],
            DoseUnit::Tablets => &["tablet", "tab", "tabs", "pill", "pills"],
            DoseUnit::Capsules => &["capsule", "cap", "caps"],
            DoseUnit::Patches => &["patch"],
            DoseUnit::Sprays => &["spray", "puff", "puffs"],
        }
    }

    /// The largest dose Thaw accepts in this unit: far above any real single dose, low enough to
    /// catch a slipped key or the wrong unit.
    pub fn max_dose(self) -> u64 {
        match self {
            DoseUnit::Mg => 5000,
            DoseUnit::Mcg => 50_000,
            DoseUnit::G => 10,
            DoseUnit::Ml => 100,
            DoseUnit::Drops => 100,
            DoseUnit::Tablets | DoseUnit::Capsules | DoseUnit::Sprays => 20,
            DoseUnit::Patches => 5,
        }
    }

    /// Accepts the unit or a common spelling of it, in any case.
    pub fn parse(input: &str) -> Result<DoseUnit, CoreError> {
        let n = normalise(input).replace('.', "");
        DoseUnit::ALL.iter().copied().find(|u| u.id() == n || u.aliases().contains(&n.as_str())).ok_or_else(
            || CoreError::UnknownChoice {
                what: "dose unit",
                input: input.trim().to_owned(),
                choices: DoseUnit::ALL.iter().map(|u| u.id().to_owned()).collect(),
            },
        )
    }

    /// "50 mg", "1 tablet", "2 tablets".
    pub fn amount(self, dose: Dose) -> String {
        let unit = if dose.is_one() {
            match self {
                DoseUnit::Drops => "drop",
                DoseUnit::Tablets => "tablet",
                DoseUnit::Capsules => "capsule",
                DoseUnit::Patches => "patch",
                DoseUnit::Sprays => "spray",
                other => other.id(),
            }
        } else {
            self.id()
        };
        format!("{dose} {unit}")
    }
}

impl fmt::Display for DoseUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What happened with a medicine.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MedEventKind {
    /// Started, or started again after a pause or a stop.
    Started,
    DoseChanged,
    Paused,
    Stopped,
    /// The optional "taken today" log.
    Taken,
}

impl MedEventKind {
    pub fn id(self) -> &'static str {
        match self {
            MedEventKind::Started => "started",
            MedEventKind::DoseChanged => "dose-changed",
            MedEventKind::Paused => "paused",
            MedEventKind::Stopped => "stopped",
            MedEventKind::Taken => "taken",
        }
    }

    /// Whether this event sets a dose (and so needs one).
    pub fn sets_dose(self) -> bool {
        matches!(self, MedEventKind::Started | MedEventKind::DoseChanged)
    }
}

impl fmt::Display for MedEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One event on a medicine's timeline. `name` is the generic name when Thaw knows the medicine,
/// otherwise the name as the person typed it (then `generic`, `class` and `atc` are absent).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedEvent {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atc: Option<String>,
    pub event: MedEventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<Dose>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<DoseUnit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl MedEvent {
    /// Checks the parts together: starting or changing a dose needs the dose and its unit; pausing,
    /// stopping and "taken" carry none.
    pub fn new(
        identity: MedIdentity,
        event: MedEventKind,
        dose: Option<(Dose, DoseUnit)>,
        note: Option<&str>,
    ) -> Result<MedEvent, CoreError> {
        if event.sets_dose() && dose.is_none() {
            return Err(CoreError::DoseNeeded);
        }
        if !event.sets_dose() && dose.is_some() {
            return Err(CoreError::Invalid(format!("A \"{event}\" entry doesn't take a dose.")));
        }
        let note = match note {
            None => None,
            Some(text) => Some(crate::text::bounded(text, "The note", MAX_NOTE)?).filter(|t| !t.is_empty()),
        };
        Ok(MedEvent {
            name: identity.name,
            generic: identity.generic,
            class: identity.class,
            atc: identity.atc,
            event,
            dose: dose.map(|(d, _)| d),
            unit: dose.map(|(_, u)| u),
            note,
        })
    }

    /// The key that groups events of one medicine. A name typed before Thaw's table knew it joins
    /// the same medicine once the table does.
    pub fn key(&self) -> String {
        match medications().lookup(&self.name) {
            Some(med) => name_key(&med.generic),
            None => name_key(&self.name),
        }
    }

    /// "50 mg", if this event has a dose.
    pub fn amount(&self) -> Option<String> {
        Some(self.unit?.amount(self.dose?))
    }

    /// The text a person wrote, for search.
    pub fn search_parts(&self) -> Vec<&str> {
        [Some(self.name.as_str()), self.note.as_deref()].into_iter().flatten().collect()
    }

    /// One line for lists: "sertraline · started · 50 mg".
    pub fn summary(&self) -> String {
        let what = match self.event {
            MedEventKind::Started => "started",
            MedEventKind::DoseChanged => "dose changed",
            MedEventKind::Paused => "paused",
            MedEventKind::Stopped => "stopped",
            MedEventKind::Taken => "taken",
        };
        let mut s = format!("{} · {what}", self.name);
        if let Some(amount) = self.amount() {
            s.push_str(&format!(" · {amount}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands_and_generics_resolve_to_one_medicine() {
        let t = medications();
        for typed in ["Zoloft", "zoloft ", "SERTRALINE", " Lustral"] {
            let id = t.identify(typed).unwrap();
            assert_eq!(id.name, "sertraline", "{typed}");
            assert_eq!(id.generic.as_deref(), Some("sertraline"));
            assert_eq!(id.class.as_deref(), Some("ssri"));
            assert_eq!(id.atc.as_deref(), Some("N06AB06"));
        }
        assert_eq!(t.lookup("Effexor-XR").map(|m| m.generic.as_str()), Some("venlafaxine"));
        assert_eq!(t.lookup("effexor xr").map(|m| m.generic.as_str()), Some("venlafaxine"));
        assert_eq!(t.lookup("dothiepin").map(|m| m.generic.as_str()), Some("dosulepin"));
        assert_eq!(t.lookup("St Johns Wort").map(|m| m.generic.as_str()), Some("st john's wort"));
        assert_eq!(t.class("ssri").map(|c| c.blunting_reported), Some(true));
    }

    #[test]
    fn close_names_are_suggested_and_unknown_names_kept_as_typed() {
        let t = medications();
        assert!(t.lookup("sertralin").is_none());
        assert_eq!(t.suggest("sertralin").first().map(String::as_str), Some("sertraline"));
        assert_eq!(t.suggest("zolof").first().map(String::as_str), Some("sertraline"));
        assert_eq!(t.likely_typo("sertralin"), Some("sertraline"));
        assert_eq!(t.likely_typo("Zolfot"), Some("sertraline"));
        assert_eq!(t.likely_typo("Blorpamine"), None, "sharing an ending isn't a typo");
        assert_eq!(t.likely_typo("lithium"), None);
        assert_eq!(t.likely_typo("sertraline"), None, "an exact name isn't a typo");
        let id = t.identify("  Lithium carbonate ").unwrap();
        assert!(!id.is_known());
        assert_eq!(id.name, "Lithium carbonate");
        assert_eq!(id.key(), "lithiumcarbonate");
        assert!(t.identify("   ").is_err());
    }

    #[test]
    fn doses_parse_exactly_and_reject_nonsense() {
        let mg = DoseUnit::Mg;
        assert_eq!(Dose::parse("50", mg).unwrap().to_string(), "50");
        assert_eq!(Dose::parse(" 37.5 ", mg).unwrap().to_string(), "37.5");
        assert_eq!(Dose::parse("0.125", mg).unwrap().to_string(), "0.125");
        assert_eq!(Dose::parse(".5", mg).unwrap().to_string(), "0.5");
        assert_eq!(Dose::parse("20.0", mg).unwrap(), Dose::parse("20", mg).unwrap());
        for bad in ["0", "0.000", "-5", "abc", "", ".", "1e3", "12,5", "0.0001", "NaN", "inf", "5001"] {
            assert!(Dose::parse(bad, mg).is_err(), "{bad}");
        }
        assert!(Dose::parse("6", DoseUnit::Patches).is_err());
        assert!(Dose::parse("99999999999999999999", mg).is_err());
        let err = Dose::parse("12,5", mg).unwrap_err().to_string();
        assert!(err.contains("point"), "{err}");
    }

    #[test]
    fn doses_are_numbers_in_json() {
        let d = Dose::parse("50", DoseUnit::Mg).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "50");
        let d = Dose::parse("37.5", DoseUnit::Mg).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "37.5");
        assert_eq!(serde_json::from_str::<Dose>("37.5").unwrap(), d);
        assert_eq!(serde_json::from_str::<Dose>("0.125").unwrap().to_string(), "0.125");
        assert!(serde_json::from_str::<Dose>("0").is_err());
        assert!(serde_json::from_str::<Dose>("-1").is_err());
        assert!(serde_json::from_str::<Dose>("0.0001").is_err());
    }

    #[test]
    fn units_accept_common_spellings() {
        assert_eq!(DoseUnit::parse("MG").unwrap(), DoseUnit::Mg);
        assert_eq!(DoseUnit::parse("µg").unwrap(), DoseUnit::Mcg);
        assert_eq!(DoseUnit::parse("patch").unwrap(), DoseUnit::Patches);
        assert_eq!(DoseUnit::parse("mL").unwrap(), DoseUnit::Ml);
        let err = DoseUnit::parse("spoonful").unwrap_err().to_string();
        assert!(err.contains("mg") && err.contains("drops"), "{err}");
        let one = Dose::parse("1", DoseUnit::Tablets).unwrap();
        assert_eq!(DoseUnit::Tablets.amount(one), "1 tablet");
        assert_eq!(DoseUnit::Mg.amount(Dose::parse("1", DoseUnit::Mg).unwrap()), "1 mg");
    }

    #[test]
    fn events_need_a_dose_only_when_they_set_one() {
        let id = medications().identify("Zoloft").unwrap();
        let dose = Some((Dose::parse("50", DoseUnit::Mg).unwrap(), DoseUnit::Mg));
        assert!(MedEvent::new(id.clone(), MedEventKind::Started, None, None).is_err());
        assert!(MedEvent::new(id.clone(), MedEventKind::Paused, dose, None).is_err());
        let e = MedEvent::new(id.clone(), MedEventKind::Started, dose, Some("  ")).unwrap();
        assert_eq!(e.note, None);
        assert_eq!(e.summary(), "sertraline · started · 50 mg");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["event"], "started");
        assert_eq!(json["unit"], "mg");
        assert_eq!(json["dose"], 50);
    }
}
