//! The grant ledger's rules: what is granted, when, why, and what never takes it away.

mod common;

use benefits_domain::grants::{grants_due, shown_benefits, Grant, GrantCause};
use benefits_domain::model::{Offer, OfferType, PartnerData};
use benefits_domain::evaluate::MetricName;
use benefits_domain::{evaluate, Cents, EvaluationInput};
use chrono::{Days, NaiveDate};
use common::{d, Case};
use proptest::prelude::*;

fn ids(grants: &[Grant]) -> Vec<&str> {
    grants.iter().map(|g| g.benefit_id.as_str()).collect()
}

/// Records every due grant the way the server does: stores the first benefit
/// date and appends the new grants to the ledger.
fn record(case: &mut Case, ledger: &mut Vec<Grant>, as_of: &str) -> Vec<Grant> {
    let update = grants_due(&case.input(as_of), ledger);
    case.partner.first_benefit_date = update.first_benefit_date;
    ledger.extend(update.new_grants.clone());
    update.new_grants
}

#[test]
fn a_list_offer_going_live_grants_its_benefits_from_the_go_live_day() {
    let case = Case::new().offer("l", OfferType::List, "2025-03-10", None);
    let update = grants_due(&case.input("2025-07-15"), &[]);
    assert_eq!(update.first_benefit_date, Some(d("2025-03-10")));
    assert_eq!(ids(&update.new_grants), ["listing-optimization"]);
    let g = &update.new_grants[0];
    assert_eq!((g.year_start, g.granted_on), (d("2025-03-10"), d("2025-03-10")));
    assert_eq!(g.catalog_version, "example-1");
    assert_eq!(g.cause, GrantCause::OfferLive { offer_type: OfferType::List, offer_id: "l".into(), on: d("2025-03-10") });
}

#[test]
fn a_tier_grant_names_the_tier_the_metric_and_the_day() {
    // Tier 1 (MBS >= 0) from the go-live; tier 2 when MBS passes $25,000 on 2025-05-02.
    let case = Case::new().transact("2025-01-01").sale("2025-02-01", 10_000).sale("2025-05-02", 15_000);
    let update = grants_due(&case.input("2025-07-15"), &[]);
    assert_eq!(ids(&update.new_grants), ["engagement-manager", "azure-sponsorship-5k"]);
    assert_eq!(update.new_grants[0].cause, GrantCause::Tier { tier: 1, metric: MetricName::Mbs, on: d("2025-01-01") });
    assert_eq!(update.new_grants[1].cause, GrantCause::Tier { tier: 2, metric: MetricName::Mbs, on: d("2025-05-02") });
    assert_eq!(update.new_grants[1].granted_on, d("2025-05-02"));
    assert_eq!(update.first_benefit_date, Some(d("2025-01-01")));
}

#[test]
fn an_offer_not_live_yet_counts_for_nothing() {
    let mut case = Case::new();
    case.partner.offers.push(Offer { id: "soon".into(), offer_type: OfferType::List, live_on: None, delisted_on: None });
    let update = grants_due(&case.input("2025-07-15"), &[]);
    assert_eq!(update, benefits_domain::LedgerUpdate { first_benefit_date: None, year: None, new_grants: vec![] });
    let ev = case.eval("2025-07-15");
    assert!(ev.unlocked_benefits.is_empty());
    assert_eq!(ev.benefit_year, None);
    assert!(!ev.support_ticket.advised);
}

#[test]
fn recording_twice_records_nothing_new() {
    let mut case = Case::new().offer("l", OfferType::List, "2025-03-10", None).transact("2025-03-10");
    let mut ledger = Vec::new();
    assert!(!record(&mut case, &mut ledger, "2025-07-15").is_empty());
    assert!(record(&mut case, &mut ledger, "2025-07-15").is_empty());
    assert!(record(&mut case, &mut ledger, "2025-07-16").is_empty());
}

