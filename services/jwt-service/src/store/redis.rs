//! The shared store: Redis, for several instances behind a load balancer.
//!
//! Layout (every key and the channel start with the configured prefix `P`):
//!
//! | key | type | TTL |
//! | --- | --- | --- |
//! | `P user:NAME` | hash (id, password hash, roles, disabled, created_at) | none |
//! | `P uid:ID` | string: the user name | none |
//! | `P users` | set of user names | none |
//! | `P keys` | hash: kid -> JSON of the stored key (PKCS#8 PEM) | none |
//! | `P rt:SHA256` | hash (family, user_id, expires_at, used_at) | the token's expiry |
//! | `P fam:ID` | hash (user_id, revoked) | the family's newest token's expiry |
//! | `P ufam:USERID` | set of family ids | idem |
//! | `P deny:KEY` | string: exp | until exp (`EXAT`) |
//! | `P events` | pub/sub channel: `deny EXP KEY`, `keys` | |
//!
//! Refresh rotation is one Lua script (check, mark used or detect reuse, revoke), so
//! two instances racing on the same token cannot both rotate it.
//!
//! **Staleness of the local denylist view**: every instance subscribes to `P events`
//! and applies a revocation as soon as the message arrives (sub-millisecond on a LAN).
//! Pub/sub is at-most-once, so the feed also rescans every `deny:*` key after each
//! (re)subscription and every [`RESYNC_INTERVAL`]; the subscriber checks Redis at least
//! every [`HEARTBEAT`] and declares the view *down* (every token check then fails
//! closed with 503) as soon as Redis does not answer. Bound: a revocation is honoured
//! everywhere within the pub/sub delivery time while the subscription is healthy, and
//! in any case within `RESYNC_INTERVAL`; a broken subscription is detected within
//! `HEARTBEAT` plus the 2 s command timeout.
//!
//! Durability is Redis's: run it with `appendonly yes` and `appendfsync always` to get
//! the SQLite store's "an acknowledged revocation survives a crash" guarantee.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::{Client, Connection, Script};

use super::{
    DenyEntry, FeedSink, RefreshInfo, RefreshRecord, Rotation, Store, StoreError, StoreResult,
    StoredKey, User,
};

/// How long the subscriber waits for a message before checking Redis is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// How often the subscriber rescans the whole denylist (bounds lost pub/sub messages).
pub const RESYNC_INTERVAL: Duration = Duration::from_secs(10);
const TIMEOUT: Duration = Duration::from_secs(2);

/// The Redis store: a small pool of synchronous connections.
pub struct RedisStore {
    client: Client,
    prefix: String,
    pool: Mutex<Vec<Connection>>,
    use_refresh: Script,
    rotate_key: Script,
    first_key: Script,
    create_user: Script,
    revoke_family: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("redis: {e}"))
}

const USE_REFRESH: &str = r"
local r = redis.call('HMGET', KEYS[1], 'family', 'user_id', 'expires_at', 'used_at')
if not r[1] then return {'invalid'} end
local fk = ARGV[3] .. r[1]
local revoked = redis.call('HGET', fk, 'revoked')
local now = tonumber(ARGV[1])
if (not revoked) or revoked == '1' or tonumber(r[3]) <= now then return {'invalid'} end
if not r[4] then
  redis.call('HSET', KEYS[1], 'used_at', ARGV[1])
  return {'rotated', r[1], r[2]}
end
if now - tonumber(r[4]) < tonumber(ARGV[2]) then return {'grace', r[1], r[2]} end
redis.call('HSET', fk, 'revoked', '1')
return {'reused', r[1], r[2]}
";

const ROTATE_KEY: &str = r"
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local k = cjson.decode(all[i + 1])
  if k.retired_at == nil or k.retired_at == cjson.null then
    k.retired_at = tonumber(ARGV[2])
    redis.call('HSET', KEYS[1], all[i], cjson.encode(k))
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
";

const FIRST_KEY: &str = r"
if redis.call('HLEN', KEYS[1]) > 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
";

const CREATE_USER: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'username', ARGV[2], 'password_hash', ARGV[3],
  'roles', ARGV[4], 'disabled', ARGV[5], 'created_at', ARGV[6])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return 1
";

const REVOKE_FAMILY: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'revoked', '1') end
return 1
";

