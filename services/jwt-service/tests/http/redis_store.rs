//! The Redis store: two instances share users, keys, refresh families and the
//! denylist; a revocation on one is honoured by the other; no Redis, no tokens.

use std::time::Duration;

use serde_json::json;

use crate::harness::{Redis, Server, bearer, eventually, get, post, post_json};

fn pair(redis: &Redis, extra: &[&str]) -> (Server, Server) {
    let url = redis.url();
    let mut args = vec!["--store", url.as_str(), "--refresh-grace", "0"];
    args.extend_from_slice(extra);
    let a = Server::start(&args);
    let b = Server::start(&args);
    assert!(
        a.admin_password.is_some() && b.admin_password.is_none(),
        "one first user, shared"
    );
    (a, b)
}

#[test]
fn two_instances_share_one_redis() {
    let Some(redis) = Redis::start() else { return };
    let (a, b) = pair(&redis, &[]);
    assert_eq!(get(&a.url("/readyz"), &[]).expect_ok()["store"], "redis");
    a.add_user("erin", "erin's password", "user");

    // Log in on A, use on B: same keys, same users.
    let t = a.tokens("erin", "erin's password");
    let access = t["access_token"].as_str().unwrap();
    b.me(access).expect_ok();
    assert_eq!(
        get(&a.url("/.well-known/jwks.json"), &[]).body,
        get(&b.url("/.well-known/jwks.json"), &[]).body
    );

    // Revoke on A: rejected on B (pub/sub; bounded by the resync interval).
    post(
        &a.url("/logout"),
        None,
        b"",
        &[("Authorization", &bearer(access))],
    )
    .expect_ok();
    eventually(Duration::from_secs(15), || {
        (b.me(access).status == 401).then_some(())
    })
    .expect("B still accepts a token revoked on A");
    b.me(access).expect_error(401, "token_revoked");

    // Rotate on A, reuse on B: the family dies everywhere.
    let t = b.tokens("erin", "erin's password");
    let r1 = t["refresh_token"].as_str().unwrap();
    let t2 = a.refresh(r1).expect_ok();
    b.refresh(r1).expect_error(400, "invalid_grant");
    a.refresh(t2["refresh_token"].as_str().unwrap())
        .expect_error(400, "invalid_grant");
    let a2 = t2["access_token"].as_str().unwrap();
    eventually(Duration::from_secs(15), || {
        (a.me(a2).status == 401 && b.me(a2).status == 401).then_some(())
    })
    .expect("the reused family's access token is still accepted");

    // /revoke on B for a token verified on A.
    let t3 = a.tokens("erin", "erin's password");
    let a3 = t3["access_token"].as_str().unwrap();
    a.me(a3).expect_ok();
    post_json(
        &b.url("/revoke"),
        &json!({"token": a3, "client_id": "jwt-service"}),
        &[],
    )
    .expect_ok();
    eventually(Duration::from_secs(15), || {
        (a.me(a3).status == 401).then_some(())
    })
    .expect("A still accepts a token revoked on B");

    // Key rotation by the admin command reaches both instances.
    let (ok, out) = a.admin(&["keys", "rotate"], "");
    assert!(ok, "{out}");
    for s in [&a, &b] {
        eventually(Duration::from_secs(15), || {
            let k = get(&s.url("/.well-known/jwks.json"), &[]).json();
            (k["keys"].as_array().unwrap().len() == 2).then_some(())
        })
        .expect("rotation did not reach an instance");
    }
    let t4 = b.tokens("erin", "erin's password");
    a.me(t4["access_token"].as_str().unwrap()).expect_ok();

    // Denylist entries carry a TTL (they expire with the token).
    let ttl = redis.command("EVAL \"local k = redis.call('KEYS', 'jwt-service:deny:*') return redis.call('TTL', k[1])\" 0").unwrap();
    let ttl: i64 = ttl.trim_start_matches(':').trim().parse().unwrap_or(-1);
    assert!(ttl > 0 && ttl <= 905, "deny TTL {ttl}");
}

#[test]
fn without_redis_the_service_fails_closed() {
    let Some(mut redis) = Redis::start() else {
        return;
    };
    let (a, _b) = pair(&redis, &[]);
    let t = a.admin_tokens();
    let access = t["access_token"].as_str().unwrap();
    a.me(access).expect_ok();
    redis.stop();
    let r = eventually(Duration::from_secs(20), || {
        Some(get(&a.url("/readyz"), &[])).filter(|r| r.status == 503)
    })
    .expect("/readyz still says ready without Redis");
    r.expect_error(503, "store_unavailable");
    let me = a.me(access);
    me.expect_error(503, "store_unavailable");
    let login = a.login("admin", a.admin_password.as_deref().unwrap());
    login.expect_error(503, "store_unavailable");
    let refresh = a.refresh(t["refresh_token"].as_str().unwrap());
    refresh.expect_error(503, "store_unavailable");
    // The raw store error (address, port, OS message) stays in the log.
    let port = redis.port.to_string();
    for body in [&r.body, &me.body, &login.body, &refresh.body] {
        for leak in ["redis:", "127.0.0.1", port.as_str(), "refused", "os error"] {
            assert!(!body.contains(leak), "503 body leaks `{leak}`: {body}");
        }
    }
    assert_eq!(
        get(&a.url("/healthz"), &[]).status,
        200,
        "alive, just not ready"
    );
}
