//! The HTTP API: state, routes, and the handlers of the token lifecycle.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::EitherBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use jwt_core::Claims;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit;
use crate::auth::Requirement;
use crate::auth::{AdminScope, Authenticated, Authenticator, IntrospectScope, Require};
use crate::clients::Clients;
use crate::config::Config;
use crate::error::ApiError;
use crate::limits::{Cidr, HASH_WAIT, HashGate, IpLimiter};
use crate::metrics::METRICS;
use crate::store::{
    DenyEntry, Family, LockoutRules, Rotation, RotationRules, Store, User, token_expiry,
};

/// Everything a handler needs; one per process, shared by the workers.
pub struct AppState {
    pub config: Config,
    pub issuer: String,
    pub store: Arc<dyn Store>,
    pub auth: web::Data<Authenticator>,
    limiter: IpLimiter,
    hash_gate: HashGate,
    proxies: Vec<Cidr>,
    dummy_hash: String,
    pub clients: Clients,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(
        config: Config,
        issuer: String,
        store: Arc<dyn Store>,
        auth: web::Data<Authenticator>,
    ) -> Result<Self, String> {
        let dummy_hash = hash_password(&jwt_core::random_id()).unwrap_or_default();
        let clients = Clients::new(&config.client_id, &config.clients)?;
        Ok(AppState {
            limiter: IpLimiter::new(config.login_rate_limit),
            hash_gate: HashGate::new(config.max_concurrent_hashes),
            proxies: config.proxies().unwrap_or_default(),
            clients,
            config,
            issuer,
            store,
            auth,
            dummy_hash,
        })
    }

    /// How long a revocation entry must live: as long as a token can still verify.
    fn deny_ttl(&self) -> i64 {
        (self.config.access_ttl + self.config.leeway) as i64
    }

