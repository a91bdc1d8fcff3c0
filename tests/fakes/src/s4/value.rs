//! Property values and their OData v2 forms: JSON (verbose format, dates as
//! `/Date(ms)/` and `/Date(ms+0000)/`) and URI literals (`guid'…'`,
//! `datetime'…'`, `'…'` with `''` escaping) as
//! [OData v2 URI conventions §2.2.2](https://www.odata.org/documentation/odata-version-2-0/overview/#AbstractTypeSystem)
//! and SAP Gateway use them.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::edm::{EdmType, Property};

/// One property value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v")]
pub enum Value {
    /// No value.
    Null,
    /// `Edm.String`.
    Text(String),
    /// `Edm.Guid`.
    Guid(Uuid),
    /// `Edm.DateTime` (a UTC instant without offset).
    DateTime(DateTime<Utc>),
    /// `Edm.DateTimeOffset`.
    DateTimeOffset(DateTime<Utc>),
    /// `Edm.Boolean`.
    Bool(bool),
    /// `Edm.Int32` (and integer literals).
    Int(i64),
}

impl Value {
    /// The empty value of a type, as ABAP initialises a field.
    pub fn initial(ty: EdmType) -> Value {
        match ty {
            EdmType::String => Value::Text(String::new()),
            EdmType::Boolean => Value::Bool(false),
            EdmType::Int32 => Value::Int(0),
            EdmType::Guid | EdmType::DateTime | EdmType::DateTimeOffset => Value::Null,
        }
    }

    /// The text, for string values.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The instant, for both date types.
    pub fn as_instant(&self) -> Option<DateTime<Utc>> {
        match self {
            Value::DateTime(t) | Value::DateTimeOffset(t) => Some(*t),
            _ => None,
        }
    }

    /// The value in the JSON verbose format.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Text(s) => serde_json::Value::String(s.clone()),
            Value::Guid(g) => serde_json::Value::String(g.hyphenated().to_string()),
            Value::DateTime(t) => format!("/Date({})/", t.timestamp_millis()).into(),
            Value::DateTimeOffset(t) => format!("/Date({}+0000)/", t.timestamp_millis()).into(),
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
        }
    }

    /// The value as an OData URI literal (for key predicates).
    pub fn to_literal(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
            Value::Guid(g) => format!("guid'{}'", g.hyphenated()),
            Value::DateTime(t) => format!("datetime'{}'", t.format("%Y-%m-%dT%H:%M:%S")),
            Value::DateTimeOffset(t) => format!(
                "datetimeoffset'{}'",
                t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
            ),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
        }
    }

    /// Converts a JSON payload value into a value of `property`'s type.
    /// The error says what was expected, for the SAP error message.
    pub fn from_json(property: &Property, json: &serde_json::Value) -> Result<Value, String> {
        use serde_json::Value as J;
        let wrong = |what: &str| {
            format!(
                "Property '{}' has an invalid value {}: expected {what}",
                property.name,
                short(json)
            )
        };
        if json.is_null() {
            return Ok(match property.ty {
                EdmType::String => Value::Text(String::new()),
                _ => Value::Null,
            });
        }
        match (property.ty, json) {
            (EdmType::String, J::String(s)) => {
                let n = s.chars().count();
                match property.max_len {
                    Some(max) if n > max => Err(format!(
                        "Property '{}' is too long: {n} characters, MaxLength is {max}; shorten the value",
                        property.name
                    )),
                    _ => Ok(Value::Text(s.clone())),
                }
            }
            (EdmType::String, _) => Err(wrong("an Edm.String")),
            (EdmType::Guid, J::String(s)) => Uuid::try_parse(s.trim())
                .map(Value::Guid)
                .map_err(|_| wrong("an Edm.Guid such as 0050568c-2b4f-1ee8-a1b2-c3d4e5f60718")),
            (EdmType::Boolean, J::Bool(b)) => Ok(Value::Bool(*b)),
            (EdmType::Int32, J::Number(n)) => n
                .as_i64()
                .filter(|i| i32::try_from(*i).is_ok())
                .map(Value::Int)
                .ok_or_else(|| wrong("an Edm.Int32")),
            (EdmType::DateTime, J::String(s)) => parse_json_date(s)
                .map(Value::DateTime)
                .ok_or_else(|| wrong("an Edm.DateTime as \"/Date(<ms>)/\"")),
            (EdmType::DateTimeOffset, J::String(s)) => parse_json_date(s)
                .map(Value::DateTimeOffset)
                .ok_or_else(|| wrong("an Edm.DateTimeOffset as \"/Date(<ms>+0000)/\"")),
            (ty, _) => Err(wrong(ty.edm_name())),
        }
    }
}

