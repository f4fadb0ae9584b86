//! The embedded store: one SQLite file, WAL journal, `synchronous=FULL`.
//!
//! Durability: in WAL mode with `synchronous=FULL` every commit fsyncs the WAL before
//! `execute` returns, and handlers answer only after the commit: an acknowledged
//! revocation survives `kill -9` and power loss. (`NORMAL` would survive `kill -9` too,
//! since the OS keeps the written pages, but could lose the last commits on power loss.)
//!
//! Other processes (the admin subcommands, a second server on the same file) see each
//! other's writes; the server's [`SqliteFeed`] polls the denylist table by sequence
//! number once a second, which is the staleness bound for writes made by *another*
//! process. Writes made by the server itself reach its local view immediately.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{
    DenyEntry, FeedSink, RefreshInfo, RefreshRecord, Rotation, Store, StoreError, StoreResult,
    StoredKey, User,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    roles TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS signing_keys (
    kid TEXT PRIMARY KEY, alg TEXT NOT NULL, pem TEXT NOT NULL,
    created_at INTEGER NOT NULL, retired_at INTEGER);
CREATE TABLE IF NOT EXISTS refresh_families (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER);
CREATE INDEX IF NOT EXISTS refresh_families_user ON refresh_families(user_id);
CREATE TABLE IF NOT EXISTS refresh_tokens (
    hash TEXT PRIMARY KEY, family TEXT NOT NULL, user_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL, used_at INTEGER);
CREATE TABLE IF NOT EXISTS denylist (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, exp INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS denylist_key ON denylist(key);
";

/// The SQLite store.
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("sqlite: {e}"))
}

