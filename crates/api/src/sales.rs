//! `GET /api/partners/{pid}/sales`: the partner's sales lines with the rule's
//! verdict, filtered, sorted and paged by the server (a partner may have
//! 100,000 lines; the workspace carries daily totals only).

use benefits_domain::explain::SaleVerdict;
use benefits_domain::{Cents, SaleStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date;

/// The largest page of sales lines.
pub const MAX_SALES_PAGE: u32 = 200;
/// The page size when none is asked for.
pub const DEFAULT_SALES_PAGE: u32 = 50;
/// The most lines a page may skip.
pub const MAX_SALES_OFFSET: u64 = 1_000_000_000;

/// How the lines are ordered (ties: by date, then input order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SalesSort {
    #[default]
    Date,
    Amount,
}

/// Lines by what the evaluation did with them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VerdictGroup {
    /// Counted towards MBS.
    Counted,
    /// In the window but excluded (fraud, cancellations).
    Excluded,
    /// Dated outside the window.
    Outside,
}

impl VerdictGroup {
    pub fn keeps(self, v: SaleVerdict) -> bool {
        match self {
            VerdictGroup::Counted => v.counted(),
            VerdictGroup::Excluded => v.excluded(),
            VerdictGroup::Outside => v.outside(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VerdictGroup::Counted => "counted",
            VerdictGroup::Excluded => "excluded",
            VerdictGroup::Outside => "outside",
        }
    }
}

/// Filters, order and page of the sales list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SalesQuery {
    /// Lines to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1000000000))]
    pub offset: Option<u64>,
    /// Page size, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<SalesSort>,
    /// Descending (default ascending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<bool>,
    /// Only lines the evaluation treated this way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictGroup>,
    /// Only lines of this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SaleStatus>,
    /// Only lines of this offer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
    /// Only lines dated on or after this day.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "date::option")]
    pub from: Option<NaiveDate>,
    /// Only lines dated on or before this day (a `to` before `from` is an empty range).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "date::option")]
    pub to: Option<NaiveDate>,
}

/// One sales line and the rule's verdict on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaleItem {
    #[serde(with = "date")]
    pub date: NaiveDate,
    pub amount_usd: Cents,
    pub status: SaleStatus,
    pub offer_id: String,
    pub verdict: SaleVerdict,
}

/// All of the partner's lines, whatever the filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesSummary {
    pub lines: u64,
    pub counted_lines: u64,
    pub counted_usd: Cents,
    pub excluded_lines: u64,
    pub outside_lines: u64,
    /// Every offer id with lines, sorted (the offer filter's choices).
    pub offers: Vec<String>,
}

/// One page of lines, how many match in all, and the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesPage {
    /// The evaluation date of the verdicts (today).
    #[serde(with = "date")]
    pub as_of: NaiveDate,
    pub items: Vec<SaleItem>,
    /// Lines matching the filters.
    pub total: u64,
    pub offset: u64,
    pub limit: u32,
    pub summary: SalesSummary,
}
