//! Tenant isolation: every partner-scoped route, called by another partner's
//! admin and member, an operator, and an anonymous caller.

mod common;

use common::*;
use serde_json::{json, Value};

/// (method, path under /api/partners/acme, body)
fn routes(acme_member_id: &str, invitation_id: &str) -> Vec<(&'static str, String, Option<Value>)> {
    vec![
        ("GET", "/workspace".into(), None),
        ("GET", "/users".into(), None),
        ("GET", "/invitations".into(), None),
        ("POST", "/invitations".into(), Some(json!({"email": "x@evil.example", "role": "admin"}))),
        ("POST", format!("/invitations/{invitation_id}/resend"), None),
        ("DELETE", format!("/invitations/{invitation_id}"), None),
        ("PATCH", format!("/users/{acme_member_id}"), Some(json!({"role": "admin"}))),
        ("DELETE", format!("/users/{acme_member_id}"), None),
        ("GET", "/contact".into(), None),
        ("PUT", "/contact".into(), Some(json!({"user_id": acme_member_id, "email": "evil@evil.example", "phone": "+14155550000", "language": "en"}))),
        ("GET", "/benefits".into(), None),
        ("POST", "/benefits/listing-optimization/activate".into(), None),
        ("POST", "/benefits/listing-optimization/opt-out".into(), None),
        ("GET", "/offers".into(), None),
        ("GET", "/grants".into(), None),
        ("GET", "/export.json".into(), None),
        ("GET", "/export/offers.csv".into(), None),
        ("GET", "/export/sales.csv".into(), None),
        ("GET", "/export/bizapps.csv".into(), None),
        ("GET", "/export/teams-mau.csv".into(), None),
        ("GET", "/audit".into(), None),
    ]
}

#[tokio::test]
async fn no_partner_route_leaks_or_changes_another_partners_data() {
    let (app, w) = TestApp::world().await;
    // The victim's data, with recognisable strings.
    app.feed("offers", "partner_id,offer_id,type,name,live_on\nacme,secret-offer,transact,Acme Secret Product,2024-06-01\n").await;
    app.feed("sales", "external_id,partner_id,offer_id,date,amount_usd,status\nSECRET-SALE-1,acme,secret-offer,2025-01-15,4242.42,billed\n").await;
    app.req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": w.acme_member_id, "email": "secret.contact@acme.example", "phone": "+14155559999", "language": "en"}))
        .send()
        .await
        .expect(200);
    let invitation = app
        .post("/api/partners/acme/invitations")
        .session(&w.acme_admin)
        .json(&json!({"email": "secret.invitee@acme.example", "role": "member"}))
        .send()
        .await
        .expect(201)
        .json();
    let invitation_id = invitation["id"].as_str().unwrap().to_string();
    let secrets = ["secret.invitee", "Acme Secret Product", "SECRET-SALE-1", "4242.42", "secret.contact", "+14155559999", "member@acme.example", "account@acme.example"];
    let before = app.snapshot_db().await;

    let callers: [(&str, Option<&Session>, &[u16]); 4] = [
        ("globex admin", Some(&w.globex_admin), &[404]),
        ("globex member", Some(&w.globex_member), &[404]),
        ("operator", Some(&w.operator), &[403]),
        ("anonymous", None, &[401]),
    ];
    let mut checked = 0;
    for (who, session, allowed) in callers {
        for (method, path, body) in routes(&w.acme_member_id, &invitation_id) {
            let uri = format!("/api/partners/acme{path}");
            let mut req = app.req(method, &uri).if_match(1);
            if let Some(s) = session {
                req = req.session(s);
            }
            if let Some(b) = &body {
                req = req.json(b);
            }
            let res = req.send().await;
            assert!(allowed.contains(&res.status.as_u16()), "{who} {method} {uri}: {} {}", res.status, res.text);
            let expected_code = match res.status.as_u16() {
                404 => "not_found",
                403 => "forbidden",
                _ => "unauthenticated",
            };
            assert_eq!(res.code(), expected_code, "{who} {method} {uri}");
            for s in secrets {
                assert!(!res.text.contains(s), "{who} {method} {uri} leaked {s}");
            }
            // An existing partner and a missing one look the same.
            if let Some(s) = session.filter(|_| who != "operator") {
                let mut req = app.req(method, &format!("/api/partners/no-such-partner{path}")).if_match(1).session(s);
                if let Some(b) = &body {
                    req = req.json(b);
                }
                let ghost = req.send().await;
                assert_eq!((ghost.status, ghost.text.clone()), (res.status, res.text.clone()), "{who} {method} {path}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 4 * 21);
    assert_eq!(app.snapshot_db().await, before, "nothing changed");
    // And the operator routes refuse partner users.
    for uri in [
        "/api/operator/partners", "/api/operator/activations", "/api/operator/catalogs", "/api/operator/audit", "/api/operator/partners/acme/sales",
        "/api/operator/partners/acme/benefits", "/api/operator/partners/acme/grants", "/api/operator/ingestions", "/api/operator/tokens",
        "/api/operator/partners/acme/invitations", "/api/operator/invitations", "/api/operator/sales", "/api/operator/sales?partner_id=acme",
        "/api/operator/partners/acme/overview", "/api/operator/activations?partner_id=acme",
    ] {
        let res = app.get(uri).session(&w.acme_admin).send().await.expect_error(403, "forbidden");
        for s in secrets {
            assert!(!res.text.contains(s));
        }
        app.get(uri).send().await.expect_error(401, "unauthenticated");
    }
    let sale_id: i64 = sqlx::query_scalar("SELECT id FROM sales").fetch_one(app.pool()).await.unwrap();
    app.post(&format!("/api/operator/sales/{sale_id}/fraud")).session(&w.globex_admin).if_match(1).json(&json!({"fraud": true, "note": "x"})).send().await.expect_error(403, "forbidden");
    app.post("/api/operator/sales/fraud")
        .session(&w.globex_admin)
        .json(&json!({"sales": [{"id": sale_id, "version": 1}], "fraud": true, "note": "x"}))
        .send()
        .await
        .expect_error(403, "forbidden");
    app.post("/api/operator/activations/advance")
        .session(&w.globex_admin)
        .json(&json!({"items": [{"partner_id": "acme", "benefit_id": "listing-optimization", "version": 1}]}))
        .send()
        .await
        .expect_error(403, "forbidden");
    app.post("/api/operator/partners/acme/benefits/listing-optimization/revoke")
        .session(&w.globex_admin)
        .if_match(0)
        .json(&json!({"reason": "delisted"}))
        .send()
        .await
        .expect_error(403, "forbidden");
    assert_eq!(app.snapshot_db().await, before, "still nothing changed");
    // The victim still sees everything.
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_member).send().await.expect(200);
    assert!(ws.text.contains("4242.42") || ws.text.contains("secret-offer"));
}
