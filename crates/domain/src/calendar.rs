//! Calendar rules: the trailing-twelve-month window, benefit-year anniversaries,
//! and calendar months. Every date comes from the caller; nothing here reads a clock.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `date` minus `n` calendar months; the day is clamped to the end of a shorter
/// month, so 12 months before 2024-02-29 is 2023-02-28.
pub fn months_before(date: NaiveDate, n: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(n)).unwrap_or(NaiveDate::MIN)
}

/// `date` plus `n` calendar months, clamped the same way.
pub fn months_after(date: NaiveDate, n: u32) -> NaiveDate {
    date.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

/// The trailing-twelve-month window ending on `as_of`: from twelve months
/// before (exclusive) to `as_of` (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Window {
    pub from_exclusive: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    pub fn ttm(as_of: NaiveDate) -> Window {
        Window { from_exclusive: months_before(as_of, 12), to: as_of }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from_exclusive < day && day <= self.to
    }

    /// The first day inside the window.
    pub fn first_day(&self) -> NaiveDate {
        self.from_exclusive.succ_opt().unwrap_or(NaiveDate::MAX)
    }
}

/// The anniversary of `first` in `year`; Feb 29 falls on Feb 28 in other years.
pub fn anniversary_in(first: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, first.month(), first.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, first.month(), first.day() - 1))
        .unwrap_or(first)
}

/// A benefit year: from an anniversary of the first benefit date to the day
/// before the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BenefitYear {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl BenefitYear {
    /// The benefit year containing `as_of`, or `None` when `first` is after it.
    pub fn containing(first: NaiveDate, as_of: NaiveDate) -> Option<BenefitYear> {
        if first > as_of {
            return None;
        }
        let mut start = anniversary_in(first, as_of.year());
        if start > as_of {
            start = anniversary_in(first, as_of.year() - 1);
        }
        let start = start.max(first);
        let next = anniversary_in(first, start.year() + 1);
        Some(BenefitYear { start, end: next.pred_opt().unwrap_or(next) })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// Days from `as_of` until the next anniversary (the refresh).
    pub fn days_to_refresh(&self, as_of: NaiveDate) -> i64 {
        (self.end - as_of).num_days() + 1
    }
}

/// A calendar month, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (0..=9999).contains(&year)).then_some(Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// A running month number, so that months can index arrays and be subtracted.
    pub fn ordinal(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }

    pub fn from_ordinal(ordinal: i32) -> Month {
        Month { year: ordinal.div_euclid(12), month: ordinal.rem_euclid(12) as u32 + 1 }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The twelve calendar months ending with `as_of`'s month, oldest first.
    pub fn twelve_ending(as_of: NaiveDate) -> impl Iterator<Item = Month> {
        let last = Month::of(as_of).ordinal();
        (last - 11..=last).map(Month::from_ordinal)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const MSG: &str = "must be a month written YYYY-MM";
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !s[..4].bytes().all(|c| c.is_ascii_digit()) || !s[5..].bytes().all(|c| c.is_ascii_digit()) {
            return Err(MSG);
        }
        let year = s[..4].parse().map_err(|_| MSG)?;
        let month = s[5..].parse().map_err(|_| MSG)?;
        Month::new(year, month).ok_or(MSG)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// On the wire: `YYYY-MM`.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Month {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[0-9]{4}-(0[1-9]|1[0-2])$")).examples(["2025-07"]).into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Month {}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn twelve_months_before_clamps_feb_29() {
        assert_eq!(months_before(d("2024-02-29"), 12), d("2023-02-28"));
        assert_eq!(months_before(d("2025-07-15"), 12), d("2024-07-15"));
        assert_eq!(months_before(d("2025-03-31"), 1), d("2025-02-28"));
        assert_eq!(months_before(d("2025-01-01"), 12), d("2024-01-01"));
    }

    #[test]
    fn window_excludes_its_first_bound_and_includes_its_last() {
        let w = Window::ttm(d("2025-07-15"));
        assert!(!w.contains(d("2024-07-15")), "a sale exactly 12 months old does not count");
        assert!(w.contains(d("2024-07-16")));
        assert!(w.contains(d("2025-07-15")), "a sale dated on the day counts");
        assert!(!w.contains(d("2025-07-16")));
        assert_eq!(w.first_day(), d("2024-07-16"));
    }

    #[test]
    fn benefit_year_runs_anniversary_to_day_before_next() {
        let y = BenefitYear::containing(d("2024-03-01"), d("2025-07-15")).unwrap();
        assert_eq!((y.start, y.end), (d("2025-03-01"), d("2026-02-28")));
        let y = BenefitYear::containing(d("2024-03-01"), d("2025-02-28")).unwrap();
        assert_eq!((y.start, y.end), (d("2024-03-01"), d("2025-02-28")));
        let y = BenefitYear::containing(d("2024-03-01"), d("2024-03-01")).unwrap();
        assert_eq!(y.start, d("2024-03-01"));
        assert_eq!(y.days_to_refresh(d("2024-03-01")), 365);
        assert_eq!(BenefitYear::containing(d("2024-03-01"), d("2024-02-29")), None);
    }

    #[test]
    fn feb_29_anniversary_falls_on_feb_28() {
        let first = d("2024-02-29");
        let y = BenefitYear::containing(first, d("2025-03-10")).unwrap();
        assert_eq!((y.start, y.end), (d("2025-02-28"), d("2026-02-27")));
        let y = BenefitYear::containing(first, d("2025-02-27")).unwrap();
        assert_eq!((y.start, y.end), (d("2024-02-29"), d("2025-02-27")));
        let y = BenefitYear::containing(first, d("2028-02-29")).unwrap();
        assert_eq!((y.start, y.end), (d("2028-02-29"), d("2029-02-27")));
    }

    #[test]
    fn months_parse_strictly() {
        assert_eq!("2025-05".parse::<Month>().unwrap().to_string(), "2025-05");
        for bad in ["2025-13", "2025-00", "2025-5", "25-05", "2025/05", "2025-05-01"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
        let months: Vec<String> = Month::twelve_ending(d("2025-07-15")).map(|m| m.to_string()).collect();
        assert_eq!(months.first().unwrap(), "2024-08");
        assert_eq!(months.last().unwrap(), "2025-07");
        assert_eq!(months.len(), 12);
    }
}
