//! The grant ledger: what is granted stays for the benefit year whatever the
//! feed or a new catalog says; only a revocation ends it; the anniversary
//! starts afresh; the first benefit date moves only by an audited correction.

mod common;

use common::*;
use serde_json::{json, Value};

fn benefit<'a>(ws: &'a Value, id: &str) -> &'a Value {
    ws["benefits"].as_array().unwrap().iter().find(|b| b["id"] == id).unwrap_or_else(|| panic!("{id} listed"))
}

fn granted(ledger: &Value) -> Vec<(String, String)> {
    ledger["grants"].as_array().unwrap().iter().map(|g| (g["benefit_id"].as_str().unwrap().into(), g["year_start"].as_str().unwrap().into())).collect()
}

const SALE_TIER_2: &str = "external_id,partner_id,offer_id,date,amount_usd,status\nBIG-1,acme,saas-1,2025-02-15,30000.00,billed\n";

#[tokio::test]
async fn back_dating_a_go_live_through_the_feed_moves_neither_the_first_benefit_date_nor_a_revocation() {
    let (app, w) = TestApp::world().await;
    app.feed("offers", "partner_id,offer_id,type,name,live_on\nacme,list-1,list,Acme Directory,2025-03-01\n").await;
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["benefit_year"]["start"], "2025-03-01");
    // Viewing recorded the grants at once, with their cause.
    let ledger = app.get("/api/partners/acme/grants").session(&w.acme_member).send().await.expect(200).json();
    assert_eq!(ledger["first_benefit_date"], "2025-03-01");
    let lo = ledger["grants"].as_array().unwrap().iter().find(|g| g["benefit_id"] == "listing-optimization").unwrap();
    assert_eq!(lo["granted_on"], "2025-03-01");
    assert_eq!(lo["cause_detail"], json!({"kind": "offer_live", "offer_type": "list", "offer_id": "list-1", "on": "2025-03-01"}));
    assert!(lo["catalog_version"].as_str().unwrap().starts_with("default"));

    app.post("/api/operator/partners/acme/benefits/listing-optimization/revoke")
        .session(&w.operator)
        .if_match(0)
        .json(&json!({"reason": "infringing_content", "note": "Trademark complaint"}))
        .send()
        .await
        .expect(200);
    // The marketplace now reports an earlier go-live.
    let r = app.feed("offers", "partner_id,offer_id,type,name,live_on\nacme,list-1,list,Acme Directory,2024-01-10\n").await;
    assert_eq!(r.updated, 1);

    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["benefit_year"]["start"], "2025-03-01", "the stored first benefit date anchors the year");
    assert_eq!(benefit(&ws, "listing-optimization")["status"], "revoked");
    app.post("/api/partners/acme/benefits/listing-optimization/activate").session(&w.acme_admin).if_match(1).send().await.expect_error(409, "revoked");
    let stored: String = sqlx::query_scalar("SELECT first_benefit_date FROM partners WHERE id = 'acme'").fetch_one(app.pool()).await.unwrap();
    assert_eq!(stored, "2025-03-01");
}

#[tokio::test]
async fn grants_survive_a_metric_drop_and_a_threshold_raised_by_a_new_catalog_version() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.feed("sales", SALE_TIER_2).await;
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["effective_tier"], 2);
    assert_eq!(benefit(&ws, "azure-sponsorship-5k")["status"], "unlocked");
    let ledger = app.get("/api/operator/partners/acme/grants").session(&w.operator).send().await.expect(200).json();
    let azure = ledger["grants"].as_array().unwrap().iter().find(|g| g["benefit_id"] == "azure-sponsorship-5k").unwrap().clone();
    assert_eq!(azure["cause_detail"]["kind"], "tier");
    assert_eq!(azure["cause_detail"]["tier"], 2);
    assert_eq!(azure["cause_detail"]["metric"], "mbs");
    let default_version = azure["catalog_version"].clone();

    // The program raises the tier 2 threshold from today.
    let list = app.get("/api/operator/catalogs").session(&w.operator).send().await.expect(200).json();
    let mut catalog = list[0]["catalog"].clone();
    catalog["version"] = json!("raised-1");
    catalog["metrics"]["mbs"]["tiers"][1]["min"] = json!("50000.00");
    app.post("/api/operator/catalogs").session(&w.operator).json(&catalog).send().await.expect(201);
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(ws["input"]["catalog"]["version"], "raised-1");
    assert_eq!(evaluation(&ws)["metrics"]["mbs"]["tier"], 1, "the new thresholds apply to today's figures");
    assert_eq!(benefit(&ws, "azure-sponsorship-5k")["status"], "unlocked", "but this year's grant stays");
    assert!(ws["input"]["partner"]["granted_benefits"].as_array().unwrap().contains(&json!("azure-sponsorship-5k")), "granted, for the advice");

    // The marketplace corrects the sale down: the metric drops, the grant stays.
    app.feed("sales", &SALE_TIER_2.replace("30000.00", "10.00")).await;
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["metrics"]["mbs"]["value"], "10.00");
    assert_eq!(benefit(&ws, "azure-sponsorship-5k")["status"], "unlocked");
    assert_eq!(evaluation(&ws)["support_ticket"]["advised"], false);
    let ledger = app.get("/api/operator/partners/acme/grants").session(&w.operator).send().await.expect(200).json();
    let azure = ledger["grants"].as_array().unwrap().iter().find(|g| g["benefit_id"] == "azure-sponsorship-5k").unwrap().clone();
    assert_eq!(azure["catalog_version"], default_version, "recorded under the version that granted it");
    // It can still be activated.
    app.req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": w.acme_admin_id, "email": "ads@acme.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect(200);
    app.post("/api/partners/acme/benefits/azure-sponsorship-5k/activate").session(&w.acme_admin).if_match(0).send().await.expect(200);
}

