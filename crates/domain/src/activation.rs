//! The life of one benefit for one partner in one benefit year:
//!
//! ```text
//! unlocked → activated → contacted → in_progress → delivered
//!     ↘ opted_out (partner, any time before delivery; may activate again)
//!     ↘ revoked   (operator, with a program reason; final)
//!     ↘ expired   (benefits with an expiry, that many days after activation)
//! ```
//!
//! Each transition is a function that returns the new record or a typed error.
//! The server applies them; the browser uses them to enable buttons and to
//! preview offline edits.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The Rewards team contacts the marketing contact within one week of activation.
pub const CONTACT_WITHIN_DAYS: u64 = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BenefitStatus {
    /// Not unlocked by the evaluation in this benefit year.
    Locked,
    Unlocked,
    Activated,
    Contacted,
    InProgress,
    Delivered,
    OptedOut,
    Revoked,
    Expired,
}

impl BenefitStatus {
    pub const ALL: [BenefitStatus; 9] = [
        BenefitStatus::Locked,
        BenefitStatus::Unlocked,
        BenefitStatus::Activated,
        BenefitStatus::Contacted,
        BenefitStatus::InProgress,
        BenefitStatus::Delivered,
        BenefitStatus::OptedOut,
        BenefitStatus::Revoked,
        BenefitStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BenefitStatus::Locked => "locked",
            BenefitStatus::Unlocked => "unlocked",
            BenefitStatus::Activated => "activated",
            BenefitStatus::Contacted => "contacted",
            BenefitStatus::InProgress => "in_progress",
            BenefitStatus::Delivered => "delivered",
            BenefitStatus::OptedOut => "opted_out",
            BenefitStatus::Revoked => "revoked",
            BenefitStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<BenefitStatus> {
        BenefitStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            BenefitStatus::Locked => "Locked",
            BenefitStatus::Unlocked => "Unlocked",
            BenefitStatus::Activated => "Activated",
            BenefitStatus::Contacted => "Contacted",
            BenefitStatus::InProgress => "In progress",
            BenefitStatus::Delivered => "Delivered",
            BenefitStatus::OptedOut => "Opted out",
            BenefitStatus::Revoked => "Revoked",
            BenefitStatus::Expired => "Expired",
        }
    }

    /// Activated and being worked on by the Rewards team.
    pub const ACTIVE: [BenefitStatus; 3] = [BenefitStatus::Activated, BenefitStatus::Contacted, BenefitStatus::InProgress];

    pub fn is_active(self) -> bool {
        BenefitStatus::ACTIVE.contains(&self)
    }

    /// The delivery step that follows this status (activated → contacted →
    /// in progress → delivered); none for any other status.
    pub fn next_delivery_step(self) -> Option<BenefitStatus> {
        match self {
            BenefitStatus::Activated => Some(BenefitStatus::Contacted),
            BenefitStatus::Contacted => Some(BenefitStatus::InProgress),
            BenefitStatus::InProgress => Some(BenefitStatus::Delivered),
            _ => None,
        }
    }

    /// The program acted on it: active or delivered (a benefit counts as granted).
    pub fn is_acted_on(self) -> bool {
        self.is_active() || self == BenefitStatus::Delivered
    }
}

impl fmt::Display for BenefitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the program revoked a partner's benefit (PROGRAM.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    IllegalActivity,
    FraudulentPurchases,
    Delisted,
    InfringingContent,
    SponsorshipPolicyBreach,
}

