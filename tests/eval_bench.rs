//! How long the domain evaluation takes in the browser (Chromium, wasm32), for
//! 100,000 and 1,000,000 sales lines, in the line form and the daily form.
//! Prints the figures (docs/LOAD.md records them); checks the results are
//! right, so a fast wrong answer cannot pass.
//!
//! Meaningful in the app's size-optimised release profile:
//!   CHROMEDRIVER=/usr/bin/chromedriver cargo test -p benefits-app \
//!     --target wasm32-unknown-unknown --profile wasm-release --test eval_bench -- --nocapture
//! `scripts/test.sh` runs it in the debug build with the other browser tests,
//! where only the results, not the times, mean something.

use benefits_domain::model::{Offer, OfferType, PartnerData, SaleLine, SaleStatus};
use benefits_domain::{evaluate, evaluate_daily, Cents, DailyInput, EvaluationInput};
use chrono::{Days, NaiveDate};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const AS_OF: &str = "2025-07-15";

/// `n` lines spread over three years before `AS_OF` (a SaaS billing its
/// customers monthly), one in 40 excluded for fraud, on two offers.
fn partner(n: usize) -> EvaluationInput {
    let as_of: NaiveDate = AS_OF.parse().unwrap();
    let start = as_of - Days::new(3 * 365);
    let offers = vec![
        Offer { id: "saas".into(), offer_type: OfferType::Transact, live_on: Some(start), delisted_on: None },
        Offer { id: "list".into(), offer_type: OfferType::List, live_on: Some(start), delisted_on: None },
    ];
    let sales = (0..n)
        .map(|i| SaleLine {
            date: start + Days::new((i % (3 * 365 + 1)) as u64),
            amount_usd: Cents(1_000 + (i % 9_000) as i64),
            status: if i % 40 == 0 { SaleStatus::Fraud } else { SaleStatus::Billed },
            offer_id: if i % 3 == 0 { "list".into() } else { "saas".into() },
        })
        .collect();
    let catalog = benefits_domain::parse::parse_catalog(include_str!("../crates/domain/catalog/default.json")).unwrap();
    EvaluationInput { as_of, catalog, partner: PartnerData { offers, sales, first_benefit_date: Some(start), ..PartnerData::default() } }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `performance.now()`: sub-millisecond, unlike `Date.now()`.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn now_ms() -> f64;
}

/// The median of `runs` timings of `f`, in ms.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(runs);
    let mut out = None;
    for _ in 0..runs {
        let t0 = now_ms();
        out = Some(f());
        times.push(now_ms() - t0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    (times[runs / 2], out.expect("runs > 0"))
}

fn bench(n: usize, runs: usize) {
    // The debug build (scripts/test.sh) checks the results once; timing runs need --profile wasm-release.
    let runs = if cfg!(debug_assertions) { 1 } else { runs };
    let input = partner(n);
    let window = benefits_domain::Window::ttm(input.as_of);
    let expected: i64 = input.partner.sales.iter().filter(|s| s.status == SaleStatus::Billed && window.contains(s.date)).map(|s| s.amount_usd.0).sum();

    let (lines_ms, by_lines) = time(runs, || evaluate(&input));
    assert_eq!(by_lines.metrics.mbs.value, Cents(expected));
    assert!(by_lines.excluded_sales.fraud > 0);

    let (fold_ms, daily) = time(runs, || DailyInput::from_lines(&input));
    let (daily_ms, by_days) = time(runs, || evaluate_daily(&daily));
    assert_eq!(by_days, by_lines, "the daily form evaluates as the lines");

    console_log!(
        "eval_bench: {n} lines: evaluate {lines_ms:.2} ms; daily form: fold {fold_ms:.1} ms ({} totals), evaluate {daily_ms:.3} ms (median of {runs})",
        daily.daily_sales.len()
    );
}

#[wasm_bindgen_test]
fn evaluation_of_100_000_lines() {
    bench(100_000, 11);
}

#[wasm_bindgen_test]
fn evaluation_of_1_000_000_lines() {
    bench(1_000_000, 5);
}