#[test]
fn back_dating_a_go_live_does_not_move_the_stored_first_benefit_date() {
    let mut case = Case::new().offer("l", OfferType::List, "2025-03-10", None);
    let mut ledger = Vec::new();
    record(&mut case, &mut ledger, "2025-07-15");
    assert_eq!(case.partner.first_benefit_date, Some(d("2025-03-10")));
    case.partner.offers[0].live_on = Some(d("2024-01-05"));
    let update = grants_due(&case.input("2025-07-16"), &ledger);
    assert_eq!(update.first_benefit_date, Some(d("2025-03-10")));
    assert_eq!(update.year.unwrap().start, d("2025-03-10"));
    assert!(update.new_grants.is_empty(), "the benefit is already granted for this year");
}

#[test]
fn a_metric_drop_keeps_the_grants_of_the_year() {
    let mut case = Case::new().transact("2024-09-01").sale("2024-09-10", 30_000);
    let mut ledger = Vec::new();
    record(&mut case, &mut ledger, "2024-10-01");
    assert!(ids(&ledger).contains(&"azure-sponsorship-5k"));
    // A credit note takes MBS below tier 2.
    case = case.sale("2024-12-01", -20_000);
    let ev = case.eval("2025-01-15");
    let year = ev.benefit_year.unwrap().start;
    let shown = shown_benefits(&case.catalog, &ev.unlocked_benefits, &ledger, year);
    assert!(shown.contains(&"azure-sponsorship-5k".to_string()));
    assert!(record(&mut case, &mut ledger, "2025-01-15").is_empty());
}

#[test]
fn a_threshold_raised_by_a_new_catalog_keeps_this_years_grants() {
    let mut case = Case::new().transact("2025-01-01").sale("2025-02-01", 30_000);
    let mut ledger = Vec::new();
    record(&mut case, &mut ledger, "2025-03-01");
    assert!(ids(&ledger).contains(&"azure-sponsorship-5k"));
    case.catalog.version = "example-2".into();
    case.catalog.metrics.mbs.tiers[1].min = Cents::dollars(50_000);
    let ev = case.eval("2025-07-15");
    assert_eq!(ev.effective_tier, Some(1), "the new catalog alone would not give tier 2");
    let shown = shown_benefits(&case.catalog, &ev.unlocked_benefits, &ledger, ev.benefit_year.unwrap().start);
    assert_eq!(shown, ["engagement-manager", "azure-sponsorship-5k"]);
}

#[test]
fn the_anniversary_starts_a_new_year_with_fresh_grants() {
    let mut case = Case::new().transact("2024-03-01").sale("2024-04-01", 30_000);
    let mut ledger = Vec::new();
    record(&mut case, &mut ledger, "2024-06-01");
    assert_eq!(ids(&ledger), ["engagement-manager", "azure-sponsorship-5k"]);
    // The sale leaves the window on 2025-04-01; the new year starts 2025-03-01 with tier 2 still reached that day.
    let new = record(&mut case, &mut ledger, "2025-03-01");
    assert_eq!(ids(&new), ["engagement-manager", "azure-sponsorship-5k"]);
    assert!(new.iter().all(|g| g.year_start == d("2025-03-01")));
    // The next anniversary: only tier 1 is reached, so the year's ledger has tier 1 only.
    let new = record(&mut case, &mut ledger, "2026-03-01");
    assert_eq!(ids(&new), ["engagement-manager"]);
    let ev = case.eval("2026-03-01");
    let shown = shown_benefits(&case.catalog, &ev.unlocked_benefits, &ledger, d("2026-03-01"));
    assert_eq!(shown, ["engagement-manager"], "last year's tier 2 does not carry over");
}

#[test]
fn the_stored_first_benefit_date_anchors_the_year() {
    let case = Case::new().offer("l", OfferType::List, "2024-01-01", None).first_benefit("2024-05-20");
    let update = grants_due(&case.input("2025-07-15"), &[]);
    assert_eq!(update.first_benefit_date, Some(d("2024-05-20")));
    assert_eq!(update.year.unwrap().start, d("2025-05-20"));
    assert_eq!(update.new_grants[0].granted_on, d("2025-05-20"));
}