impl RevocationReason {
    pub const ALL: [RevocationReason; 5] = [
        RevocationReason::IllegalActivity,
        RevocationReason::FraudulentPurchases,
        RevocationReason::Delisted,
        RevocationReason::InfringingContent,
        RevocationReason::SponsorshipPolicyBreach,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevocationReason::IllegalActivity => "illegal_activity",
            RevocationReason::FraudulentPurchases => "fraudulent_purchases",
            RevocationReason::Delisted => "delisted",
            RevocationReason::InfringingContent => "infringing_content",
            RevocationReason::SponsorshipPolicyBreach => "sponsorship_policy_breach",
        }
    }

    pub fn parse(s: &str) -> Option<RevocationReason> {
        RevocationReason::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn describe(self) -> &'static str {
        match self {
            RevocationReason::IllegalActivity => "Illegal activity through the marketplace offer",
            RevocationReason::FraudulentPurchases => "Purchases known or suspected to be fraudulent",
            RevocationReason::Delisted => "Delisted from the marketplace",
            RevocationReason::InfringingContent => "Content infringing copyright or trademarks",
            RevocationReason::SponsorshipPolicyBreach => {
                "Breach of the Azure sponsorship policy (e.g. internal operations or cryptocurrency mining)"
            }
        }
    }
}

/// Who asks for a transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Partner admin: users, offers, data, marketing contact, activation.
    Admin,
    /// Partner member: reads; activates only as the marketing contact.
    Member,
    /// Program operator (Rewards team): all partners, delivery, revocation.
    Operator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Admin, Role::Member, Role::Operator].into_iter().find(|r| r.as_str() == s)
    }
}

/// The caller and the facts a transition depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// The caller is the partner's assigned marketing contact.
    pub is_marketing_contact: bool,
}

impl Actor {
    /// May act for the partner: an admin, or a member who is the marketing contact.
    pub fn acts_for_partner(&self) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Member => self.is_marketing_contact,
            Role::Operator => false,
        }
    }
}

/// One benefit's state for a partner in a benefit year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BenefitState {
    pub status: BenefitStatus,
    /// When it was (last) activated.
    #[serde(default, with = "crate::parse::date::option")]
    pub activated_on: Option<NaiveDate>,
    /// The Rewards team must contact the marketing contact by this date.
    #[serde(default, with = "crate::parse::date::option")]
    pub contact_by: Option<NaiveDate>,
    /// The activated benefit expires on this date (if the benefit expires).
    #[serde(default, with = "crate::parse::date::option")]
    pub expires_on: Option<NaiveDate>,
    /// The last change.
    #[serde(default, with = "crate::parse::date::option")]
    pub changed_on: Option<NaiveDate>,
    #[serde(default)]
    pub revocation: Option<RevocationReason>,
    /// The operator's note on a revocation, shown to the partner.
    #[serde(default)]
    pub note: Option<String>,
}

impl BenefitState {
    /// The state of a benefit nobody has acted on: unlocked or locked by the evaluation.
    pub fn initial(unlocked: bool) -> BenefitState {
        BenefitState {
            status: if unlocked { BenefitStatus::Unlocked } else { BenefitStatus::Locked },
            activated_on: None,
            contact_by: None,
            expires_on: None,
            changed_on: None,
            revocation: None,
            note: None,
        }
    }

    /// Activated and not yet contacted after the contact-by date.
    pub fn contact_overdue(&self, today: NaiveDate) -> bool {
        self.status == BenefitStatus::Activated && self.contact_by.is_some_and(|d| today > d)
    }

    /// Whole days past the contact-by date while the contact is overdue; 0 otherwise.
    pub fn days_overdue(&self, today: NaiveDate) -> u32 {
        match self.contact_by {
            Some(d) if self.contact_overdue(today) => (today - d).num_days().max(0) as u32,
            _ => 0,
        }
    }

    /// The status as seen on `today`: an active benefit past its expiry date is expired.
    pub fn status_on(&self, today: NaiveDate) -> BenefitStatus {
        if self.status.is_active() && self.expires_on.is_some_and(|d| today >= d) {
            BenefitStatus::Expired
        } else {
            self.status
        }
    }
}

/// What a transition is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Activate,
    OptOut,
    MarkContacted,
    MarkInProgress,
    MarkDelivered,
    Revoke,
    Expire,
}

impl Action {
    pub const ALL: [Action; 7] =
        [Action::Activate, Action::OptOut, Action::MarkContacted, Action::MarkInProgress, Action::MarkDelivered, Action::Revoke, Action::Expire];

