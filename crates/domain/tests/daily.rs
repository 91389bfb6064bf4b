//! The daily form evaluates exactly as the lines it sums.

mod common;

use benefits_domain::daily::MAX_DAYS;
use benefits_domain::model::{MonthlyMau, MonthlyValue, Offer, OfferType, PartnerData, SaleLine, SaleStatus};
use benefits_domain::explain::{explain, explain_daily, Explanation};
use benefits_domain::{evaluate, evaluate_daily, Cents, DailyInput, DailySales, EvaluationInput, Month};
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
        5 => Just(SaleStatus::Billed),
        1 => Just(SaleStatus::Fraud),
        1 => Just(SaleStatus::CancelledAccidental),
        1 => Just(SaleStatus::CancelledBeforeUse)
    ]
}

fn month() -> impl Strategy<Value = Month> {
    (0i32..40).prop_map(|i| Month::from_ordinal(2023 * 12 + i))
}

prop_compose! {
    /// Many lines on few days and offers, so that totals really add lines up;
    /// dates span well beyond the two years the evaluation reads.
    fn partner()(
        offers in prop::collection::vec((offer_type(), 0u64..1000, prop::option::of(1u64..600)), 1..5),
        days in prop::collection::vec(0u64..1150, 1..25),
        sales in prop::collection::vec((0usize..25, 0usize..4, -500_000i64..12_000_000, status()), 0..200),
        bizapps in prop::collection::vec((month(), 0i64..5_000_000), 0..6),
        mau in prop::collection::vec((month(), 0u64..15_000), 0..6),
        first in prop::option::of(0u64..1000),
    ) -> PartnerData {
        let offer_ids: Vec<String> = (0..offers.len()).map(|i| format!("o{i}")).collect();
        PartnerData {
            offers: offers.into_iter().enumerate().map(|(i, (t, live, delist))| Offer {
                id: offer_ids[i].clone(), offer_type: t, live_on: Some(day(live)), delisted_on: delist.map(|x| day(live + x)),
            }).collect(),
            sales: sales.into_iter().map(|(d, o, cents, st)| SaleLine {
                date: day(days[d % days.len()]),
                amount_usd: Cents(cents),
                status: st,
                offer_id: offer_ids[o % offer_ids.len()].clone(),
            }).collect(),
            bizapps_value: bizapps.into_iter().map(|(m, c)| MonthlyValue { month: m, amount_usd: Cents(c) }).collect(),
            teams_mau: mau.into_iter().map(|(m, v)| MonthlyMau { month: m, mau: v }).collect(),
            first_benefit_date: first.map(day),
            granted_benefits: None,
        }
    }
}

fn input(partner: PartnerData, as_of: NaiveDate) -> EvaluationInput {
    let input = EvaluationInput { as_of, catalog: common::example_catalog(), partner };
    input.validate().unwrap();
    input
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn daily_totals_evaluate_exactly_as_their_lines(p in partner(), as_of in (300u64..1150).prop_map(day)) {
        let lines = input(p, as_of);
        let daily = DailyInput::from_lines(&lines);
        prop_assert_eq!(daily.validate(), Ok(()));
        prop_assert!(daily.daily_sales.len() <= lines.partner.sales.len());
        prop_assert_eq!(evaluate_daily(&daily), evaluate(&lines));
        // Why, from the totals: all but the lines themselves (the server pages those).
        prop_assert_eq!(explain_daily(&daily), Explanation { sales: Vec::new(), ..explain(&lines) });
        // The form survives JSON, as the browser receives it.
        let back: DailyInput = serde_json::from_str(&serde_json::to_string(&daily).unwrap()).unwrap();
        prop_assert_eq!(evaluate_daily(&back), evaluate(&lines));
    }
}

#[test]
fn a_year_of_many_lines_a_day_becomes_at_most_two_years_of_days() {
    let mut p = PartnerData {
        offers: vec![Offer { id: "saas".into(), offer_type: OfferType::Transact, live_on: Some(day(0)), delisted_on: None }],
        ..PartnerData::default()
    };
    for i in 0..100_000u64 {
        let status = if i % 50 == 0 { SaleStatus::Fraud } else { SaleStatus::Billed };
        p.sales.push(SaleLine { date: day(i % 1100), amount_usd: Cents(4_999), status, offer_id: "saas".into() });
    }
    let lines = input(p, day(1099));
    let daily = DailyInput::from_lines(&lines);
    let days: std::collections::HashSet<_> = daily.daily_sales.iter().map(|d| d.date).collect();
    assert!(days.len() <= MAX_DAYS, "{} days", days.len());
    assert!(daily.daily_sales.len() <= 2 * MAX_DAYS);
    assert_eq!(daily.daily_sales.iter().map(|d| d.lines).sum::<u64>() as usize, lines.partner.sales.iter().filter(|s| s.date >= daily.daily_sales[0].date).count());
    assert_eq!(evaluate_daily(&daily), evaluate(&lines));
}

#[test]
fn bad_daily_input_names_the_field() {
    let base = DailyInput::from_lines(&input(PartnerData::default(), day(400)));
    let total = |date: NaiveDate, lines: u64| DailySales { date, offer_id: "o0".into(), status: SaleStatus::Billed, amount_usd: Cents(100), lines };

    let mut zero = base.clone();
    zero.daily_sales = vec![total(day(300), 1), total(day(301), 0)];
    assert_eq!(zero.validate().unwrap_err().field, "daily_sales[1].lines");

    let mut too_many = base.clone();
    too_many.daily_sales = (0..=MAX_DAYS as u64).map(|d| total(day(d), 1)).collect();
    let err = too_many.validate().unwrap_err();
    assert_eq!(err.field, format!("daily_sales[{MAX_DAYS}].date"));
    assert_eq!((err.code, err.params["max"].as_str()), (benefits_domain::error::InputCode::TooManyDays, "731"));
    assert!(err.message().contains("two years"), "{err}");

    let mut both = base.clone();
    both.partner.sales.push(SaleLine { date: day(1), amount_usd: Cents(1), status: SaleStatus::Billed, offer_id: "o0".into() });
    assert_eq!(both.validate().unwrap_err().field, "partner.sales");
}
