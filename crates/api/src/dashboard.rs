//! `GET /api/operator/dashboard`: how the program as a whole is doing, every
//! figure counted in the database.

use benefits_domain::activation::BenefitStatus;
use benefits_domain::{Cents, Month, OfferType};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date;

/// The longest range the dashboard answers for, in days (about five years).
pub const MAX_RANGE_DAYS: i64 = 5 * 366;

/// `?from=&to=` (`YYYY-MM-DD`, both inclusive): `to` is today when absent,
/// `from` six months before `to`. The range filters the activations (by the
/// day they were activated), the contact SLA and the benefits per month; the
/// tiers and offer types are as of today.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DashboardQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// The range answered for.
    #[serde(with = "date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: NaiveDate,
    #[serde(with = "date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: NaiveDate,
    /// Today: the day of the tiers and the offer types.
    #[serde(with = "date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub as_of: NaiveDate,
    /// Every partner of the program.
    pub partners: u64,
    /// Partners per effective tier today (a `null` tier: none), lowest first.
    pub by_tier: Vec<TierCount>,
    /// Partners with a live offer of each type today (a partner counts once per type).
    pub by_offer_type: Vec<OfferTypeCount>,
    /// Benefits activated in the range, by the state they are in now.
    pub activations_by_state: Vec<StateCount>,
    /// Per week (Monday to Sunday) of activation in the range, oldest first.
    pub contact_sla: Vec<SlaWeek>,
    /// Per calendar month in the range, oldest first.
    pub benefits_by_month: Vec<MonthBenefits>,
    /// Transact partners whose MBS is within 10 % below their next MBS tier's
    /// threshold, closest first.
    pub near_next_tier: Vec<NearTier>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierCount {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub tier: Option<u32>,
    pub partners: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferTypeCount {
    pub offer_type: OfferType,
    pub partners: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StateCount {
    pub status: BenefitStatus,
    pub benefits: u64,
}

/// The activations of one week and how many the Rewards team contacted by
/// their contact date (activation + 7 days).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaWeek {
    /// The Monday the week starts on.
    #[serde(with = "date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub week: NaiveDate,
    pub activated: u64,
    /// Contacted on or before the contact date.
    pub in_time: u64,
    /// Contacted after it, or not contacted and past it.
    pub late: u64,
    /// Not contacted yet, the contact date still ahead.
    pub pending: u64,
}

impl SlaWeek {
    /// The share contacted in time among those decided (in time or late), in
    /// tenths of a percent; `None` when none is decided yet.
    pub fn permille(&self) -> Option<u64> {
        let decided = self.in_time + self.late;
        (decided > 0).then(|| (self.in_time * 1000 + decided / 2) / decided)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthBenefits {
    pub month: Month,
    /// Grants recorded in the ledger with a grant day in the month.
    pub granted: u64,
    /// Benefits marked delivered in the month (and still delivered).
    pub delivered: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NearTier {
    pub partner_id: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub tier: Option<u32>,
    pub mbs: Cents,
    pub next_tier: u32,
    pub next_min: Cents,
    pub missing: Cents,
}
