//! The impact preview of a proposed catalog version: its changed fields and
//! every partner whose tier or benefits would move, on a hand-computed case;
//! nothing written.

mod common;

use common::*;
use serde_json::json;

const SALE_TIER_2: &str = "external_id,partner_id,offer_id,date,amount_usd,status\nBIG-1,acme,saas-1,2025-02-15,30000.00,billed\n";

#[tokio::test]
async fn raising_the_tier_2_threshold_moves_exactly_the_partner_above_it_and_writes_nothing() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.offers("globex").await;
    app.feed("sales", SALE_TIER_2).await; // Acme: MBS $30,000, tier 2; Globex: tier 1
    let list = app.get("/api/operator/catalogs").session(&w.operator).send().await.expect(200).json();
    let mut catalog = list[0]["catalog"].clone();
    let in_force = catalog["version"].clone();
    catalog["version"] = json!("raised-1");
    catalog["metrics"]["mbs"]["tiers"][1]["min"] = json!("40000.00");

    let before = app.snapshot_db().await;
    let impact = app.post("/api/operator/catalogs/impact").session(&w.operator).json(&catalog).send().await.expect(200).json();
    assert_eq!(app.snapshot_db().await, before, "a preview writes nothing");
    assert_eq!(impact["effective_from"], TODAY);
    assert_eq!(impact["compared_with"], in_force);
    assert_eq!(impact["partners"], 2);
    assert_eq!(impact["tier_changes"], 1);
    let changed = impact["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["partner_id"], "acme");
    assert_eq!(changed[0]["name"], "Acme Apps");
    assert_eq!(changed[0]["impact"]["effective_before"], 2);
    assert_eq!(changed[0]["impact"]["effective_after"], 1);
    assert_eq!(changed[0]["impact"]["unlocked_lost"], json!(["technical-presales", "azure-sponsorship-5k"]), "tier 2's benefits");
    let fields: Vec<&str> = impact["catalog_changes"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["metrics.mbs.tiers[1].min", "version"]);
    assert_eq!(impact["catalog_changes"][0]["before"], "25000.00");
    assert_eq!(impact["catalog_changes"][0]["after"], "40000.00");

    // Below Acme's MBS: nobody moves.
    catalog["metrics"]["mbs"]["tiers"][1]["min"] = json!("29000.00");
    let none = app.post("/api/operator/catalogs/impact").session(&w.operator).json(&catalog).send().await.expect(200).json();
    assert_eq!(none["tier_changes"], 0);
    assert!(none["changed"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_bad_proposal_is_refused_naming_the_field_and_only_operators_preview() {
    let (app, w) = TestApp::world().await;
    let list = app.get("/api/operator/catalogs").session(&w.operator).send().await.expect(200).json();
    let mut catalog = list[0]["catalog"].clone();
    catalog["version"] = json!("");
    let res = app.post("/api/operator/catalogs/impact").session(&w.operator).json(&catalog).send().await.expect_error(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "catalog.version");
    catalog["version"] = json!("next");
    let res = app
        .post("/api/operator/catalogs/impact?effective_from=2020-01-01")
        .session(&w.operator)
        .json(&catalog)
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "effective_from");
    app.post("/api/operator/catalogs/impact").session(&w.acme_admin).json(&catalog).send().await.expect_error(403, "forbidden");
}
