//! Exact money: integer US cents, parsed from decimal text, never through f64.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// An amount in US cents. Negative amounts are credits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

/// The largest amount one value may carry: one trillion dollars. Far above any
/// real sale, and low enough that a million of them cannot overflow a sum.
pub const MAX_ABS_CENTS: i64 = 100_000_000_000_000;

/// Why a piece of text is not an amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyError {
    Empty,
    NotADecimal,
    TooManyDecimals,
    TooLarge,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not `InputCode::english`: the browser deserializes amounts and
        // would link every code's English for these four.
        f.write_str(&crate::error::value_message(self.code(), None))
    }
}

impl std::error::Error for MoneyError {}

impl MoneyError {
    /// The input error code with the same words.
    pub fn code(&self) -> crate::error::InputCode {
        use crate::error::InputCode;
        match self {
            MoneyError::Empty => InputCode::AmountEmpty,
            MoneyError::NotADecimal => InputCode::AmountNotDecimal,
            MoneyError::TooManyDecimals => InputCode::AmountDecimals,
            MoneyError::TooLarge => InputCode::AmountTooLarge,
        }
    }
}

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// Whole dollars, for literals in code and tests.
    pub const fn dollars(d: i64) -> Cents {
        Cents(d * 100)
    }

    /// Clamps a wide sum back into the representable range.
    pub fn from_wide(sum: i128) -> Cents {
        Cents(sum.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
    }

    pub fn saturating_sub(self, other: Cents) -> Cents {
        Cents(self.0.saturating_sub(other.0))
    }
}

impl FromStr for Cents {
    type Err = MoneyError;

    /// Accepts `-1234`, `1234.5`, `+1234.50`; rejects exponents, separators,
    /// more than two decimals and values beyond [`MAX_ABS_CENTS`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, body) = match s.as_bytes()[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, f),
            None => (body, ""),
        };
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && frac.is_empty()
            || !digits(whole)
            || !digits(frac)
            || (body.contains('.') && frac.is_empty())
        {
            return Err(MoneyError::NotADecimal);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 13 {
            return Err(MoneyError::TooLarge);
        }
        let w: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| MoneyError::TooLarge)? };
        let f: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().unwrap_or(0) * 10,
            _ => frac.parse::<i64>().unwrap_or(0),
        };
        let abs = w * 100 + f;
        if abs > MAX_ABS_CENTS {
            return Err(MoneyError::TooLarge);
        }
        Ok(Cents(if negative { -abs } else { abs }))
    }
}

impl fmt::Display for Cents {
    /// Always two decimals, no separators: `-250.00`, `4750.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Cents {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cents {
    /// From a JSON string (`"12.50"`) or a JSON number (`12.5`), reading the
    /// number's own digits so that no floating point rounding can creep in.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: Box<serde_json::value::RawValue> = Deserialize::deserialize(d)?;
        let text = raw.get();
        let decimal: std::borrow::Cow<'_, str> = if text.starts_with('"') {
            serde_json::from_str::<String>(text).map_err(de::Error::custom)?.into()
        } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            if text.contains(['e', 'E']) {
                return Err(de::Error::custom(MoneyError::NotADecimal));
            }
            text.into()
        } else {
            return Err(de::Error::custom(MoneyError::NotADecimal));
        };
        decimal.parse().map_err(de::Error::custom)
    }
}

/// On the wire: decimal text with at most two decimals (`"1250.00"`); the
/// server always writes two.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Cents {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$"))
            .description(Some("US dollars as exact decimal text, at most two decimals"))
            .examples(["1250.00"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Cents {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_text_exactly() {
        let cases = [
            ("0", 0),
            ("1250", 125_000),
            ("3750.5", 375_050),
            ("3750.50", 375_050),
            ("-250.00", -25_000),
            ("+7.01", 701),
            (".5", 50),
            ("0.01", 1),
            ("000123.45", 12_345),
            ("1000000000000", MAX_ABS_CENTS),
        ];
        for (text, cents) in cases {
            assert_eq!(text.parse::<Cents>(), Ok(Cents(cents)), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_an_exact_amount() {
        let cases = [
            ("", MoneyError::Empty),
            ("abc", MoneyError::NotADecimal),
            ("1,000", MoneyError::NotADecimal),
            ("1e3", MoneyError::NotADecimal),
            ("12.", MoneyError::NotADecimal),
            ("-", MoneyError::NotADecimal),
            ("1.2.3", MoneyError::NotADecimal),
            ("0.001", MoneyError::TooManyDecimals),
            ("1000000000000.01", MoneyError::TooLarge),
            ("99999999999999999999", MoneyError::TooLarge),
        ];
        for (text, err) in cases {
            assert_eq!(text.parse::<Cents>(), Err(err), "{text}");
        }
    }

    #[test]
    fn prints_two_decimals() {
        assert_eq!(Cents(475_050).to_string(), "4750.50");
        assert_eq!(Cents(-25_000).to_string(), "-250.00");
        assert_eq!(Cents(-5).to_string(), "-0.05");
        assert_eq!(Cents(0).to_string(), "0.00");
        assert_eq!(Cents(i64::MIN).to_string(), "-92233720368547758.08");
    }

    #[test]
    fn json_numbers_and_strings_parse_without_float_rounding() {
        let v: Vec<Cents> = serde_json::from_str(r#"[1250, "3750.50", 0.1, 0.29, -250.5, "  12 "]"#).unwrap();
        assert_eq!(v, vec![Cents(125_000), Cents(375_050), Cents(10), Cents(29), Cents(-25_050), Cents(1200)]);
        assert!(serde_json::from_str::<Cents>("1.005").is_err());
        assert!(serde_json::from_str::<Cents>("1e2").is_err());
        assert!(serde_json::from_str::<Cents>("true").is_err());
        assert!(serde_json::from_str::<Cents>("null").is_err());
        assert_eq!(serde_json::to_string(&Cents(-1)).unwrap(), r#""-0.01""#);
    }
}
