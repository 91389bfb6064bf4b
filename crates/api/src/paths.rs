//! The addresses of the API, built from typed arguments. Every segment taken
//! from data is percent-encoded, so an id can never change the route.

use crate::exports::ExportFile;
use crate::feed::FeedKind;

/// Percent-encodes one path segment or query value (keeps RFC 3986 unreserved characters).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub const HEALTH: &str = "/api/health";
pub const OPENAPI: &str = "/api/openapi.json";
pub const LOGIN: &str = "/api/session/login";
pub const LOGOUT: &str = "/api/session/logout";
pub const ME: &str = "/api/session/me";
pub const ME_LANGUAGE: &str = "/api/session/me/language";
pub const EVALUATE: &str = "/api/evaluate";
pub const PASSWORD: &str = "/api/session/password";
pub const PASSWORD_RESET: &str = "/api/session/password-reset";
pub const SESSIONS: &str = "/api/session/sessions";
pub const SIGN_OUT_OTHERS: &str = "/api/session/sessions/sign-out-others";
pub const EMAIL: &str = "/api/session/email";
pub const MFA: &str = "/api/session/mfa";
pub const MFA_SETUP: &str = "/api/session/mfa/setup";
pub const MFA_CONFIRM: &str = "/api/session/mfa/confirm";
pub const MFA_DISABLE: &str = "/api/session/mfa/disable";
pub const OPERATOR_PARTNERS: &str = "/api/operator/partners";
pub const OPERATOR_INVITATIONS: &str = "/api/operator/invitations";

pub fn password_reset(token: &str) -> String {
    format!("{PASSWORD_RESET}/{}", encode(token))
}

pub fn confirm_email(token: &str) -> String {
    format!("{EMAIL}/{}", encode(token))
}

pub fn invitation(token: &str) -> String {
    format!("/api/invitations/{}", encode(token))
}

pub fn accept_invitation(token: &str) -> String {
    format!("/api/invitations/{}/accept", encode(token))
}

/// A partner's invitations (its admins).
pub fn invitations(pid: &str) -> String {
    partner(pid, "/invitations")
}

pub fn partner_invitation(pid: &str, iid: &str) -> String {
    partner(pid, &format!("/invitations/{}", encode(iid)))
}

pub fn resend_partner_invitation(pid: &str, iid: &str) -> String {
    partner(pid, &format!("/invitations/{}/resend", encode(iid)))
}
/// A partner, as operators read and edit it.
pub fn operator_partner(pid: &str) -> String {
    format!("{OPERATOR_PARTNERS}/{}", encode(pid))
}

/// A partner's invitations, as operators see them.
pub fn operator_partner_invitations(pid: &str) -> String {
    format!("{}/invitations", operator_partner(pid))
}

pub fn operator_partner_invitation(pid: &str, iid: &str) -> String {
    format!("{}/{}", operator_partner_invitations(pid), encode(iid))
}

pub fn resend_operator_partner_invitation(pid: &str, iid: &str) -> String {
    format!("{}/resend", operator_partner_invitation(pid, iid))
}

/// An operator's invitation (to the program team).
pub fn operator_invitation(iid: &str) -> String {
    format!("{OPERATOR_INVITATIONS}/{}", encode(iid))
}

pub fn resend_operator_invitation(iid: &str) -> String {
    format!("{}/resend", operator_invitation(iid))
}

pub const OPERATOR_ACTIVATIONS: &str = "/api/operator/activations";
pub const OPERATOR_CATALOGS: &str = "/api/operator/catalogs";

/// The program dashboard for a date range (either end may be absent).
pub fn operator_dashboard(q: &crate::dashboard::DashboardQuery) -> String {
    let parts: Vec<String> = [("from", &q.from), ("to", &q.to)]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", encode(v))))
        .collect();
    if parts.is_empty() { "/api/operator/dashboard".to_string() } else { format!("/api/operator/dashboard?{}", parts.join("&")) }
}

fn partner(pid: &str, rest: &str) -> String {
    format!("/api/partners/{}{rest}", encode(pid))
}