    /// The status a successful action leads to.
    pub fn status(self) -> BenefitStatus {
        match self {
            Action::Activate => BenefitStatus::Activated,
            Action::OptOut => BenefitStatus::OptedOut,
            Action::MarkContacted => BenefitStatus::Contacted,
            Action::MarkInProgress => BenefitStatus::InProgress,
            Action::MarkDelivered => BenefitStatus::Delivered,
            Action::Revoke => BenefitStatus::Revoked,
            Action::Expire => BenefitStatus::Expired,
        }
    }

    /// The operator's delivery step that leads to `status`, if there is one.
    pub fn advancing_to(status: BenefitStatus) -> Option<Action> {
        [Action::MarkContacted, Action::MarkInProgress, Action::MarkDelivered].into_iter().find(|a| a.status() == status)
    }
}

/// Why a transition was refused. `code()` is the stable API error code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransitionError {
    /// A marketing contact must be assigned before any benefit can be activated.
    MarketingContactRequired,
    /// The benefit is not unlocked for this partner in this benefit year.
    NotUnlocked,
    /// The benefit is already activated and with the Rewards team.
    AlreadyActive,
    AlreadyDelivered,
    /// Revoked by the program; final.
    Revoked,
    Expired,
    AlreadyOptedOut,
    /// The caller's role may not do this.
    NotAllowedForRole { role: Role, action: Action },
    /// The action does not apply to the current status.
    InvalidTransition { from: BenefitStatus, action: Action },
    /// The benefit has no expiry, or its expiry date has not come.
    NotExpiredYet,
}

impl TransitionError {
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::MarketingContactRequired => "marketing_contact_required",
            TransitionError::NotUnlocked => "not_unlocked",
            TransitionError::AlreadyActive => "already_active",
            TransitionError::AlreadyDelivered => "already_delivered",
            TransitionError::Revoked => "revoked",
            TransitionError::Expired => "expired",
            TransitionError::AlreadyOptedOut => "already_opted_out",
            TransitionError::NotAllowedForRole { .. } => "not_allowed_for_role",
            TransitionError::InvalidTransition { .. } => "invalid_transition",
            TransitionError::NotExpiredYet => "not_expired_yet",
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::MarketingContactRequired => {
                f.write_str("Assign a marketing contact before activating a benefit.")
            }
            TransitionError::NotUnlocked => f.write_str("This benefit is not unlocked for this benefit year."),
            TransitionError::AlreadyActive => f.write_str("This benefit is already activated."),
            TransitionError::AlreadyDelivered => f.write_str("This benefit has already been delivered."),
            TransitionError::Revoked => f.write_str("This benefit was revoked by the program."),
            TransitionError::Expired => f.write_str("This benefit has expired."),
            TransitionError::AlreadyOptedOut => f.write_str("You have already opted out of this benefit."),
            TransitionError::NotAllowedForRole { role, action } => {
                let who = match role {
                    Role::Admin => "A partner admin",
                    Role::Member => "A member who is not the marketing contact",
                    Role::Operator => "A program operator",
                };
                write!(f, "{who} cannot {}.", action_words(*action))
            }
            TransitionError::InvalidTransition { from, action } => {
                write!(f, "A benefit that is {} cannot be {}.", from.label().to_ascii_lowercase(), past_words(*action))
            }
            TransitionError::NotExpiredYet => f.write_str("This benefit has not reached its expiry date."),
        }
    }
}

impl std::error::Error for TransitionError {}

fn action_words(a: Action) -> &'static str {
    match a {
        Action::Activate => "activate benefits",
        Action::OptOut => "opt out of benefits",
        Action::MarkContacted => "mark a benefit as contacted",
        Action::MarkInProgress => "mark a benefit as in progress",
        Action::MarkDelivered => "mark a benefit as delivered",
        Action::Revoke => "revoke benefits",
        Action::Expire => "expire benefits",
    }
}

fn past_words(a: Action) -> &'static str {
    match a {
        Action::Activate => "activated",
        Action::OptOut => "opted out",
        Action::MarkContacted => "marked as contacted",
        Action::MarkInProgress => "marked as in progress",
        Action::MarkDelivered => "marked as delivered",
        Action::Revoke => "revoked",
        Action::Expire => "expired",
    }
}

