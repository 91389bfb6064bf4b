//! Users, contact, the partner's read-only feed data and exports.

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
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(&uid).fetch_one(app.pool()).await.unwrap();
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
    app.acme_contact(&w).await;
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
async fn partners_read_their_feed_data_with_provenance_and_cannot_change_it() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.feed("offers", "partner_id,offer_id,type,name,live_on,delisted_on\nacme,soon-1,trial,Coming soon,,\n").await;
    let before = app.snapshot_db().await;
    // The routes that let a partner create or change offers or import data are gone.
    let offer = json!({"id": "x", "name": "Mine", "type": "list", "live_on": "2020-01-01"});
    app.post("/api/partners/acme/offers").session(&w.acme_admin).json(&offer).send().await.expect_error(405, "method_not_allowed");
    app.req("PATCH", "/api/partners/acme/offers/list-1").session(&w.acme_admin).if_match(1).json(&json!({"live_on": "2020-01-01"})).send().await.expect_error(404, "not_found");
    app.post("/api/partners/acme/offers/list-1/delist").session(&w.acme_admin).if_match(1).json(&json!({"delisted_on": "2025-01-01"})).send().await.expect_error(404, "not_found");
    for kind in ["sales", "bizapps", "teams-mau"] {
        app.post(&format!("/api/partners/acme/imports/{kind}")).session(&w.acme_admin).raw("text/csv", "month,amount_usd\n2025-01,1\n").send().await.expect_error(404, "not_found");
    }
    // Nor may a partner user use the feed or the operators' corrections.
    let csv = "partner_id,month,amount_usd\nacme,2025-05,90000000\n";
    app.post("/api/feed/bizapps").session(&w.acme_admin).raw("text/csv", csv).send().await.expect_error(403, "forbidden");
    app.post("/api/operator/feed/bizapps").session(&w.acme_admin).raw("text/csv", csv).send().await.expect_error(403, "forbidden");
    app.post("/api/operator/partners/acme/offers/list-1/delist").session(&w.acme_admin).json(&json!({"delisted_on": "2025-01-01", "reason": "x"})).send().await.expect_error(403, "forbidden");
    app.req("PUT", "/api/operator/partners/acme/first-benefit-date").session(&w.acme_admin).json(&json!({"first_benefit_date": "2020-01-01", "reason": "x"})).send().await.expect_error(403, "forbidden");
    assert_eq!(app.snapshot_db().await, before, "nothing changed");

    let list = app.get("/api/partners/acme/offers").session(&w.acme_member).send().await.expect(200).json();
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["list-1", "saas-1", "soon-1"], "not live yet comes last");
    assert!(list[2]["live_on"].is_null());
    assert_eq!(list[0]["source"]["ingested_via"], "cli");
    assert!(list[0]["source"]["ingested_at"].as_str().unwrap().starts_with("20"));
    let ingestion: i64 = sqlx::query_scalar("SELECT MIN(id) FROM ingestions").fetch_one(app.pool()).await.unwrap();
    assert_eq!(list[0]["source"]["ingestion_id"], ingestion);
    // The export is in the feed's columns: it reads back as a feed file unchanged.
    let text = app.get("/api/partners/acme/export/offers.csv").session(&w.acme_member).send().await.expect(200).text;
    assert!(text.starts_with("partner_id,offer_id,type,name,live_on,delisted_on\n"));
    let r = app.feed("offers", &text).await;
    assert_eq!((r.inserted, r.updated, r.unchanged), (0, 0, 3));
}

#[tokio::test]
async fn the_workspace_shows_the_engagement_manager_and_support_advice() {
    let (app, w) = TestApp::world().await;
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert!(evaluation(&ws)["benefit_year"].is_null(), "no offer yet");
    assert!(ws["engagement_manager"].is_null());
    assert!(ws["benefits"].as_array().unwrap().iter().all(|b| b["status"] == "locked"));
    app.offers("acme").await;
    let ops: String = sqlx::query_scalar("SELECT id FROM users WHERE role = 'operator'").fetch_one(app.pool()).await.unwrap();
    sqlx::query("UPDATE partners SET engagement_manager_id = $1, data_version = data_version + 1 WHERE id = 'acme'").bind(ops).execute(app.pool()).await.unwrap();
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(ws["engagement_manager"]["email"], "ops@program.example");
    assert_eq!(evaluation(&ws)["support_ticket"]["advised"], false, "benefits are shown");
    assert_eq!(explanation(&ws)["transact_live_today"], true);
}
