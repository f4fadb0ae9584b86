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
//! | `P rt:SHA256` | string: the token's family id | the family's absolute end |
//! | `P fam:ID` | hash (user_id, created_at, last_used_at, expires_at, revoked, current, prev, rotated_at, ua, addr) | the family's absolute end |
//! | `P ufam:USERID` | set of family ids (dead ids removed when listed) | none |
//! | `P login:NAME` | string: attempts in the lockout window | the window |
//! | `P rate:BUCKET` | hash (tokens, ts): the login token bucket of an address (/64) | 120 s |
//! | `P deny:KEY` | string: exp | until exp (`EXAT`) |
//! | `P events` | pub/sub channel: `deny EXP KEY`, `keys` | |
//!
//! Refresh rotation is one Lua script (check the family, rotate, accept a grace retry
//! or detect reuse and revoke), so two instances racing on the same token cannot fork
//! its family; the login lockout's check-and-count is one script too.
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

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::{Client, Connection, Script};

use super::{
    DenyEntry, Family, FeedSink, LockoutRules, RefreshInfo, Rotation, RotationRules, Store,
    StoreError, StoreResult, StoredKey, User,
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
    rotate_refresh: Script,
    create_family: Script,
    login_attempt: Script,
    rotate_key: Script,
    revoke_key: Script,
    rate_token: Script,
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

/// KEYS[1] `rt:HASH`; ARGV now, grace, idle, family prefix, hash, next hash, rt prefix.
const ROTATE_REFRESH: &str = r"
local fid = redis.call('GET', KEYS[1])
if not fid then return {'invalid'} end
local fk = ARGV[4] .. fid
local f = redis.call('HMGET', fk, 'user_id', 'last_used_at', 'expires_at', 'revoked', 'current', 'prev', 'rotated_at')
if not f[1] then return {'invalid'} end
local now = tonumber(ARGV[1])
local exp = tonumber(f[3])
if f[4] == '1' or now >= exp or now >= tonumber(f[2]) + tonumber(ARGV[3]) then return {'invalid'} end
local tag
if f[5] == ARGV[5] then
  redis.call('HSET', fk, 'prev', ARGV[5], 'current', ARGV[6], 'rotated_at', ARGV[1], 'last_used_at', ARGV[1])
  tag = 'rotated'
elseif f[6] == ARGV[5] and f[7] and now - tonumber(f[7]) < tonumber(ARGV[2]) then
  redis.call('HSET', fk, 'current', ARGV[6], 'last_used_at', ARGV[1])
  tag = 'grace'
else
  redis.call('HSET', fk, 'revoked', '1')
  return {'reused', fid, f[1]}
end
redis.call('SET', ARGV[7] .. ARGV[6], fid, 'EXAT', exp)
return {tag, fid, f[1]}
";

/// KEYS fam, rt, ufam; ARGV id, user_id, created_at, last_used_at, expires_at, hash, ua, addr.
const CREATE_FAMILY: &str = r"
redis.call('HSET', KEYS[1], 'user_id', ARGV[2], 'created_at', ARGV[3], 'last_used_at', ARGV[4],
  'expires_at', ARGV[5], 'revoked', '0', 'current', ARGV[6], 'ua', ARGV[7], 'addr', ARGV[8])
redis.call('EXPIREAT', KEYS[1], ARGV[5])
redis.call('SET', KEYS[2], ARGV[1], 'EXAT', ARGV[5])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
";

/// KEYS[1] `login:NAME`; ARGV max, window. 1: attempt counted; 0: locked.
const LOGIN_ATTEMPT: &str = r"
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
if n == 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1
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

/// KEYS[1] keys; ARGV kid, now, replacement kid, replacement JSON.
/// -1: no such key; 1: it was current and the replacement is; 0: it was not current.
const REVOKE_KEY: &str = r"
local j = redis.call('HGET', KEYS[1], ARGV[1])
if not j then return -1 end
local k = cjson.decode(j)
local was_current = (k.retired_at == nil or k.retired_at == cjson.null)
if k.revoked_at == nil or k.revoked_at == cjson.null then k.revoked_at = tonumber(ARGV[2]) end
if was_current then k.retired_at = tonumber(ARGV[2]) end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(k))
if was_current then
  redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
  return 1
end
return 0
";

