//! Every allowed and forbidden transition of the benefit state machine.

use benefits_domain::activation::{
    activate, advance, advance_next, available_actions, expire, opt_out, revoke, Action, Actor, BenefitState, BenefitStatus as S,
    RevocationReason, Role, TransitionError as E,
};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const ADMIN: Actor = Actor { role: Role::Admin, is_marketing_contact: false };
const CONTACT_MEMBER: Actor = Actor { role: Role::Member, is_marketing_contact: true };
const MEMBER: Actor = Actor { role: Role::Member, is_marketing_contact: false };
const OPERATOR: Actor = Actor { role: Role::Operator, is_marketing_contact: false };

/// A benefit in `status`, activated on 2025-01-01 where that applies.
fn state(status: S) -> BenefitState {
    let mut s = BenefitState::initial(status != S::Locked);
    s.status = status;
    if status.is_active() || matches!(status, S::Delivered | S::Expired) {
        s.activated_on = Some(d("2025-01-01"));
        s.contact_by = Some(d("2025-01-08"));
    }
    s
}

const TODAY: &str = "2025-02-01";

/// What each action does from each status when the right role asks.
fn expected(from: S, action: Action) -> Result<S, E> {
    use Action::*;
    match (action, from) {
        (Activate, S::Unlocked | S::OptedOut) => Ok(S::Activated),
        (Activate, S::Activated | S::Contacted | S::InProgress) => Err(E::AlreadyActive),
        (OptOut, S::Unlocked | S::Activated | S::Contacted | S::InProgress) => Ok(S::OptedOut),
        (OptOut, S::OptedOut) => Err(E::AlreadyOptedOut),
        (MarkContacted, S::Activated) => Ok(S::Contacted),
        (MarkInProgress, S::Activated | S::Contacted) => Ok(S::InProgress),
        (MarkDelivered, S::Activated | S::Contacted | S::InProgress) => Ok(S::Delivered),
        (MarkContacted | MarkInProgress | MarkDelivered, S::Unlocked | S::OptedOut) => Err(E::InvalidTransition { from, action }),
        (MarkContacted | MarkInProgress, S::Contacted | S::InProgress) => Err(E::InvalidTransition { from, action }),
        (Revoke, S::Revoked) => Err(E::Revoked),
        (Revoke, S::Locked) => Err(E::NotUnlocked),
        (Revoke, _) => Ok(S::Revoked),
        (_, S::Delivered) => Err(E::AlreadyDelivered),
        (_, S::Revoked) => Err(E::Revoked),
        (_, S::Expired) => Err(E::Expired),
        (_, S::Locked) => Err(E::NotUnlocked),
        _ => unreachable!("{action:?} from {from:?} is not in the table"),
    }
}

fn apply(state: &BenefitState, actor: Actor, action: Action) -> Result<BenefitState, E> {
    let today = d(TODAY);
    match action {
        Action::Activate => activate(state, actor, true, Some(180), today),
        Action::OptOut => opt_out(state, actor, today),
        Action::MarkContacted => advance(state, actor, S::Contacted, today),
        Action::MarkInProgress => advance(state, actor, S::InProgress, today),
        Action::MarkDelivered => advance(state, actor, S::Delivered, today),
        Action::Revoke => revoke(state, actor, RevocationReason::FraudulentPurchases, Some("Chargebacks".into()), today),
        Action::Expire => expire(state, today),
    }
}

const PARTNER_ACTIONS: [Action; 2] = [Action::Activate, Action::OptOut];
const OPERATOR_ACTIONS: [Action; 4] = [Action::MarkContacted, Action::MarkInProgress, Action::MarkDelivered, Action::Revoke];

#[test]
fn every_transition_for_the_role_that_may_make_it() {
    for from in S::ALL {
        for (action, actors) in PARTNER_ACTIONS.iter().map(|a| (*a, vec![ADMIN, CONTACT_MEMBER]))
            .chain(OPERATOR_ACTIONS.iter().map(|a| (*a, vec![OPERATOR])))
        {
            for actor in actors {
                let got = apply(&state(from), actor, action).map(|s| s.status);
                assert_eq!(got, expected(from, action), "{action:?} from {from:?} by {actor:?}");
            }
        }
    }
}

