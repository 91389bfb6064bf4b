//! The partner's offers: read-only, as the marketplace feed reported them,
//! with where each came from. Operators correct them (`corrections`).

use axum::extract::{Path, State};
use axum::Json;
use benefits_api::offers::OfferView;

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::http::openapi::PartnerScoped;
use crate::state::ApiContext;
use crate::store::{self, OfferRow};

/// The partner's offers from the marketplace feed (not live yet last), with provenance.
#[utoipa::path(get, path = "/offers", tag = "partner", operation_id = "offers",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Vec<OfferView>), PartnerScoped))]
pub async fn list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<OfferView>>> {
    auth.partner_user(&pid)?;
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(store::offers(&mut conn, &pid).await?.iter().map(OfferRow::view).collect::<ApiResult<_>>()?))
}
