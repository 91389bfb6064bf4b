//! The console's lists at program scale and its bulk actions: the activation
//! queue and the sales lines, filtered and paged in the database with their
//! totals (first, last, empty and past-the-end pages over thousands of rows,
//! bounds refused naming the field); bulk fraud flags and bulk moves, all or
//! nothing and audited per row; none of it open to partners.

mod common;

use std::collections::HashSet;

use benefits_domain::activation::{BenefitState, BenefitStatus};
use common::*;
use serde_json::{json, Value};

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

/// `n` partners `q00000…` from the feed; every third is assigned to `manager`.
async fn partners(app: &TestApp, n: usize, manager: &str) {
    let mut csv = String::from("partner_id,name,account_email\n");
    for i in 0..n {
        csv.push_str(&format!("q{i:05},Queue {i:05},owner@q{i:05}.example\n"));
    }
    app.feed("partners", &csv).await;
    sqlx::query("UPDATE partners SET engagement_manager_id = $1 WHERE id LIKE 'q%' AND CAST(substr(id, 2) AS INTEGER) % 3 = 0")
        .bind(manager)
        .execute(app.pool())
        .await
        .unwrap();
}

/// One engagement stored for `pid`, as the transitions store it.
async fn engagement(app: &TestApp, pid: &str, status: BenefitStatus, contact_by: &str, expires_on: Option<&str>) {
    let mut s = BenefitState::initial(true);
    s.status = status;
    s.activated_on = Some(date("2025-06-20"));
    s.contact_by = Some(date(contact_by));
    s.expires_on = expires_on.map(date);
    sqlx::query(
        "INSERT INTO benefit_records (partner_id, benefit_id, year_start, status, contact_by, state_json, catalog_version, version, updated_at) \
         VALUES ($1, 'listing-optimization', '2025-01-01', $2, $3, $4, 'test', 1, 'now')",
    )
    .bind(pid)
    .bind(status.as_str())
    .bind(contact_by)
    .bind(serde_json::to_string(&s).unwrap())
    .execute(app.pool())
    .await
    .unwrap();
}

/// 1,200 engagements: partner i is overdue (activated, contact by 2025-07-01)
/// when i % 3 == 0, contacted when i % 3 == 1, in progress otherwise.
async fn queue_of_1200(app: &TestApp, manager: &str) {
    partners(app, 1200, manager).await;
    for i in 0..1200 {
        let (status, by) = match i % 3 {
            0 => (BenefitStatus::Activated, "2025-07-01"),
            1 => (BenefitStatus::Contacted, "2025-07-10"),
            _ => (BenefitStatus::InProgress, "2025-07-12"),
        };
        engagement(app, &format!("q{i:05}"), status, by, None).await;
    }
}

#[tokio::test]
async fn the_queue_pages_thousands_of_engagements_overdue_first_with_its_counts_and_no_cap() {
    let (app, w) = TestApp::world().await;
    let mgr = app.user(None, "manager@program.example", "operator").await;
    queue_of_1200(&app, &mgr).await;
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = app.get(&format!("/api/operator/activations?limit=200&offset={offset}")).session(&w.operator).send().await.expect(200).json();
        assert_eq!((page["total"].as_u64(), page["overdue"].as_u64(), page["offset"].as_u64(), page["limit"].as_u64()), (Some(1200), Some(400), Some(offset), Some(200)));
        if items(&page).is_empty() {
            break;
        }
        assert_eq!(items(&page).len(), 200);
        seen.extend(items(&page).iter().cloned());
        offset += 200;
    }
    assert_eq!(seen.len(), 1200);
    assert_eq!(seen.iter().map(|e| e["partner_id"].as_str().unwrap()).collect::<HashSet<_>>().len(), 1200, "no engagement on two pages");
    // Overdue first (14 days past 2025-07-01 on 2025-07-15), then by contact-by date.
    assert!(seen[..400].iter().all(|e| e["contact_overdue"] == true && e["days_overdue"] == 14 && e["status"] == "activated"));
    assert!(seen[400..800].iter().all(|e| e["status"] == "contacted" && e["days_overdue"] == 0));
    assert!(seen[800..].iter().all(|e| e["status"] == "in_progress"));
    assert_eq!(seen[0]["partner_id"], "q00000");
    assert_eq!(seen[1199]["partner_id"], "q01199", "the last page ends with the last engagement");
    assert_eq!(seen[0]["engagement_manager_id"], mgr.as_str());

    // The first page by default is 50; a page past the end is empty with the total.
    let first = app.get("/api/operator/activations").session(&w.operator).send().await.expect(200).json();
    assert_eq!(items(&first).len(), 50);
    let past = app.get("/api/operator/activations?offset=5000").session(&w.operator).send().await.expect(200).json();
    assert_eq!(past["total"], 1200);
    assert!(items(&past).is_empty());
    // The last, short page.
    let last = app.get("/api/operator/activations?limit=200&offset=1100").session(&w.operator).send().await.expect(200).json();
    assert_eq!(items(&last).len(), 100);
}

