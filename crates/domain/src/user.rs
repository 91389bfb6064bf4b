//! A partner's users: the roles a partner admin can give.

use serde::{Deserialize, Serialize};

use crate::activation::Role;

/// The roles inside a partner's account (an operator is never a partner's user).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartnerRole {
    Admin,
    Member,
}

impl PartnerRole {
    pub const ALL: [PartnerRole; 2] = [PartnerRole::Admin, PartnerRole::Member];

    pub fn role(self) -> Role {
        match self {
            PartnerRole::Admin => Role::Admin,
            PartnerRole::Member => Role::Member,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.role().as_str()
    }
}

impl From<PartnerRole> for Role {
    fn from(r: PartnerRole) -> Role {
        r.role()
    }
}
