//! Every request body, response body and query of the Benefits JSON API,
//! written once: the server answers with these types, the app reads them, and
//! (with the `openapi` feature) the OpenAPI document describes them.
//!
//! One module per resource, as the server's `http/` modules. Dates, money and
//! statuses are the domain's own types, so a value that parses is valid.

pub mod accounts;
pub mod benefits;
pub mod contact;
pub mod dashboard;
pub mod error;
pub mod evaluate;
pub mod exports;
pub mod feed;
pub mod notifications;
pub mod offers;
pub mod operator;
pub mod paths;
pub mod sales;
pub mod session;
pub mod users;
pub mod workspace;

pub use error::{ErrorBody, ErrorCode, ErrorItem};

/// `YYYY-MM-DD` on the wire, read by the domain's strict parser.
pub(crate) use benefits_domain::parse::date;
