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
    DenyEntry, Family, FeedSink, LockoutRules, RefreshInfo, Rotation, RotationRules, Store,
    StoreError, StoreResult, StoredKey, User,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    roles TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS signing_keys (
    kid TEXT PRIMARY KEY, alg TEXT NOT NULL, pem TEXT NOT NULL,
    created_at INTEGER NOT NULL, retired_at INTEGER);
CREATE TABLE IF NOT EXISTS families (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER,
    current_hash TEXT NOT NULL, prev_hash TEXT, rotated_at INTEGER,
    user_agent TEXT NOT NULL, address TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS families_user ON families(user_id);
CREATE TABLE IF NOT EXISTS family_tokens (
    hash TEXT PRIMARY KEY, family TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS family_tokens_family ON family_tokens(family);
CREATE TABLE IF NOT EXISTS login_attempts (
    username TEXT PRIMARY KEY, window_start INTEGER NOT NULL, count INTEGER NOT NULL);
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
        // Databases made before emergency key revocation existed lack the column.
        let has_revoked: bool = conn
            .query_row(
                "SELECT count(*) > 0 FROM pragma_table_info('signing_keys') WHERE name = 'revoked_at'",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        if !has_revoked {
            conn.execute_batch("ALTER TABLE signing_keys ADD COLUMN revoked_at INTEGER")
                .map_err(err)?;
        }
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

/// The family of a token hash, locked for the rest of the transaction.
struct FamilyRow {
    id: String,
    user_id: String,
    last_used_at: i64,
    expires_at: i64,
    revoked: bool,
    current: String,
    prev: Option<String>,
    rotated_at: Option<i64>,
}

const FAMILY_COLS: &str = "id, user_id, created_at, last_used_at, expires_at, user_agent, address";

fn family_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Family> {
    Ok(Family {
        id: r.get(0)?,
        user_id: r.get(1)?,
        created_at: r.get(2)?,
        last_used_at: r.get(3)?,
        expires_at: r.get(4)?,
        user_agent: r.get(5)?,
        address: r.get(6)?,
    })
}

/// SQL: the family `f` is live at `?now` with idle lifetime `?idle`.
const LIVE: &str = "f.revoked_at IS NULL AND f.expires_at > :now AND f.last_used_at + :idle > :now";

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
                "SELECT kid, alg, pem, created_at, retired_at, revoked_at FROM signing_keys ORDER BY created_at, rowid",
            )?;
            st.query_map([], |r| {
                Ok(StoredKey {
                    kid: r.get(0)?,
                    alg: r.get(1)?,
                    pem: r.get(2)?,
                    created_at: r.get(3)?,
                    retired_at: r.get(4)?,
                    revoked_at: r.get(5)?,
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

    fn revoke_key(
        &self,
        kid: &str,
        replacement: &StoredKey,
        now: i64,
    ) -> StoreResult<Option<bool>> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let was_current: Option<bool> = tx
                .query_row(
                    "SELECT retired_at IS NULL FROM signing_keys WHERE kid = ?1",
                    [kid],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(was_current) = was_current else {
                return Ok(None);
            };
            tx.execute(
                "UPDATE signing_keys SET revoked_at = coalesce(revoked_at, ?1),
                 retired_at = coalesce(retired_at, ?1) WHERE kid = ?2",
                params![now, kid],
            )?;
            if was_current {
                let k = replacement;
                tx.execute(
                    "INSERT INTO signing_keys (kid, alg, pem, created_at) VALUES (?1, ?2, ?3, ?4)",
                    params![k.kid, k.alg, k.pem, k.created_at],
                )?;
            }
            tx.commit()?;
            Ok(Some(was_current))
        })
    }

    fn create_family(&self, f: &Family, first_hash: &str, idle: i64) -> StoreResult<()> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO families (id, user_id, created_at, last_used_at, expires_at, current_hash, user_agent, address)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![f.id, f.user_id, f.created_at, f.last_used_at, f.expires_at, first_hash, f.user_agent, f.address],
            )?;
            tx.execute(
                "INSERT INTO family_tokens (hash, family, expires_at) VALUES (?1, ?2, ?3)",
                params![first_hash, f.id, super::token_expiry(f.last_used_at, f.expires_at, idle)],
            )?;
            tx.commit()
        })
    }

    fn rotate_refresh(
        &self,
        hash: &str,
        next_hash: &str,
        now: i64,
        rules: RotationRules,
    ) -> StoreResult<Rotation> {
        self.with(|c| {
            // IMMEDIATE: the write lock is taken before the read, so two processes on
            // one file serialise here too (this process already serialises on `conn`).
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row = tx
                .query_row(
                    "SELECT f.id, f.user_id, f.last_used_at, f.expires_at, f.revoked_at IS NOT NULL,
                            f.current_hash, f.prev_hash, f.rotated_at
                     FROM family_tokens t JOIN families f ON f.id = t.family WHERE t.hash = ?1",
                    [hash],
                    |r| {
                        Ok(FamilyRow {
                            id: r.get(0)?,
                            user_id: r.get(1)?,
                            last_used_at: r.get(2)?,
                            expires_at: r.get(3)?,
                            revoked: r.get(4)?,
                            current: r.get(5)?,
                            prev: r.get(6)?,
                            rotated_at: r.get(7)?,
                        })
                    },
                )
                .optional()?;
            let Some(f) = row else {
                return Ok(Rotation::Invalid);
            };
            if f.revoked || now >= f.expires_at || now >= f.last_used_at + rules.idle {
                return Ok(Rotation::Invalid);
            }
            let next_exp = super::token_expiry(now, f.expires_at, rules.idle);
            let outcome = if f.current == hash {
                tx.execute(
                    "UPDATE families SET prev_hash = current_hash, current_hash = ?1, rotated_at = ?2,
                     last_used_at = ?2 WHERE id = ?3",
                    params![next_hash, now, f.id],
                )?;
                Rotation::Rotated { family: f.id.clone(), user_id: f.user_id }
            } else if f.prev.as_deref() == Some(hash)
                && f.rotated_at.is_some_and(|t| now - t < rules.grace)
            {
                // The window counts from the predecessor's rotation: retries never extend it.
                tx.execute(
                    "UPDATE families SET current_hash = ?1, last_used_at = ?2 WHERE id = ?3",
                    params![next_hash, now, f.id],
                )?;
                Rotation::GraceRetry { family: f.id.clone(), user_id: f.user_id }
            } else {
                tx.execute("UPDATE families SET revoked_at = ?1 WHERE id = ?2", params![now, f.id])?;
                tx.commit()?;
                return Ok(Rotation::Reused { family: f.id, user_id: f.user_id });
            };
            tx.execute(
                "INSERT INTO family_tokens (hash, family, expires_at) VALUES (?1, ?2, ?3)",
                params![next_hash, f.id, next_exp],
            )?;
            tx.commit()?;
            Ok(outcome)
        })
    }

    fn refresh_info(&self, hash: &str, now: i64, idle: i64) -> StoreResult<Option<RefreshInfo>> {
        self.with(|c| {
            c.query_row(
                &format!(
                    "SELECT f.id, f.user_id, min(f.last_used_at + :idle, f.expires_at),
                            f.current_hash = :hash AND {LIVE}
                     FROM family_tokens t JOIN families f ON f.id = t.family WHERE t.hash = :hash"
                ),
                rusqlite::named_params! {":hash": hash, ":now": now, ":idle": idle},
                |r| {
                    Ok(RefreshInfo {
                        family: r.get(0)?,
                        user_id: r.get(1)?,
                        expires_at: r.get(2)?,
                        active: r.get(3)?,
                    })
                },
            )
            .optional()
        })
    }

    fn family(&self, id: &str, now: i64, idle: i64) -> StoreResult<Option<Family>> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {FAMILY_COLS} FROM families f WHERE id = :id AND {LIVE}"),
                rusqlite::named_params! {":id": id, ":now": now, ":idle": idle},
                family_row,
            )
            .optional()
        })
    }

    fn user_families(&self, user_id: &str, now: i64, idle: i64) -> StoreResult<Vec<Family>> {
        self.with(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {FAMILY_COLS} FROM families f WHERE user_id = :user AND {LIVE}
                 ORDER BY created_at, id"
            ))?;
            st.query_map(
                rusqlite::named_params! {":user": user_id, ":now": now, ":idle": idle},
                family_row,
            )?
            .collect()
        })
    }

    fn revoke_family(&self, family: &str, now: i64) -> StoreResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE families SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
                params![now, family],
            )
            .map(drop)
        })
    }

    fn revoke_user_families(&self, user_id: &str, now: i64) -> StoreResult<Vec<String>> {
        self.with(|c| {
            let mut st = c.prepare(
                "UPDATE families SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL
                 AND expires_at > ?1 RETURNING id",
            )?;
            st.query_map(params![now, user_id], |r| r.get(0))?.collect()
        })
    }

    fn reserve_login_attempt(
        &self,
        username: &str,
        now: i64,
        rules: LockoutRules,
    ) -> StoreResult<bool> {
        self.with(|c| {
            // One statement: the window reset, the limit check and the increment are
            // atomic (SQLite statements are), across processes too.
            let n = c.execute(
                "INSERT INTO login_attempts (username, window_start, count) VALUES (?1, ?2, 1)
                 ON CONFLICT(username) DO UPDATE SET
                   window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END,
                   count = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE count + 1 END
                 WHERE window_start + ?3 <= ?2 OR count < ?4",
                params![username, now, rules.window, rules.max_failures],
            )?;
            Ok(n == 1)
        })
    }

    fn clear_login_attempts(&self, username: &str) -> StoreResult<()> {
        self.with(|c| {
            c.execute("DELETE FROM login_attempts WHERE username = ?1", [username])
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
    keys_sig: Option<(i64, i64, i64, i64)>,
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
        let sig: (i64, i64, i64, i64) = c
            .query_row(
                "SELECT count(*), coalesce(max(created_at), 0), coalesce(max(retired_at), 0),
                        count(revoked_at) FROM signing_keys",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(err)?;
        let keys_changed = self.keys_sig.is_some_and(|old| old != sig);
        self.keys_sig = Some(sig);
        if self.last_purge.elapsed() > Duration::from_secs(60) {
            self.last_purge = Instant::now();
            // Dead rows only: expired denylist entries and refresh tokens past expiry.
            c.execute("DELETE FROM denylist WHERE exp <= ?1", [now])
                .map_err(err)?;
            // A family's tokens stay until the family's absolute end: an old generation
            // presented late is still recognised as reuse.
            c.execute(
                "DELETE FROM family_tokens WHERE family IN (SELECT id FROM families WHERE expires_at <= ?1)",
                [now],
            )
            .map_err(err)?;
            c.execute("DELETE FROM families WHERE expires_at <= ?1", [now])
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