    /// The client's address (`X-Forwarded-For` only behind a trusted proxy).
    fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let xff = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok());
        crate::limits::client_ip(req.peer_addr().map(|a| a.ip()), xff, &self.proxies)
    }

    /// The idle lifetime of a family.
    fn idle(&self) -> i64 {
        self.config.refresh_ttl as i64
    }

    fn rotation_rules(&self) -> RotationRules {
        RotationRules {
            grace: self.config.refresh_grace as i64,
            idle: self.idle(),
        }
    }

    fn lockout_rules(&self) -> LockoutRules {
        LockoutRules {
            max_failures: self.config.lockout_failures,
            window: self.config.lockout_window as i64,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Passwords and refresh tokens

/// argon2id (v19, m=19 MiB, t=2, p=1: the argon2 crate's defaults, OWASP's minimum).
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

fn password_ok(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// 256 random bits, base64url.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    let rng = ring::rand::SystemRandom::new();
    while ring::rand::SecureRandom::fill(&rng, &mut b).is_err() {}
    jwt_core::b64_encode(b)
}

/// What the store keeps instead of a refresh token: its SHA-256, hex.
fn token_hash(token: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A refresh token has our exact shape (43 base64url characters) or is unknown.
fn plausible_refresh(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Scopes granted by roles.
pub fn scopes_for(roles: &[String]) -> Vec<&'static str> {
    let mut s = vec!["profile"];
    if roles.iter().any(|r| r == "admin") {
        s.extend(["admin", "introspect"]);
    }
    s
}

fn rate_limited(what: &str) -> ApiError {
    METRICS.logins_rate_limited.inc();
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("too many login attempts {what}; retry later"),
    )
}

// ---------------------------------------------------------------------------------------
// Request bodies

/// Parse a body by its content type: JSON always, form-encoded where the RFC uses it.
/// An empty body is `T::default()` when `optional`.
fn parse_body<T: DeserializeOwned + Default>(
    req: &HttpRequest,
    body: &Bytes,
    form_ok: bool,
    optional: bool,
) -> Result<T, ApiError> {
    if body.is_empty() && optional {
        return Ok(T::default());
    }
    let essence = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let wanted = if form_ok {
        "application/json or application/x-www-form-urlencoded"
    } else {
        "application/json"
    };
    match essence.as_str() {
        "application/json" => serde_json::from_slice(body)
            .map_err(|e| ApiError::invalid_request(format!("malformed JSON body: {e}"))),
        "application/x-www-form-urlencoded" if form_ok => serde_urlencoded::from_bytes(body)
            .map_err(|e| ApiError::invalid_request(format!("malformed form body: {e}"))),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("the body must be {wanted}"),
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
struct LoginRequest {
    #[serde(default)]
    grant_type: Option<String>,
    username: String,
    password: String,
    /// Deliver the tokens as HttpOnly cookies instead of in the body.
    #[serde(default)]
    cookie: bool,
}

#[derive(Debug, Default, Deserialize)]
struct RefreshRequest {
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    cookie: bool,
}

#[derive(Debug, Default, Deserialize)]
struct TokenRequest {
    token: String,
    #[serde(default)]
    token_type_hint: Option<String>,
    /// Client authentication in the body (`client_secret_post`) or the public client's id.
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    client_secret: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct LogoutRequest {
    #[serde(default)]
    refresh_token: Option<String>,
    /// Revoke every session of the user, not only this one.
    #[serde(default)]
    everywhere: bool,
}

// ---------------------------------------------------------------------------------------
// Issuing tokens

/// Custom claims of an access token (RFC 9068: `scope`, `roles`, `client_id`).
#[derive(Debug, Serialize)]
struct AccessClaims<'a> {
    client_id: &'a str,
    scope: String,
    roles: &'a [String],
    preferred_username: &'a str,
    /// The refresh family: revoking the family revokes its access tokens too.
    sid: &'a str,
}

#[derive(Debug)]
struct Issued {
    access_token: String,
    refresh_token: String,
    scope: String,
    /// Seconds until the refresh token expires (idle or the family's absolute end).
    refresh_expires_in: i64,
}

/// Sign an access token for `user` in refresh family `family`.
fn sign_access(state: &AppState, user: &User, family: &str) -> Result<(String, String), ApiError> {
    let now = jwt_core::now();
    let scope = scopes_for(&user.roles).join(" ");
    let claims = Claims::new(AccessClaims {
        client_id: &state.config.client_id,
        scope: scope.clone(),
        roles: &user.roles,
        preferred_username: &user.username,
        sid: family,
    })
    .issuer(state.issuer.clone())
    .subject(user.id.clone())
    .audience(state.config.audience.clone())
    .issued_at(now)
    .expires_at(now + state.config.access_ttl as i64)
    .random_jwt_id();
    let access_token = state
        .auth
        .keys()
        .get()
        .signer
        .sign(&claims)
        .map_err(|e| ApiError::internal(format!("cannot sign: {}", e.code())))?;
    Ok((access_token, scope))
}

/// Who is logging in from where, for `GET /sessions`.
#[derive(Debug, Clone)]
struct ClientInfo {
    user_agent: String,
    address: String,
}

impl ClientInfo {
    fn of(req: &HttpRequest, ip: Option<IpAddr>) -> Self {
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(256)
            .collect();
        ClientInfo {
            user_agent,
            address: ip.map(|i| i.to_string()).unwrap_or_default(),
        }
    }
}

/// A new family (a login) with its first refresh token, and an access token. Blocking.
fn start_family(state: &AppState, user: &User, client: &ClientInfo) -> Result<Issued, ApiError> {
    let now = jwt_core::now();
    let family = Family {
        id: jwt_core::random_id(),
        user_id: user.id.clone(),
        created_at: now,
        last_used_at: now,
        expires_at: now + state.config.family_ttl as i64,
        user_agent: client.user_agent.clone(),
        address: client.address.clone(),
    };
    let refresh_token = random_token();
    state
        .store
        .create_family(&family, &token_hash(&refresh_token), state.idle())?;
    let (access_token, scope) = sign_access(state, user, &family.id)?;
    Ok(Issued {
        access_token,
        refresh_token,
        scope,
        refresh_expires_in: token_expiry(now, family.expires_at, state.idle()) - now,
    })
}

fn set_cookie(
    r: &mut HttpResponseBuilder,
    cfg: &Config,
    name: &str,
    value: &str,
    path: &str,
    max_age: u64,
    http_only: bool,
) {
    let mut c = format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; SameSite={}",
        cfg.same_site()
    );
    if http_only {
        c.push_str("; HttpOnly");
    }
    if cfg.cookie_secure {
        c.push_str("; Secure");
    }
    r.append_header((header::SET_COOKIE, c));
}

fn clear_cookies(r: &mut HttpResponseBuilder, cfg: &Config) {
    let n = crate::auth::CookieNames::for_secure(cfg.cookie_secure);
    set_cookie(r, cfg, n.access, "", "/", 0, true);
    set_cookie(r, cfg, n.refresh, "", n.refresh_path, 0, true);
    set_cookie(r, cfg, n.csrf, "", "/", 0, false);
}

/// The token response: in the body, or as cookies (access: `Path=/`; refresh:
/// `Path=/token`, so it only travels to `/token/refresh`; CSRF: readable by scripts).
fn token_response(state: &AppState, t: Issued, cookies: bool) -> HttpResponse {
    let cfg = &state.config;
    let mut r = HttpResponse::Ok();
    r.insert_header((header::CACHE_CONTROL, "no-store"));
    if cookies {
        let names = state.auth.cookies;
        let csrf = random_token();
        set_cookie(
            &mut r,
            cfg,
            names.access,
            &t.access_token,
            "/",
            cfg.access_ttl,
            true,
        );
        set_cookie(
            &mut r,
            cfg,
            names.refresh,
            &t.refresh_token,
            names.refresh_path,
            t.refresh_expires_in.max(0) as u64,
            true,
        );
        set_cookie(
            &mut r,
            cfg,
            names.csrf,
            &csrf,
            "/",
            t.refresh_expires_in.max(0) as u64,
            false,
        );
        r.json(json!({
            "token_type": "Bearer", "expires_in": cfg.access_ttl, "scope": t.scope, "csrf_token": csrf,
        }))
    } else {
        r.json(json!({
            "access_token": t.access_token, "token_type": "Bearer", "expires_in": cfg.access_ttl,
            "refresh_token": t.refresh_token, "scope": t.scope,
        }))
    }
}

/// Revoke a family: durable in the store, then its live access tokens denied here and
/// (through the store's feed) everywhere.
fn revoke_family(state: &AppState, family: &str, reason: &str) -> Result<(), ApiError> {
    let now = jwt_core::now();
    state.store.revoke_family(family, now)?;
    audit::family_revoked(family, reason);
    deny(state, format!("sid:{family}"), now + state.deny_ttl())
}

fn deny(state: &AppState, key: String, exp: i64) -> Result<(), ApiError> {
    let entry = DenyEntry { key, exp };
    state.store.deny(&entry)?;
    state.auth.apply(std::slice::from_ref(&entry));
    METRICS.revocations.inc();
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Handlers

/// `POST /token`: password login.
async fn token(
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let login: LoginRequest = parse_body(&req, &body, true, false)?;
    if login.grant_type.as_deref().is_some_and(|g| g != "password") {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "POST /token takes username and password; use /token/refresh to refresh",
        ));
    }
    if login.username.is_empty() || login.username.len() > 128 || login.password.len() > 1024 {
        return Err(ApiError::invalid_request(
            "username must be 1-128 bytes, password at most 1024 bytes",
        ));
    }
    if login.cookie {
        crate::auth::check_origin(&req, &state.config.allowed_origins)?;
    }
    let ip = state.client_ip(&req);
    let client = ClientInfo::of(&req, ip);
    let st = state.clone();
    let cookies = login.cookie;
    let issued = web::block(move || -> Result<Issued, ApiError> {
        let now = jwt_core::now();
        if let Some(ip) = ip {
            let bucket = crate::limits::bucket_of(ip);
            let shared = st
                .store
                .take_rate_token(&bucket, st.config.login_rate_limit)?;
            if !shared.unwrap_or_else(|| st.limiter.allow(&bucket)) {
                return Err(rate_limited("from this address"));
            }
        }
        // Check and count in one atomic store step, *before* the password is hashed:
        // however many attempts arrive at once, at most `lockout_failures` are judged.
        if !st
            .store
            .reserve_login_attempt(&login.username, now, st.lockout_rules())?
        {
            METRICS.lockouts.inc();
            audit::lockout(&login.username, &client.address);
            return Err(rate_limited("for this user"));
        }
        let user = st.store.find_user(&login.username)?;
        // Hash either way so an unknown user name takes as long as a wrong password.
        let hash = user
            .as_ref()
            .map_or(st.dummy_hash.as_str(), |u| u.password_hash.as_str());
        let Some(_permit) = st.hash_gate.acquire(HASH_WAIT) else {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "server_busy",
                "too many logins at once; retry shortly",
            ));
        };
        let ok = password_ok(hash, &login.password);
        drop(_permit);
        match user {
            Some(u) if ok && !u.disabled => {
                st.store.clear_login_attempts(&u.username)?;
                let t = start_family(&st, &u, &client)?;
                METRICS.logins_ok.inc();
                tracing::info!(user = %u.username, "login");
                Ok(t)
            }
            _ => {
                METRICS.logins_failed.inc();
                audit::login_failed(&login.username, &client.address);
                Err(ApiError::invalid_grant("invalid username or password"))
            }
        }
    })
    .await??;
    Ok(token_response(&state, issued, cookies))
}

