//! Every rule of the Marketplace Rewards program, once.
//!
//! Pure Rust: no I/O, no clock, no web framework. Dates come from the caller.
//! The browser (offline preview, what-if) and the server (the authority) call
//! these same functions.

pub mod account;
pub mod activation;
pub mod calendar;
pub mod catalog;
pub mod catalog_diff;
pub mod contact;
pub mod daily;
pub mod error;
pub mod evaluate;
pub mod explain;
pub mod grants;
pub mod impact;
pub mod locale;
pub mod model;
pub mod notify;
pub mod money;
pub mod parse;
pub mod password;
pub mod user;

pub use calendar::{BenefitYear, Month, Window};
pub use catalog::{BenefitDef, BenefitKind, Catalog};
pub use daily::{evaluate_daily, DailyInput, DailySales};
pub use error::InputError;
pub use evaluate::{evaluate, evaluate_json, Evaluation, EvaluationInput};
pub use explain::{explain, Explanation};
pub use grants::{grants_due, Grant, GrantCause, LedgerUpdate};
pub use impact::{tier_impact, TierImpact};
pub use model::{Offer, OfferType, PartnerData, SaleLine, SaleStatus};
pub use money::Cents;
