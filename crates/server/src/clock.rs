//! The server's clock. The domain never reads one: the server passes it dates.
//! Tests may pin "today" to make date-dependent answers reproducible.

use chrono::{NaiveDate, SecondsFormat, Utc};

#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    /// When set, `today()` answers this date (sessions still use real time).
    pub fixed_today: Option<NaiveDate>,
}

impl Clock {
    pub fn today(&self) -> NaiveDate {
        self.fixed_today.unwrap_or_else(|| Utc::now().date_naive())
    }
}

pub fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn now_unix() -> i64 {
    Utc::now().timestamp()
}

pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Parses a date stored by the server itself.
pub fn parse_date(s: &str) -> Result<NaiveDate, crate::error::AppError> {
    benefits_domain::parse::date::parse(s).map_err(|e| crate::error::AppError::internal(format!("stored date: {e}")))
}