fn short(json: &serde_json::Value) -> String {
    let text = json.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

/// Parses `/Date(ms)/`, `/Date(ms+hhmm)/` (offset in minutes, as SAP's
/// and the Cloud SDK's converters read it) and ISO 8601 (`2026-11-27T09:30:00`,
/// with or without offset), which Gateway also accepts in JSON payloads.
pub fn parse_json_date(text: &str) -> Option<DateTime<Utc>> {
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .and_then(|t| t.strip_suffix(")/"))
    {
        let split = inner
            .get(1..)?
            .find(['+', '-'])
            .map(|i| i + 1)
            .unwrap_or(inner.len());
        let millis: i64 = inner[..split].parse().ok()?;
        // The offset only says in which zone the instant was entered; the
        // milliseconds are UTC already.
        if split < inner.len() {
            let offset = &inner[split + 1..];
            if offset.len() != 4 || !offset.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
        }
        return Utc.timestamp_millis_opt(millis).single();
    }
    parse_iso(text)
}

/// Parses an ISO 8601 date-time as used in URI literals: without zone it is
/// UTC (as `Edm.DateTime` is), with `Z` or an offset it is converted.
pub fn parse_iso(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    None
}

/// The 7 decimal places of a CRM time stamp (100 ns), which chrono's
/// format strings do not offer.
pub fn hundred_nanos(t: &DateTime<Utc>) -> String {
    format!("{:07}", t.timestamp_subsec_nanos() / 100)
}

/// A long time stamp as ABAP writes it: `20261127093000.1234567`.
pub fn abap_timestamp(t: &DateTime<Utc>) -> String {
    format!("{}.{}", t.format("%Y%m%d%H%M%S"), hundred_nanos(t))
}

/// SAP's ALPHA conversion of a business partner number: numeric numbers
/// are stored with leading zeros to 10 digits; others in upper case.
pub fn alpha(number: &str) -> String {
    let t = number.trim();
    if !t.is_empty() && t.len() <= 10 && t.bytes().all(|b| b.is_ascii_digit()) {
        format!("{t:0>10}")
    } else {
        t.to_ascii_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s4::edm::Property;

    #[test]
    fn dates_use_the_verbose_json_forms() {
        let t = Utc.timestamp_millis_opt(1_535_932_800_000).unwrap();
        assert_eq!(Value::DateTime(t).to_json(), "/Date(1535932800000)/");
        assert_eq!(
            Value::DateTimeOffset(t).to_json(),
            "/Date(1535932800000+0000)/"
        );
        assert_eq!(parse_json_date("/Date(1535932800000)/"), Some(t));
        assert_eq!(parse_json_date("/Date(1535932800000+1000)/"), Some(t));
        assert_eq!(parse_json_date("/Date(-1000)/").unwrap().timestamp(), -1);
        assert_eq!(parse_json_date("2018-09-03T00:00:00"), Some(t));
        assert_eq!(parse_json_date("/Date(abc)/"), None);
        assert_eq!(parse_json_date("/Date(1+10)/"), None);
        assert_eq!(parse_json_date("/Date()/"), None);
        assert_eq!(parse_json_date("/Date(é)/"), None);
    }

    #[test]
    fn strings_longer_than_max_length_are_rejected_naming_the_property() {
        let p = Property::string("Description", 5, "Description");
        assert_eq!(
            Value::from_json(&p, &"äöüßx".into()).unwrap(),
            Value::Text("äöüßx".into())
        );
        let err = Value::from_json(&p, &"123456".into()).unwrap_err();
        assert!(
            err.contains("'Description'") && err.contains("MaxLength is 5"),
            "{err}"
        );
        let err = Value::from_json(&p, &serde_json::json!(5)).unwrap_err();
        assert!(err.contains("expected an Edm.String"), "{err}");
    }

    #[test]
    fn literals_escape_quotes() {
        assert_eq!(Value::Text("O'Neil".into()).to_literal(), "'O''Neil'");
        let g = Uuid::nil();
        assert_eq!(
            Value::Guid(g).to_literal(),
            "guid'00000000-0000-0000-0000-000000000000'"
        );
        assert_eq!(alpha("4711"), "0000004711");
        assert_eq!(alpha("ext1"), "EXT1");
    }
}
