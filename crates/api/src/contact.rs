//! The partner's marketing contact. The request body is the domain's
//! [`benefits_domain::contact::ContactInput`], validated by the domain.

use serde::{Deserialize, Serialize};

pub use benefits_domain::contact::ContactInput;

/// The contact as an admin sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub user_id: String,
    pub user_name: String,
    pub email: String,
    /// E.164, such as `+14255550100`.
    pub phone: String,
    /// A BCP 47 tag of `benefits_domain::contact::LANGUAGES`.
    pub language: String,
    pub version: i64,
    /// RFC 3339.
    pub updated_at: String,
}

/// The contact in the workspace: the phone number only for admins and the
/// contact themself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub user_id: String,
    pub user_name: String,
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub phone: Option<String>,
    pub language: String,
    pub version: i64,
}
