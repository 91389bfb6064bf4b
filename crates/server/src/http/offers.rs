//! The partner's offers: read-only, as the marketplace feed reported them,
//! with where each came from. Operators correct them (`corrections`).

use axum::extract::{Path, State};
use axum::Json;

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::state::ApiContext;
use crate::store::{self, OfferRow, OfferView};

pub async fn list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<OfferView>>> {
    auth.partner_user(&pid)?;
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(store::offers(&mut conn, &pid).await?.iter().map(OfferRow::view).collect()))
}
