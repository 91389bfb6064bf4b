//! The impact of a proposed catalog version, on hand-computed cases.

mod common;

use benefits_domain::model::OfferType;
use benefits_domain::{tier_impact, Cents};
use common::{d, Case};

#[test]
fn raising_the_tier_2_threshold_above_a_partners_mbs_moves_it_down_and_takes_tier_2s_benefits() {
    // MBS $30,000 in the last twelve months: tier 2 at the example's $25,000.
    let case = Case::new().transact("2025-01-01").sale("2025-02-01", 30_000);
    let mut proposed = case.catalog.clone();
    proposed.version = "raised".into();
    let t2 = proposed.metrics.mbs.tiers.iter_mut().find(|t| t.tier == 2).unwrap();
    t2.min = Cents(40_000_00);
    let impact = tier_impact(&case.partner, d("2025-07-15"), &case.catalog, &proposed);
    assert_eq!((impact.today_before, impact.today_after), (Some(2), Some(1)));
    assert_eq!((impact.effective_before, impact.effective_after), (Some(2), Some(1)));
    assert!(impact.changes_tier());
    assert_eq!(impact.unlocked_lost, ["azure-sponsorship-5k"]);
    assert!(impact.unlocked_gained.is_empty());

    // Lowering it instead changes nothing for this partner: still tier 2.
    let mut lowered = case.catalog.clone();
    lowered.metrics.mbs.tiers.iter_mut().find(|t| t.tier == 2).unwrap().min = Cents(20_000_00);
    let same = tier_impact(&case.partner, d("2025-07-15"), &case.catalog, &lowered);
    assert!(!same.changes_anything());
}

#[test]
fn a_benefit_added_to_an_offer_type_is_gained_without_a_tier_change() {
    let case = Case::new().offer("l", OfferType::List, "2025-03-10", None);
    let mut proposed = case.catalog.clone();
    let extra = proposed.benefits.iter().find(|b| !proposed.offer_benefits.for_type(OfferType::List).contains(&b.id)).unwrap().id.clone();
    proposed.offer_benefits.list.push(extra.clone());
    let impact = tier_impact(&case.partner, d("2025-07-15"), &case.catalog, &proposed);
    assert!(!impact.changes_tier());
    assert_eq!(impact.unlocked_gained, [extra]);
    assert!(impact.changes_anything());
}
