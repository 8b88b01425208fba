//! CSV export: one table per record type, built from each record's JSON so that a new kind gets
//! its own file without changes here.
//!
//! Columns: `id, type, at, local_date, local_time, created_at, updated_at`, then the record's own
//! fields in the order its type declares them. Nested objects become dotted columns
//! (`a.b`); a list of plain values is one cell joined with ` | `; a list of flat objects (a
//! check-in's `emotions`) becomes one column per field (`emotions.word`, `emotions.intensity`),
//! each joined with ` | ` in the same order, so the n-th values belong together. Anything deeper,
//! or a value that itself contains ` | `, is written as JSON text in its cell.

use std::io::Write;

use jiff::tz::TimeZone;
use thaw_core::Record;

use super::ordered::Ordered;
use super::{sorted, type_of};
use crate::ExportError;

/// Joins the values of a list in one cell.
pub const LIST_SEPARATOR: &str = " | ";

/// Columns every table starts with.
const LEADING: [&str; 7] = ["id", "type", "at", "local_date", "local_time", "created_at", "updated_at"];
/// Record fields already shown in the leading columns.
const FIXED_FIELDS: [&str; 5] = ["id", "type", "at", "created_at", "updated_at"];

/// One record's cells: (column, text), in the record's own order.
type Cells = Vec<(String, String)>;

/// The records of one type as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTable {
    /// The record type (`checkin`, `journal`, …); the file is `<kind>.csv`.
    pub kind: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// `<kind>.csv`, with anything but lowercase letters, digits, `-` and `_` replaced.
    pub fn file_name(&self) -> String {
        let safe: String =
            self.kind
                .chars()
                .map(|c| {
                    if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' { c } else { '_' }
                })
                .collect();
        format!("{safe}.csv")
    }

    /// UTF-8 with a byte-order mark (so spreadsheet programs detect the encoding), a header row,
    /// then one row per record; fields are quoted when they hold commas, quotes or line breaks.
    pub fn write<W: Write>(&self, mut out: W) -> Result<W, ExportError> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut writer = csv::Writer::from_writer(out);
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let cells: Vec<_> = row.iter().map(|c| neutralise_cell(c)).collect();
            writer.write_record(cells.iter().map(|c| c.as_bytes()))?;
        }
        writer.flush()?;
        writer.into_inner().map_err(|e| ExportError::Io(std::io::Error::other(e.to_string())))
    }
}

/// A cell a spreadsheet could read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'`, as OWASP advises against CSV injection; spreadsheet programs
/// show the text as written and don't evaluate it. Plain numbers (`-3`, `+1.5`) are left alone.
pub fn neutralise_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().map_or(true, |n| !n.is_finite()) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// One table per record type present, sorted by type; rows in export order.
pub fn csv_tables(records: &[Record], tz: &TimeZone) -> Result<Vec<CsvTable>, ExportError> {
    let mut by_kind: Vec<(String, Vec<Cells>)> = Vec::new();
    for record in sorted(records.to_vec()) {
        let kind = type_of(&record).to_owned();
        let cells = flatten_record(&record, tz)?;
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, rows)) => rows.push(cells),
            None => by_kind.push((kind, vec![cells])),
        }
    }
    by_kind.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(by_kind.into_iter().map(|(kind, rows)| table(kind, rows)).collect())
}

fn table(kind: String, rows: Vec<Cells>) -> CsvTable {
    // Merge the columns of all rows, keeping each row's order: a column first seen in a later
    // row goes right after the column that precedes it there.
    let mut header: Vec<String> = LEADING.iter().map(|s| (*s).to_owned()).collect();
    for row in &rows {
        let mut last = LEADING.len() - 1;
        for (col, _) in row {
            match header.iter().position(|h| h == col) {
                Some(i) => last = i,
                None => {
                    last += 1;
                    header.insert(last, col.clone());
                }
            }
        }
    }
    // An empty list leaves a bare `emotions` column; drop it when `emotions.word` carries the data.
    let bare_lists: Vec<String> = header
        .iter()
        .filter(|h| {
            let nested = format!("{h}.");
            header.iter().any(|o| o.starts_with(&nested))
                && rows.iter().all(|row| row.iter().find(|(c, _)| c == *h).is_none_or(|(_, v)| v.is_empty()))
        })
        .cloned()
        .collect();
    header.retain(|h| !bare_lists.contains(h));
    let rows = rows
        .into_iter()
        .map(|row| {
            header
                .iter()
                .map(|h| row.iter().find(|(c, _)| c == h).map(|(_, v)| v.clone()).unwrap_or_default())
                .collect()
        })
        .collect();
    CsvTable { kind, header, rows }
}

fn flatten_record(record: &Record, tz: &TimeZone) -> Result<Cells, ExportError> {
    let zoned = record.at.as_jiff().to_zoned(tz.clone());
    let mut cells = vec![
        ("id".to_owned(), record.id.to_string()),
        ("type".to_owned(), type_of(record).to_owned()),
        ("at".to_owned(), record.at.rfc3339()),
        ("local_date".to_owned(), zoned.date().to_string()),
        ("local_time".to_owned(), zoned.strftime("%H:%M").to_string()),
        ("created_at".to_owned(), record.created_at.rfc3339()),
        ("updated_at".to_owned(), record.updated_at.rfc3339()),
    ];
    if let Ordered::Object(fields) = Ordered::of(record)? {
        for (key, value) in &fields {
            if !FIXED_FIELDS.contains(&key.as_str()) {
                flatten(key, value, &mut cells);
            }
        }
    }
    Ok(cells)
}

