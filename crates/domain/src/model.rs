//! The partner's data as the evaluation sees it: offers, sales lines and monthly metrics.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Month;
use crate::money::Cents;

/// The four offer types. BYOL counts as `List`; "Get it now (free)" as `Trial`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferType {
    List,
    Trial,
    Consulting,
    Transact,
}

impl OfferType {
    pub const ALL: [OfferType; 4] = [OfferType::List, OfferType::Trial, OfferType::Consulting, OfferType::Transact];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferType::List => "list",
            OfferType::Trial => "trial",
            OfferType::Consulting => "consulting",
            OfferType::Transact => "transact",
        }
    }

    pub fn parse(s: &str) -> Option<OfferType> {
        OfferType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for OfferType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A published offer. It is live from `live_on` until the day before
/// `delisted_on`; with no `live_on` it has not gone live and counts for nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub id: String,
    #[serde(rename = "type")]
    pub offer_type: OfferType,
    /// Required in the JSON, but may be `null` (published, not live yet).
    #[serde(with = "crate::parse::date::option")]
    pub live_on: Option<NaiveDate>,
    #[serde(default, with = "crate::parse::date::option")]
    pub delisted_on: Option<NaiveDate>,
}

impl Offer {
    /// Live on `day`: gone live on or before it and not delisted on or before it.
    pub fn is_live_on(&self, day: NaiveDate) -> bool {
        self.live_on.is_some_and(|l| l <= day) && self.delisted_on.is_none_or(|d| d > day)
    }

    /// The first day from `from` to `to` (both inclusive) on which the offer is live.
    pub fn first_live_day_in(&self, from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
        let first = self.live_on?.max(from);
        (first <= to && self.is_live_on(first)).then_some(first)
    }

    /// Live on at least one day from `from` to `to`, both inclusive.
    pub fn is_live_during(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.first_live_day_in(from, to).is_some()
    }

    /// The last day the offer is live, if it has been delisted.
    pub fn last_live_day(&self) -> Option<NaiveDate> {
        self.delisted_on.and_then(|d| d.pred_opt())
    }
}

/// What happened to a billed sale. Only `Billed` counts towards MBS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SaleStatus {
    Billed,
    /// Known or suspected to be fraudulent; removed before tiering.
    Fraud,
    /// The customer bought by accident and cancelled.
    CancelledAccidental,
    /// The customer cancelled before using the product.
    CancelledBeforeUse,
}

impl SaleStatus {
    pub const ALL: [SaleStatus; 4] =
        [SaleStatus::Billed, SaleStatus::Fraud, SaleStatus::CancelledAccidental, SaleStatus::CancelledBeforeUse];

    pub fn counts(self) -> bool {
        self == SaleStatus::Billed
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SaleStatus::Billed => "billed",
            SaleStatus::Fraud => "fraud",
            SaleStatus::CancelledAccidental => "cancelled_accidental",
            SaleStatus::CancelledBeforeUse => "cancelled_before_use",
        }
    }

    pub fn parse(s: &str) -> Option<SaleStatus> {
        SaleStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Words a partner understands, for the explanation.
    pub fn describe(self) -> &'static str {
        match self {
            SaleStatus::Billed => "Billed",
            SaleStatus::Fraud => "Flagged as fraudulent",
            SaleStatus::CancelledAccidental => "Accidental purchase, cancelled",
            SaleStatus::CancelledBeforeUse => "Cancelled before the product was used",
        }
    }
}

/// One marketplace-billed sales line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SaleLine {
    #[serde(with = "crate::parse::date")]
    pub date: NaiveDate,
    pub amount_usd: Cents,
    pub status: SaleStatus,
    pub offer_id: String,
}

/// Business Applications solution value reported for one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MonthlyValue {
    pub month: Month,
    pub amount_usd: Cents,
}

/// Teams app monthly active users for one month. Several entries for one month
/// (several apps) add up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MonthlyMau {
    pub month: Month,
    pub mau: u64,
}

/// Everything the evaluation needs to know about one partner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnerData {
    #[serde(default)]
    pub offers: Vec<Offer>,
    #[serde(default)]
    pub sales: Vec<SaleLine>,
    #[serde(default)]
    pub bizapps_value: Vec<MonthlyValue>,
    #[serde(default)]
    pub teams_mau: Vec<MonthlyMau>,
    /// When absent: the earliest `live_on` of any offer.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::parse::date::option")]
    pub first_benefit_date: Option<NaiveDate>,
    /// The benefits the program has actually granted (support-ticket advice only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_benefits: Option<Vec<String>>,
}

impl PartnerData {
    /// The date benefits were first received: given, or the first go-live.
    pub fn first_benefit_date(&self) -> Option<NaiveDate> {
        self.first_benefit_date.or_else(|| self.offers.iter().filter_map(|o| o.live_on).min())
    }

    pub fn transact_live_on(&self, day: NaiveDate) -> bool {
        self.offers.iter().any(|o| o.offer_type == OfferType::Transact && o.is_live_on(day))
    }
}
