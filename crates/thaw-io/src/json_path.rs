//! Reading JSON from other apps field by field, so that every error names its place in the file
//! (`entries[3].date`) rather than only a line and column.

use serde_json::Value;

use crate::ImportError;

/// Parses JSON text; a syntax error names its line and column.
pub(crate) fn parse(text: &str, what: &str) -> Result<Value, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        ImportError::format(format!(
            "This isn't valid JSON, so it can't be {what} (line {}, column {}: {}).",
            e.line(),
            e.column(),
            describe(&e)
        ))
    })
}

fn describe(err: &serde_json::Error) -> String {
    // serde_json appends " at line L column C" to its message; the caller says that already.
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// A value and where it is in the file.
#[derive(Debug, Clone)]
pub(crate) struct At<'a> {
    pub value: &'a Value,
    path: String,
}

impl<'a> At<'a> {
    pub fn root(value: &'a Value) -> Self {
        Self { value, path: String::new() }
    }

    pub fn path(&self) -> &str {
        if self.path.is_empty() { "(the whole file)" } else { &self.path }
    }

    pub fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::field(self.path(), message)
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) }
    }

    /// A field of an object; `None` when missing or null.
    pub fn get(&self, key: &str) -> Option<At<'a>> {
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(At { value, path: self.child_path(key) }),
        }
    }

    /// A field that must be there.
    pub fn require(&self, key: &str) -> Result<At<'a>, ImportError> {
        self.get(key).ok_or_else(|| ImportError::field(self.child_path(key), "this field is missing"))
    }

    pub fn object(&self) -> Result<&'a serde_json::Map<String, Value>, ImportError> {
        self.value
            .as_object()
            .ok_or_else(|| self.error(format!("expected an object, found {}", kind(self.value))))
    }

    /// The items of an array, each with its path.
    pub fn items(&self) -> Result<Vec<At<'a>>, ImportError> {
        let items = self
            .value
            .as_array()
            .ok_or_else(|| self.error(format!("expected a list, found {}", kind(self.value))))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| At { value, path: format!("{}[{i}]", self.path) })
            .collect())
    }

    pub fn str(&self) -> Result<&'a str, ImportError> {
        self.value.as_str().ok_or_else(|| self.error(format!("expected text, found {}", kind(self.value))))
    }

    pub fn bool(&self) -> Result<bool, ImportError> {
        self.value
            .as_bool()
            .ok_or_else(|| self.error(format!("expected true or false, found {}", kind(self.value))))
    }

    /// An optional text field: missing or null is `None`, anything but text is an error.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, ImportError> {
        self.get(key).map(|c| c.str()).transpose()
    }

    /// An optional true/false field, false when missing.
    pub fn opt_bool(&self, key: &str) -> Result<bool, ImportError> {
        Ok(self.get(key).map(|c| c.bool()).transpose()?.unwrap_or(false))
    }

    /// An optional list of text, empty when missing.
    pub fn opt_str_list(&self, key: &str) -> Result<Vec<String>, ImportError> {
        let Some(list) = self.get(key) else { return Ok(Vec::new()) };
        list.items()?.iter().map(|c| c.str().map(str::to_owned)).collect()
    }
}

/// What a value is, for messages ("a number", "text").
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
