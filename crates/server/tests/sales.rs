//! The partner's sales lines, paged by the server, and a partner with 100,000
//! lines in a year: its workspace stays small (daily totals), its offline copy
//! fits local storage, its sales list answers a page.

mod common;

use common::*;
use serde_json::Value;

/// Seven lines of acme's: counted, excluded and outside the window (today 2025-07-15).
async fn acme_sales(app: &TestApp) {
    app.offers("acme").await;
    app.feed(
        "sales",
        "external_id,partner_id,offer_id,date,amount_usd,status\n\
         A1,acme,saas-1,2025-07-01,300.00,billed\n\
         A2,acme,saas-1,2025-03-10,100.00,billed\n\
         A3,acme,list-1,2025-05-05,200.00,billed\n\
         A4,acme,saas-1,2025-02-02,50.00,fraud\n\
         A5,acme,saas-1,2025-01-20,75.00,cancelled_accidental\n\
         A6,acme,saas-1,2024-06-30,900.00,billed\n\
         A7,acme,list-1,2024-04-01,10.00,billed\n",
    )
    .await;
}

async fn page(app: &TestApp, s: &Session, query: &str) -> Value {
    app.get(&format!("/api/partners/acme/sales{query}")).session(s).send().await.expect(200).json()
}

fn dates(page: &Value) -> Vec<&str> {
    page["items"].as_array().unwrap().iter().map(|i| i["date"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_sales_list_is_filtered_sorted_and_paged_with_the_rules_verdicts() {
    let (app, w) = TestApp::world().await;
    acme_sales(&app).await;

    let all = page(&app, &w.acme_member, "").await;
    assert_eq!(all["total"], 7);
    assert_eq!(all["as_of"], TODAY);
    assert_eq!(dates(&all), ["2024-04-01", "2024-06-30", "2025-01-20", "2025-02-02", "2025-03-10", "2025-05-05", "2025-07-01"], "oldest first by default");
    let s = &all["summary"];
    assert_eq!((s["lines"].as_u64(), s["counted_lines"].as_u64(), s["excluded_lines"].as_u64(), s["outside_lines"].as_u64()), (Some(7), Some(3), Some(2), Some(2)));
    assert_eq!(s["counted_usd"], "600.00");
    assert_eq!(s["offers"], serde_json::json!(["list-1", "saas-1"]));
    assert_eq!(all["items"][0]["verdict"], "before_window");
    assert_eq!(all["items"][3]["verdict"], "fraud");
    assert_eq!(all["items"][6]["verdict"], "counted");

    // A page, newest first; the next page continues where it stopped.
    let first = page(&app, &w.acme_member, "?limit=3&desc=true").await;
    assert_eq!(dates(&first), ["2025-07-01", "2025-05-05", "2025-03-10"]);
    assert_eq!((first["total"].as_u64(), first["offset"].as_u64(), first["limit"].as_u64()), (Some(7), Some(0), Some(3)));
    let second = page(&app, &w.acme_member, "?limit=3&desc=true&offset=3").await;
    assert_eq!(dates(&second), ["2025-02-02", "2025-01-20", "2024-06-30"]);
    let past = page(&app, &w.acme_member, "?offset=50").await;
    assert_eq!((past["items"].as_array().unwrap().len(), past["total"].as_u64()), (0, Some(7)));

    // Filters combine; the summary is of all the lines whatever the filters.
    let counted = page(&app, &w.acme_member, "?verdict=counted&sort=amount&desc=true").await;
    assert_eq!(counted["items"].as_array().unwrap().iter().map(|i| i["amount_usd"].as_str().unwrap()).collect::<Vec<_>>(), ["300.00", "200.00", "100.00"]);
    assert_eq!(counted["summary"]["lines"], 7);
    assert_eq!(dates(&page(&app, &w.acme_member, "?verdict=excluded").await), ["2025-01-20", "2025-02-02"]);
    assert_eq!(dates(&page(&app, &w.acme_member, "?verdict=outside").await), ["2024-04-01", "2024-06-30"]);
    assert_eq!(dates(&page(&app, &w.acme_member, "?offer=list-1").await), ["2024-04-01", "2025-05-05"]);
    assert_eq!(dates(&page(&app, &w.acme_member, "?status=fraud").await), ["2025-02-02"]);
    assert_eq!(dates(&page(&app, &w.acme_member, "?from=2025-02-02&to=2025-05-05").await), ["2025-02-02", "2025-03-10", "2025-05-05"]);
    assert_eq!(page(&app, &w.acme_member, "?from=2025-06-01&to=2025-01-01").await["total"], 0, "a from after to is an empty range");
    assert_eq!(page(&app, &w.acme_member, "?offer=nope").await["total"], 0);
}

#[tokio::test]
async fn bad_sales_queries_get_a_4xx_naming_the_field() {
    let (app, w) = TestApp::world().await;
    acme_sales(&app).await;
    // Out of bounds: the field is named in `field`.
    for (query, field) in [("?limit=0", "limit"), ("?limit=201", "limit"), ("?offset=1000000001", "offset")] {
        let res = app.get(&format!("/api/partners/acme/sales{query}")).session(&w.acme_admin).send().await;
        assert_eq!(res.status.as_u16(), 400, "{query}: {}", res.text);
        assert_eq!(res.json()["field"], field, "{query}: {}", res.text);
    }
    // Not of the type: the query extractor's message names the field.
    for (query, field) in [
        ("?offset=-1", "offset"),
        ("?sort=price", "sort"),
        ("?verdict=maybe", "verdict"),
        ("?status=paid", "status"),
        ("?from=2025-13-01", "from"),
        ("?to=yesterday", "to"),
        ("?desc=sometimes", "desc"),
    ] {
        let res = app.get(&format!("/api/partners/acme/sales{query}")).session(&w.acme_admin).send().await;
        assert_eq!(res.status.as_u16(), 400, "{query}: {}", res.text);
        assert_eq!(res.code(), "bad_request");
        assert!(res.json()["message"].as_str().unwrap().contains(field), "{query}: {}", res.text);
    }
    let unknown = app.get("/api/partners/acme/sales?page=2").session(&w.acme_admin).send().await;
    assert_eq!(unknown.status.as_u16(), 400, "{}", unknown.text);
}

#[tokio::test]
async fn a_partner_sees_only_its_own_sales_and_operators_use_their_routes() {
    let (app, w) = TestApp::world().await;
    acme_sales(&app).await;
    app.get("/api/partners/acme/sales").session(&w.globex_admin).send().await.expect_error(404, "not_found");
    app.get("/api/partners/acme/sales").session(&w.operator).send().await.expect_error(403, "forbidden");
    app.get("/api/partners/acme/sales").send().await.expect(401);
    let globex = app.get("/api/partners/globex/sales").session(&w.globex_member).send().await.expect(200).json();
    assert_eq!(globex["total"], 0);
    assert_eq!(globex["summary"]["lines"], 0);
}

/// The encoded body of `uri` as the server sends it with `accept` (the test
/// client keeps text, and brotli is not UTF-8).
async fn encoded(app: &TestApp, uri: &str, s: &Session, accept: &str) -> (String, Vec<u8>) {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::get(uri).header("host", "localhost").header("cookie", &s.cookie).header("accept-encoding", accept).body(Body::empty()).unwrap();
    let res = app.app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), 200, "{uri}");
    let encoding = res.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (encoding, res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// 100,000 lines in the year before today (a SaaS billing some 8,000
/// customers monthly), through the feed as the marketplace sends them.
async fn big_partner(app: &TestApp) {
    app.offers("acme").await;
    let mut csv = String::with_capacity(100_000 * 60);
    csv.push_str("external_id,partner_id,offer_id,date,amount_usd,status\n");
    let start = date("2024-07-16");
    for i in 0..100_000u64 {
        let day = start + chrono::Days::new(i % 365);
        let status = match i % 100 {
            0 => "fraud",
            1 => "cancelled_accidental",
            2 => "cancelled_before_use",
            _ => "billed",
        };
        let offer = if i % 4 == 0 { "list-1" } else { "saas-1" };
        csv.push_str(&format!("B{i},acme,{offer},{day},{}.{:02},{status}\n", 20 + i % 180, i % 100));
    }
    app.feed("sales", &csv).await;
}

#[tokio::test]
async fn a_partner_with_100_000_lines_gets_a_small_workspace_a_small_offline_copy_and_a_page_of_sales() {
    let (app, w) = TestApp::world().await;
    let t0 = std::time::Instant::now();
    big_partner(&app).await;
    let fed = t0.elapsed();
    let uri = "/api/partners/acme/workspace";

    let t1 = std::time::Instant::now();
    let plain = app.get(uri).session(&w.acme_admin).send().await.expect(200);
    let first = t1.elapsed();
    let ws = plain.json();
    assert!(app.ctx.cache.weight() > 5_000_000, "the large partner's snapshot is kept: {} bytes cached", app.ctx.cache.weight());
    assert_eq!(daily_lines(&ws), 100_000, "every line is in a daily total");
    // The offline copy is this workspace without personal data plus a timestamp (src/offline.rs).
    let stored = plain.text.len();
    assert!(stored + 1024 <= 1024 * 1024, "offline copy {stored} bytes, budget 1 MB");

    let (br_enc, br) = encoded(&app, uri, &w.acme_admin, "br").await;
    let (gz_enc, gz) = encoded(&app, uri, &w.acme_admin, "gzip").await;
    assert_eq!((br_enc.as_str(), gz_enc.as_str()), ("br", "gzip"));
    assert!(br.len() <= 100 * 1024, "workspace {} bytes brotli, budget 100 KB", br.len());
    assert!(gz.len() <= 100 * 1024, "workspace {} bytes gzip, budget 100 KB", gz.len());

    // The browser's evaluation of the totals is the server's of the lines.
    let export = app.get("/api/partners/acme/export.json").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws), export["evaluation"]);

    let t2 = std::time::Instant::now();
    let newest = page(&app, &w.acme_member, "?limit=50&desc=true&verdict=excluded").await;
    let paged = t2.elapsed();
    assert_eq!(newest["items"].as_array().unwrap().len(), 50);
    assert_eq!(newest["total"], 3_000);
    assert_eq!(newest["summary"]["lines"], 100_000);
    let items = newest["items"].as_array().unwrap();
    assert!(items.iter().all(|i| ["fraud", "cancelled_accidental", "cancelled_before_use"].contains(&i["verdict"].as_str().unwrap())));
    assert!(items.windows(2).all(|p| p[0]["date"].as_str() >= p[1]["date"].as_str()), "newest first");
    assert_eq!(items[0]["date"], "2025-07-13", "the newest excluded line of the generator");
    let (_, page_br) = encoded(&app, "/api/partners/acme/sales?limit=200", &w.acme_member, "br").await;

    // Figures (debug build; docs/LOAD.md): never asserted.
    println!(
        "100,000-line partner: feed {fed:.1?}; workspace {stored} bytes JSON, {} brotli, {} gzip, first GET {first:.1?}; sales page of 50 {paged:.1?}, page of 200 {} bytes brotli",
        br.len(),
        gz.len(),
        page_br.len()
    );
}