impl RedisStore {
    /// Connect (and check the server answers).
    pub fn open(url: &str, prefix: &str) -> StoreResult<Self> {
        let client = Client::open(url).map_err(err)?;
        let store = RedisStore {
            client,
            prefix: prefix.to_owned(),
            pool: Mutex::new(Vec::new()),
            use_refresh: Script::new(USE_REFRESH),
            rotate_key: Script::new(ROTATE_KEY),
            first_key: Script::new(FIRST_KEY),
            create_user: Script::new(CREATE_USER),
            revoke_family: Script::new(REVOKE_FAMILY),
        };
        store.ping()?;
        Ok(store)
    }

    fn k(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }

    fn connect(&self) -> StoreResult<Connection> {
        let c = self
            .client
            .get_connection_with_timeout(TIMEOUT)
            .map_err(err)?;
        c.set_read_timeout(Some(TIMEOUT)).map_err(err)?;
        c.set_write_timeout(Some(TIMEOUT)).map_err(err)?;
        Ok(c)
    }

    /// Run `f` on a pooled connection; a connection that saw an error is dropped.
    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> redis::RedisResult<T>) -> StoreResult<T> {
        let pooled = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut c = match pooled {
            Some(c) => c,
            None => self.connect()?,
        };
        let out = f(&mut c).map_err(err)?;
        if let Ok(mut p) = self.pool.lock() {
            if p.len() < 16 {
                p.push(c);
            }
        }
        Ok(out)
    }

    fn user_from(&self, fields: std::collections::HashMap<String, String>) -> Option<User> {
        let get = |n: &str| fields.get(n).cloned();
        Some(User {
            id: get("id")?,
            username: get("username")?,
            password_hash: get("password_hash")?,
            roles: get("roles")?
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            disabled: get("disabled").as_deref() == Some("1"),
            created_at: get("created_at")?.parse().ok()?,
        })
    }

    fn publish(&self, c: &mut Connection, msg: &str) -> redis::RedisResult<()> {
        redis::cmd("PUBLISH")
            .arg(self.k("events"))
            .arg(msg)
            .query::<i64>(c)
            .map(drop)
    }

    /// Every live denylist entry (SCAN, then MGET).
    fn scan_denylist(&self) -> StoreResult<Vec<DenyEntry>> {
        let pattern = self.k("deny:*");
        let strip = self.k("deny:");
        self.with(|c| {
            let mut cursor: u64 = 0;
            let mut out = Vec::new();
            loop {
                let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(&pattern)
                    .arg("COUNT")
                    .arg(1000)
                    .query(c)?;
                if !keys.is_empty() {
                    let exps: Vec<Option<i64>> = redis::cmd("MGET").arg(&keys).query(c)?;
                    for (k, exp) in keys.into_iter().zip(exps) {
                        if let (Some(exp), Some(key)) = (exp, k.strip_prefix(&strip)) {
                            out.push(DenyEntry {
                                key: key.to_owned(),
                                exp,
                            });
                        }
                    }
                }
                if next == 0 {
                    return Ok(out);
                }
                cursor = next;
            }
        })
    }

    /// One subscription's lifetime: subscribe, resync, then apply messages until Redis
    /// stops answering.
    fn subscription(&self, sink: &dyn FeedSink) -> StoreResult<()> {
        let mut conn = self.connect()?;
        let mut pubsub = conn.as_pubsub();
        pubsub.subscribe(self.k("events")).map_err(err)?;
        pubsub.set_read_timeout(Some(HEARTBEAT)).map_err(err)?;
        // Subscribed first, then scanned: nothing published in between is missed.
        sink.update(self.scan_denylist()?);
        sink.keys_changed();
        let mut last_sync = Instant::now();
        loop {
            match pubsub.get_message() {
                Ok(msg) => {
                    let payload: String = msg.get_payload().map_err(err)?;
                    let mut parts = payload.splitn(3, ' ');
                    match (parts.next(), parts.next(), parts.next()) {
                        (Some("deny"), Some(exp), Some(key)) => {
                            if let Ok(exp) = exp.parse() {
                                sink.update(vec![DenyEntry {
                                    key: key.to_owned(),
                                    exp,
                                }]);
                            }
                        }
                        (Some("keys"), _, _) => sink.keys_changed(),
                        _ => tracing::warn!("ignoring unknown message on the events channel"),
                    }
                }
                Err(e) if e.is_timeout() => {
                    // Quiet channel: prove Redis is still there (fail closed if not).
                    self.ping()?;
                    if last_sync.elapsed() >= RESYNC_INTERVAL {
                        sink.update(self.scan_denylist()?);
                        last_sync = Instant::now();
                    } else {
                        sink.update(Vec::new());
                    }
                }
                Err(e) => return Err(err(e)),
            }
        }
    }
}

