//! The program catalog: tier thresholds per metric, the benefits of each offer
//! type and tier, and what each benefit is. Versioned data, never code.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{InputCode, InputError};
use crate::model::OfferType;
use crate::money::Cents;

/// The catalog the project ships. Only the USD 4,000,000 top MBS tier is a
/// confirmed program figure; the file marks the rest as illustrative.
pub const DEFAULT_CATALOG_JSON: &str = include_str!("../catalog/default.json");

/// How a metric's monthly values become one TTM figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    Sum,
    Max,
}

/// One row of a tier table: the tier reached when the metric is at least `min`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier<T> {
    pub tier: u32,
    pub min: T,
    /// True where the threshold is an example, not a published program figure.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A metric's aggregate and its tier table, lowest tier first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricTiers<T> {
    pub aggregate: Aggregate,
    pub tiers: Vec<Tier<T>>,
}

impl<T: Copy + Ord> MetricTiers<T> {
    /// The highest tier whose `min` the value reaches.
    pub fn tier_for(&self, value: T) -> Option<u32> {
        self.tiers.iter().take_while(|t| value >= t.min).last().map(|t| t.tier)
    }

    /// The lowest tier above `current` (the lowest tier when none is reached).
    pub fn next_after(&self, current: Option<u32>) -> Option<&Tier<T>> {
        self.tiers.iter().find(|t| current.is_none_or(|c| t.tier > c))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    pub mbs: MetricTiers<Cents>,
    pub bizapps: MetricTiers<Cents>,
    pub teams_mau: MetricTiers<u64>,
}

/// The benefit sets unlocked by the non-transact offer types.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferBenefits {
    #[serde(default)]
    pub list: Vec<String>,
    #[serde(default)]
    pub trial: Vec<String>,
    #[serde(default)]
    pub consulting: Vec<String>,
}

impl OfferBenefits {
    pub fn for_type(&self, t: OfferType) -> &[String] {
        match t {
            OfferType::List => &self.list,
            OfferType::Trial => &self.trial,
            OfferType::Consulting => &self.consulting,
            OfferType::Transact => &[],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BenefitKind {
    Marketing,
    Sales,
    Technical,
}

impl BenefitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BenefitKind::Marketing => "marketing",
            BenefitKind::Sales => "sales",
            BenefitKind::Technical => "technical",
        }
    }
}

/// What a benefit is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BenefitDef {
    pub id: String,
    pub name: String,
    pub kind: BenefitKind,
    /// An activated benefit expires this many days after activation (trial and
    /// consulting benefits: 180 in the current program); `null`: never.
    pub expires_after_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A versioned program catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub version: String,
    /// Free text about the catalog's figures (which are illustrative, sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub metrics: Metrics,
    pub offer_benefits: OfferBenefits,
    /// Tier number → the benefits that tier adds; tier N unlocks every tier up to N.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Vec<String>>))]
    pub tier_benefits: BTreeMap<u32, Vec<String>>,
    pub benefits: Vec<BenefitDef>,
}

impl Catalog {
    /// The catalog shipped with the project, already validated by its tests.
    pub fn default_catalog() -> Catalog {
        crate::parse::parse_catalog(DEFAULT_CATALOG_JSON).expect("the shipped default catalog is valid")
    }

    pub fn benefit(&self, id: &str) -> Option<&BenefitDef> {
        self.benefits.iter().find(|b| b.id == id)
    }

    /// The benefit ids a transact tier unlocks, including every lower tier's.
    pub fn tier_benefit_ids(&self, tier: u32) -> impl Iterator<Item = &str> {
        self.tier_benefits.range(..=tier).flat_map(|(_, ids)| ids.iter().map(String::as_str))
    }

    /// Every tier number the catalog mentions, ascending.
    pub fn all_tiers(&self) -> BTreeSet<u32> {
        let m = &self.metrics;
        m.mbs.tiers.iter().map(|t| t.tier)
            .chain(m.bizapps.tiers.iter().map(|t| t.tier))
            .chain(m.teams_mau.tiers.iter().map(|t| t.tier))
            .chain(self.tier_benefits.keys().copied())
            .collect()
    }

