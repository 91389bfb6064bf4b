//! The what-if evaluation: EVALUATE.md input in, output out; nothing stored.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::Json;
use benefits_domain::Evaluation;

use crate::error::{ApiResult, AppError};
use crate::extract::{body_bytes, EVALUATE_LIMIT};

pub async fn evaluate(req: Request) -> ApiResult<Json<Evaluation>> {
    let bytes = body_bytes(req, EVALUATE_LIMIT).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", "The body is not UTF-8 text."))?;
    benefits_domain::evaluate_json(text)
        .map(Json)
        .map_err(|e| AppError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_input",
            message: e.to_string(),
            field: (!e.field.is_empty()).then(|| e.field.clone()),
        })
}
