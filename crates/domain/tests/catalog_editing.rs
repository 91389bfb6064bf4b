//! The catalog editor's rules: every problem of a draft named by its field
//! path, and the field-level difference of a proposal against the version in
//! force.

use benefits_domain::catalog::{check_effective_from, Aggregate, BenefitDef, BenefitKind};
use benefits_domain::catalog_diff::{catalog_diff, BenefitEdit, CatalogChange, Threshold};
use benefits_domain::evaluate::MetricName;
use benefits_domain::model::OfferType;
use benefits_domain::{Catalog, Cents};
use chrono::NaiveDate;

fn fields(c: &Catalog) -> Vec<String> {
    c.problems().into_iter().map(|e| e.field).collect()
}

#[test]
fn the_default_catalog_has_no_problems_and_no_difference_with_itself() {
    let c = Catalog::default_catalog();
    assert!(c.problems().is_empty());
    assert!(catalog_diff(&c, &c).is_empty());
}

#[test]
fn every_problem_is_named_by_its_field_not_only_the_first() {
    let mut c = Catalog::default_catalog();
    c.version = " ".into();
    c.metrics.mbs.tiers[2].min = Cents::dollars(20_000); // below tier 2's $25,000
    c.metrics.bizapps.aggregate = Aggregate::Max;
    c.metrics.teams_mau.tiers[0].tier = 0;
    c.benefits[1].name = String::new();
    c.benefits[2].id = c.benefits[0].id.clone();
    c.offer_benefits.trial.push("no-such-benefit".into());
    c.tier_benefits.get_mut(&3).unwrap().insert(0, "ghost".into());
    assert_eq!(
        fields(&c),
        [
            "catalog.version",
            "catalog.metrics.mbs.tiers[2]",
            "catalog.metrics.bizapps.aggregate",
            "catalog.metrics.teams_mau.tiers[0].tier",
            "catalog.benefits[1].name",
            "catalog.benefits[2].id",
            "catalog.offer_benefits.trial[2]",
            // trial-promotion is no longer defined (its id was overwritten)
            "catalog.offer_benefits.trial[3]",
            "catalog.tier_benefits.3[0]",
        ]
    );
    // validate() reports the first of them: the server refuses with it.
    assert_eq!(c.validate().unwrap_err().field, "catalog.version");
    let dup = c.problems().into_iter().find(|e| e.field == "catalog.benefits[2].id").unwrap();
    assert_eq!(dup.code, benefits_domain::error::InputCode::DuplicateBenefit);
    assert_eq!(dup.params.get("id").map(String::as_str), Some("listing-optimization"));
}

#[test]
fn a_tier_out_of_order_names_the_later_row_and_a_fixed_draft_has_no_problem() {
    let mut c = Catalog::default_catalog();
    c.metrics.mbs.tiers[1].min = Cents::dollars(100_000); // equal to tier 3's
    assert_eq!(fields(&c), ["catalog.metrics.mbs.tiers[2]"]);
    c.metrics.mbs.tiers[1].min = Cents::dollars(99_999);
    assert!(fields(&c).is_empty());
}

#[test]
fn a_version_applies_from_today_or_later() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    assert!(check_effective_from(d("2025-07-15"), d("2025-07-15")).is_ok());
    assert!(check_effective_from(d("2026-01-01"), d("2025-07-15")).is_ok());
    assert_eq!(check_effective_from(d("2025-07-14"), d("2025-07-15")).unwrap_err().field, "effective_from");
}

#[test]
fn a_raised_threshold_and_a_renamed_version_read_as_two_changes() {
    let current = Catalog::default_catalog();
    let mut p = current.clone();
    p.version = "2026.1".into();
    p.metrics.mbs.tiers[1].min = Cents::dollars(40_000);
    p.metrics.teams_mau.tiers[0].min = 1_500;
    assert_eq!(
        catalog_diff(&current, &p),
        [
            CatalogChange::Version { before: current.version.clone(), after: "2026.1".into() },
            CatalogChange::Threshold { metric: MetricName::Mbs, tier: 2, before: Some(Threshold::Usd(Cents::dollars(25_000))), after: Some(Threshold::Usd(Cents::dollars(40_000))) },
            CatalogChange::Threshold { metric: MetricName::TeamsMau, tier: 2, before: Some(Threshold::Users(1_000)), after: Some(Threshold::Users(1_500)) },
        ]
    );
}

#[test]
fn tiers_are_matched_by_number_so_a_removed_top_tier_is_one_change() {
    let current = Catalog::default_catalog();
    let mut p = current.clone();
    let top = p.metrics.bizapps.tiers.pop().unwrap();
    p.metrics.mbs.tiers.insert(1, benefits_domain::catalog::Tier { tier: 2, min: Cents::dollars(10_000), illustrative: true });
    p.metrics.mbs.tiers.remove(2); // the old tier 2
    assert_eq!(
        catalog_diff(&current, &p),
        [
            CatalogChange::Threshold { metric: MetricName::Mbs, tier: 2, before: Some(Threshold::Usd(Cents::dollars(25_000))), after: Some(Threshold::Usd(Cents::dollars(10_000))) },
            CatalogChange::Threshold { metric: MetricName::Bizapps, tier: top.tier, before: Some(Threshold::Usd(top.min)), after: None },
        ]
    );
}

#[test]
fn benefit_sets_and_definitions_by_membership_not_position() {
    let current = Catalog::default_catalog();
    let mut p = current.clone();
    p.offer_benefits.list.reverse(); // order alone is no change
    p.offer_benefits.consulting.retain(|b| b != "consulting-promotion");
    p.tier_benefits.get_mut(&2).unwrap().push("co-sell".into());
    p.tier_benefits.insert(6, vec!["webinar".into()]);
    p.benefits.push(BenefitDef { id: "webinar".into(), name: "Partner webinar".into(), kind: BenefitKind::Marketing, expires_after_days: Some(90), description: None });
    let cs = p.benefits.iter_mut().find(|b| b.id == "customer-case-study").unwrap();
    cs.name = "Customer story".into();
    cs.expires_after_days = Some(365);
    p.benefits.retain(|b| b.id != "press-release");
    p.tier_benefits.get_mut(&4).unwrap().retain(|b| b != "press-release");
    let cs_before = current.benefit("customer-case-study").unwrap();
    assert_eq!(
        catalog_diff(&current, &p),
        [
            CatalogChange::OfferBenefitRemoved { offer_type: OfferType::Consulting, benefit: "consulting-promotion".into() },
            CatalogChange::TierBenefitAdded { tier: 2, benefit: "co-sell".into() },
            CatalogChange::TierBenefitRemoved { tier: 4, benefit: "press-release".into() },
            CatalogChange::TierBenefitAdded { tier: 6, benefit: "webinar".into() },
            CatalogChange::Benefit { id: "customer-case-study".into(), edit: BenefitEdit::Name { before: cs_before.name.clone(), after: "Customer story".into() } },
            CatalogChange::Benefit { id: "customer-case-study".into(), edit: BenefitEdit::ExpiresAfterDays { before: cs_before.expires_after_days, after: Some(365) } },
            CatalogChange::BenefitDefined { id: "webinar".into(), name: "Partner webinar".into() },
            CatalogChange::BenefitDropped { id: "press-release".into(), name: current.benefit("press-release").unwrap().name.clone() },
        ]
    );
}
