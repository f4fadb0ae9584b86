//! The login lockout is one atomic check-and-count in the store: 100 wrong passwords at
//! once cannot get more than `lockout_failures` of them judged. On both stores.

use std::sync::{Arc, Barrier};

use crate::harness::{Server, flags};

fn hundred_concurrent_wrong_passwords_cannot_exceed_the_limit(store: &[&str]) {
    let srv = Server::start(&flags(store, &["--workers", "2"]));
    srv.add_user("mallory-target", "the right password", "user");
    let n = 100;
    let barrier = Arc::new(Barrier::new(n));
    let statuses: Vec<(u16, String)> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..n)
            .map(|i| {
                let b = barrier.clone();
                let srv = &srv;
                sc.spawn(move || {
                    b.wait();
                    let r = srv.login("mallory-target", &format!("guess {i}"));
                    (r.status, r.error())
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let judged = statuses
        .iter()
        .filter(|(s, e)| *s == 400 && e == "invalid_grant")
        .count();
    let locked = statuses
        .iter()
        .filter(|(s, e)| *s == 429 && e == "rate_limited")
        .count();
    assert_eq!(judged, 5, "{statuses:?}");
    assert_eq!(locked, 95, "{statuses:?}");
    // Locked now, even with the right password.
    srv.login("mallory-target", "the right password")
        .expect_error(429, "rate_limited");
    assert_eq!(srv.metric("jwt_logins_total{result=\"failed\"}"), 5.0);
    assert_eq!(srv.metric("jwt_lockouts_total"), 96.0);
    assert_eq!(srv.audit("login_failed").len(), 5);
    let lockouts = srv.audit("lockout");
    assert_eq!(lockouts.len(), 96);
    assert_eq!(lockouts[0]["username"], "mallory-target");
    // Other names are not affected.
    srv.admin_tokens();
}

fn the_lockout_window_ends_and_success_resets_the_count(store: &[&str]) {
    let srv = Server::start(&flags(
        store,
        &["--lockout-failures", "2", "--lockout-window", "3"],
    ));
    srv.add_user("olga", "olga's password", "user");
    srv.login("olga", "wrong")
        .expect_error(400, "invalid_grant");
    // A success starts the count again.
    srv.tokens("olga", "olga's password");
    srv.login("olga", "wrong")
        .expect_error(400, "invalid_grant");
    srv.login("olga", "wrong")
        .expect_error(400, "invalid_grant");
    srv.login("olga", "olga's password")
        .expect_error(429, "rate_limited");
    std::thread::sleep(std::time::Duration::from_millis(4100));
    srv.tokens("olga", "olga's password");
}

crate::on_both_stores!(
    hundred_concurrent_wrong_passwords_cannot_exceed_the_limit,
    the_lockout_window_ends_and_success_resets_the_count,
);
