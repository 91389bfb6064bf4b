//! The OpenAPI document. Each handler declares its operation with
//! `#[utoipa::path]`; the router (`http::routes`) registers handler and
//! operation together, so the document cannot list a route that is not
//! served, nor miss one that is. This module holds what operations share: the
//! document's head, the security schemes and the error responses.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::Json;
use benefits_api::ErrorBody;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, Response};
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi};

/// The head of the document; `http::routes` adds the operations.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Benefits workspace API",
        description = "Marketplace Rewards benefits: partner workspaces, activations, operator tools. \
            Sign in with POST /api/session/login; the session is the `__Host-benefits_session` cookie, \
            and every state-changing request also sends the session's CSRF token as `X-CSRF-Token` \
            (and, from a browser, a same-origin `Origin`). Versioned resources answer with an `ETag`; \
            changes send it back as `If-Match`. Every error is an `ErrorBody` with a stable `code`.",
        version = "1"
    ),
    components(schemas(ErrorBody, benefits_api::operator::PartnerSort, benefits_api::operator::QueueState, benefits_domain::OfferType, benefits_api::sales::SalesSort, benefits_api::sales::VerdictGroup, benefits_domain::SaleStatus)),
    modifiers(&SecuritySchemes)
)]
pub struct ApiDoc;

/// Security requirement names used by the operations.
pub const SESSION: &str = "session";
pub const CSRF: &str = "csrf";
pub const SERVICE_TOKEN: &str = "service_token";

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "The session, set by POST /api/session/login (HttpOnly, Secure, SameSite=Strict).",
            ))),
        );
        components.add_security_scheme(
            SERVICE_TOKEN,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A service token (`benefits token create`, or an operator in the console); it may only send feed files."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's `csrf_token` (from login or GET /api/session/me); required on every POST, PUT, PATCH and DELETE.",
            ))),
        );
    }
}

fn describe(status: u16) -> &'static str {
    match status {
        400 => "`bad_request` / `invalid_json`: a malformed body, query string or header (If-Match, Idempotency-Key).",
        401 => "`unauthenticated`: not signed in, or the session has ended.",
        403 => "`forbidden`: the caller's role or partner may not do this; `csrf_failed`: the X-CSRF-Token or the Origin check failed.",
        404 => "`not_found`: no such resource, or a partner the caller does not belong to.",
        409 => "A conflict with stored data or with the benefit's state (the `code` says which).",
        412 => "`version_mismatch`: If-Match is not the current version; reload and try again.",
        413 => "`payload_too_large`: the body is over the limit.",
        415 => "`unsupported_media_type`: send JSON with Content-Type: application/json.",
        422 => "`validation_failed` (every field at fault in `errors`), `invalid_input` or `import_rejected` (every row at fault).",
        428 => "`precondition_required`: send If-Match with the version last seen (the ETag).",
        429 => "`rate_limited`: too many attempts from this client; see Retry-After.",
        503 => "`busy`: too many password checks at once; see Retry-After.",
        _ => "An error.",
    }
}

fn error_responses(statuses: &[u16]) -> BTreeMap<String, RefOr<Response>> {
    statuses
        .iter()
        .map(|s| {
            let response = ResponseBuilder::new()
                .description(describe(*s))
                .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
                .build();
            (s.to_string(), RefOr::T(response))
        })
        .collect()
}

/// Declares a named set of error responses for `responses(...)` in `#[utoipa::path]`.
macro_rules! error_set {
    ($(#[$doc:meta])* $name:ident = [$($status:literal),*]) => {
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                error_responses(&[$($status),*])
            }
        }
    };
}

error_set!(
    /// Any route that needs a session: no session, or the wrong role.
    SignedIn = [401, 403]
);
error_set!(
    /// A route under `/partners/{pid}` or about one partner: also an unknown (or someone else's) partner.
    PartnerScoped = [401, 403, 404]
);
error_set!(
    /// A JSON request body.
    JsonBody = [400, 413, 415, 422]
);
error_set!(
    /// A change guarded by a required If-Match.
    Versioned = [400, 412, 428]
);
error_set!(
    /// A query string.
    Query = [400]
);
error_set!(
    /// A conflict with stored data or the benefit's state.
    Conflict = [409]
);
error_set!(
    /// A route that checks or hashes a password: limits and a bounded hashing pool.
    PasswordWork = [429, 503]
);

