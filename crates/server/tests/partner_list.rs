//! The operators' partner list at program scale: read from the per-partner
//! summary, paged, sorted, searched and filtered in the database, with the
//! total shown and no silent cap.

mod common;

use std::collections::HashSet;

use common::*;
use serde_json::Value;

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

/// `n` partners through the feed, named so that the name order is known.
async fn many_partners(app: &TestApp, n: usize) {
    let mut csv = String::from("partner_id,name,account_email\n");
    for i in 0..n {
        csv.push_str(&format!("p{i:05},Partner {i:05},owner{i}@p{i:05}.example\n"));
    }
    app.feed("partners", &csv).await;
}

#[tokio::test]
async fn pages_through_more_than_five_hundred_partners_with_the_total_and_no_cap() {
    let (app, w) = TestApp::world().await;
    many_partners(&app, 1234).await;
    let total = 1234 + 2; // and Acme, Globex
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = app.get(&format!("/api/operator/partners?limit=200&offset={offset}")).session(&w.operator).send().await.expect(200).json();
        assert_eq!(page["total"], total);
        assert_eq!(page["limit"], 200);
        assert_eq!(page["offset"], offset);
        let got = ids(&page);
        if got.is_empty() {
            break;
        }
        assert!(got.len() == 200 || offset + got.len() == total, "only the last page is short");
        seen.extend(got);
        offset += 200;
    }
    assert_eq!(seen.len(), total);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), total, "no partner on two pages");
    // By name: "Acme Apps", "Globex Cloud", "Partner 00000", …
    assert_eq!(&seen[..3], ["acme", "globex", "p00000"]);
    assert_eq!(seen.last().unwrap(), "p01233");

    // Past the end: an empty page, the total still right.
    let past = app.get("/api/operator/partners?offset=5000").session(&w.operator).send().await.expect(200).json();
    assert_eq!(past["total"], total);
    assert!(ids(&past).is_empty());
    // The default page is 50.
    let first = app.get("/api/operator/partners").session(&w.operator).send().await.expect(200).json();
    assert_eq!(ids(&first).len(), 50);
    // Descending by name starts at the end.
    let desc = app.get("/api/operator/partners?sort=name&desc=true&limit=2").session(&w.operator).send().await.expect(200).json();
    assert_eq!(ids(&desc), ["p01233", "p01232"]);
}

#[tokio::test]
async fn a_page_size_out_of_range_is_refused_naming_the_field() {
    let (app, w) = TestApp::world().await;
    for (bad, field) in [("limit=0", "limit"), ("limit=201", "limit"), ("tier=1001", "tier"), ("offset=1000000001", "offset")] {
        let res = app.get(&format!("/api/operator/partners?{bad}")).session(&w.operator).send().await.expect_error(400, "bad_request");
        assert_eq!(res.json()["field"], field, "{bad}");
    }
    app.get("/api/operator/partners?sort=size").session(&w.operator).send().await.expect_error(400, "bad_request");
    app.get("/api/operator/partners").session(&w.acme_admin).send().await.expect_error(403, "forbidden");
}

