//! What people are told: the in-app notification list, email preferences per
//! event group, and the private calendar feed.

use serde::{Deserialize, Serialize};

pub use benefits_domain::notify::{EventGroup, EventKind};

/// One notification, in the language it was written in for its recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub kind: EventKind,
    pub title: String,
    pub body: String,
    /// The app page it is about, such as `/partners/acme/benefits#trial-promotion`.
    pub link: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub partner_id: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub read: bool,
}

/// The newest notifications and how many of all are unread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub unread: u64,
    pub items: Vec<Notification>,
}

/// `?limit=`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    /// Newest first, at most this many (default 50; kept within 1 to 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// The unread count after marking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unread {
    pub unread: u64,
}

/// One group's email setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupPreference {
    pub group: EventGroup,
    pub email: bool,
    /// Email is sent whatever the setting: the user is the marketing contact
    /// of an engagement under way (benefit updates only).
    pub locked: bool,
}

/// A user's email settings, every group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preferences {
    pub groups: Vec<GroupPreference>,
}

/// A change of email settings; groups left out keep their setting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PreferencesPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benefit_updates: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_news: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digests: Option<bool>,
}

impl PreferencesPatch {
    pub fn changes(&self) -> Vec<(EventGroup, bool)> {
        [
            (EventGroup::BenefitUpdates, self.benefit_updates),
            (EventGroup::TierNews, self.tier_news),
            (EventGroup::Digests, self.digests),
        ]
        .into_iter()
        .filter_map(|(g, v)| v.map(|v| (g, v)))
        .collect()
    }
}

/// Whether the user has a calendar feed, and since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    pub active: bool,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub created_at: Option<String>,
    /// The secret address, only in the answer that created it (it is stored hashed).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The app's badge reads a list as [`Unread`] (skipping its items): a
    /// list must stay readable that way, with the same count.
    #[test]
    fn a_list_reads_as_its_unread_count() {
        let list = NotificationList {
            unread: 3,
            items: vec![Notification {
                id: 7,
                kind: EventKind::Activated,
                title: "Activated".into(),
                body: "Trial promotion was activated.".into(),
                link: "/partners/acme/benefits".into(),
                partner_id: Some("acme".into()),
                created_at: "2026-12-01T10:00:00Z".into(),
                read: false,
            }],
        };
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(serde_json::from_str::<Unread>(&json).unwrap(), Unread { unread: 3 });
    }
}
