//! The case file: the input every later command reads (`imr facts`, `imr review`, ...).
//!
//! JSON or TOML with the same fields. Wrong types give an error that names the field by its path
//! (`requests[0].item`), so the person who wrote the file can fix it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A case as submitted for review: the header, the clinical summary and the disputed requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    #[serde(default)]
    pub case_number: Option<String>,
    #[serde(default)]
    pub date_of_injury: Option<Date>,
    #[serde(default)]
    pub ur_denial_date: Option<Date>,
    /// The clinical case summary or medical record text the facts are read from.
    #[serde(default)]
    pub clinical_summary: String,
    pub requests: Vec<CaseRequest>,
}

/// One disputed request of a case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRequest {
    /// The item as the request names it ("Norco 10/325mg #60").
    pub item: String,
    /// Where the claims administrator authorized part of it: the whole original request.
    #[serde(default)]
    pub original_request: Option<String>,
    /// What the claims administrator authorized.
    #[serde(default)]
    pub authorized: Option<String>,
}

/// The file's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Toml,
}

/// Why a case file could not be read. The message names the field and the place, never the
/// clinical text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaseFileError {
    #[error("the case file is empty")]
    Empty,
    #[error("field `{field}`: {message}")]
    Field { field: String, message: String },
    #[error("{0}")]
    Syntax(String),
}

impl CaseFile {
    /// Reads a case file in the given syntax.
    pub fn parse(text: &str, format: Format) -> Result<CaseFile, CaseFileError> {
        if text.trim().is_empty() {
            return Err(CaseFileError::Empty);
        }
        let value: Value = match format {
            Format::Json => serde_json::from_str(text)
                .map_err(|e| CaseFileError::Syntax(format!("JSON: {e}")))?,
            Format::Toml => {
                let table: toml::Table = toml::from_str(text)
                    .map_err(|e| CaseFileError::Syntax(format!("TOML: {e}")))?;
                let mut value = serde_json::to_value(table)
                    .map_err(|e| CaseFileError::Syntax(e.to_string()))?;
                unwrap_toml_dates(&mut value);
                value
            }
        };
        CaseFile::from_value(&value)
    }

    /// Reads JSON or TOML, choosing by the first non-blank character (`{` is JSON).
    pub fn parse_any(text: &str) -> Result<CaseFile, CaseFileError> {
        let format = if text.trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Toml
        };
        CaseFile::parse(text, format)
    }

    /// Field by field, so that a wrong type is reported with the field's path.
    fn from_value(value: &Value) -> Result<CaseFile, CaseFileError> {
        let Value::Object(top) = value else {
            return Err(CaseFileError::Syntax(format!(
                "a case file is a table of fields, not {}",
                type_name(value)
            )));
        };
        let requests = match top.get("requests") {
            None | Some(Value::Null) => {
                return Err(CaseFileError::Field {
                    field: "requests".into(),
                    message: "missing: a case needs at least one disputed request".into(),
                });
            }
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| read_request(i, item))
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => {
                return Err(CaseFileError::Field {
                    field: "requests".into(),
                    message: format!("expected a list of requests, found {}", type_name(other)),
                });
            }
        };
        Ok(CaseFile {
            case_number: field(top, "case_number", "")?,
            date_of_injury: field(top, "date_of_injury", "")?,
            ur_denial_date: field(top, "ur_denial_date", "")?,
            clinical_summary: field::<Option<String>>(top, "clinical_summary", "")?
                .unwrap_or_default(),
            requests,
        })
    }
}

fn read_request(index: usize, value: &Value) -> Result<CaseRequest, CaseFileError> {
    let prefix = format!("requests[{index}].");
    // A bare string is accepted as the item itself.
    if let Value::String(item) = value {
        return Ok(CaseRequest {
            item: item.clone(),
            original_request: None,
            authorized: None,
        });
    }
    let Value::Object(map) = value else {
        return Err(CaseFileError::Field {
            field: format!("requests[{index}]"),
            message: format!("expected a table with `item`, found {}", type_name(value)),
        });
    };
    let item: Option<String> = field(map, "item", &prefix)?;
    let Some(item) = item else {
        return Err(CaseFileError::Field {
            field: format!("{prefix}item"),
            message: "missing: name the disputed item".into(),
        });
    };
    Ok(CaseRequest {
        item,
        original_request: field(map, "original_request", &prefix)?,
        authorized: field(map, "authorized", &prefix)?,
    })
}

/// One optional field, its type checked; the error names `prefix` + `name`.
fn field<T: serde::de::DeserializeOwned>(
    map: &serde_json::Map<String, Value>,
    name: &str,
    prefix: &str,
) -> Result<T, CaseFileError> {
    let value = map.get(name).cloned().unwrap_or(Value::Null);
    let found = type_name(&value);
    serde_json::from_value(value).map_err(|e| CaseFileError::Field {
        field: format!("{prefix}{name}"),
        // serde's message can quote the value; keep only what kind of value it was.
        message: match e.to_string().split_once("expected") {
            _ if name.contains("date") => format!("expected a date as YYYY-MM-DD, found {found}"),
            Some((_, expected)) => format!("expected{expected}, found {found}"),
            None if found == "a string" => "not a valid value (dates are YYYY-MM-DD)".to_string(),
            None => format!("not a valid value ({found})"),
        },
    })
}

/// TOML's own dates (`date_of_injury = 2017-01-05`) arrive as a one-key table holding the date
/// as text; the text is what the fields read.
fn unwrap_toml_dates(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.len() == 1
                && let Some(Value::String(date)) = map.get("$__toml_private_datetime")
            {
                *value = Value::String(date.clone());
                return;
            }
            map.values_mut().for_each(unwrap_toml_dates);
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_toml_dates),
        _ => {}
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}