#[test]
fn every_role_denial() {
    for from in S::ALL {
        for action in PARTNER_ACTIONS {
            for actor in [MEMBER, OPERATOR] {
                assert_eq!(
                    apply(&state(from), actor, action),
                    Err(E::NotAllowedForRole { role: actor.role, action }),
                    "{action:?} from {from:?} by {actor:?}"
                );
            }
        }
        for action in OPERATOR_ACTIONS {
            for actor in [ADMIN, CONTACT_MEMBER, MEMBER] {
                assert_eq!(apply(&state(from), actor, action), Err(E::NotAllowedForRole { role: actor.role, action }));
            }
        }
    }
}

#[test]
fn activation_needs_a_marketing_contact_and_records_the_dates() {
    let s = state(S::Unlocked);
    assert_eq!(activate(&s, ADMIN, false, None, d("2025-03-01")), Err(E::MarketingContactRequired));
    let a = activate(&s, ADMIN, true, Some(180), d("2025-03-01")).unwrap();
    assert_eq!(a.status, S::Activated);
    assert_eq!(a.activated_on, Some(d("2025-03-01")));
    assert_eq!(a.contact_by, Some(d("2025-03-08")), "the Rewards team contacts within one week");
    assert_eq!(a.expires_on, Some(d("2025-08-28")), "180 days later");
    assert_eq!(activate(&s, ADMIN, true, None, d("2025-03-01")).unwrap().expires_on, None);
    // The role is checked before the contact: a member who is not the contact learns about their role.
    assert_eq!(activate(&s, MEMBER, false, None, d("2025-03-01")), Err(E::NotAllowedForRole { role: Role::Member, action: Action::Activate }));
}

#[test]
fn contact_overdue_after_the_contact_by_date_until_contacted() {
    let a = activate(&state(S::Unlocked), ADMIN, true, None, d("2025-03-01")).unwrap();
    assert!(!a.contact_overdue(d("2025-03-08")), "due date itself is not overdue");
    assert!(a.contact_overdue(d("2025-03-09")));
    let c = advance(&a, OPERATOR, S::Contacted, d("2025-03-10")).unwrap();
    assert!(!c.contact_overdue(d("2025-03-10")));
}

#[test]
fn active_benefits_expire_on_their_date() {
    let a = activate(&state(S::Unlocked), ADMIN, true, Some(180), d("2025-03-01")).unwrap();
    assert_eq!(a.status_on(d("2025-08-27")), S::Activated);
    assert_eq!(a.status_on(d("2025-08-28")), S::Expired);
    assert_eq!(expire(&a, d("2025-08-27")), Err(E::NotExpiredYet));
    assert_eq!(expire(&a, d("2025-08-28")).unwrap().status, S::Expired);
    assert_eq!(activate(&a, ADMIN, true, Some(180), d("2025-09-01")), Err(E::Expired));
    assert_eq!(opt_out(&a, ADMIN, d("2025-09-01")), Err(E::Expired));
    assert_eq!(advance(&a, OPERATOR, S::Delivered, d("2025-09-01")), Err(E::Expired));
    let delivered = advance(&a, OPERATOR, S::Delivered, d("2025-04-01")).unwrap();
    assert_eq!(delivered.status_on(d("2026-01-01")), S::Delivered, "a delivered benefit never expires");
    let never = activate(&state(S::Unlocked), ADMIN, true, None, d("2025-03-01")).unwrap();
    assert_eq!(never.status_on(d("2099-01-01")), S::Activated);
    assert_eq!(expire(&never, d("2099-01-01")), Err(E::NotExpiredYet));
    for from in [S::Unlocked, S::Delivered, S::OptedOut, S::Revoked, S::Locked] {
        assert_eq!(expire(&state(from), d("2099-01-01")), Err(E::InvalidTransition { from, action: Action::Expire }));
    }
    assert_eq!(expire(&state(S::Expired), d("2099-01-01")), Err(E::Expired));
}

#[test]
fn revocation_keeps_its_reason_and_note_and_is_final() {
    let r = revoke(&state(S::Contacted), OPERATOR, RevocationReason::SponsorshipPolicyBreach, Some("Crypto mining".into()), d("2025-02-01")).unwrap();
    assert_eq!((r.status, r.revocation, r.note.as_deref()), (S::Revoked, Some(RevocationReason::SponsorshipPolicyBreach), Some("Crypto mining")));
    assert_eq!(r.activated_on, Some(d("2025-01-01")), "history is kept");
    assert_eq!(activate(&r, ADMIN, true, None, d("2025-02-02")), Err(E::Revoked));
    let blank = revoke(&state(S::Unlocked), OPERATOR, RevocationReason::Delisted, Some("  ".into()), d("2025-02-01")).unwrap();
    assert_eq!(blank.note, None);
}

