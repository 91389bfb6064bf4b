//! Table tests for every rule of EVALUATE.md and its edges.

mod common;

use benefits_domain::catalog::Aggregate;
use benefits_domain::evaluate::{MetricName, NextTier, TicketReason};
use benefits_domain::explain::{explain, SaleVerdict};
use benefits_domain::model::{OfferType, SaleStatus};
use benefits_domain::{BenefitYear, Cents, Window};
use common::{d, Case};

// Rule 1: the TTM window.

#[test]
fn a_sale_exactly_twelve_months_old_does_not_count_and_one_dated_today_does() {
    let c = Case::new().transact("2023-01-01").sale("2024-07-15", 1000).sale("2025-07-15", 7).sale("2025-07-16", 500);
    let e = c.eval("2025-07-15");
    assert_eq!(e.window, Window { from_exclusive: d("2024-07-15"), to: d("2025-07-15") });
    assert_eq!(e.metrics.mbs.value, Cents::dollars(7));
    let e = c.eval("2025-07-14");
    assert_eq!(e.metrics.mbs.value, Cents::dollars(1000), "inside the window a day earlier; the future sale never counts");
}

#[test]
fn feb_29_windows() {
    let c = Case::new().transact("2022-01-01").sale("2023-02-28", 100).sale("2023-03-01", 10);
    let e = c.eval("2024-02-29");
    assert_eq!(e.window.from_exclusive, d("2023-02-28"));
    assert_eq!(e.metrics.mbs.value, Cents::dollars(10));

    let c = Case::new().transact("2022-01-01").sale("2024-02-28", 100).sale("2024-02-29", 10);
    let e = c.eval("2025-02-28");
    assert_eq!(e.window.from_exclusive, d("2024-02-28"));
    assert_eq!(e.metrics.mbs.value, Cents::dollars(10), "Feb 29 is inside the window ending Feb 28 of the next year");
}

// Rule 2: the metrics.

#[test]
fn negative_amounts_are_credits_and_can_lower_the_tier() {
    let c = Case::new().transact("2024-01-01").sale("2025-01-10", 26_000).sale_with("2025-03-01", Cents(-150_050), SaleStatus::Billed);
    let e = c.eval("2025-03-01");
    assert_eq!(e.metrics.mbs.value, Cents(2_449_950));
    assert_eq!(e.metrics.mbs.tier, Some(1));
    assert_eq!(c.eval("2025-02-28").metrics.mbs.tier, Some(2));
}

#[test]
fn every_excluded_status_is_left_out_and_counted_only_inside_the_window() {
    let mut c = Case::new().transact("2024-01-01").sale("2025-05-01", 10);
    for (i, status) in [SaleStatus::Fraud, SaleStatus::CancelledAccidental, SaleStatus::CancelledBeforeUse].into_iter().enumerate() {
        for _ in 0..=i {
            c = c.sale_with("2025-06-01", Cents::dollars(50_000), status);
        }
        c = c.sale_with("2024-01-02", Cents::dollars(50_000), status).sale_with("2025-08-01", Cents::dollars(1), status);
    }
    let e = c.eval("2025-07-15");
    assert_eq!(e.metrics.mbs.value, Cents::dollars(10));
    assert_eq!((e.excluded_sales.fraud, e.excluded_sales.cancelled_accidental, e.excluded_sales.cancelled_before_use), (1, 2, 3));
}

#[test]
fn bizapps_sums_the_twelve_calendar_months_ending_with_the_evaluation_month() {
    let c = Case::new().transact("2024-01-01").bizapps("2024-07", 100_000).bizapps("2024-08", 1_000).bizapps("2025-07", 2_000).bizapps("2025-08", 50_000);
    let e = c.eval("2025-07-01");
    assert_eq!(e.metrics.bizapps.value, Cents::dollars(3_000), "2024-07 is the 13th month back; 2025-08 is in the future");
    assert_eq!(e.metrics.bizapps.tier, None);
    assert_eq!(e.metrics.bizapps.next, Some(NextTier { tier: 2, missing: Cents::dollars(22_000) }));
}

