//! OAuth client authentication for `/revoke` (RFC 7009 2.1) and `/introspect`
//! (RFC 7662 2.1).
//!
//! Two kinds of client:
//! - the **public client** (`client_id`, default `jwt-service`: the browser and mobile
//!   apps that log users in) identifies itself with the `client_id` body parameter and
//!   has no secret (it could not keep one);
//! - **confidential clients** (resource servers, back ends), configured with
//!   `--client ID=SECRET` (repeatable; `clients = ["ID=SECRET"]` in TOML,
//!   `JWT_SERVICE_CLIENTS=ID=SECRET,...`), authenticate with HTTP Basic
//!   (`client_secret_basic`) or `client_id` + `client_secret` in the body
//!   (`client_secret_post`). Only a SHA-256 of each secret is kept in memory, compared
//!   in constant time.
//!
//! `/revoke` takes either kind; `/introspect` takes a confidential client or, as before,
//! a Bearer access token with the `introspect` scope.

use actix_web::HttpRequest;
use actix_web::http::{StatusCode, header};

use crate::error::ApiError;

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Client {
    Public(String),
    Confidential(String),
}

/// The configured clients.
#[derive(Debug, Default)]
pub struct Clients {
    public_id: String,
    confidential: Vec<(String, [u8; 32])>,
}

/// Constant-time equality of two byte strings (the length is not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn sha256(s: &str) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, s.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// `ID=SECRET` -> (ID, SECRET); both non-empty, the id without `:` (Basic's separator).
pub fn parse_client(spec: &str) -> Result<(String, String), String> {
    match spec.split_once('=') {
        Some((id, secret)) if !id.is_empty() && !id.contains(':') && secret.len() >= 16 => {
            Ok((id.to_owned(), secret.to_owned()))
        }
        _ => Err(
            "a client is ID=SECRET with a non-empty id without `:` and a secret of 16 bytes or more"
                .into(),
        ),
    }
}

/// Standard base64 (Basic credentials) through the core's base64url decoder.
fn b64_std(s: &str) -> Option<Vec<u8>> {
    let url: String = s
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    jwt_core::b64_decode(url).ok()
}

/// RFC 6749 2.3.1: id and secret are form-urlencoded inside the Basic credentials.
fn form_decode(s: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={s}"))
        .ok()?
        .pop()
        .map(|(_, v)| v)
}

pub fn invalid_client() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "client authentication failed: HTTP Basic or client_id/client_secret of a configured client, or client_id of the public client",
    )
}

impl Clients {
    pub fn new(public_id: &str, specs: &[String]) -> Result<Self, String> {
        let mut confidential = Vec::new();
        for spec in specs {
            let (id, secret) = parse_client(spec)?;
            if id == public_id {
                return Err(format!(
                    "client `{id}` is the public client_id; pick another id"
                ));
            }
            confidential.push((id, sha256(&secret)));
        }
        Ok(Clients {
            public_id: public_id.to_owned(),
            confidential,
        })
    }

    fn check_secret(&self, id: &str, secret: &str) -> Result<Client, ApiError> {
        let want = self
            .confidential
            .iter()
            .find(|(cid, _)| cid == id)
            .map(|(_, h)| h);
        let got = sha256(secret);
        // Compare even for an unknown id, so both fail alike.
        let ok = ct_eq(want.unwrap_or(&[0; 32]), &got) && want.is_some();
        if ok {
            Ok(Client::Confidential(id.to_owned()))
        } else {
            Err(invalid_client())
        }
    }

    /// A Basic Authorization header, if the request has one: its client (or 401).
    pub fn basic(&self, req: &HttpRequest) -> Option<Result<Client, ApiError>> {
        let v = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, cred) = v.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = b64_std(cred.trim()).and_then(|b| String::from_utf8(b).ok());
        let Some((id, secret)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
            return Some(Err(invalid_client()));
        };
        Some(match (form_decode(id), form_decode(secret)) {
            (Some(id), Some(secret)) => self.check_secret(&id, &secret),
            _ => Err(invalid_client()),
        })
    }

    /// Authenticate a client from Basic, or the body's `client_id`/`client_secret`.
    pub fn authenticate(
        &self,
        req: &HttpRequest,
        client_id: Option<&str>,
        client_secret: Option<&str>,
    ) -> Result<Client, ApiError> {
        if let Some(r) = self.basic(req) {
            return r;
        }
        match (client_id, client_secret) {
            (Some(id), Some(secret)) => self.check_secret(id, secret),
            (Some(id), None) if id == self.public_id => Ok(Client::Public(id.to_owned())),
            _ => Err(invalid_client()),
        }
    }
}
