//! A small builder for evaluation inputs, shared by the rule and property tests.
#![allow(dead_code)]

use benefits_domain::catalog::Catalog;
use benefits_domain::model::{MonthlyMau, MonthlyValue, Offer, OfferType, PartnerData, SaleLine, SaleStatus};
use benefits_domain::{evaluate, Cents, Evaluation, EvaluationInput, Month};
use chrono::NaiveDate;

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|_| panic!("bad test date {s}"))
}

/// The catalog of EVALUATE.md's example: MBS tiers 1 ($0), 2 ($25k), 3 ($100k);
/// bizapps 2 ($25k), 3 ($100k); Teams MAU 2 (1,000), 3 (10,000).
pub fn example_catalog() -> Catalog {
    let input: serde_json::Value = serde_json::from_str(include_str!("../data/example-input.json")).unwrap();
    serde_json::from_value(input["catalog"].clone()).unwrap()
}

#[derive(Clone)]
pub struct Case {
    pub catalog: Catalog,
    pub partner: PartnerData,
}

impl Case {
    pub fn new() -> Case {
        Case { catalog: example_catalog(), partner: PartnerData::default() }
    }

    pub fn offer(mut self, id: &str, t: OfferType, live_on: &str, delisted_on: Option<&str>) -> Case {
        self.partner.offers.push(Offer { id: id.into(), offer_type: t, live_on: Some(d(live_on)), delisted_on: delisted_on.map(d) });
        self
    }

    pub fn transact(self, live_on: &str) -> Case {
        self.offer("saas", OfferType::Transact, live_on, None)
    }

    pub fn sale(self, date: &str, dollars: i64) -> Case {
        self.sale_with(date, Cents::dollars(dollars), SaleStatus::Billed)
    }

    pub fn sale_with(mut self, date: &str, amount: Cents, status: SaleStatus) -> Case {
        self.partner.sales.push(SaleLine { date: d(date), amount_usd: amount, status, offer_id: "saas".into() });
        self
    }

    pub fn bizapps(mut self, month: &str, dollars: i64) -> Case {
        self.partner.bizapps_value.push(MonthlyValue { month: month.parse().unwrap(), amount_usd: Cents::dollars(dollars) });
        self
    }

    pub fn mau(mut self, month: &str, mau: u64) -> Case {
        self.partner.teams_mau.push(MonthlyMau { month: month.parse::<Month>().unwrap(), mau });
        self
    }

    pub fn first_benefit(mut self, date: &str) -> Case {
        self.partner.first_benefit_date = Some(d(date));
        self
    }

    pub fn granted(mut self, ids: &[&str]) -> Case {
        self.partner.granted_benefits = Some(ids.iter().map(|s| s.to_string()).collect());
        self
    }

    pub fn input(&self, as_of: &str) -> EvaluationInput {
        EvaluationInput { as_of: d(as_of), catalog: self.catalog.clone(), partner: self.partner.clone() }
    }

    pub fn eval(&self, as_of: &str) -> Evaluation {
        let input = self.input(as_of);
        input.validate().expect("test input is valid");
        evaluate(&input)
    }
}