    /// Checks what the type system cannot: names, references and ordering.
    /// The first problem of [`Catalog::problems`].
    pub fn validate(&self) -> Result<(), InputError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every problem of the catalog, each naming its field by its path
    /// (`catalog.metrics.mbs.tiers[1]`), in the catalog's order: the console's
    /// editor shows each beside its field as the operator types.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        if self.version.trim().is_empty() {
            out.push(InputError::new("catalog.version", InputCode::Empty));
        }
        validate_metric("catalog.metrics.mbs", &self.metrics.mbs, false, &mut out);
        validate_metric("catalog.metrics.bizapps", &self.metrics.bizapps, false, &mut out);
        validate_metric("catalog.metrics.teams_mau", &self.metrics.teams_mau, true, &mut out);

        let mut ids = BTreeSet::new();
        for (i, b) in self.benefits.iter().enumerate() {
            let field = format!("catalog.benefits[{i}]");
            if b.id.trim().is_empty() {
                out.push(InputError::new(format!("{field}.id"), InputCode::Empty));
            } else if !ids.insert(b.id.as_str()) {
                out.push(InputError::new(format!("{field}.id"), InputCode::DuplicateBenefit).with("id", &b.id));
            }
            if b.name.trim().is_empty() {
                out.push(InputError::new(format!("{field}.name"), InputCode::Empty));
            }
        }
        if self.tier_benefits.contains_key(&0) {
            out.push(InputError::new("catalog.tier_benefits", InputCode::ZeroTier));
        }
        let mut check_refs = |field: String, list: &[String]| {
            for (i, id) in list.iter().enumerate() {
                if !ids.contains(id.as_str()) {
                    out.push(InputError::new(format!("{field}[{i}]"), InputCode::UnknownBenefit).with("id", id));
                }
            }
        };
        check_refs("catalog.offer_benefits.list".into(), &self.offer_benefits.list);
        check_refs("catalog.offer_benefits.trial".into(), &self.offer_benefits.trial);
        check_refs("catalog.offer_benefits.consulting".into(), &self.offer_benefits.consulting);
        for (tier, list) in &self.tier_benefits {
            check_refs(format!("catalog.tier_benefits.{tier}"), list);
        }
        out
    }
}

/// The first day a catalog version may apply from: `today` or later, so
/// grants already recorded are never re-decided. `today` comes from the caller.
pub fn check_effective_from(day: NaiveDate, today: NaiveDate) -> Result<(), InputError> {
    if day < today {
        return Err(InputError::new("effective_from", InputCode::InPast));
    }
    Ok(())
}

/// A published catalog version's place in time: it applies from
/// `effective_from`; `seq` orders publications (a later one wins a tie).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub seq: i64,
    #[serde(with = "crate::parse::date")]
    pub effective_from: NaiveDate,
}

/// Where a version stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// Published ahead of its date.
    Scheduled,
    InForce,
    /// Replaced by a version in force now.
    Superseded,
}

/// The version in force on `day`: the latest `effective_from` on or before
/// `day`, the later publication on a tie. `None` when every version is scheduled.
pub fn in_force(versions: &[Published], day: NaiveDate) -> Option<Published> {
    versions.iter().filter(|v| v.effective_from <= day).max_by_key(|v| (v.effective_from, v.seq)).copied()
}

/// The state of `v` among `versions` on `day`.
pub fn version_state(versions: &[Published], v: Published, day: NaiveDate) -> VersionState {
    if v.effective_from > day {
        VersionState::Scheduled
    } else if in_force(versions, day) == Some(v) {
        VersionState::InForce
    } else {
        VersionState::Superseded
    }
}