/// The whole document, built once from the router's list.
pub fn document_value() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(super::openapi_document)
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "meta", operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", content_type = "application/json", body = Object)))]
pub async fn document() -> Json<Document> {
    Json(document_value().clone())
}

fn header_param(name: &str, required: bool, description: &str, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(if required { Required::True } else { Required::False })
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn version_schema() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).pattern(Some(r#"^(W/)?"?[0-9]{1,18}"?$"#)).examples([r#""3""#])
}

/// `If-Match: "<version>"`, required: the change is refused (428) without it.
pub struct IfMatchRequired;

impl IntoParams for IfMatchRequired {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![header_param("If-Match", true, "The version last seen (the resource's ETag).", version_schema())]
    }
}

/// `If-Match`, checked when sent.
pub struct IfMatchOptional;

impl IntoParams for IfMatchOptional {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![header_param("If-Match", false, "The version last seen (the ETag); checked when sent.", version_schema())]
    }
}

/// `Idempotency-Key`: a retry with the same key answers the first result and changes nothing.
pub struct IdempotencyKeyParam;

impl IntoParams for IdempotencyKeyParam {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let schema = ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[!-~]([ -~]{0,198}[!-~])?$"));
        vec![header_param("Idempotency-Key", false, "A fresh random key per intended change (1 to 200 visible ASCII characters).", schema)]
    }
}

/// The pattern of text without U+0000 (JSON Schema's ECMA-262 regex).
pub const NO_NUL: &str = "^[^\\u0000]*$";

/// No text the API accepts holds U+0000: PostgreSQL's text cannot store it, so
/// the server refuses it naming the field (`extract::refuse_nul`). The
/// document says so with [`NO_NUL`] on every string schema of what clients
/// send (parameters, request bodies and the components they name) that has no
/// pattern, format or list of values of its own (those exclude it already).
/// Responses are left alone: a refusal may quote what it refused (a feed
/// file's unknown column).
pub fn text_without_nul(doc: &mut Document) {
    use utoipa::openapi::path::Operation;
    let mut named = Vec::new();
    for item in doc.paths.paths.values_mut() {
        for p in item.parameters.iter_mut().flatten() {
            p.schema.iter_mut().for_each(|s| no_nul(s, &mut named));
        }
        let operations: [&mut Option<Operation>; 8] =
            [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.options, &mut item.head, &mut item.patch, &mut item.trace];
        for op in operations.into_iter().flatten() {
            for p in op.parameters.iter_mut().flatten() {
                p.schema.iter_mut().for_each(|s| no_nul(s, &mut named));
            }
            for content in op.request_body.iter_mut().flat_map(|b| b.content.values_mut()) {
                content.schema.iter_mut().for_each(|s| no_nul(s, &mut named));
            }
        }
    }
    let Some(components) = doc.components.as_mut() else { return };
    let mut done = std::collections::BTreeSet::new();
    while let Some(name) = named.pop() {
        if done.insert(name.clone()) {
            if let Some(schema) = components.schemas.get_mut(&name) {
                no_nul(schema, &mut named);
            }
        }
    }
}

/// Adds [`NO_NUL`] to the string schemas in `schema`; pushes the components it names.
fn no_nul(schema: &mut RefOr<utoipa::openapi::schema::Schema>, named: &mut Vec<String>) {
    use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Schema, SchemaType};
    let schema = match schema {
        RefOr::Ref(r) => {
            named.extend(r.ref_location.strip_prefix("#/components/schemas/").map(str::to_string));
            return;
        }
        RefOr::T(schema) => schema,
    };
    let mut each = |items: &mut Vec<RefOr<Schema>>| items.iter_mut().for_each(|s| no_nul(s, named));
    match schema {
        Schema::Object(o) => {
            let text = match &o.schema_type {
                SchemaType::Type(t) => *t == Type::String,
                SchemaType::Array(types) => types.contains(&Type::String),
                SchemaType::AnyValue => false,
            };
            if text && o.pattern.is_none() && o.format.is_none() && o.enum_values.is_none() {
                o.pattern = Some(NO_NUL.to_string());
            }
            o.properties.values_mut().for_each(|s| no_nul(s, named));
            if let Some(AdditionalProperties::RefOr(values)) = o.additional_properties.as_deref_mut() {
                no_nul(values, named);
            }
        }
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &mut a.items {
                no_nul(items, named);
            }
        }
        Schema::OneOf(x) => each(&mut x.items),
        Schema::AllOf(x) => each(&mut x.items),
        Schema::AnyOf(x) => each(&mut x.items),
        _ => {}
    }
}