#[test]
fn teams_mau_uses_the_catalog_aggregate_and_adds_apps_in_one_month() {
    let c = Case::new().transact("2024-01-01").mau("2025-01", 600).mau("2025-01", 500).mau("2025-03", 900).mau("2024-05", 50_000);
    let e = c.eval("2025-05-20");
    assert_eq!(e.metrics.teams_mau.value, 1_100, "max month: two apps in 2025-01 add up; 2024-05 is the 13th month back");
    assert_eq!(e.metrics.teams_mau.tier, Some(2));
    let mut sum = c.clone();
    sum.catalog.metrics.teams_mau.aggregate = Aggregate::Sum;
    assert_eq!(sum.eval("2025-05-20").metrics.teams_mau.value, 2_000);
}

// Rule 3: tiers per metric, only while a transact offer is live.

#[test]
fn the_transact_tier_is_the_highest_over_the_three_metrics() {
    let c = Case::new().transact("2024-01-01").sale("2025-01-01", 30_000).mau("2025-02", 12_000).bizapps("2025-03", 1);
    let e = c.eval("2025-06-01");
    assert_eq!((e.metrics.mbs.tier, e.metrics.bizapps.tier, e.metrics.teams_mau.tier), (Some(2), None, Some(3)));
    assert_eq!(e.transact_tier_today, Some(3));
    assert_eq!(e.effective_tier, Some(3));
}

#[test]
fn a_transact_offer_delisted_on_the_evaluation_day_is_not_live() {
    let c = Case::new().offer("saas", OfferType::Transact, "2024-01-01", Some("2025-07-15")).sale("2025-07-01", 30_000);
    let e = c.eval("2025-07-15");
    assert_eq!(e.transact_tier_today, None);
    for (tier, next) in [(e.metrics.mbs.tier, e.metrics.mbs.next.is_some()), (e.metrics.bizapps.tier, e.metrics.bizapps.next.is_some())] {
        assert_eq!((tier, next), (None, false));
    }
    assert_eq!((e.metrics.teams_mau.tier, e.metrics.teams_mau.next), (None, None));
    assert_eq!(e.metrics.mbs.value, Cents::dollars(30_000), "the value is still reported");
    assert_eq!(e.effective_tier, Some(2), "it was live, at tier 2, earlier in the benefit year");
    let e = c.eval("2025-07-14");
    assert_eq!(e.transact_tier_today, Some(2));
}

#[test]
fn tiers_reached_while_no_transact_offer_was_live_do_not_count() {
    // A trial offer starts the benefit year; sales arrive before the transact offer goes live.
    let c = Case::new().offer("t", OfferType::Trial, "2025-01-01", None).offer("saas", OfferType::Transact, "2025-06-01", None)
        .sale("2025-03-01", 200_000).sale_with("2025-05-31", Cents::dollars(-190_000), SaleStatus::Billed);
    let e = c.eval("2025-06-10");
    assert_eq!(e.transact_tier_today, Some(1));
    assert_eq!(e.effective_tier, Some(1), "tier 3 in March did not count: no transact offer was live");
}

// Rules 4 and 5: the benefit year and the effective tier.

fn march_peak() -> Case {
    // First go-live 2024-01-10: benefit years start every Jan 10.
    Case::new().transact("2024-01-10").sale("2024-05-02", 20_000).sale("2025-03-05", 6_000)
}

#[test]
fn a_tier_reached_in_march_and_lost_in_may_is_still_effective_in_june() {
    let c = march_peak();
    assert_eq!(c.eval("2025-03-04").effective_tier, Some(1));
    let e = c.eval("2025-03-05");
    assert_eq!((e.transact_tier_today, e.effective_tier), (Some(2), Some(2)));
    let e = c.eval("2025-05-02");
    assert_eq!(e.metrics.mbs.value, Cents::dollars(6_000), "the May 2024 sale left the window");
    assert_eq!((e.transact_tier_today, e.effective_tier), (Some(1), Some(2)));
    let e = c.eval("2025-06-15");
    assert_eq!(e.benefit_year, Some(BenefitYear { start: d("2025-01-10"), end: d("2026-01-09") }));
    assert_eq!((e.transact_tier_today, e.effective_tier), (Some(1), Some(2)));
    assert!(e.unlocked_benefits.contains(&"azure-sponsorship-5k".to_string()));
    let x = explain(&c.input("2025-06-15"));
    let reached = x.effective_tier_reached.unwrap();
    assert_eq!((reached.tier, reached.on, reached.metric), (2, d("2025-03-05"), MetricName::Mbs));
}

