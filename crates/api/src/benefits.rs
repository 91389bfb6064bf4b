//! Catalog benefits as one partner's viewer sees them, and the actions on them.

use benefits_domain::activation::{Action, BenefitState, BenefitStatus, RevocationReason};
use benefits_domain::catalog::BenefitKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revocation {
    pub reason: RevocationReason,
    /// The reason in a partner's words.
    pub reason_text: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub note: Option<String>,
    /// The day of the revocation (unknown for records written before it was kept).
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub on: Option<NaiveDate>,
}

/// One catalog benefit as the viewer sees it today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BenefitView {
    pub id: String,
    pub name: String,
    pub kind: BenefitKind,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub description: Option<String>,
    pub status: BenefitStatus,
    pub unlocked: bool,
    /// The benefit year the status belongs to; none before the first benefit date.
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub year_start: Option<NaiveDate>,
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub activated_on: Option<NaiveDate>,
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub contact_by: Option<NaiveDate>,
    pub contact_overdue: bool,
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub expires_on: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub revocation: Option<Revocation>,
    /// What this viewer may do now.
    pub actions: Vec<Action>,
    /// The `ETag` / `If-Match` version (0: never acted on).
    pub version: i64,
}

impl BenefitView {
    /// The domain state this view describes, for the state machine's checks.
    pub fn state(&self) -> BenefitState {
        BenefitState {
            status: self.status,
            activated_on: self.activated_on,
            contact_by: self.contact_by,
            expires_on: self.expires_on,
            changed_on: self.revocation.as_ref().and_then(|r| r.on),
            revocation: self.revocation.as_ref().map(|r| r.reason),
            note: self.revocation.as_ref().and_then(|r| r.note.clone()),
        }
    }
}