/// The refusal for a status that cannot take any further partner action.
fn final_status_error(status: BenefitStatus, action: Action) -> TransitionError {
    match status {
        BenefitStatus::Delivered => TransitionError::AlreadyDelivered,
        BenefitStatus::Revoked => TransitionError::Revoked,
        BenefitStatus::Expired => TransitionError::Expired,
        BenefitStatus::Locked => TransitionError::NotUnlocked,
        from => TransitionError::InvalidTransition { from, action },
    }
}

fn require_partner(actor: Actor, action: Action) -> Result<(), TransitionError> {
    if actor.acts_for_partner() {
        Ok(())
    } else {
        Err(TransitionError::NotAllowedForRole { role: actor.role, action })
    }
}

fn require_operator(actor: Actor, action: Action) -> Result<(), TransitionError> {
    if actor.role == Role::Operator {
        Ok(())
    } else {
        Err(TransitionError::NotAllowedForRole { role: actor.role, action })
    }
}

/// Activates a benefit. Needs an assigned marketing contact; records the
/// contact-by date (7 days) and, for expiring benefits, the expiry date.
/// A benefit the partner opted out of may be activated again.
pub fn activate(
    state: &BenefitState,
    actor: Actor,
    contact_assigned: bool,
    expires_after_days: Option<u32>,
    today: NaiveDate,
) -> Result<BenefitState, TransitionError> {
    let status = state.status_on(today);
    require_partner(actor, Action::Activate)?;
    match status {
        BenefitStatus::Unlocked | BenefitStatus::OptedOut => {}
        s if s.is_active() => return Err(TransitionError::AlreadyActive),
        s => return Err(final_status_error(s, Action::Activate)),
    }
    if !contact_assigned {
        return Err(TransitionError::MarketingContactRequired);
    }
    Ok(BenefitState {
        status: BenefitStatus::Activated,
        activated_on: Some(today),
        contact_by: Some(today + Days::new(CONTACT_WITHIN_DAYS)),
        expires_on: expires_after_days.map(|d| today + Days::new(d as u64)),
        changed_on: Some(today),
        revocation: None,
        note: None,
    })
}

/// The partner opts out, at any time before delivery.
pub fn opt_out(state: &BenefitState, actor: Actor, today: NaiveDate) -> Result<BenefitState, TransitionError> {
    require_partner(actor, Action::OptOut)?;
    match state.status_on(today) {
        s if s == BenefitStatus::Unlocked || s.is_active() => {}
        BenefitStatus::OptedOut => return Err(TransitionError::AlreadyOptedOut),
        s => return Err(final_status_error(s, Action::OptOut)),
    }
    Ok(BenefitState { status: BenefitStatus::OptedOut, changed_on: Some(today), ..state.clone() })
}

/// A partner's action (`Activate` or `OptOut`) by the same rules as
/// [`activate`] and [`opt_out`]; any other action is not a partner's.
pub fn partner_action(
    state: &BenefitState,
    action: Action,
    actor: Actor,
    contact_assigned: bool,
    expires_after_days: Option<u32>,
    today: NaiveDate,
) -> Result<BenefitState, TransitionError> {
    match action {
        Action::Activate => activate(state, actor, contact_assigned, expires_after_days, today),
        Action::OptOut => opt_out(state, actor, today),
        other => Err(TransitionError::NotAllowedForRole { role: actor.role, action: other }),
    }
}

