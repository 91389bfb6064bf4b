//! The marketplace feed: the command line, a service token and the operator
//! console give the same rows; files are all or nothing with line and field
//! errors; re-ingesting changes nothing; changes and corrections are audited.

mod common;

use std::process::Command;

use common::*;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_benefits");

/// Five files covering two partners, in the order they must be ingested.
const FILES: [(&str, &str); 5] = [
    ("partners", "partner_id,name,account_email\nacme,Acme Apps,account@acme.example\nglobex,Globex Cloud,account@globex.example\n"),
    (
        "offers",
        "partner_id,offer_id,type,name,live_on,delisted_on\n\
         acme,acme-list,list,Acme Directory,2024-03-01,\n\
         acme,acme-saas,transact,Acme SaaS,2024-06-01,\n\
         acme,acme-next,trial,Acme Next (soon),,\n\
         globex,globex-app,transact,Globex App,2025-01-10,2025-06-30\n",
    ),
    (
        "sales",
        "external_id,partner_id,offer_id,date,amount_usd,status\n\
         S-1,acme,acme-saas,2024-07-01,20000.00,billed\n\
         S-2,acme,acme-saas,2025-01-15,1250,billed\n\
         S-3,acme,acme-saas,2025-02-01,5000.00,fraud\n\
         S-4,globex,globex-app,2025-03-01,-250.50,billed\n",
    ),
    ("bizapps", "partner_id,month,amount_usd\nacme,2025-05,9000\nglobex,2025-05,100.10\n"),
    ("teams-mau", "partner_id,app,month,mau\nacme,Chat,2025-05,900\nacme,Board,2025-05,300\nacme,,2024-12,800\n"),
];

/// Every feed row as stored, without ids and timestamps.
async fn rows(pool: &sqlx::AnyPool) -> Vec<String> {
    let mut out = Vec::new();
    for q in [
        "SELECT id || '|' || name || '|' || account_email FROM partners ORDER BY id",
        "SELECT partner_id || '|' || id || '|' || type || '|' || name || '|' || COALESCE(live_on, '-') || '|' || COALESCE(delisted_on, '-') FROM offers ORDER BY 1",
        "SELECT partner_id || '|' || external_id || '|' || offer_id || '|' || date || '|' || amount_cents || '|' || status FROM sales ORDER BY 1",
        "SELECT partner_id || '|' || row_key || '|' || month || '|' || amount_cents FROM bizapps_values ORDER BY 1",
        "SELECT partner_id || '|' || row_key || '|' || COALESCE(app, '-') || '|' || month || '|' || mau FROM teams_mau ORDER BY 1",
    ] {
        let r: Vec<String> = sqlx::query_scalar(q).fetch_all(pool).await.unwrap();
        out.extend(r);
    }
    out
}

/// The partners the operator world needs, without the feed's partners (the first file creates them).
async fn operator_only() -> (TestApp, Session) {
    let app = TestApp::new().await;
    app.user(None, "ops@program.example", "operator").await;
    let ops = app.login("ops@program.example").await;
    (app, ops)
}

#[tokio::test]
async fn each_kind_by_cli_api_token_and_console_gives_identical_rows() {
    // The command line, against its own database file.
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_store(dir.path()).await;
    for (kind, text) in FILES {
        let file = dir.path().join(format!("{kind}.csv"));
        std::fs::write(&file, text).unwrap();
        let out = Command::new(BIN).args(["ingest", kind, file.to_str().unwrap(), "--db", db.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{kind}: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains(" inserted, 0 updated, 0 unchanged"), "{stdout}");
    }
    let cli_db = benefits_server::db::open(&db).await.unwrap();
    let by_cli = rows(&cli_db.write).await;
    assert_eq!(by_cli.len(), 2 + 4 + 4 + 2 + 3);

    // A marketplace job's service token, over HTTP.
    let (api, _) = operator_only().await;
    let token = api.service_token("marketplace nightly").await;
    for (kind, text) in FILES {
        let r = api.post(&format!("/api/feed/{kind}")).header("authorization", &format!("Bearer {token}")).raw("text/csv", text).send().await.expect(200);
        assert_eq!(r.json()["updated"], 0);
    }
    assert_eq!(rows(api.pool()).await, by_cli);

    // The operator console's upload, the same files as JSON arrays.
    let (console, ops) = operator_only().await;
    for (kind, text) in FILES {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let items: Vec<Value> = reader
            .records()
            .map(|r| Value::Object(headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), json!(v))).collect()))
            .collect();
        console.post(&format!("/api/operator/feed/{kind}?file_name={kind}.json")).session(&ops).json(&Value::Array(items)).send().await.expect(200);
    }
    assert_eq!(rows(console.pool()).await, by_cli);
    let log = console.get("/api/operator/ingestions").session(&ops).send().await.expect(200).json();
    assert_eq!(log.as_array().unwrap().len(), 5);
    assert_eq!(log[0]["source"], "console");
    assert_eq!(log[0]["actor"], "ops@program.example");
    assert_eq!(log[0]["file_name"], "teams-mau.json");
}

