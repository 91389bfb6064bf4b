//! Evaluation cost for 10k, 100k and 1M sales lines, once parsed.
//! `cargo bench -p benefits-domain --bench evaluate`

use benefits_domain::model::{MonthlyMau, MonthlyValue, Offer, OfferType, PartnerData, SaleLine, SaleStatus};
use benefits_domain::{evaluate, explain, Catalog, Cents, EvaluationInput, Month};
use chrono::{Days, NaiveDate};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// `n` lines spread over two years before `as_of`, 1 in 20 excluded, deterministic.
fn input(n: usize) -> EvaluationInput {
    let as_of = NaiveDate::from_ymd_opt(2025, 7, 15).unwrap();
    let start = as_of - Days::new(730);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let sales = (0..n)
        .map(|_| {
            let r = next();
            SaleLine {
                date: start + Days::new(r % 731),
                amount_usd: Cents((r >> 16) as i64 % 500_000 - 10_000),
                status: if r % 20 == 0 { SaleStatus::ALL[1 + (r as usize >> 8) % 3] } else { SaleStatus::Billed },
                offer_id: "saas".to_string(),
            }
        })
        .collect();
    let months: Vec<Month> = Month::twelve_ending(as_of).collect();
    EvaluationInput {
        as_of,
        catalog: Catalog::default_catalog(),
        partner: PartnerData {
            offers: vec![
                Offer { id: "saas".into(), offer_type: OfferType::Transact, live_on: Some(start), delisted_on: None },
                Offer { id: "list".into(), offer_type: OfferType::List, live_on: Some(start), delisted_on: None },
            ],
            sales,
            bizapps_value: months.iter().map(|&m| MonthlyValue { month: m, amount_usd: Cents::dollars(1_000) }).collect(),
            teams_mau: months.iter().map(|&m| MonthlyMau { month: m, mau: 700 }).collect(),
            first_benefit_date: None,
            granted_benefits: None,
        },
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("evaluate");
    for n in [10_000usize, 100_000, 1_000_000] {
        let input = input(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &input, |b, input| b.iter(|| evaluate(black_box(input))));
    }
    group.finish();
    let input = input(100_000);
    c.bench_function("explain/100000", |b| b.iter(|| explain(black_box(&input))));
}

criterion_group!(benches, bench);
criterion_main!(benches);

