//! The outbox's rules and the offline snapshot, in the browser.
#![cfg(target_arch = "wasm32")]

use benefits_app::api::ApiError;
use benefits_app::offline::{self, Outbox, OutboxItem, OutboxState, Outcome, Snapshot};
use benefits_domain::activation::Action;
use chrono::NaiveDate;
use serde_json::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn item(key: &str, benefit: &str, action: Action) -> OutboxItem {
    OutboxItem {
        key: key.into(),
        partner_id: "fabrikam".into(),
        benefit_id: benefit.into(),
        benefit_name: benefit.into(),
        action,
        version: 1,
        queued_at: "2026-11-24T00:00:00Z".into(),
        state: OutboxState::Pending,
    }
}

fn err(status: u16, code: &str) -> Result<(), ApiError> {
    Err(ApiError { status, code: code.into(), message: format!("{code} message"), ..ApiError::default() })
}

#[wasm_bindgen_test]
fn answers_are_classified_and_only_an_answer_removes_an_item() {
    assert_eq!(Outcome::from_result(&Ok::<(), ApiError>(())), Outcome::Done);
    for status in [0, 401, 429, 500, 503] {
        assert_eq!(Outcome::from_result(&err(status, "x")), Outcome::TryLater, "{status}");
    }
    assert!(matches!(Outcome::from_result(&err(412, "version_mismatch")), Outcome::Conflict(_)));
    assert_eq!(
        Outcome::from_result(&err(409, "marketing_contact_required")),
        Outcome::Refused { code: "marketing_contact_required".into(), message: "marketing_contact_required message".into() }
    );

    let mut o = Outbox::default();
    o.push(item("k1", "a", Action::Activate));
    o.record("k1", Outcome::TryLater);
    assert_eq!(o.pending_count(), 1, "no answer: kept");
    o.record("k1", Outcome::Conflict("changed".into()));
    assert_eq!((o.pending_count(), o.needs_decision()), (0, 1));
    o.retry("k1", 7, "k1b".into());
    assert_eq!((o.items[0].key.as_str(), o.items[0].version, &o.items[0].state), ("k1b", 7, &OutboxState::Pending));
    o.record("k1b", Outcome::Done);
    assert!(o.items.is_empty());
}

#[wasm_bindgen_test]
fn items_go_in_order_and_wait_behind_an_undecided_item_of_the_same_benefit() {
    let mut o = Outbox::default();
    o.push(item("k1", "a", Action::Activate));
    o.push(item("k2", "a", Action::OptOut));
    o.push(item("k3", "b", Action::Activate));
    assert_eq!(o.next_to_send().map(|i| i.key.as_str()), Some("k1"));
    o.record("k1", Outcome::Refused { code: "not_unlocked".into(), message: "no".into() });
    assert_eq!(o.next_to_send().map(|i| i.key.as_str()), Some("k3"), "k2 waits for the user's decision on k1");
    o.record("k3", Outcome::Done);
    assert_eq!(o.next_to_send(), None);
    o.discard("k1");
    assert_eq!(o.next_to_send().map(|i| i.key.as_str()), Some("k2"));
}

/// A workspace as the server sends it, with personal data in it.
fn workspace_json() -> serde_json::Value {
    let catalog: serde_json::Value = serde_json::from_str(benefits_domain::catalog::DEFAULT_CATALOG_JSON).unwrap();
    json!({
        "partner": {"id": "fabrikam", "name": "Fabrikam", "account_email": "account@fabrikam.example"},
        "as_of": "2026-11-01",
        "input": {"as_of": "2026-11-01", "catalog": catalog, "partner": {
            "offers": [{"id": "t", "type": "trial", "live_on": "2026-10-01", "delisted_on": null}]
        }, "daily_sales": []},
        "benefits": [{"id": "trial-promotion", "name": "Free trial promotion", "kind": "marketing", "description": null,
            "status": "unlocked", "unlocked": true, "year_start": "2026-10-01", "activated_on": null, "contact_by": null,
            "contact_overdue": false, "expires_on": null, "revocation": null, "actions": ["activate", "opt_out"], "version": 4}],
        "contact": {"user_id": "u1", "user_name": "Ana Nowak", "email": "ana@fabrikam.example", "phone": "+48221234567", "language": "pl", "version": 2},
        "engagement_manager": {"name": "Sam Lee", "email": "sam@program.example"}
    })
}

