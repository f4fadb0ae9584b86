//! Authentication and authorization for actix-web handlers, reusable in your own app.
//!
//! ```text
//! // Any valid, unrevoked access token (Authorization: Bearer, or the access cookie):
//! async fn me(user: Authenticated) -> impl Responder { user.0.sub.clone() }
//! // 401 without a valid token, 403 when the token lacks the `admin` scope:
//! async fn users(admin: Require<AdminScope>) -> impl Responder { ... }
//! ```
//! Register a `web::Data<Authenticator>` as app data; that is all the extractors need.
//!
//! # The protected path
//! Neither signature work nor the denylist check dominates a request:
//! - a bounded cache of verified tokens (full token string -> claims) skips the
//!   signature and claims checks for a token already seen; an entry is never served at
//!   or after the token's `exp`, and revocations evict matching entries;
//! - the denylist is checked on every request (cache hit or not) against a local
//!   in-memory view that the store's feed keeps current (see [`crate::store`] for each
//!   store's staleness bound). While the feed reports the store down, every check fails
//!   closed with 503 `store_unavailable`.
//!
//! Cookie-authenticated requests that change state must carry the `X-CSRF-Token`
//! header equal to the CSRF cookie (`__Host-jwt_csrf`) (double submit; the cookies are also
//! `SameSite=Strict` by default).

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::future::{Ready, ready};
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use actix_web::dev::Payload;
use actix_web::http::{Method, StatusCode, header};
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;

use crate::error::ApiError;
use crate::keys::KeyRing;
use crate::metrics::METRICS;
use crate::store::{DenyEntry, FeedSink, Store, StoreError};

pub const CSRF_HEADER: &str = "x-csrf-token";

/// The cookie names. With `Secure` cookies (the default) they carry the `__Host-`
/// prefix: a browser accepts such a cookie only if it is `Secure`, has `Path=/` and no
/// `Domain`, so a sibling subdomain or a plain-HTTP page cannot plant or shadow one
/// (cookie tossing). The price: the refresh cookie cannot be narrowed to `Path=/token`
/// and travels with every request to the origin (it stays `HttpOnly`, and only
/// `/token/refresh` reads it). `--cookie-secure false` (local HTTP experiments only)
/// uses the plain names, which browsers would otherwise refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieNames {
    pub access: &'static str,
    pub refresh: &'static str,
    pub csrf: &'static str,
    /// `Path` of the refresh cookie.
    pub refresh_path: &'static str,
}

impl CookieNames {
    pub const HOST: CookieNames = CookieNames {
        access: "__Host-jwt_access",
        refresh: "__Host-jwt_refresh",
        csrf: "__Host-jwt_csrf",
        refresh_path: "/",
    };
    pub const PLAIN: CookieNames = CookieNames {
        access: "jwt_access",
        refresh: "jwt_refresh",
        csrf: "jwt_csrf",
        refresh_path: "/token",
    };
    pub fn for_secure(secure: bool) -> Self {
        if secure { Self::HOST } else { Self::PLAIN }
    }
}

/// The caller, from a verified access token.
#[derive(Debug, Clone)]
pub struct Principal {
    pub sub: String,
    pub username: Option<String>,
    pub scopes: Vec<String>,
    pub roles: Vec<String>,
    pub client_id: Option<String>,
    pub jti: String,
    /// The refresh family the token was issued in.
    pub sid: Option<String>,
    pub exp: i64,
    pub iat: i64,
    /// The denylist keys that would revoke this token, computed once (the protected
    /// path checks them on every request).
    deny_keys: [Option<String>; 3],
    /// The rendered `GET /me` body, computed on first use (cached tokens reuse it).
    me_body: std::sync::OnceLock<web::Bytes>,
}

impl Principal {
    pub fn has_scope(&self, s: &str) -> bool {
        self.scopes.iter().any(|x| x == s)
    }
    pub fn has_role(&self, r: &str) -> bool {
        self.roles.iter().any(|x| x == r)
    }
    /// The denylist keys that would revoke this token.
    fn deny_keys(&self) -> &[Option<String>; 3] {
        &self.deny_keys
    }
    /// A response body derived from the principal only, rendered once per token.
    pub fn rendered(&self, render: impl FnOnce(&Principal) -> web::Bytes) -> web::Bytes {
        self.me_body.get_or_init(|| render(self)).clone()
    }
}

/// The service's own claims in an access token, besides the registered ones.
#[derive(Debug, Deserialize)]
struct AccessClaims {
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    roles: Option<Vec<String>>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    sid: Option<String>,
    #[serde(default)]
    preferred_username: Option<String>,
}

/// The local denylist view: key -> exp.
#[derive(Debug, Default)]
struct DenyView {
    map: RwLock<HashMap<String, i64>>,
    last_purge: AtomicI64,
}

