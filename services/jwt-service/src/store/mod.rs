//! The store interface and its two implementations.
//!
//! - [`sqlite::SqliteStore`]: the embedded default. WAL journal with `synchronous=FULL`:
//!   a write is fsynced before the request that made it is answered, so an acknowledged
//!   revocation survives `kill -9` (and power loss).
//! - [`redis::RedisStore`]: shared by several instances. Denylist entries and refresh
//!   tokens carry Redis TTLs; revocations are also published on a channel so every
//!   instance's local denylist view stays current.
//!
//! The store is synchronous (handlers call it through `web::block`); the hot path
//! (`GET /me`) never touches it: it reads the local denylist view, which a background
//! thread keeps current ([`DenyFeed`]).

pub mod redis;
pub mod sqlite;

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A store failure: the service answers 503 and fails closed.
#[derive(Debug, Clone)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;

/// A user account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    /// argon2id PHC string; never logged, never serialized to clients.
    #[serde(skip_serializing)]
    pub password_hash: String,
    pub roles: Vec<String>,
    pub disabled: bool,
    pub created_at: i64,
}

/// A signing key as persisted: PKCS#8 PEM, `kid` = RFC 7638 thumbprint.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub kid: String,
    pub alg: String,
    pub pem: String,
    pub created_at: i64,
    /// When it stopped signing (a newer key became current); `None` for the current key.
    pub retired_at: Option<i64>,
    /// When it was revoked in an emergency: from then on it neither signs nor verifies
    /// and is gone from the JWKS.
    #[serde(default)]
    pub revoked_at: Option<i64>,
}

impl fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}

/// A refresh family (a "session"): one login and every refresh token rotated from it.
/// At most one of its tokens is live at any moment: `current`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    pub id: String,
    pub user_id: String,
    pub created_at: i64,
    /// The last login or refresh.
    pub last_used_at: i64,
    /// The absolute end of the family (`created_at + family_ttl`), whatever its use.
    pub expires_at: i64,
    /// `User-Agent` and client address at login (for `GET /sessions`).
    pub user_agent: String,
    pub address: String,
}

/// The rules a rotation applies, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationRules {
    /// How long after `prev` was rotated a retry with it is a lost-response retry.
    pub grace: i64,
    /// Idle lifetime: a family not refreshed for this long dies.
    pub idle: i64,
}

/// What presenting a refresh token did (one atomic step in the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was the family's current one: `next` is now current, the presented
    /// token is the immediate predecessor.
    Rotated { family: String, user_id: String },
    /// The token was the immediate predecessor of the current one, within the grace
    /// window of its rotation: `next` replaces the current token (which dies).
    GraceRetry { family: String, user_id: String },
    /// Any other token of the family (an older generation, a superseded successor, or
    /// the predecessor after the window): the family is now revoked.
    Reused { family: String, user_id: String },
    /// Unknown, expired (idle or absolute lifetime), or its family was revoked.
    Invalid,
}

/// What a refresh token looks like to `/introspect`.
#[derive(Debug, Clone)]
pub struct RefreshInfo {
    pub family: String,
    pub user_id: String,
    pub expires_at: i64,
    /// It is its family's current token and the family is live.
    pub active: bool,
}

/// When the current token of a live family expires: idle or absolute end, whichever
/// comes first.
pub fn token_expiry(last_used_at: i64, family_expires_at: i64, idle: i64) -> i64 {
    (last_used_at + idle).min(family_expires_at)
}

/// How many wrong passwords a user name may see in a window before it is locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutRules {
    pub max_failures: u32,
    pub window: i64,
}

/// A denylist entry: `jti:ID` (one access token), `sid:FAMILY` (every access token of a
/// refresh family) or `sub:USER` (every access token of a user), live until `exp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenyEntry {
    pub key: String,
    pub exp: i64,
}