/// `POST /token/refresh`: rotate a refresh token (body, or the refresh cookie).
async fn refresh(
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let r: RefreshRequest = parse_body(&req, &body, true, true)?;
    let (token, cookies) = match r.refresh_token {
        Some(t) => (t, r.cookie),
        None => match crate::auth::cookie(&req, state.auth.cookies.refresh) {
            Some(t) => {
                crate::auth::check_csrf(&req, state.auth.cookies)?;
                (t, true)
            }
            None => {
                return Err(ApiError::invalid_request(
                    "refresh_token is required (in the body or the cookie)",
                ));
            }
        },
    };
    if !plausible_refresh(&token) {
        return Err(ApiError::invalid_grant("unknown refresh token"));
    }
    let address = ClientInfo::of(&req, state.client_ip(&req)).address;
    let st = state.clone();
    let issued = web::block(move || -> Result<Issued, ApiError> {
        let now = jwt_core::now();
        let next = random_token();
        let outcome = st.store.rotate_refresh(
            &token_hash(&token),
            &token_hash(&next),
            now,
            st.rotation_rules(),
        )?;
        let (family, user_id) = match outcome {
            Rotation::Rotated { family, user_id } => {
                METRICS.refresh_rotated.inc();
                (family, user_id)
            }
            Rotation::GraceRetry { family, user_id } => {
                METRICS.refresh_grace_retries.inc();
                audit::grace_retry(&family, &user_id, &address);
                (family, user_id)
            }
            Rotation::Reused { family, user_id } => {
                METRICS.refresh_reuse_detected.inc();
                audit::reuse(&family, &user_id, &address);
                revoke_family(&st, &family, "reuse")?;
                return Err(ApiError::invalid_grant(
                    "refresh token reuse detected: the whole token family is revoked; log in again",
                ));
            }
            Rotation::Invalid => {
                METRICS.refresh_invalid.inc();
                return Err(ApiError::invalid_grant(
                    "unknown, expired or revoked refresh token",
                ));
            }
        };
        match st.store.find_user_by_id(&user_id)? {
            Some(u) if !u.disabled => {
                let (access_token, scope) = sign_access(&st, &u, &family)?;
                let fam = st.store.family(&family, now, st.idle())?;
                let refresh_expires_in = fam.map_or(0, |f| {
                    token_expiry(f.last_used_at, f.expires_at, st.idle()) - now
                });
                Ok(Issued {
                    access_token,
                    refresh_token: next,
                    scope,
                    refresh_expires_in,
                })
            }
            _ => {
                revoke_family(&st, &family, "user_disabled")?;
                Err(ApiError::invalid_grant(
                    "the user no longer exists or is disabled",
                ))
            }
        }
    })
    .await??;
    Ok(token_response(&state, issued, cookies))
}