impl DenyView {
    /// Whether any of `keys` is denied at `now` (one read lock for all of them).
    fn contains_any(&self, keys: &[Option<String>], now: i64) -> bool {
        let map = self.map.read().unwrap_or_else(|p| p.into_inner());
        if map.is_empty() {
            return false;
        }
        keys.iter()
            .flatten()
            .any(|k| map.get(k.as_str()).is_some_and(|&exp| exp > now))
    }
    fn add(&self, entries: &[DenyEntry], now: i64) {
        if entries.is_empty() && now - self.last_purge.load(Ordering::Relaxed) < 60 {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|p| p.into_inner());
        for e in entries {
            if e.exp > now {
                let slot = map.entry(e.key.clone()).or_insert(e.exp);
                *slot = (*slot).max(e.exp);
                METRICS.denylist_updates.inc();
            }
        }
        if now - self.last_purge.load(Ordering::Relaxed) >= 60 {
            map.retain(|_, exp| *exp > now);
            self.last_purge.store(now, Ordering::Relaxed);
        }
    }
    fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }
}

const SHARDS: usize = 16;

/// A bounded cache of verified tokens, sharded to keep lock hold times tiny.
#[derive(Debug)]
struct TokenCache {
    shards: Vec<RwLock<HashMap<Box<str>, Arc<Principal>>>>,
    per_shard: usize,
}

impl TokenCache {
    fn new(capacity: usize) -> Self {
        TokenCache {
            shards: (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect(),
            per_shard: capacity.div_ceil(SHARDS),
        }
    }
    fn shard(&self, token: &str) -> &RwLock<HashMap<Box<str>, Arc<Principal>>> {
        let mut h = DefaultHasher::new();
        token.hash(&mut h);
        &self.shards[(h.finish() as usize) % SHARDS]
    }
    fn get(&self, token: &str, now: i64) -> Option<Arc<Principal>> {
        if self.per_shard == 0 {
            return None;
        }
        let shard = self.shard(token).read().unwrap_or_else(|p| p.into_inner());
        shard.get(token).filter(|p| p.exp > now).cloned()
    }
    fn insert(&self, token: &str, p: Arc<Principal>, now: i64) {
        if self.per_shard == 0 {
            return;
        }
        let mut shard = self.shard(token).write().unwrap_or_else(|p| p.into_inner());
        if shard.len() >= self.per_shard {
            shard.retain(|_, v| v.exp > now);
            if shard.len() >= self.per_shard {
                // Still full of live tokens: drop an arbitrary half (bounded memory wins).
                let drop: Vec<Box<str>> =
                    shard.keys().take(self.per_shard / 2 + 1).cloned().collect();
                for k in drop {
                    shard.remove(&k);
                }
            }
        }
        shard.insert(token.into(), p);
    }
    /// Evict every entry that one of `entries` revokes.
    fn evict(&self, entries: &[DenyEntry]) {
        if entries.is_empty() || self.per_shard == 0 {
            return;
        }
        let keys: std::collections::HashSet<&str> =
            entries.iter().map(|e| e.key.as_str()).collect();
        for s in &self.shards {
            let mut shard = s.write().unwrap_or_else(|p| p.into_inner());
            shard.retain(|_, p| {
                !p.deny_keys()
                    .iter()
                    .flatten()
                    .any(|k| keys.contains(k.as_str()))
            });
        }
    }
    fn clear(&self) {
        for s in &self.shards {
            s.write().unwrap_or_else(|p| p.into_inner()).clear();
        }
    }
    fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.read().map(|m| m.len()).unwrap_or(0))
            .sum()
    }
}

/// Verifies access tokens and checks them against the denylist. One per process,
/// shared by every worker as `web::Data<Authenticator>`.
pub struct Authenticator {
    keys: Arc<KeyRing>,
    store: Arc<dyn Store>,
    deny: DenyView,
    cache: TokenCache,
    healthy: AtomicBool,
    down_reason: Mutex<Option<String>>,
    /// The cookie names in force.
    pub cookies: CookieNames,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("healthy", &self.healthy)
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// Not ready until the store's feed has delivered its first update.
    pub fn new(
        keys: Arc<KeyRing>,
        store: Arc<dyn Store>,
        cache_capacity: usize,
        cookies: CookieNames,
    ) -> Self {
        Authenticator {
            keys,
            store,
            deny: DenyView::default(),
            cache: TokenCache::new(cache_capacity),
            healthy: AtomicBool::new(false),
            down_reason: Mutex::new(Some("the denylist view has not synchronised yet".into())),
            cookies,
        }
    }

