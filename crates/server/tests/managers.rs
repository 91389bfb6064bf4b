//! Engagement managers: any operator assigns one, the partner sees them, the
//! change is audited; several partners at once, all or nothing.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn an_operator_assigns_a_manager_the_partner_sees_them_and_the_change_is_audited() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await; // a Transact offer is live: the partner has a manager to see
    let manager = app.user(None, "dana.manager@program.example", "operator").await;

    let ops = app.get("/api/operator/operators").session(&w.operator).send().await.expect(200).json();
    assert!(ops.as_array().unwrap().iter().any(|o| o["id"] == manager.as_str() && o["email"] == "dana.manager@program.example"));
    app.get("/api/operator/operators").session(&w.acme_admin).send().await.expect_error(403, "forbidden");

    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert!(ws["engagement_manager"].is_null());
    let done = app
        .req("PUT", "/api/operator/partners/acme/engagement-manager")
        .session(&w.operator)
        .json(&json!({"user_id": manager}))
        .send()
        .await
        .expect(200)
        .json();
    assert_eq!(done["manager"]["email"], "dana.manager@program.example");
    let current = app.get("/api/operator/partners/acme/engagement-manager").session(&w.operator).send().await.expect(200).json();
    assert_eq!(current["manager"]["id"], manager.as_str());
    app.get("/api/operator/partners/acme/engagement-manager").session(&w.acme_admin).send().await.expect_error(403, "forbidden");
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(ws["engagement_manager"]["email"], "dana.manager@program.example", "seen at once (the data version moved)");
    let listed = app.get(&format!("/api/operator/partners?manager={manager}")).session(&w.operator).send().await.expect(200).json();
    assert_eq!(listed["items"][0]["id"], "acme");
    assert_eq!(listed["total"], 1);

    let audit = app.get("/api/operator/audit?partner_id=acme").session(&w.operator).send().await.expect(200).json()["items"].clone();
    let entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "partner.engagement_manager").expect("audited");
    assert!(entry["before"]["engagement_manager_id"].is_null());
    assert_eq!(entry["after"]["engagement_manager_id"], manager.as_str());

    // Removed again.
    app.req("PUT", "/api/operator/partners/acme/engagement-manager").session(&w.operator).json(&json!({"user_id": null})).send().await.expect(200);
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert!(ws["engagement_manager"].is_null());
}

#[tokio::test]
async fn only_an_operator_can_be_a_manager_and_only_an_operator_assigns() {
    let (app, w) = TestApp::world().await;
    let res = app
        .req("PUT", "/api/operator/partners/acme/engagement-manager")
        .session(&w.operator)
        .json(&json!({"user_id": w.acme_admin_id}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "user_id");
    app.req("PUT", "/api/operator/partners/acme/engagement-manager")
        .session(&w.acme_admin)
        .json(&json!({"user_id": null}))
        .send()
        .await
        .expect_error(403, "forbidden");
    app.req("PUT", "/api/operator/partners/acme/engagement-manager").session(&w.operator).json(&json!({})).send().await.expect_error(422, "validation_failed");
    app.req("PUT", "/api/operator/partners/nobody/engagement-manager").session(&w.operator).json(&json!({"user_id": null})).send().await.expect_error(404, "not_found");
}

#[tokio::test]
async fn a_bulk_assignment_is_all_or_nothing_and_audited_per_partner() {
    let (app, w) = TestApp::world().await;
    let manager = app.user(None, "dana.manager@program.example", "operator").await;
    let before = app.snapshot_db().await;
    let res = app
        .post("/api/operator/engagement-managers")
        .session(&w.operator)
        .json(&json!({"partner_ids": ["acme", "nobody", "globex"], "user_id": manager}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "partner_ids[1]");
    assert_eq!(app.snapshot_db().await, before, "nothing written");

    let done = app
        .post("/api/operator/engagement-managers")
        .session(&w.operator)
        .json(&json!({"partner_ids": ["acme", "globex"], "user_id": manager}))
        .send()
        .await
        .expect(200)
        .json();
    assert_eq!(done.as_array().unwrap().len(), 2);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM partners WHERE engagement_manager_id = '{manager}'")).await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'partner.engagement_manager'").await, 2);
    app.post("/api/operator/engagement-managers").session(&w.operator).json(&json!({"partner_ids": [], "user_id": null})).send().await.expect_error(422, "validation_failed");
}
