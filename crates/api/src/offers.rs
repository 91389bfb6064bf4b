//! The partner's offers, as the marketplace feed reported them (read-only).

use benefits_domain::OfferType;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date;
use crate::feed::Provenance;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferView {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub offer_type: OfferType,
    /// `null`: published, not live yet.
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub live_on: Option<NaiveDate>,
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub delisted_on: Option<NaiveDate>,
    pub version: i64,
    pub source: Provenance,
}
