//! The program operators' routes: partners, sales and fraud flags, the
//! activation queue, delivery and revocation, catalogs, the audit log.

use benefits_domain::activation::{Action, BenefitStatus, RevocationReason};
use benefits_domain::catalog::VersionState;
use benefits_domain::{Catalog, Cents, SaleStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date;
use crate::feed::Provenance;

/// `?q=`: a part of the partner's name or id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PartnerQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerSummary {
    pub id: String,
    pub name: String,
    pub account_email: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub effective_tier: Option<u32>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub transact_tier_today: Option<u32>,
    /// TTM marketplace-billed sales.
    pub mbs: Cents,
    pub active_activations: u64,
    pub overdue: u64,
}

/// One sales line with the operator's fraud flag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaleView {
    pub id: i64,
    pub external_id: String,
    #[serde(with = "date")]
    pub date: NaiveDate,
    pub amount_usd: Cents,
    /// As the feed reported it.
    pub status: SaleStatus,
    pub fraud: bool,
    /// The operator's note on the fraud flag.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub fraud_note: Option<String>,
    /// `fraud` when flagged, else `status`: what the evaluation uses.
    pub effective_status: SaleStatus,
    pub offer_id: String,
    pub version: i64,
    pub source: Provenance,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FraudFlag {
    pub fraud: bool,
    /// Why (required, 1 to 2000 characters): kept with the sale and in the audit log.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueContact {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub language: String,
}

/// One benefit being worked on, in the activation queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub partner_id: String,
    pub partner_name: String,
    pub benefit_id: String,
    pub benefit_name: String,
    #[serde(with = "date")]
    pub year_start: NaiveDate,
    pub status: BenefitStatus,
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub activated_on: Option<NaiveDate>,
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub contact_by: Option<NaiveDate>,
    pub contact_overdue: bool,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub contact: Option<QueueContact>,
}

/// The delivery steps an operator records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdvanceTo {
    Contacted,
    InProgress,
    Delivered,
}

impl AdvanceTo {
    /// The step an operator's action asks for (`MarkContacted` → `Contacted`, …).
    pub fn for_action(action: Action) -> Option<AdvanceTo> {
        [AdvanceTo::Contacted, AdvanceTo::InProgress, AdvanceTo::Delivered].into_iter().find(|to| BenefitStatus::from(*to) == action.status())
    }
}

impl From<AdvanceTo> for BenefitStatus {
    fn from(to: AdvanceTo) -> BenefitStatus {
        match to {
            AdvanceTo::Contacted => BenefitStatus::Contacted,
            AdvanceTo::InProgress => BenefitStatus::InProgress,
            AdvanceTo::Delivered => BenefitStatus::Delivered,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Advance {
    pub to: AdvanceTo,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Revoke {
    pub reason: RevocationReason,
    /// At most 2000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogEntry {
    pub version: String,
    /// RFC 3339.
    pub published_at: String,
    /// The publishing operator's email; none for the catalog the server ships.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub published_by: Option<String>,
    /// The version applies from this day.
    #[serde(with = "date")]
    pub effective_from: NaiveDate,
    /// Scheduled (published ahead of its date), in force, or superseded.
    pub state: VersionState,
    /// In force today.
    pub current: bool,
    pub catalog: Catalog,
}

/// `?partner_id=&limit=`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    /// Newest first, at most this many (1 to 1000; default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// `?limit=`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct LimitQuery {
    /// Newest first, at most this many (1 to 1000; default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditActor {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// None for the system (seeding, imports by the program).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub actor: Option<AuditActor>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub partner_id: Option<String>,
    /// Such as `benefit.activate`, `user.role`.
    pub action: String,
    /// Such as `benefit:co-marketing@2025-03-01`.
    pub target: String,
    /// The resource before and after, as its API view.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
}