/// The persistence interface. Every method is a blocking call.
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `redis`.
    fn kind(&self) -> &'static str;
    /// Reachability probe for `/readyz`.
    fn ping(&self) -> StoreResult<()>;

    /// Create a user; `false` if the name is taken.
    fn create_user(&self, user: &User) -> StoreResult<bool>;
    fn find_user(&self, username: &str) -> StoreResult<Option<User>>;
    fn find_user_by_id(&self, id: &str) -> StoreResult<Option<User>>;
    fn list_users(&self) -> StoreResult<Vec<User>>;
    /// Mark disabled; returns the user if it exists.
    fn disable_user(&self, username: &str) -> StoreResult<Option<User>>;
    fn user_count(&self) -> StoreResult<u64>;

    /// Every key, current and retired, oldest first.
    fn keys(&self) -> StoreResult<Vec<StoredKey>>;
    /// Persist `key` as the current key only if there is no key at all (first start;
    /// safe against two instances starting at once). `false` if a key already existed.
    fn insert_first_key(&self, key: &StoredKey) -> StoreResult<bool>;
    /// Persist `key` as current and retire the previous current key at `now`.
    fn rotate_key(&self, key: &StoredKey, now: i64) -> StoreResult<()>;

    /// Emergency revocation of key `kid` at `now`, in one step: it is marked revoked
    /// (and retired); if it was the current key, `replacement` becomes current. `None`
    /// when there is no such key, else whether the replacement was installed.
    fn revoke_key(&self, kid: &str, replacement: &StoredKey, now: i64)
    -> StoreResult<Option<bool>>;

    /// Create a family whose first (current) token has SHA-256 `first_hash`.
    fn create_family(&self, family: &Family, first_hash: &str, idle: i64) -> StoreResult<()>;
    /// Present the refresh token with SHA-256 `hash`; `next_hash` becomes the family's
    /// current token if the outcome is `Rotated` or `GraceRetry`. One atomic step: two
    /// concurrent presentations of one token cannot both rotate it (no fork).
    fn rotate_refresh(
        &self,
        hash: &str,
        next_hash: &str,
        now: i64,
        rules: RotationRules,
    ) -> StoreResult<Rotation>;
    fn refresh_info(&self, hash: &str, now: i64, idle: i64) -> StoreResult<Option<RefreshInfo>>;
    /// A live family by id.
    fn family(&self, id: &str, now: i64, idle: i64) -> StoreResult<Option<Family>>;
    /// The live (unrevoked, unexpired) families of a user, oldest first.
    fn user_families(&self, user_id: &str, now: i64, idle: i64) -> StoreResult<Vec<Family>>;
    /// Revoke a refresh family: no token of it refreshes any more.
    fn revoke_family(&self, family: &str, now: i64) -> StoreResult<()>;
    /// Revoke every family of a user; the ids of those that were live.
    fn revoke_user_families(&self, user_id: &str, now: i64) -> StoreResult<Vec<String>>;

    /// Login lockout, atomically: count one more attempt on `username` unless it already
    /// saw `max_failures` in the window (then `false`: locked). A check and its
    /// increment are one step, so concurrent attempts cannot exceed the limit.
    fn reserve_login_attempt(
        &self,
        username: &str,
        now: i64,
        rules: LockoutRules,
    ) -> StoreResult<bool>;
    /// A successful login: the user name's count starts again.
    fn clear_login_attempts(&self, username: &str) -> StoreResult<()>;

    /// Shared per-address login limits: take one token from `bucket`'s bucket
    /// (`per_minute` of burst, refilled continuously). `None` when the store does not
    /// share limits (SQLite: one process per file; the in-memory table applies).
    fn take_rate_token(&self, _bucket: &str, _per_minute: u32) -> StoreResult<Option<bool>> {
        Ok(None)
    }

    /// Durably add a denylist entry and tell the other instances.
    fn deny(&self, entry: &DenyEntry) -> StoreResult<()>;
    /// Authoritative lookup (used when the local view cannot be trusted).
    fn is_denied(&self, key: &str, now: i64) -> StoreResult<bool>;
    /// Keep a local denylist view current: runs forever on a thread of its own, feeding
    /// `sink` with new entries, key changes, and outages.
    fn run_feed(self: Arc<Self>, sink: Arc<dyn FeedSink>);
}

/// Where a store's feed delivers. Denials are never lifted (they only expire), so the
/// view merges what it receives: a resync after a reconnect cannot lose an entry that
/// this process added meanwhile.
pub trait FeedSink: Send + Sync {
    /// The view is current once `entries` are merged.
    fn update(&self, entries: Vec<DenyEntry>);
    /// The signing keys changed elsewhere (e.g. `keys rotate` ran in another process).
    fn keys_changed(&self);
    /// The store cannot be reached: the view is not current; fail closed.
    fn down(&self, e: &StoreError);
}

/// Open the store named by `url`.
pub fn open(url: &str, redis_prefix: &str) -> Result<Arc<dyn Store>, String> {
    if let Some(path) = sqlite_path(url) {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        Ok(Arc::new(sqlite::SqliteStore::open(path).map_err(|e| e.0)?))
    } else if url.starts_with("redis://") || url.starts_with("rediss://") {
        Ok(Arc::new(
            redis::RedisStore::open(url, redis_prefix).map_err(|e| e.0)?,
        ))
    } else {
        Err(format!(
            "unsupported store URL `{url}`: use sqlite://PATH or redis://HOST:PORT"
        ))
    }
}

/// `sqlite://PATH` -> PATH.
pub fn sqlite_path(url: &str) -> Option<&std::path::Path> {
    url.strip_prefix("sqlite://").map(std::path::Path::new)
}
