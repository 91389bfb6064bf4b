//! Parsing the contract's JSON with errors that name the field.

use std::collections::HashSet;

use serde::de::DeserializeOwned;

use crate::catalog::Catalog;
use crate::error::{InputCode, InputError, ValueKind};
use crate::evaluate::EvaluationInput;
use crate::model::{Offer, PartnerData};

/// Parses JSON text into `T`, reporting the path of the offending field.
/// The document must be a JSON object: serde would also read a struct from an
/// array of its fields in order, which no caller means.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, InputError> {
    if !text.trim_start().starts_with('{') {
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| describe(String::new(), &e))?;
        return Err(InputError::new("", InputCode::NotAnObject));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        describe(path, e.inner())
    })?;
    // Trailing characters after the document are an error too.
    de.end().map_err(|e| describe(String::new(), &e))?;
    Ok(value)
}

/// A serde_json error at `path` (serde_path_to_error's) as an input error:
/// the field named, serde's wording turned into a code and parameters. The
/// server's JSON bodies use it too, so a body's errors have the same codes.
pub fn describe(path: String, e: &serde_json::Error) -> InputError {
    let full = e.to_string();
    let path = if path == "." { String::new() } else { path };
    if e.is_syntax() || e.is_eof() {
        return InputError::new(path, InputCode::InvalidJson).with("line", e.line()).with("column", e.column()).with("detail", full);
    }
    // serde_json appends " at line L column C"; the path already says where.
    let message = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    // Name the missing, unknown or repeated field itself, not only its parent.
    for (prefix, code) in [
        ("missing field `", InputCode::Missing),
        ("unknown field `", InputCode::UnknownField),
        ("duplicate field `", InputCode::DuplicateField),
    ] {
        if let Some(name) = message.strip_prefix(prefix).and_then(|rest| rest.split('`').next()) {
            let already_named = path == name || path.ends_with(&format!(".{name}"));
            let field = match () {
                _ if already_named => path.clone(),
                _ if path.is_empty() => name.to_string(),
                _ => format!("{path}.{name}"),
            };
            return InputError::new(field, code);
        }
    }
    classify(message).unwrap_or_else(|| InputError::new("", InputCode::InvalidValue).with("detail", message)).in_field(path)
}

/// A serde message as a code: serde's own wordings (`invalid type: …`,
/// `unknown variant …`) and the domain's (a date, an amount, a month), which
/// are an [`InputCode`]'s English words, maybe after the value in backticks.
fn classify(message: &str) -> Option<InputError> {
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, allowed) = rest.split_once('`')?;
        let allowed: Vec<&str> = allowed.split('`').skip(1).step_by(2).collect();
        return Some(InputError::new("", InputCode::UnknownValue).value(value).with("allowed", allowed.join(", ")));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ")?;
        let (found, expected) = (value_kind(found)?, value_kind(expected)?);
        return Some(InputError::new("", InputCode::WrongType).with("expected", expected.as_str()).with("found", found.as_str()));
    }
    if let Some(rest) = message.strip_prefix("invalid value: integer `") {
        let (value, expected) = rest.split_once("`, expected ")?;
        return ["u8", "u16", "u32", "u64", "usize"]
            .contains(&expected)
            .then(|| InputError::new("", InputCode::NotACount).value(value));
    }
    let (value, words) = match message.strip_prefix('`').and_then(|m| m.split_once("` ")) {
        Some((value, words)) => (Some(value), words),
        None => (None, message),
    };
    let code = crate::error::VALUE_WORDS.iter().find(|(_, w)| words.starts_with(w)).map(|(c, _)| *c)?;
    let e = InputError::new("", code);
    Some(match value {
        Some(v) => e.value(v),
        None => e,
    })
}

/// What serde calls a value (`string "x"`, `integer `5``, `u32`, `struct Catalog`).
fn value_kind(words: &str) -> Option<ValueKind> {
    let w = words.trim_start_matches("a ").trim_start_matches("an ");
    Some(match () {
        _ if w.starts_with("string") || w.starts_with("borrowed string") || w.starts_with("char") => ValueKind::String,
        _ if w.starts_with("integer") || w.starts_with("floating point") || w.starts_with("number")
            || ["u8", "u16", "u32", "u64", "usize", "i32", "i64", "f64"].contains(&w) => ValueKind::Number,
        _ if w.starts_with("boolean") || w == "bool" => ValueKind::Boolean,
        _ if w == "null" || w == "unit" => ValueKind::Null,
        _ if w.starts_with("map") || w.starts_with("struct") => ValueKind::Object,
        _ if w.starts_with("sequence") || w.starts_with("tuple") => ValueKind::Array,
        _ => return None,
    })
}

