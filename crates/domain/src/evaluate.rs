//! The evaluation of EVALUATE.md: tier, unlocked benefits and advice for one
//! partner on one date.
//!
//! Cost: one pass over the sales lines into daily buckets (no sort), prefix sums
//! over at most two years of days, then O(1) per day of the benefit year. So
//! O(n + days), never days × n.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{months_before, BenefitYear, Month, Window};
use crate::catalog::{Aggregate, Catalog, MetricTiers};
use crate::error::InputError;
use crate::model::{OfferType, PartnerData, SaleStatus};
use crate::money::Cents;

/// The input of the evaluation contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EvaluationInput {
    #[serde(with = "crate::parse::date")]
    pub as_of: NaiveDate,
    pub catalog: Catalog,
    pub partner: PartnerData,
}

impl EvaluationInput {
    pub fn validate(&self) -> Result<(), InputError> {
        self.catalog.validate()?;
        crate::parse::validate_partner(&self.partner, "partner")
    }
}

/// The output of the evaluation contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    #[serde(with = "crate::parse::date")]
    pub as_of: NaiveDate,
    pub catalog_version: String,
    pub window: Window,
    pub benefit_year: Option<BenefitYear>,
    pub metrics: MetricResults,
    pub transact_tier_today: Option<u32>,
    pub effective_tier: Option<u32>,
    pub unlocked_benefits: Vec<String>,
    pub excluded_sales: ExcludedSales,
    pub support_ticket: SupportTicket,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricResults {
    pub mbs: MetricResult<Cents>,
    pub bizapps: MetricResult<Cents>,
    pub teams_mau: MetricResult<u64>,
}

/// A metric's TTM value, the tier it reaches today and the gap to the next one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricResult<T> {
    pub value: T,
    pub tier: Option<u32>,
    pub next: Option<NextTier<T>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NextTier<T> {
    pub tier: u32,
    pub missing: T,
}

/// Lines dated in the window that did not count, by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExcludedSales {
    pub fraud: u64,
    pub cancelled_accidental: u64,
    pub cancelled_before_use: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TicketReason {
    #[serde(rename = "offer_live_over_3_weeks")]
    OfferLiveOver3Weeks,
    #[serde(rename = "mbs_meets_tier")]
    MbsMeetsTier,
}

impl TicketReason {
    /// The advice in a partner's words.
    pub fn describe(self) -> &'static str {
        match self {
            TicketReason::OfferLiveOver3Weeks => {
                "Your first offer in the last 12 months has been live for more than three weeks, but no benefit has been granted yet."
            }
            TicketReason::MbsMeetsTier => {
                "Your marketplace-billed sales over the last 12 months meet a transact tier, but no benefit has been granted yet."
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupportTicket {
    pub advised: bool,
    pub reason: Option<TicketReason>,
}

/// The three tiering metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MetricName {
    Mbs,
    Bizapps,
    TeamsMau,
}

impl MetricName {
    pub fn describe(self) -> &'static str {
        match self {
            MetricName::Mbs => "Marketplace billed sales",
            MetricName::Bizapps => "Business Applications solution value",
            MetricName::TeamsMau => "Teams app monthly active users",
        }
    }
}

/// The day the effective tier was first reached in the benefit year, and by which metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierReached {
    pub tier: u32,
    #[serde(with = "crate::parse::date")]
    pub on: NaiveDate,
    pub metric: MetricName,
}

/// Parses, validates and evaluates the contract's JSON input.
pub fn evaluate_json(text: &str) -> Result<Evaluation, InputError> {
    crate::parse::parse_input(text).map(|input| evaluate(&input))
}

/// Evaluates validated input (see [`EvaluationInput::validate`]).
pub fn evaluate(input: &EvaluationInput) -> Evaluation {
    Engine::new(&input.catalog, &input.partner, input.as_of).evaluation()
}

/// The per-day and per-month figures the evaluation and its explanation share.
pub(crate) struct Engine<'a> {
    pub catalog: &'a Catalog,
    pub partner: &'a PartnerData,
    pub as_of: NaiveDate,
    pub window: Window,
    pub benefit_year: Option<BenefitYear>,
    /// First day of `prefix`; early enough for the window of the benefit year's first day.
    day_lo: NaiveDate,
    /// `prefix[i]`: billed cents dated from `day_lo` to the day before `day_lo + i`.
    prefix: Vec<i128>,
    pub excluded: ExcludedSales,
    /// Ordinal of the first month of the monthly arrays.
    month_lo: i32,
    bizapps_month: Vec<i128>,
    teams_month: Vec<u64>,
}

