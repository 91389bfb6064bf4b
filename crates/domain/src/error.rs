//! The one error the domain reports for bad input: which field, a stable code
//! for what is wrong, and the parameters a message needs (a limit, the value
//! given). The English sentence is made from these for logs, the CLI and the
//! API's `message`; the app words each code in the user's language.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Why input is refused: documents (the evaluation input, a catalog), the
/// values in them, and the rows of a feed file. Stable on the wire (snake_case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InputCode {
    // The JSON document.
    NotAnObject,
    /// `line`, `column`, `detail` (the parser's English words).
    InvalidJson,
    Missing,
    UnknownField,
    DuplicateField,
    /// `expected`, `found`: value kinds ([`ValueKind`]).
    WrongType,
    /// `value`, `allowed` (the accepted words, comma-separated).
    UnknownValue,
    /// `detail`: the parser's English words for a value it refused.
    InvalidValue,
    // Values.
    Empty,
    NotACount,
    InvalidDate,
    NotACalendarDate,
    InvalidMonth,
    AmountEmpty,
    AmountNotDecimal,
    AmountDecimals,
    AmountTooLarge,
    /// `max`.
    IdFormat,
    /// `max`.
    TextTooLong,
    NotAnEmail,
    /// `min`.
    AtLeast,
    /// Text holding U+0000, which no text of the program carries (and
    /// PostgreSQL cannot store).
    NulCharacter,
    // The catalog.
    /// `id`.
    DuplicateBenefit,
    /// `id`.
    UnknownBenefit,
    ZeroTier,
    /// A catalog version dated before today.
    InPast,
    SumOnly,
    TiersNotAscending,
    // A partner's data.
    DelistedBeforeLive,
    /// `id`.
    DuplicateOffer,
    SalesWithDaily,
    /// `max`.
    TooManyDays,
    // Feed files.
    /// `max`.
    TooManyRows,
    HeaderNotText,
    /// `columns`.
    EmptyFile,
    /// `columns`.
    MissingColumn,
    /// `columns`.
    UnknownColumn,
    /// `len`, `expected`.
    ColumnCount,
    LineNotUtf8,
    NotCsv,
    Unreadable,
    NotARowObject,
    NotScalar,
    /// `detail`.
    TrailingText,
    NotAnArray,
    /// `first`: the line that has the key first.
    DuplicateKey,
    UnknownPartner,
    UnknownOffer,
    /// `partner`.
    SaleOfOtherPartner,
}

impl InputCode {
    pub const ALL: [InputCode; 49] = {
        use InputCode::*;
        [
            NotAnObject, InvalidJson, Missing, UnknownField, DuplicateField, WrongType, UnknownValue, InvalidValue, Empty,
            NotACount, InvalidDate, NotACalendarDate, InvalidMonth, AmountEmpty, AmountNotDecimal, AmountDecimals,
            AmountTooLarge, IdFormat, TextTooLong, NotAnEmail, AtLeast, DuplicateBenefit, UnknownBenefit, ZeroTier, InPast, SumOnly,
            TiersNotAscending, DelistedBeforeLive, DuplicateOffer, SalesWithDaily, TooManyDays, TooManyRows, HeaderNotText,
            EmptyFile, MissingColumn, UnknownColumn, ColumnCount, LineNotUtf8, NotCsv, Unreadable, NotARowObject, NotScalar,
            TrailingText, NotAnArray, DuplicateKey, UnknownPartner, UnknownOffer, SaleOfOtherPartner, NulCharacter,
        ]
    };

