//! The workspace, the benefit list and the benefit actions (partner and operator).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::benefits::BenefitView;
use benefits_api::workspace::{Workspace, WorkspaceQuery};
use benefits_domain::activation::{self, BenefitState, BenefitStatus, RevocationReason};
use serde_json::json;
use sqlx::AnyConnection;

use crate::auth::Auth;
use crate::clock::now_rfc3339;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiQuery, IdemKey, IdempotencyKey, IfMatch, Stored};
use crate::state::ApiContext;
use crate::store::{self, Record};
use crate::http::openapi::{Conflict, IdempotencyKeyParam, IfMatchRequired, PartnerScoped, Query, Versioned};
use crate::notify::{self, Links};
use crate::workspace;

/// The partner's workspace: its data as the evaluation's input, benefits, contact.
#[utoipa::path(get, path = "/workspace", tag = "partner", operation_id = "workspace",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id."), WorkspaceQuery),
    responses((status = 200, body = Workspace), PartnerScoped, Query))]
pub async fn workspace(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(pid): Path<String>,
    ApiQuery(q): ApiQuery<WorkspaceQuery>,
) -> ApiResult<Stored<Workspace>> {
    auth.partner_user(&pid)?;
    let today = ctx.today();
    let snap = workspace::snapshot(&ctx, &pid, q.as_of.unwrap_or(today)).await?;
    let actor = snap.actor(auth.role(), &auth.user.id);
    Ok(Stored::raw(StatusCode::OK, None, snap.workspace_body(&ctx.cache, actor, today)?))
}

/// Every catalog benefit as the caller sees it today.
#[utoipa::path(get, path = "/benefits", tag = "partner", operation_id = "benefits",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Vec<BenefitView>), PartnerScoped))]
pub async fn list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<BenefitView>>> {
    auth.partner_user(&pid)?;
    let today = ctx.today();
    let snap = workspace::snapshot(&ctx, &pid, today).await?;
    Ok(Json(snap.benefit_views(snap.actor(auth.role(), &auth.user.id), today)))
}

/// A benefit action.
pub enum Transition {
    Activate,
    OptOut,
    Advance(BenefitStatus),
    /// The next delivery step, whatever the current one (bulk moves).
    AdvanceNext,
    Revoke(RevocationReason, Option<String>),
}

impl Transition {
    fn audit_action(&self) -> &'static str {
        match self {
            Transition::Activate => "benefit.activate",
            Transition::OptOut => "benefit.opt_out",
            Transition::Advance(_) | Transition::AdvanceNext => "benefit.advance",
            Transition::Revoke(..) => "benefit.revoke",
        }
    }
}

/// Re-evaluates the partner inside the write transaction, applies the domain
/// transition and stores it if the benefit's version is the one expected.
/// With an idempotency key, a retry returns the first stored result.
pub async fn apply(
    ctx: &ApiContext,
    auth: &Auth,
    pid: &str,
    bid: &str,
    if_match: &IfMatch,
    t: Transition,
    key: Option<&IdemKey>,
) -> ApiResult<Stored<BenefitView>> {
    let route = idem_route(&t, pid, bid);
    let mut tx = crate::db::begin_partner_write(&ctx.db.write, pid).await?;
    if let Some(stored) = store::idempotent_replay(&mut tx, &auth.user.id, &route, key).await? {
        return Ok(stored);
    }
    let expected = if_match.required()?;
    let (view, emailed) = apply_in(ctx, &mut tx, auth, pid, bid, expected, t).await?;
    let stored = Stored::json(StatusCode::OK, Some(view.version), &view)?;
    store::idempotent_store(&mut tx, &auth.user.id, &route, key, &stored).await?;
    tx.commit().await?;
    if emailed > 0 {
        ctx.mail_wake.notify_one();
    }
    Ok(stored)
}

