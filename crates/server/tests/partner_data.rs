//! Users, contact, offers, imports and exports.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn users_are_managed_by_admins_and_the_last_admin_stays() {
    let (app, w) = TestApp::world().await;
    let list = app.get("/api/partners/acme/users").session(&w.acme_member).send().await.expect(200).json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list.to_string().find("password").is_none(), "no hashes leak");
    let invite = json!({"email": "new@acme.example", "role": "member"});
    app.post("/api/partners/acme/invitations").session(&w.acme_member).json(&invite).send().await.expect_error(403, "forbidden");
    app.post("/api/partners/acme/users").session(&w.acme_admin).json(&invite).send().await.expect_error(405, "method_not_allowed");
    let new = app.invite_and_accept(&w.acme_admin, "acme", "new@acme.example", "member", "long enough passphrase").await;
    let uid = new.user_id.clone();
    app.post("/api/partners/acme/invitations").session(&w.acme_admin).json(&invite).send().await.expect_error(409, "email_taken");
    // The new user chose their password; it is stored as an Argon2id hash.
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?").bind(&uid).fetch_one(app.pool()).await.unwrap();
    assert!(hash.starts_with("$argon2id$"));
    app.post("/api/session/login").header("x-requested-with", "benefits").json(&json!({"email": "new@acme.example", "password": "long enough passphrase"})).send().await.expect(200);

    // Role change needs If-Match.
    let uri = format!("/api/partners/acme/users/{uid}");
    app.req("PATCH", &uri).session(&w.acme_admin).json(&json!({"role": "admin"})).send().await.expect_error(428, "precondition_required");
    app.req("PATCH", &uri).session(&w.acme_admin).if_match(9).json(&json!({"role": "admin"})).send().await.expect_error(412, "version_mismatch");
    let patched = app.req("PATCH", &uri).session(&w.acme_admin).if_match(1).json(&json!({"role": "admin"})).send().await.expect(200);
    assert_eq!(patched.etag(), "\"2\"");
    assert_eq!(patched.json()["role"], "admin");
    // Demote both others, then the last admin cannot go.
    app.req("PATCH", &uri).session(&w.acme_admin).if_match(2).json(&json!({"role": "member"})).send().await.expect(200);
    let me = format!("/api/partners/acme/users/{}", w.acme_admin_id);
    app.req("PATCH", &me).session(&w.acme_admin).if_match(1).json(&json!({"role": "member"})).send().await.expect_error(409, "last_admin");
    app.req("DELETE", &me).session(&w.acme_admin).send().await.expect_error(409, "last_admin");
    // Delete the new user; unknown ids are 404.
    app.req("DELETE", &uri).session(&w.acme_admin).if_match(1).send().await.expect_error(412, "version_mismatch");
    app.req("DELETE", &uri).session(&w.acme_admin).send().await.expect(204);
    app.req("DELETE", &uri).session(&w.acme_admin).send().await.expect_error(404, "not_found");
    // The marketing contact cannot be removed.
    app.req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": w.acme_member_id, "email": "m@acme.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect(200);
    app.req("DELETE", &format!("/api/partners/acme/users/{}", w.acme_member_id)).session(&w.acme_admin).send().await.expect_error(409, "is_marketing_contact");
}

#[tokio::test]
async fn the_marketing_contact_is_validated_by_the_domain_and_versioned() {
    let (app, w) = TestApp::world().await;
    app.get("/api/partners/acme/contact").session(&w.acme_admin).send().await.expect_error(404, "not_found");
    app.get("/api/partners/acme/contact").session(&w.acme_member).send().await.expect_error(403, "forbidden");
    let bad = app
        .req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": "u_nobody", "email": "x", "phone": "123", "language": "xx"}))
        .send()
        .await
        .expect_error(422, "validation_failed")
        .json();
    let codes: Vec<&str> = bad["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["unknown_user", "invalid_email", "invalid_phone", "unsupported_language"]);
    // A user of another partner is not a valid contact.
    let globex_user: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'admin@globex.example'").fetch_one(app.pool()).await.unwrap();
    let other = app
        .req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": globex_user, "email": "c@acme.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(other.json()["field"], "user_id");
    let body = json!({"user_id": w.acme_member_id, "email": "c@acme.example", "phone": "+14155552671", "language": "EN"});
    let first = app.req("PUT", "/api/partners/acme/contact").session(&w.acme_admin).json(&body).send().await.expect(200);
    assert_eq!(first.json()["language"], "en");
    app.req("PUT", "/api/partners/acme/contact").session(&w.acme_admin).json(&body).send().await.expect_error(428, "precondition_required");
    app.req("PUT", "/api/partners/acme/contact").session(&w.acme_admin).if_match(0).json(&body).send().await.expect_error(412, "version_mismatch");
    let second = app.req("PUT", "/api/partners/acme/contact").session(&w.acme_admin).if_match(1).json(&body).send().await.expect(200);
    assert_eq!(second.etag(), "\"2\"");
    let got = app.get("/api/partners/acme/contact").session(&w.acme_admin).send().await.expect(200);
    assert_eq!(got.etag(), "\"2\"");
    assert_eq!(got.json()["user_name"], "member");
    // The workspace shows the contact; members who are not the contact do not see the phone.
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_member).send().await.expect(200).json();
    assert_eq!(ws["contact"]["phone"], "+14155552671", "the contact sees their own phone");
    app.user(Some("acme"), "third@acme.example", "member").await;
    let third = app.login("third@acme.example").await;
    let ws = app.get("/api/partners/acme/workspace").session(&third).send().await.expect(200).json();
    assert!(ws["contact"]["phone"].is_null());
    assert_eq!(ws["contact"]["email"], "c@acme.example");
}

