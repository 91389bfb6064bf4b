//! What a proposed catalog version changes against another, field by field,
//! in the program's terms (a tier threshold of a metric, a benefit added to a
//! tier), so the console can say "Tier 2 threshold of MBS: $25,000.00 →
//! $40,000.00" before an operator publishes.

use serde::{Deserialize, Serialize};

use crate::catalog::{Aggregate, BenefitDef, BenefitKind, MetricTiers, Tier};
use crate::evaluate::MetricName;
use crate::model::OfferType;
use crate::{Catalog, Cents};

/// A threshold in its metric's unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    Usd(Cents),
    Users(u64),
}

/// Which part of a benefit's definition moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "value")]
pub enum BenefitEdit {
    Name { before: String, after: String },
    Kind { before: BenefitKind, after: BenefitKind },
    /// `None`: never expires.
    ExpiresAfterDays { before: Option<u32>, after: Option<u32> },
    Description { before: Option<String>, after: Option<String> },
}

/// One change a proposal makes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum CatalogChange {
    Version { before: String, after: String },
    Notes { before: Option<String>, after: Option<String> },
    Aggregate { metric: MetricName, before: Aggregate, after: Aggregate },
    /// A tier's threshold of a metric: `None` before (tier added to the
    /// metric's table) or after (tier removed from it).
    Threshold { metric: MetricName, tier: u32, before: Option<Threshold>, after: Option<Threshold> },
    /// A tier's threshold was marked illustrative (or confirmed).
    Illustrative { metric: MetricName, tier: u32, after: bool },
    OfferBenefitAdded { offer_type: OfferType, benefit: String },
    OfferBenefitRemoved { offer_type: OfferType, benefit: String },
    TierBenefitAdded { tier: u32, benefit: String },
    TierBenefitRemoved { tier: u32, benefit: String },
    BenefitDefined { id: String, name: String },
    BenefitDropped { id: String, name: String },
    Benefit { id: String, edit: BenefitEdit },
}

/// Every change from `current` to `proposed`, in reading order: version,
/// notes, metrics (each tier ascending), offer-type sets, tier benefits,
/// then benefit definitions (in the proposal's order, dropped ones last).
/// Moving a benefit within a list is not a change: the catalog's order of
/// `benefits` is only their display order.
pub fn catalog_diff(current: &Catalog, proposed: &Catalog) -> Vec<CatalogChange> {
    let mut out = Vec::new();
    if current.version != proposed.version {
        out.push(CatalogChange::Version { before: current.version.clone(), after: proposed.version.clone() });
    }
    if current.notes != proposed.notes {
        out.push(CatalogChange::Notes { before: current.notes.clone(), after: proposed.notes.clone() });
    }
    let (c, p) = (&current.metrics, &proposed.metrics);
    metric_changes(MetricName::Mbs, &c.mbs, &p.mbs, Threshold::Usd, &mut out);
    metric_changes(MetricName::Bizapps, &c.bizapps, &p.bizapps, Threshold::Usd, &mut out);
    metric_changes(MetricName::TeamsMau, &c.teams_mau, &p.teams_mau, Threshold::Users, &mut out);
    for t in [OfferType::List, OfferType::Trial, OfferType::Consulting] {
        let (before, after) = (current.offer_benefits.for_type(t), proposed.offer_benefits.for_type(t));
        for b in added(before, after) {
            out.push(CatalogChange::OfferBenefitAdded { offer_type: t, benefit: b });
        }
        for b in added(after, before) {
            out.push(CatalogChange::OfferBenefitRemoved { offer_type: t, benefit: b });
        }
    }
    let tiers: std::collections::BTreeSet<u32> = current.tier_benefits.keys().chain(proposed.tier_benefits.keys()).copied().collect();
    for tier in tiers {
        let before = current.tier_benefits.get(&tier).map(Vec::as_slice).unwrap_or_default();
        let after = proposed.tier_benefits.get(&tier).map(Vec::as_slice).unwrap_or_default();
        for b in added(before, after) {
            out.push(CatalogChange::TierBenefitAdded { tier, benefit: b });
        }
        for b in added(after, before) {
            out.push(CatalogChange::TierBenefitRemoved { tier, benefit: b });
        }
    }
    for b in &proposed.benefits {
        match current.benefit(&b.id) {
            None => out.push(CatalogChange::BenefitDefined { id: b.id.clone(), name: b.name.clone() }),
            Some(old) => benefit_edits(old, b, &mut out),
        }
    }
    for b in current.benefits.iter().filter(|b| proposed.benefit(&b.id).is_none()) {
        out.push(CatalogChange::BenefitDropped { id: b.id.clone(), name: b.name.clone() });
    }
    out
}

/// The items of `after` that `before` lacks, in `after`'s order.
fn added(before: &[String], after: &[String]) -> Vec<String> {
    after.iter().filter(|b| !before.contains(b)).cloned().collect()
}

/// A metric's aggregate and thresholds, matched by tier number.
fn metric_changes<T: Copy + PartialEq>(
    metric: MetricName,
    before: &MetricTiers<T>,
    after: &MetricTiers<T>,
    unit: fn(T) -> Threshold,
    out: &mut Vec<CatalogChange>,
) {
    if before.aggregate != after.aggregate {
        out.push(CatalogChange::Aggregate { metric, before: before.aggregate, after: after.aggregate });
    }
    let find = |m: &MetricTiers<T>, tier: u32| m.tiers.iter().find(|t| t.tier == tier).cloned();
    let tiers: std::collections::BTreeSet<u32> = before.tiers.iter().chain(&after.tiers).map(|t| t.tier).collect();
    for tier in tiers {
        let (b, a): (Option<Tier<T>>, Option<Tier<T>>) = (find(before, tier), find(after, tier));
        if b.as_ref().map(|t| t.min) != a.as_ref().map(|t| t.min) {
            out.push(CatalogChange::Threshold { metric, tier, before: b.as_ref().map(|t| unit(t.min)), after: a.as_ref().map(|t| unit(t.min)) });
        }
        if let (Some(b), Some(a)) = (&b, &a) {
            if b.illustrative != a.illustrative {
                out.push(CatalogChange::Illustrative { metric, tier, after: a.illustrative });
            }
        }
    }
}

fn benefit_edits(before: &BenefitDef, after: &BenefitDef, out: &mut Vec<CatalogChange>) {
    let id = || after.id.clone();
    if before.name != after.name {
        out.push(CatalogChange::Benefit { id: id(), edit: BenefitEdit::Name { before: before.name.clone(), after: after.name.clone() } });
    }
    if before.kind != after.kind {
        out.push(CatalogChange::Benefit { id: id(), edit: BenefitEdit::Kind { before: before.kind, after: after.kind } });
    }
    if before.expires_after_days != after.expires_after_days {
        let edit = BenefitEdit::ExpiresAfterDays { before: before.expires_after_days, after: after.expires_after_days };
        out.push(CatalogChange::Benefit { id: id(), edit });
    }
    if before.description != after.description {
        let edit = BenefitEdit::Description { before: before.description.clone(), after: after.description.clone() };
        out.push(CatalogChange::Benefit { id: id(), edit });
    }
}