    /// The code as it appears on the wire (`not_a_calendar_date`).
    pub fn as_str(self) -> &'static str {
        use InputCode::*;
        match self {
            NotAnObject => "not_an_object",
            InvalidJson => "invalid_json",
            Missing => "missing",
            UnknownField => "unknown_field",
            DuplicateField => "duplicate_field",
            WrongType => "wrong_type",
            UnknownValue => "unknown_value",
            InvalidValue => "invalid_value",
            Empty => "empty",
            NotACount => "not_a_count",
            InvalidDate => "invalid_date",
            NotACalendarDate => "not_a_calendar_date",
            InvalidMonth => "invalid_month",
            AmountEmpty => "amount_empty",
            AmountNotDecimal => "amount_not_decimal",
            AmountDecimals => "amount_decimals",
            AmountTooLarge => "amount_too_large",
            IdFormat => "id_format",
            TextTooLong => "text_too_long",
            NotAnEmail => "not_an_email",
            AtLeast => "at_least",
            DuplicateBenefit => "duplicate_benefit",
            UnknownBenefit => "unknown_benefit",
            ZeroTier => "zero_tier",
            InPast => "in_past",
            SumOnly => "sum_only",
            TiersNotAscending => "tiers_not_ascending",
            DelistedBeforeLive => "delisted_before_live",
            DuplicateOffer => "duplicate_offer",
            SalesWithDaily => "sales_with_daily",
            TooManyDays => "too_many_days",
            NulCharacter => "nul_character",
            TooManyRows => "too_many_rows",
            HeaderNotText => "header_not_text",
            EmptyFile => "empty_file",
            MissingColumn => "missing_column",
            UnknownColumn => "unknown_column",
            ColumnCount => "column_count",
            LineNotUtf8 => "line_not_utf8",
            NotCsv => "not_csv",
            Unreadable => "unreadable",
            NotARowObject => "not_a_row_object",
            NotScalar => "not_scalar",
            TrailingText => "trailing_text",
            NotAnArray => "not_an_array",
            DuplicateKey => "duplicate_key",
            UnknownPartner => "unknown_partner",
            UnknownOffer => "unknown_offer",
            SaleOfOtherPartner => "sale_of_other_partner",
        }
    }

    /// The code of a wire string, `None` for any other code (a form field's).
    pub fn parse(s: &str) -> Option<InputCode> {
        InputCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The English sentence, `{name}` standing for a parameter. The value at
    /// fault, when known, is put before it (see [`InputError::message`]).
    pub fn english(self) -> &'static str {
        use InputCode::*;
        match self {
            NotAnObject => "the document must be a JSON object",
            InvalidJson => "not valid JSON: {detail}",
            Missing => "is required",
            UnknownField => "is not a known field",
            DuplicateField => "is given twice",
            WrongType => "must be {expected}, not {found}",
            UnknownValue => "must be one of {allowed}",
            InvalidValue => "{detail}",
            Empty => "must not be empty",
            NotACount => "must be a whole number, 0 or more",
            InvalidDate | NotACalendarDate | InvalidMonth | AmountEmpty | AmountNotDecimal | AmountDecimals | AmountTooLarge => {
                VALUE_WORDS.iter().find(|(c, _)| *c == self).map_or("", |(_, w)| w)
            }
            IdFormat => "must be 1 to {max} letters, digits, dots, dashes or underscores",
            TextTooLong => "must be at most {max} characters",
            NotAnEmail => "is not an email address",
            AtLeast => "must be at least {min}",
            DuplicateBenefit => "benefit `{id}` is defined twice",
            UnknownBenefit => "names benefit `{id}`, which the catalog does not define",
            ZeroTier => "tiers are positive integers; 0 is not a tier",
            InPast => "a catalog version applies from today or a later day; grants already recorded are never re-decided",
            SumOnly => "must be `sum`; `max` is only for teams_mau",
            TiersNotAscending => {
                "tiers must be listed in ascending order, each with a higher tier number and a higher min than the one before"
            }
            DelistedBeforeLive => "must not be before live_on",
            DuplicateOffer => "offer `{id}` is listed twice",
            SalesWithDaily => "must be empty when daily_sales are given",
            TooManyDays => "at most {max} distinct days (two years) are accepted",
            NulCharacter => "must not contain the NUL character (U+0000)",
            TooManyRows => "a file may have at most {max} rows; split it",
            HeaderNotText => "the header line is not valid CSV text (UTF-8)",
            EmptyFile => "the file is empty; the first line must name the columns: {columns}",
            MissingColumn => "the header has no such column; the columns are: {columns}",
            UnknownColumn => "is not a known column; the columns are: {columns}",
            ColumnCount => "this line has {len} values; the header has {expected} columns",
            LineNotUtf8 => "this line is not valid UTF-8 text",
            NotCsv => "this line is not valid CSV",
            Unreadable => "the file could not be read to its end",
            NotARowObject => "each array element must be an object",
            NotScalar => "must be a string or a number",
            TrailingText => "unexpected text after the array: {detail}",
            NotAnArray => "the file must be a JSON array of row objects",
            DuplicateKey => "this row repeats the key of line {first}; each key may appear once in a file",
            UnknownPartner => "is not a partner of the program; ingest it in a partners file first",
            UnknownOffer => "is not an offer of this partner; ingest it in an offers file first",
            SaleOfOtherPartner => "this sale is already recorded for partner `{partner}`; a sale cannot move to another partner",
        }
    }
}