#[tokio::test]
async fn a_file_with_bad_rows_writes_nothing_and_names_line_and_field() {
    let (app, _) = TestApp::world().await;
    app.offers("acme").await;
    let before = app.snapshot_db().await;
    let bad = "external_id,partner_id,offer_id,date,amount_usd,status\n\
               G-1,acme,saas-1,2025-01-15,1250.00,billed\n\
               G-2,acme,saas-1,2025-13-01,1,billed\n\
               G-3,acme,saas-1,2025-01-17,12.345,paid\n\
               G-4,nobody,saas-1,2025-01-17,1,billed\n\
               G-5,acme,nope,2025-01-17,1,billed\n\
               G-1,acme,saas-1,2025-01-18,1,billed\n\
               G-7,acme,saas-1,2025-01-18\n";
    let err = app.try_feed("sales", bad).await.unwrap_err();
    let benefits_server::feed::FeedError::Rejected { errors, total } = err else { panic!("rejected") };
    let got: Vec<(usize, &str, &str)> = errors.iter().map(|e| (e.line, e.error.field.as_str(), e.error.code.as_str())).collect();
    assert_eq!(
        got,
        [
            (3, "date", "not_a_calendar_date"),
            (4, "amount_usd", "amount_decimals"),
            (4, "status", "unknown_value"),
            (5, "partner_id", "unknown_partner"),
            (6, "offer_id", "unknown_offer"),
            (7, "external_id", "duplicate_key"),
            (8, "row", "column_count")
        ],
        "{errors:?}"
    );
    assert_eq!(total, 7);
    assert_eq!(app.snapshot_db().await, before, "nothing written, not even the ingestion record");

    // The same over HTTP: 422 with the rows; a JSON array names the element.
    let token = app.service_token("job").await;
    let before = app.snapshot_db().await;
    let res = app.post("/api/feed/sales").header("authorization", &format!("Bearer {token}")).raw("text/csv", bad).send().await;
    let res = res.expect_error(422, "import_rejected").json();
    assert_eq!(res["errors"].as_array().unwrap().len(), 7);
    // Each row's code and parameters, so the console can word it in the user's language.
    assert_eq!(res["errors"][0], json!({"line": 3, "field": "date", "code": "not_a_calendar_date", "params": {"value": "2025-13-01"},
        "message": "`2025-13-01` is not a valid calendar date (YYYY-MM-DD)"}));
    assert_eq!(res["errors"][2]["params"], json!({"value": "paid", "allowed": "billed, fraud, cancelled_accidental, cancelled_before_use"}));
    assert_eq!(res["errors"][5]["params"], json!({"first": "2"}));
    assert_eq!(res["errors"][6]["params"], json!({"len": "4", "expected": "6"}));
    let items = json!([
        {"external_id": "J-1", "partner_id": "acme", "offer_id": "saas-1", "date": "2025-01-15", "amount_usd": 10, "status": "billed"},
        {"external_id": "J-2", "partner_id": "acme", "offer_id": "saas-1", "date": "2025-01-15", "amount_usd": "ten", "status": "billed", "colour": "red"}
    ]);
    let res = app.post("/api/feed/sales").header("authorization", &format!("Bearer {token}")).json(&items).send().await.expect_error(422, "import_rejected").json();
    let got: Vec<(i64, &str)> = res["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap())).collect();
    assert_eq!(got, [(2, "colour"), (2, "amount_usd")]);
    // Offers: a delisting before the go-live; a bad type; a missing column.
    let res = app
        .post("/api/feed/offers")
        .header("authorization", &format!("Bearer {token}"))
        .raw("text/csv", "partner_id,offer_id,type,name,live_on,delisted_on\nacme,o-1,list,One,2025-03-01,2025-02-01\nacme,o-2,saas,Two,,\n")
        .send()
        .await
        .expect_error(422, "import_rejected")
        .json();
    assert_eq!((res["errors"][0]["line"].as_i64(), res["errors"][0]["field"].as_str()), (Some(2), Some("delisted_on")));
    assert_eq!((res["errors"][1]["line"].as_i64(), res["errors"][1]["field"].as_str()), (Some(3), Some("type")));
    let res = app.post("/api/feed/bizapps").header("authorization", &format!("Bearer {token}")).raw("text/csv", "partner_id,amount_usd\nacme,1\n").send().await;
    assert_eq!(res.expect_error(422, "import_rejected").json()["errors"][0]["field"], "month");
    app.post("/api/feed/bizapps").header("authorization", &format!("Bearer {token}")).raw("application/xml", "<x/>").send().await.expect_error(415, "unsupported_media_type");
    app.post("/api/feed/stock").header("authorization", &format!("Bearer {token}")).raw("text/csv", "a\n1\n").send().await.expect_error(404, "unknown_feed_kind");
    app.post("/api/feed/sales").header("authorization", &format!("Bearer {token}")).raw("application/json", "[{\"external_id\": ").send().await.expect_error(422, "import_rejected");
    // Snapshot again, without the token's last-used time.
    let mut after = app.snapshot_db().await;
    after.retain(|(t, _)| t != "service_tokens");
    let mut expected = before.clone();
    expected.retain(|(t, _)| t != "service_tokens");
    assert_eq!(after, expected, "nothing written by refused files");

    // The command line: exit 2, one line per bad row on stderr, nothing written.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "partner_id,name,account_email\nok,Fine,a@ok.example\n,Nameless,not-an-email\n").unwrap();
    let db = common::fresh_store(dir.path()).await;
    let out = Command::new(BIN).args(["ingest", "partners", file.to_str().unwrap(), "--db", db.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("line 3: partner_id: is required"), "{stderr}");
    assert!(stderr.contains("line 3: account_email:"), "{stderr}");
    assert!(out.stdout.is_empty());
    let pool = benefits_server::db::open(&db).await.unwrap();
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM partners").fetch_one(&pool.write).await.unwrap(), 0);
}

#[tokio::test]
async fn reingesting_changes_nothing_and_a_changed_row_is_an_audited_update() {
    let (app, ops) = operator_only().await;
    for (kind, text) in FILES {
        app.feed(kind, text).await;
    }
    let stored = rows(app.pool()).await;
    let versions: i64 = app.count("SELECT CAST(SUM(data_version) AS BIGINT) FROM partners").await;
    for (kind, text) in FILES {
        let r = app.feed(kind, text).await;
        assert_eq!((r.inserted, r.updated), (0, 0), "{kind}");
        assert_eq!(r.unchanged, r.rows, "{kind}");
    }
    assert_eq!(rows(app.pool()).await, stored);
    assert_eq!(app.count("SELECT CAST(SUM(data_version) AS BIGINT) FROM partners").await, versions, "no evaluation made stale");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'feed.%'").await, 0);

    let changed = FILES[2].1.replace("S-2,acme,acme-saas,2025-01-15,1250,billed", "S-2,acme,acme-saas,2025-01-15,1300,cancelled_before_use");
    let r = app.feed("sales", &changed).await;
    assert_eq!((r.inserted, r.updated, r.unchanged), (0, 1, 3));
    let audit = app.get("/api/operator/audit?partner_id=acme").session(&ops).send().await.expect(200).json()["items"].clone();
    let entry = audit.as_array().unwrap().iter().find(|a| a["action"] == "feed.sales.update").expect("audited");
    assert_eq!(entry["target"], "sale:S-2");
    assert_eq!(entry["before"], json!({"offer_id": "acme-saas", "date": "2025-01-15", "amount_cents": 125000, "status": "billed"}));
    assert_eq!(entry["after"]["amount_cents"], 130000);
    assert_eq!(entry["after"]["status"], "cancelled_before_use");
    assert_eq!(entry["after"]["ingestion_id"], r.ingestion_id);
    assert_eq!(entry["actor"], Value::Null, "no signed-in person");

    // A sale cannot move to another partner.
    let moved = "external_id,partner_id,offer_id,date,amount_usd,status\nS-1,globex,globex-app,2025-03-01,1,billed\n";
    let err = app.try_feed("sales", moved).await.unwrap_err();
    let benefits_server::feed::FeedError::Rejected { errors, .. } = err else { panic!() };
    assert_eq!((errors[0].line, errors[0].error.field.as_str(), errors[0].error.code.as_str()), (2, "partner_id", "sale_of_other_partner"));
}

#[tokio::test]
async fn service_tokens_only_ingest_and_stop_when_revoked() {
    let (app, w) = TestApp::world().await;
    let created = app.post("/api/operator/tokens").session(&w.operator).json(&json!({"name": "marketplace nightly"})).send().await.expect(201).json();
    let token = created["token"].as_str().unwrap().to_string();
    let id = created["token_info"]["id"].as_str().unwrap().to_string();
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM service_tokens WHERE id = $1").bind(&id).fetch_one(app.pool()).await.unwrap();
    assert_ne!(stored, token, "stored hashed");
    let list = app.get("/api/operator/tokens").session(&w.operator).send().await.expect(200);
    assert!(!list.text.contains(&token), "the secret is shown once");
    app.post("/api/operator/tokens").session(&w.acme_admin).json(&json!({"name": "mine"})).send().await.expect_error(403, "forbidden");
    app.post("/api/operator/tokens").session(&w.operator).json(&json!({"name": " "})).send().await.expect_error(422, "validation_failed");

    let csv = "partner_id,month,amount_usd\nacme,2025-05,9000\n";
    let bearer = format!("Bearer {token}");
    app.post("/api/feed/bizapps").header("authorization", &bearer).raw("text/csv", csv).send().await.expect(200);
    // The token opens nothing else.
    app.get("/api/operator/partners").header("authorization", &bearer).send().await.expect_error(401, "unauthenticated");
    app.get("/api/partners/acme/workspace").header("authorization", &bearer).send().await.expect_error(401, "unauthenticated");
    // Wrong, missing, or a partner user's session.
    app.post("/api/feed/bizapps").header("authorization", "Bearer bst_nope").raw("text/csv", csv).send().await.expect_error(401, "invalid_token");
    app.post("/api/feed/bizapps").raw("text/csv", csv).send().await.expect_error(401, "unauthenticated");
    app.post("/api/feed/bizapps").session(&w.acme_admin).raw("text/csv", csv).send().await.expect_error(403, "forbidden");
    app.post("/api/feed/bizapps").session(&w.operator).raw("text/csv", csv).send().await.expect_error(403, "forbidden");

    let revoked = app.post(&format!("/api/operator/tokens/{id}/revoke")).session(&w.operator).send().await.expect(200).json();
    assert!(revoked["revoked_at"].is_string());
    let res = app.post("/api/feed/bizapps").header("authorization", &bearer).raw("text/csv", csv).send().await.expect_error(401, "invalid_token");
    assert!(res.text.contains("revoked"));
    let audit = app.get("/api/operator/audit").session(&w.operator).send().await.expect(200).json()["items"].clone();
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"token.create") && actions.contains(&"token.revoke"));
    assert!(!audit.to_string().contains(&token), "the secret is never logged");

    // The command line: create (shown once), list, revoke.
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_store(dir.path()).await;
    let db = db.to_str().unwrap();
    let out = Command::new(BIN).args(["token", "create", "--name", "cron", "--db", db]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let secret = text.lines().last().unwrap();
    assert!(secret.starts_with("bst_") && secret.len() > 40);
    let out = Command::new(BIN).args(["token", "list", "--db", db]).output().unwrap();
    let listing = String::from_utf8(out.stdout).unwrap();
    assert!(listing.contains("cron") && listing.contains("active") && !listing.contains(secret));
    let tid = listing.split_whitespace().next().unwrap();
    assert!(Command::new(BIN).args(["token", "revoke", tid, "--db", db]).output().unwrap().status.success());
    let listing = String::from_utf8(Command::new(BIN).args(["token", "list", "--db", db]).output().unwrap().stdout).unwrap();
    assert!(listing.contains("revoked"));
}

#[tokio::test]
async fn operator_corrections_are_audited_with_the_reason() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.feed("sales", "external_id,partner_id,offer_id,date,amount_usd,status\nW-1,acme,saas-1,2025-01-15,50000,billed\n").await;
    app.feed("bizapps", "partner_id,month,amount_usd\nacme,2025-05,9000\n").await;

    // Delist an offer, with a reason; a date before the go-live is refused.
    let uri = "/api/operator/partners/acme/offers/list-1/delist";
    let early = app.post(uri).session(&w.operator).json(&json!({"delisted_on": "2024-01-01", "reason": "Wrong"})).send().await;
    assert_eq!(early.expect_error(422, "validation_failed").json()["field"], "delisted_on");
    app.post(uri).session(&w.operator).json(&json!({"delisted_on": "2025-06-01", "reason": ""})).send().await.expect_error(422, "validation_failed");
    let d = app.post(uri).session(&w.operator).json(&json!({"delisted_on": "2025-06-01", "reason": "Infringing content"})).send().await.expect(200).json();
    assert_eq!(d["delisted_on"], "2025-06-01");

    // Delete a wrong feed row, with a reason.
    let sale_id: i64 = sqlx::query_scalar("SELECT id FROM sales WHERE external_id = 'W-1'").fetch_one(app.pool()).await.unwrap();
    let offer_with_sales = app.post("/api/operator/partners/acme/rows/offers/saas-1/delete").session(&w.operator).json(&json!({"reason": "x"})).send().await;
    offer_with_sales.expect_error(409, "offer_has_sales");
    app.post(&format!("/api/operator/partners/globex/rows/sales/{sale_id}/delete")).session(&w.operator).json(&json!({"reason": "x"})).send().await.expect_error(404, "not_found");
    app.post(&format!("/api/operator/partners/acme/rows/sales/{sale_id}/delete")).session(&w.acme_admin).json(&json!({"reason": "x"})).send().await.expect_error(403, "forbidden");
    let del = app.post(&format!("/api/operator/partners/acme/rows/sales/{sale_id}/delete")).session(&w.operator).json(&json!({"reason": "Duplicate of an order billed twice"})).send().await.expect(200).json();
    assert_eq!(del["deleted"]["external_id"], "W-1");
    assert_eq!(app.count("SELECT COUNT(*) FROM sales").await, 0);
    let biz_id: i64 = sqlx::query_scalar("SELECT id FROM bizapps_values").fetch_one(app.pool()).await.unwrap();
    app.post(&format!("/api/operator/partners/acme/rows/bizapps/{biz_id}/delete")).session(&w.operator).json(&json!({"reason": "Reported for the wrong partner"})).send().await.expect(200);

    let audit = app.get("/api/operator/audit?partner_id=acme").session(&w.operator).send().await.expect(200).json()["items"].clone();
    let find = |action: &str| audit.as_array().unwrap().iter().find(|a| a["action"] == action).unwrap_or_else(|| panic!("{action} audited")).clone();
    let delist = find("offer.delist");
    assert_eq!(delist["actor"]["email"], "ops@program.example");
    assert!(delist["before"]["delisted_on"].is_null());
    assert_eq!(delist["after"]["reason"], "Infringing content");
    let deleted = find("feed.sales.delete");
    assert_eq!(deleted["before"]["amount_usd"], "50000.00");
    assert_eq!(deleted["after"]["reason"], "Duplicate of an order billed twice");
    assert_eq!(find("feed.bizapps.delete")["after"]["reason"], "Reported for the wrong partner");
}

#[tokio::test]
async fn a_file_over_the_size_limit_is_refused_whole_by_token_and_by_console() {
    let (app, ops) = operator_only().await;
    let token = app.service_token("marketplace").await;
    let before = app.snapshot_db().await;
    // A well-formed sales file one byte over the limit: refused before any row is read.
    let header = "external_id,partner_id,offer_id,date,amount_usd,status\n";
    let row = "S-0,acme,acme-saas,2025-01-15,1.00,billed\n";
    let mut big = String::with_capacity(benefits_server::http::feed::FEED_LIMIT + row.len());
    big.push_str(header);
    while big.len() <= benefits_server::http::feed::FEED_LIMIT {
        big.push_str(row);
    }
    app.post("/api/feed/sales")
        .header("authorization", &format!("Bearer {token}"))
        .raw("text/csv", big.clone())
        .send()
        .await
        .expect_error(413, "payload_too_large");
    app.post("/api/operator/feed/sales").session(&ops).raw("text/csv", big).send().await.expect_error(413, "payload_too_large");
    assert_eq!(app.snapshot_db().await, before, "nothing written, not even the ingestion record");
}