    /// Start the store feed on its own thread.
    pub fn start_feed(self: &Arc<Self>) {
        let store = self.store.clone();
        let sink: Arc<dyn FeedSink> = self.clone();
        std::thread::Builder::new()
            .name("denylist-feed".into())
            .spawn(move || store.run_feed(sink))
            .ok();
    }

    /// Whether tokens can be checked right now (else: why not).
    pub fn readiness(&self) -> Result<(), String> {
        if self.healthy.load(Ordering::Acquire) {
            Ok(())
        } else {
            Err(self
                .down_reason
                .lock()
                .ok()
                .and_then(|r| r.clone())
                .unwrap_or_else(|| "store unreachable".into()))
        }
    }

    /// Apply revocations made by this process (already durable in the store).
    pub fn apply(&self, entries: &[DenyEntry]) {
        self.deny.add(entries, jwt_core::now());
        self.cache.evict(entries);
    }

    pub fn keys(&self) -> &Arc<KeyRing> {
        &self.keys
    }

    pub fn sizes(&self) -> (usize, usize) {
        (self.deny.len(), self.cache.len())
    }

    fn is_revoked(&self, p: &Principal, now: i64) -> bool {
        self.deny.contains_any(p.deny_keys(), now)
    }

    /// Verify `token` (or find it in the cache) and check the denylist.
    pub fn authenticate(&self, token: &str) -> Result<Arc<Principal>, ApiError> {
        if self.readiness().is_err() {
            return Err(ApiError::unavailable());
        }
        let now = jwt_core::now();
        let principal = match self.cache.get(token, now) {
            Some(p) => {
                METRICS.auth_cache_hits.inc();
                p
            }
            None => {
                METRICS.auth_cache_misses.inc();
                let p = Arc::new(self.verify(token)?);
                if !self.is_revoked(&p, now) {
                    self.cache.insert(token, p.clone(), now);
                }
                p
            }
        };
        if self.is_revoked(&principal, now) {
            METRICS.auth_rejected.inc();
            return Err(ApiError::revoked());
        }
        METRICS.auth_ok.inc();
        Ok(principal)
    }

    /// Signature and claims checks only (no cache, no denylist).
    pub fn verify(&self, token: &str) -> Result<Principal, ApiError> {
        let keys = self.keys.get();
        let data = keys.verifier.verify::<AccessClaims>(token).map_err(|e| {
            METRICS.auth_rejected.inc();
            ApiError::bad_token(&e)
        })?;
        let r = data.registered;
        let c = data.claims;
        // Required by the validation, so present; a defensive error otherwise.
        let missing = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing_claim",
                "sub, jti, exp and iat are required",
            )
        };
        let sub = r.sub.ok_or_else(missing)?;
        let jti = r.jti.ok_or_else(missing)?;
        let deny_keys = [
            Some(format!("jti:{jti}")),
            c.sid.as_ref().map(|s| format!("sid:{s}")),
            Some(format!("sub:{sub}")),
        ];
        Ok(Principal {
            sub,
            jti,
            deny_keys,
            me_body: std::sync::OnceLock::new(),
            exp: r.exp.ok_or_else(missing)?,
            iat: r.iat.ok_or_else(missing)?,
            username: c.preferred_username,
            scopes: c
                .scope
                .unwrap_or_default()
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            roles: c.roles.unwrap_or_default(),
            client_id: c.client_id,
            sid: c.sid,
        })
    }
}

impl FeedSink for Authenticator {
    fn update(&self, entries: Vec<DenyEntry>) {
        self.apply(&entries);
        let now = jwt_core::now();
        if self.keys.expiry_due(now) {
            if let Err(e) = self.keys.reload(self.store.as_ref()) {
                self.down(&e);
                return;
            }
        }
        if !self.healthy.swap(true, Ordering::AcqRel) {
            tracing::info!(
                store = self.store.kind(),
                "denylist view is current; accepting tokens"
            );
            if let Ok(mut r) = self.down_reason.lock() {
                *r = None;
            }
        }
    }
    fn keys_changed(&self) {
        if let Err(e) = self.keys.reload(self.store.as_ref()) {
            self.down(&e);
        }
        self.cache.clear();
    }
    fn down(&self, e: &StoreError) {
        if let Ok(mut r) = self.down_reason.lock() {
            *r = Some(e.to_string());
        }
        if self.healthy.swap(false, Ordering::AcqRel) {
            tracing::error!(error = %e, "store unreachable: failing closed until it is back");
        }
    }
}

/// The value of cookie `name` in the request, if any.
pub fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Double-submit CSRF check for cookie-authenticated, state-changing requests.
pub fn check_csrf(req: &HttpRequest, names: CookieNames) -> Result<(), ApiError> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let sent = req
        .headers()
        .get(CSRF_HEADER)
        .map(|v| v.as_bytes().to_vec());
    match (cookie(req, names.csrf), sent) {
        (Some(c), Some(h)) if !c.is_empty() && crate::clients::ct_eq(c.as_bytes(), &h) => Ok(()),
        _ => Err(ApiError::csrf()),
    }
}

