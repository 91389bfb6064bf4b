//! Who is told what: the notification events, the groups a person turns email
//! on or off for, and the rule that keeps the marketing contact informed about
//! the engagements they are the contact for. The server sends; this decides.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::activation::{BenefitState, BenefitStatus};

/// How many days before an activated benefit expires its contact is warned.
pub const EXPIRY_NOTICE_DAYS: i64 = 14;

/// What a person can turn email on or off for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventGroup {
    /// A benefit moves: activated, contacted, in progress, delivered, revoked,
    /// expiring, expired, opted out; a contact is assigned.
    BenefitUpdates,
    /// A new tier is reached or a new benefit year starts.
    TierNews,
    /// The Rewards team's daily digest of overdue contacts.
    Digests,
}

impl EventGroup {
    pub const ALL: [EventGroup; 3] = [EventGroup::BenefitUpdates, EventGroup::TierNews, EventGroup::Digests];

    pub fn as_str(self) -> &'static str {
        match self {
            EventGroup::BenefitUpdates => "benefit_updates",
            EventGroup::TierNews => "tier_news",
            EventGroup::Digests => "digests",
        }
    }

    pub fn parse(s: &str) -> Option<EventGroup> {
        EventGroup::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// Every event people are told about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    ContactAssigned,
    Activated,
    Contacted,
    InProgress,
    Delivered,
    Revoked,
    ExpiringSoon,
    Expired,
    OptedOut,
    TierReached,
    BenefitYearStarted,
    OverdueDigest,
}

impl EventKind {
    pub fn group(self) -> EventGroup {
        match self {
            EventKind::TierReached | EventKind::BenefitYearStarted => EventGroup::TierNews,
            EventKind::OverdueDigest => EventGroup::Digests,
            _ => EventGroup::BenefitUpdates,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ContactAssigned => "contact_assigned",
            EventKind::Activated => "activated",
            EventKind::Contacted => "contacted",
            EventKind::InProgress => "in_progress",
            EventKind::Delivered => "delivered",
            EventKind::Revoked => "revoked",
            EventKind::ExpiringSoon => "expiring_soon",
            EventKind::Expired => "expired",
            EventKind::OptedOut => "opted_out",
            EventKind::TierReached => "tier_reached",
            EventKind::BenefitYearStarted => "benefit_year_started",
            EventKind::OverdueDigest => "overdue_digest",
        }
    }

    /// The event a benefit's move from `before` to `after` is, if people are told of it.
    /// An opt-out is news only when the Rewards team was working on the benefit.
    pub fn of_transition(before: BenefitStatus, after: BenefitStatus) -> Option<EventKind> {
        match after {
            BenefitStatus::Activated => Some(EventKind::Activated),
            BenefitStatus::Contacted => Some(EventKind::Contacted),
            BenefitStatus::InProgress => Some(EventKind::InProgress),
            BenefitStatus::Delivered => Some(EventKind::Delivered),
            BenefitStatus::Revoked => Some(EventKind::Revoked),
            BenefitStatus::Expired => Some(EventKind::Expired),
            BenefitStatus::OptedOut if before.is_active() => Some(EventKind::OptedOut),
            _ => None,
        }
    }
}

/// Whether an email of `group` goes to a person whose setting is `email_on`.
/// The marketing contact of a partner with an engagement under way always
/// gets benefit updates: they are the one the Rewards team works with.
pub fn email_wanted(group: EventGroup, email_on: bool, contact_with_active_engagement: bool) -> bool {
    email_on || (group == EventGroup::BenefitUpdates && contact_with_active_engagement)
}

/// Why a setting cannot be changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreferenceError {
    /// The marketing contact turning off benefit updates while an engagement is active.
    ContactOfActiveEngagement,
}

impl PreferenceError {
    pub fn message(self) -> &'static str {
        match self {
            PreferenceError::ContactOfActiveEngagement => {
                "As the marketing contact you receive benefit updates while an engagement is active; change the contact or wait until it ends."
            }
        }
    }
}

/// Checks a change of a person's email setting for `group`.
pub fn check_preference(group: EventGroup, email_on: bool, contact_with_active_engagement: bool) -> Result<(), PreferenceError> {
    if !email_on && group == EventGroup::BenefitUpdates && contact_with_active_engagement {
        return Err(PreferenceError::ContactOfActiveEngagement);
    }
    Ok(())
}

/// The expiry date to warn about on `today`: an active benefit that expires
/// within [`EXPIRY_NOTICE_DAYS`] days (and has not expired yet).
pub fn expiry_to_warn(state: &BenefitState, today: NaiveDate) -> Option<NaiveDate> {
    let expires = state.expires_on?;
    let days = (expires - today).num_days();
    (state.status_on(today).is_active() && (1..=EXPIRY_NOTICE_DAYS).contains(&days)).then_some(expires)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn active(expires: Option<&str>) -> BenefitState {
        BenefitState {
            status: BenefitStatus::Activated,
            activated_on: Some(d("2025-07-15")),
            contact_by: Some(d("2025-07-22")),
            expires_on: expires.map(d),
            ..BenefitState::initial(true)
        }
    }

    #[test]
    fn the_contact_of_an_active_engagement_cannot_turn_off_benefit_updates() {
        assert_eq!(check_preference(EventGroup::BenefitUpdates, false, true), Err(PreferenceError::ContactOfActiveEngagement));
        assert_eq!(check_preference(EventGroup::BenefitUpdates, false, false), Ok(()));
        assert_eq!(check_preference(EventGroup::TierNews, false, true), Ok(()));
        assert_eq!(check_preference(EventGroup::BenefitUpdates, true, true), Ok(()));
        assert!(email_wanted(EventGroup::BenefitUpdates, false, true));
        assert!(!email_wanted(EventGroup::BenefitUpdates, false, false));
        assert!(!email_wanted(EventGroup::Digests, false, true));
    }

    #[test]
    fn the_expiry_warning_covers_the_last_fourteen_days_before_expiry() {
        let s = active(Some("2026-01-11"));
        assert_eq!(expiry_to_warn(&s, d("2025-12-28")), Some(d("2026-01-11")), "14 days ahead");
        assert_eq!(expiry_to_warn(&s, d("2025-12-27")), None, "15 days ahead is too early");
        assert_eq!(expiry_to_warn(&s, d("2026-01-10")), Some(d("2026-01-11")));
        assert_eq!(expiry_to_warn(&s, d("2026-01-11")), None, "expired that day");
        assert_eq!(expiry_to_warn(&active(None), d("2026-01-10")), None);
    }

    #[test]
    fn an_opt_out_is_news_only_for_an_engagement_under_way() {
        assert_eq!(EventKind::of_transition(BenefitStatus::InProgress, BenefitStatus::OptedOut), Some(EventKind::OptedOut));
        assert_eq!(EventKind::of_transition(BenefitStatus::Unlocked, BenefitStatus::OptedOut), None);
        assert_eq!(EventKind::of_transition(BenefitStatus::Activated, BenefitStatus::Contacted), Some(EventKind::Contacted));
        assert_eq!(EventKind::of_transition(BenefitStatus::Contacted, BenefitStatus::Revoked).map(|e| e.group()), Some(EventGroup::BenefitUpdates));
    }
}
