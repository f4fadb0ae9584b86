//! Starting the server: store, keys, first user, the denylist feed, HTTP.

use std::io::{Read, Write};
use std::sync::Arc;

use actix_web::{HttpServer, web};

use crate::app::{self, AppState};
use crate::auth::Authenticator;
use crate::config::Config;
use crate::keys::{KeyRing, TokenRules};
use crate::store::{self, Store, User};

/// Structured logs on stderr (`text` or `json`), level from `RUST_LOG` (default `info`).
/// Nothing logged ever contains a password, a token or key material.
pub fn init_logging(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    if cfg.log_format == "json" {
        b.json().init();
    } else {
        b.init();
    }
}

/// The token rules of a configuration (issuer resolved).
pub fn token_rules(cfg: &Config, issuer: String) -> Result<TokenRules, String> {
    Ok(TokenRules {
        issuer,
        audience: cfg.audience.clone(),
        leeway: cfg.leeway,
        retention: (cfg.access_ttl + cfg.leeway) as i64,
        kek: crate::keys::configured_kek(cfg)?,
    })
}

/// On an empty store: create `admin` with a random password, printed once on stdout.
fn ensure_first_user(store: &dyn Store) -> Result<(), String> {
    if store.user_count().map_err(|e| e.0)? > 0 {
        return Ok(());
    }
    let password = app::random_token();
    let user = User {
        id: jwt_core::random_id(),
        username: "admin".into(),
        password_hash: app::hash_password(&password)?,
        roles: vec!["admin".into()],
        disabled: false,
        created_at: jwt_core::now(),
    };
    if store.create_user(&user).map_err(|e| e.0)? {
        println!("jwt-service: created the first user `admin` (role admin).");
        println!("jwt-service: its password, shown only this once: {password}");
        tracing::info!(user = "admin", "created the first user");
    }
    Ok(())
}

/// Serve until SIGINT/SIGTERM (graceful: in-flight requests get `SHUTDOWN_GRACE`).
pub fn run(config: Config) -> Result<(), String> {
    let url = config.store_url();
    let store = store::open(&url, &config.redis_prefix)?;
    let listener = std::net::TcpListener::bind(&config.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let admin_listener = match &config.admin_bind {
        Some(a) => Some(
            std::net::TcpListener::bind(a)
                .map_err(|e| format!("cannot listen on {a} (admin_bind): {e}"))?,
        ),
        None => None,
    };
    let issuer = config
        .issuer
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let keys = Arc::new(KeyRing::open(
        store.as_ref(),
        config.signing_algorithm()?,
        token_rules(&config, issuer.clone())?,
    )?);
    ensure_first_user(store.as_ref())?;
    let auth = Arc::new(Authenticator::new(
        keys,
        store.clone(),
        config.cache_capacity,
        crate::auth::CookieNames::for_secure(config.cookie_secure),
    ));
    auth.start_feed();
    let state = web::Data::new(AppState::new(
        config.clone(),
        issuer,
        store.clone(),
        web::Data::from(auth),
    )?);

    if config.demo_page {
        // Before the `listening` line: harnesses stop reading stdout after it.
        println!("jwt-service: browser demo of the cookie flow at http://{addr}/");
    }
    if let Some(l) = &admin_listener {
        let a = l.local_addr().map_err(|e| e.to_string())?;
        println!("jwt-service: /metrics and /readyz on http://{a} (admin_bind)");
    }
    println!(
        "jwt-service listening on http://{addr} (store: {})",
        store.kind()
    );
    let _ = std::io::stdout().flush();
    tracing::info!(%addr, store = store.kind(), "listening");
    if config.exit_on_stdin_eof {
        std::thread::spawn(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
            std::process::exit(0);
        });
    }
    let workers = config.workers;
    actix_web::rt::System::new()
        .block_on(async move {
            if let Some(l) = admin_listener {
                let st = state.clone();
                let admin = HttpServer::new(move || app::admin_app(st.clone()))
                    .workers(1)
                    .shutdown_timeout(app::SHUTDOWN_GRACE.as_secs())
                    .listen(l)?
                    .run();
                actix_web::rt::spawn(admin);
            }
            let mut server = HttpServer::new(move || app::app(state.clone()))
                .shutdown_timeout(app::SHUTDOWN_GRACE.as_secs());
            if workers > 0 {
                server = server.workers(workers);
            }
            server.listen(listener)?.run().await
        })
        .map_err(|e| format!("server error: {e}"))?;
    tracing::info!("stopped");
    Ok(())
}
