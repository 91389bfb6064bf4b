//! `GET /api/openapi.json`: the OpenAPI 3 document, built with utoipa from the
//! route table below and the response/request types' schemas.

use std::sync::OnceLock;

use axum::Json;
use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, ObjectBuilder, Type};
use utoipa::openapi::{Content, HttpMethod, InfoBuilder, OpenApi, OpenApiBuilder, Paths, Ref, Required};


use crate::error::RowError;

/// One documented route.
pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    /// Schema name of the JSON body, or a media type note.
    pub request: Option<&'static str>,
    pub response: Option<&'static str>,
    pub success: u16,
    pub errors: &'static [u16],
}

const fn r(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    request: Option<&'static str>,
    response: Option<&'static str>,
    success: u16,
    errors: &'static [u16],
) -> RouteDoc {
    RouteDoc { method, path, summary, request, response, success, errors }
}

const AUTH_READ: &[u16] = &[401, 403, 404];
const AUTH_WRITE: &[u16] = &[400, 401, 403, 404, 412, 413, 415, 422, 428];

/// Every route of the API; a test checks that each one is served.
pub const ROUTES: &[RouteDoc] = &[
    r("get", "/api/health", "Liveness", None, None, 200, &[]),
    r("get", "/api/openapi.json", "This document", None, None, 200, &[]),
    r("post", "/api/session/login", "Sign in (needs X-Requested-With: benefits)", Some("LoginRequest"), Some("SessionInfo"), 200, &[400, 401, 403, 422, 429]),
    r("post", "/api/session/logout", "Sign out", None, None, 204, &[401, 403]),
    r("get", "/api/session/me", "The signed-in user, partner and CSRF token", None, Some("SessionInfo"), 200, &[401]),
    r("post", "/api/evaluate", "What-if evaluation (EVALUATE.md input and output); nothing stored", Some("EvaluationInput"), Some("Evaluation"), 200, &[403, 413, 422]),
    r("get", "/api/partners/{pid}/workspace", "The partner's workspace (?as_of=YYYY-MM-DD)", None, Some("Workspace"), 200, &[400, 401, 403, 404]),
    r("get", "/api/partners/{pid}/users", "The partner's users", None, Some("UserView"), 200, AUTH_READ),
    r("post", "/api/partners/{pid}/users", "Add a user (admin; Idempotency-Key)", Some("CreateUser"), Some("UserView"), 201, &[400, 401, 403, 404, 409, 413, 415, 422]),
    r("patch", "/api/partners/{pid}/users/{uid}", "Change a user's role (admin; If-Match)", Some("PatchUser"), Some("UserView"), 200, &[400, 401, 403, 404, 409, 412, 415, 422, 428]),
    r("delete", "/api/partners/{pid}/users/{uid}", "Remove a user (admin; If-Match optional)", None, None, 204, &[401, 403, 404, 409, 412]),
    r("get", "/api/partners/{pid}/contact", "The marketing contact (admin)", None, Some("ContactOut"), 200, AUTH_READ),
    r("put", "/api/partners/{pid}/contact", "Assign or change the marketing contact (admin; If-Match when one exists)", Some("ContactInput"), Some("ContactOut"), 200, AUTH_WRITE),
    r("get", "/api/partners/{pid}/benefits", "Every catalog benefit as seen today", None, Some("BenefitView"), 200, AUTH_READ),
    r("post", "/api/partners/{pid}/benefits/{bid}/activate", "Activate a benefit (If-Match: benefit version; Idempotency-Key)", None, Some("BenefitView"), 200, &[401, 403, 404, 409, 412, 428]),
    r("post", "/api/partners/{pid}/benefits/{bid}/opt-out", "Opt out of a benefit (If-Match; Idempotency-Key)", None, Some("BenefitView"), 200, &[401, 403, 404, 409, 412, 428]),
    r("get", "/api/partners/{pid}/offers", "The partner's offers from the marketplace feed (read-only), with provenance", None, Some("OfferView"), 200, AUTH_READ),
    r("get", "/api/partners/{pid}/grants", "The partner's grant ledger and first benefit date", None, Some("Ledger"), 200, AUTH_READ),
    r("get", "/api/partners/{pid}/export.json", "Offers, sales, metrics and evaluation", None, None, 200, AUTH_READ),
    r("get", "/api/partners/{pid}/export/{file}", "offers.csv | sales.csv | bizapps.csv | teams-mau.csv in the feed's columns", None, None, 200, AUTH_READ),
    r("get", "/api/partners/{pid}/audit", "The partner's audit log (admin)", None, Some("AuditEntry"), 200, AUTH_READ),
    r("get", "/api/operator/partners", "Partners with tier and activation figures (?q= name search)", None, Some("PartnerSummary"), 200, &[400, 401, 403]),
    r("get", "/api/operator/partners/{pid}/sales", "A partner's sales lines with fraud flags", None, Some("SaleView"), 200, AUTH_READ),
    r("get", "/api/operator/partners/{pid}/benefits", "A partner's benefits with operator actions", None, Some("BenefitView"), 200, AUTH_READ),
    r("post", "/api/operator/partners/{pid}/benefits/{bid}/advance", "Mark contacted / in progress / delivered (If-Match)", Some("Advance"), Some("BenefitView"), 200, AUTH_WRITE),
    r("post", "/api/operator/partners/{pid}/benefits/{bid}/revoke", "Revoke with a program reason (If-Match)", Some("Revoke"), Some("BenefitView"), 200, AUTH_WRITE),
    r("post", "/api/operator/sales/{sale_id}/fraud", "Flag or unflag a sale as fraudulent, with a note (If-Match)", Some("FraudFlag"), Some("SaleView"), 200, AUTH_WRITE),
    r("post", "/api/operator/partners/{pid}/offers/{oid}/delist", "Delist an offer, with a reason", Some("DelistOffer"), Some("OfferView"), 200, &[400, 401, 403, 404, 415, 422]),
    r("post", "/api/operator/partners/{pid}/rows/{kind}/{key}/delete", "Delete a wrong feed row (offers | sales | bizapps | teams-mau), with a reason", Some("DeleteRow"), Some("DeletedRow"), 200, &[400, 401, 403, 404, 409, 415, 422]),
    r("put", "/api/operator/partners/{pid}/first-benefit-date", "Correct the partner's first benefit date, with a reason", Some("FirstBenefitDate"), Some("FirstBenefitDateChange"), 200, &[400, 401, 403, 404, 415, 422]),
    r("get", "/api/operator/partners/{pid}/grants", "A partner's grant ledger", None, Some("Ledger"), 200, AUTH_READ),
    r("post", "/api/operator/feed/{kind}", "Upload a feed file (partners | offers | sales | bizapps | teams-mau; text/csv or a JSON array; ?file_name=); all or nothing", None, Some("IngestResult"), 200, &[400, 401, 403, 404, 413, 415, 422]),
    r("get", "/api/operator/ingestions", "The latest ingested feed files", None, Some("Ingestion"), 200, &[401, 403]),
    r("get", "/api/operator/tokens", "Service tokens (never their secrets)", None, Some("TokenInfo"), 200, &[401, 403]),
    r("post", "/api/operator/tokens", "Create a service token: the secret is in this response only", Some("NewToken"), Some("CreatedToken"), 201, &[400, 401, 403, 415, 422]),
    r("post", "/api/operator/tokens/{id}/revoke", "Revoke a service token", None, Some("TokenInfo"), 200, &[401, 403, 404]),
    r("post", "/api/feed/{kind}", "A marketplace job's feed file (Authorization: Bearer service token; text/csv or a JSON array); all or nothing", None, Some("IngestResult"), 200, &[400, 401, 403, 404, 413, 415, 422]),
    r("get", "/api/operator/activations", "The activation queue, overdue first", None, Some("QueueItem"), 200, &[401, 403]),
    r("get", "/api/operator/catalogs", "Published catalog versions, latest effective first, with their state (scheduled, in force, superseded)", None, Some("CatalogEntry"), 200, &[401, 403]),
    r("post", "/api/operator/catalogs", "Publish a new catalog version (?effective_from=YYYY-MM-DD, today or later)", Some("Catalog"), Some("CatalogEntry"), 201, &[400, 401, 403, 409, 413, 415, 422]),
    r("get", "/api/operator/audit", "The audit log (?partner_id=&limit=)", None, Some("AuditEntry"), 200, &[400, 401, 403]),
];

