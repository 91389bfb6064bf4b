//! Browser tests of the UI's plain helpers: progress maths, formatting, chart
//! scales, and the benefit buttons derived from the domain's state machine.
#![cfg(target_arch = "wasm32")]

use benefits_app::demo;
use benefits_app::ui::{self, ActionButton};
use benefits_domain::activation::{self, Action, Actor, BenefitState, BenefitStatus, Role};
use benefits_domain::Cents;
use chrono::NaiveDate;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const ADMIN: Actor = Actor { role: Role::Admin, is_marketing_contact: false };

#[wasm_bindgen_test]
fn progress_is_measured_from_the_current_tier_to_the_next() {
    assert_eq!(ui::progress_percent(0, 0, 100), 0);
    assert_eq!(ui::progress_percent(50, 0, 100), 50);
    assert_eq!(ui::progress_percent(99_999, 0, 100_000), 99, "never shows 100% before the tier is reached");
    assert_eq!(ui::progress_percent(100, 0, 100), 100);
    assert_eq!(ui::progress_percent(250, 0, 100), 100);
    assert_eq!(ui::progress_percent(-10, 0, 100), 0, "a negative total (credits) is no progress");
    // From tier 2 (25,000) to tier 3 (100,000): 62,500 is half way.
    assert_eq!(ui::progress_percent(62_500, 25_000, 100_000), 50);
    assert_eq!(ui::progress_percent(5, 10, 10), 0, "an empty interval does not divide by zero");
}

#[wasm_bindgen_test]
fn metric_progress_reads_the_thresholds_from_the_catalog() {
    let catalog = demo::default_catalog();
    let mbs = &catalog.metrics.mbs;
    // Tier 1 starts at 0, tier 2 at 25,000.00: 12,500.00 is half way.
    assert_eq!(ui::metric_progress(mbs, Cents::dollars(12_500), Some(1), Some(2)), Some(50));
    // Tier 2 (25,000) to tier 3 (100,000).
    assert_eq!(ui::metric_progress(mbs, Cents::dollars(62_500), Some(2), Some(3)), Some(50));
    // At the top there is no next tier, so no bar.
    assert_eq!(ui::metric_progress(mbs, Cents::dollars(5_000_000), Some(5), None), None);
    let teams = &catalog.metrics.teams_mau;
    // No tier yet: measured from 0 to the lowest tier (1,000 users).
    assert_eq!(ui::metric_progress(teams, 900u64, None, Some(2)), Some(90));
}

#[wasm_bindgen_test]
fn money_and_counts_are_formatted_for_people() {
    assert_eq!(ui::usd(Cents(475_050)), "$4,750.50");
    assert_eq!(ui::usd(Cents(-25_000)), "-$250.00");
    assert_eq!(ui::usd(Cents(0)), "$0.00");
    assert_eq!(ui::usd(Cents(123_456_789_00)), "$123,456,789.00");
    assert_eq!(ui::usd_short(Cents::dollars(4_000_000)), "$4,000,000");
    assert_eq!(ui::usd_short(Cents(150)), "$1.50");
    assert_eq!(ui::count(1_000_000), "1,000,000");
    assert_eq!(ui::count(999), "999");
    assert_eq!(ui::tier_label(Some(3)), "Tier 3");
    assert_eq!(ui::tier_label(None), "No tier");
    assert_eq!(ui::date_long(d("2025-07-05")), "5 Jul 2025");
    assert_eq!(ui::days(1), "1 day");
    assert_eq!(ui::days(12), "12 days");
}

#[wasm_bindgen_test]
fn typed_amounts_are_parsed_exactly_by_the_domain() {
    assert_eq!(ui::parse_amount("$1,250.50"), Ok(Cents(125_050)));
    assert_eq!(ui::parse_amount("-250"), Ok(Cents(-25_000)));
    assert_eq!(ui::parse_amount("1.005"), Err("Must have at most 2 decimal places.".to_string()));
    assert!(ui::parse_amount("abc").is_err());
    assert_eq!(ui::parse_count("12,000"), Ok(12_000));
    assert!(ui::parse_count("1.5").is_err());
}