#[wasm_bindgen_test]
fn the_snapshot_keeps_no_personal_data_and_previews_queued_actions() {
    let server: benefits_api::workspace::Workspace = serde_json::from_value(workspace_json()).unwrap();
    let snapshot = Snapshot::of(&server, "2026-11-01T10:00:00Z".into());
    let stored = serde_json::to_string(&snapshot).unwrap();
    for secret in ["@", "48221234567", "Ana Nowak", "Sam Lee"] {
        assert!(!stored.contains(secret), "{secret} must not be stored: {stored}");
    }

    let mut outbox = Outbox::default();
    outbox.push(item("k1", "trial-promotion", Action::Activate));
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let ws = snapshot.for_day(today, &outbox, benefits_domain::activation::Role::Admin);
    assert_eq!((ws.as_of, ws.input.as_of), (today, today), "recomputed for today");
    assert_eq!(ws.evaluation().support_ticket.reason, Some(benefits_domain::evaluate::TicketReason::OfferLiveOver3Weeks));
    assert!(ws.contact.is_some(), "whether a contact is assigned is kept");
    let b = &ws.benefits[0];
    assert_eq!((b.status.as_str(), b.version, b.actions.len()), ("activated", 5, 0), "the queued activation is shown");
    // By the domain's transition: the contact-by date of an activation on `today`.
    assert_eq!(b.activated_on, Some(today));
    assert_eq!(b.contact_by, today.checked_add_days(chrono::Days::new(benefits_domain::activation::CONTACT_WITHIN_DAYS)));
}

fn session_of(user: &str, max_age_days: u32) -> benefits_api::session::SessionInfo {
    serde_json::from_value(json!({
        "user": {"id": user, "email": "x@fabrikam.example", "name": "X", "role": "admin"},
        "partner": {"id": "fabrikam", "name": "Fabrikam", "account_email": "a@fabrikam.example"},
        "csrf_token": "t",
        "offline_max_age_days": max_age_days
    }))
    .unwrap()
}

fn clear_storage() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
}

#[wasm_bindgen_test]
fn a_copy_expires_after_the_servers_number_of_days() {
    let now = js_sys::Date::parse("2026-12-01T12:00:00Z");
    assert!(!offline::is_expired("2026-11-02T12:00:00Z", now, 30), "29 days");
    assert!(offline::is_expired("2026-10-31T11:00:00Z", now, 30), "31 days");
    assert!(offline::is_expired("2026-11-23T12:00:00Z", now, 7), "8 days, 7 allowed");
    assert!(offline::is_expired("not a date", now, 30), "unreadable counts as expired");
}

#[wasm_bindgen_test]
fn another_user_signing_in_keeps_the_previous_users_outbox_but_not_their_copy() {
    clear_storage();
    offline::remember(&session_of("u_first", 30));
    let mut outbox = Outbox::default();
    outbox.push(item("k1", "co-sell", Action::Activate));
    offline::save_outbox("u_first", &outbox);
    offline::save_snapshot("u_first", &Snapshot { saved_at: offline::now_iso(), workspace: serde_json::from_value(workspace_json()).unwrap() });

    offline::remember(&session_of("u_second", 30));
    assert_eq!(offline::current_user().as_deref(), Some("u_second"));
    assert_eq!(offline::load_outbox("u_first"), outbox, "kept for its owner");
    assert!(offline::load_snapshot("u_first").is_none(), "the partner data goes");
    assert_eq!(offline::others_waiting(Some("u_second")), 1);
    assert_eq!(offline::load_outbox("u_second").items.len(), 0, "never the second user's to send");

    // Sign-out keeps unsent actions too; the owner finds them on signing in again.
    offline::forget();
    offline::remember(&session_of("u_first", 30));
    assert_eq!(offline::load_outbox("u_first"), outbox);
    assert_eq!(offline::others_waiting(Some("u_first")), 0);
    clear_storage();
}

#[wasm_bindgen_test]
fn after_a_401_the_copy_is_not_shown_as_signed_in_and_an_old_copy_is_deleted() {
    clear_storage();
    offline::remember(&session_of("u_first", 7));
    let fresh = Snapshot { saved_at: offline::now_iso(), workspace: serde_json::from_value(workspace_json()).unwrap() };
    offline::save_snapshot("u_first", &fresh);
    assert!(offline::offline_session().is_some(), "offline, the remembered user with their copy");

    offline::session_ended();
    assert!(offline::offline_session().is_none(), "after a 401: signed out");
    assert!(offline::load_snapshot("u_first").is_some(), "the copy stays within its age");
    offline::remember(&session_of("u_first", 7));
    assert!(offline::offline_session().is_some(), "signed in again");

    let old = Snapshot { saved_at: "2020-01-01T00:00:00Z".into(), ..fresh };
    offline::save_snapshot("u_first", &old);
    offline::purge_expired();
    assert!(offline::load_snapshot("u_first").is_none());
    assert!(offline::offline_session().is_none());
    clear_storage();
}
