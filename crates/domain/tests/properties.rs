//! Properties of the evaluation over generated partners.

mod common;

use benefits_domain::calendar::months_before;
use benefits_domain::model::{MonthlyMau, MonthlyValue, Offer, OfferType, PartnerData, SaleLine, SaleStatus};
use benefits_domain::{evaluate, Cents, Evaluation, EvaluationInput, Month};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + Days::new(offset)
}

fn offer_type() -> impl Strategy<Value = OfferType> {
    prop_oneof![Just(OfferType::List), Just(OfferType::Trial), Just(OfferType::Consulting), Just(OfferType::Transact), Just(OfferType::Transact)]
}

fn status() -> impl Strategy<Value = SaleStatus> {
    prop_oneof![
        6 => Just(SaleStatus::Billed),
        1 => Just(SaleStatus::Fraud),
        1 => Just(SaleStatus::CancelledAccidental),
        1 => Just(SaleStatus::CancelledBeforeUse)
    ]
}

fn month() -> impl Strategy<Value = Month> {
    (0i32..40).prop_map(|i| Month::from_ordinal(2023 * 12 + i))
}

prop_compose! {
    fn partner()(
        offers in prop::collection::vec((offer_type(), 0u64..1000, prop::option::of(1u64..600)), 0..5),
        sales in prop::collection::vec((0u64..1100, -500_000i64..12_000_000, status()), 0..60),
        bizapps in prop::collection::vec((month(), 0i64..5_000_000), 0..8),
        mau in prop::collection::vec((month(), 0u64..15_000), 0..8),
        first in prop::option::of(0u64..1000),
    ) -> PartnerData {
        PartnerData {
            offers: offers.into_iter().enumerate().map(|(i, (t, live, delist))| Offer {
                id: format!("o{i}"), offer_type: t, live_on: Some(day(live)), delisted_on: delist.map(|x| day(live + x)),
            }).collect(),
            sales: sales.into_iter().map(|(dd, cents, st)| SaleLine { date: day(dd), amount_usd: Cents(cents), status: st, offer_id: "o0".into() }).collect(),
            bizapps_value: bizapps.into_iter().map(|(m, c)| MonthlyValue { month: m, amount_usd: Cents(c) }).collect(),
            teams_mau: mau.into_iter().map(|(m, v)| MonthlyMau { month: m, mau: v }).collect(),
            first_benefit_date: first.map(day),
            granted_benefits: None,
        }
    }
}

fn eval(partner: &PartnerData, as_of: NaiveDate) -> Evaluation {
    let input = EvaluationInput { as_of, catalog: common::example_catalog(), partner: partner.clone() };
    input.validate().unwrap();
    evaluate(&input)
}

/// The rules written the slow, obvious way: every day × every line.
fn naive_effective_tier(p: &PartnerData, as_of: NaiveDate, year_start: NaiveDate) -> Option<u32> {
    let catalog = common::example_catalog();
    let mut best = None;
    let mut day = year_start;
    while day <= as_of {
        if p.transact_live_on(day) {
            let from = months_before(day, 12);
            let mbs: i64 = p.sales.iter().filter(|s| s.status == SaleStatus::Billed && s.date > from && s.date <= day).map(|s| s.amount_usd.0).sum();
            let months: Vec<Month> = Month::twelve_ending(day).collect();
            let biz: i64 = p.bizapps_value.iter().filter(|v| months.contains(&v.month)).map(|v| v.amount_usd.0).sum();
            let mau = months.iter().map(|m| p.teams_mau.iter().filter(|v| v.month == *m).map(|v| v.mau).sum::<u64>()).max().unwrap_or(0);
            let m = &catalog.metrics;
            let tier = [m.mbs.tier_for(Cents(mbs)), m.bizapps.tier_for(Cents(biz)), m.teams_mau.tier_for(mau)].into_iter().flatten().max();
            best = best.max(tier);
        }
        day = day.succ_opt().unwrap();
    }
    best
}