#[tokio::test]
async fn a_catalog_published_ahead_of_its_date_is_scheduled_until_then() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    let list = app.get("/api/operator/catalogs").session(&w.operator).send().await.expect(200).json();
    let mut catalog = list[0]["catalog"].clone();
    catalog["version"] = json!("autumn-1");
    catalog["offer_benefits"]["list"] = json!(["co-sell"]);
    let past = app.post("/api/operator/catalogs?effective_from=2025-01-01").session(&w.operator).json(&catalog).send().await;
    assert_eq!(past.expect_error(422, "validation_failed").json()["field"], "effective_from");
    let ok = app.post("/api/operator/catalogs?effective_from=2025-09-01").session(&w.operator).json(&catalog).send().await.expect(201).json();
    assert_eq!(ok["state"], "scheduled");
    let list = app.get("/api/operator/catalogs").session(&w.operator).send().await.expect(200).json();
    let states: Vec<(&str, &str)> = list.as_array().unwrap().iter().map(|c| (c["version"].as_str().unwrap(), c["state"].as_str().unwrap())).collect();
    assert_eq!(states[0], ("autumn-1", "scheduled"));
    assert_eq!(states[1].1, "in_force");
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_member).send().await.expect(200).json();
    assert_ne!(ws["input"]["catalog"]["version"], "autumn-1");
    // On its day, it is the version in force.
    let later = app.on_day("2025-09-01").await;
    let ws = later.get("/api/partners/acme/workspace").session(&w.acme_member).send().await.expect(200).json();
    assert_eq!(ws["input"]["catalog"]["version"], "autumn-1");
    assert_eq!(benefit(&ws, "co-sell")["status"], "unlocked");
    let what_then = app.get("/api/partners/acme/workspace?as_of=2025-09-02").session(&w.acme_member).send().await.expect(200).json();
    assert_eq!(what_then["input"]["catalog"]["version"], "autumn-1", "the evaluation of a day uses the version in force that day");
}

#[tokio::test]
async fn the_anniversary_starts_a_new_benefit_year_afresh() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.feed("sales", SALE_TIER_2).await;
    app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200);
    let ledger = app.get("/api/partners/acme/grants").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(ledger["first_benefit_date"], "2025-03-01", "the first grant's day: the list offer's anniversary");
    assert!(granted(&ledger).contains(&("azure-sponsorship-5k".into(), "2025-03-01".into())));

    // The day before the anniversary the year's grants hold; on it, the year starts afresh.
    let eve = app.on_day("2026-02-28").await;
    let ws = eve.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(benefit(&ws, "azure-sponsorship-5k")["status"], "unlocked");
    let next = app.on_day("2026-03-01").await;
    let ws = next.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["benefit_year"]["start"], "2026-03-01");
    assert_eq!(benefit(&ws, "azure-sponsorship-5k")["status"], "locked", "the sale left the window: tier 1 only");
    assert_eq!(benefit(&ws, "engagement-manager")["status"], "unlocked");
    let ledger = next.get("/api/partners/acme/grants").session(&w.acme_admin).send().await.expect(200).json();
    let this_year: Vec<String> = granted(&ledger).into_iter().filter(|g| g.1 == "2026-03-01").map(|g| g.0).collect();
    assert!(this_year.contains(&"engagement-manager".to_string()));
    assert!(!this_year.contains(&"azure-sponsorship-5k".to_string()));
    assert!(granted(&ledger).contains(&("azure-sponsorship-5k".into(), "2025-03-01".into())), "last year's grant is history, kept");
    assert_eq!(ledger["first_benefit_date"], "2025-03-01");
}

#[tokio::test]
async fn an_operator_correction_of_the_first_benefit_date_is_audited() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200);
    let uri = "/api/operator/partners/acme/first-benefit-date";
    app.req("PUT", uri).session(&w.operator).json(&json!({"first_benefit_date": "2025-04-01"})).send().await.expect_error(422, "validation_failed");
    app.req("PUT", uri).session(&w.operator).json(&json!({"first_benefit_date": "2026-01-01", "reason": "x"})).send().await.expect_error(422, "validation_failed");
    app.req("PUT", "/api/operator/partners/nobody/first-benefit-date").session(&w.operator).json(&json!({"first_benefit_date": "2025-04-01", "reason": "x"})).send().await.expect_error(404, "not_found");
    let res = app
        .req("PUT", uri)
        .session(&w.operator)
        .json(&json!({"first_benefit_date": "2025-04-01", "reason": "Onboarding was delayed by the program"}))
        .send()
        .await
        .expect(200)
        .json();
    assert_eq!(res, json!({"before": "2025-03-01", "first_benefit_date": "2025-04-01"}));
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["benefit_year"]["start"], "2025-04-01");
    let audit = app.get("/api/operator/audit?partner_id=acme").session(&w.operator).send().await.expect(200).json()["items"].clone();
    let entry = audit.as_array().unwrap().iter().find(|a| a["action"] == "partner.first_benefit_date.correct").unwrap();
    assert_eq!(entry["actor"]["email"], "ops@program.example");
    assert_eq!(entry["before"]["first_benefit_date"], "2025-03-01");
    assert_eq!(entry["after"], json!({"first_benefit_date": "2025-04-01", "reason": "Onboarding was delayed by the program"}));
}