pub fn workspace(pid: &str) -> String {
    partner(pid, "/workspace")
}

pub fn users(pid: &str) -> String {
    partner(pid, "/users")
}

pub fn user(pid: &str, uid: &str) -> String {
    partner(pid, &format!("/users/{}", encode(uid)))
}

pub fn contact(pid: &str) -> String {
    partner(pid, "/contact")
}

pub fn benefits(pid: &str) -> String {
    partner(pid, "/benefits")
}

pub fn activate(pid: &str, bid: &str) -> String {
    partner(pid, &format!("/benefits/{}/activate", encode(bid)))
}

pub fn opt_out(pid: &str, bid: &str) -> String {
    partner(pid, &format!("/benefits/{}/opt-out", encode(bid)))
}

pub fn offers(pid: &str) -> String {
    partner(pid, "/offers")
}

pub fn grants(pid: &str) -> String {
    partner(pid, "/grants")
}

/// A marketplace job's feed file (service token).
pub fn feed(kind: FeedKind) -> String {
    format!("/api/feed/{}", kind.slug())
}

/// An operator's upload of a feed file.
pub fn operator_feed(kind: FeedKind, file_name: &str) -> String {
    format!("/api/operator/feed/{}?file_name={}", kind.slug(), encode(file_name))
}

pub const OPERATOR_INGESTIONS: &str = "/api/operator/ingestions";
pub const OPERATOR_TOKENS: &str = "/api/operator/tokens";

pub fn revoke_token(id: &str) -> String {
    format!("/api/operator/tokens/{}/revoke", encode(id))
}

pub fn operator_delist(pid: &str, oid: &str) -> String {
    format!("/api/operator/partners/{}/offers/{}/delist", encode(pid), encode(oid))
}

pub fn delete_row(pid: &str, kind: FeedKind, key: &str) -> String {
    format!("/api/operator/partners/{}/rows/{}/{}/delete", encode(pid), kind.slug(), encode(key))
}

pub fn first_benefit_date(pid: &str) -> String {
    format!("/api/operator/partners/{}/first-benefit-date", encode(pid))
}

pub fn operator_grants(pid: &str) -> String {
    format!("/api/operator/partners/{}/grants", encode(pid))
}

pub fn export_json(pid: &str) -> String {
    partner(pid, "/export.json")
}

pub fn export_csv(pid: &str, file: ExportFile) -> String {
    partner(pid, &format!("/export/{}", file.name()))
}

/// The partner's audit trail (`csv`: its export) with the filters of `q`
/// (its `partner_id` is the path's).
pub fn partner_audit(pid: &str, q: &crate::operator::AuditQuery, csv: bool) -> String {
    let base = partner(pid, if csv { "/audit/export" } else { "/audit" });
    with_query(base, &audit_params(q, false))
}

/// The partner's sales lines with the filters, order and page of `q`.
pub fn sales(pid: &str, q: &crate::sales::SalesQuery) -> String {
    let mut parts = Vec::new();
    if let Some(v) = q.offset {
        parts.push(format!("offset={v}"));
    }
    if let Some(v) = q.limit {
        parts.push(format!("limit={v}"));
    }
    if let Some(v) = q.sort {
        parts.push(format!("sort={}", if v == crate::sales::SalesSort::Amount { "amount" } else { "date" }));
    }
    if let Some(v) = q.desc {
        parts.push(format!("desc={v}"));
    }
    if let Some(v) = q.verdict {
        parts.push(format!("verdict={}", v.as_str()));
    }
    if let Some(v) = q.status {
        parts.push(format!("status={}", v.as_str()));
    }
    if let Some(v) = q.offer.as_deref().filter(|v| !v.is_empty()) {
        parts.push(format!("offer={}", encode(v)));
    }
    if let Some(v) = q.from {
        parts.push(format!("from={v}"));
    }
    if let Some(v) = q.to {
        parts.push(format!("to={v}"));
    }
    with_query(partner(pid, "/sales"), &parts)
}

