//! The partner's offers.

use benefits_domain::OfferType;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferView {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub offer_type: OfferType,
    #[serde(with = "date")]
    pub live_on: NaiveDate,
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub delisted_on: Option<NaiveDate>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOffer {
    /// Chosen by the server when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9._-]{1,64}$"))]
    pub id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, pattern = r"\S"))]
    pub name: String,
    #[serde(rename = "type")]
    pub offer_type: OfferType,
    #[serde(with = "date")]
    pub live_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "date::option")]
    pub delisted_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, pattern = r"\S"))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "date::option")]
    pub live_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Delisting {
    #[serde(with = "date")]
    pub delisted_on: NaiveDate,
}
