//! Configuration: built-in defaults, overlaid by a TOML file (`--config`), overlaid by
//! environment variables and command-line flags (clap merges those two; a flag wins).
//!
//! Every setting has the same name in all three places: `access_ttl` in TOML,
//! `--access-ttl` as a flag, `JWT_SERVICE_ACCESS_TTL` in the environment.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use jwt_core::Algorithm;
use serde::Deserialize;

/// The reference JWT service: login, rotating refresh tokens, revocation, key rotation,
/// JWKS, on an embedded SQLite store (default) or a shared Redis.
///
/// Without a subcommand it serves HTTP. Settings come from the TOML file given by
/// `--config`, then environment variables (`JWT_SERVICE_*`), then flags.
#[derive(Debug, Parser)]
#[command(name = "jwt-service", version, args_override_self = true)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Overrides,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Admin subcommands; they work on the same store as the server (which may be running).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve HTTP (the default).
    Serve,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from stdin (first line).
    Add {
        /// The user name.
        name: String,
        /// Roles, comma-separated (`admin` grants the `admin` and `introspect` scopes).
        #[arg(long, default_value = "user", value_delimiter = ',')]
        roles: Vec<String>,
    },
    /// Disable a user: no new logins, refresh families revoked, live access tokens denied.
    Disable {
        /// The user name.
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Generate a new signing key and make it current; the previous key keeps verifying
    /// (and stays in the JWKS) until every token it signed has expired.
    Rotate,
    /// List keys: kid, algorithm, state, creation and retirement times.
    List,
    /// Emergency revocation (a compromised key): the key stops signing and verifying at
    /// once and leaves the JWKS; tokens it signed are refused. If it was current, a new
    /// key replaces it. Running servers apply it within a second (SQLite) or at once
    /// (Redis pub/sub).
    Revoke {
        /// The key's kid (see `keys list`).
        kid: String,
    },
}

