//! The activation journey end to end, concurrency, idempotency, and the operator routes.

mod common;

use common::*;
use serde_json::{json, Value};

fn benefit<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|b| b["id"] == id).unwrap_or_else(|| panic!("{id} listed"))
}

async fn sales(app: &TestApp, pid: &str) {
    let csv = format!(
        "external_id,partner_id,offer_id,date,amount_usd,status\n\
         S1,{pid},saas-1,2024-07-01,20000.00,billed\n\
         S2,{pid},saas-1,2025-01-15,1250,billed\n\
         S3,{pid},saas-1,2025-02-01,5000.00,billed\n\
         S4,{pid},saas-1,2025-06-30,3750.50,billed\n\
         S5,{pid},saas-1,2025-07-10,-250.00,billed\n"
    );
    app.feed("sales", &csv).await;
}

#[tokio::test]
async fn activation_journey_from_missing_contact_to_delivery_opt_out_and_revocation() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    sales(&app, "acme").await;

    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(ws["as_of"], TODAY);
    assert_eq!(evaluation(&ws)["metrics"]["mbs"]["value"], "9750.50", "S3 counts until flagged");
    assert!(ws["contact"].is_null());
    assert_eq!(daily_lines(&ws), 5, "the input the browser can re-run: the five lines as daily totals");
    assert!(ws["input"]["partner"]["sales"].as_array().unwrap().is_empty(), "no lines: they are paged by /sales");
    // The browser's evaluation of the returned input is the server's own.
    let export = app.get("/api/partners/acme/export.json").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws), export["evaluation"]);
    assert!(ws.get("evaluation").is_none() && ws.get("explanation").is_none(), "not sent twice");
    let lo = benefit(&ws["benefits"], "listing-optimization");
    assert_eq!(lo["status"], "unlocked");
    assert_eq!(lo["version"], 0);
    assert_eq!(lo["actions"], json!(["activate", "opt_out"]));
    assert_eq!(benefit(&ws["benefits"], "co-sell")["status"], "locked");

    // 1. No marketing contact: refused.
    app.post("/api/partners/acme/benefits/listing-optimization/activate")
        .session(&w.acme_admin)
        .if_match(0)
        .send()
        .await
        .expect_error(409, "marketing_contact_required");
    // A locked benefit is refused as not unlocked.
    app.post("/api/partners/acme/benefits/co-sell/activate").session(&w.acme_admin).if_match(0).send().await.expect_error(409, "not_unlocked");
    app.post("/api/partners/acme/benefits/no-such-benefit/activate").session(&w.acme_admin).if_match(0).send().await.expect_error(404, "not_found");

    // 2. Assign a contact: the account email is refused, naming `email`.
    let contact = json!({"user_id": w.acme_member_id, "email": "account@acme.example", "phone": "+48 22 123 45 67", "language": "pl"});
    let refused = app.req("PUT", "/api/partners/acme/contact").session(&w.acme_admin).json(&contact).send().await.expect_error(422, "validation_failed");
    let errors = refused.json()["errors"].clone();
    assert_eq!(errors[0]["field"], "email");
    assert_eq!(errors[0]["code"], "same_as_account_email");
    assert_eq!(refused.json()["field"], "email");
    let mut contact = contact;
    contact["email"] = json!("member.marketing@acme.example");
    let assigned = app.req("PUT", "/api/partners/acme/contact").session(&w.acme_admin).json(&contact).send().await.expect(200);
    assert_eq!(assigned.etag(), "\"1\"");
    assert_eq!(assigned.json()["phone"], "+48221234567", "normalised by the domain");

    // 3. Activate (If-Match: the benefit's version 0).
    app.post("/api/partners/acme/benefits/listing-optimization/activate").session(&w.acme_admin).send().await.expect_error(428, "precondition_required");
    let act = app.post("/api/partners/acme/benefits/listing-optimization/activate").session(&w.acme_admin).if_match(0).send().await.expect(200);
    assert_eq!(act.etag(), "\"1\"");
    let b = act.json();
    assert_eq!(b["status"], "activated");
    assert_eq!(b["activated_on"], TODAY);
    assert_eq!(b["contact_by"], "2025-07-22");
    assert_eq!(b["contact_overdue"], false);
    assert_eq!(b["version"], 1);
    app.post("/api/partners/acme/benefits/listing-optimization/activate").session(&w.acme_admin).if_match(1).send().await.expect_error(409, "already_active");
    let rec_catalog: String = sqlx::query_scalar("SELECT catalog_version FROM benefit_records").fetch_one(app.pool()).await.unwrap();
    assert_eq!(rec_catalog, ws["input"]["catalog"]["version"].as_str().unwrap(), "the record keeps the catalog version used");

    // The operator's queue shows it with the contact's details.
    let queue = app.get("/api/operator/activations").session(&w.operator).send().await.expect(200).json()["items"].clone();
    assert_eq!(queue[0]["benefit_id"], "listing-optimization");
    assert_eq!(queue[0]["contact"]["email"], "member.marketing@acme.example");

    // 4. Operator: contacted, then delivered; never backwards.
    let adv = |to: &str, v: i64| {
        let app = &app;
        let op = &w.operator;
        let body = json!({"to": to});
        async move { app.post("/api/operator/partners/acme/benefits/listing-optimization/advance").session(op).if_match(v).json(&body).send().await }
    };
    adv("contacted", 0).await.expect_error(412, "version_mismatch");
    assert_eq!(adv("contacted", 1).await.expect(200).json()["status"], "contacted");
    adv("contacted", 2).await.expect_error(409, "invalid_transition");
    assert_eq!(adv("delivered", 2).await.expect(200).json()["status"], "delivered");
    app.post("/api/operator/partners/acme/benefits/listing-optimization/advance")
        .session(&w.operator)
        .if_match(3)
        .json(&json!({"to": "unlocked"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    // A partner cannot advance.
    app.post("/api/operator/partners/acme/benefits/listing-optimization/advance")
        .session(&w.acme_admin)
        .if_match(3)
        .json(&json!({"to": "delivered"}))
        .send()
        .await
        .expect_error(403, "forbidden");

    // 5. Opt-out of another benefit; then activate it again.
    let out = app.post("/api/partners/acme/benefits/engagement-manager/opt-out").session(&w.acme_admin).if_match(0).send().await.expect(200);
    assert_eq!(out.json()["status"], "opted_out");
    app.post("/api/partners/acme/benefits/engagement-manager/opt-out").session(&w.acme_admin).if_match(1).send().await.expect_error(409, "already_opted_out");
    // A member who is not the contact may not act; the contact may.
    app.user(Some("acme"), "other@acme.example", "member").await;
    let other = app.login("other@acme.example").await;
    app.post("/api/partners/acme/benefits/engagement-manager/activate").session(&other).if_match(1).send().await.expect_error(403, "not_allowed_for_role");
    let again = app.post("/api/partners/acme/benefits/engagement-manager/activate").session(&w.acme_member).if_match(1).send().await.expect(200);
    assert_eq!(again.json()["status"], "activated");

    // 6. Revocation, visible to the partner with its reason.
    app.post("/api/operator/partners/acme/benefits/sales-enablement/revoke")
        .session(&w.operator)
        .if_match(0)
        .json(&json!({"reason": "stolen_goods"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    let rev = app
        .post("/api/operator/partners/acme/benefits/sales-enablement/revoke")
        .session(&w.operator)
        .if_match(0)
        .json(&json!({"reason": "fraudulent_purchases", "note": "Chargebacks on three orders."}))
        .send()
        .await
        .expect(200)
        .json();
    assert_eq!(rev["status"], "revoked");
    app.post("/api/operator/partners/acme/benefits/sales-enablement/revoke")
        .session(&w.operator)
        .if_match(1)
        .json(&json!({"reason": "delisted"}))
        .send()
        .await
        .expect_error(409, "revoked");
    let list = app.get("/api/partners/acme/benefits").session(&w.acme_member).send().await.expect(200).json();
    let se = benefit(&list, "sales-enablement");
    assert_eq!(se["status"], "revoked");
    assert_eq!(se["revocation"]["reason"], "fraudulent_purchases");
    assert_eq!(se["revocation"]["note"], "Chargebacks on three orders.");
    assert_eq!(se["revocation"]["on"], TODAY);
    assert!(se["revocation"]["reason_text"].as_str().unwrap().contains("fraudulent"));
    assert_eq!(se["actions"], json!([]));
    assert_eq!(benefit(&list, "listing-optimization")["status"], "delivered");

    // Every change is in the audit log, with before and after.
    let audit = app.get("/api/partners/acme/audit").session(&w.acme_admin).send().await.expect(200).json()["items"].clone();
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    for a in ["benefit.revoke", "benefit.activate", "benefit.opt_out", "benefit.advance", "contact.assign", "grant.record", "partner.first_benefit_date"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    let revoke = audit.as_array().unwrap().iter().find(|a| a["action"] == "benefit.revoke").unwrap();
    assert_eq!(revoke["actor"]["email"], "ops@program.example");
    assert_eq!(revoke["before"]["state"]["status"], "unlocked");
    assert_eq!(revoke["after"]["state"]["status"], "revoked");
    app.get("/api/partners/acme/audit").session(&w.acme_member).send().await.expect_error(403, "forbidden");
    let all = app.get("/api/operator/audit?partner_id=acme").session(&w.operator).send().await.expect(200).json()["items"].clone();
    assert_eq!(all.as_array().unwrap().len(), audit.as_array().unwrap().len());
}

#[tokio::test]
async fn overdue_contact_is_flagged_and_queued_first() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": w.acme_admin_id, "email": "ads@acme.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect(200);
    app.post("/api/partners/acme/benefits/engagement-manager/activate").session(&w.acme_admin).if_match(0).send().await.expect(200);
    // Pretend the first activation happened ten days earlier.
    let state: String = sqlx::query_scalar("SELECT state_json FROM benefit_records").fetch_one(app.pool()).await.unwrap();
    let state = state.replace("\"2025-07-22\"", "\"2025-07-05\"");
    sqlx::query("UPDATE benefit_records SET state_json = $1, contact_by = '2025-07-05'").bind(state).execute(app.pool()).await.unwrap();
    sqlx::query("UPDATE partners SET data_version = data_version + 1").execute(app.pool()).await.unwrap();
    app.post("/api/partners/acme/benefits/listing-optimization/activate").session(&w.acme_admin).if_match(0).send().await.expect(200);
    let page = app.get("/api/operator/activations").session(&w.operator).send().await.expect(200).json();
    assert_eq!((page["total"].as_u64(), page["overdue"].as_u64()), (Some(2), Some(1)));
    let queue = page["items"].clone();
    assert_eq!(queue.as_array().unwrap().len(), 2);
    assert_eq!(queue[0]["days_overdue"], 10, "contact by 2025-07-05, today 2025-07-15");
    assert_eq!(queue[1]["days_overdue"], 0);
    assert_eq!(queue[0]["benefit_id"], "engagement-manager");
    assert_eq!(queue[0]["contact_overdue"], true);
    assert_eq!(queue[1]["contact_overdue"], false);
    let list = app.get("/api/partners/acme/benefits").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(benefit(&list, "engagement-manager")["contact_overdue"], true);
    let partners = app.get("/api/operator/partners?q=acm").session(&w.operator).send().await.expect(200).json();
    assert_eq!(partners["total"], 1);
    assert_eq!(partners["items"][0]["overdue"], 1);
    assert_eq!(partners["items"][0]["active_activations"], 2);
}

#[tokio::test]
async fn two_simultaneous_activations_yield_exactly_one() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.acme_contact(&w).await;
    for bid in ["listing-optimization", "promotion-resources", "engagement-manager", "sales-enablement"] {
        let uri = format!("/api/partners/acme/benefits/{bid}/activate");
        let (a, b) = tokio::join!(
            app.post(&uri).session(&w.acme_admin).if_match(0).send(),
            app.post(&uri).session(&w.acme_member).if_match(0).send()
        );
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "{bid}: {} / {}", a.text, b.text);
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM benefit_records WHERE benefit_id = $1").bind(bid).fetch_one(app.pool()).await.unwrap();
        assert_eq!(n, 1);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.activate'").await, 4);
}

#[tokio::test]
async fn idempotent_retries_return_the_first_result() {
    let (app, w) = TestApp::world().await;
    app.feed("offers", "partner_id,offer_id,type,name,live_on\nacme,retry-me,trial,Retry me,2025-01-01\n").await;

    // Activation: the retry replays even though the version has moved on.
    app.req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": w.acme_admin_id, "email": "ads@acme.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect(200);
    let uri = "/api/partners/acme/benefits/trial-promotion/activate";
    let a = app.post(uri).session(&w.acme_admin).if_match(0).header("idempotency-key", "act-1").send().await.expect(200);
    let b = app.post(uri).session(&w.acme_admin).if_match(0).header("idempotency-key", "act-1").send().await.expect(200);
    assert_eq!(a.text, b.text);
    assert_eq!(a.json()["expires_on"], "2026-01-11", "trial benefits expire 180 days after activation");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.activate'").await, 1);

}

#[tokio::test]
async fn fraud_flags_with_a_note_change_the_evaluation_and_unflagging_restores_the_feed_status() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    sales(&app, "acme").await;
    let list = app.get("/api/operator/partners/acme/sales").session(&w.operator).send().await.expect(200).json();
    let s3 = list.as_array().unwrap().iter().find(|s| s["external_id"] == "S3").unwrap().clone();
    let id = s3["id"].as_i64().unwrap();
    let uri = format!("/api/operator/sales/{id}/fraud");
    let flag = json!({"fraud": true, "note": "Chargeback cluster from one card"});
    app.post(&uri).session(&w.operator).json(&flag).send().await.expect_error(428, "precondition_required");
    app.post(&uri).session(&w.operator).if_match(7).json(&flag).send().await.expect_error(412, "version_mismatch");
    app.post(&uri).session(&w.acme_admin).if_match(1).json(&flag).send().await.expect_error(403, "forbidden");
    let no_note = app.post(&uri).session(&w.operator).if_match(1).json(&json!({"fraud": true, "note": " "})).send().await;
    assert_eq!(no_note.expect_error(422, "validation_failed").json()["field"], "note");
    let flagged = app.post(&uri).session(&w.operator).if_match(1).json(&flag).send().await.expect(200);
    assert_eq!(flagged.json()["effective_status"], "fraud");
    assert_eq!(flagged.json()["status"], "billed");
    assert_eq!(flagged.json()["fraud_note"], "Chargeback cluster from one card");
    let audit = app.get("/api/operator/audit?partner_id=acme").session(&w.operator).send().await.expect(200).json()["items"].clone();
    let entry = audit.as_array().unwrap().iter().find(|a| a["action"] == "sale.flag_fraud").unwrap();
    assert_eq!(entry["before"]["fraud"], false);
    assert_eq!(entry["after"]["fraud_note"], "Chargeback cluster from one card");
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["metrics"]["mbs"]["value"], "4750.50");
    assert_eq!(evaluation(&ws)["excluded_sales"]["fraud"], 1);
    let un = app.post(&uri).session(&w.operator).if_match(2).json(&json!({"fraud": false, "note": "The bank confirmed the payments"})).send().await.expect(200);
    assert_eq!(un.json()["effective_status"], "billed");
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["metrics"]["mbs"]["value"], "9750.50");
    app.post("/api/operator/sales/99999/fraud").session(&w.operator).if_match(1).json(&flag).send().await.expect_error(404, "not_found");
}

#[tokio::test]
async fn catalogs_are_published_validated_and_used() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    let list = app.get("/api/operator/catalogs").session(&w.operator).send().await.expect(200).json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["current"], true);
    let mut catalog = list[0]["catalog"].clone();
    app.post("/api/operator/catalogs").session(&w.operator).json(&catalog).send().await.expect_error(409, "catalog_version_exists");
    catalog["version"] = json!("test-2");
    catalog["offer_benefits"]["list"] = json!(["no-such-benefit"]);
    let bad = app.post("/api/operator/catalogs").session(&w.operator).json(&catalog).send().await.expect_error(422, "validation_failed");
    assert_eq!(bad.json()["field"], "catalog.offer_benefits.list[0]");
    catalog["offer_benefits"]["list"] = json!(["co-sell"]);
    app.post("/api/operator/catalogs").session(&w.acme_admin).json(&catalog).send().await.expect_error(403, "forbidden");
    let ok = app.post("/api/operator/catalogs").session(&w.operator).json(&catalog).send().await.expect(201).json();
    assert_eq!(ok["version"], "test-2");
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_member).send().await.expect(200).json();
    assert_eq!(ws["input"]["catalog"]["version"], "test-2");
    assert!(evaluation(&ws)["unlocked_benefits"].as_array().unwrap().contains(&json!("co-sell")));
    let list = app.get("/api/operator/catalogs").session(&w.operator).send().await.expect(200).json();
    assert_eq!(list[0]["version"], "test-2");
    assert_eq!(list[0]["current"], true);
    assert_eq!(list[1]["current"], false);
}

