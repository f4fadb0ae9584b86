//! The admin subcommands. They open the same store as the server, which may be running:
//! SQLite takes concurrent writers (WAL, busy timeout) and the server picks the changes
//! up within a second; on Redis the changes are also published to every instance.

use std::io::BufRead;

use crate::app;
use crate::config::Config;
use crate::keys;
use crate::store::{self, DenyEntry, Store, User};

fn open(cfg: &Config) -> Result<std::sync::Arc<dyn Store>, String> {
    store::open(&cfg.store_url(), &cfg.redis_prefix)
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'))
}

/// `user add NAME`: the password is the first line of stdin.
pub fn user_add(cfg: &Config, name: &str, roles: &[String]) -> Result<(), String> {
    if !valid_name(name) {
        return Err("user names are 1-64 characters among A-Z a-z 0-9 . _ - @".into());
    }
    if let Some(r) = roles.iter().find(|r| !valid_name(r)) {
        return Err(format!("invalid role `{r}`"));
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    let password = password.trim_end_matches(['\n', '\r']);
    if password.is_empty() || password.len() > 1024 {
        return Err("the password (first line of stdin) must be 1-1024 bytes".into());
    }
    let store = open(cfg)?;
    let user = User {
        id: jwt_core::random_id(),
        username: name.to_owned(),
        password_hash: app::hash_password(password)?,
        roles: roles.to_vec(),
        disabled: false,
        created_at: jwt_core::now(),
    };
    if !store.create_user(&user).map_err(|e| e.0)? {
        return Err(format!("user `{name}` already exists"));
    }
    println!("created user `{name}` (roles: {})", roles.join(","));
    Ok(())
}

/// `user disable NAME`: no more logins, every refresh family revoked, live access tokens
/// denied (`sub:ID` until the longest-lived one has expired).
pub fn user_disable(cfg: &Config, name: &str) -> Result<(), String> {
    let store = open(cfg)?;
    let user = store
        .disable_user(name)
        .map_err(|e| e.0)?
        .ok_or_else(|| format!("no user `{name}`"))?;
    let now = jwt_core::now();
    for f in store.revoke_user_families(&user.id, now).map_err(|e| e.0)? {
        crate::audit::family_revoked(&f, "user_disabled");
    }
    store
        .deny(&DenyEntry {
            key: format!("sub:{}", user.id),
            exp: now + (cfg.access_ttl + cfg.leeway) as i64,
        })
        .map_err(|e| e.0)?;
    println!("disabled user `{name}`; its sessions are revoked");
    Ok(())
}

/// `keys rotate`.
pub fn keys_rotate(cfg: &Config) -> Result<(), String> {
    let store = open(cfg)?;
    let now = jwt_core::now();
    let kek = keys::configured_kek(cfg)?;
    let k = keys::generate(cfg.signing_algorithm()?, now, kek.as_deref())?;
    store.rotate_key(&k, now).map_err(|e| e.0)?;
    println!(
        "new current key {} ({}); the previous key verifies for {} more seconds",
        k.kid,
        k.alg,
        cfg.access_ttl + cfg.leeway
    );
    Ok(())
}

/// `keys revoke KID`: the emergency revocation.
pub fn keys_revoke(cfg: &Config, kid: &str) -> Result<(), String> {
    let store = open(cfg)?;
    let kek = keys::configured_kek(cfg)?;
    match keys::revoke(
        store.as_ref(),
        kid,
        cfg.signing_algorithm()?,
        kek.as_deref(),
    )? {
        keys::Revoked::Unknown => return Err(format!("no key `{kid}`")),
        keys::Revoked::Replaced { kid: new } => println!(
            "revoked key {kid}: tokens it signed are refused and it left the JWKS; new current key {new}"
        ),
        keys::Revoked::Retired => {
            println!("revoked key {kid}: tokens it signed are refused and it left the JWKS")
        }
    }
    Ok(())
}

/// `keys list`.
pub fn keys_list(cfg: &Config) -> Result<(), String> {
    let store = open(cfg)?;
    let now = jwt_core::now();
    let retention = (cfg.access_ttl + cfg.leeway) as i64;
    println!(
        "{:<45} {:<7} {:<9} {:>12} {:>12}",
        "kid", "alg", "state", "created", "retired"
    );
    for k in store.keys().map_err(|e| e.0)? {
        println!(
            "{:<45} {:<7} {:<9} {:>12} {:>12}",
            k.kid,
            k.alg,
            keys::state(&k, now, retention),
            k.created_at,
            k.retired_at
                .map(|t| t.to_string())
                .unwrap_or_else(|| "-".into())
        );
    }
    Ok(())
}
