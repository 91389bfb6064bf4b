//! The grant ledger's rules: once the evaluation unlocks a benefit in a benefit
//! year, the program records a grant, and the grant stays for that benefit year
//! whatever the data or the catalog say later (only a revocation ends it).
//!
//! The first grant's day is the partner's first benefit date, the anchor of
//! every later benefit year; it is stored once and never moves with data.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::BenefitYear;
use crate::catalog::Catalog;
use crate::evaluate::{Engine, EvaluationInput, MetricName};
use crate::model::OfferType;

/// What unlocked a benefit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum GrantCause {
    /// An offer of this type was live (from `on`, within the benefit year).
    OfferLive {
        offer_type: OfferType,
        offer_id: String,
        #[serde(with = "crate::parse::date")]
        on: NaiveDate,
    },
    /// Transact tier `tier` was reached through `metric` on `on`.
    Tier {
        tier: u32,
        metric: MetricName,
        #[serde(with = "crate::parse::date")]
        on: NaiveDate,
    },
}

impl GrantCause {
    /// The cause in a partner's words.
    pub fn describe(&self) -> String {
        match self {
            GrantCause::OfferLive { offer_type, offer_id, on } => format!("{offer_type} offer `{offer_id}` live on {on}"),
            GrantCause::Tier { tier, metric, on } => format!("tier {tier} reached by {} on {on}", metric.describe()),
        }
    }
}

/// One benefit granted to a partner for one benefit year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub benefit_id: String,
    /// The first day of the benefit year the grant belongs to.
    #[serde(with = "crate::parse::date")]
    pub year_start: NaiveDate,
    /// The day the benefit was unlocked.
    #[serde(with = "crate::parse::date")]
    pub granted_on: NaiveDate,
    pub catalog_version: String,
    pub cause: GrantCause,
}

/// A benefit the evaluation unlocks, with the first day and the cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unlock {
    pub benefit_id: String,
    pub on: NaiveDate,
    pub cause: GrantCause,
}

/// What the ledger must record after evaluating a partner on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerUpdate {
    /// The first benefit date to store: the stored one, or the day of the first grant.
    pub first_benefit_date: Option<NaiveDate>,
    /// The benefit year the grants belong to, if any.
    pub year: Option<BenefitYear>,
    /// Grants not yet in the ledger, in catalog order.
    pub new_grants: Vec<Grant>,
}

/// The benefits unlocked in the benefit year of `engine`, each with the first
/// day it was unlocked and why, in catalog order.
pub(crate) fn unlocks(engine: &Engine<'_>) -> Vec<Unlock> {
    let Some(year) = engine.benefit_year else { return Vec::new() };
    let catalog = engine.catalog;
    // The earliest unlock of each benefit (a benefit may be in several sets).
    let mut found: BTreeMap<String, (NaiveDate, GrantCause)> = BTreeMap::new();
    let mut offer = |id: &str, on: NaiveDate, cause: &GrantCause| {
        if found.get(id).is_none_or(|(d, _)| on < *d) {
            found.insert(id.to_string(), (on, cause.clone()));
        }
    };
    for t in [OfferType::List, OfferType::Trial, OfferType::Consulting] {
        let first = engine
            .partner
            .offers
            .iter()
            .filter(|o| o.offer_type == t)
            .filter_map(|o| o.first_live_day_in(year.start, engine.as_of).map(|d| (d, o)))
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
        if let Some((on, o)) = first {
            let cause = GrantCause::OfferLive { offer_type: t, offer_id: o.id.clone(), on };
            for id in catalog.offer_benefits.for_type(t) {
                offer(id, on, &cause);
            }
        }
    }
    let rises = engine.tier_rises();
    for (tier, ids) in &catalog.tier_benefits {
        if let Some(r) = rises.iter().find(|r| r.tier >= *tier) {
            let cause = GrantCause::Tier { tier: r.tier, metric: r.metric, on: r.on };
            for id in ids {
                offer(id, r.on, &cause);
            }
        }
    }
    catalog
        .benefits
        .iter()
        .filter_map(|b| found.get(b.id.as_str()).map(|(on, cause)| Unlock { benefit_id: b.id.clone(), on: *on, cause: cause.clone() }))
        .collect()
}

/// The grants to record for a partner evaluated on `input.as_of`.
///
/// `input.partner.first_benefit_date` must be the stored date (`None` before
/// the first grant) and `ledger` the grants already recorded. Before the first
/// grant, benefit years hang on the first go-live; the first grant's day then
/// becomes the anchor, and the grants are computed again on that anchor so
/// that they belong to the benefit year it defines.
pub fn grants_due(input: &EvaluationInput, ledger: &[Grant]) -> LedgerUpdate {
    let (catalog, partner, as_of) = (&input.catalog, &input.partner, input.as_of);
    let stored = partner.first_benefit_date;
    let mut engine = Engine::new(catalog, partner, as_of);
    let mut found = unlocks(&engine);
    let first = match stored {
        Some(d) => Some(d),
        None => {
            let first = found.iter().map(|u| u.on).min();
            if first.is_some() {
                engine = Engine::anchored(catalog, partner, as_of, first);
                found = unlocks(&engine);
            }
            first
        }
    };
    let year = engine.benefit_year;
    let new_grants = match year {
        Some(y) => {
            let have: HashSet<&str> = ledger.iter().filter(|g| g.year_start == y.start).map(|g| g.benefit_id.as_str()).collect();
            found
                .into_iter()
                .filter(|u| !have.contains(u.benefit_id.as_str()))
                .map(|u| Grant {
                    benefit_id: u.benefit_id,
                    year_start: y.start,
                    granted_on: u.on,
                    catalog_version: catalog.version.clone(),
                    cause: u.cause,
                })
                .collect()
        }
        None => Vec::new(),
    };
    LedgerUpdate { first_benefit_date: first, year, new_grants }
}

/// The benefits shown for the benefit year starting `year_start`: those granted
/// in that year plus those the evaluation unlocks now, each once, in catalog
/// order (a granted benefit the catalog no longer defines is still shown last).
pub fn shown_benefits(catalog: &Catalog, unlocked: &[String], ledger: &[Grant], year_start: NaiveDate) -> Vec<String> {
    let granted: Vec<&str> = ledger.iter().filter(|g| g.year_start == year_start).map(|g| g.benefit_id.as_str()).collect();
    let wanted = |id: &str| granted.contains(&id) || unlocked.iter().any(|u| u == id);
    let mut out: Vec<String> = catalog.benefits.iter().filter(|b| wanted(&b.id)).map(|b| b.id.clone()).collect();
    for id in granted {
        if catalog.benefit(id).is_none() && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out
}
