//! Audit events: one structured log line per security-relevant event, on the `audit`
//! target (`RUST_LOG=audit=info` keeps them when everything else is quieter).
//!
//! With `--log-format json` every line is one JSON object whose `fields` carry
//! `message: "audit"`, `event` (the names below) and the event's subjects. Never a
//! password, a token or a token hash: a family id, a user id or name, an address, a kid.
//!
//! | `event` | when |
//! | --- | --- |
//! | `login_failed` | a wrong password or unknown user name |
//! | `lockout` | a login refused because the user name saw too many failures |
//! | `refresh_grace_retry` | the predecessor of a family's newest token, within the window |
//! | `refresh_reuse` | any other old token of a family: the family is revoked |
//! | `family_revoked` | a family revoked, with `reason` |
//! | `key_revoked` | a signing key revoked in an emergency |

pub fn login_failed(username: &str, address: &str) {
    tracing::info!(target: "audit", event = "login_failed", username, address, "audit");
}

pub fn lockout(username: &str, address: &str) {
    tracing::warn!(target: "audit", event = "lockout", username, address, "audit");
}

pub fn grace_retry(family: &str, user_id: &str, address: &str) {
    tracing::info!(target: "audit", event = "refresh_grace_retry", family, user_id, address, "audit");
}

pub fn reuse(family: &str, user_id: &str, address: &str) {
    tracing::warn!(target: "audit", event = "refresh_reuse", family, user_id, address, "audit");
}

pub fn family_revoked(family: &str, reason: &str) {
    tracing::info!(target: "audit", event = "family_revoked", family, reason, "audit");
}

pub fn key_revoked(kid: &str) {
    tracing::warn!(target: "audit", event = "key_revoked", kid, "audit");
}