#[tokio::test]
async fn what_if_evaluation_needs_no_login_and_stores_nothing() {
    let app = TestApp::new().await;
    let input = std::fs::read_to_string(format!("{}/../domain/tests/data/example-input.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{}/../domain/tests/data/example-output.json", env!("CARGO_MANIFEST_DIR"))).unwrap()).unwrap();
    let before = app.snapshot_db().await;
    let res = app.post("/api/evaluate").raw("application/json", input.clone()).send().await.expect(200);
    assert_eq!(res.json(), expected);
    assert_eq!(app.snapshot_db().await, before);
    let bad = app.post("/api/evaluate").raw("application/json", input.replace("\"billed\"", "\"paid\"")).send().await.expect_error(422, "invalid_input");
    assert_eq!(bad.json()["field"], "partner.sales[0].status");
    // The domain's code and parameters, for a client to word in its user's language.
    assert_eq!(bad.json()["errors"][0]["code"], "unknown_value");
    assert_eq!(bad.json()["errors"][0]["params"]["value"], "paid");
    let huge = format!("{{\"as_of\": \"2025-01-01\", \"pad\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    app.post("/api/evaluate").raw("application/json", huge).send().await.expect_error(413, "payload_too_large");
    app.post("/api/evaluate").header("sec-fetch-site", "cross-site").raw("application/json", input).send().await.expect_error(403, "csrf_failed");
}