/// KEYS[1] `rate:BUCKET`; ARGV per_minute. A token bucket on the server's clock.
const RATE_TOKEN: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local cap = tonumber(ARGV[1])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or cap
local ts = tonumber(b[2]) or now
tokens = math.min(cap, tokens + (now - ts) * cap / 60)
local ok = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], 120)
return ok
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
            rotate_refresh: Script::new(ROTATE_REFRESH),
            create_family: Script::new(CREATE_FAMILY),
            login_attempt: Script::new(LOGIN_ATTEMPT),
            rotate_key: Script::new(ROTATE_KEY),
            revoke_key: Script::new(REVOKE_KEY),
            rate_token: Script::new(RATE_TOKEN),
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

    fn user_from(&self, fields: HashMap<String, String>) -> Option<User> {
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

    fn family_hash(&self, id: &str) -> StoreResult<Option<HashMap<String, String>>> {
        let h: HashMap<String, String> = self.with(|c| {
            redis::cmd("HGETALL")
                .arg(self.k(&format!("fam:{id}")))
                .query(c)
        })?;
        Ok(h.contains_key("user_id").then_some(h))
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

fn family_live(h: &HashMap<String, String>, now: i64, idle: i64) -> bool {
    let num = |n: &str| h.get(n).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    h.get("revoked").map(String::as_str) == Some("0")
        && now < num("expires_at")
        && now < num("last_used_at").saturating_add(idle)
}

fn family_from(id: &str, h: &HashMap<String, String>) -> Family {
    let get = |n: &str| h.get(n).cloned().unwrap_or_default();
    let num = |n: &str| get(n).parse::<i64>().unwrap_or(0);
    Family {
        id: id.to_owned(),
        user_id: get("user_id"),
        created_at: num("created_at"),
        last_used_at: num("last_used_at"),
        expires_at: num("expires_at"),
        user_agent: get("ua"),
        address: get("addr"),
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
        let fields: HashMap<String, String> = self.with(|c| {
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

    fn revoke_key(
        &self,
        kid: &str,
        replacement: &StoredKey,
        now: i64,
    ) -> StoreResult<Option<bool>> {
        let json = serde_json::to_string(replacement).map_err(err)?;
        let n: i64 = self.with(|c| {
            let n = self
                .revoke_key
                .key(self.k("keys"))
                .arg(kid)
                .arg(now)
                .arg(&replacement.kid)
                .arg(&json)
                .invoke(c)?;
            self.publish(c, "keys")?;
            Ok(n)
        })?;
        Ok((n >= 0).then_some(n == 1))
    }

    fn create_family(&self, f: &Family, first_hash: &str, _idle: i64) -> StoreResult<()> {
        self.with(|c| {
            self.create_family
                .key(self.k(&format!("fam:{}", f.id)))
                .key(self.k(&format!("rt:{first_hash}")))
                .key(self.k(&format!("ufam:{}", f.user_id)))
                .arg(&f.id)
                .arg(&f.user_id)
                .arg(f.created_at)
                .arg(f.last_used_at)
                .arg(f.expires_at)
                .arg(first_hash)
                .arg(&f.user_agent)
                .arg(&f.address)
                .invoke::<i64>(c)
                .map(drop)
        })
    }

    fn rotate_refresh(
        &self,
        hash: &str,
        next_hash: &str,
        now: i64,
        rules: RotationRules,
    ) -> StoreResult<Rotation> {
        let out: Vec<String> = self.with(|c| {
            self.rotate_refresh
                .key(self.k(&format!("rt:{hash}")))
                .arg(now)
                .arg(rules.grace)
                .arg(rules.idle)
                .arg(self.k("fam:"))
                .arg(hash)
                .arg(next_hash)
                .arg(self.k("rt:"))
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

    fn refresh_info(&self, hash: &str, now: i64, idle: i64) -> StoreResult<Option<RefreshInfo>> {
        let fid: Option<String> = self.with(|c| {
            redis::cmd("GET")
                .arg(self.k(&format!("rt:{hash}")))
                .query(c)
        })?;
        let Some(fid) = fid else { return Ok(None) };
        let Some(h) = self.family_hash(&fid)? else {
            return Ok(None);
        };
        let get = |n: &str| h.get(n).cloned().unwrap_or_default();
        let num = |n: &str| get(n).parse::<i64>().unwrap_or(0);
        let live = family_live(&h, now, idle);
        Ok(Some(RefreshInfo {
            family: fid,
            user_id: get("user_id"),
            expires_at: super::token_expiry(num("last_used_at"), num("expires_at"), idle),
            active: live && get("current") == hash,
        }))
    }

    fn family(&self, id: &str, now: i64, idle: i64) -> StoreResult<Option<Family>> {
        Ok(self
            .family_hash(id)?
            .filter(|h| family_live(h, now, idle))
            .map(|h| family_from(id, &h)))
    }

    fn user_families(&self, user_id: &str, now: i64, idle: i64) -> StoreResult<Vec<Family>> {
        let ufam = self.k(&format!("ufam:{user_id}"));
        let ids: Vec<String> = self.with(|c| redis::cmd("SMEMBERS").arg(&ufam).query(c))?;
        let mut out = Vec::new();
        for id in ids {
            match self.family_hash(&id)? {
                Some(h) if family_live(&h, now, idle) => out.push(family_from(&id, &h)),
                Some(_) => {}
                None => {
                    // Expired with its TTL: forget it.
                    self.with(|c| redis::cmd("SREM").arg(&ufam).arg(&id).query::<i64>(c))?;
                }
            }
        }
        out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(out)
    }

    fn revoke_family(&self, family: &str, _now: i64) -> StoreResult<()> {
        self.with(|c| {
            self.revoke_family
                .key(self.k(&format!("fam:{family}")))
                .invoke::<i64>(c)
        })
        .map(drop)
    }

    fn revoke_user_families(&self, user_id: &str, now: i64) -> StoreResult<Vec<String>> {
        let live = self.user_families(user_id, now, i64::MAX / 4)?;
        for f in &live {
            self.revoke_family(&f.id, now)?;
        }
        Ok(live.into_iter().map(|f| f.id).collect())
    }

    fn reserve_login_attempt(
        &self,
        username: &str,
        _now: i64,
        rules: LockoutRules,
    ) -> StoreResult<bool> {
        self.with(|c| {
            self.login_attempt
                .key(self.k(&format!("login:{username}")))
                .arg(rules.max_failures)
                .arg(rules.window)
                .invoke::<i64>(c)
        })
        .map(|n| n == 1)
    }

    fn take_rate_token(&self, bucket: &str, per_minute: u32) -> StoreResult<Option<bool>> {
        self.with(|c| {
            self.rate_token
                .key(self.k(&format!("rate:{bucket}")))
                .arg(per_minute)
                .invoke::<i64>(c)
        })
        .map(|n| Some(n == 1))
    }

    fn clear_login_attempts(&self, username: &str) -> StoreResult<()> {
        self.with(|c| {
            redis::cmd("DEL")
                .arg(self.k(&format!("login:{username}")))
                .query::<i64>(c)
        })
        .map(drop)
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
