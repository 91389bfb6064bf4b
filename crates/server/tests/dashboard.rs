//! The program dashboard against a hand-computed program: partners per tier
//! and offer type, activations by state, the contact SLA per week (contacted
//! by the seventh day, after it, not yet), grants and deliveries per month,
//! partners within 10 % of their next MBS tier; range edges; operators only.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::{json, Value};

/// Six partners on 2025-07-15 (catalog: MBS tier 2 from $25,000, tier 3 from $100,000):
/// - acme ($30,000: tier 2) and globex ($0: tier 1): list + transact offers;
/// - hooli ($95,000: tier 2, 5 % below tier 3) and initech ($22,500: tier 1,
///   exactly 10 % below tier 2): close to their next tier;
/// - umbrella ($22,499.99: tier 1, just outside 10 %), its list offer delisted today;
/// - wayne: a consulting offer that goes live next month (no tier, no live offer).
async fn program(app: &TestApp) {
    for (id, name) in [("hooli", "Hooli"), ("initech", "Initech"), ("umbrella", "Umbrella"), ("wayne", "Wayne Enterprises")] {
        app.partner(id, name).await;
    }
    for pid in ["acme", "globex", "hooli", "initech", "umbrella"] {
        app.offers(pid).await;
    }
    app.feed(
        "offers",
        "partner_id,offer_id,type,name,live_on,delisted_on\numbrella,list-1,list,Offer list-1,2024-03-01,2025-07-15\nwayne,c-1,consulting,Wayne Advisory,2025-08-01,\n",
    )
    .await;
    app.feed(
        "sales",
        "external_id,partner_id,offer_id,date,amount_usd,status\n\
         A-1,acme,saas-1,2025-02-15,30000.00,billed\n\
         H-1,hooli,saas-1,2025-02-15,95000.00,billed\n\
         I-1,initech,saas-1,2025-02-15,22500.00,billed\n\
         U-1,umbrella,saas-1,2025-02-15,22499.99,billed\n",
    )
    .await;
}

/// One benefit moved by `who` on `day` (a server whose clock says that day,
/// on the same database); returns the benefit's new version.
async fn act(app: &TestApp, day: &str, who: &Session, path: &str, version: i64, to: Option<&str>) -> i64 {
    let on = app.on_day(day).await;
    let req = on.post(path).session(who).if_match(version);
    let req = match to {
        Some(to) => req.json(&json!({"to": to})),
        None => req,
    };
    req.send().await.expect(200).etag().trim_matches('"').parse().unwrap()
}

async fn activate(app: &TestApp, day: &str, who: &Session, pid: &str, bid: &str) {
    act(app, day, who, &format!("/api/partners/{pid}/benefits/{bid}/activate"), 0, None).await;
}

/// The operator moves an activated benefit through `steps` (day, status), starting at version 1.
async fn operator_moves(app: &TestApp, op: &Session, pid: &str, bid: &str, steps: &[(&str, &str)]) {
    let mut v = 1;
    for (day, to) in steps {
        v = act(app, day, op, &format!("/api/operator/partners/{pid}/benefits/{bid}/advance"), v, Some(to)).await;
    }
}

async fn contact(app: &TestApp, day: &str, admin: &Session, pid: &str, user_id: &str) {
    app.on_day(day)
        .await
        .req("PUT", &format!("/api/partners/{pid}/contact"))
        .session(admin)
        .json(&json!({"user_id": user_id, "email": format!("marketing@{pid}.example"), "phone": "+48221234567", "language": "en"}))
        .send()
        .await
        .expect(200);
}