fn connect(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open(path).map_err(err)?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .map_err(err)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError(format!(
            "sqlite: cannot enable WAL (journal_mode={mode})"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(err)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(err)?;
    Ok(conn)
}

impl SqliteStore {
    /// Open (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let conn = connect(path)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> StoreResult<T> {
        let mut c = self
            .conn
            .lock()
            .map_err(|_| StoreError("sqlite: connection lock poisoned".into()))?;
        f(&mut c).map_err(err)
    }
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let roles: String = r.get(3)?;
    Ok(User {
        id: r.get(0)?,
        username: r.get(1)?,
        password_hash: r.get(2)?,
        roles: roles
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        disabled: r.get::<_, i64>(4)? != 0,
        created_at: r.get(5)?,
    })
}

/// family, user_id, expires_at, used_at, family revoked_at.
type TokenRow = (String, String, i64, Option<i64>, Option<i64>);

const USER_COLS: &str = "id, username, password_hash, roles, disabled, created_at";

impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn ping(&self) -> StoreResult<()> {
        self.with(|c| {
            c.query_row("SELECT count(*) FROM signing_keys", [], |r| {
                r.get::<_, i64>(0)
            })
        })?;
        Ok(())
    }

    fn create_user(&self, u: &User) -> StoreResult<bool> {
        self.with(|c| {
            let n = c.execute(
                "INSERT OR IGNORE INTO users (id, username, password_hash, roles, disabled, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![u.id, u.username, u.password_hash, u.roles.join(","), u.disabled as i64, u.created_at],
            )?;
            Ok(n == 1)
        })
    }

    fn find_user(&self, username: &str) -> StoreResult<Option<User>> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {USER_COLS} FROM users WHERE username = ?1"),
                [username],
                user_row,
            )
            .optional()
        })
    }

    fn find_user_by_id(&self, id: &str) -> StoreResult<Option<User>> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {USER_COLS} FROM users WHERE id = ?1"),
                [id],
                user_row,
            )
            .optional()
        })
    }

    fn list_users(&self) -> StoreResult<Vec<User>> {
        self.with(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {USER_COLS} FROM users ORDER BY created_at, username"
            ))?;
            st.query_map([], user_row)?.collect()
        })
    }

    fn disable_user(&self, username: &str) -> StoreResult<Option<User>> {
        self.with(|c| {
            c.execute(
                "UPDATE users SET disabled = 1 WHERE username = ?1",
                [username],
            )?;
            c.query_row(
                &format!("SELECT {USER_COLS} FROM users WHERE username = ?1"),
                [username],
                user_row,
            )
            .optional()
        })
    }

    fn user_count(&self) -> StoreResult<u64> {
        self.with(|c| c.query_row("SELECT count(*) FROM users", [], |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
    }

    fn keys(&self) -> StoreResult<Vec<StoredKey>> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT kid, alg, pem, created_at, retired_at FROM signing_keys ORDER BY created_at, rowid",
            )?;
            st.query_map([], |r| {
                Ok(StoredKey {
                    kid: r.get(0)?,
                    alg: r.get(1)?,
                    pem: r.get(2)?,
                    created_at: r.get(3)?,
                    retired_at: r.get(4)?,
                })
            })?
            .collect()
        })
    }

    fn insert_first_key(&self, k: &StoredKey) -> StoreResult<bool> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n: i64 = tx.query_row("SELECT count(*) FROM signing_keys", [], |r| r.get(0))?;
            if n > 0 {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO signing_keys (kid, alg, pem, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![k.kid, k.alg, k.pem, k.created_at],
            )?;
            tx.commit()?;
            Ok(true)
        })
    }

    fn rotate_key(&self, k: &StoredKey, now: i64) -> StoreResult<()> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE signing_keys SET retired_at = ?1 WHERE retired_at IS NULL",
                [now],
            )?;
            tx.execute(
                "INSERT INTO signing_keys (kid, alg, pem, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![k.kid, k.alg, k.pem, k.created_at],
            )?;
            tx.commit()
        })
    }

    fn insert_refresh(&self, r: &RefreshRecord, now: i64) -> StoreResult<()> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT OR IGNORE INTO refresh_families (id, user_id, created_at) VALUES (?1, ?2, ?3)",
                params![r.family, r.user_id, now],
            )?;
            tx.execute(
                "INSERT INTO refresh_tokens (hash, family, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![r.hash, r.family, r.user_id, r.expires_at],
            )?;
            tx.commit()
        })
    }

    fn use_refresh(&self, hash: &str, now: i64, grace: i64) -> StoreResult<Rotation> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row: Option<TokenRow> = tx
                .query_row(
                    "SELECT t.family, t.user_id, t.expires_at, t.used_at, f.revoked_at
                     FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family WHERE t.hash = ?1",
                    [hash],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let Some((family, user_id, expires_at, used_at, revoked_at)) = row else {
                return Ok(Rotation::Invalid);
            };
            if revoked_at.is_some() || expires_at <= now {
                return Ok(Rotation::Invalid);
            }
            let outcome = match used_at {
                None => {
                    tx.execute("UPDATE refresh_tokens SET used_at = ?1 WHERE hash = ?2", params![now, hash])?;
                    Rotation::Rotated { family, user_id }
                }
                Some(t) if now - t < grace => Rotation::GraceRetry { family, user_id },
                Some(_) => {
                    tx.execute("UPDATE refresh_families SET revoked_at = ?1 WHERE id = ?2", params![now, family])?;
                    Rotation::Reused { family, user_id }
                }
            };
            tx.commit()?;
            Ok(outcome)
        })
    }

    fn refresh_info(&self, hash: &str, now: i64) -> StoreResult<Option<RefreshInfo>> {
        self.with(|c| {
            c.query_row(
                "SELECT t.family, t.user_id, t.expires_at, t.used_at IS NULL AND f.revoked_at IS NULL
                 FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family WHERE t.hash = ?1",
                [hash],
                |r| {
                    let expires_at: i64 = r.get(2)?;
                    Ok(RefreshInfo {
                        family: r.get(0)?,
                        user_id: r.get(1)?,
                        expires_at,
                        active: r.get::<_, bool>(3)? && expires_at > now,
                    })
                },
            )
            .optional()
        })
    }

    fn revoke_family(&self, family: &str, now: i64) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE refresh_families SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
                params![now, family],
            )
            .map(drop)
        })
    }

    fn revoke_user_families(&self, user_id: &str, now: i64) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE refresh_families SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL",
                params![now, user_id],
            )
            .map(drop)
        })
    }

    fn deny(&self, e: &DenyEntry) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO denylist (key, exp) VALUES (?1, ?2)",
                params![e.key, e.exp],
            )
            .map(drop)
        })
    }

    fn is_denied(&self, key: &str, now: i64) -> StoreResult<bool> {
        self.with(|c| {
            c.query_row(
                "SELECT EXISTS(SELECT 1 FROM denylist WHERE key = ?1 AND exp > ?2)",
                params![key, now],
                |r| r.get(0),
            )
        })
    }

    fn run_feed(self: Arc<Self>, sink: Arc<dyn FeedSink>) {
        let mut feed = SqliteFeed {
            path: self.path.clone(),
            conn: None,
            last_seq: None,
            keys_sig: None,
            last_purge: Instant::now(),
        };
        loop {
            match feed.step(jwt_core::now()) {
                Ok((entries, keys_changed)) => {
                    if keys_changed {
                        sink.keys_changed();
                    }
                    sink.update(entries);
                    std::thread::sleep(POLL_INTERVAL);
                }
                Err(e) => {
                    feed.conn = None;
                    sink.down(&e);
                    std::thread::sleep(Duration::from_millis(250));
                }
            }
        }
    }
}

