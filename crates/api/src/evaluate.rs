//! `POST /api/evaluate`: the evaluation contract of EVALUATE.md, as the
//! domain's own types (`EvaluationInput` in, `Evaluation` out).

pub use benefits_domain::{Evaluation, EvaluationInput};