/// The operator moves an active benefit along: activated → contacted →
/// in progress → delivered (a step may be skipped forwards, never backwards).
pub fn advance(
    state: &BenefitState,
    actor: Actor,
    to: BenefitStatus,
    today: NaiveDate,
) -> Result<BenefitState, TransitionError> {
    let action = Action::advancing_to(to)
        .ok_or(TransitionError::InvalidTransition { from: state.status, action: status_action(to) })?;
    require_operator(actor, action)?;
    let from = state.status_on(today);
    let rank = |s: BenefitStatus| match s {
        BenefitStatus::Activated => 1,
        BenefitStatus::Contacted => 2,
        BenefitStatus::InProgress => 3,
        BenefitStatus::Delivered => 4,
        _ => 0,
    };
    if !from.is_active() {
        return Err(match from {
            BenefitStatus::Unlocked | BenefitStatus::OptedOut => TransitionError::InvalidTransition { from, action },
            s => final_status_error(s, action),
        });
    }
    if rank(to) <= rank(from) {
        return Err(TransitionError::InvalidTransition { from, action });
    }
    Ok(BenefitState { status: to, changed_on: Some(today), ..state.clone() })
}

/// The operator moves an engagement to its next delivery step (see
/// [`BenefitStatus::next_delivery_step`]); the same checks as [`advance`].
pub fn advance_next(state: &BenefitState, actor: Actor, today: NaiveDate) -> Result<BenefitState, TransitionError> {
    let from = state.status_on(today);
    match from.next_delivery_step() {
        Some(to) => advance(state, actor, to, today),
        None => {
            require_operator(actor, Action::MarkContacted)?;
            Err(match from {
                BenefitStatus::Locked => TransitionError::NotUnlocked,
                BenefitStatus::Unlocked | BenefitStatus::OptedOut => TransitionError::InvalidTransition { from, action: Action::MarkContacted },
                s => final_status_error(s, Action::MarkContacted),
            })
        }
    }
}

/// The action that leads to `s` (for a refusal's wording).
fn status_action(s: BenefitStatus) -> Action {
    Action::ALL.into_iter().find(|a| a.status() == s).unwrap_or(Action::MarkDelivered)
}

/// The operator revokes a benefit with a program reason. Final.
pub fn revoke(
    state: &BenefitState,
    actor: Actor,
    reason: RevocationReason,
    note: Option<String>,
    today: NaiveDate,
) -> Result<BenefitState, TransitionError> {
    require_operator(actor, Action::Revoke)?;
    match state.status {
        BenefitStatus::Revoked => return Err(TransitionError::Revoked),
        BenefitStatus::Locked => return Err(TransitionError::NotUnlocked),
        _ => {}
    }
    Ok(BenefitState {
        status: BenefitStatus::Revoked,
        changed_on: Some(today),
        revocation: Some(reason),
        note: note.filter(|n| !n.trim().is_empty()),
        ..state.clone()
    })
}

/// Records the expiry of an active benefit whose expiry date has come.
/// Anyone may record it: it only writes down what the dates already say.
pub fn expire(state: &BenefitState, today: NaiveDate) -> Result<BenefitState, TransitionError> {
    if !state.status.is_active() {
        return Err(match state.status {
            BenefitStatus::Expired => TransitionError::Expired,
            from => TransitionError::InvalidTransition { from, action: Action::Expire },
        });
    }
    if state.status_on(today) != BenefitStatus::Expired {
        return Err(TransitionError::NotExpiredYet);
    }
    Ok(BenefitState { status: BenefitStatus::Expired, changed_on: Some(today), ..state.clone() })
}

/// Which actions the actor could take on this benefit today, for the UI's
/// buttons. Activation is listed whether or not a marketing contact is
/// assigned: the UI shows it disabled with that reason.
pub fn available_actions(state: &BenefitState, actor: Actor, today: NaiveDate) -> Vec<Action> {
    let mut out = Vec::new();
    if activate(state, actor, true, None, today).is_ok() {
        out.push(Action::Activate);
    }
    if opt_out(state, actor, today).is_ok() {
        out.push(Action::OptOut);
    }
    for (to, action) in [
        (BenefitStatus::Contacted, Action::MarkContacted),
        (BenefitStatus::InProgress, Action::MarkInProgress),
        (BenefitStatus::Delivered, Action::MarkDelivered),
    ] {
        if advance(state, actor, to, today).is_ok() {
            out.push(action);
        }
    }
    if revoke(state, actor, RevocationReason::Delisted, None, today).is_ok() {
        out.push(Action::Revoke);
    }
    out
}
