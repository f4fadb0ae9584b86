//! Every HTTP error is `{"error": code, "error_description": text}` with a stable code.
//!
//! Codes follow RFC 6749/6750/7009 where those define one (`invalid_request`,
//! `invalid_grant`, `invalid_token`, `insufficient_scope`, `unsupported_token_type`);
//! a token that fails verification carries the core's own code (`token_expired`,
//! `invalid_signature`, `algorithm_not_allowed`, ...), so a client sees exactly why.
//! Client mistakes are always 4xx; 503 means the store cannot be reached (fail closed).

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use crate::store::StoreError;

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub description: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            description: description.into(),
        }
    }
    pub fn invalid_request(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", d)
    }
    pub fn invalid_grant(d: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", d)
    }
    /// 401: no credentials at all.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "a Bearer access token (or the access cookie) is required",
        )
    }
    /// 401: a token that the core rejected; the core's code is the error code.
    pub fn bad_token(e: &jwt_core::Error) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, e.code(), e.to_string())
    }
    pub fn revoked() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "token_revoked",
            "the access token has been revoked",
        )
    }
    pub fn forbidden(what: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            format!("this endpoint requires {what}"),
        )
    }
    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf_check_failed",
            "cookie-authenticated requests must repeat the CSRF cookie in the X-CSRF-Token header",
        )
    }
    pub fn origin() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "origin_check_failed",
            "a login that sets cookies must come from this origin (Origin header)",
        )
    }
    /// The 503 of a store failure. Its description never carries the store's own error
    /// text (addresses, paths, server messages): that goes to the log only.
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store_unavailable",
            "the token store cannot be reached; failing closed, retry later",
        )
    }
    pub fn internal(d: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error", d)
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        json!({"error": self.code, "error_description": self.description}).to_string()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.description)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }
    fn error_response(&self) -> HttpResponse {
        let mut r = HttpResponse::build(self.status);
        r.insert_header((header::CONTENT_TYPE, "application/json"))
            .insert_header((header::CACHE_CONTROL, "no-store"));
        if self.code == "invalid_client" {
            // RFC 6749 5.2: a failed HTTP Basic client authentication gets its challenge.
            r.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"jwt-service\""));
        } else if self.status == StatusCode::UNAUTHORIZED {
            // RFC 6750 3: the challenge; the core's code goes in error_description.
            let v = format!(
                "Bearer error=\"invalid_token\", error_description=\"{}\"",
                self.code
            );
            if let Ok(v) = HeaderValue::from_str(&v) {
                r.insert_header((header::WWW_AUTHENTICATE, v));
            }
        } else if self.code == "insufficient_scope" {
            r.insert_header((
                header::WWW_AUTHENTICATE,
                "Bearer error=\"insufficient_scope\"",
            ));
        }
        r.body(self.body())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store failure");
        crate::metrics::METRICS.store_errors.inc();
        ApiError::unavailable()
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        ApiError::internal("the blocking thread pool is gone")
    }
}