/// `POST /revoke` (RFC 7009): always 200 for a well-formed request, whether or not the
/// token was valid (2.2), so the endpoint reveals nothing.
async fn revoke(
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let r: TokenRequest = parse_body(&req, &body, true, false)?;
    // RFC 7009 2.1: the client authenticates (confidential) or identifies itself (public).
    state
        .clients
        .authenticate(&req, r.client_id.as_deref(), r.client_secret.as_deref())?;
    let hint = r.token_type_hint.as_deref();
    if hint.is_some_and(|h| h != "access_token" && h != "refresh_token") {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_token_type",
            "token_type_hint must be access_token or refresh_token",
        ));
    }
    if r.token.is_empty() {
        return Err(ApiError::invalid_request("token is required"));
    }
    let st = state.clone();
    web::block(move || -> Result<(), ApiError> {
        let now = jwt_core::now();
        if plausible_refresh(&r.token) {
            if let Some(info) = st
                .store
                .refresh_info(&token_hash(&r.token), now, st.idle())?
            {
                revoke_family(&st, &info.family, "revocation_endpoint")?;
                tracing::info!(family = %info.family, "refresh family revoked via /revoke");
            }
        } else if let Ok(p) = st.auth.verify(&r.token) {
            deny(
                &st,
                format!("jti:{}", p.jti),
                p.exp + st.config.leeway as i64,
            )?;
            tracing::info!(jti = %p.jti, "access token revoked via /revoke");
        }
        Ok(())
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({})))
}