#[tokio::test]
async fn offers_create_update_delist_with_versions() {
    let (app, w) = TestApp::world().await;
    let created = app
        .post("/api/partners/acme/offers")
        .session(&w.acme_admin)
        .json(&json!({"id": "acme-saas", "name": "Acme SaaS", "type": "transact", "live_on": "2025-01-01"}))
        .send()
        .await
        .expect(201);
    assert_eq!(created.json()["delisted_on"], serde_json::Value::Null);
    app.post("/api/partners/acme/offers")
        .session(&w.acme_admin)
        .json(&json!({"id": "acme-saas", "name": "Again", "type": "list", "live_on": "2025-01-01"}))
        .send()
        .await
        .expect_error(409, "offer_exists");
    app.post("/api/partners/acme/offers")
        .session(&w.acme_admin)
        .json(&json!({"id": "bad id!", "name": "x", "type": "list", "live_on": "2025-01-01"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    let t = app
        .post("/api/partners/acme/offers")
        .session(&w.acme_admin)
        .json(&json!({"name": "x", "type": "saas", "live_on": "2025-01-01"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(t.json()["field"], "type");
    app.post("/api/partners/acme/offers")
        .session(&w.acme_member)
        .json(&json!({"name": "x", "type": "list", "live_on": "2025-01-01"}))
        .send()
        .await
        .expect_error(403, "forbidden");
    let uri = "/api/partners/acme/offers/acme-saas";
    app.req("PATCH", uri).session(&w.acme_admin).json(&json!({"name": "Renamed"})).send().await.expect_error(428, "precondition_required");
    let p = app.req("PATCH", uri).session(&w.acme_admin).if_match(1).json(&json!({"name": "Renamed", "live_on": "2025-02-01"})).send().await.expect(200);
    assert_eq!(p.etag(), "\"2\"");
    assert_eq!(p.json()["live_on"], "2025-02-01");
    app.req("PATCH", uri).session(&w.acme_admin).if_match(1).json(&json!({"name": "Stale"})).send().await.expect_error(412, "version_mismatch");
    let early = app.post(&format!("{uri}/delist")).session(&w.acme_admin).if_match(2).json(&json!({"delisted_on": "2025-01-15"})).send().await;
    let early = early.expect_error(422, "validation_failed");
    assert_eq!(early.json()["field"], "delisted_on");
    let d = app.post(&format!("{uri}/delist")).session(&w.acme_admin).if_match(2).json(&json!({"delisted_on": "2025-06-01"})).send().await.expect(200);
    assert_eq!(d.json()["delisted_on"], "2025-06-01");
    app.req("PATCH", "/api/partners/acme/offers/nope").session(&w.acme_admin).if_match(1).json(&json!({"name": "x"})).send().await.expect_error(404, "not_found");
    let list = app.get("/api/partners/acme/offers").session(&w.acme_member).send().await.expect(200).json();
    assert_eq!(list[0]["name"], "Renamed");
    assert_eq!(list[0]["version"], 3);
    // Delisted before today: no live transact offer, no engagement manager, no transact tier.
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_member).send().await.expect(200).json();
    assert!(evaluation(&ws)["transact_tier_today"].is_null());
    // As of an earlier date, it was live.
    let ws = app.get("/api/partners/acme/workspace?as_of=2025-03-01").session(&w.acme_member).send().await.expect(200).json();
    assert_eq!(ws["as_of"], "2025-03-01");
    assert_eq!(evaluation(&ws)["transact_tier_today"], 1);
}

const SALES_OK: &str = "external_id,date,amount_usd,status,offer_id\nA1,2025-01-15,1250.00,billed,saas-1\nA2,2025-02-01,99.99,cancelled_accidental,saas-1\n";

#[tokio::test]
async fn an_import_with_one_bad_row_changes_nothing_and_names_the_line_and_field() {
    let (app, w) = TestApp::world().await;
    app.offers(&w.acme_admin, "acme").await;
    let before = app.snapshot_db().await;
    let csv = "external_id,date,amount_usd,status,offer_id\n\
               G1,2025-01-15,1250.00,billed,saas-1\n\
               G2,2025-01-16,12.345,billed,saas-1\n\
               G3,2025-01-17,10.00,billed,saas-1\n";
    let res = app.post("/api/partners/acme/imports/sales").session(&w.acme_admin).raw("text/csv", csv).send().await.expect_error(422, "import_rejected");
    let errors = res.json()["errors"].clone();
    assert_eq!(errors.as_array().unwrap().len(), 1);
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["field"], "amount_usd");
    assert!(errors[0]["message"].as_str().unwrap().contains("2 decimal"));
    assert_eq!(app.snapshot_db().await, before, "nothing written");

    let many = "external_id,date,amount_usd,status,offer_id\nX1,2025-13-01,1,billed,saas-1\nX2,2025-01-01,1,paid,saas-1\nX3,2025-01-01,1,billed,nope\n,2025-01-01,1,billed,saas-1\nX1,2025-01-01,1,billed,saas-1\nX6,2025-01-01,1\n";
    let res = app.post("/api/partners/acme/imports/sales").session(&w.acme_admin).raw("text/csv", many).send().await.expect_error(422, "import_rejected");
    let got: Vec<(i64, String)> = res.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(got, [(2, "date".into()), (3, "status".into()), (4, "offer_id".into()), (5, "external_id".into()), (7, "row".into())]);
    let header = app.post("/api/partners/acme/imports/sales").session(&w.acme_admin).raw("text/csv", "external_id,date,amount,status,offer_id\n").send().await;
    let header = header.expect_error(422, "import_rejected").json();
    assert_eq!(header["errors"][0]["line"], 1);
    // JSON arrays: the line is the index + 1.
    let json_rows = json!([
        {"external_id": "J1", "date": "2025-01-15", "amount_usd": 10, "status": "billed", "offer_id": "saas-1"},
        {"external_id": "J2", "date": "2025-01-15", "amount_usd": "ten", "status": "billed", "offer_id": "saas-1"}
    ]);
    let res = app.post("/api/partners/acme/imports/sales").session(&w.acme_admin).json(&json_rows).send().await.expect_error(422, "import_rejected");
    assert_eq!(res.json()["errors"][0]["line"], 2);
    assert_eq!(res.json()["errors"][0]["field"], "amount_usd");
    assert_eq!(app.snapshot_db().await, before, "still nothing written");
    app.post("/api/partners/acme/imports/sales").session(&w.acme_admin).raw("application/xml", "<x/>").send().await.expect_error(415, "unsupported_media_type");
    app.post("/api/partners/acme/imports/stock").session(&w.acme_admin).raw("text/csv", SALES_OK).send().await.expect_error(404, "not_found");
    app.post("/api/partners/acme/imports/sales").session(&w.acme_member).raw("text/csv", SALES_OK).send().await.expect_error(403, "forbidden");
}

#[tokio::test]
async fn reimporting_does_not_double_count_and_reports_changes() {
    let (app, w) = TestApp::world().await;
    app.offers(&w.acme_admin, "acme").await;
    let r = app.post("/api/partners/acme/imports/sales").session(&w.acme_admin).raw("text/csv", SALES_OK).send().await.expect(200).json();
    assert_eq!((r["inserted"].as_i64(), r["updated"].as_i64(), r["unchanged"].as_i64()), (Some(2), Some(0), Some(0)));
    let r = app.post("/api/partners/acme/imports/sales").session(&w.acme_admin).raw("text/csv", SALES_OK).send().await.expect(200).json();
    assert_eq!((r["inserted"].as_i64(), r["updated"].as_i64(), r["unchanged"].as_i64()), (Some(0), Some(0), Some(2)));
    let changed = SALES_OK.replace("1250.00", "1300");
    let r = app.post("/api/partners/acme/imports/sales").session(&w.acme_admin).raw("text/csv", changed).send().await.expect(200).json();
    assert_eq!((r["inserted"].as_i64(), r["updated"].as_i64(), r["unchanged"].as_i64()), (Some(0), Some(1), Some(1)));
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["metrics"]["mbs"]["value"], "1300.00");
    assert_eq!(evaluation(&ws)["excluded_sales"]["cancelled_accidental"], 1);

    // Metrics: keyed by external_id, or by month (bizapps) / app + month (Teams).
    let biz = "month,amount_usd\n2025-05,9000\n2025-06,1000\n";
    app.post("/api/partners/acme/imports/bizapps").session(&w.acme_admin).raw("text/csv", biz).send().await.expect(200);
    let r = app.post("/api/partners/acme/imports/bizapps").session(&w.acme_admin).raw("text/csv", "month,amount_usd\n2025-05,9500\n").send().await.expect(200).json();
    assert_eq!(r["updated"], 1);
    let mau = json!([{"app": "Chat", "month": "2025-05", "mau": 900}, {"app": "Board", "month": "2025-05", "mau": 300}, {"month": "2024-12", "mau": 800}]);
    let r = app.post("/api/partners/acme/imports/teams-mau").session(&w.acme_admin).json(&mau).send().await.expect(200).json();
    assert_eq!(r["inserted"], 3);
    let r = app.post("/api/partners/acme/imports/teams-mau").session(&w.acme_admin).json(&mau).send().await.expect(200).json();
    assert_eq!(r["unchanged"], 3);
    let bad = app.post("/api/partners/acme/imports/teams-mau").session(&w.acme_admin).json(&json!([{"month": "2025-05", "mau": -3}])).send().await;
    assert_eq!(bad.expect_error(422, "import_rejected").json()["errors"][0]["field"], "mau");
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(evaluation(&ws)["metrics"]["bizapps"]["value"], "10500.00");
    assert_eq!(evaluation(&ws)["metrics"]["teams_mau"]["value"], 1200, "two apps in one month add up");

    // Exports round-trip through the import.
    let csv = app.get("/api/partners/acme/export/sales.csv").session(&w.acme_member).send().await.expect(200);
    assert!(csv.headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/csv"));
    assert!(csv.text.starts_with("external_id,date,amount_usd,status,offer_id\n"));
    assert!(csv.text.contains("A1,2025-01-15,1300.00,billed,saas-1"));
    let r = app.post("/api/partners/acme/imports/sales").session(&w.acme_admin).raw("text/csv", csv.text).send().await.expect(200).json();
    assert_eq!(r["unchanged"], 2);
    for file in ["bizapps.csv", "teams-mau.csv"] {
        let kind = file.trim_end_matches(".csv");
        let text = app.get(&format!("/api/partners/acme/export/{file}")).session(&w.acme_member).send().await.expect(200).text;
        let r = app.post(&format!("/api/partners/acme/imports/{kind}")).session(&w.acme_admin).raw("text/csv", text).send().await.expect(200).json();
        assert_eq!(r["inserted"], 0, "{file}");
        assert_eq!(r["updated"], 0, "{file}");
    }
    app.get("/api/partners/acme/export/other.csv").session(&w.acme_member).send().await.expect_error(404, "not_found");
    let all = app.get("/api/partners/acme/export.json").session(&w.acme_member).send().await.expect(200).json();
    assert_eq!(all["sales"].as_array().unwrap().len(), 2);
    assert_eq!(all["offers"].as_array().unwrap().len(), 2);
    assert_eq!(all["bizapps"].as_array().unwrap().len(), 2);
    assert_eq!(all["teams_mau"].as_array().unwrap().len(), 3);
    assert_eq!(all["evaluation"]["metrics"]["mbs"]["value"], "1300.00");
}

#[tokio::test]
async fn the_workspace_shows_the_engagement_manager_and_support_advice() {
    let (app, w) = TestApp::world().await;
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert!(evaluation(&ws)["benefit_year"].is_null(), "no offer yet");
    assert!(ws["engagement_manager"].is_null());
    assert!(ws["benefits"].as_array().unwrap().iter().all(|b| b["status"] == "locked"));
    app.offers(&w.acme_admin, "acme").await;
    let ops: String = sqlx::query_scalar("SELECT id FROM users WHERE role = 'operator'").fetch_one(app.pool()).await.unwrap();
    sqlx::query("UPDATE partners SET engagement_manager_id = ?, data_version = data_version + 1 WHERE id = 'acme'").bind(ops).execute(app.pool()).await.unwrap();
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(ws["engagement_manager"]["email"], "ops@program.example");
    assert_eq!(evaluation(&ws)["support_ticket"]["advised"], false, "benefits are shown");
    assert_eq!(explanation(&ws)["transact_live_today"], true);
}