/// Polls the denylist table (by sequence number) and the key table, on its own connection.
struct SqliteFeed {
    path: PathBuf,
    conn: Option<Connection>,
    last_seq: Option<i64>,
    keys_sig: Option<(i64, i64, i64)>,
    last_purge: Instant,
}

/// How often the server looks for denylist entries and key changes written by another
/// process: the staleness bound for those.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

impl SqliteFeed {
    fn step(&mut self, now: i64) -> StoreResult<(Vec<DenyEntry>, bool)> {
        if self.conn.is_none() {
            self.conn = Some(connect(&self.path)?);
        }
        let c = self
            .conn
            .as_ref()
            .ok_or_else(|| StoreError("sqlite: no connection".into()))?;
        let sig: (i64, i64, i64) = c
            .query_row(
                "SELECT count(*), coalesce(max(created_at), 0), coalesce(max(retired_at), 0) FROM signing_keys",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(err)?;
        let keys_changed = self.keys_sig.is_some_and(|old| old != sig);
        self.keys_sig = Some(sig);
        if self.last_purge.elapsed() > Duration::from_secs(60) {
            self.last_purge = Instant::now();
            // Dead rows only: expired denylist entries and refresh tokens past expiry.
            c.execute("DELETE FROM denylist WHERE exp <= ?1", [now])
                .map_err(err)?;
            c.execute("DELETE FROM refresh_tokens WHERE expires_at <= ?1", [now])
                .map_err(err)?;
        }
        let first = self.last_seq.is_none();
        let mut st = c
            .prepare_cached(
                "SELECT seq, key, exp FROM denylist WHERE seq > ?1 AND exp > ?2 ORDER BY seq",
            )
            .map_err(err)?;
        let rows: Vec<(i64, String, i64)> = st
            .query_map(params![self.last_seq.unwrap_or(0), now], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map_err(err)?
            .collect::<rusqlite::Result<_>>()
            .map_err(err)?;
        if let Some((seq, _, _)) = rows.last() {
            self.last_seq = Some(*seq);
        } else if first {
            let max: i64 = c
                .query_row("SELECT coalesce(max(seq), 0) FROM denylist", [], |r| {
                    r.get(0)
                })
                .map_err(err)?;
            self.last_seq = Some(max);
        }
        let entries = rows
            .into_iter()
            .map(|(_, key, exp)| DenyEntry { key, exp })
            .collect();
        Ok((entries, keys_changed))
    }
}