/// Activations in three weeks of May to July, each contacted in time, late or not yet:
/// - week of 2025-05-05: acme listing-optimization (05-05, contacted 05-09: in time),
///   acme promotion-resources (05-07, contacted 05-20: late), globex
///   listing-optimization (05-06, contacted 05-13, the seventh day: in time;
///   delivered 05-30);
/// - week of 2025-06-02: acme engagement-manager (06-03, contacted 06-10: in time; delivered 06-20);
/// - week of 2025-06-30: acme sales-enablement (07-01, never contacted: late on 07-15);
/// - week of 2025-07-14: acme azure-sponsorship-5k (07-14, due 07-21: pending).
async fn activations(app: &TestApp, w: &World) {
    let globex_admin_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'admin@globex.example'").fetch_one(app.pool()).await.unwrap();
    contact(app, "2025-05-05", &w.acme_admin, "acme", &w.acme_admin_id).await;
    contact(app, "2025-05-05", &w.globex_admin, "globex", &globex_admin_id).await;
    activate(app, "2025-05-05", &w.acme_admin, "acme", "listing-optimization").await;
    activate(app, "2025-05-06", &w.globex_admin, "globex", "listing-optimization").await;
    activate(app, "2025-05-07", &w.acme_admin, "acme", "promotion-resources").await;
    operator_moves(app, &w.operator, "acme", "listing-optimization", &[("2025-05-09", "contacted")]).await;
    operator_moves(app, &w.operator, "globex", "listing-optimization", &[("2025-05-13", "contacted"), ("2025-05-20", "in_progress"), ("2025-05-30", "delivered")]).await;
    operator_moves(app, &w.operator, "acme", "promotion-resources", &[("2025-05-20", "contacted")]).await;
    activate(app, "2025-06-03", &w.acme_admin, "acme", "engagement-manager").await;
    operator_moves(app, &w.operator, "acme", "engagement-manager", &[("2025-06-10", "contacted"), ("2025-06-11", "in_progress"), ("2025-06-20", "delivered")]).await;
    activate(app, "2025-07-01", &w.acme_admin, "acme", "sales-enablement").await;
    activate(app, "2025-07-14", &w.acme_admin, "acme", "azure-sponsorship-5k").await;
}

fn sla_by_week(d: &Value) -> BTreeMap<String, [u64; 4]> {
    d["contact_sla"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["week"].as_str().unwrap().to_string(), ["activated", "in_time", "late", "pending"].map(|k| w[k].as_u64().unwrap())))
        .collect()
}

fn states(d: &Value) -> BTreeMap<String, u64> {
    d["activations_by_state"].as_array().unwrap().iter().map(|s| (s["status"].as_str().unwrap().to_string(), s["benefits"].as_u64().unwrap())).collect()
}

#[tokio::test]
async fn the_figures_of_a_hand_computed_program() {
    let (app, w) = TestApp::world().await;
    program(&app).await;
    activations(&app, &w).await;

    let d = app.get("/api/operator/dashboard").session(&w.operator).send().await.expect(200).json();
    assert_eq!((d["from"].as_str(), d["to"].as_str(), d["as_of"].as_str()), (Some("2025-01-15"), Some(TODAY), Some(TODAY)), "six months to today by default");
    assert_eq!(d["partners"], 6);
    assert_eq!(d["by_tier"], json!([{"tier": null, "partners": 1}, {"tier": 1, "partners": 3}, {"tier": 2, "partners": 2}]));
    assert_eq!(
        d["by_offer_type"],
        json!([
            {"offer_type": "list", "partners": 4},
            {"offer_type": "trial", "partners": 0},
            {"offer_type": "consulting", "partners": 0},
            {"offer_type": "transact", "partners": 5},
        ]),
        "umbrella's list offer is delisted today; wayne's consulting offer is not live yet"
    );
    assert_eq!(states(&d), BTreeMap::from([("activated".into(), 2), ("contacted".into(), 2), ("delivered".into(), 2)]));

    let sla = sla_by_week(&d);
    assert_eq!(sla.len(), 27, "every week from the one of 2025-01-15 (Monday 01-13) to the one of 07-15 (Monday 07-14)");
    assert_eq!(sla.keys().next().unwrap(), "2025-01-13");
    assert_eq!(sla["2025-05-05"], [3, 2, 1, 0]);
    assert_eq!(sla["2025-06-02"], [1, 1, 0, 0]);
    assert_eq!(sla["2025-06-30"], [1, 0, 1, 0]);
    assert_eq!(sla["2025-07-14"], [1, 0, 0, 1]);
    assert_eq!(sla.values().map(|w| w[0]).sum::<u64>(), 6, "no other week has an activation");

    let months = d["benefits_by_month"].as_array().unwrap();
    let month_names: Vec<&str> = months.iter().map(|m| m["month"].as_str().unwrap()).collect();
    assert_eq!(month_names, ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]);
    let delivered: Vec<u64> = months.iter().map(|m| m["delivered"].as_u64().unwrap()).collect();
    assert_eq!(delivered, [0, 0, 0, 0, 1, 1, 0]);
    // Grants: every partner's ledger (as its page lists it), bucketed by month.
    let mut granted = BTreeMap::<String, u64>::new();
    for pid in ["acme", "globex", "hooli", "initech", "umbrella", "wayne"] {
        let ledger = app.get(&format!("/api/operator/partners/{pid}/grants")).session(&w.operator).send().await.expect(200).json();
        for g in ledger["grants"].as_array().unwrap() {
            let on = g["granted_on"].as_str().unwrap();
            if ("2025-01-15"..="2025-07-15").contains(&on) {
                *granted.entry(on[..7].to_string()).or_default() += 1;
            }
        }
    }
    assert!(!granted.is_empty(), "the program has grants in the range");
    for m in months {
        let month = m["month"].as_str().unwrap();
        assert_eq!(m["granted"].as_u64().unwrap(), granted.get(month).copied().unwrap_or(0), "{month}");
    }

    assert_eq!(
        d["near_next_tier"],
        json!([
            {"partner_id": "hooli", "name": "Hooli", "tier": 2, "mbs": "95000.00", "next_tier": 3, "next_min": "100000.00", "missing": "5000.00"},
            {"partner_id": "initech", "name": "Initech", "tier": 1, "mbs": "22500.00", "next_tier": 2, "next_min": "25000.00", "missing": "2500.00"},
        ]),
        "umbrella, $0.01 further, is outside the 10 %"
    );
}

