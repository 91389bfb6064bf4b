//! Accounts: onboarding partners, invitations, passwords, sessions and profile.

use benefits_domain::activation::Role;
use serde::{Deserialize, Serialize};

use crate::session::PartnerInfo;

/// An invitation to send: to a partner (role `admin` or `member`) or to the
/// program team (role `operator`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    pub email: String,
    pub role: Role,
    /// Shown in the invitation form, which the invitee may change.
    #[serde(default)]
    pub name: Option<String>,
}

/// A pending invitation (its link is only ever in the email).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
    /// `None` for an operator's invitation.
    pub partner_id: Option<String>,
    pub created_unix: i64,
    pub expires_unix: i64,
}

/// What an invitation link is for, shown before it is accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationPreview {
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
    /// The partner's name; `None` for the program team.
    pub organisation: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    pub name: String,
    /// Checked by `benefits_domain::password::check`.
    pub password: String,
}

/// A new partner organisation and its first admin's invitation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPartner {
    /// 2–40 lower-case letters, digits and hyphens (`benefits_domain::account::check_partner_id`).
    pub partner_id: String,
    pub name: String,
    /// The organisation's own address for the program (not a person's).
    pub account_email: String,
    pub admin_email: String,
    #[serde(default)]
    pub admin_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Onboarded {
    pub partner: PartnerInfo,
    pub invitation: InvitationView,
}

/// Operators edit a partner's name or account email; absent fields stay.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnerPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub account_email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    pub password: String,
}

/// A 202 answer: what happens next, for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accepted {
    pub message: String,
}

/// One of the signed-in user's sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    /// Opaque: the SHA-256 of the session's cookie, never the cookie.
    pub id: String,
    /// The browser's User-Agent when the session began.
    pub device: String,
    pub created_unix: i64,
    pub last_seen_unix: i64,
    /// The session making this request.
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedOut {
    pub signed_out: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EmailChange {
    pub email: String,
    pub current_password: String,
}
