//! What a proposed catalog version would change for one partner: the same
//! evaluation under the catalog in force and under the proposal, on the same
//! day and data. The console's impact preview runs it over every partner
//! before an operator publishes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{evaluate, Catalog, EvaluationInput, PartnerData};

/// One partner's tiers and benefits under both catalogs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierImpact {
    pub effective_before: Option<u32>,
    pub effective_after: Option<u32>,
    pub today_before: Option<u32>,
    pub today_after: Option<u32>,
    /// Benefits the proposal would unlock that the catalog in force does not.
    pub unlocked_gained: Vec<String>,
    /// Benefits unlocked today that the proposal would not unlock (grants
    /// already recorded are kept whatever it says).
    pub unlocked_lost: Vec<String>,
}

impl TierImpact {
    /// The effective tier or today's transact tier would move.
    pub fn changes_tier(&self) -> bool {
        self.effective_before != self.effective_after || self.today_before != self.today_after
    }

    pub fn changes_anything(&self) -> bool {
        self.changes_tier() || !self.unlocked_gained.is_empty() || !self.unlocked_lost.is_empty()
    }
}

/// The partner evaluated on `as_of` under `current` and under `proposed`.
pub fn tier_impact(partner: &PartnerData, as_of: NaiveDate, current: &Catalog, proposed: &Catalog) -> TierImpact {
    let run = |catalog: &Catalog| evaluate(&EvaluationInput { as_of, catalog: catalog.clone(), partner: partner.clone() });
    let (before, after) = (run(current), run(proposed));
    let missing = |from: &[String], other: &[String]| from.iter().filter(|b| !other.contains(b)).cloned().collect::<Vec<_>>();
    TierImpact {
        effective_before: before.effective_tier,
        effective_after: after.effective_tier,
        today_before: before.transact_tier_today,
        today_after: after.transact_tier_today,
        unlocked_gained: missing(&after.unlocked_benefits, &before.unlocked_benefits),
        unlocked_lost: missing(&before.unlocked_benefits, &after.unlocked_benefits),
    }
}