/// The words of the codes a value's own parser reports inside serde (a date,
/// a month, an amount): its message is read back into the code by
/// `parse::describe`. Kept apart from [`InputCode::english`] so that the
/// browser, which deserializes dates and amounts, links only these.
pub(crate) const VALUE_WORDS: [(InputCode, &str); 7] = [
    (InputCode::InvalidDate, "must be a date written YYYY-MM-DD"),
    (InputCode::NotACalendarDate, "is not a valid calendar date (YYYY-MM-DD)"),
    (InputCode::InvalidMonth, "must be a month written YYYY-MM"),
    (InputCode::AmountEmpty, "an amount is required"),
    (InputCode::AmountNotDecimal, "must be a decimal number such as 1250.00"),
    (InputCode::AmountDecimals, "must have at most 2 decimal places"),
    (InputCode::AmountTooLarge, "is larger than 1,000,000,000,000.00"),
];

/// A value's error as serde's custom message: `` `x` must be … `` (see [`VALUE_WORDS`]).
pub(crate) fn value_message(code: InputCode, value: Option<&str>) -> String {
    let words = VALUE_WORDS.iter().find(|(c, _)| *c == code).map_or("", |(_, w)| w);
    match value {
        Some(v) => format!("`{v}` {words}"),
        None => words.to_string(),
    }
}

/// What a JSON value is, for `wrong_type`'s `expected` and `found`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    String,
    Number,
    Boolean,
    Null,
    Object,
    Array,
}

impl ValueKind {
    pub const ALL: [ValueKind; 6] =
        [ValueKind::String, ValueKind::Number, ValueKind::Boolean, ValueKind::Null, ValueKind::Object, ValueKind::Array];

    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::String => "string",
            ValueKind::Number => "number",
            ValueKind::Boolean => "boolean",
            ValueKind::Null => "null",
            ValueKind::Object => "object",
            ValueKind::Array => "array",
        }
    }

    pub fn parse(s: &str) -> Option<ValueKind> {
        ValueKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn english(self) -> &'static str {
        match self {
            ValueKind::String => "a string",
            ValueKind::Number => "a number",
            ValueKind::Boolean => "true or false",
            ValueKind::Null => "null",
            ValueKind::Object => "an object",
            ValueKind::Array => "a list",
        }
    }
}

/// A message's parameters by name (`max` → `64`).
pub type Params = BTreeMap<String, String>;

/// Bad input: the field by its path in the JSON (`partner.sales[3].amount_usd`)
/// or a feed file's column, a code, and the code's parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub field: String,
    pub code: InputCode,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: Params,
}

impl InputError {
    pub fn new(field: impl Into<String>, code: InputCode) -> InputError {
        InputError { field: field.into(), code, params: Params::new() }
    }

    /// Adds a parameter.
    pub fn with(mut self, name: &str, value: impl fmt::Display) -> InputError {
        self.params.insert(name.to_string(), value.to_string());
        self
    }

    /// The value at fault, at most 40 characters (a feed cell can be long).
    pub fn value(self, value: &str) -> InputError {
        let clipped = if value.chars().count() > 40 { format!("{}…", value.chars().take(40).collect::<String>()) } else { value.to_string() };
        self.with("value", clipped)
    }

    /// The reason in English, without the field: `` `12.345` must have at most 2 decimal places ``.
    pub fn message(&self) -> String {
        let mut out = self.code.english().to_string();
        for (name, value) in &self.params {
            let value = match (name.as_str(), ValueKind::parse(value)) {
                ("expected" | "found", Some(kind)) => kind.english(),
                _ => value.as_str(),
            };
            out = out.replace(&format!("{{{name}}}"), value);
        }
        match self.params.get("value") {
            Some(v) => format!("`{v}` {out}"),
            None => out,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message())
        } else {
            write!(f, "{}: {}", self.field, self.message())
        }
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_round_trips() {
        let mut seen = std::collections::HashSet::new();
        for c in InputCode::ALL {
            seen.insert(c);
            assert_eq!(InputCode::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::Value::String(c.as_str().into()));
        }
        assert_eq!(seen.len(), InputCode::ALL.len(), "each code once");
    }

    #[test]
    fn the_english_message_fills_parameters_and_names_the_value() {
        let e = InputError::new("partner.sales[2].amount_usd", InputCode::AmountDecimals).value("12.345");
        assert_eq!(e.to_string(), "partner.sales[2].amount_usd: `12.345` must have at most 2 decimal places");
        let e = InputError::new("mau", InputCode::WrongType).with("expected", "number").with("found", "string");
        assert_eq!(e.message(), "must be a number, not a string");
        let e = InputError::new("daily_sales[3].date", InputCode::TooManyDays).with("max", 731);
        assert_eq!(e.message(), "at most 731 distinct days (two years) are accepted");
    }
}
