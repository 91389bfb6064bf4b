//! The operator's whole view of one partner, in one request: the workspace
//! as the partner sees it (tier, evaluation input, benefits, contact), the
//! feed data with where each row came from, and the engagement manager.
//! Sales, grants, people and the audit trail have their own paged routes.

use axum::extract::{Path, State};
use axum::Json;
use benefits_api::operator::PartnerOverview;
use benefits_domain::activation::Role;

use crate::auth::Auth;
use crate::error::{ApiResult, AppError};
use crate::http::exports::{bizapps_entries, mau_entries};
use crate::http::managers::manager_of;
use crate::http::openapi::PartnerScoped;
use crate::state::ApiContext;
use crate::store::{self, OfferRow};
use crate::workspace;

/// One partner as a whole: its workspace as the partner sees it, its offers
/// and metrics with their feed provenance, and its engagement manager.
#[utoipa::path(get, path = "/partners/{pid}/overview", tag = "operator", operation_id = "operator_partner_overview",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = PartnerOverview), PartnerScoped))]
pub async fn overview(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<PartnerOverview>> {
    auth.operator()?;
    let today = ctx.today();
    let snap = workspace::snapshot(&ctx, &pid, today).await?;
    let workspace = snap.workspace_view(snap.actor(Role::Operator, &auth.user.id), today);
    let mut tx = ctx.db.read.begin().await?;
    let partner = store::partner(&mut tx, &pid).await?.ok_or_else(AppError::not_found)?;
    let offers = store::offers(&mut tx, &pid).await?.iter().map(OfferRow::view).collect::<ApiResult<_>>()?;
    let bizapps = bizapps_entries(&mut tx, &pid).await?;
    let teams_mau = mau_entries(&mut tx, &pid).await?;
    let manager = manager_of(&mut tx, &partner).await?;
    tx.commit().await?;
    Ok(Json(PartnerOverview { workspace, offers, bizapps, teams_mau, manager }))
}