/// The login CSRF check of a login that sets cookies (a form posted from another site
/// could otherwise log the victim's browser into the attacker's account). Browsers
/// send `Origin` on every POST: it must name this origin (the `Host` the request came
/// to, http or https) or one of `allowed`; `Sec-Fetch-Site: cross-site` is refused too.
/// A request with neither header is not from a browser and has no cookie jar to abuse.
pub fn check_origin(req: &HttpRequest, allowed: &[String]) -> Result<(), ApiError> {
    let h = req.headers();
    if h.get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"))
    {
        return Err(ApiError::origin());
    }
    let Some(origin) = h.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().map_err(|_| ApiError::origin())?;
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    let same = host.is_some_and(|host| {
        origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
    });
    if same || allowed.iter().any(|a| a.eq_ignore_ascii_case(origin)) {
        Ok(())
    } else {
        Err(ApiError::origin())
    }
}

/// The access token of a request: `Authorization: Bearer`, else the access cookie
/// (CSRF-checked for state-changing methods). `None` when there is neither.
pub fn access_token(req: &HttpRequest, names: CookieNames) -> Result<Option<String>, ApiError> {
    if let Some(v) = req.headers().get(header::AUTHORIZATION) {
        let v = v.to_str().map_err(|_| bad_authorization())?;
        let (scheme, token) = v.split_once(' ').ok_or_else(bad_authorization)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(bad_authorization());
        }
        return Ok(Some(token.trim().to_owned()));
    }
    match cookie(req, names.access) {
        Some(t) if !t.is_empty() => {
            check_csrf(req, names)?;
            Ok(Some(t))
        }
        _ => Ok(None),
    }
}

fn bad_authorization() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "the Authorization header must be `Bearer <access token>`",
    )
}

/// The caller of `req`: its access token verified and checked against the denylist.
pub fn authenticate_request(req: &HttpRequest) -> Result<Arc<Principal>, ApiError> {
    let auth = req
        .app_data::<web::Data<Authenticator>>()
        .ok_or_else(|| ApiError::internal("no Authenticator registered as app data"))?;
    let token = access_token(req, auth.cookies)?.ok_or_else(ApiError::unauthenticated)?;
    auth.authenticate(&token)
}

/// Extractor: the caller holds a valid, unrevoked access token (else 401, or 503 when
/// the store is unreachable).
#[derive(Debug, Clone)]
pub struct Authenticated(pub Arc<Principal>);

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate_request(req).map(Authenticated))
    }
}

/// An authorization rule for [`Require`].
pub trait Requirement {
    /// How the 403 describes what is missing.
    const WHAT: &'static str;
    fn allows(p: &Principal) -> bool;
}

/// Extractor: authenticated (else 401) and allowed by `R` (else 403).
#[derive(Debug, Clone)]
pub struct Require<R>(pub Arc<Principal>, PhantomData<R>);

impl<R: Requirement> FromRequest for Require<R> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate_request(req).and_then(|p| {
            if R::allows(&p) {
                Ok(Require(p, PhantomData))
            } else {
                Err(ApiError::forbidden(R::WHAT))
            }
        }))
    }
}

/// Declare a [`Requirement`] on one scope or one role:
/// `requirement!(/// docs, Name, scope "name")` or `requirement!(/// docs, Name, role "name")`.
#[macro_export]
macro_rules! requirement {
    ($(#[$doc:meta])* $name:ident, scope $value:literal) => {
        $crate::requirement!(@make $(#[$doc])* $name, has_scope, $value, concat!("the `", $value, "` scope"));
    };
    ($(#[$doc:meta])* $name:ident, role $value:literal) => {
        $crate::requirement!(@make $(#[$doc])* $name, has_role, $value, concat!("the `", $value, "` role"));
    };
    (@make $(#[$doc:meta])* $name:ident, $check:ident, $value:literal, $what:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;
        impl $crate::auth::Requirement for $name {
            const WHAT: &'static str = $what;
            fn allows(p: &$crate::auth::Principal) -> bool {
                p.$check($value)
            }
        }
    };
}

requirement!(
    /// The `admin` scope (granted to users with the `admin` role).
    AdminScope, scope "admin"
);
requirement!(
    /// The `introspect` scope (RFC 7662 callers; granted to the `admin` role).
    IntrospectScope, scope "introspect"
);
requirement!(
    /// The `admin` role (a role check rather than a scope check, for comparison).
    AdminRole, role "admin"
);