/// Settings that may come from flags or environment; all optional, so a TOML file
/// or the defaults fill the gaps.
#[derive(Debug, Default, Args)]
pub struct Overrides {
    /// TOML configuration file (same names as the flags, with underscores).
    #[arg(long, env = "JWT_SERVICE_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free port; the chosen address is printed).
    #[arg(long, env = "JWT_SERVICE_BIND", global = true)]
    pub bind: Option<String>,
    /// A separate address for `/metrics` and `/readyz` (e.g. 127.0.0.1:9090, for the
    /// monitoring network only); they then leave the main address. Default: unset, both
    /// are served on the main address.
    #[arg(long, env = "JWT_SERVICE_ADMIN_BIND", global = true)]
    pub admin_bind: Option<String>,
    /// Directory for the SQLite database. Default: ./jwt-service-data.
    #[arg(long, env = "JWT_SERVICE_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Store URL: `sqlite://PATH` or `redis://HOST:PORT[/DB]`. Default: SQLite in the data dir.
    #[arg(long, env = "JWT_SERVICE_STORE", global = true)]
    pub store: Option<String>,
    /// Prefix for every Redis key and channel (several deployments on one Redis).
    #[arg(long, env = "JWT_SERVICE_REDIS_PREFIX", global = true)]
    pub redis_prefix: Option<String>,
    /// `iss` of issued tokens. Default: http://BIND.
    #[arg(long, env = "JWT_SERVICE_ISSUER", global = true)]
    pub issuer: Option<String>,
    /// `aud` of issued access tokens, required when verifying. Default: jwt-service.
    #[arg(long, env = "JWT_SERVICE_AUDIENCE", global = true)]
    pub audience: Option<String>,
    /// `client_id` claim of issued access tokens (RFC 9068). Default: jwt-service.
    #[arg(long, env = "JWT_SERVICE_CLIENT_ID", global = true)]
    pub client_id: Option<String>,
    /// Signing algorithm for new keys (asymmetric only: the JWKS is public). Default: EdDSA.
    #[arg(long, env = "JWT_SERVICE_ALGORITHM", global = true)]
    pub algorithm: Option<String>,
    /// Access token lifetime in seconds. Default: 900 (15 minutes).
    #[arg(long, env = "JWT_SERVICE_ACCESS_TTL", global = true)]
    pub access_ttl: Option<u64>,
    /// Idle lifetime of a refresh family in seconds: a session not refreshed for this
    /// long dies (each refresh token lives this long). Default: 1209600 (14 days).
    #[arg(long, env = "JWT_SERVICE_REFRESH_TTL", global = true)]
    pub refresh_ttl: Option<u64>,
    /// Absolute lifetime of a refresh family (a login) in seconds, however often it is
    /// refreshed. Default: 2592000 (30 days).
    #[arg(long, env = "JWT_SERVICE_FAMILY_TTL", global = true)]
    pub family_ttl: Option<u64>,
    /// Seconds after a refresh token's rotation during which presenting it again is
    /// treated as a client retry (a new pair that supersedes the one issued by the
    /// rotation) instead of reuse (family revoked). Only the immediate predecessor of the
    /// newest token qualifies. Default: 5. 0 disables the grace window.
    #[arg(long, env = "JWT_SERVICE_REFRESH_GRACE", global = true)]
    pub refresh_grace: Option<u64>,
    /// Clock skew tolerated when verifying `exp`/`nbf`/`iat`, seconds. Default: 5.
    #[arg(long, env = "JWT_SERVICE_LEEWAY", global = true)]
    pub leeway: Option<u64>,
    /// A confidential client for /revoke and /introspect, `ID=SECRET` (repeatable; in
    /// the environment, comma-separated). Authenticates with HTTP Basic or
    /// client_id/client_secret in the body. Default: none.
    #[arg(
        long = "client",
        env = "JWT_SERVICE_CLIENTS",
        value_delimiter = ',',
        global = true
    )]
    pub clients: Option<Vec<String>>,
    /// A file holding the key-encryption key (32 bytes, base64url): the private signing
    /// keys are then stored encrypted (AES-256-GCM). The key may also come from the
    /// environment variable JWT_SERVICE_KEY_ENCRYPTION_KEY (never a flag: flags show in
    /// `ps`). Default: unset, keys are stored as plain PKCS#8 PEM.
    #[arg(long, env = "JWT_SERVICE_KEY_ENCRYPTION_KEY_FILE", global = true)]
    pub key_encryption_key_file: Option<PathBuf>,
    /// Mark cookies `Secure` (true|false). Default: true. Only turn off for local HTTP.
    #[arg(long, env = "JWT_SERVICE_COOKIE_SECURE", global = true)]
    pub cookie_secure: Option<bool>,
    /// Origins besides the service's own allowed to post a cookie-mode login
    /// (comma-separated, e.g. https://app.example.com). Default: none.
    #[arg(
        long,
        env = "JWT_SERVICE_ALLOWED_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub allowed_origins: Option<Vec<String>>,
    /// Cookie `SameSite`: Strict, Lax or None. Default: Strict.
    #[arg(long, env = "JWT_SERVICE_COOKIE_SAME_SITE", global = true)]
    pub cookie_same_site: Option<String>,
    /// Maximum request body size in bytes. Default: 16384.
    #[arg(long, env = "JWT_SERVICE_MAX_BODY_BYTES", global = true)]
    pub max_body_bytes: Option<usize>,
    /// Verified-token cache capacity (0 disables the cache). Default: 10000.
    #[arg(long, env = "JWT_SERVICE_CACHE_CAPACITY", global = true)]
    pub cache_capacity: Option<usize>,
    /// Login attempts per client IP per minute (IPv6: per /64). Default: 60.
    #[arg(long, env = "JWT_SERVICE_LOGIN_RATE_LIMIT", global = true)]
    pub login_rate_limit: Option<u32>,
    /// Proxies whose `X-Forwarded-For` is believed (addresses or CIDRs, comma-separated).
    /// Default: none (the peer address is the client).
    #[arg(
        long,
        env = "JWT_SERVICE_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Option<Vec<String>>,
    /// Password hashes (argon2id, 19 MiB each) computed at once; more logins wait, then
    /// get 503 server_busy. 0: one per CPU. Default: 0.
    #[arg(long, env = "JWT_SERVICE_MAX_CONCURRENT_HASHES", global = true)]
    pub max_concurrent_hashes: Option<usize>,
    /// Wrong passwords a user name may see per lockout window before it is locked.
    /// Default: 5.
    #[arg(long, env = "JWT_SERVICE_LOCKOUT_FAILURES", global = true)]
    pub lockout_failures: Option<u32>,
    /// The lockout window in seconds. Default: 900 (15 minutes).
    #[arg(long, env = "JWT_SERVICE_LOCKOUT_WINDOW", global = true)]
    pub lockout_window: Option<u64>,
    /// HTTP worker threads (0: one per CPU). Default: 0.
    #[arg(long, env = "JWT_SERVICE_WORKERS", global = true)]
    pub workers: Option<usize>,
    /// Log format: text or json. Default: text. Level via RUST_LOG (default info).
    #[arg(long, env = "JWT_SERVICE_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Serve the browser demo of the cookie flow at `GET /` (true|false). Default: true.
    #[arg(long, env = "JWT_SERVICE_DEMO_PAGE", global = true)]
    pub demo_page: Option<bool>,
    /// Exit when stdin reaches end of file (test harnesses: the server dies with them).
    #[arg(long, hide = true, global = true)]
    pub exit_on_stdin_eof: bool,
}