#[test]
fn the_anniversary_evaluates_afresh() {
    let c = march_peak();
    assert_eq!(c.eval("2026-01-09").effective_tier, Some(2), "last day of the benefit year");
    let e = c.eval("2026-01-10");
    assert_eq!(e.benefit_year.unwrap().start, d("2026-01-10"));
    assert_eq!(e.effective_tier, Some(1));
    assert!(!e.unlocked_benefits.contains(&"azure-sponsorship-5k".to_string()));
}

#[test]
fn first_benefit_date_anchors_the_year_when_given() {
    let c = march_peak().first_benefit("2024-04-01");
    let e = c.eval("2025-03-05");
    assert_eq!(e.benefit_year, Some(BenefitYear { start: d("2024-04-01"), end: d("2025-03-31") }));
    let e = c.eval("2025-04-01");
    assert_eq!(e.benefit_year.unwrap().start, d("2025-04-01"));
    assert_eq!(e.effective_tier, Some(2), "the March peak was in the previous year; but MBS is still 26,000 today");
}

#[test]
fn no_benefit_year_without_a_live_offer_or_before_the_first_benefit_date() {
    let e = Case::new().transact("2025-08-01").sale("2025-07-01", 50_000).eval("2025-07-15");
    assert_eq!((e.benefit_year, e.effective_tier, e.transact_tier_today), (None, None, None));
    assert!(e.unlocked_benefits.is_empty());

    let e = Case::new().transact("2024-01-01").first_benefit("2025-09-01").eval("2025-07-15");
    assert_eq!((e.benefit_year, e.effective_tier), (None, None));
    assert_eq!(e.transact_tier_today, Some(1), "today's tier does not need a benefit year");
    assert!(e.unlocked_benefits.is_empty());
}

// Rules 6 and 7: unlocked benefits.

#[test]
fn offer_types_going_live_mid_year_unlock_their_benefits_from_that_day() {
    let c = Case::new()
        .offer("l", OfferType::List, "2024-01-10", Some("2025-02-01"))
        .offer("c", OfferType::Consulting, "2024-03-01", Some("2025-01-10"))
        .offer("t", OfferType::Trial, "2025-06-01", None);
    let e = c.eval("2025-05-31");
    assert_eq!(e.unlocked_benefits, vec!["listing-optimization"], "list was live in this benefit year; consulting was delisted on its first day");
    let e = c.eval("2025-06-01");
    assert_eq!(e.unlocked_benefits, vec!["listing-optimization", "trial-promotion"]);
    let e = c.eval("2026-01-10");
    assert_eq!(e.unlocked_benefits, vec!["listing-optimization", "trial-promotion"], "the trial is still live next year; list is not");
    assert_eq!(c.eval("2025-01-09").unlocked_benefits, vec!["listing-optimization"]);
}

#[test]
fn tier_benefits_are_cumulative_and_in_catalog_order() {
    let c = Case::new().transact("2024-01-01").offer("l", OfferType::List, "2024-01-01", None).sale("2025-01-01", 100_000);
    let e = c.eval("2025-02-01");
    assert_eq!(e.effective_tier, Some(3));
    assert_eq!(e.unlocked_benefits, vec!["listing-optimization", "engagement-manager", "azure-sponsorship-5k", "case-study"]);
}

// Rule 8: support-ticket advice.

#[test]
fn ticket_advised_when_the_first_offer_in_the_window_has_been_live_over_three_weeks() {
    let c = Case::new().offer("l", OfferType::List, "2025-06-01", None);
    assert!(!c.eval("2025-06-22").support_ticket.advised, "21 days is not more than 21");
    let e = c.eval("2025-06-23");
    assert!(e.support_ticket.advised);
    assert_eq!(e.support_ticket.reason, Some(TicketReason::OfferLiveOver3Weeks));
    assert!(!c.clone().granted(&["listing-optimization"]).eval("2025-06-23").support_ticket.advised);
    assert!(c.clone().granted(&[]).eval("2025-06-23").support_ticket.advised, "an empty granted list is no grant");
}

#[test]
fn ticket_counts_live_days_only_until_delisting() {
    let c = Case::new().offer("l", OfferType::List, "2025-06-01", Some("2025-06-20")).offer("t", OfferType::Trial, "2025-06-05", None);
    let e = c.eval("2025-09-01");
    assert!(!e.support_ticket.advised, "the first offer in the window was live only 19 days");
    // An offer older than the window does not count as the first in it.
    let c = Case::new().offer("old", OfferType::List, "2023-01-01", None).offer("new", OfferType::List, "2025-08-01", None);
    assert!(c.eval("2025-08-20").support_ticket.reason.is_none());
    assert_eq!(c.eval("2025-08-23").support_ticket.reason, Some(TicketReason::OfferLiveOver3Weeks));
}

