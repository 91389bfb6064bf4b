//! The what-if evaluation: EVALUATE.md input in, output out; nothing stored.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::Json;
use benefits_api::evaluate::{Evaluation, EvaluationInput};
use benefits_api::{ErrorBody, ErrorCode};

use crate::error::{ApiResult, AppError};
use crate::extract::{body_bytes, EVALUATE_LIMIT};

/// Evaluate a partner's data against a catalog (no sign-in; nothing is stored).
/// The body is parsed by the domain itself, so an error names the field by its path.
#[utoipa::path(post, path = "/evaluate", tag = "evaluate", operation_id = "evaluate",
    request_body = EvaluationInput,
    responses((status = 200, body = Evaluation),
        (status = 400, body = ErrorBody, description = "`bad_request`: the body could not be read."),
        (status = 403, body = ErrorBody, description = "`csrf_failed`: the Origin is another site."),
        (status = 413, body = ErrorBody, description = "`payload_too_large`: over 2 MiB."),
        (status = 422, body = ErrorBody, description = "`invalid_input`: the field at fault is in `field` (`partner.sales[2].amount_usd`).")))]
pub async fn evaluate(req: Request) -> ApiResult<Json<Evaluation>> {
    let bytes = body_bytes(req, EVALUATE_LIMIT).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| AppError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidInput, "The body is not UTF-8 text."))?;
    let input: EvaluationInput = benefits_domain::parse::parse_input(text).map_err(AppError::invalid_input)?;
    Ok(Json(benefits_domain::evaluate(&input)))
}
