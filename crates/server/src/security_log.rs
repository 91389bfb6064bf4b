//! Security events as structured log lines (target `security`): what
//! happened, to which user id, from which IP. Never a password, token, email
//! or other personal data.

/// Logs one security event. `user_id` is our opaque id, never an email.
pub fn event(kind: &'static str, user_id: Option<&str>, ip: &str) {
    tracing::info!(target: "security", event = kind, user_id = user_id.unwrap_or("-"), ip = ip, "security event");
}

/// A refusal: logged as a warning so it stands out.
pub fn refusal(kind: &'static str, user_id: Option<&str>, ip: &str, reason: &'static str) {
    tracing::warn!(target: "security", event = kind, user_id = user_id.unwrap_or("-"), ip = ip, reason = reason, "security event");
}