#[tokio::test]
async fn the_queue_filters_by_state_overdue_manager_and_partner_and_drops_expired_engagements() {
    let (app, w) = TestApp::world().await;
    let mgr = app.user(None, "manager@program.example", "operator").await;
    partners(&app, 9, &mgr).await; // q00000, q00003, q00006 are the manager's
    for i in 0..9 {
        let (status, by) = match i % 3 {
            0 => (BenefitStatus::Activated, "2025-07-01"),
            1 => (BenefitStatus::Activated, "2025-07-20"),
            _ => (BenefitStatus::Contacted, "2025-07-01"),
        };
        engagement(&app, &format!("q{i:05}"), status, by, None).await;
    }
    // Expired on its date (today): not worked on any more.
    app.partner("old", "Old Partner").await;
    engagement(&app, "old", BenefitStatus::Activated, "2025-07-01", Some(TODAY)).await;
    // Delivered: not in the queue.
    app.partner("done", "Done Partner").await;
    engagement(&app, "done", BenefitStatus::Delivered, "2025-07-01", None).await;

    let ids = |page: &Value| items(page).iter().map(|e| e["partner_id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let get = |q: &str| {
        let (app, op) = (&app, &w.operator);
        let uri = format!("/api/operator/activations?{q}");
        async move { app.get(&uri).session(op).send().await.expect(200).json() }
    };
    let all = get("").await;
    assert_eq!((all["total"].as_u64(), all["overdue"].as_u64()), (Some(9), Some(3)));
    assert!(!ids(&all).contains(&"old".to_string()) && !ids(&all).contains(&"done".to_string()));
    let overdue = get("overdue=true").await;
    assert_eq!(ids(&overdue), ["q00000", "q00003", "q00006"]);
    assert_eq!(overdue["total"], 3);
    let not_overdue = get("overdue=false").await;
    assert_eq!(not_overdue["total"], 6);
    assert!(items(&not_overdue).iter().all(|e| e["contact_overdue"] == false));
    let contacted = get("status=contacted").await;
    assert_eq!(ids(&contacted), ["q00002", "q00005", "q00008"], "a contacted engagement is not overdue, whatever its date");
    let activated_not_overdue = get("status=activated&overdue=false").await;
    assert_eq!(ids(&activated_not_overdue), ["q00001", "q00004", "q00007"]);
    let managed = get(&format!("manager={mgr}")).await;
    assert_eq!(ids(&managed), ["q00000", "q00003", "q00006"]);
    let managed_contacted = get(&format!("manager={mgr}&status=contacted")).await;
    assert_eq!(managed_contacted["total"], 0);
    assert!(items(&managed_contacted).is_empty());
    assert_eq!(ids(&get("partner_id=q00004").await), ["q00004"]);
    assert_eq!(get("partner_id=nobody").await["total"], 0);
}

#[tokio::test]
async fn list_bounds_are_refused_naming_the_field() {
    let (app, w) = TestApp::world().await;
    for route in ["activations", "sales"] {
        for (bad, field) in [("limit=0", "limit"), ("limit=201", "limit"), ("offset=1000000001", "offset")] {
            let res = app.get(&format!("/api/operator/{route}?{bad}")).session(&w.operator).send().await.expect_error(400, "bad_request");
            assert_eq!(res.json()["field"], field, "{route}?{bad}");
        }
        app.get(&format!("/api/operator/{route}?limit=200")).session(&w.operator).send().await.expect(200);
        app.get(&format!("/api/operator/{route}?colour=red")).session(&w.operator).send().await.expect_error(400, "bad_request");
    }
    let res = app.get("/api/operator/activations?status=delivered").session(&w.operator).send().await.expect_error(400, "bad_request");
    assert!(res.json()["message"].as_str().unwrap().contains("status"), "the refusal names the field");
    app.get("/api/operator/activations?status=shipped").session(&w.operator).send().await.expect_error(400, "bad_request");
    let res = app.get("/api/operator/sales?from=2025-07-02&to=2025-07-01").session(&w.operator).send().await.expect_error(400, "bad_request");
    assert_eq!(res.json()["field"], "to");
    app.get("/api/operator/sales?from=2025-13-01").session(&w.operator).send().await.expect_error(400, "bad_request");
}

/// `n` sales for acme on its transact offer, one a day back from 2025-07-14
/// (S00000 is the newest); every tenth was cancelled by accident.
async fn acme_sales(app: &TestApp, n: usize) {
    app.offers("acme").await;
    let mut csv = String::from("external_id,partner_id,offer_id,date,amount_usd,status\n");
    for i in 0..n {
        let day = date("2025-07-14") - chrono::Days::new(i as u64);
        let status = if i % 10 == 0 { "cancelled_accidental" } else { "billed" };
        csv.push_str(&format!("S{i:05},acme,saas-1,{day},{}.00,{status}\n", 100 + i));
    }
    app.feed("sales", &csv).await;
}

#[tokio::test]
async fn sales_lines_page_through_thousands_newest_first_with_the_total() {
    let (app, w) = TestApp::world().await;
    acme_sales(&app, 2500).await;
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = app.get(&format!("/api/operator/sales?partner_id=acme&limit=200&offset={offset}")).session(&w.operator).send().await.expect(200).json();
        assert_eq!(page["total"], 2500);
        let got = items(&page);
        if got.is_empty() {
            break;
        }
        assert!(got.len() == 200 || offset + got.len() == 2500, "only the last page is short");
        seen.extend(got.iter().map(|s| s["external_id"].as_str().unwrap().to_string()));
        offset += 200;
    }
    assert_eq!(seen.len(), 2500);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 2500);
    assert_eq!((seen[0].as_str(), seen[2499].as_str()), ("S00000", "S02499"), "newest first");
    let one = app.get("/api/operator/sales?limit=1").session(&w.operator).send().await.expect(200).json();
    assert_eq!(items(&one)[0]["partner_id"], "acme");
    assert_eq!(items(&one)[0]["source"]["ingested_via"], "cli", "each line says which ingestion wrote it");
    assert!(items(&one)[0]["source"]["ingestion_id"].is_i64());
    let past = app.get("/api/operator/sales?offset=9000").session(&w.operator).send().await.expect(200).json();
    assert_eq!(past["total"], 2500);
    assert!(items(&past).is_empty());
}

