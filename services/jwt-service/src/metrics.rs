//! Prometheus counters, hand-rolled: a few lock-free atomics rendered in the text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// A monotonically increasing counter.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub const fn new() -> Self {
        Counter(AtomicU64::new(0))
    }
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
    /// Raise to `v` if below (a high-water mark).
    pub fn max(&self, v: u64) {
        self.0.fetch_max(v, Ordering::Relaxed);
    }
}

/// Every counter the service exports.
#[derive(Debug)]
pub struct Metrics {
    /// Responses by status class (index 1..=5).
    pub responses: [Counter; 6],
    pub logins_ok: Counter,
    pub logins_failed: Counter,
    pub logins_rate_limited: Counter,
    pub refresh_rotated: Counter,
    pub refresh_grace_retries: Counter,
    pub refresh_reuse_detected: Counter,
    pub refresh_invalid: Counter,
    pub lockouts: Counter,
    /// The most password hashes ever computed at once (a gauge).
    pub hash_peak: Counter,
    pub revocations: Counter,
    pub auth_ok: Counter,
    pub auth_rejected: Counter,
    pub auth_cache_hits: Counter,
    pub auth_cache_misses: Counter,
    pub store_errors: Counter,
    pub denylist_updates: Counter,
}

pub static METRICS: Metrics = Metrics {
    responses: [
        Counter::new(),
        Counter::new(),
        Counter::new(),
        Counter::new(),
        Counter::new(),
        Counter::new(),
    ],
    logins_ok: Counter::new(),
    logins_failed: Counter::new(),
    logins_rate_limited: Counter::new(),
    refresh_rotated: Counter::new(),
    refresh_grace_retries: Counter::new(),
    refresh_reuse_detected: Counter::new(),
    refresh_invalid: Counter::new(),
    lockouts: Counter::new(),
    hash_peak: Counter::new(),
    revocations: Counter::new(),
    auth_ok: Counter::new(),
    auth_rejected: Counter::new(),
    auth_cache_hits: Counter::new(),
    auth_cache_misses: Counter::new(),
    store_errors: Counter::new(),
    denylist_updates: Counter::new(),
};

impl Metrics {
    /// Count one response.
    pub fn response(&self, status: u16) {
        let class = usize::from(status / 100).min(5);
        self.responses[class].inc();
    }

    /// The Prometheus text exposition.
    pub fn render(&self, denylist_size: usize, cache_size: usize, ready: bool) -> String {
        let mut s = String::with_capacity(2048);
        s.push_str("# HELP jwt_http_responses_total HTTP responses by status class.\n");
        s.push_str("# TYPE jwt_http_responses_total counter\n");
        for class in 1..=5 {
            let _ = writeln!(
                s,
                "jwt_http_responses_total{{class=\"{class}xx\"}} {}",
                self.responses[class].get()
            );
        }
        let counters: [(&str, &str, &Counter); 15] = [
            (
                "jwt_logins_total{result=\"ok\"}",
                "Password logins.",
                &self.logins_ok,
            ),
            (
                "jwt_logins_total{result=\"failed\"}",
                "",
                &self.logins_failed,
            ),
            (
                "jwt_logins_total{result=\"rate_limited\"}",
                "",
                &self.logins_rate_limited,
            ),
            (
                "jwt_refresh_total{result=\"rotated\"}",
                "Refresh token presentations.",
                &self.refresh_rotated,
            ),
            (
                "jwt_refresh_total{result=\"grace_retry\"}",
                "",
                &self.refresh_grace_retries,
            ),
            (
                "jwt_refresh_total{result=\"reuse_detected\"}",
                "",
                &self.refresh_reuse_detected,
            ),
            (
                "jwt_refresh_total{result=\"invalid\"}",
                "",
                &self.refresh_invalid,
            ),
            (
                "jwt_lockouts_total",
                "Logins refused because the user name is locked (too many failures).",
                &self.lockouts,
            ),
            (
                "jwt_revocations_total",
                "Revocations (logout, /revoke, reuse, user disable).",
                &self.revocations,
            ),
            (
                "jwt_auth_total{result=\"ok\"}",
                "Access token checks.",
                &self.auth_ok,
            ),
            (
                "jwt_auth_total{result=\"rejected\"}",
                "",
                &self.auth_rejected,
            ),
            (
                "jwt_auth_cache_total{result=\"hit\"}",
                "Verified-token cache lookups.",
                &self.auth_cache_hits,
            ),
            (
                "jwt_auth_cache_total{result=\"miss\"}",
                "",
                &self.auth_cache_misses,
            ),
            (
                "jwt_store_errors_total",
                "Store operations that failed.",
                &self.store_errors,
            ),
            (
                "jwt_denylist_updates_total",
                "Denylist entries applied to the local view.",
                &self.denylist_updates,
            ),
        ];
        for (name, help, c) in counters {
            let base = name.split('{').next().unwrap_or(name);
            if !help.is_empty() {
                let _ = writeln!(s, "# HELP {base} {help}\n# TYPE {base} counter");
            }
            let _ = writeln!(s, "{name} {}", c.get());
        }
        let _ = writeln!(
            s,
            "# HELP jwt_denylist_entries Live entries in the local denylist view.\n# TYPE jwt_denylist_entries gauge\njwt_denylist_entries {denylist_size}"
        );
        let _ = writeln!(
            s,
            "# HELP jwt_auth_cache_entries Entries in the verified-token cache.\n# TYPE jwt_auth_cache_entries gauge\njwt_auth_cache_entries {cache_size}"
        );
        let _ = writeln!(
            s,
            "# HELP jwt_password_hashes_peak The most password hashes computed at once (capped by max_concurrent_hashes).\n# TYPE jwt_password_hashes_peak gauge\njwt_password_hashes_peak {}",
            self.hash_peak.get()
        );
        let _ = writeln!(
            s,
            "# HELP jwt_ready 1 when the store is reachable and the denylist view is current.\n# TYPE jwt_ready gauge\njwt_ready {}",
            u8::from(ready)
        );
        s
    }
}
