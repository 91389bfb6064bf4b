//! The feed over HTTP: the marketplace's jobs send files with a service token,
//! operators upload them in the console; both ingest through `feed::ingest`.
//! Also the operators' service tokens and the ingestion log.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::error::{ApiResult, AppError};
use crate::extract::{body_bytes, content_type, ApiJson, ApiQuery, Stored};
use crate::feed::{self, Format, IngestResult, Kind, Source};
use crate::state::ApiContext;
use crate::tokens::{self, CreatedToken, ServiceCaller, TokenInfo};

/// The largest feed file accepted over HTTP (the command line has no limit but rows).
pub const FEED_LIMIT: usize = 128 * 1024 * 1024;

fn kind(s: &str) -> ApiResult<Kind> {
    Kind::parse(s).ok_or_else(|| {
        AppError::with_field(
            StatusCode::NOT_FOUND,
            "unknown_feed_kind",
            "The feed kinds are partners, offers, sales, bizapps and teams-mau.",
            "kind",
        )
    })
}

async fn ingest_request(ctx: &ApiContext, kind: Kind, req: Request, source: Source) -> ApiResult<Json<IngestResult>> {
    let format = Format::from_media_type(&content_type(req.headers())).ok_or_else(|| {
        AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Send the file as text/csv or as a JSON array (application/json).")
    })?;
    let bytes = body_bytes(req, FEED_LIMIT).await?;
    let result = feed::ingest(&ctx.db, kind, format, std::io::Cursor::new(bytes), source).await?;
    Ok(Json(result))
}

/// `POST /api/feed/{kind}`: a marketplace job's file.
pub async fn service_ingest(State(ctx): State<ApiContext>, caller: ServiceCaller, Path(k): Path<String>, req: Request) -> ApiResult<Json<IngestResult>> {
    let kind = kind(&k)?;
    let source = Source { via: "api", user_id: None, actor: Some(format!("token {}", caller.name)), file_name: None };
    ingest_request(&ctx, kind, req, source).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    pub file_name: Option<String>,
}

/// `POST /api/operator/feed/{kind}`: an operator's upload in the console.
pub async fn console_ingest(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(k): Path<String>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    req: Request,
) -> ApiResult<Json<IngestResult>> {
    auth.operator()?;
    let kind = kind(&k)?;
    let file_name = q.file_name.map(|f| f.chars().take(200).collect());
    let source = Source { via: "console", user_id: Some(auth.user.id.clone()), actor: Some(auth.user.email.clone()), file_name };
    ingest_request(&ctx, kind, req, source).await
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Ingestion {
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub actor: Option<String>,
    pub file_name: Option<String>,
    pub rows: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub at: String,
}

pub async fn ingestions(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<Ingestion>>> {
    auth.operator()?;
    Ok(Json(
        sqlx::query_as("SELECT id, kind, source, actor, file_name, rows, inserted, updated, unchanged, at FROM ingestions ORDER BY id DESC LIMIT 200")
            .fetch_all(&ctx.db.read)
            .await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: String,
}

pub async fn list_tokens(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<TokenInfo>>> {
    auth.operator()?;
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(tokens::list(&mut conn).await?))
}

pub async fn create_token(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<NewToken>) -> ApiResult<Stored> {
    auth.operator()?;
    let mut tx = ctx.db.write.begin().await?;
    let created: CreatedToken = tokens::create(&mut tx, &body.name, Some(&auth.user)).await?;
    tx.commit().await?;
    Stored::json(StatusCode::CREATED, None, &created)
}

pub async fn revoke_token(State(ctx): State<ApiContext>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<TokenInfo>> {
    auth.operator()?;
    let mut tx = ctx.db.write.begin().await?;
    let info = tokens::revoke(&mut tx, &id, Some(&auth.user)).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(Json(info))
}