/// Sales as the engine reads them: a day, a status, billed cents and how
/// many lines they add up (1 for a line; any number for a daily total).
pub(crate) type SalesSum = (NaiveDate, SaleStatus, i64, u64);

/// The benefit year containing `as_of`, if any, and the first day whose sales
/// the evaluation reads: the start of the TTM window of the benefit year's
/// first day (at most two years before `as_of`).
pub(crate) fn days_read(partner: &PartnerData, as_of: NaiveDate, first: Option<NaiveDate>) -> (Option<BenefitYear>, NaiveDate) {
    let any_live_by = partner.offers.iter().any(|o| o.live_on.is_some_and(|l| l <= as_of));
    let benefit_year = first.filter(|_| any_live_by).and_then(|first| BenefitYear::containing(first, as_of));
    let earliest_day = benefit_year.map_or(as_of, |y| y.start);
    (benefit_year, Window::ttm(earliest_day).first_day().min(Window::ttm(as_of).first_day()))
}

impl<'a> Engine<'a> {
    pub fn new(catalog: &'a Catalog, partner: &'a PartnerData, as_of: NaiveDate) -> Engine<'a> {
        Engine::anchored(catalog, partner, as_of, partner.first_benefit_date())
    }

    /// The engine with benefit years anchored on `first` instead of the partner's own date.
    pub fn anchored(catalog: &'a Catalog, partner: &'a PartnerData, as_of: NaiveDate, first: Option<NaiveDate>) -> Engine<'a> {
        let lines = partner.sales.iter().map(|s| (s.date, s.status, s.amount_usd.0, 1));
        Engine::with_sales(catalog, partner, as_of, first, lines)
    }

    /// The engine over `sales` (lines or daily totals) instead of `partner.sales`.
    pub(crate) fn with_sales(
        catalog: &'a Catalog,
        partner: &'a PartnerData,
        as_of: NaiveDate,
        first: Option<NaiveDate>,
        sales: impl Iterator<Item = SalesSum>,
    ) -> Engine<'a> {
        let window = Window::ttm(as_of);
        let (benefit_year, day_lo) = days_read(partner, as_of, first);
        let earliest_day = benefit_year.map_or(as_of, |y| y.start);

        let days = (as_of - day_lo).num_days().max(0) as usize + 1;
        let mut buckets = vec![0i128; days];
        let mut excluded = ExcludedSales::default();
        // Hot loop: a day's index is its year's Jan 1 offset plus its ordinal,
        // both read straight from the date; chrono's subtraction costs 3x more.
        let first_year = day_lo.year();
        let jan1: Vec<i64> = (first_year..=as_of.year())
            .map(|y| (NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(day_lo) - day_lo).num_days())
            .collect();
        let window_start = (window.from_exclusive - day_lo).num_days();
        for (date, status, cents, lines) in sales {
            let Some(&year_offset) = jan1.get((date.year() - first_year) as usize) else { continue };
            let i = year_offset + date.ordinal0() as i64;
            if i < 0 || i >= days as i64 {
                continue;
            }
            match status {
                SaleStatus::Billed => buckets[i as usize] += cents as i128,
                _ if i <= window_start => {}
                SaleStatus::Fraud => excluded.fraud += lines,
                SaleStatus::CancelledAccidental => excluded.cancelled_accidental += lines,
                SaleStatus::CancelledBeforeUse => excluded.cancelled_before_use += lines,
            }
        }
        let mut prefix = Vec::with_capacity(days + 1);
        let mut running = 0i128;
        prefix.push(0);
        for b in buckets {
            running += b;
            prefix.push(running);
        }

        let month_lo = Month::of(earliest_day).ordinal() - 11;
        let months = (Month::of(as_of).ordinal() - month_lo + 1) as usize;
        let slot = |m: Month| {
            let i = m.ordinal() - month_lo;
            (0..months as i32).contains(&i).then_some(i as usize)
        };
        let mut bizapps_month = vec![0i128; months];
        for v in &partner.bizapps_value {
            if let Some(i) = slot(v.month) {
                bizapps_month[i] += v.amount_usd.0 as i128;
            }
        }
        let mut teams_month = vec![0u64; months];
        for v in &partner.teams_mau {
            if let Some(i) = slot(v.month) {
                teams_month[i] = teams_month[i].saturating_add(v.mau);
            }
        }

        Engine { catalog, partner, as_of, window, benefit_year, day_lo, prefix, excluded, month_lo, bizapps_month, teams_month }
    }

    /// Index into `prefix` of the sum of the days before `day`... plus one:
    /// `prefix[after(day)]` is the billed total from `day_lo` to `day` inclusive.
    fn after(&self, day: NaiveDate) -> usize {
        ((day - self.day_lo).num_days() + 1) as usize
    }

    /// MBS over the TTM window ending on `day`; its window must start at or after `day_lo`.
    pub fn mbs_on(&self, day: NaiveDate) -> Cents {
        let hi = self.prefix[self.after(day)];
        let lo = self.prefix[self.after(months_before(day, 12))];
        Cents::from_wide(hi - lo)
    }

    fn twelve_months(&self, month: Month) -> std::ops::RangeInclusive<usize> {
        let end = (month.ordinal() - self.month_lo) as usize;
        end - 11..=end
    }

    /// Business Applications value of the 12 months ending with `month`.
    pub fn bizapps_in(&self, month: Month) -> Cents {
        Cents::from_wide(self.bizapps_month[self.twelve_months(month)].iter().sum())
    }

    /// Teams MAU of the 12 months ending with `month`, by the catalog's aggregate.
    pub fn teams_mau_in(&self, month: Month) -> u64 {
        let values = self.teams_month[self.twelve_months(month)].iter().copied();
        match self.catalog.metrics.teams_mau.aggregate {
            Aggregate::Max => values.max().unwrap_or(0),
            Aggregate::Sum => values.fold(0u64, u64::saturating_add),
        }
    }

    /// Monthly Business Applications value and Teams MAU in `month`, when in range.
    pub fn month_figures(&self, month: Month) -> Option<(Cents, u64)> {
        let i = usize::try_from(month.ordinal() - self.month_lo).ok()?;
        Some((Cents::from_wide(*self.bizapps_month.get(i)?), *self.teams_month.get(i)?))
    }

    /// The transact tier on `day` and the metric that gives it.
    fn tier_on(&self, day: NaiveDate, transact_live: bool) -> Option<(u32, MetricName)> {
        if !transact_live {
            return None;
        }
        let m = &self.catalog.metrics;
        let month = Month::of(day);
        [
            (m.mbs.tier_for(self.mbs_on(day)), MetricName::Mbs),
            (m.bizapps.tier_for(self.bizapps_in(month)), MetricName::Bizapps),
            (m.teams_mau.tier_for(self.teams_mau_in(month)), MetricName::TeamsMau),
        ]
        .into_iter()
        .filter_map(|(t, name)| t.map(|t| (t, name)))
        .fold(None, |best: Option<(u32, MetricName)>, cur| match best {
            Some(b) if b.0 >= cur.0 => Some(b),
            _ => Some(cur),
        })
    }

    /// Whether a transact offer is live on each day from `from` to `as_of`.
    fn transact_live_days(&self, from: NaiveDate) -> Vec<bool> {
        let days = (self.as_of - from).num_days() as usize + 1;
        let mut delta = vec![0i32; days + 1];
        for o in self.partner.offers.iter().filter(|o| o.offer_type == OfferType::Transact) {
            let Some(live_on) = o.live_on else { continue };
            let first = live_on.max(from);
            let end = o.delisted_on.map_or(self.as_of, |d| d.pred_opt().unwrap_or(d)).min(self.as_of);
            if first <= end {
                delta[(first - from).num_days() as usize] += 1;
                delta[(end - from).num_days() as usize + 1] -= 1;
            }
        }
        let mut live = 0;
        delta[..days].iter().map(|d| {
            live += d;
            live > 0
        }).collect()
    }

    /// The highest transact tier on any day of the benefit year so far, with
    /// the first day it was reached.
    pub fn effective_tier(&self) -> Option<TierReached> {
        self.tier_rises().pop()
    }

    /// Every rise of the transact tier in the benefit year so far: the first
    /// day each higher tier was reached and by which metric, lowest first.
    pub fn tier_rises(&self) -> Vec<TierReached> {
        let Some(year) = self.benefit_year else { return Vec::new() };
        let live = self.transact_live_days(year.start);
        let mut rises: Vec<TierReached> = Vec::new();
        for (i, day) in year.start.iter_days().take(live.len()).enumerate() {
            if let Some((tier, metric)) = self.tier_on(day, live[i]) {
                if rises.last().is_none_or(|b| tier > b.tier) {
                    rises.push(TierReached { tier, on: day, metric });
                }
            }
        }
        rises
    }

    pub fn evaluation(&self) -> Evaluation {
        let catalog = self.catalog;
        let as_of = self.as_of;
        let transact_today = self.partner.transact_live_on(as_of);
        let month = Month::of(as_of);

        let mbs = self.mbs_on(as_of);
        let bizapps = self.bizapps_in(month);
        let teams = self.teams_mau_in(month);
        let metrics = MetricResults {
            mbs: metric_result(&catalog.metrics.mbs, mbs, transact_today),
            bizapps: metric_result(&catalog.metrics.bizapps, bizapps, transact_today),
            teams_mau: metric_result(&catalog.metrics.teams_mau, teams, transact_today),
        };
        let transact_tier_today = [metrics.mbs.tier, metrics.bizapps.tier, metrics.teams_mau.tier].into_iter().flatten().max();
        let effective_tier = self.effective_tier().map(|r| r.tier);

        let mut unlocked: HashSet<&str> = HashSet::new();
        if let Some(year) = self.benefit_year {
            for t in [OfferType::List, OfferType::Trial, OfferType::Consulting] {
                if self.partner.offers.iter().any(|o| o.offer_type == t && o.is_live_during(year.start, as_of)) {
                    unlocked.extend(catalog.offer_benefits.for_type(t).iter().map(String::as_str));
                }
            }
            if let Some(tier) = effective_tier {
                unlocked.extend(catalog.tier_benefit_ids(tier));
            }
        }
        let unlocked_benefits =
            catalog.benefits.iter().filter(|b| unlocked.contains(b.id.as_str())).map(|b| b.id.clone()).collect();

        Evaluation {
            as_of,
            catalog_version: catalog.version.clone(),
            window: self.window,
            benefit_year: self.benefit_year,
            metrics,
            transact_tier_today,
            effective_tier,
            unlocked_benefits,
            excluded_sales: self.excluded.clone(),
            support_ticket: self.support_ticket(mbs),
        }
    }

    fn support_ticket(&self, mbs: Cents) -> SupportTicket {
        let granted = self.partner.granted_benefits.as_ref().is_some_and(|g| !g.is_empty());
        let reason = if granted {
            None
        } else if self.first_offer_live_over_3_weeks() {
            Some(TicketReason::OfferLiveOver3Weeks)
        } else if self.catalog.metrics.mbs.tiers.iter().find(|t| t.min > Cents::ZERO).is_some_and(|t| mbs >= t.min) {
            Some(TicketReason::MbsMeetsTier)
        } else {
            None
        };
        SupportTicket { advised: reason.is_some(), reason }
    }

    /// The first offer to go live within the window has been live more than 21
    /// days by `as_of` (or by its delisting, if earlier).
    fn first_offer_live_over_3_weeks(&self) -> bool {
        let in_window = self.partner.offers.iter().filter_map(|o| o.live_on.filter(|l| self.window.contains(*l)).map(|l| (o, l)));
        let Some(first) = in_window.clone().map(|(_, l)| l).min() else { return false };
        in_window.filter(|(_, l)| *l == first).any(|(o, l)| {
            let end = o.delisted_on.map_or(self.as_of, |d| d.min(self.as_of));
            (end - l).num_days() > 21
        })
    }

    /// Days of the window's first month onwards, for month-by-month series.
    pub fn mbs_in_month(&self, month: Month) -> Cents {
        let first = month.first_day().max(self.window.first_day()).max(self.day_lo);
        let next = Month::from_ordinal(month.ordinal() + 1).first_day();
        let last = next.pred_opt().unwrap_or(next).min(self.as_of);
        if first > last {
            return Cents::ZERO;
        }
        Cents::from_wide(self.prefix[self.after(last)] - self.prefix[self.after(first) - 1])
    }
}

/// A metric value whose distance to a threshold can be stated.
pub trait MetricValue: Copy + Ord {
    /// How much is still missing from `self` to reach `min` (never negative).
    fn missing_to(self, min: Self) -> Self;
}

impl MetricValue for Cents {
    fn missing_to(self, min: Cents) -> Cents {
        min.saturating_sub(self).max(Cents::ZERO)
    }
}

impl MetricValue for u64 {
    fn missing_to(self, min: u64) -> u64 {
        min.saturating_sub(self)
    }
}

/// Today's tier and next-tier gap of one metric; no tier while no transact offer is live.
fn metric_result<T: MetricValue>(tiers: &MetricTiers<T>, value: T, transact_live: bool) -> MetricResult<T> {
    if !transact_live {
        return MetricResult { value, tier: None, next: None };
    }
    let tier = tiers.tier_for(value);
    let next = tiers.next_after(tier).map(|t| NextTier { tier: t.tier, missing: value.missing_to(t.min) });
    MetricResult { value, tier, next }
}
