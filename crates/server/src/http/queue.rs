//! The activation queue: engagements being worked on, filtered and paged in
//! the database, overdue first; and moving several of them to their next
//! delivery step at once (all or nothing, each through the same transition as
//! one step, audited and notified per engagement).

use axum::extract::State;
use axum::Json;
use benefits_api::operator::{ActivationPage, ActivationQuery, BulkAdvance, MovedEngagement, QueueContact, QueueItem, MAX_BULK};
use benefits_domain::activation::{BenefitState, BenefitStatus};

use crate::auth::Auth;
use crate::clock::{fmt_date, parse_date};
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiQuery};
use crate::http::benefits::{apply_in, Transition};
use crate::http::openapi::{JsonBody, Query, SignedIn};
use crate::http::operator::page_bounds;
use crate::sql::Builder;
use crate::state::ApiContext;
use crate::store;

#[derive(sqlx::FromRow)]
struct QueueRow {
    partner_id: String,
    partner_name: String,
    engagement_manager_id: Option<String>,
    benefit_id: String,
    year_start: String,
    state_json: String,
    version: i64,
    c_name: Option<String>,
    c_email: Option<String>,
    c_phone: Option<String>,
    c_language: Option<String>,
}

const QUEUE_FROM: &str = " FROM benefit_records r JOIN partners p ON p.id = r.partner_id";

/// True for a row past its contact-by date: the SQL form of the domain's
/// `BenefitState::contact_overdue` (activated, and today after contact-by),
/// so that the filter, the count and the order run in the database.
fn push_overdue(b: &mut Builder<'_>, today: &str) {
    b.push("(r.status = 'activated' AND r.contact_by IS NOT NULL AND r.contact_by < ").push_bind(today.to_string()).push(")");
}

/// The WHERE clause: active engagements not expired by today (the domain's
/// `status_on`), then the filters, all bound.
fn queue_filters(b: &mut Builder<'_>, q: &ActivationQuery, today: &str, sqlite: bool) {
    let active = BenefitStatus::ACTIVE.map(|s| format!("'{}'", s.as_str())).join(", ");
    b.push(format_args!(" WHERE r.status IN ({active})"));
    let expires_on = crate::sql::json_text(sqlite, "r.state_json", "expires_on");
    b.push(format_args!(" AND ({expires_on} IS NULL OR {expires_on} > ")).push_bind(today.to_string()).push(")");
    if let Some(s) = q.status {
        b.push(" AND r.status = ").push_bind(s.as_str());
    }
    match q.overdue {
        Some(true) => {
            b.push(" AND ");
            push_overdue(b, today);
        }
        Some(false) => {
            b.push(" AND NOT ");
            push_overdue(b, today);
        }
        None => {}
    }
    if let Some(m) = q.manager.as_deref() {
        b.push(" AND p.engagement_manager_id = ").push_bind(m.to_string());
    }
    if let Some(pid) = q.partner_id.as_deref() {
        b.push(" AND r.partner_id = ").push_bind(pid.to_string());
    }
}

/// The activation queue: engagements being worked on, overdue first, then by
/// contact-by date; filtered by state, overdue, engagement manager and
/// partner; paged in the database with the total and the overdue count.
#[utoipa::path(get, path = "/activations", tag = "operator", operation_id = "activations",
    security(("session" = [])),
    params(ActivationQuery),
    responses((status = 200, body = ActivationPage), SignedIn, Query))]