#[tokio::test]
async fn sales_lines_filter_by_partner_offer_status_and_dates() {
    let (app, w) = TestApp::world().await;
    acme_sales(&app, 30).await; // 2025-06-15 … 2025-07-14
    app.offers("globex").await;
    app.feed("sales", "external_id,partner_id,offer_id,date,amount_usd,status\nG1,globex,list-1,2025-07-01,10.00,billed\n").await;
    let get = |q: &str| {
        let (app, op) = (&app, &w.operator);
        let uri = format!("/api/operator/sales?{q}");
        async move { app.get(&uri).session(op).send().await.expect(200).json() }
    };
    assert_eq!(get("").await["total"], 31);
    assert_eq!(get("partner_id=globex").await["total"], 1);
    assert_eq!(get("offer_id=list-1").await["total"], 1);
    assert_eq!(get("partner_id=acme&offer_id=list-1").await["total"], 0);
    assert_eq!(get("status=cancelled_accidental").await["total"], 3);
    assert_eq!(get("status=billed").await["total"], 28);
    // A flag moves a sale to `fraud` for the filter as for the evaluation.
    let s1 = items(&get("partner_id=acme&limit=200").await).iter().find(|s| s["external_id"] == "S00001").unwrap().clone();
    app.post(&format!("/api/operator/sales/{}/fraud", s1["id"])).session(&w.operator).if_match(1).json(&json!({"fraud": true, "note": "Chargeback"})).send().await.expect(200);
    assert_eq!(get("status=fraud").await["total"], 1);
    assert_eq!(get("status=billed").await["total"], 27);
    // Both ends of the range are included.
    let range = get("from=2025-07-01&to=2025-07-10").await;
    assert_eq!(range["total"], 11, "ten acme days and globex's G1");
    assert_eq!(get("from=2025-07-14").await["total"], 1);
    assert_eq!(get("to=2025-06-15").await["total"], 1);
    assert_eq!(get("from=2025-08-01").await["total"], 0);
}

