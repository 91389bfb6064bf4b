//! The feed over HTTP: the marketplace's jobs send files with a service token,
//! operators upload them in the console; both ingest through `feed::ingest`.
//! Also the operators' service tokens and the ingestion log.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::feed::{CreatedToken, FeedKind, IngestResult, Ingestion, NewToken, TokenInfo, UploadQuery};
use benefits_api::{ErrorBody, ErrorCode};

use crate::auth::Auth;
use crate::error::{ApiResult, AppError};
use crate::extract::{body_bytes, content_type, ApiJson, ApiQuery, Stored};
use crate::feed::{self, Format, Kind, Source};
use crate::http::openapi::{JsonBody, SignedIn};
use crate::state::ApiContext;
use crate::service_tokens::{self as tokens, ServiceCaller};

/// The largest feed file accepted over HTTP (the command line has no limit but rows).
pub const FEED_LIMIT: usize = 128 * 1024 * 1024;

fn kind(s: &str) -> ApiResult<Kind> {
    Kind::parse(s).ok_or_else(|| {
        AppError::with_field(
            StatusCode::NOT_FOUND,
            ErrorCode::UnknownFeedKind,
            "The feed kinds are partners, offers, sales, bizapps and teams-mau.",
            "kind",
        )
    })
}

async fn ingest_request(ctx: &ApiContext, kind: Kind, req: Request, source: Source) -> ApiResult<Json<IngestResult>> {
    let format = Format::from_media_type(&content_type(req.headers())).ok_or_else(|| {
        AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::UnsupportedMediaType, "Send the file as text/csv or as a JSON array (application/json).")
    })?;
    let bytes = body_bytes(req, FEED_LIMIT).await?;
    let result = feed::ingest(&ctx.db, kind, format, std::io::Cursor::new(bytes), source).await?;
    crate::summary::refresh_in_background(ctx.clone());
    Ok(Json(result))
}

/// A marketplace job's feed file (CSV with a header row, or a JSON array), all
/// or nothing. Authenticated by a service token, which can do nothing else.
#[utoipa::path(post, path = "/feed/{kind}", tag = "feed", operation_id = "feed_ingest",
    security(("service_token" = [])),
    params(("kind" = FeedKind, Path, description = "partners, offers, sales, bizapps or teams-mau.")),
    request_body(content = String, content_type = "text/csv", description = "CSV with a header row, or (application/json) an array of row objects."),
    responses((status = 200, body = IngestResult), JsonBody,
        (status = 401, body = ErrorBody, description = "`unauthenticated`: no token; `invalid_token`: unknown or revoked."),
        (status = 403, body = ErrorBody, description = "`forbidden`: a signed-in person, not a service token."),
        (status = 404, body = ErrorBody, description = "`unknown_feed_kind`.")))]
pub async fn service_ingest(State(ctx): State<ApiContext>, caller: ServiceCaller, Path(k): Path<String>, req: Request) -> ApiResult<Json<IngestResult>> {
    let kind = kind(&k)?;
    let source = Source { via: "api", user_id: None, actor: Some(format!("token {}", caller.name)), file_name: None };
    ingest_request(&ctx, kind, req, source).await
}

/// An operator's upload of a feed file in the console, all or nothing.
#[utoipa::path(post, path = "/feed/{kind}", tag = "operator", operation_id = "operator_feed_upload",
    security(("session" = [], "csrf" = [])),
    params(("kind" = FeedKind, Path, description = "partners, offers, sales, bizapps or teams-mau."), UploadQuery),
    request_body(content = String, content_type = "text/csv", description = "CSV with a header row, or (application/json) an array of row objects."),
    responses((status = 200, body = IngestResult), SignedIn, JsonBody,
        (status = 404, body = ErrorBody, description = "`unknown_feed_kind`.")))]
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

#[derive(sqlx::FromRow)]
struct IngestionRow {
    id: i64,
    kind: String,
    source: String,
    actor: Option<String>,
    file_name: Option<String>,
    rows: i64,
    inserted: i64,
    updated: i64,
    unchanged: i64,
    at: String,
}

/// The latest ingested feed files, newest first.
#[utoipa::path(get, path = "/ingestions", tag = "operator", operation_id = "ingestions",
    security(("session" = [])),
    responses((status = 200, body = Vec<Ingestion>), SignedIn))]
pub async fn ingestions(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<Ingestion>>> {
    auth.operator()?;
    let rows: Vec<IngestionRow> =
        sqlx::query_as("SELECT id, kind, source, actor, file_name, rows, inserted, updated, unchanged, at FROM ingestions ORDER BY id DESC LIMIT 200")
            .fetch_all(&ctx.db.read)
            .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| Ingestion {
                id: r.id,
                kind: r.kind,
                source: r.source,
                actor: r.actor,
                file_name: r.file_name,
                rows: r.rows,
                inserted: r.inserted,
                updated: r.updated,
                unchanged: r.unchanged,
                at: r.at,
            })
            .collect(),
    ))
}

/// The service tokens, never their secrets.
#[utoipa::path(get, path = "/tokens", tag = "operator", operation_id = "tokens",
    security(("session" = [])),
    responses((status = 200, body = Vec<TokenInfo>), SignedIn))]
pub async fn list_tokens(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<TokenInfo>>> {
    auth.operator()?;
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(tokens::list(&mut conn).await?))
}

/// Create a service token for a marketplace job: its secret is in this answer only.
#[utoipa::path(post, path = "/tokens", tag = "operator", operation_id = "create_token",
    security(("session" = [], "csrf" = [])),
    request_body = NewToken,
    responses((status = 201, body = CreatedToken), SignedIn, JsonBody))]
pub async fn create_token(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<NewToken>) -> ApiResult<Stored<CreatedToken>> {
    auth.operator()?;
    let mut tx = ctx.db.write.begin().await?;
    let created: CreatedToken = tokens::create(&mut tx, &body.name, Some(&auth.user)).await?;
    tx.commit().await?;
    Stored::json(StatusCode::CREATED, None, &created)
}

/// Revoke a service token: it stops at once.
#[utoipa::path(post, path = "/tokens/{id}/revoke", tag = "operator", operation_id = "revoke_token",
    security(("session" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The token's id.")),
    responses((status = 200, body = TokenInfo), SignedIn,
        (status = 404, body = ErrorBody, description = "`not_found`: no such token.")))]
pub async fn revoke_token(State(ctx): State<ApiContext>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<TokenInfo>> {
    auth.operator()?;
    let mut tx = ctx.db.write.begin().await?;
    let info = tokens::revoke(&mut tx, &id, Some(&auth.user)).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(Json(info))
}
