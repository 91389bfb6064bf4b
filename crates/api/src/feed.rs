//! The marketplace feed (files covering many partners, sent by the
//! marketplace's jobs with a service token or uploaded by operators), service
//! tokens, the operators' corrections of feed data, and the grant ledger.

use benefits_domain::GrantCause;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date;

/// A kind of feed file; the path segment is its slug.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FeedKind {
    #[serde(rename = "partners")]
    Partners,
    #[serde(rename = "offers")]
    Offers,
    #[serde(rename = "sales")]
    Sales,
    #[serde(rename = "bizapps")]
    Bizapps,
    #[serde(rename = "teams-mau")]
    TeamsMau,
}

impl FeedKind {
    pub const ALL: [FeedKind; 5] = [FeedKind::Partners, FeedKind::Offers, FeedKind::Sales, FeedKind::Bizapps, FeedKind::TeamsMau];

    /// `partners`, `offers`, `sales`, `bizapps`, `teams-mau`.
    pub fn slug(self) -> &'static str {
        match self {
            FeedKind::Partners => "partners",
            FeedKind::Offers => "offers",
            FeedKind::Sales => "sales",
            FeedKind::Bizapps => "bizapps",
            FeedKind::TeamsMau => "teams-mau",
        }
    }

    pub fn parse(s: &str) -> Option<FeedKind> {
        FeedKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// The columns of a file, `(name, required)`, in the order of a CSV
    /// export; an empty value is a missing one.
    pub fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            FeedKind::Partners => &[("partner_id", true), ("name", true), ("account_email", true)],
            FeedKind::Offers => &[("partner_id", true), ("offer_id", true), ("type", true), ("name", true), ("live_on", false), ("delisted_on", false)],
            FeedKind::Sales => &[("external_id", true), ("partner_id", true), ("offer_id", true), ("date", true), ("amount_usd", true), ("status", true)],
            FeedKind::Bizapps => &[("partner_id", true), ("month", true), ("amount_usd", true)],
            FeedKind::TeamsMau => &[("partner_id", true), ("app", false), ("month", true), ("mau", true)],
        }
    }

    /// The columns for an error message: `partner_id, app (optional), …`.
    pub fn column_list(self) -> String {
        self.columns().iter().map(|(c, req)| if *req { c.to_string() } else { format!("{c} (optional)") }).collect::<Vec<_>>().join(", ")
    }
}

/// Where a feed row came from: the ingestion that last changed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provenance {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ingestion_id: Option<i64>,
    /// `cli`, `api` (a marketplace job), `console` (an operator's upload) or `seed`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ingested_via: Option<String>,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ingested_at: Option<String>,
    /// The ingested file's name, when it was given.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub file_name: Option<String>,
}

/// What an accepted file did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestResult {
    pub ingestion_id: i64,
    pub kind: FeedKind,
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// `?file_name=`: the uploaded file's name, kept with the ingestion.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
}

/// One ingested file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ingestion {
    pub id: i64,
    pub kind: String,
    pub source: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub actor: Option<String>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub file_name: Option<String>,
    pub rows: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    /// RFC 3339.
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What uses the token (1 to 100 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
}

/// A service token, never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: String,
    /// The creating operator's email; none when created with `benefits token create`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub created_by: Option<String>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_used_at: Option<String>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub revoked_at: Option<String>,
}

/// A new token: the secret is in this answer and nowhere else, ever.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    pub token_info: TokenInfo,
    /// Send as `Authorization: Bearer <token>` to `POST /api/feed/{kind}`.
    pub token: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DelistOffer {
    #[serde(with = "date")]
    pub delisted_on: NaiveDate,
    /// Why (kept in the audit log), 1 to 2000 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"))]
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeleteRow {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"))]
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeletedRow {
    pub kind: String,
    pub key: String,
    /// The row as it was.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub deleted: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FirstBenefitDate {
    #[serde(with = "date")]
    pub first_benefit_date: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"))]
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstBenefitDateChange {
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub before: Option<NaiveDate>,
    #[serde(with = "date")]
    pub first_benefit_date: NaiveDate,
}

/// One benefit granted for one benefit year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantView {
    pub benefit_id: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub benefit_name: Option<String>,
    #[serde(with = "date")]
    pub year_start: NaiveDate,
    #[serde(with = "date")]
    pub granted_on: NaiveDate,
    pub catalog_version: String,
    /// What unlocked it, in words.
    pub cause: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub cause_detail: GrantCause,
}

/// A partner's grant ledger, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ledger {
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub first_benefit_date: Option<NaiveDate>,
    pub grants: Vec<GrantView>,
}

/// `?effective_from=YYYY-MM-DD` (today when absent; never before today).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PublishQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
}