pub async fn list(State(ctx): State<ApiContext>, auth: Auth, ApiQuery(q): ApiQuery<ActivationQuery>) -> ApiResult<Json<ActivationPage>> {
    auth.operator()?;
    let (limit, offset) = page_bounds(q.limit, q.offset)?;
    let today = ctx.today();
    let day = fmt_date(today);
    // A CASE, not the condition itself: PostgreSQL does not sum booleans.
    let mut count = Builder::new("SELECT COUNT(*), COALESCE(CAST(SUM(CASE WHEN ");
    push_overdue(&mut count, &day);
    count.push(" THEN 1 ELSE 0 END) AS BIGINT), 0)").push(QUEUE_FROM);
    queue_filters(&mut count, &q, &day, ctx.db.sqlite);
    let (total, overdue): (i64, i64) = count.build_query_as().fetch_one(&ctx.db.read).await?;

    let mut page = Builder::new(
        "SELECT r.partner_id, p.name AS partner_name, p.engagement_manager_id, r.benefit_id, r.year_start, r.state_json, r.version, \
         u.name AS c_name, c.email AS c_email, c.phone AS c_phone, c.language AS c_language",
    );
    page.push(QUEUE_FROM).push(" LEFT JOIN contacts c ON c.partner_id = r.partner_id LEFT JOIN users u ON u.id = c.user_id");
    queue_filters(&mut page, &q, &day, ctx.db.sqlite);
    page.push(" ORDER BY ");
    push_overdue(&mut page, &day);
    page.push(" DESC, r.contact_by NULLS FIRST, r.partner_id, r.benefit_id, r.year_start LIMIT ").push_bind(i64::from(limit)).push(" OFFSET ").push_bind(offset as i64);
    let rows: Vec<QueueRow> = page.build_query_as().fetch_all(&ctx.db.read).await?;

    let catalog = {
        let mut conn = ctx.db.read.acquire().await?;
        let seq = store::catalog_seq_on(&mut conn, today).await?;
        store::catalog_by_seq(&mut conn, seq).await?
    };
    let items = rows
        .into_iter()
        .map(|r| {
            let state: BenefitState = serde_json::from_str(&r.state_json)?;
            Ok(QueueItem {
                benefit_name: catalog.benefit(&r.benefit_id).map(|b| b.name.clone()).unwrap_or_else(|| r.benefit_id.clone()),
                partner_id: r.partner_id,
                partner_name: r.partner_name,
                benefit_id: r.benefit_id,
                year_start: parse_date(&r.year_start)?,
                status: state.status_on(today),
                activated_on: state.activated_on,
                contact_by: state.contact_by,
                contact_overdue: state.contact_overdue(today),
                days_overdue: state.days_overdue(today),
                engagement_manager_id: r.engagement_manager_id,
                version: r.version,
                contact: match (r.c_name, r.c_email, r.c_phone, r.c_language) {
                    (Some(name), Some(email), Some(phone), Some(language)) => Some(QueueContact { name, email, phone, language }),
                    _ => None,
                },
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(ActivationPage { total: total as u64, overdue: overdue as u64, offset, limit, items }))
}

/// Move several engagements, each to its next delivery step (activated →
/// contacted → in progress → delivered): all or nothing. Each goes through
/// the same transition as one step (the domain's rule, the audit entry, the
/// partner's notifications); one that does not exist, changed since it was
/// read or cannot move refuses the whole request, naming it (`items[i]`).
#[utoipa::path(post, path = "/activations/advance", tag = "operator", operation_id = "advance_many",
    security(("session" = [], "csrf" = [])),
    request_body = BulkAdvance,
    responses((status = 200, body = Vec<MovedEngagement>), SignedIn, JsonBody,
        (status = 409, body = benefits_api::ErrorBody, description = "A named engagement cannot move (`invalid_transition`, `revoked`, …)."),
        (status = 412, body = benefits_api::ErrorBody, description = "`version_mismatch`: a named engagement changed since it was read.")))]
pub async fn advance_many(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<BulkAdvance>) -> ApiResult<Json<Vec<MovedEngagement>>> {
    auth.operator()?;
    if body.items.is_empty() || body.items.len() > MAX_BULK {
        return Err(AppError::invalid_count("items", MAX_BULK, format!("Name between 1 and {MAX_BULK} engagements.")));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, e) in body.items.iter().enumerate() {
        if !seen.insert((&e.partner_id, &e.benefit_id)) {
            return Err(AppError::invalid_field(format!("items[{i}]"), "duplicate", "This engagement is named twice."));
        }
    }
    let mut tx = ctx.db.write.begin().await?;
    let mut out = Vec::with_capacity(body.items.len());
    let mut emailed = 0;
    for (i, e) in body.items.iter().enumerate() {
        // An error drops the transaction: nothing is written, nothing is sent.
        let (benefit, sent) = apply_in(&ctx, &mut tx, &auth, &e.partner_id, &e.benefit_id, e.version, Transition::AdvanceNext)
            .await
            .map_err(|err| err.for_item(&format!("items[{i}]")))?;
        emailed += sent;
        out.push(MovedEngagement { partner_id: e.partner_id.clone(), benefit });
    }
    tx.commit().await?;
    if emailed > 0 {
        ctx.mail_wake.notify_one();
    }
    Ok(Json(out))
}