async fn sale_refs(app: &TestApp, op: &Session, external: &[&str]) -> Vec<Value> {
    let page = app.get("/api/operator/sales?partner_id=acme&limit=200").session(op).send().await.expect(200).json();
    external
        .iter()
        .map(|x| {
            let s = items(&page).iter().find(|s| s["external_id"] == *x).unwrap();
            json!({"id": s["id"], "version": s["version"]})
        })
        .collect()
}

#[tokio::test]
async fn three_sales_are_flagged_with_one_note_in_one_action_audited_per_sale() {
    let (app, w) = TestApp::world().await;
    acme_sales(&app, 10).await;
    let refs = sale_refs(&app, &w.operator, &["S00001", "S00002", "S00003"]).await;
    let audit_before = app.count("SELECT COUNT(*) FROM audit_log").await;
    let res = app.post("/api/operator/sales/fraud").session(&w.operator).json(&json!({"sales": refs, "fraud": true, "note": "Chargeback ring"})).send().await.expect(200);
    let out = res.json();
    assert_eq!(out.as_array().unwrap().len(), 3);
    assert!(out.as_array().unwrap().iter().all(|s| s["fraud"] == true && s["fraud_note"] == "Chargeback ring" && s["effective_status"] == "fraud" && s["version"] == 2));
    assert_eq!(app.count("SELECT COUNT(*) FROM sales WHERE fraud = 1 AND fraud_note = 'Chargeback ring'").await, 3);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audit_before + 3);
    let audit = app.get("/api/operator/audit?action=sale.flag_fraud").session(&w.operator).send().await.expect(200).json();
    let targets: HashSet<String> = items(&audit).iter().map(|e| e["target"].as_str().unwrap().to_string()).collect();
    assert_eq!(targets, refs.iter().map(|r| format!("sale:{}", r["id"])).collect());
    assert!(items(&audit).iter().all(|e| e["actor"]["email"] == "ops@program.example" && e["after"]["fraud_note"] == "Chargeback ring"));
    // The evaluation no longer counts them.
    let ws = app.get("/api/operator/partners/acme/overview").session(&w.operator).send().await.expect(200).json();
    // (The workspace carries daily totals: each counts its lines.)
    let fraud_lines: u64 = ws["workspace"]["input"]["daily_sales"].as_array().unwrap().iter().filter(|d| d["status"] == "fraud").map(|d| d["lines"].as_u64().unwrap()).sum();
    assert_eq!(fraud_lines, 3);
}

#[tokio::test]
async fn one_bad_sale_refuses_the_whole_flag_naming_it_and_writes_nothing() {
    let (app, w) = TestApp::world().await;
    acme_sales(&app, 10).await;
    let mut refs = sale_refs(&app, &w.operator, &["S00001", "S00002", "S00003"]).await;
    let snapshot = app.snapshot_db().await;
    let send = |body: Value| {
        let (app, op) = (&app, &w.operator);
        async move { app.post("/api/operator/sales/fraud").session(op).json(&body).send().await }
    };
    // An unknown sale, last.
    let mut with_unknown = refs.clone();
    with_unknown.push(json!({"id": 999_999, "version": 1}));
    let res = send(json!({"sales": with_unknown, "fraud": true, "note": "x"})).await.expect_error(422, "validation_failed");
    assert_eq!(res.json()["field"], "sales[3]");
    // A sale changed since it was read, in the middle.
    refs[1]["version"] = json!(7);
    let res = send(json!({"sales": refs, "fraud": true, "note": "x"})).await.expect_error(412, "version_mismatch");
    assert_eq!(res.json()["field"], "sales[1]");
    refs[1]["version"] = json!(1);
    // The same sale twice, no note, none or too many.
    let twice = json!([refs[0], refs[0]]);
    assert_eq!(send(json!({"sales": twice, "fraud": true, "note": "x"})).await.expect_error(422, "validation_failed").json()["field"], "sales[1]");
    assert_eq!(send(json!({"sales": refs, "fraud": true, "note": "  "})).await.expect_error(422, "validation_failed").json()["field"], "note");
    assert_eq!(send(json!({"sales": [], "fraud": true, "note": "x"})).await.expect_error(422, "validation_failed").json()["field"], "sales");
    let many: Vec<Value> = (0..501).map(|i| json!({"id": i, "version": 1})).collect();
    let too_many = send(json!({"sales": many, "fraud": true, "note": "x"})).await.expect_error(422, "validation_failed").json();
    assert_eq!(too_many["field"], "sales");
    // The limit travels as a parameter, so the app words it in either language.
    assert_eq!((too_many["errors"][0]["code"].as_str(), too_many["errors"][0]["params"]["max"].as_str()), (Some("count"), Some("500")));
    assert_eq!(app.snapshot_db().await, snapshot, "nothing written by any refused request");
    // The good request goes through afterwards.
    send(json!({"sales": refs, "fraud": true, "note": "x"})).await.expect(200);
}

