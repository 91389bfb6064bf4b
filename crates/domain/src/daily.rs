//! The daily form of a partner's sales: billed and excluded amounts by day,
//! offer and status, with how many lines each total adds up.
//!
//! The evaluation reads sales only by day (MBS is a sum over days, the
//! excluded counts count lines by status), so daily totals give exactly the
//! evaluation of the lines they sum, at a size independent of the number of
//! lines: at most two years of days (`MAX_DAYS`) times offers and statuses.
//! The browser evaluates from this form (offline, what-if) when a partner's
//! lines are too many to send or keep.

use std::collections::{BTreeMap, HashSet};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::{InputCode, InputError};
use crate::evaluate::{days_read, Engine, Evaluation, EvaluationInput, SalesSum};
use crate::model::{PartnerData, SaleStatus};
use crate::money::Cents;

/// The most distinct days a daily form may hold: two years and a leap day,
/// more than the evaluation ever reads (`days_read`).
pub const MAX_DAYS: usize = 731;

/// The sales of one day, offer and status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DailySales {
    #[serde(with = "crate::parse::date")]
    pub date: NaiveDate,
    pub offer_id: String,
    pub status: SaleStatus,
    pub amount_usd: Cents,
    /// How many lines this total adds up (at least 1).
    pub lines: u64,
}

/// The evaluation input with daily totals instead of sales lines.
/// `partner.sales` must be empty: the sales are in `daily_sales`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DailyInput {
    #[serde(with = "crate::parse::date")]
    pub as_of: NaiveDate,
    pub catalog: Catalog,
    pub partner: PartnerData,
    pub daily_sales: Vec<DailySales>,
}

impl DailyInput {
    /// The daily form of a line input: the days the evaluation reads — and
    /// the rest of the two years before `as_of`, so that a what-if a month
    /// earlier still has its days — summed by day, offer and status (sorted,
    /// so equal inputs give equal forms).
    pub fn from_lines(input: &EvaluationInput) -> DailyInput {
        let (_, read_from) = days_read(&input.partner, input.as_of, input.partner.first_benefit_date());
        let two_years = input.as_of.checked_sub_days(Days::new(MAX_DAYS as u64 - 1)).unwrap_or(read_from);
        let first_day = read_from.min(two_years);
        let mut sums: BTreeMap<(NaiveDate, &str, SaleStatus), (i128, u64)> = BTreeMap::new();
        for s in input.partner.sales.iter().filter(|s| s.date >= first_day && s.date <= input.as_of) {
            let sum = sums.entry((s.date, s.offer_id.as_str(), s.status)).or_default();
            sum.0 += s.amount_usd.0 as i128;
            sum.1 += 1;
        }
        let daily_sales = sums
            .into_iter()
            .map(|((date, offer_id, status), (cents, lines))| DailySales {
                date,
                offer_id: offer_id.to_string(),
                status,
                amount_usd: Cents::from_wide(cents),
                lines,
            })
            .collect();
        let partner = PartnerData { sales: Vec::new(), ..input.partner.clone() };
        DailyInput { as_of: input.as_of, catalog: input.catalog.clone(), partner, daily_sales }
    }

    /// The totals as the engine reads them.
    pub(crate) fn sums(&self) -> impl Iterator<Item = SalesSum> + '_ {
        self.daily_sales.iter().map(|d| (d.date, d.status, d.amount_usd.0, d.lines))
    }

    /// Checks what the types cannot; errors name the field.
    pub fn validate(&self) -> Result<(), InputError> {
        self.catalog.validate()?;
        crate::parse::validate_partner(&self.partner, "partner")?;
        if !self.partner.sales.is_empty() {
            return Err(InputError::new("partner.sales", InputCode::SalesWithDaily));
        }
        let mut days = HashSet::new();
        for (i, d) in self.daily_sales.iter().enumerate() {
            if d.lines == 0 {
                return Err(InputError::new(format!("daily_sales[{i}].lines"), InputCode::AtLeast).with("min", 1));
            }
            if d.offer_id.trim().is_empty() {
                return Err(InputError::new(format!("daily_sales[{i}].offer_id"), InputCode::Empty));
            }
            if days.insert(d.date) && days.len() > MAX_DAYS {
                return Err(InputError::new(format!("daily_sales[{i}].date"), InputCode::TooManyDays).with("max", MAX_DAYS));
            }
        }
        Ok(())
    }
}

/// Evaluates validated daily input: the same result as the lines it sums.
pub fn evaluate_daily(input: &DailyInput) -> Evaluation {
    Engine::with_sales(&input.catalog, &input.partner, input.as_of, input.partner.first_benefit_date(), input.sums()).evaluation()
}