#[wasm_bindgen_test]
fn chart_scale_rounds_up_to_a_nice_number() {
    assert_eq!(ui::nice_ceiling(0), 1);
    assert_eq!(ui::nice_ceiling(7), 10);
    assert_eq!(ui::nice_ceiling(1_800), 2_000);
    assert_eq!(ui::nice_ceiling(2_500_000), 5_000_000);
    assert_eq!(ui::bar_height(50, 100, 200), 100);
    assert_eq!(ui::bar_height(500, 100, 200), 200, "clamped to the plot");
    assert_eq!(ui::bar_height(-5, 100, 200), 0);
}

fn labels(buttons: &[ActionButton]) -> Vec<(&'static str, bool)> {
    buttons.iter().map(|b| (b.label, b.enabled)).collect()
}

#[wasm_bindgen_test]
fn activate_is_shown_disabled_with_the_reason_until_a_contact_is_assigned() {
    let today = d("2025-07-15");
    let unlocked = BenefitState::initial(true);
    let without = ui::partner_buttons(&unlocked, ADMIN, false, today);
    assert_eq!(labels(&without), vec![("Activate", false), ("Opt out", true)]);
    assert_eq!(without[0].reason.as_deref(), Some("Assign a marketing contact before activating a benefit."));
    let with = ui::partner_buttons(&unlocked, ADMIN, true, today);
    assert_eq!(labels(&with), vec![("Activate", true), ("Opt out", true)]);
    assert_eq!(with[0].reason, None);
}

#[wasm_bindgen_test]
fn buttons_follow_the_state_machine() {
    let today = d("2025-07-15");
    let activated = activation::activate(&BenefitState::initial(true), ADMIN, true, None, today).unwrap();
    assert_eq!(labels(&ui::partner_buttons(&activated, ADMIN, true, today)), vec![("Opt out", true)]);
    let opted_out = activation::opt_out(&activated, ADMIN, today).unwrap();
    assert_eq!(labels(&ui::partner_buttons(&opted_out, ADMIN, true, today)), vec![("Activate", true)]);
    let locked = BenefitState::initial(false);
    assert!(ui::partner_buttons(&locked, ADMIN, true, today).is_empty());
    let member = Actor { role: Role::Member, is_marketing_contact: false };
    assert!(ui::partner_buttons(&BenefitState::initial(true), member, true, today).is_empty(), "a member who is not the contact gets no buttons");
    let contact = Actor { role: Role::Member, is_marketing_contact: true };
    assert_eq!(labels(&ui::partner_buttons(&BenefitState::initial(true), contact, true, today)), vec![("Activate", true), ("Opt out", true)]);
    let delivered = BenefitState { status: BenefitStatus::Delivered, ..activated.clone() };
    assert!(ui::partner_buttons(&delivered, ADMIN, true, today).is_empty());
    // The labels cover every action an operator may see too.
    assert_eq!(ui::action_label(Action::MarkContacted), "Mark contacted");
}

#[wasm_bindgen_test]
fn the_demo_partner_evaluates_to_effective_tier_2() {
    let demo = demo::demo();
    let input = benefits_domain::EvaluationInput { as_of: demo.as_of, catalog: demo::default_catalog(), partner: demo.partner };
    input.validate().unwrap();
    let ev = benefits_domain::evaluate(&input);
    assert_eq!(ev.effective_tier, Some(2));
    assert_eq!(ev.transact_tier_today, Some(1));
}

#[wasm_bindgen_test]
fn the_optimistic_preview_is_the_domains_transition() {
    let today = d("2025-03-01");
    let unlocked = BenefitState::initial(true);
    let next = ui::partner_preview(&unlocked, Action::Activate, ADMIN, true, Some(180), today).expect("an admin with a contact may activate");
    assert_eq!(next, activation::activate(&unlocked, ADMIN, true, Some(180), today).unwrap());
    assert_eq!(next.status, BenefitStatus::Activated);
    assert_eq!(next.expires_on, Some(d("2025-08-28")));
    assert_eq!(ui::partner_preview(&unlocked, Action::Activate, ADMIN, false, None, today), None, "no contact: nothing previewed");
    let out = ui::partner_preview(&next, Action::OptOut, ADMIN, true, None, today).unwrap();
    assert_eq!(out.status, BenefitStatus::OptedOut);
    assert_eq!(ui::partner_preview(&next, Action::MarkContacted, ADMIN, true, None, today), None, "not a partner action");
}