/// `POST /logout`: deny the access token, revoke its refresh family (and the one of a
/// refresh token given in the body), clear the cookies. `{"everywhere": true}` revokes
/// every family of the user (logout on every device).
async fn logout(
    req: HttpRequest,
    user: Authenticated,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let r: LogoutRequest = parse_body(&req, &body, true, true)?;
    let p = user.0;
    let st = state.clone();
    web::block(move || -> Result<(), ApiError> {
        let now = jwt_core::now();
        deny(
            &st,
            format!("jti:{}", p.jti),
            p.exp + st.config.leeway as i64,
        )?;
        if r.everywhere {
            revoke_user_sessions(&st, &p.sub, None, "logout_everywhere")?;
        } else if let Some(sid) = &p.sid {
            revoke_family(&st, sid, "logout")?;
        }
        if let Some(t) = r.refresh_token.filter(|t| plausible_refresh(t)) {
            match st.store.refresh_info(&token_hash(&t), now, st.idle())? {
                Some(info) if info.user_id == p.sub => revoke_family(&st, &info.family, "logout")?,
                _ => {}
            }
        }
        tracing::info!(sub = %p.sub, everywhere = r.everywhere, "logout");
        Ok(())
    })
    .await??;
    let mut r = HttpResponse::Ok();
    clear_cookies(&mut r, &state.config);
    Ok(r.insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({"logged_out": true})))
}

/// Revoke every live family of `user` except `keep`; how many were revoked.
fn revoke_user_sessions(
    st: &AppState,
    user: &str,
    keep: Option<&str>,
    reason: &str,
) -> Result<usize, ApiError> {
    let now = jwt_core::now();
    let mut n = 0;
    for f in st.store.user_families(user, now, st.idle())? {
        if Some(f.id.as_str()) != keep {
            revoke_family(st, &f.id, reason)?;
            n += 1;
        }
    }
    Ok(n)
}

/// `GET /sessions`: the caller's live refresh families.
async fn sessions(
    user: Authenticated,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let p = user.0;
    let st = state.clone();
    let sub = p.sub.clone();
    let fams =
        web::block(move || st.store.user_families(&sub, jwt_core::now(), st.idle())).await??;
    let idle = state.idle();
    let list: Vec<_> = fams
        .iter()
        .map(|f| {
            json!({
                "id": f.id, "created_at": f.created_at, "last_used_at": f.last_used_at,
                "expires_at": token_expiry(f.last_used_at, f.expires_at, idle),
                "absolute_expires_at": f.expires_at,
                "user_agent": f.user_agent, "address": f.address,
                "current": p.sid.as_deref() == Some(f.id.as_str()),
            })
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({"sessions": list})))
}