fn json_text(value: &Ordered) -> String {
    value.to_value().to_string()
}

fn flatten(col: &str, value: &Ordered, out: &mut Cells) {
    match value {
        Ordered::Scalar(_) => out.push((col.to_owned(), value.scalar_text().unwrap_or_default())),
        Ordered::Object(fields) if fields.is_empty() => out.push((col.to_owned(), String::new())),
        Ordered::Object(fields) => {
            for (key, v) in fields {
                flatten(&format!("{col}.{key}"), v, out);
            }
        }
        Ordered::Array(items) => flatten_list(col, value, items, out),
    }
}

fn flatten_list(col: &str, whole: &Ordered, items: &[Ordered], out: &mut Cells) {
    let joinable = |texts: &[String]| texts.iter().all(|t| !t.contains(LIST_SEPARATOR));
    if items.iter().all(Ordered::is_scalar) {
        let texts: Vec<String> = items.iter().filter_map(Ordered::scalar_text).collect();
        let cell = if joinable(&texts) { texts.join(LIST_SEPARATOR) } else { json_text(whole) };
        out.push((col.to_owned(), cell));
        return;
    }
    // A list of flat objects: one column per field.
    let mut keys: Vec<&str> = Vec::new();
    for item in items {
        match item {
            Ordered::Object(fields) if fields.iter().all(|(_, v)| v.is_scalar()) => {
                for (k, _) in fields {
                    if !keys.contains(&k.as_str()) {
                        keys.push(k);
                    }
                }
            }
            _ => {
                out.push((col.to_owned(), json_text(whole)));
                return;
            }
        }
    }
    let mut columns = Vec::new();
    for key in &keys {
        let texts: Vec<String> = items
            .iter()
            .map(|item| match item {
                Ordered::Object(fields) => fields
                    .iter()
                    .find(|(k, _)| k == key)
                    .and_then(|(_, v)| v.scalar_text())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .collect();
        if !joinable(&texts) {
            out.push((col.to_owned(), json_text(whole)));
            return;
        }
        columns.push((format!("{col}.{key}"), texts.join(LIST_SEPARATOR)));
    }
    out.extend(columns);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(json: &str) -> Vec<(String, String)> {
        let value: Ordered = serde_json::from_str(json).unwrap();
        let mut out = Vec::new();
        if let Ordered::Object(fields) = value {
            for (k, v) in &fields {
                flatten(k, v, &mut out);
            }
        }
        out
    }

    #[test]
    fn lists_of_flat_objects_become_aligned_columns() {
        let got = cells(r#"{"emotions":[{"word":"hurt","intensity":6},{"word":"tired"}],"tags":["a","b"]}"#);
        assert_eq!(
            got,
            vec![
                ("emotions.word".to_owned(), "hurt | tired".to_owned()),
                ("emotions.intensity".to_owned(), "6 | ".to_owned()),
                ("tags".to_owned(), "a | b".to_owned()),
            ]
        );
    }

    #[test]
    fn awkward_values_fall_back_to_json_text() {
        let got = cells(r#"{"tags":["a | b","c"],"deep":[[1,2]],"obj":{"x":{"y":null}}}"#);
        assert_eq!(got[0], ("tags".to_owned(), r#"["a | b","c"]"#.to_owned()));
        assert_eq!(got[1], ("deep".to_owned(), "[[1,2]]".to_owned()));
        assert_eq!(got[2], ("obj.x.y".to_owned(), String::new()));
    }

    #[test]
    fn columns_merge_in_declared_order() {
        let rows = vec![
            vec![("title".to_owned(), "a".to_owned()), ("starred".to_owned(), "false".to_owned())],
            vec![
                ("title".to_owned(), "b".to_owned()),
                ("prompt".to_owned(), "p".to_owned()),
                ("starred".to_owned(), "true".to_owned()),
            ],
        ];
        let t = table("journal".into(), rows);
        assert_eq!(&t.header[7..], ["title", "prompt", "starred"]);
        assert_eq!(t.rows[0][8], "");
        assert_eq!(t.file_name(), "journal.csv");
    }
}

#[cfg(test)]
mod injection {
    use super::*;

    fn written(cells: &[&str]) -> String {
        let table = CsvTable {
            kind: "journal".into(),
            header: vec!["title".into(); cells.len()],
            rows: vec![cells.iter().map(|c| (*c).to_owned()).collect()],
        };
        let bytes = table.write(Vec::new()).expect("write");
        String::from_utf8(bytes).expect("utf-8").lines().nth(1).expect("row").to_owned()
    }

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_leading_quote() {
        assert_eq!(
            written(&["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "ok"]),
            "'=1+1,'+SUM(A1),'-2+3,'@cmd,'\tx,ok"
        );
        // A carriage return at the start: quoted by CSV, neutralised inside the quotes.
        assert_eq!(written(&["\rx"]), "\"'\rx\"");
        // Plain numbers stay numbers; text that merely contains the signs is left as written.
        assert_eq!(written(&["-3", "+1.5", "a=b", "x@y"]), "-3,+1.5,a=b,x@y");
        assert_eq!(written(&["-inf", "=HYPERLINK(\"http://x\")"]), "'-inf,\"'=HYPERLINK(\"\"http://x\"\")\"");
    }
}
