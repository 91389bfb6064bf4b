//! The examples of EVALUATE.md, answered exactly.

use benefits_domain::{evaluate_json, parse::parse_input, Evaluation};
use serde_json::Value;

const INPUT: &str = include_str!("data/example-input.json");
const OUTPUT: &str = include_str!("data/example-output.json");

#[test]
fn the_documented_example_gives_the_documented_output() {
    let got = serde_json::to_value(evaluate_json(INPUT).unwrap()).unwrap();
    let want: Value = serde_json::from_str(OUTPUT).unwrap();
    assert_eq!(got, want, "got {}", serde_json::to_string_pretty(&got).unwrap());
}

#[test]
fn the_output_json_parses_back_into_the_same_evaluation() {
    let eval = evaluate_json(INPUT).unwrap();
    let text = serde_json::to_string(&eval).unwrap();
    let back: Evaluation = serde_json::from_str(&text).unwrap();
    assert_eq!(back, eval);
}

#[test]
fn the_input_json_round_trips() {
    let input = parse_input(INPUT).unwrap();
    let again = parse_input(&serde_json::to_string(&input).unwrap()).unwrap();
    assert_eq!(again, input);
}

type Mutation = Box<dyn FnOnce(&mut Value)>;

fn error_for(mutate: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(INPUT).unwrap();
    mutate(&mut v);
    evaluate_json(&v.to_string()).unwrap_err().to_string()
}

#[test]
fn bad_input_names_the_field() {
    let cases: Vec<(Mutation, &str)> = vec![
        (Box::new(|v| v["as_of"] = "2025-13-01".into()), "as_of: "),
        (Box::new(|v| v["as_of"] = "15/07/2025".into()), "as_of: "),
        (Box::new(|v| { v.as_object_mut().unwrap().remove("as_of"); }), "as_of: is required"),
        (Box::new(|v| v["extra"] = 1.into()), "extra: is not a known field"),
        (Box::new(|v| v["partner"]["sales"][2]["amount_usd"] = "12.345".into()), "partner.sales[2].amount_usd: must have at most 2 decimal places"),
        (Box::new(|v| v["partner"]["sales"][1]["amount_usd"] = true.into()), "partner.sales[1].amount_usd: must be a decimal number"),
        (Box::new(|v| v["partner"]["sales"][0]["status"] = "refunded".into()), "partner.sales[0].status: `refunded` must be one of billed, fraud"),
        (Box::new(|v| v["partner"]["sales"][0]["colour"] = "red".into()), "partner.sales[0].colour: is not a known field"),
        (Box::new(|v| v["partner"]["offers"][1]["type"] = "saas".into()), "partner.offers[1].type: `saas` must be one of list, trial"),
        (Box::new(|v| v["partner"]["offers"][1]["id"] = "contoso-list".into()), "partner.offers[1].id: offer `contoso-list` is listed twice"),
        (Box::new(|v| v["partner"]["offers"][0]["delisted_on"] = "2024-01-01".into()), "partner.offers[0].delisted_on: must not be before live_on"),
        (Box::new(|v| v["partner"]["teams_mau"][0]["month"] = "2024-12-01".into()), "partner.teams_mau[0].month: must be a month written YYYY-MM"),
        (Box::new(|v| v["partner"]["teams_mau"][0]["mau"] = (-5).into()), "partner.teams_mau[0].mau: "),
        (Box::new(|v| v["catalog"]["tier_benefits"]["2"][0] = "nope".into()), "catalog.tier_benefits.2[0]: names benefit `nope`, which the catalog does not define"),
        (Box::new(|v| v["catalog"]["offer_benefits"]["trial"][1] = "nope".into()), "catalog.offer_benefits.trial[1]: names benefit `nope`"),
        (Box::new(|v| v["catalog"]["metrics"]["mbs"]["tiers"][2]["min"] = "100".into()), "catalog.metrics.mbs.tiers[2]: tiers must be listed in ascending order"),
        (Box::new(|v| v["catalog"]["metrics"]["bizapps"]["aggregate"] = "max".into()), "catalog.metrics.bizapps.aggregate: must be `sum`"),
        (Box::new(|v| v["catalog"]["metrics"]["teams_mau"]["tiers"][0]["min"] = "1000".into()), "catalog.metrics.teams_mau.tiers[0].min: "),
        (Box::new(|v| v["catalog"]["benefits"][1]["id"] = "listing-optimization".into()), "catalog.benefits[1].id: benefit `listing-optimization` is defined twice"),
    ];
    for (mutate, want) in cases {
        let got = error_for(mutate);
        assert!(got.starts_with(want), "want prefix {want:?}, got {got:?}");
        assert!(!got.contains('\n'), "one line: {got:?}");
    }
}

#[test]
fn syntax_errors_and_trailing_text_are_rejected() {
    let e = evaluate_json("{").unwrap_err();
    assert_eq!((e.code, e.params["line"].as_str(), e.params["column"].as_str()), (benefits_domain::error::InputCode::InvalidJson, "1", "1"));
    assert!(e.message().starts_with("not valid JSON"));
    assert!(evaluate_json(&format!("{INPUT} x")).is_err());
    assert!(evaluate_json("[]").is_err());
}