fn method(m: &str) -> HttpMethod {
    match m {
        "get" => HttpMethod::Get,
        "post" => HttpMethod::Post,
        "put" => HttpMethod::Put,
        "patch" => HttpMethod::Patch,
        _ => HttpMethod::Delete,
    }
}

fn error_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .property("code", ObjectBuilder::new().schema_type(Type::String))
        .required("code")
        .property("message", ObjectBuilder::new().schema_type(Type::String))
        .required("message")
        .property("field", ObjectBuilder::new().schema_type(Type::String))
        .property("errors", utoipa::openapi::schema::ArrayBuilder::new().items(ObjectBuilder::new()))
}

fn open_object(description: &str) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Object).description(Some(description))
}

pub fn build() -> OpenApi {
    use crate::http::{contact, corrections, feed, operator, session, users};
    use crate::store::{OfferView, PartnerInfo, Provenance, SaleView};
    use crate::workspace::{BenefitView, ContactView, Person, RevocationView, SupportTicketView};

    let components = ComponentsBuilder::new()
        .schema("Error", error_schema())
        .schema_from::<RowError>()
        .schema_from::<session::LoginRequest>()
        .schema_from::<session::SessionInfo>()
        .schema_from::<session::SessionUser>()
        .schema_from::<PartnerInfo>()
        .schema_from::<users::UserView>()
        .schema_from::<users::CreateUser>()
        .schema_from::<users::PatchUser>()
        .schema_from::<contact::ContactOut>()
        .schema("ContactInput", ObjectBuilder::new()
            .property("user_id", ObjectBuilder::new().schema_type(Type::String)).required("user_id")
            .property("email", ObjectBuilder::new().schema_type(Type::String)).required("email")
            .property("phone", ObjectBuilder::new().schema_type(Type::String)).required("phone")
            .property("language", ObjectBuilder::new().schema_type(Type::String)).required("language"))
        .schema_from::<ContactView>()
        .schema_from::<BenefitView>()
        .schema_from::<RevocationView>()
        .schema_from::<SupportTicketView>()
        .schema_from::<Person>()
        .schema_from::<OfferView>()
        .schema_from::<Provenance>()
        .schema_from::<corrections::DelistOffer>()
        .schema_from::<corrections::DeleteRow>()
        .schema_from::<corrections::DeletedRow>()
        .schema_from::<corrections::FirstBenefitDate>()
        .schema_from::<corrections::FirstBenefitDateChange>()
        .schema_from::<corrections::Ledger>()
        .schema_from::<corrections::GrantView>()
        .schema_from::<crate::feed::IngestResult>()
        .schema_from::<feed::Ingestion>()
        .schema_from::<feed::NewToken>()
        .schema_from::<crate::tokens::TokenInfo>()
        .schema_from::<crate::tokens::CreatedToken>()
        .schema_from::<SaleView>()
        .schema_from::<operator::PartnerSummary>()
        .schema_from::<operator::FraudFlag>()
        .schema_from::<operator::QueueItem>()
        .schema_from::<operator::QueueContact>()
        .schema_from::<operator::Advance>()
        .schema_from::<operator::AdvanceTo>()
        .schema_from::<operator::Revoke>()
        .schema_from::<operator::CatalogEntry>()
        .schema_from::<operator::AuditEntry>()
        .schema_from::<operator::AuditActor>()
        .schema("Workspace", open_object("{partner, as_of, catalog_version, evaluation, explanation, input, benefits: [BenefitView], contact: ContactView|null, engagement_manager: Person|null, support_ticket: SupportTicketView}; see docs/API.md"))
        .schema("EvaluationInput", open_object("The EVALUATE.md input: {as_of, catalog, partner}"))
        .schema("Evaluation", open_object("The EVALUATE.md output"))
        .schema("Catalog", open_object("A program catalog in the EVALUATE.md shape"))
        .build();

    let mut paths = Paths::new();
    for route in ROUTES {
        let mut op = OperationBuilder::new()
            .summary(Some(route.summary))
            .operation_id(Some(format!("{}_{}", route.method, route.path.trim_start_matches("/api/").replace(['/', '{', '}', '.', '-'], "_"))));
        for segment in route.path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                op = op.parameter(
                    ParameterBuilder::new()
                        .name(name)
                        .parameter_in(ParameterIn::Path)
                        .required(Required::True)
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
                );
            }
        }
        if let Some(req) = route.request {
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content("application/json", Content::new(Some(Ref::from_schema_name(req))))
                    .build(),
            ));
        }
        let ok = match route.response {
            Some(name) => ResponseBuilder::new().description("Success").content("application/json", Content::new(Some(Ref::from_schema_name(name)))),
            None => ResponseBuilder::new().description("Success"),
        };
        let mut responses = utoipa::openapi::ResponsesBuilder::new().response(route.success.to_string(), ok.build());
        for code in route.errors {
            responses = responses.response(
                code.to_string(),
                ResponseBuilder::new()
                    .description("Error (see docs/API.md for the codes)")
                    .content("application/json", Content::new(Some(Ref::from_schema_name("Error"))))
                    .build(),
            );
        }
        op = op.responses(responses.build());
        paths.add_path_operation(route.path, vec![method(route.method)], op.build());
    }

    OpenApiBuilder::new()
        .info(InfoBuilder::new().title("Benefits workspace API").version(env!("CARGO_PKG_VERSION")).build())
        .paths(paths)
        .components(Some(components))
        .build()
}

pub async fn document() -> Json<OpenApi> {
    static DOC: OnceLock<OpenApi> = OnceLock::new();
    Json(DOC.get_or_init(build).clone())
}

