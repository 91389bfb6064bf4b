//! The outbox's rules and the offline snapshot, in the browser.
#![cfg(target_arch = "wasm32")]

use benefits_app::api::ApiError;
use benefits_app::offline::{Outbox, OutboxItem, OutboxState, Outcome, Snapshot};
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

#[wasm_bindgen_test]
fn the_snapshot_keeps_no_personal_data_and_previews_queued_actions() {
    let catalog: serde_json::Value = serde_json::from_str(benefits_domain::catalog::DEFAULT_CATALOG_JSON).unwrap();
    let server = json!({
        "partner": {"id": "fabrikam", "name": "Fabrikam", "account_email": "account@fabrikam.example"},
        "as_of": "2026-11-01",
        "input": {"as_of": "2026-11-01", "catalog": catalog, "partner": {
            "offers": [{"id": "t", "type": "trial", "live_on": "2026-10-01", "delisted_on": null}]
        }},
        "benefits": [{"id": "trial-promotion", "name": "Free trial promotion", "kind": "marketing", "description": null,
            "status": "unlocked", "unlocked": true, "year_start": "2026-10-01", "activated_on": null, "contact_by": null,
            "contact_overdue": false, "expires_on": null, "revocation": null, "actions": ["activate", "opt_out"], "version": 4}],
        "contact": {"user_id": "u1", "user_name": "Ana Nowak", "email": "ana@fabrikam.example", "phone": "+48221234567", "language": "pl", "version": 2},
        "engagement_manager": {"name": "Sam Lee", "email": "sam@program.example"}
    });
    let server: benefits_api::workspace::Workspace = serde_json::from_value(server).unwrap();
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
