//! HTTP: one module per resource, the router, the OpenAPI document, the web app.

pub mod benefits;
pub mod contact;
pub mod corrections;
pub mod evaluate;
pub mod exports;
pub mod feed;
pub mod offers;
pub mod openapi;
pub mod operator;
pub mod session;
pub mod spa;
pub mod users;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use serde_json::json;

use crate::error::AppError;
use crate::extract::{EVALUATE_LIMIT, JSON_LIMIT};
use crate::security;
use crate::state::ApiContext;

async fn api_not_found() -> AppError {
    AppError::new(StatusCode::NOT_FOUND, "not_found", "No API route matches this address.")
}

async fn method_not_allowed() -> AppError {
    AppError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "This address does not accept this method.")
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// The `/api` routes.
fn api() -> Router<ApiContext> {
    let partner = Router::new()
        .route("/workspace", get(benefits::workspace))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{uid}", patch(users::patch).delete(users::delete))
        .route("/contact", get(contact::get).put(contact::put))
        .route("/benefits", get(benefits::list))
        .route("/benefits/{bid}/activate", post(benefits::activate))
        .route("/benefits/{bid}/opt-out", post(benefits::opt_out))
        .route("/offers", get(offers::list))
        .route("/grants", get(corrections::partner_grants))
        .route("/export.json", get(exports::json_export))
        .route("/export/{file}", get(exports::csv_export))
        .route("/audit", get(operator::partner_audit));
    let operator = Router::new()
        .route("/partners", get(operator::partners))
        .route("/partners/{pid}/sales", get(operator::partner_sales))
        .route("/partners/{pid}/benefits", get(operator::partner_benefits))
        .route("/partners/{pid}/benefits/{bid}/advance", post(operator::advance))
        .route("/partners/{pid}/benefits/{bid}/revoke", post(operator::revoke))
        .route("/partners/{pid}/offers/{oid}/delist", post(corrections::delist_offer))
        .route("/partners/{pid}/rows/{kind}/{key}/delete", post(corrections::delete_row))
        .route("/partners/{pid}/first-benefit-date", put(corrections::correct_first_benefit_date))
        .route("/partners/{pid}/grants", get(corrections::operator_grants))
        .route("/sales/{sale_id}/fraud", post(operator::flag_fraud))
        .route("/feed/{kind}", post(feed::console_ingest).layer(DefaultBodyLimit::max(feed::FEED_LIMIT)))
        .route("/ingestions", get(feed::ingestions))
        .route("/tokens", get(feed::list_tokens).post(feed::create_token))
        .route("/tokens/{id}/revoke", post(feed::revoke_token))
        .route("/activations", get(operator::activations))
        .route("/catalogs", get(operator::catalogs).post(operator::publish_catalog))
        .route("/audit", get(operator::audit));
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi::document))
        .route("/session/login", post(session::login))
        .route("/session/logout", post(session::logout))
        .route("/session/me", get(session::me))
        .route("/evaluate", post(evaluate::evaluate).layer(DefaultBodyLimit::max(EVALUATE_LIMIT)))
        .route("/feed/{kind}", post(feed::service_ingest).layer(DefaultBodyLimit::max(feed::FEED_LIMIT)))
        .nest("/partners/{pid}", partner)
        .nest("/operator", operator)
        .route_layer(middleware::from_fn(security::log_requests))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .layer(middleware::from_fn(security::same_origin_writes))
}

/// The whole application: `/api` and the web app, with the security headers.
pub fn router(ctx: ApiContext) -> Router {
    Router::new()
        .nest("/api", api())
        .fallback_service(spa::service(&ctx))
        .layer(middleware::from_fn_with_state(ctx.clone(), security::security_headers))
        .with_state(ctx)
}