impl InputError {
    fn in_field(mut self, path: String) -> InputError {
        self.field = path;
        self
    }
}

/// Parses and validates a catalog.
pub fn parse_catalog(text: &str) -> Result<Catalog, InputError> {
    let catalog: Catalog = from_json(text).map_err(|e| prefix("catalog", e))?;
    catalog.validate()?;
    Ok(catalog)
}

/// Parses and validates the evaluation input of EVALUATE.md.
pub fn parse_input(text: &str) -> Result<EvaluationInput, InputError> {
    let input: EvaluationInput = from_json(text)?;
    input.validate()?;
    Ok(input)
}

fn prefix(root: &str, mut e: InputError) -> InputError {
    e.field = if e.field.is_empty() { root.to_string() } else { format!("{root}.{}", e.field) };
    e
}

/// The longest offer id.
pub const OFFER_ID_MAX: usize = 64;

/// An offer id a partner chooses: 1 to 64 letters, digits, dots, dashes or underscores.
pub fn validate_offer_id(id: &str) -> Result<(), InputError> {
    let ok = !id.is_empty() && id.len() <= OFFER_ID_MAX && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(InputError::new("id", InputCode::IdFormat).with("max", OFFER_ID_MAX))
    }
}

/// Checks one offer beyond its types; fields are named bare (`delisted_on`).
pub fn validate_offer(o: &Offer) -> Result<(), InputError> {
    if o.id.trim().is_empty() {
        return Err(InputError::new("id", InputCode::Empty));
    }
    if o.delisted_on.zip(o.live_on).is_some_and(|(d, l)| d < l) {
        return Err(InputError::new("delisted_on", InputCode::DelistedBeforeLive));
    }
    Ok(())
}

/// Checks a partner's data beyond its types.
pub fn validate_partner(p: &PartnerData, root: &str) -> Result<(), InputError> {
    let mut seen = HashSet::new();
    for (i, o) in p.offers.iter().enumerate() {
        validate_offer(o).map_err(|e| InputError { field: format!("{root}.offers[{i}].{}", e.field), ..e })?;
        if !seen.insert(o.id.as_str()) {
            return Err(InputError::new(format!("{root}.offers[{i}].id"), InputCode::DuplicateOffer).with("id", &o.id));
        }
    }
    Ok(())
}

/// `value` is not one of `words`: an `unknown_value` error listing them.
pub fn one_of<'a>(field: &str, value: &str, words: impl IntoIterator<Item = &'a str>) -> InputError {
    InputError::new(field, InputCode::UnknownValue).value(value).with("allowed", words.into_iter().collect::<Vec<_>>().join(", "))
}

/// Strict `YYYY-MM-DD` dates, with an error a partner understands.
pub mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::error::{value_message, InputCode, InputError};

    /// Exactly `YYYY-MM-DD`, a real calendar day. Digits are read by hand:
    /// chrono's format-string parser is large in the browser's download.
    /// The error names the value; its field is left empty for the caller.
    pub fn parse(s: &str) -> Result<NaiveDate, InputError> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return Err(InputError::new("", InputCode::InvalidDate).value(s));
        }
        let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
            .ok_or_else(|| InputError::new("", InputCode::NotACalendarDate).value(s))
    }

    /// `YYYY-MM-DD` (chrono's `Display` for the years this program deals with).
    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).map_err(|e| serde::de::Error::custom(value_message(e.code, e.params.get("value").map(String::as_str))))
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            match Option::<String>::deserialize(d)? {
                Some(s) => parse(&s).map(Some).map_err(|e| serde::de::Error::custom(value_message(e.code, e.params.get("value").map(String::as_str)))),
                None => Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::date;

    #[test]
    fn dates_are_strict_yyyy_mm_dd_calendar_days() {
        assert_eq!(date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(date::parse("0001-01-01").unwrap().to_string(), "0001-01-01");
        for bad in ["2023-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-4-01", "2025/04/01", "20250401", "2025-04-01T00", "+202-04-01", "２０２５-04-01", ""] {
            assert!(date::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(date::parse("2025-02-30").unwrap_err().to_string(), "`2025-02-30` is not a valid calendar date (YYYY-MM-DD)");
        assert_eq!(date::parse("2025/02/01").unwrap_err().code, crate::error::InputCode::InvalidDate);
    }
}