fn as_of() -> impl Strategy<Value = NaiveDate> {
    (300u64..1150).prop_map(day)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn matches_the_naive_reference(p in partner(), as_of in as_of()) {
        let e = eval(&p, as_of);
        let naive_mbs: i64 = p.sales.iter()
            .filter(|s| s.status == SaleStatus::Billed && e.window.contains(s.date))
            .map(|s| s.amount_usd.0).sum();
        prop_assert_eq!(e.metrics.mbs.value, Cents(naive_mbs));
        let naive = e.benefit_year.and_then(|y| naive_effective_tier(&p, as_of, y.start));
        prop_assert_eq!(e.effective_tier, naive);
    }

    #[test]
    fn excluded_lines_never_change_the_result(p in partner(), as_of in as_of(), extra in prop::collection::vec((0u64..1100, 1i64..50_000_000, 1usize..4), 1..10)) {
        let before = eval(&p, as_of);
        let mut q = p.clone();
        for (dd, cents, st) in extra {
            q.sales.push(SaleLine { date: day(dd), amount_usd: Cents(cents), status: SaleStatus::ALL[st], offer_id: "o0".into() });
        }
        let after = eval(&q, as_of);
        prop_assert_eq!(&after.metrics, &before.metrics);
        prop_assert_eq!(after.effective_tier, before.effective_tier);
        prop_assert_eq!(&after.unlocked_benefits, &before.unlocked_benefits);
    }

    #[test]
    fn a_positive_billed_line_never_lowers_mbs_or_tier(p in partner(), as_of in as_of(), dd in 0u64..1100, cents in 1i64..50_000_000) {
        let before = eval(&p, as_of);
        let mut q = p.clone();
        q.sales.push(SaleLine { date: day(dd), amount_usd: Cents(cents), status: SaleStatus::Billed, offer_id: "o0".into() });
        let after = eval(&q, as_of);
        prop_assert!(after.metrics.mbs.value >= before.metrics.mbs.value);
        prop_assert!(after.metrics.mbs.tier >= before.metrics.mbs.tier);
        prop_assert!(after.transact_tier_today >= before.transact_tier_today);
        prop_assert!(after.effective_tier >= before.effective_tier);
    }

    #[test]
    fn the_result_does_not_depend_on_input_order(p in partner(), as_of in as_of(), seed in any::<u64>()) {
        let before = eval(&p, as_of);
        let mut q = p.clone();
        let rot = |n: usize| if n == 0 { 0 } else { (seed as usize) % n };
        q.sales.reverse();
        let n = q.sales.len(); q.sales.rotate_left(rot(n));
        q.offers.reverse();
        let n = q.offers.len(); q.offers.rotate_left(rot(n));
        q.bizapps_value.reverse();
        q.teams_mau.reverse();
        prop_assert_eq!(eval(&q, as_of), before);
    }

    #[test]
    fn effective_tier_is_at_least_todays(p in partner(), as_of in as_of()) {
        let e = eval(&p, as_of);
        if e.benefit_year.is_some() {
            prop_assert!(e.effective_tier >= e.transact_tier_today);
        } else {
            prop_assert_eq!(e.effective_tier, None);
            prop_assert!(e.unlocked_benefits.is_empty());
        }
    }

    #[test]
    fn the_output_json_round_trips(p in partner(), as_of in as_of()) {
        let e = eval(&p, as_of);
        let text = serde_json::to_string(&e).unwrap();
        let back: Evaluation = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, e);
    }

    #[test]
    fn the_input_json_round_trips(p in partner(), as_of in as_of()) {
        let input = EvaluationInput { as_of, catalog: common::example_catalog(), partner: p };
        let text = serde_json::to_string(&input).unwrap();
        prop_assert_eq!(benefits_domain::parse::parse_input(&text).unwrap(), input);
    }
}