fn day(offset: u64) -> NaiveDate {
    d("2023-01-01") + Days::new(offset)
}

prop_compose! {
    fn partner()(
        offers in prop::collection::vec((0usize..4, prop::option::of(0u64..900), prop::option::of(1u64..400)), 0..4),
        sales in prop::collection::vec((0u64..1000, -3_000_000i64..9_000_000), 0..30),
    ) -> PartnerData {
        let types = [OfferType::List, OfferType::Trial, OfferType::Consulting, OfferType::Transact];
        let mut p = PartnerData::default();
        for (i, (t, live, delist)) in offers.into_iter().enumerate() {
            p.offers.push(Offer { id: format!("o{i}"), offer_type: types[t], live_on: live.map(day), delisted_on: live.zip(delist).map(|(l, x)| day(l + x)) });
        }
        for (dd, cents) in sales {
            p.sales.push(benefits_domain::SaleLine { date: day(dd), amount_usd: Cents(cents), status: benefits_domain::SaleStatus::Billed, offer_id: "o0".into() });
        }
        p
    }
}

proptest! {
    /// Day after day, the first benefit date never moves once set, a grant is
    /// recorded once per benefit and year, and everything the evaluation
    /// unlocks is granted the same day.
    #[test]
    fn the_ledger_only_grows_and_its_anchor_never_moves(partner in partner(), start in 0u64..900, steps in 1usize..6, gap in 1u64..120) {
        let catalog = common::example_catalog();
        let mut partner = partner;
        let mut ledger: Vec<Grant> = Vec::new();
        let mut anchor: Option<NaiveDate> = None;
        for i in 0..steps {
            let as_of = day(start + gap * i as u64);
            let input = EvaluationInput { as_of, catalog: catalog.clone(), partner: partner.clone() };
            let update = grants_due(&input, &ledger);
            if let Some(a) = anchor {
                prop_assert_eq!(update.first_benefit_date, Some(a));
            }
            anchor = update.first_benefit_date;
            partner.first_benefit_date = anchor;
            ledger.extend(update.new_grants);
            let mut keys: Vec<(String, NaiveDate)> = ledger.iter().map(|g| (g.benefit_id.clone(), g.year_start)).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            prop_assert_eq!(keys.len(), n, "a grant recorded twice");
            let ev = evaluate(&EvaluationInput { as_of, catalog: catalog.clone(), partner: partner.clone() });
            if let Some(y) = ev.benefit_year {
                for id in &ev.unlocked_benefits {
                    prop_assert!(ledger.iter().any(|g| &g.benefit_id == id && g.year_start == y.start), "{} unlocked but not granted", id);
                }
                for g in ledger.iter().filter(|g| g.year_start == y.start) {
                    prop_assert!(y.contains(g.granted_on) && g.granted_on <= as_of);
                }
            }
        }
    }
}

#[test]
fn the_contract_accepts_a_null_live_on_and_still_requires_the_field() {
    let mut input: serde_json::Value = serde_json::from_str(include_str!("data/example-input.json")).unwrap();
    input["partner"]["offers"][0]["live_on"] = serde_json::Value::Null;
    input["partner"]["offers"][1]["live_on"] = serde_json::Value::Null;
    let out = benefits_domain::evaluate_json(&input.to_string()).unwrap();
    assert_eq!(out.benefit_year, None, "no offer is live: no benefit year");
    assert!(out.unlocked_benefits.is_empty());
    assert_eq!(out.transact_tier_today, None);
    input["partner"]["offers"][0].as_object_mut().unwrap().remove("live_on");
    let err = benefits_domain::evaluate_json(&input.to_string()).unwrap_err();
    assert_eq!(err.field, "partner.offers[0].live_on");
    // A delisting date with no go-live is accepted: the offer never counted.
    input["partner"]["offers"][0]["live_on"] = serde_json::Value::Null;
    input["partner"]["offers"][0]["delisted_on"] = "2024-01-01".into();
    assert!(benefits_domain::evaluate_json(&input.to_string()).is_ok());
}