pub fn operator_partners(q: &crate::operator::PartnerQuery) -> String {
    let mut parts = Vec::new();
    if let Some(v) = q.q.as_deref().filter(|v| !v.is_empty()) {
        parts.push(format!("q={}", encode(v)));
    }
    if let Some(v) = q.tier {
        parts.push(format!("tier={v}"));
    }
    if let Some(v) = q.offer_type {
        parts.push(format!("offer_type={}", v.as_str()));
    }
    if let Some(v) = q.overdue {
        parts.push(format!("overdue={v}"));
    }
    if let Some(v) = q.manager.as_deref() {
        parts.push(format!("manager={}", encode(v)));
    }
    if let Some(v) = q.sort {
        let s = match v {
            crate::operator::PartnerSort::Name => "name",
            crate::operator::PartnerSort::Mbs => "mbs",
            crate::operator::PartnerSort::Tier => "tier",
            crate::operator::PartnerSort::Overdue => "overdue",
        };
        parts.push(format!("sort={s}"));
    }
    if let Some(v) = q.desc {
        parts.push(format!("desc={v}"));
    }
    if let Some(v) = q.limit {
        parts.push(format!("limit={v}"));
    }
    if let Some(v) = q.offset {
        parts.push(format!("offset={v}"));
    }
    if parts.is_empty() {
        "/api/operator/partners".to_string()
    } else {
        format!("/api/operator/partners?{}", parts.join("&"))
    }
}

/// The activation queue with the filters and page of `q`.
pub fn operator_activations(q: &crate::operator::ActivationQuery) -> String {
    let mut parts = Vec::new();
    if let Some(s) = q.status {
        parts.push(format!("status={}", s.as_str()));
    }
    if let Some(v) = q.overdue {
        parts.push(format!("overdue={v}"));
    }
    if let Some(v) = q.manager.as_deref().filter(|v| !v.is_empty()) {
        parts.push(format!("manager={}", encode(v)));
    }
    if let Some(v) = q.partner_id.as_deref().filter(|v| !v.is_empty()) {
        parts.push(format!("partner_id={}", encode(v)));
    }
    page_params(q.limit, q.offset, &mut parts);
    with_query(OPERATOR_ACTIVATIONS.to_string(), &parts)
}

/// Moves several engagements to their next delivery step.
pub const ADVANCE_MANY: &str = "/api/operator/activations/advance";

/// The sales lines with the filters and page of `q`.
pub fn operator_sale_list(q: &crate::operator::SaleQuery) -> String {
    let mut parts = Vec::new();
    for (name, v) in [("partner_id", &q.partner_id), ("offer_id", &q.offer_id)] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{name}={}", encode(v)));
        }
    }
    if let Some(s) = q.status {
        parts.push(format!("status={}", s.as_str()));
    }
    if let Some(d) = q.from {
        parts.push(format!("from={}", d.format("%Y-%m-%d")));
    }
    if let Some(d) = q.to {
        parts.push(format!("to={}", d.format("%Y-%m-%d")));
    }
    page_params(q.limit, q.offset, &mut parts);
    with_query("/api/operator/sales".to_string(), &parts)
}

/// Flags several sales with one note.
pub const FRAUD_MANY: &str = "/api/operator/sales/fraud";

/// One partner as a whole, for the console.
pub fn operator_overview(pid: &str) -> String {
    format!("/api/operator/partners/{}/overview", encode(pid))
}

fn page_params(limit: Option<u32>, offset: Option<u64>, parts: &mut Vec<String>) {
    if let Some(l) = limit {
        parts.push(format!("limit={l}"));
    }
    if let Some(o) = offset.filter(|o| *o > 0) {
        parts.push(format!("offset={o}"));
    }
}

pub fn operator_sales(pid: &str) -> String {
    format!("/api/operator/partners/{}/sales", encode(pid))
}

pub fn operator_benefits(pid: &str) -> String {
    format!("/api/operator/partners/{}/benefits", encode(pid))
}

pub fn advance(pid: &str, bid: &str) -> String {
    format!("/api/operator/partners/{}/benefits/{}/advance", encode(pid), encode(bid))
}