fn validate_metric<T: Ord>(field: &str, m: &MetricTiers<T>, max_allowed: bool, out: &mut Vec<InputError>) {
    if m.aggregate == Aggregate::Max && !max_allowed {
        out.push(InputError::new(format!("{field}.aggregate"), InputCode::SumOnly));
    }
    for (i, pair) in m.tiers.windows(2).enumerate() {
        if pair[1].tier <= pair[0].tier || pair[1].min <= pair[0].min {
            out.push(InputError::new(format!("{field}.tiers[{}]", i + 1), InputCode::TiersNotAscending));
        }
    }
    for (i, _) in m.tiers.iter().enumerate().filter(|(_, t)| t.tier == 0) {
        out.push(InputError::new(format!("{field}.tiers[{i}].tier"), InputCode::ZeroTier));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_catalog_is_valid_and_confirms_the_4m_top_mbs_tier() {
        let c = Catalog::default_catalog();
        c.validate().unwrap();
        let top = c.metrics.mbs.tiers.last().unwrap();
        assert_eq!(top.min, Cents::dollars(4_000_000));
        assert!(!top.illustrative, "the $4M top tier is a confirmed figure");
        assert!(c.metrics.mbs.tiers[..c.metrics.mbs.tiers.len() - 1].iter().all(|t| t.illustrative));
        assert!(c.notes.as_deref().unwrap_or("").contains("illustrative"));
        assert_eq!(c.metrics.teams_mau.aggregate, Aggregate::Max);
    }

    #[test]
    fn every_default_transact_tier_includes_the_engagement_manager() {
        let c = Catalog::default_catalog();
        for tier in c.all_tiers() {
            assert!(c.tier_benefit_ids(tier).any(|id| id == "engagement-manager"), "tier {tier}");
        }
    }

    #[test]
    fn default_trial_and_consulting_benefits_expire_after_180_days() {
        let c = Catalog::default_catalog();
        for id in c.offer_benefits.trial.iter().chain(&c.offer_benefits.consulting) {
            let b = c.benefit(id).unwrap();
            if !c.offer_benefits.list.contains(id) {
                assert_eq!(b.expires_after_days, Some(180), "{id}");
            }
        }
    }

    fn v(seq: i64, from: &str) -> Published {
        Published { seq, effective_from: from.parse().unwrap() }
    }

    #[test]
    fn the_version_in_force_is_the_latest_effective_on_the_day() {
        let versions = [v(1, "2024-01-01"), v(2, "2025-09-01"), v(3, "2025-03-01")];
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        for (on, seq) in [("2023-12-31", None), ("2024-01-01", Some(1)), ("2025-02-28", Some(1)), ("2025-03-01", Some(3)), ("2025-08-31", Some(3)), ("2025-09-01", Some(2))] {
            assert_eq!(in_force(&versions, day(on)).map(|p| p.seq), seq, "{on}");
        }
        assert_eq!(version_state(&versions, versions[1], day("2025-07-15")), VersionState::Scheduled);
        assert_eq!(version_state(&versions, versions[2], day("2025-07-15")), VersionState::InForce);
        assert_eq!(version_state(&versions, versions[0], day("2025-07-15")), VersionState::Superseded);
        // Two versions effective the same day: the later publication wins.
        let tie = [v(1, "2025-01-01"), v(2, "2025-01-01")];
        assert_eq!(in_force(&tie, day("2025-06-01")).map(|p| p.seq), Some(2));
    }

    #[test]
    fn tier_lookup_and_next_tier() {
        let c = Catalog::default_catalog();
        let mbs = &c.metrics.mbs;
        assert_eq!(mbs.tier_for(Cents(-1)), None);
        assert_eq!(mbs.tier_for(Cents(0)), Some(1));
        assert_eq!(mbs.tier_for(Cents::dollars(4_000_000)), Some(mbs.tiers.last().unwrap().tier));
        assert_eq!(mbs.next_after(None).map(|t| t.tier), Some(1));
        assert_eq!(mbs.next_after(Some(mbs.tiers.last().unwrap().tier)), None);
    }
}
