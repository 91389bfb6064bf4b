//! The demo partner the what-if page starts from. Data only: the rules are the domain's.

use benefits_domain::catalog::DEFAULT_CATALOG_JSON;
use benefits_domain::{Catalog, PartnerData};
use chrono::NaiveDate;
use serde::Deserialize;

/// A named partner's data evaluated on a given date.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demo {
    pub name: String,
    #[serde(with = "benefits_domain::parse::date")]
    pub as_of: NaiveDate,
    pub partner: PartnerData,
}

const DEMO_JSON: &str = include_str!("demo-partner.json");

/// The shipped demo partner (checked by the browser tests).
pub fn demo() -> Demo {
    serde_json::from_str(DEMO_JSON).expect("the shipped demo partner is valid")
}

/// The catalog shipped with the project (the domain's `DEFAULT_CATALOG_JSON`).
/// Parsed with plain serde_json rather than `Catalog::default_catalog`, whose
/// field-path error reporting would add its own parser to the first download;
/// the domain's tests already prove this JSON valid, and `validate` still runs.
pub fn default_catalog() -> Catalog {
    let catalog: Catalog = serde_json::from_str(DEFAULT_CATALOG_JSON).expect("the shipped default catalog is valid");
    debug_assert!(catalog.validate().is_ok());
    catalog
}