/// [`apply`] inside the caller's transaction (a bulk action runs several in
/// one): the transition, its audit entry and its notifications. Returns the
/// benefit as the caller sees it and how many emails were queued; the caller
/// commits and wakes the mailer.
pub async fn apply_in(
    ctx: &ApiContext,
    tx: &mut AnyConnection,
    auth: &Auth,
    pid: &str,
    bid: &str,
    expected: i64,
    t: Transition,
) -> ApiResult<(BenefitView, usize)> {
    let today = ctx.today();
    let partner = store::partner(&mut *tx, pid).await?.ok_or_else(AppError::not_found)?;
    let mut snap = workspace::compute(ctx, &mut *tx, partner, today).await?;
    // What the evaluation unlocks today is granted before anything is done with it.
    if snap.has_due() {
        crate::ledger::record(&mut *tx, &snap, Some(&Links::new(&ctx.config))).await?;
    }
    let def = snap.catalog.benefit(bid).cloned().ok_or_else(AppError::not_found)?;
    let (state, version) = snap.benefit_state(bid);
    if version != expected {
        return Err(AppError::version_mismatch());
    }
    let actor = snap.actor(auth.role(), &auth.user.id);
    let next: BenefitState = match &t {
        Transition::Activate => activation::activate(&state, actor, snap.contact.is_some(), def.expires_after_days, today)?,
        Transition::OptOut => activation::opt_out(&state, actor, today)?,
        Transition::Advance(to) => activation::advance(&state, actor, *to, today)?,
        Transition::AdvanceNext => activation::advance_next(&state, actor, today)?,
        Transition::Revoke(reason, note) => activation::revoke(&state, actor, *reason, note.clone(), today)?,
    };
    // The domain refuses every action on a locked benefit, so a benefit year exists here.
    let year_start = snap.year_start().ok_or(activation::TransitionError::NotUnlocked)?;
    let state_json = serde_json::to_string(&next)?;
    let contact_by = next.contact_by.map(crate::clock::fmt_date);
    let now = now_rfc3339();
    let written = if version == 0 {
        sqlx::query(
            "INSERT INTO benefit_records (partner_id, benefit_id, year_start, status, contact_by, state_json, catalog_version, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) ON CONFLICT DO NOTHING",
        )
        .bind(pid)
        .bind(bid)
        .bind(&year_start)
        .bind(next.status.as_str())
        .bind(&contact_by)
        .bind(&state_json)
        .bind(&snap.evaluation.catalog_version)
        .bind(&now)
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE benefit_records SET status = $1, contact_by = $2, state_json = $3, catalog_version = $4, version = version + 1, updated_at = $5 \
             WHERE partner_id = $6 AND benefit_id = $7 AND year_start = $8 AND version = $9",
        )
        .bind(next.status.as_str())
        .bind(&contact_by)
        .bind(&state_json)
        .bind(&snap.evaluation.catalog_version)
        .bind(&now)
        .bind(pid)
        .bind(bid)
        .bind(&year_start)
        .bind(version)
        .execute(&mut *tx)
        .await?
    };
    if written.rows_affected() != 1 {
        return Err(AppError::version_mismatch());
    }
    store::bump_data_version(&mut *tx, pid).await?;
    let moved = notify::events::Moved {
        pid,
        partner: &snap.partner.name,
        bid,
        benefit: &def.name,
        year_start: &year_start,
        version: version + 1,
        before: &state,
        after: &next,
    };
    let emailed = notify::events::benefit_moved(&mut *tx, &Links::new(&ctx.config), &moved).await?;
    store::audit(
        &mut *tx,
        Some(&auth.user),
        Some(pid),
        t.audit_action(),
        &format!("benefit:{bid}@{year_start}"),
        Some(json!({"state": state, "version": version})),
        Some(json!({"state": next, "version": version + 1, "catalog_version": snap.evaluation.catalog_version})),
    )
    .await?;
    snap.records.insert(
        bid.to_string(),
        Record {
            benefit_id: bid.to_string(),
            year_start,
            state: next,
            version: version + 1,
            catalog_version: snap.evaluation.catalog_version.clone(),
        },
    );
    let view = snap.benefit_view(bid, actor, today).ok_or_else(AppError::not_found)?;
    Ok((view, emailed))
}

fn idem_route(t: &Transition, pid: &str, bid: &str) -> String {
    format!("{} {pid}/{bid}", t.audit_action())
}

async fn partner_action(
    ctx: ApiContext,
    auth: Auth,
    pid: String,
    bid: String,
    if_match: IfMatch,
    key: Option<IdemKey>,
    t: Transition,
) -> ApiResult<Stored<BenefitView>> {
    auth.partner_user(&pid)?;
    apply(&ctx, &auth, &pid, &bid, &if_match, t, key.as_ref()).await
}

/// Activate a benefit (an admin, or the marketing contact).
#[utoipa::path(post, path = "/benefits/{bid}/activate", tag = "partner", operation_id = "activate",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("bid" = String, Path, description = "The benefit's id."),
        IfMatchRequired, IdempotencyKeyParam),
    responses((status = 200, body = BenefitView, headers(("ETag" = String))), PartnerScoped, Versioned, Conflict))]
pub async fn activate(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, bid)): Path<(String, String)>,
    if_match: IfMatch,
    IdempotencyKey(key): IdempotencyKey,
) -> ApiResult<Stored<BenefitView>> {
    partner_action(ctx, auth, pid, bid, if_match, key, Transition::Activate).await
}

/// Opt out of a benefit for this benefit year.
#[utoipa::path(post, path = "/benefits/{bid}/opt-out", tag = "partner", operation_id = "opt_out",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("bid" = String, Path, description = "The benefit's id."),
        IfMatchRequired, IdempotencyKeyParam),
    responses((status = 200, body = BenefitView, headers(("ETag" = String))), PartnerScoped, Versioned, Conflict))]
pub async fn opt_out(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, bid)): Path<(String, String)>,
    if_match: IfMatch,
    IdempotencyKey(key): IdempotencyKey,
) -> ApiResult<Stored<BenefitView>> {
    partner_action(ctx, auth, pid, bid, if_match, key, Transition::OptOut).await
}