impl Store for RedisStore {
    fn kind(&self) -> &'static str {
        "redis"
    }

    fn ping(&self) -> StoreResult<()> {
        self.with(|c| redis::cmd("PING").query::<String>(c))
            .map(drop)
    }

    fn create_user(&self, u: &User) -> StoreResult<bool> {
        self.with(|c| {
            self.create_user
                .key(self.k(&format!("user:{}", u.username)))
                .key(self.k(&format!("uid:{}", u.id)))
                .key(self.k("users"))
                .arg(&u.id)
                .arg(&u.username)
                .arg(&u.password_hash)
                .arg(u.roles.join(","))
                .arg(if u.disabled { "1" } else { "0" })
                .arg(u.created_at)
                .invoke::<i64>(c)
        })
        .map(|n| n == 1)
    }

    fn find_user(&self, username: &str) -> StoreResult<Option<User>> {
        let fields: std::collections::HashMap<String, String> = self.with(|c| {
            redis::cmd("HGETALL")
                .arg(self.k(&format!("user:{username}")))
                .query(c)
        })?;
        Ok(self.user_from(fields))
    }

    fn find_user_by_id(&self, id: &str) -> StoreResult<Option<User>> {
        let name: Option<String> =
            self.with(|c| redis::cmd("GET").arg(self.k(&format!("uid:{id}"))).query(c))?;
        match name {
            Some(n) => self.find_user(&n),
            None => Ok(None),
        }
    }

    fn list_users(&self) -> StoreResult<Vec<User>> {
        let names: Vec<String> =
            self.with(|c| redis::cmd("SMEMBERS").arg(self.k("users")).query(c))?;
        let mut users = Vec::new();
        for n in names {
            if let Some(u) = self.find_user(&n)? {
                users.push(u);
            }
        }
        users.sort_by(|a, b| (a.created_at, &a.username).cmp(&(b.created_at, &b.username)));
        Ok(users)
    }

    fn disable_user(&self, username: &str) -> StoreResult<Option<User>> {
        let key = self.k(&format!("user:{username}"));
        let exists: bool = self.with(|c| redis::cmd("EXISTS").arg(&key).query(c))?;
        if !exists {
            return Ok(None);
        }
        self.with(|c| {
            redis::cmd("HSET")
                .arg(&key)
                .arg("disabled")
                .arg("1")
                .query::<i64>(c)
        })?;
        self.find_user(username)
    }

    fn user_count(&self) -> StoreResult<u64> {
        self.with(|c| redis::cmd("SCARD").arg(self.k("users")).query(c))
    }

    fn keys(&self) -> StoreResult<Vec<StoredKey>> {
        let all: Vec<String> = self.with(|c| redis::cmd("HVALS").arg(self.k("keys")).query(c))?;
        let mut keys = all
            .iter()
            .map(|j| serde_json::from_str::<StoredKey>(j).map_err(err))
            .collect::<StoreResult<Vec<_>>>()?;
        keys.sort_by(|a, b| {
            (a.created_at, a.retired_at.is_none()).cmp(&(b.created_at, b.retired_at.is_none()))
        });
        Ok(keys)
    }

    fn insert_first_key(&self, k: &StoredKey) -> StoreResult<bool> {
        let json = serde_json::to_string(k).map_err(err)?;
        let n: i64 = self.with(|c| {
            self.first_key
                .key(self.k("keys"))
                .arg(&k.kid)
                .arg(&json)
                .invoke(c)
        })?;
        Ok(n == 1)
    }

    fn rotate_key(&self, k: &StoredKey, now: i64) -> StoreResult<()> {
        let json = serde_json::to_string(k).map_err(err)?;
        self.with(|c| {
            self.rotate_key
                .key(self.k("keys"))
                .arg(&k.kid)
                .arg(now)
                .arg(&json)
                .invoke::<i64>(c)?;
            self.publish(c, "keys")
        })
    }

    fn insert_refresh(&self, r: &RefreshRecord, _now: i64) -> StoreResult<()> {
        let fam = self.k(&format!("fam:{}", r.family));
        let ufam = self.k(&format!("ufam:{}", r.user_id));
        let rt = self.k(&format!("rt:{}", r.hash));
        self.with(|c| {
            redis::pipe()
                .atomic()
                .cmd("HSETNX")
                .arg(&fam)
                .arg("user_id")
                .arg(&r.user_id)
                .ignore()
                .cmd("HSETNX")
                .arg(&fam)
                .arg("revoked")
                .arg("0")
                .ignore()
                .cmd("EXPIREAT")
                .arg(&fam)
                .arg(r.expires_at)
                .ignore()
                .cmd("SADD")
                .arg(&ufam)
                .arg(&r.family)
                .ignore()
                .cmd("EXPIREAT")
                .arg(&ufam)
                .arg(r.expires_at)
                .ignore()
                .cmd("HSET")
                .arg(&rt)
                .arg("family")
                .arg(&r.family)
                .arg("user_id")
                .arg(&r.user_id)
                .arg("expires_at")
                .arg(r.expires_at)
                .ignore()
                .cmd("EXPIREAT")
                .arg(&rt)
                .arg(r.expires_at)
                .ignore()
                .query::<()>(c)
        })
    }

    fn use_refresh(&self, hash: &str, now: i64, grace: i64) -> StoreResult<Rotation> {
        let out: Vec<String> = self.with(|c| {
            self.use_refresh
                .key(self.k(&format!("rt:{hash}")))
                .arg(now)
                .arg(grace)
                .arg(self.k("fam:"))
                .invoke(c)
        })?;
        let mut it = out.into_iter();
        let (tag, family, user_id) = (it.next(), it.next(), it.next());
        Ok(match (tag.as_deref(), family, user_id) {
            (Some("rotated"), Some(family), Some(user_id)) => Rotation::Rotated { family, user_id },
            (Some("grace"), Some(family), Some(user_id)) => {
                Rotation::GraceRetry { family, user_id }
            }
            (Some("reused"), Some(family), Some(user_id)) => Rotation::Reused { family, user_id },
            _ => Rotation::Invalid,
        })
    }

    fn refresh_info(&self, hash: &str, now: i64) -> StoreResult<Option<RefreshInfo>> {
        let r: (Option<String>, Option<String>, Option<i64>, Option<i64>) = self.with(|c| {
            redis::cmd("HMGET")
                .arg(self.k(&format!("rt:{hash}")))
                .arg("family")
                .arg("user_id")
                .arg("expires_at")
                .arg("used_at")
                .query(c)
        })?;
        let (Some(family), Some(user_id), Some(expires_at), used_at) = r else {
            return Ok(None);
        };
        let revoked: Option<String> = self.with(|c| {
            redis::cmd("HGET")
                .arg(self.k(&format!("fam:{family}")))
                .arg("revoked")
                .query(c)
        })?;
        let active = used_at.is_none() && revoked.as_deref() == Some("0") && expires_at > now;
        Ok(Some(RefreshInfo {
            family,
            user_id,
            expires_at,
            active,
        }))
    }

    fn revoke_family(&self, family: &str, _now: i64) -> StoreResult<()> {
        self.with(|c| {
            self.revoke_family
                .key(self.k(&format!("fam:{family}")))
                .invoke::<i64>(c)
        })
        .map(drop)
    }

    fn revoke_user_families(&self, user_id: &str, now: i64) -> StoreResult<()> {
        let fams: Vec<String> = self.with(|c| {
            redis::cmd("SMEMBERS")
                .arg(self.k(&format!("ufam:{user_id}")))
                .query(c)
        })?;
        fams.iter().try_for_each(|f| self.revoke_family(f, now))
    }

    fn deny(&self, e: &DenyEntry) -> StoreResult<()> {
        if e.exp <= jwt_core::now() {
            return Ok(());
        }
        self.with(|c| {
            redis::cmd("SET")
                .arg(self.k(&format!("deny:{}", e.key)))
                .arg(e.exp)
                .arg("EXAT")
                .arg(e.exp)
                .query::<()>(c)?;
            self.publish(c, &format!("deny {} {}", e.exp, e.key))
        })
    }

    fn is_denied(&self, key: &str, _now: i64) -> StoreResult<bool> {
        self.with(|c| {
            redis::cmd("EXISTS")
                .arg(self.k(&format!("deny:{key}")))
                .query(c)
        })
    }

    fn run_feed(self: Arc<Self>, sink: Arc<dyn FeedSink>) {
        loop {
            if let Err(e) = self.subscription(sink.as_ref()) {
                sink.down(&e);
                std::thread::sleep(Duration::from_millis(250));
            }
        }
    }
}