/// The effective configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub bind: String,
    pub admin_bind: Option<String>,
    pub data_dir: PathBuf,
    pub store: Option<String>,
    pub redis_prefix: String,
    pub issuer: Option<String>,
    pub audience: String,
    pub client_id: String,
    pub clients: Vec<String>,
    pub key_encryption_key_file: Option<PathBuf>,
    pub algorithm: String,
    pub access_ttl: u64,
    pub refresh_ttl: u64,
    pub family_ttl: u64,
    pub refresh_grace: u64,
    pub leeway: u64,
    pub cookie_secure: bool,
    pub cookie_same_site: String,
    pub allowed_origins: Vec<String>,
    pub max_body_bytes: usize,
    pub cache_capacity: usize,
    pub login_rate_limit: u32,
    pub lockout_failures: u32,
    pub lockout_window: u64,
    pub trusted_proxies: Vec<String>,
    pub max_concurrent_hashes: usize,
    pub workers: usize,
    pub log_format: String,
    pub demo_page: bool,
    #[serde(skip)]
    pub exit_on_stdin_eof: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1:8080".into(),
            admin_bind: None,
            data_dir: PathBuf::from("jwt-service-data"),
            store: None,
            redis_prefix: "jwt-service:".into(),
            issuer: None,
            audience: "jwt-service".into(),
            client_id: "jwt-service".into(),
            clients: Vec::new(),
            key_encryption_key_file: None,
            algorithm: "EdDSA".into(),
            access_ttl: 900,
            refresh_ttl: 14 * 24 * 3600,
            family_ttl: 30 * 24 * 3600,
            refresh_grace: 5,
            leeway: 5,
            cookie_secure: true,
            cookie_same_site: "Strict".into(),
            allowed_origins: Vec::new(),
            max_body_bytes: 16 * 1024,
            cache_capacity: 10_000,
            login_rate_limit: 60,
            lockout_failures: 5,
            lockout_window: 15 * 60,
            trusted_proxies: Vec::new(),
            max_concurrent_hashes: 0,
            workers: 0,
            log_format: "text".into(),
            demo_page: true,
            exit_on_stdin_eof: false,
        }
    }
}

impl Config {
    /// Defaults, then the TOML file, then flags/environment.
    pub fn load(o: &Overrides) -> Result<Config, String> {
        let mut c = match &o.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read config {}: {e}", path.display()))?;
                toml::from_str::<Config>(&text)
                    .map_err(|e| format!("bad config {}: {e}", path.display()))?
            }
            None => Config::default(),
        };
        macro_rules! overlay {
            ($($f:ident),*) => { $( if let Some(v) = &o.$f { c.$f = v.clone(); } )* };
        }
        overlay!(
            bind,
            data_dir,
            redis_prefix,
            audience,
            client_id,
            clients,
            algorithm,
            access_ttl,
            refresh_ttl,
            family_ttl,
            refresh_grace,
            leeway,
            cookie_secure,
            cookie_same_site,
            allowed_origins,
            max_body_bytes,
            cache_capacity,
            login_rate_limit,
            lockout_failures,
            lockout_window,
            trusted_proxies,
            max_concurrent_hashes,
            workers,
            log_format,
            demo_page
        );
        if o.store.is_some() {
            c.store = o.store.clone();
        }
        if o.key_encryption_key_file.is_some() {
            c.key_encryption_key_file = o.key_encryption_key_file.clone();
        }
        if o.admin_bind.is_some() {
            c.admin_bind = o.admin_bind.clone();
        }
        if o.issuer.is_some() {
            c.issuer = o.issuer.clone();
        }
        c.exit_on_stdin_eof = o.exit_on_stdin_eof;
        c.validate()?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), String> {
        let alg = self.signing_algorithm()?;
        if alg.is_symmetric() {
            return Err(format!(
                "algorithm {alg} is symmetric: its key cannot be published in the JWKS; use EdDSA, ES256, RS256, PS256..."
            ));
        }
        if self.access_ttl == 0 || self.refresh_ttl == 0 || self.family_ttl == 0 {
            return Err("access_ttl, refresh_ttl and family_ttl must be positive".into());
        }
        if self.lockout_failures == 0 || self.lockout_window == 0 {
            return Err("lockout_failures and lockout_window must be positive".into());
        }
        if !["strict", "lax", "none"].contains(&self.cookie_same_site.to_ascii_lowercase().as_str())
        {
            return Err(format!(
                "cookie_same_site must be Strict, Lax or None, not {}",
                self.cookie_same_site
            ));
        }
        if self.cookie_same_site.eq_ignore_ascii_case("none") && !self.cookie_secure {
            return Err("SameSite=None requires Secure cookies".into());
        }
        self.proxies()?;
        if !["text", "json"].contains(&self.log_format.as_str()) {
            return Err(format!(
                "log_format must be text or json, not {}",
                self.log_format
            ));
        }
        Ok(())
    }

    /// The algorithm new keys are generated for.
    pub fn signing_algorithm(&self) -> Result<Algorithm, String> {
        self.algorithm
            .parse::<Algorithm>()
            .map_err(|e| format!("algorithm: {e}"))
    }

    /// The store URL, defaulting to SQLite in the data directory.
    pub fn store_url(&self) -> String {
        self.store.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir.join("jwt-service.db").display()
            )
        })
    }

    /// The trusted proxies, parsed.
    pub fn proxies(&self) -> Result<Vec<crate::limits::Cidr>, String> {
        self.trusted_proxies.iter().map(|p| p.parse()).collect()
    }

    /// `SameSite` as it appears in `Set-Cookie`.
    pub fn same_site(&self) -> &'static str {
        match self.cookie_same_site.to_ascii_lowercase().as_str() {
            "lax" => "Lax",
            "none" => "None",
            _ => "Strict",
        }
    }
}
