//! Sign-in, sign-out and "who am I".

use benefits_domain::activation::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// A TOTP code or a recovery code, for accounts with a second factor
    /// (asked for by a 401 `mfa_required`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The language the user chose (workspace and email); `null` until they
    /// choose, when the browser's language applies.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub language: Option<Language>,
}

/// The languages of the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Pl,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Pl];

    /// The code as stored and sent (`pl`), a BCP 47 language tag.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Pl => "pl",
        }
    }

    pub fn parse(s: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// `PUT /api/session/me/language`: the signed-in user's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LanguagePreference {
    pub language: Language,
}

/// The partner a partner user belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerInfo {
    pub id: String,
    pub name: String,
    pub account_email: String,
}

/// The signed-in user, their partner (none for operators) and the token that
/// every state-changing request of this session sends as `X-CSRF-Token`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub user: SessionUser,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub partner: Option<PartnerInfo>,
    pub csrf_token: String,
    /// How many days this browser may keep its offline copy of the user's
    /// data (the server's `--offline-max-age-days`); older copies are deleted.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub offline_max_age_days: u32,
}

/// How long a browser keeps an offline copy when the server has not said
/// otherwise (`SessionInfo::offline_max_age_days`).
pub const OFFLINE_MAX_AGE_DAYS: u32 = 30;

/// `GET /api/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: HealthStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
}