#[test]
fn opting_back_in_after_opting_out() {
    let o = opt_out(&state(S::Activated), CONTACT_MEMBER, d("2025-02-01")).unwrap();
    let a = activate(&o, CONTACT_MEMBER, true, None, d("2025-02-10")).unwrap();
    assert_eq!((a.status, a.contact_by), (S::Activated, Some(d("2025-02-17"))));
}

#[test]
fn available_actions_follow_the_transitions() {
    let today = d(TODAY);
    assert_eq!(available_actions(&state(S::Unlocked), ADMIN, today), vec![Action::Activate, Action::OptOut]);
    assert_eq!(available_actions(&state(S::Unlocked), MEMBER, today), vec![]);
    assert_eq!(available_actions(&state(S::Activated), ADMIN, today), vec![Action::OptOut]);
    assert_eq!(
        available_actions(&state(S::Activated), OPERATOR, today),
        vec![Action::MarkContacted, Action::MarkInProgress, Action::MarkDelivered, Action::Revoke]
    );
    assert_eq!(available_actions(&state(S::InProgress), OPERATOR, today), vec![Action::MarkDelivered, Action::Revoke]);
    assert_eq!(available_actions(&state(S::Revoked), OPERATOR, today), vec![]);
    assert_eq!(available_actions(&state(S::Locked), ADMIN, today), vec![]);
}

#[test]
fn error_codes_are_stable() {
    let codes: Vec<&str> = [
        E::MarketingContactRequired,
        E::NotUnlocked,
        E::AlreadyActive,
        E::AlreadyDelivered,
        E::Revoked,
        E::Expired,
        E::AlreadyOptedOut,
        E::NotAllowedForRole { role: Role::Member, action: Action::Activate },
        E::InvalidTransition { from: S::Unlocked, action: Action::MarkDelivered },
        E::NotExpiredYet,
    ]
    .iter()
    .map(|e| e.code())
    .collect();
    assert_eq!(codes, [
        "marketing_contact_required", "not_unlocked", "already_active", "already_delivered", "revoked", "expired",
        "already_opted_out", "not_allowed_for_role", "invalid_transition", "not_expired_yet"
    ]);
    assert_eq!(
        E::NotAllowedForRole { role: Role::Member, action: Action::Activate }.to_string(),
        "A member who is not the marketing contact cannot activate benefits."
    );
}

#[test]
fn next_step_moves_one_delivery_step_and_only_for_an_operator() {
    let today = d(TODAY);
    for (from, to) in [(S::Activated, S::Contacted), (S::Contacted, S::InProgress), (S::InProgress, S::Delivered)] {
        assert_eq!(from.next_delivery_step(), Some(to));
        let next = advance_next(&state(from), OPERATOR, today).unwrap();
        assert_eq!(next.status, to, "from {from:?}");
        assert_eq!(next, advance(&state(from), OPERATOR, to, today).unwrap(), "the same rule as one named step");
    }
    assert_eq!(advance_next(&state(S::Activated), ADMIN, today), Err(E::NotAllowedForRole { role: Role::Admin, action: Action::MarkContacted }));
    assert_eq!(advance_next(&state(S::Delivered), OPERATOR, today), Err(E::AlreadyDelivered));
    assert_eq!(advance_next(&state(S::Revoked), OPERATOR, today), Err(E::Revoked));
    assert_eq!(advance_next(&state(S::Locked), OPERATOR, today), Err(E::NotUnlocked));
    assert_eq!(advance_next(&state(S::Unlocked), OPERATOR, today), Err(E::InvalidTransition { from: S::Unlocked, action: Action::MarkContacted }));
    let mut expiring = state(S::Activated);
    expiring.expires_on = Some(d("2025-01-20"));
    assert_eq!(advance_next(&expiring, OPERATOR, today), Err(E::Expired), "past its expiry an engagement does not move");
}

#[test]
fn days_overdue_counts_from_the_contact_by_date() {
    let a = state(S::Activated); // contact by 2025-01-08
    assert_eq!(a.days_overdue(d("2025-01-08")), 0, "the due date itself is not overdue");
    assert_eq!(a.days_overdue(d("2025-01-09")), 1);
    assert_eq!(a.days_overdue(d("2025-02-01")), 24);
    assert_eq!(state(S::Contacted).days_overdue(d("2025-02-01")), 0, "contacted: not overdue");
}