pub fn revoke(pid: &str, bid: &str) -> String {
    format!("/api/operator/partners/{}/benefits/{}/revoke", encode(pid), encode(bid))
}

pub const OPERATORS: &str = "/api/operator/operators";
pub const CATALOG_IMPACT: &str = "/api/operator/catalogs/impact";

pub fn engagement_manager(pid: &str) -> String {
    format!("/api/operator/partners/{}/engagement-manager", encode(pid))
}

pub fn fraud(sale_id: i64) -> String {
    format!("/api/operator/sales/{sale_id}/fraud")
}

/// The whole audit trail (`csv`: its export) with the filters of `q`.
pub fn operator_audit(q: &crate::operator::AuditQuery, csv: bool) -> String {
    let base = if csv { "/api/operator/audit/export" } else { "/api/operator/audit" };
    with_query(base.to_string(), &audit_params(q, true))
}

fn audit_params(q: &crate::operator::AuditQuery, with_partner: bool) -> Vec<String> {
    let mut parts = Vec::new();
    let text = |name: &str, v: &Option<String>, parts: &mut Vec<String>| {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{name}={}", encode(v)));
        }
    };
    if with_partner {
        text("partner_id", &q.partner_id, &mut parts);
    }
    text("actor", &q.actor, &mut parts);
    text("action", &q.action, &mut parts);
    if let Some(d) = q.from {
        parts.push(format!("from={}", d.format("%Y-%m-%d")));
    }
    if let Some(d) = q.to {
        parts.push(format!("to={}", d.format("%Y-%m-%d")));
    }
    if let Some(b) = q.before {
        parts.push(format!("before={b}"));
    }
    if let Some(l) = q.limit {
        parts.push(format!("limit={l}"));
    }
    parts
}

fn with_query(base: String, parts: &[String]) -> String {
    if parts.is_empty() {
        base
    } else {
        format!("{base}?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_escape_their_segment() {
        assert_eq!(user("contoso", "../x?y=1"), "/api/partners/contoso/users/..%2Fx%3Fy%3D1");
        let audit = crate::operator::AuditQuery {
            partner_id: Some("acme".into()),
            actor: Some("a@b.example".into()),
            action: Some(" ".into()),
            from: chrono::NaiveDate::from_ymd_opt(2025, 7, 1),
            before: Some(42),
            ..Default::default()
        };
        assert_eq!(operator_audit(&audit, false), "/api/operator/audit?partner_id=acme&actor=a%40b.example&from=2025-07-01&before=42");
        assert_eq!(partner_audit("acme", &audit, true), "/api/partners/acme/audit/export?actor=a%40b.example&from=2025-07-01&before=42");
        assert_eq!(operator_audit(&Default::default(), true), "/api/operator/audit/export");
        assert_eq!(
            operator_partners(&crate::operator::PartnerQuery { q: Some("a b&c".into()), ..Default::default() }),
            "/api/operator/partners?q=a%20b%26c"
        );
        assert_eq!(
            operator_partners(&crate::operator::PartnerQuery {
                tier: Some(0),
                offer_type: Some(benefits_domain::OfferType::Transact),
                overdue: Some(true),
                sort: Some(crate::operator::PartnerSort::Mbs),
                desc: Some(true),
                limit: Some(20),
                offset: Some(40),
                ..Default::default()
            }),
            "/api/operator/partners?tier=0&offer_type=transact&overdue=true&sort=mbs&desc=true&limit=20&offset=40"
        );
        assert_eq!(export_csv("p", ExportFile::TeamsMau), "/api/partners/p/export/teams-mau.csv");
    }
}

pub const NOTIFICATIONS: &str = "/api/notifications";
pub const NOTIFICATIONS_READ_ALL: &str = "/api/notifications/read-all";
pub const NOTIFICATION_PREFERENCES: &str = "/api/notifications/preferences";
pub const CALENDAR: &str = "/api/calendar";

pub fn notification_read(id: i64) -> String {
    format!("{NOTIFICATIONS}/{id}/read")
}