#[tokio::test]
async fn search_finds_a_partner_by_name_id_account_email_or_a_users_email() {
    let (app, w) = TestApp::world().await;
    many_partners(&app, 30).await;
    app.user(Some("p00007"), "jan.kowalski@vendor.example", "member").await;
    for (q, expect) in [("Acme", "acme"), ("p00012", "p00012"), ("owner21@", "p00021"), ("jan.kowalski", "p00007"), ("VENDOR.example", "p00007")] {
        let page = app.get(&format!("/api/operator/partners?q={q}")).session(&w.operator).send().await.expect(200).json();
        assert_eq!(ids(&page), [expect], "search {q}");
        assert_eq!(page["total"], 1);
    }
    // LIKE's wildcards are taken literally.
    let page = app.get("/api/operator/partners?q=%25").session(&w.operator).send().await.expect(200).json();
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn filters_by_tier_offer_type_overdue_and_engagement_manager_and_sorts_by_mbs() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.feed("sales", "external_id,partner_id,offer_id,date,amount_usd,status\nBIG-1,acme,saas-1,2025-02-15,30000.00,billed\n").await;
    let manager = app.user(None, "manager@program.example", "operator").await;
    sqlx::query("UPDATE partners SET engagement_manager_id = $1 WHERE id = 'globex'").bind(&manager).execute(app.pool()).await.unwrap();

    let list = |q: &'static str| {
        let app = &app;
        let op = w.operator.clone();
        async move { ids(&app.get(&format!("/api/operator/partners?{q}")).session(&op).send().await.expect(200).json()) }
    };
    assert_eq!(list("tier=2").await, ["acme"]);
    assert_eq!(list("tier=0").await, ["globex"]);
    assert_eq!(list("tier=1").await, Vec::<String>::new());
    assert_eq!(list("offer_type=transact").await, ["acme"]);
    assert_eq!(list("offer_type=consulting").await, Vec::<String>::new());
    assert_eq!(list(Box::leak(format!("manager={manager}").into_boxed_str())).await, ["globex"]);
    assert_eq!(list("sort=mbs&desc=true").await, ["acme", "globex"]);
    assert_eq!(list("sort=mbs").await, ["globex", "acme"]);
    let acme = app.get("/api/operator/partners?q=acme").session(&w.operator).send().await.expect(200).json();
    assert_eq!(acme["items"][0]["mbs"], "30000.00");
    assert_eq!(acme["items"][0]["effective_tier"], 2);

    // An overdue contact: the activation is older than its week.
    assert_eq!(list("overdue=true").await, Vec::<String>::new());
    app.acme_contact(&w).await;
    app.post("/api/partners/acme/benefits/engagement-manager/activate").session(&w.acme_admin).if_match(0).send().await.expect(200);
    let later = app.on_day("2025-07-25").await;
    let page = later.get("/api/operator/partners?overdue=true").session(&w.operator).send().await.expect(200).json();
    assert_eq!(ids(&page), ["acme"]);
    assert_eq!(page["items"][0]["overdue"], 1);
    assert_eq!(page["items"][0]["active_activations"], 1);
    let page = later.get("/api/operator/partners?overdue=false").session(&w.operator).send().await.expect(200).json();
    assert_eq!(ids(&page), ["globex"]);
}

#[tokio::test]
async fn a_write_is_seen_by_the_next_list_and_the_jobs_refresh_every_stale_summary() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    let before = app.get("/api/operator/partners?q=acme").session(&w.operator).send().await.expect(200).json();
    assert_eq!(before["items"][0]["mbs"], "0.00");
    app.feed("sales", "external_id,partner_id,offer_id,date,amount_usd,status\nS-1,acme,saas-1,2025-02-15,1234.56,billed\n").await;
    let after = app.get("/api/operator/partners?q=acme").session(&w.operator).send().await.expect(200).json();
    assert_eq!(after["items"][0]["mbs"], "1234.56", "the data version moved, so the summary was refreshed");

    // More stale partners than one request refreshes: the rest are counted.
    many_partners(&app, 450).await;
    let page = app.get("/api/operator/partners?limit=1").session(&w.operator).send().await.expect(200).json();
    assert_eq!(page["total"], 452);
    assert_eq!(page["refreshing"], 450 - 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_summary").await, 2 + 200);
    let report = benefits_server::jobs::run_unclaimed(&app.ctx, date(TODAY)).await.unwrap();
    assert_eq!(report.summaries_refreshed, 250);
    let page = app.get("/api/operator/partners?limit=1").session(&w.operator).send().await.expect(200).json();
    assert_eq!(page["refreshing"], 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_summary").await, 452);

    // The next day every summary is stale again, and the jobs refresh them.
    let tomorrow = app.on_day("2025-07-16").await;
    let report = benefits_server::jobs::run_unclaimed(&tomorrow.ctx, date("2025-07-16")).await.unwrap();
    assert_eq!(report.summaries_refreshed, 452);
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_summary WHERE as_of = '2025-07-16'").await, 452);
}
