//! The audit trail: filters (partner, actor, action, dates), cursor pages with
//! no gap or repeat, the CSV export of the filtered trail, and who sees what.

mod common;

use std::collections::HashSet;

use common::*;
use serde_json::{json, Value};

fn ids(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect()
}

/// `n` audited changes to `pid` (name edits by the operator).
async fn edits(app: &TestApp, ops: &Session, pid: &str, n: usize) {
    for i in 0..n {
        app.req("PATCH", &format!("/api/operator/partners/{pid}"))
            .session(ops)
            .json(&json!({"name": format!("Name {i}")}))
            .send()
            .await
            .expect(200);
    }
}

#[tokio::test]
async fn cursor_pages_walk_the_whole_trail_newest_first_without_gap_or_repeat() {
    let (app, w) = TestApp::world().await;
    edits(&app, &w.operator, "acme", 2345).await;
    let total = app.count("SELECT COUNT(*) FROM audit_log").await as usize;
    assert!(total >= 2345);
    let mut seen = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let url = match before {
            Some(b) => format!("/api/operator/audit?limit=1000&before={b}"),
            None => "/api/operator/audit?limit=1000".to_string(),
        };
        let page = app.get(&url).session(&w.operator).send().await.expect(200).json();
        let got = ids(&page);
        assert!(got.windows(2).all(|p| p[0] > p[1]), "newest first");
        seen.extend(got);
        match page["next_before"].as_i64() {
            Some(b) => before = Some(b),
            None => break,
        }
    }
    assert_eq!(seen.len(), total, "no silent cap");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), total);
    // The default page is 100; an exact last page has no next cursor.
    let first = app.get("/api/operator/audit").session(&w.operator).send().await.expect(200).json();
    assert_eq!(ids(&first).len(), 100);
    let last = app.get(&format!("/api/operator/audit?limit={total}")).session(&w.operator).send().await;
    let last = if total <= 1000 { last.expect(200).json() } else { last.expect_error(400, "bad_request").json() };
    if total <= 1000 {
        assert!(last["next_before"].is_null());
    }
    let empty = app.get("/api/operator/audit?before=1").session(&w.operator).send().await.expect(200).json();
    assert!(ids(&empty).is_empty());
    assert!(empty["next_before"].is_null());
    for bad in ["limit=0", "limit=1001"] {
        let res = app.get(&format!("/api/operator/audit?{bad}")).session(&w.operator).send().await.expect_error(400, "bad_request");
        assert_eq!(res.json()["field"], "limit");
    }
}

#[tokio::test]
async fn filters_by_partner_actor_action_group_and_date_range() {
    let (app, w) = TestApp::world().await;
    edits(&app, &w.operator, "acme", 3).await;
    edits(&app, &w.operator, "globex", 2).await;
    let manager = app.user(None, "dana@program.example", "operator").await;
    let dana = app.login("dana@program.example").await;
    app.req("PUT", "/api/operator/partners/acme/engagement-manager").session(&dana).json(&json!({"user_id": manager})).send().await.expect(200);

    let get = |q: String| {
        let app = &app;
        let ops = w.operator.clone();
        async move { app.get(&format!("/api/operator/audit?{q}")).session(&ops).send().await.expect(200).json() }
    };
    let acme = get("partner_id=acme&action=partner.update".into()).await;
    assert_eq!(ids(&acme).len(), 3);
    let group = get("partner_id=acme&action=partner".into()).await;
    assert_eq!(ids(&group).len(), 4, "the group has the update and the manager assignment");
    let none = get("action=partne".into()).await;
    assert!(ids(&none).is_empty(), "a group is a whole word before the dot");
    let by_dana = get("actor=DANA@program.example".into()).await;
    assert_eq!(ids(&by_dana).len(), 1);
    assert_eq!(by_dana["items"][0]["action"], "partner.engagement_manager");
    let by_id = get(format!("actor={manager}")).await;
    assert_eq!(ids(&by_id), ids(&by_dana));

    // Dates: every entry today (UTC) is inside today..today and outside yesterday.
    let today = chrono::Utc::now().date_naive();
    let yesterday = today.pred_opt().unwrap();
    let inside = get(format!("partner_id=globex&from={today}&to={today}")).await;
    assert_eq!(ids(&inside).len(), 2);
    let outside = get(format!("partner_id=globex&to={yesterday}")).await;
    assert!(ids(&outside).is_empty());
    let reversed = app.get(&format!("/api/operator/audit?from={today}&to={yesterday}")).session(&w.operator).send().await.expect(200).json();
    assert!(ids(&reversed).is_empty(), "an empty range");
    let res = app.get("/api/operator/audit?before=0").session(&w.operator).send().await.expect_error(400, "bad_request");
    assert_eq!(res.json()["field"], "before");
    app.get("/api/operator/audit?from=2025-02-30").session(&w.operator).send().await.expect_error(400, "bad_request");
}

#[tokio::test]
async fn the_csv_export_has_the_filtered_trail_and_partners_see_only_their_own() {
    let (app, w) = TestApp::world().await;
    edits(&app, &w.operator, "acme", 3).await;
    edits(&app, &w.operator, "globex", 2).await;
    let csv = app.get("/api/operator/audit/export?partner_id=globex").session(&w.operator).send().await.expect(200);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.headers["content-disposition"].to_str().unwrap().contains("audit.csv"));
    let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| &r[4] == "globex" && &r[5] == "partner.update"));
    let after: Value = serde_json::from_str(&rows[0][8]).unwrap();
    assert_eq!(after["name"], "Name 1", "newest first, after as JSON");

    // A partner admin: their own trail only, whatever they ask for.
    let own = app.get("/api/partners/acme/audit").session(&w.acme_admin).send().await.expect(200).json();
    assert!(own["items"].as_array().unwrap().iter().all(|e| e["partner_id"] == "acme"));
    assert_eq!(ids(&own).len(), 3);
    let newest = app.get("/api/operator/audit/export?partner_id=globex&limit=1").session(&w.operator).send().await.expect(200);
    assert_eq!(newest.text.lines().count(), 2, "a header and the newest entry");
    app.get("/api/operator/audit/export?limit=0").session(&w.operator).send().await.expect_error(400, "bad_request");
    let own_csv = app.get("/api/partners/acme/audit/export").session(&w.acme_admin).send().await.expect(200);
    assert!(!own_csv.text.contains("globex"));
    app.get("/api/partners/globex/audit/export").session(&w.acme_admin).send().await.expect_error(404, "not_found");
    app.get("/api/partners/acme/audit?partner_id=globex").session(&w.acme_admin).send().await.expect_error(400, "bad_request");
    app.get("/api/partners/acme/audit/export").session(&w.acme_member).send().await.expect_error(403, "forbidden");
    app.get("/api/operator/audit/export").session(&w.acme_admin).send().await.expect_error(403, "forbidden");
}