/// Acme with a marketing contact and two activated engagements (listing
/// optimisation and engagement manager), each at version 1.
async fn two_engagements(app: &TestApp, w: &World) {
    app.offers("acme").await;
    app.req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": w.acme_admin_id, "email": "ads@acme.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect(200);
    for bid in ["listing-optimization", "engagement-manager"] {
        app.post(&format!("/api/partners/acme/benefits/{bid}/activate")).session(&w.acme_admin).if_match(0).send().await.expect(200);
    }
}

fn engagement_refs(versions: i64) -> Value {
    json!([
        {"partner_id": "acme", "benefit_id": "listing-optimization", "version": versions},
        {"partner_id": "acme", "benefit_id": "engagement-manager", "version": versions},
    ])
}

#[tokio::test]
async fn two_engagements_move_to_their_next_state_at_once_audited_and_notified_as_one_by_one() {
    let (app, w) = TestApp::world().await;
    two_engagements(&app, &w).await;
    let (audit0, notes0, mail0) = (
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.advance'").await,
        app.count("SELECT COUNT(*) FROM notifications").await,
        app.count("SELECT COUNT(*) FROM mail_outbox").await,
    );
    let moved = app.post("/api/operator/activations/advance").session(&w.operator).json(&json!({"items": engagement_refs(1)})).send().await.expect(200).json();
    assert_eq!(moved.as_array().unwrap().iter().map(|m| m["benefit"]["status"].as_str().unwrap()).collect::<Vec<_>>(), ["contacted", "contacted"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.advance'").await, audit0 + 2, "one entry per engagement");
    let bulk_notes = app.count("SELECT COUNT(*) FROM notifications").await - notes0;
    let bulk_mail = app.count("SELECT COUNT(*) FROM mail_outbox").await - mail0;
    // Again: contacted → in progress.
    let moved = app.post("/api/operator/activations/advance").session(&w.operator).json(&json!({"items": engagement_refs(2)})).send().await.expect(200).json();
    assert!(moved.as_array().unwrap().iter().all(|m| m["benefit"]["status"] == "in_progress" && m["benefit"]["version"] == 3));

    // The same two moves one at a time on another server send exactly as much.
    let (single, w2) = TestApp::world().await;
    two_engagements(&single, &w2).await;
    let (notes1, mail1) = (single.count("SELECT COUNT(*) FROM notifications").await, single.count("SELECT COUNT(*) FROM mail_outbox").await);
    for bid in ["listing-optimization", "engagement-manager"] {
        single.post(&format!("/api/operator/partners/acme/benefits/{bid}/advance")).session(&w2.operator).if_match(1).json(&json!({"to": "contacted"})).send().await.expect(200);
    }
    assert_eq!(single.count("SELECT COUNT(*) FROM notifications").await - notes1, bulk_notes);
    assert_eq!(single.count("SELECT COUNT(*) FROM mail_outbox").await - mail1, bulk_mail);
    assert!(bulk_notes + bulk_mail > 0, "the partner hears of each move");
}

#[tokio::test]
async fn one_engagement_that_cannot_move_refuses_the_whole_move_naming_it() {
    let (app, w) = TestApp::world().await;
    two_engagements(&app, &w).await;
    // Deliver the second one first: it cannot move any further.
    let op = &w.operator;
    for to in ["delivered"] {
        app.post("/api/operator/partners/acme/benefits/engagement-manager/advance").session(op).if_match(1).json(&json!({"to": to})).send().await.expect(200);
    }
    let snapshot = app.snapshot_db().await;
    let mut items = engagement_refs(1);
    items[1]["version"] = json!(2);
    let res = app.post("/api/operator/activations/advance").session(op).json(&json!({"items": items})).send().await.expect_error(409, "already_delivered");
    assert_eq!(res.json()["field"], "items[1]");
    let res = app.post("/api/operator/activations/advance").session(op).json(&json!({"items": engagement_refs(1)})).send().await.expect_error(412, "version_mismatch");
    assert_eq!(res.json()["field"], "items[1]");
    let unknown = json!([{"partner_id": "acme", "benefit_id": "listing-optimization", "version": 1}, {"partner_id": "nobody", "benefit_id": "x", "version": 1}]);
    let res = app.post("/api/operator/activations/advance").session(op).json(&json!({"items": unknown})).send().await.expect_error(422, "validation_failed");
    assert_eq!(res.json()["field"], "items[1]");
    let twice = json!([items[0], items[0]]);
    assert_eq!(app.post("/api/operator/activations/advance").session(op).json(&json!({"items": twice})).send().await.expect_error(422, "validation_failed").json()["field"], "items[1]");
    assert_eq!(app.post("/api/operator/activations/advance").session(op).json(&json!({"items": []})).send().await.expect_error(422, "validation_failed").json()["field"], "items");
    assert_eq!(app.snapshot_db().await, snapshot, "the first engagement did not move either");
}

#[tokio::test]
async fn partners_cannot_use_the_console_lists_bulk_actions_or_overview() {
    let (app, w) = TestApp::world().await;
    two_engagements(&app, &w).await;
    for s in [&w.acme_admin, &w.acme_member, &w.globex_admin] {
        for uri in ["/api/operator/activations", "/api/operator/sales", "/api/operator/sales?partner_id=acme", "/api/operator/partners/acme/overview"] {
            app.get(uri).session(s).send().await.expect_error(403, "forbidden");
        }
        app.post("/api/operator/sales/fraud").session(s).json(&json!({"sales": [{"id": 1, "version": 1}], "fraud": true, "note": "x"})).send().await.expect_error(403, "forbidden");
        app.post("/api/operator/activations/advance").session(s).json(&json!({"items": engagement_refs(1)})).send().await.expect_error(403, "forbidden");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM benefit_records WHERE status <> 'activated'").await, 0);
    // Operators: an unknown partner's overview is a 404.
    app.get("/api/operator/partners/nobody/overview").session(&w.operator).send().await.expect_error(404, "not_found");
}

#[tokio::test]
async fn the_overview_is_the_partner_as_a_whole_with_the_feeds_provenance() {
    let (app, w) = TestApp::world().await;
    two_engagements(&app, &w).await;
    app.feed("bizapps", "partner_id,month,amount_usd\nacme,2025-05,1000.00\n").await;
    let mgr = app.user(None, "manager@program.example", "operator").await;
    app.req("PUT", "/api/operator/partners/acme/engagement-manager").session(&w.operator).json(&json!({"user_id": mgr})).send().await.expect(200);
    let o = app.get("/api/operator/partners/acme/overview").session(&w.operator).send().await.expect(200).json();
    assert_eq!(o["workspace"]["partner"]["name"], "Acme Apps");
    assert_eq!(o["workspace"]["contact"]["phone"], "+14155552671", "operators see the contact's phone");
    let lo = o["workspace"]["benefits"].as_array().unwrap().iter().find(|b| b["id"] == "listing-optimization").unwrap();
    assert_eq!(lo["status"], "activated");
    assert_eq!(o["offers"].as_array().unwrap().len(), 2);
    assert_eq!(o["offers"][0]["source"]["ingested_via"], "cli");
    assert_eq!(o["bizapps"][0]["source"]["ingested_via"], "cli");
    assert!(o["bizapps"][0]["source"]["ingestion_id"].is_i64());
    assert_eq!(o["manager"]["email"], "manager@program.example");
}