#[test]
fn ticket_advised_when_mbs_meets_the_lowest_positive_tier() {
    let c = Case::new().transact("2023-01-01").sale("2025-01-01", 25_000);
    let e = c.eval("2025-06-01");
    assert_eq!(e.support_ticket.reason, Some(TicketReason::MbsMeetsTier));
    let e = Case::new().transact("2023-01-01").sale_with("2025-01-01", Cents(2_499_999), SaleStatus::Billed).eval("2025-06-01");
    assert!(!e.support_ticket.advised, "tier 1 at $0 is not a tier to advise on");
    let both = Case::new().transact("2025-01-01").sale("2025-01-02", 30_000).eval("2025-06-01");
    assert_eq!(both.support_ticket.reason, Some(TicketReason::OfferLiveOver3Weeks), "the first reason that holds");
    assert!(!Case::new().transact("2023-01-01").sale("2025-01-01", 25_000).granted(&["x"]).eval("2025-06-01").support_ticket.advised);
}

// Rule 9: next tier.

#[test]
fn next_tier_amounts() {
    let c = Case::new().transact("2024-01-01").sale("2025-01-01", 25_000);
    let e = c.eval("2025-02-01");
    assert_eq!(e.metrics.mbs.tier, Some(2), "reaching min exactly reaches the tier");
    assert_eq!(e.metrics.mbs.next, Some(NextTier { tier: 3, missing: Cents::dollars(75_000) }));
    let top = Case::new().transact("2024-01-01").sale("2025-01-01", 500_000).mau("2025-01", 10_000).eval("2025-02-01");
    assert_eq!((top.metrics.mbs.tier, top.metrics.mbs.next), (Some(3), None));
    assert_eq!((top.metrics.teams_mau.tier, top.metrics.teams_mau.next), (Some(3), None));
    let below = Case::new().transact("2024-01-01").sale_with("2025-01-01", Cents(-1_001), SaleStatus::Billed).eval("2025-02-01");
    assert_eq!(below.metrics.mbs.tier, None);
    assert_eq!(below.metrics.mbs.next, Some(NextTier { tier: 1, missing: Cents(1_001) }));
    assert_eq!(below.transact_tier_today, None);
}

// The explanation.

#[test]
fn the_explanation_says_what_counted_and_why_not() {
    let c = Case::new().transact("2024-01-01")
        .sale("2024-07-15", 1)
        .sale("2025-01-01", 2)
        .sale_with("2025-02-01", Cents(300), SaleStatus::Fraud)
        .sale_with("2025-02-02", Cents(400), SaleStatus::CancelledAccidental)
        .sale_with("2025-02-03", Cents(500), SaleStatus::CancelledBeforeUse)
        .sale("2025-07-16", 6)
        .bizapps("2024-07", 5).bizapps("2025-07", 7)
        .mau("2025-01", 10);
    let x = explain(&c.input("2025-07-15"));
    let verdicts: Vec<SaleVerdict> = x.sales.iter().map(|s| s.verdict).collect();
    assert_eq!(verdicts, vec![
        SaleVerdict::BeforeWindow,
        SaleVerdict::Counted,
        SaleVerdict::Fraud,
        SaleVerdict::CancelledAccidental,
        SaleVerdict::CancelledBeforeUse,
        SaleVerdict::AfterAsOf,
    ]);
    assert_eq!(x.bizapps_entries.iter().map(|e| e.counted).collect::<Vec<_>>(), vec![false, true]);
    assert_eq!(x.months.first().unwrap().month.to_string(), "2024-07", "the window starts mid-July 2024");
    assert_eq!(x.months.len(), 13);
    assert_eq!(x.months.last().unwrap().bizapps, Cents::dollars(7));
    assert_eq!(x.months.first().unwrap().bizapps, Cents::ZERO, "outside the 12 bizapps months");
    let jan = x.months.iter().find(|m| m.month.to_string() == "2025-01").unwrap();
    assert_eq!((jan.mbs, jan.teams_mau), (Cents::dollars(2), 10));
    let total: i64 = x.months.iter().map(|m| m.mbs.0).sum();
    assert_eq!(Cents(total), c.eval("2025-07-15").metrics.mbs.value, "the monthly series adds up to MBS");
    assert!(x.transact_live_today);
}
