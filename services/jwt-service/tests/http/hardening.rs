//! Hardening: per-address login limits (trusted proxies decide when X-Forwarded-For
//! counts; IPv6 per /64; shared through Redis), the cap on concurrent password hashing,
//! and `/metrics` + `/readyz` on a separate admin address.

use std::sync::{Arc, Barrier};

use serde_json::json;

use crate::harness::{Redis, Server, bearer, flags, get, post_json};

/// A failed login (a new user name each time: the per-name lockout stays out of it).
fn login_from(srv: &Server, xff: &str) -> u16 {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    post_json(
        &srv.url("/token"),
        &json!({"username": format!("nobody-{n}"), "password": "x"}),
        &[("X-Forwarded-For", xff)],
    )
    .status
}

fn forwarded_for_counts_only_behind_a_trusted_proxy(store: &[&str]) {
    // Behind the (loopback) proxy: the client is the rightmost untrusted hop.
    let srv = Server::start(&flags(
        store,
        &[
            "--login-rate-limit",
            "2",
            "--trusted-proxies",
            "127.0.0.0/8,10.0.0.0/8",
        ],
    ));
    assert_eq!(login_from(&srv, "203.0.113.1"), 400);
    // A client-chosen leftmost entry changes nothing: the proxy appended the real one.
    assert_eq!(
        login_from(&srv, "198.51.100.99, 203.0.113.1, 10.0.0.7"),
        400
    );
    assert_eq!(login_from(&srv, "203.0.113.1"), 429);
    assert_eq!(
        login_from(&srv, "203.0.113.2"),
        400,
        "another client has its own bucket"
    );
    // IPv6: one bucket per /64.
    assert_eq!(login_from(&srv, "2001:db8:1:2::1"), 400);
    assert_eq!(login_from(&srv, "2001:db8:1:2:ffff:ffff:ffff:ffff"), 400);
    assert_eq!(login_from(&srv, "2001:db8:1:2:abcd::9"), 429);
    assert_eq!(
        login_from(&srv, "2001:db8:1:3::1"),
        400,
        "the next /64 is another bucket"
    );
    // The session records the forwarded client address.
    let pw = srv.admin_password.clone().unwrap();
    let t = post_json(
        &srv.url("/token"),
        &json!({"username": "admin", "password": pw}),
        &[("X-Forwarded-For", "192.0.2.44")],
    )
    .expect_ok();
    let s = get(
        &srv.url("/sessions"),
        &[(
            "Authorization",
            &bearer(t["access_token"].as_str().unwrap()),
        )],
    )
    .expect_ok();
    assert_eq!(s["sessions"][0]["address"], "192.0.2.44");
    drop(srv);

    // No trusted proxy: the header is the client's own claim, ignored.
    let srv = Server::start(&flags(
        store,
        &["--login-rate-limit", "2", "--redis-prefix", "second:"],
    ));
    assert_eq!(login_from(&srv, "203.0.113.1"), 400);
    assert_eq!(login_from(&srv, "203.0.113.2"), 400);
    assert_eq!(login_from(&srv, "203.0.113.3"), 429);
}

crate::on_both_stores!(forwarded_for_counts_only_behind_a_trusted_proxy);

#[test]
fn instances_on_one_redis_share_the_address_limits() {
    let Some(redis) = Redis::start() else { return };
    let url = redis.url();
    let args = ["--store", url.as_str(), "--login-rate-limit", "3"];
    let a = Server::start(&args);
    let b = Server::start(&args);
    for _ in 0..2 {
        assert_eq!(login_from(&a, "ignored"), 400);
    }
    assert_eq!(login_from(&b, "ignored"), 400);
    assert_eq!(login_from(&b, "ignored"), 429, "B did not see A's attempts");
    assert_eq!(login_from(&a, "ignored"), 429);
}

#[test]
fn password_hashing_is_capped() {
    // (A high lockout limit: attempts are counted before hashing, so more simultaneous
    // logins of one name than the limit would be refused, right or wrong.)
    let srv = Server::start(&[
        "--max-concurrent-hashes",
        "1",
        "--workers",
        "4",
        "--lockout-failures",
        "100",
    ]);
    srv.add_user("hugo", "hugo's password", "user");
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let statuses: Vec<u16> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..n)
            .map(|_| {
                let b = barrier.clone();
                let srv = &srv;
                sc.spawn(move || {
                    b.wait();
                    srv.login("hugo", "hugo's password").status
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Every login got through (they queue), never two hashes at once.
    assert_eq!(statuses, vec![200; n]);
    assert_eq!(srv.metric("jwt_password_hashes_peak"), 1.0);
}

#[test]
fn metrics_and_readiness_can_move_to_an_admin_address() {
    let srv = Server::start(&["--admin-bind", "127.0.0.1:0"]);
    assert_ne!(srv.admin_base, srv.base);
    for path in ["/metrics", "/readyz"] {
        let r = get(&srv.url(path), &[]);
        r.expect_error(404, "not_found");
        assert_eq!(
            get(&format!("{}{path}", srv.admin_base), &[]).status,
            200,
            "{path} on the admin address"
        );
    }
    // The API stays on the main address and is absent from the admin one.
    srv.admin_tokens();
    assert_eq!(get(&format!("{}/me", srv.admin_base), &[]).status, 404);
    assert_eq!(srv.metric("jwt_logins_total{result=\"ok\"}"), 1.0);
}