#[tokio::test]
async fn the_range_is_inclusive_at_both_ends() {
    let (app, w) = TestApp::world().await;
    program(&app).await;
    activations(&app, &w).await;

    let one_day = app.get("/api/operator/dashboard?from=2025-05-07&to=2025-05-07").session(&w.operator).send().await.expect(200).json();
    assert_eq!(states(&one_day), BTreeMap::from([("contacted".into(), 1)]), "only promotion-resources was activated on 05-07");
    assert_eq!(sla_by_week(&one_day), BTreeMap::from([("2025-05-05".into(), [1, 0, 1, 0])]));
    assert_eq!(one_day["benefits_by_month"].as_array().unwrap().len(), 1);
    assert_eq!(one_day["benefits_by_month"][0]["delivered"], 0);

    let two_days = app.get("/api/operator/dashboard?from=2025-05-05&to=2025-05-06").session(&w.operator).send().await.expect(200).json();
    assert_eq!(states(&two_days), BTreeMap::from([("contacted".into(), 1), ("delivered".into(), 1)]));
    assert_eq!(sla_by_week(&two_days), BTreeMap::from([("2025-05-05".into(), [2, 2, 0, 0])]));

    let june = app.get("/api/operator/dashboard?from=2025-06-20&to=2025-06-20").session(&w.operator).send().await.expect(200).json();
    assert_eq!(june["benefits_by_month"], json!([{"month": "2025-06", "granted": june["benefits_by_month"][0]["granted"], "delivered": 1}]), "delivered on the range's one day");
    assert!(states(&june).is_empty(), "nothing was activated on 06-20");

    let only_to = app.get("/api/operator/dashboard?to=2025-03-31").session(&w.operator).send().await.expect(200).json();
    assert_eq!(only_to["from"], "2024-09-30", "six months before the given end");
}

#[tokio::test]
async fn bad_ranges_are_refused_naming_the_field_and_only_operators_see_it() {
    let (app, w) = TestApp::world().await;
    for (query, field, code) in [
        ("from=2025-07-02&to=2025-07-01", "from", "after_to"),
        ("to=2025-13-01", "to", "not_a_calendar_date"),
        ("from=15.07.2025", "from", "invalid_date"),
        ("from=2019-01-01&to=2025-07-15", "from", "range_too_long"),
    ] {
        let res = app.get(&format!("/api/operator/dashboard?{query}")).session(&w.operator).send().await.expect_error(422, "validation_failed");
        assert_eq!(res.json()["errors"][0]["field"], field, "{query}");
        assert_eq!(res.json()["errors"][0]["code"], code, "{query}");
    }
    let res = app.get("/api/operator/dashboard?since=2025-01-01").session(&w.operator).send().await;
    assert!(res.status.is_client_error(), "an unknown parameter is a client error, got {}", res.status);
    // The longest range is accepted.
    app.get("/api/operator/dashboard?from=2020-07-16&to=2025-07-15").session(&w.operator).send().await.expect(200);

    app.get("/api/operator/dashboard").session(&w.acme_admin).send().await.expect_error(403, "forbidden");
    app.get("/api/operator/dashboard").session(&w.globex_member).send().await.expect_error(403, "forbidden");
    app.get("/api/operator/dashboard").send().await.expect_error(401, "unauthenticated");
}