/// `DELETE /sessions/{id}`: revoke one of the caller's sessions.
async fn delete_session(
    user: Authenticated,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let p = user.0;
    let st = state.clone();
    let id = id.into_inner();
    let found = web::block(move || -> Result<bool, ApiError> {
        match st.store.family(&id, jwt_core::now(), st.idle())? {
            // Another user's session answers exactly like an unknown one.
            Some(f) if f.user_id == p.sub => {
                revoke_family(&st, &f.id, "session_revoked")?;
                Ok(true)
            }
            _ => Ok(false),
        }
    })
    .await??;
    if !found {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such live session of yours",
        ));
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({"revoked": 1})))
}

/// `POST /sessions/revoke-others`: revoke every session of the caller but this one.
async fn revoke_other_sessions(
    user: Authenticated,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let p = user.0;
    let st = state.clone();
    let n = web::block(move || {
        revoke_user_sessions(&st, &p.sub, p.sid.as_deref(), "other_sessions_revoked")
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({"revoked": n})))
}

/// `POST /introspect` (RFC 7662): for callers with the `introspect` scope.
async fn introspect(
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let r: TokenRequest = parse_body(&req, &body, true, false)?;
    // RFC 7662 2.1: a confidential client (Basic or client_secret_post), or a Bearer
    // token with the `introspect` scope. The public client cannot introspect.
    match (state.clients.basic(&req), r.client_secret.as_deref()) {
        (Some(client), _) => {
            client?;
        }
        (None, Some(secret)) => {
            state
                .clients
                .authenticate(&req, r.client_id.as_deref(), Some(secret))?;
        }
        (None, None) => {
            let p = crate::auth::authenticate_request(&req)?;
            if !IntrospectScope::allows(&p) {
                return Err(ApiError::forbidden(IntrospectScope::WHAT));
            }
        }
    }
    let st = state.clone();
    let answer = web::block(move || -> Result<serde_json::Value, ApiError> {
        let now = jwt_core::now();
        let inactive = json!({"active": false});
        if plausible_refresh(&r.token) {
            let Some(info) = st.store.refresh_info(&token_hash(&r.token), now, st.idle())? else {
                return Ok(inactive);
            };
            let user = st.store.find_user_by_id(&info.user_id)?;
            return Ok(match user {
                Some(u) if info.active && !u.disabled => json!({
                    "active": true, "token_type": "refresh_token", "client_id": st.config.client_id,
                    "username": u.username, "sub": u.id, "exp": info.expires_at, "iss": st.issuer,
                    "scope": scopes_for(&u.roles).join(" "),
                }),
                _ => inactive,
            });
        }
        let Ok(p) = st.auth.verify(&r.token) else {
            return Ok(inactive);
        };
        let revoked = [Some(format!("jti:{}", p.jti)), p.sid.as_ref().map(|s| format!("sid:{s}")), Some(format!("sub:{}", p.sub))]
            .into_iter()
            .flatten()
            .try_fold(false, |acc, k| st.store.is_denied(&k, now).map(|d| acc || d))?;
        if revoked {
            return Ok(inactive);
        }
        Ok(json!({
            "active": true, "token_type": "Bearer", "scope": p.scopes.join(" "), "client_id": p.client_id,
            "username": p.username, "sub": p.sub, "aud": st.config.audience, "iss": st.issuer,
            "exp": p.exp, "iat": p.iat, "jti": p.jti,
        }))
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer))
}

/// `GET /me`: the example protected endpoint. Never touches the store; the body of a
/// token is rendered once and reused while the token sits in the verified-token cache.
async fn me(user: Authenticated) -> HttpResponse {
    let body = user.0.rendered(|p| {
        Bytes::from(
            json!({
                "sub": p.sub, "username": p.username, "scope": p.scopes.join(" "), "roles": p.roles,
                "client_id": p.client_id, "exp": p.exp, "iat": p.iat,
            })
            .to_string(),
        )
    });
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body)
}

/// `GET /admin/users`: the scope-guarded example (401 without a token, 403 without
/// the `admin` scope).
async fn admin_users(
    _admin: Require<AdminScope>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let users = web::block(move || st.store.list_users()).await??;
    let users: Vec<_> = users
        .iter()
        .map(|u| json!({"id": u.id, "username": u.username, "roles": u.roles, "disabled": u.disabled, "created_at": u.created_at}))
        .collect();
    Ok(HttpResponse::Ok().json(json!({"users": users})))
}

