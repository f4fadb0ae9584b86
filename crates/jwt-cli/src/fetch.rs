//! Fetching a JWK set over HTTPS for `jwt verify --jwks-url`.
//!
//! Keys fetched over plain HTTP could be swapped by anyone on the path, so `http://` is
//! refused except for loopback addresses (local development and tests). Redirects are
//! followed only to HTTPS (or loopback), the whole exchange has a timeout, and the body
//! is capped at jwt-core's JWK set limit before it is parsed.

use std::time::Duration;

use crate::Failure;

/// GET `url` and return the body.
pub fn jwks(url: &str, timeout: Duration) -> Result<Vec<u8>, Failure> {
    let loopback = check_url(url)?;
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .https_only(!loopback)
        .max_redirects(3)
        .http_status_as_error(true)
        .user_agent(concat!("jwt-cli/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent: ureq::Agent = config.into();
    let fail = |e: ureq::Error| Failure::Fetch(format!("cannot fetch {url}: {e}"));
    let mut resp = agent
        .get(url)
        .header("accept", "application/jwk-set+json, application/json")
        .call()
        .map_err(fail)?;
    resp.body_mut()
        .with_config()
        .limit(jwt_core::MAX_JWKS_BYTES as u64)
        .read_to_vec()
        .map_err(fail)
}

/// `https://` anywhere; `http://` only for loopback hosts. Returns whether it is loopback.
fn check_url(url: &str) -> Result<bool, Failure> {
    let lower = url.to_ascii_lowercase();
    let (https, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(Failure::Usage(format!(
            "--jwks-url must be an https:// URL, not `{url}`"
        )));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(Failure::Usage(format!("--jwks-url `{url}` has no host")));
    }
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !https && !loopback {
        return Err(Failure::Usage(format!(
            "refusing to fetch keys over plain http from `{host}`: anyone on the path could swap them; use https"
        )));
    }
    Ok(loopback)
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn schemes_and_hosts() {
        assert_eq!(check_url("https://issuer.example/jwks").ok(), Some(false));
        assert_eq!(check_url("http://127.0.0.1:8080/jwks").ok(), Some(true));
        assert_eq!(check_url("http://localhost/jwks").ok(), Some(true));
        assert_eq!(check_url("http://[::1]:9/x").ok(), Some(true));
        assert!(check_url("http://issuer.example/jwks").is_err());
        assert!(check_url("http://127.0.0.1.evil.example/").is_err());
        assert!(check_url("http://localhost@evil.example/").is_err());
        assert!(check_url("ftp://x/").is_err());
        assert!(check_url("https:///nohost").is_err());
    }
}
