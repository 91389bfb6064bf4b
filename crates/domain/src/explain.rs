//! Why a partner is in its tier: which lines counted, which did not and why,
//! and the month-by-month figures behind each metric.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Month, Window};
use crate::daily::DailyInput;
use crate::evaluate::{Engine, EvaluationInput, TierReached};
use crate::model::{PartnerData, SaleStatus};
use crate::money::Cents;

/// What happened to one sales line in the evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SaleVerdict {
    Counted,
    Fraud,
    CancelledAccidental,
    CancelledBeforeUse,
    /// Dated on or before the window's exclusive start.
    BeforeWindow,
    /// Dated after the evaluation date.
    AfterAsOf,
}

impl SaleVerdict {
    pub fn counted(self) -> bool {
        self == SaleVerdict::Counted
    }

    /// In the window but not counted: fraud or a cancellation.
    pub fn excluded(self) -> bool {
        matches!(self, SaleVerdict::Fraud | SaleVerdict::CancelledAccidental | SaleVerdict::CancelledBeforeUse)
    }

    /// Dated outside the window (before it or after the evaluation date).
    pub fn outside(self) -> bool {
        matches!(self, SaleVerdict::BeforeWindow | SaleVerdict::AfterAsOf)
    }

    pub fn describe(self) -> &'static str {
        match self {
            SaleVerdict::Counted => "Counted",
            SaleVerdict::Fraud => "Excluded: flagged as fraudulent",
            SaleVerdict::CancelledAccidental => "Excluded: accidental purchase, cancelled",
            SaleVerdict::CancelledBeforeUse => "Excluded: cancelled before the product was used",
            SaleVerdict::BeforeWindow => "Outside the window: older than 12 months",
            SaleVerdict::AfterAsOf => "Outside the window: after the evaluation date",
        }
    }

    /// The verdict on a line dated `date` with `status`, in `window`.
    pub fn of(date: NaiveDate, status: SaleStatus, window: &Window) -> SaleVerdict {
        if date > window.to {
            SaleVerdict::AfterAsOf
        } else if date <= window.from_exclusive {
            SaleVerdict::BeforeWindow
        } else {
            match status {
                SaleStatus::Billed => SaleVerdict::Counted,
                SaleStatus::Fraud => SaleVerdict::Fraud,
                SaleStatus::CancelledAccidental => SaleVerdict::CancelledAccidental,
                SaleStatus::CancelledBeforeUse => SaleVerdict::CancelledBeforeUse,
            }
        }
    }
}

/// One sales line with its verdict; `index` is its position in the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleExplanation {
    pub index: usize,
    #[serde(with = "crate::parse::date")]
    pub date: NaiveDate,
    pub amount_usd: Cents,
    pub status: SaleStatus,
    pub offer_id: String,
    pub verdict: SaleVerdict,
}

/// A monthly entry of a metric with whether it falls in the 12 months counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyEntryExplanation<T> {
    pub index: usize,
    pub month: Month,
    pub value: T,
    pub counted: bool,
}

/// One month of the chart: counted MBS in the window that month, and the
/// month's Business Applications value and Teams MAU (all apps).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthPoint {
    pub month: Month,
    pub mbs: Cents,
    pub bizapps: Cents,
    pub teams_mau: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub window: Window,
    pub sales: Vec<SaleExplanation>,
    pub bizapps_entries: Vec<MonthlyEntryExplanation<Cents>>,
    pub teams_mau_entries: Vec<MonthlyEntryExplanation<u64>>,
    /// Every calendar month the window touches, oldest first (12 or 13 months:
    /// the first may be partial). Business Applications value and MAU count
    /// only for the last 12.
    pub months: Vec<MonthPoint>,
    /// When, in the benefit year so far, the effective tier was first reached.
    pub effective_tier_reached: Option<TierReached>,
    pub transact_live_today: bool,
}

/// Explains the evaluation of validated input.
pub fn explain(input: &EvaluationInput) -> Explanation {
    let engine = Engine::new(&input.catalog, &input.partner, input.as_of);
    let window = engine.window;
    let sales = input
        .partner
        .sales
        .iter()
        .enumerate()
        .map(|(index, s)| SaleExplanation {
            index,
            date: s.date,
            amount_usd: s.amount_usd,
            status: s.status,
            offer_id: s.offer_id.clone(),
            verdict: SaleVerdict::of(s.date, s.status, &window),
        })
        .collect();
    explained(&engine, &input.partner, input.as_of, sales)
}

/// Explains validated daily input: everything `explain` gives for the lines
/// it sums except the lines themselves (`sales` is empty; the server pages them).
pub fn explain_daily(input: &DailyInput) -> Explanation {
    let engine = Engine::with_sales(&input.catalog, &input.partner, input.as_of, input.partner.first_benefit_date(), input.sums());
    explained(&engine, &input.partner, input.as_of, Vec::new())
}

/// The explanation of `engine`'s evaluation, with the given line verdicts.
fn explained(engine: &Engine, p: &PartnerData, as_of: NaiveDate, sales: Vec<SaleExplanation>) -> Explanation {
    let window = engine.window;
    let twelve: Vec<Month> = Month::twelve_ending(as_of).collect();
    let in_twelve = |m: Month| twelve.first().is_some_and(|f| m >= *f) && twelve.last().is_some_and(|l| m <= *l);
    let bizapps_entries = p
        .bizapps_value
        .iter()
        .enumerate()
        .map(|(index, v)| MonthlyEntryExplanation { index, month: v.month, value: v.amount_usd, counted: in_twelve(v.month) })
        .collect();
    let teams_mau_entries = p
        .teams_mau
        .iter()
        .enumerate()
        .map(|(index, v)| MonthlyEntryExplanation { index, month: v.month, value: v.mau, counted: in_twelve(v.month) })
        .collect();

    let first = Month::of(window.first_day()).ordinal();
    let last = Month::of(as_of).ordinal();
    let months = (first..=last)
        .map(Month::from_ordinal)
        .map(|month| {
            let (bizapps, teams_mau) =
                if in_twelve(month) { engine.month_figures(month).unwrap_or_default() } else { (Cents::ZERO, 0) };
            MonthPoint { month, mbs: engine.mbs_in_month(month), bizapps, teams_mau }
        })
        .collect();

    Explanation {
        window,
        sales,
        bizapps_entries,
        teams_mau_entries,
        months,
        effective_tier_reached: engine.effective_tier(),
        transact_live_today: p.transact_live_on(as_of),
    }
}