/// `POST /admin/keys/{kid}/revoke`: the emergency revocation, applied by this instance
/// at once (and by the others through the store's feed).
async fn admin_revoke_key(
    _admin: Require<AdminScope>,
    kid: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let kid = kid.into_inner();
    let alg = state
        .config
        .signing_algorithm()
        .map_err(ApiError::internal)?;
    let out = web::block(move || -> Result<crate::keys::Revoked, ApiError> {
        let kek = st.auth.keys().rules().kek.clone();
        let out =
            crate::keys::revoke(st.store.as_ref(), &kid, alg, kek.as_deref()).map_err(|e| {
                tracing::error!(error = %e, "key revocation failed");
                ApiError::unavailable()
            })?;
        crate::store::FeedSink::keys_changed(st.auth.get_ref());
        Ok(out)
    })
    .await??;
    match out {
        crate::keys::Revoked::Unknown => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no key with that kid",
        )),
        crate::keys::Revoked::Replaced { kid } => {
            Ok(HttpResponse::Ok().json(json!({"revoked": true, "current_kid": kid})))
        }
        crate::keys::Revoked::Retired => Ok(HttpResponse::Ok().json(json!({"revoked": true}))),
    }
}

async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .content_type("application/jwk-set+json")
        .body(state.auth.keys().get().jwks.clone())
}

/// The fields RFC 8414 and OpenID Connect Discovery share.
fn discovery(state: &AppState) -> serde_json::Value {
    let i = &state.issuer;
    let alg = state
        .auth
        .keys()
        .get()
        .signer
        .header()
        .alg
        .as_str()
        .to_owned();
    json!({
        "issuer": i,
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/.well-known/jwks.json"),
        "revocation_endpoint": format!("{i}/revoke"),
        "introspection_endpoint": format!("{i}/introspect"),
        "grant_types_supported": ["password", "refresh_token"],
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": ["none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "bearer"],
        "scopes_supported": ["profile", "admin", "introspect"],
        "token_endpoint_auth_signing_alg_values_supported": [],
        "access_token_signing_alg_values_supported": [alg],
        "service_documentation": format!("{i}/openapi.json"),
    })
}

/// RFC 8414 authorization-server metadata.
async fn metadata(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(discovery(&state))
}

/// OpenID Connect Discovery 1.0: for OIDC-aware libraries, which look here for the
/// `jwks_uri`. The service issues no ID tokens and has no authorization endpoint; the
/// document says so (`response_types_supported` is empty, no
/// `id_token_signing_alg_values_supported` beyond the access tokens' algorithm).
async fn openid_configuration(state: web::Data<AppState>) -> HttpResponse {
    let mut d = discovery(&state);
    let alg = d["access_token_signing_alg_values_supported"].clone();
    d["subject_types_supported"] = json!(["public"]);
    d["id_token_signing_alg_values_supported"] = alg;
    d["claims_supported"] = json!([
        "iss",
        "sub",
        "aud",
        "exp",
        "iat",
        "jti",
        "client_id",
        "scope",
        "roles",
        "preferred_username",
        "sid"
    ]);
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(d)
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// Ready when the store answers and the local denylist view is current.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let st = state.clone();
    let ping = web::block(move || st.store.ping()).await;
    let problem = match ping {
        Ok(Ok(())) => state.auth.readiness().err(),
        Ok(Err(e)) => {
            // Whoever sees the store down first makes every worker fail closed now,
            // not only when the feed notices.
            crate::store::FeedSink::down(state.auth.get_ref(), &e);
            Some(e.to_string())
        }
        Err(_) => Some("blocking pool unavailable".into()),
    };
    match problem {
        None => HttpResponse::Ok().json(json!({"status": "ready", "store": state.store.kind()})),
        Some(reason) => {
            // The reason (a raw store error) goes to the log, never into the body.
            tracing::warn!(%reason, "not ready");
            HttpResponse::ServiceUnavailable().json(json!({
                "error": "store_unavailable",
                "error_description": format!(
                    "the {} store cannot be reached or the denylist view is not current; failing closed",
                    state.store.kind()
                ),
            }))
        }
    }
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let (deny, cache) = state.auth.sizes();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(METRICS.render(deny, cache, state.auth.readiness().is_ok()))
}

pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI)
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint",
    ))
}

/// Give every error response without a JSON body (actix's own: 405, 413, bad headers...)
/// the `{"error", "error_description"}` shape.
fn json_errors<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        s if s.is_server_error() => "server_error",
        _ => "invalid_request",
    };
    let err = ApiError::new(
        status,
        code,
        status.canonical_reason().unwrap_or("error").to_owned(),
    );
    let (req, mut resp) = res.into_parts();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    let resp = resp.set_body(err.body());
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, resp)
            .map_into_boxed_body()
            .map_into_right_body(),
    ))
}

/// Register the routes and middleware on an `App`.
pub fn configure(state: web::Data<AppState>) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let limit = state.config.max_body_bytes;
        cfg.app_data(state.clone())
            .app_data(state.auth.clone())
            .app_data(web::PayloadConfig::new(limit))
            .service(web::resource("/token").route(web::post().to(token)))
            .service(web::resource("/token/refresh").route(web::post().to(refresh)))
            .service(web::resource("/revoke").route(web::post().to(revoke)))
            .service(web::resource("/logout").route(web::post().to(logout)))
            .service(web::resource("/introspect").route(web::post().to(introspect)))
            .service(web::resource("/me").route(web::get().to(me)))
            .service(web::resource("/sessions").route(web::get().to(sessions)))
            .service(
                web::resource("/sessions/revoke-others")
                    .route(web::post().to(revoke_other_sessions)),
            )
            .service(web::resource("/sessions/{id}").route(web::delete().to(delete_session)))
            .service(web::resource("/admin/users").route(web::get().to(admin_users)))
            .service(
                web::resource("/admin/keys/{kid}/revoke").route(web::post().to(admin_revoke_key)),
            )
            .service(web::resource("/.well-known/jwks.json").route(web::get().to(jwks)))
            .service(
                web::resource("/.well-known/oauth-authorization-server")
                    .route(web::get().to(metadata)),
            )
            .service(
                web::resource("/.well-known/openid-configuration")
                    .route(web::get().to(openid_configuration)),
            )
            .service(web::resource("/healthz").route(web::get().to(healthz)))
            .service(web::resource("/openapi.json").route(web::get().to(openapi)));
        if state.config.admin_bind.is_none() {
            cfg.configure(operations);
        }
        if state.config.demo_page {
            cfg.configure(crate::demo::configure);
        }
    }
}

/// `/readyz` and `/metrics`: on the main address by default, only on `admin_bind` when
/// that is set.
fn operations(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/readyz").route(web::get().to(readyz)))
        .service(web::resource("/metrics").route(web::get().to(metrics)));
}

/// The admin listener's application (`admin_bind`): `/readyz`, `/metrics`, `/healthz`.
pub fn admin_app(
    state: web::Data<AppState>,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse<EitherBody<actix_web::body::BoxBody>>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    actix_web::App::new()
        .app_data(state.clone())
        .app_data(state.auth.clone())
        .configure(operations)
        .service(web::resource("/healthz").route(web::get().to(healthz)))
        .default_service(web::to(not_found))
        .wrap(ErrorHandlers::new().default_handler(json_errors))
}

/// The whole application, as `HttpServer::new` wants it.
pub fn app(
    state: web::Data<AppState>,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse<EitherBody<actix_web::body::BoxBody>>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    actix_web::App::new()
        .configure(configure(state))
        .default_service(web::to(not_found))
        .wrap(ErrorHandlers::new().default_handler(json_errors))
        .wrap_fn(|req, srv| {
            let method = req.method().clone();
            let path = req.path().to_owned();
            let start = std::time::Instant::now();
            let fut = srv.call(req);
            async move {
                let res = fut.await?;
                let status = res.status().as_u16();
                METRICS.response(status);
                tracing::debug!(%method, %path, status, micros = start.elapsed().as_micros() as u64, "request");
                Ok(res)
            }
        })
}

/// How long the server waits for in-flight requests on SIGTERM/SIGINT.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
