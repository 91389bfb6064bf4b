//! HTTP: one module per resource, the router, the OpenAPI document, the web app.
//!
//! [`routes`] is the one list of the API: each entry registers a handler and
//! the operation its `#[utoipa::path]` declares, so the served routes and the
//! document (`GET /api/openapi.json`) always agree.

pub mod account;
pub mod audit;
pub mod benefits;
pub mod compress;
pub mod contact;
pub mod corrections;
pub mod dashboard;
pub mod evaluate;
pub mod exports;
pub mod feed;
pub mod invitations;
pub mod managers;
pub mod mfa;
pub mod notifications;
pub mod offers;
pub mod onboarding;
pub mod openapi;
pub mod operator;
pub mod partner360;
pub mod queue;
pub mod retry;
pub mod partner_sales;
pub mod sales;
pub mod session;
pub mod spa;
pub mod users;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::{Json, Router};
use benefits_api::session::{Health, HealthStatus};
use benefits_api::ErrorCode;
use utoipa::OpenApi as _;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::error::AppError;
use crate::extract::{EVALUATE_LIMIT, JSON_LIMIT};
use crate::security;
use crate::state::ApiContext;

/// The message of a request that matches no route (tests tell it from a handler's 404 by it).
pub const NO_ROUTE: &str = "No API route matches this address.";

async fn api_not_found() -> AppError {
    AppError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, NO_ROUTE)
}

async fn method_not_allowed() -> AppError {
    AppError::new(StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed, "This address does not accept this method.")
}

/// Liveness.
#[utoipa::path(get, path = "/health", tag = "meta", operation_id = "health", responses((status = 200, body = Health)))]
async fn health() -> Json<Health> {
    Json(Health { status: HealthStatus::Ok })
}

/// Every route of `/api`, with its operation.
pub fn routes() -> OpenApiRouter<ApiContext> {
    let partner = OpenApiRouter::new()
        .routes(routes!(benefits::workspace))
        .routes(routes!(partner_sales::list))
        .routes(routes!(users::list))
        .routes(routes!(invitations::partner_list, invitations::partner_create))
        .routes(routes!(invitations::partner_revoke))
        .routes(routes!(invitations::partner_resend))
        .routes(routes!(users::patch, users::delete))
        .routes(routes!(contact::get, contact::put))
        .routes(routes!(benefits::list))
        .routes(routes!(benefits::activate))
        .routes(routes!(benefits::opt_out))
        .routes(routes!(offers::list))
        .routes(routes!(corrections::partner_grants))
        .routes(routes!(exports::json_export))
        .routes(routes!(exports::csv_export))
        .routes(routes!(audit::partner_page))
        .routes(routes!(audit::partner_csv));
    let operator = OpenApiRouter::new()
        .routes(routes!(operator::partners, onboarding::create))
        .routes(routes!(onboarding::get, onboarding::patch))
        .routes(routes!(managers::operators))
        .routes(routes!(managers::current, managers::assign))
        .routes(routes!(managers::assign_many))
        .routes(routes!(invitations::operator_partner_list, invitations::operator_partner_create))
        .routes(routes!(invitations::operator_partner_revoke))
        .routes(routes!(invitations::operator_partner_resend))
        .routes(routes!(invitations::operator_list, invitations::operator_create))
        .routes(routes!(invitations::operator_revoke))
        .routes(routes!(invitations::operator_resend))
        .routes(routes!(operator::partner_sales))
        .routes(routes!(operator::partner_benefits))
        .routes(routes!(operator::advance))
        .routes(routes!(operator::revoke))
        .routes(routes!(sales::flag_fraud))
        .routes(routes!(sales::flag_fraud_many))
        .routes(routes!(sales::list))
        .routes(routes!(partner360::overview))
        .routes(routes!(corrections::delist_offer))
        .routes(routes!(corrections::delete_row))
        .routes(routes!(corrections::correct_first_benefit_date))
        .routes(routes!(corrections::operator_grants))
        .routes(routes!(feed::console_ingest).layer(DefaultBodyLimit::max(feed::FEED_LIMIT)))
        .routes(routes!(feed::ingestions))
        .routes(routes!(feed::list_tokens, feed::create_token))
        .routes(routes!(feed::revoke_token))
        .routes(routes!(queue::list))
        .routes(routes!(queue::advance_many))
        .routes(routes!(operator::catalogs, operator::publish_catalog))
        .routes(routes!(operator::catalog_impact))
        .routes(routes!(dashboard::get))
        .routes(routes!(audit::operator_page))
        .routes(routes!(audit::operator_csv));
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(openapi::document))
        .routes(routes!(session::login))
        .routes(routes!(session::logout))
        .routes(routes!(session::me, account::patch_me))
        .routes(routes!(account::change_password))
        .routes(routes!(account::request_reset))
        .routes(routes!(account::reset_password))
        .routes(routes!(account::sessions))
        .routes(routes!(account::sign_out_others))
        .routes(routes!(account::request_email_change))
        .routes(routes!(account::confirm_email))
        .routes(routes!(mfa::status))
        .routes(routes!(mfa::setup))
        .routes(routes!(mfa::confirm))
        .routes(routes!(mfa::disable))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::read))
        .routes(routes!(notifications::read_all))
        .routes(routes!(notifications::preferences, notifications::patch_preferences))
        .routes(routes!(notifications::feed_status, notifications::feed_create, notifications::feed_revoke))
        .routes(routes!(notifications::ics))
        .routes(routes!(invitations::preview))
        .routes(routes!(invitations::accept))
        .routes(routes!(session::set_language))
        .routes(routes!(evaluate::evaluate).layer(DefaultBodyLimit::max(EVALUATE_LIMIT)))
        .routes(routes!(feed::service_ingest).layer(DefaultBodyLimit::max(feed::FEED_LIMIT)))
        .nest("/partners/{pid}", partner)
        .nest("/operator", operator)
}

/// The OpenAPI document of [`routes`], its paths under `/api` as served.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut doc = OpenApiRouter::<ApiContext>::with_openapi(openapi::ApiDoc::openapi()).nest("/api", routes()).into_openapi();
    openapi::text_without_nul(&mut doc);
    doc
}

/// The `/api` routes.
fn api(ctx: &ApiContext) -> Router<ApiContext> {
    let (router, _) = routes().split_for_parts();
    router
        .route_layer(middleware::from_fn_with_state(ctx.clone(), retry::serialization_failures))
        .route_layer(middleware::from_fn(security::log_requests))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(crate::extract::fingerprint_body))
        .layer(middleware::from_fn(crate::extract::refuse_nul_in_uri))
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .layer(middleware::from_fn_with_state(ctx.clone(), security::same_origin_writes))
        .layer(middleware::from_fn(security::no_store))
}

/// The whole application: `/api` and the web app, with the security headers.
pub fn router(ctx: ApiContext) -> Router {
    Router::new()
        .nest("/api", compress::api(api(&ctx)))
        .fallback_service(spa::service(&ctx))
        .layer(middleware::from_fn_with_state(ctx.clone(), security::security_headers))
        .with_state(ctx)
}
