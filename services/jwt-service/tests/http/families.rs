//! Refresh families: one live token per family; a grace retry only for the immediate
//! predecessor of the newest token, superseding its successor; any older generation, or
//! reuse after the window, revokes the family and its access tokens. On both stores.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::harness::{Server, flags};

fn s(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str()
        .unwrap_or_else(|| panic!("no {k} in {v}"))
        .to_owned()
}

fn grandparent_reuse_revokes_the_family(store: &[&str]) {
    let srv = Server::start(&flags(store, &["--refresh-grace", "300"]));
    let t0 = srv.admin_tokens();
    let t1 = srv.refresh(&s(&t0, "refresh_token")).expect_ok();
    let t2 = srv.refresh(&s(&t1, "refresh_token")).expect_ok();
    srv.me(&s(&t2, "access_token")).expect_ok();
    // r0 is the grandparent of the newest token: reuse, even inside the window.
    let r = srv.refresh(&s(&t0, "refresh_token"));
    r.expect_error(400, "invalid_grant");
    assert!(r.body.contains("reuse"), "{}", r.body);
    srv.refresh(&s(&t2, "refresh_token"))
        .expect_error(400, "invalid_grant");
    for t in [&t0, &t1, &t2] {
        srv.me(&s(t, "access_token"))
            .expect_error(401, "token_revoked");
    }
    assert_eq!(
        srv.metric("jwt_refresh_total{result=\"reuse_detected\"}"),
        1.0
    );
    let family = jwt_core::unverified::decode(&s(&t2, "access_token"))
        .unwrap()
        .claims["sid"]
        .clone();
    let reuse = srv.audit("refresh_reuse");
    assert_eq!(reuse.len(), 1, "{reuse:?}");
    assert_eq!(reuse[0]["family"], family);
    assert!(
        srv.audit("family_revoked")
            .iter()
            .any(|e| e["family"] == family && e["reason"] == "reuse")
    );
}

fn grace_retry_supersedes_the_successor(store: &[&str]) {
    let srv = Server::start(&flags(store, &["--refresh-grace", "300"]));
    let caller = s(&srv.admin_tokens(), "access_token");
    let t0 = srv.admin_tokens();
    let r0 = s(&t0, "refresh_token");
    let t1 = srv.refresh(&r0).expect_ok();
    // The client lost the answer and retries with r0: a fresh pair that supersedes r1.
    let t1b = srv.refresh(&r0).expect_ok();
    assert_ne!(t1["refresh_token"], t1b["refresh_token"]);
    assert!(srv.active(&caller, &s(&t1b, "refresh_token")));
    assert!(
        !srv.active(&caller, &s(&t1, "refresh_token")),
        "the superseded successor must be dead: one live token per family"
    );
    assert!(!srv.active(&caller, &r0));
    srv.me(&s(&t1b, "access_token")).expect_ok();
    assert_eq!(srv.metric("jwt_refresh_total{result=\"grace_retry\"}"), 1.0);
    assert_eq!(srv.audit("refresh_grace_retry").len(), 1);
    // Presenting the superseded r1 is reuse: the family dies with every access token.
    srv.refresh(&s(&t1, "refresh_token"))
        .expect_error(400, "invalid_grant");
    srv.refresh(&s(&t1b, "refresh_token"))
        .expect_error(400, "invalid_grant");
    srv.me(&s(&t1b, "access_token"))
        .expect_error(401, "token_revoked");
    srv.me(&s(&t0, "access_token"))
        .expect_error(401, "token_revoked");
    // The caller's own session is another family: untouched.
    srv.me(&caller).expect_ok();
}

fn reuse_after_the_window_revokes(store: &[&str]) {
    let srv = Server::start(&flags(store, &["--refresh-grace", "1"]));
    let t0 = srv.admin_tokens();
    let t1 = srv.refresh(&s(&t0, "refresh_token")).expect_ok();
    std::thread::sleep(Duration::from_millis(2100));
    srv.refresh(&s(&t0, "refresh_token"))
        .expect_error(400, "invalid_grant");
    srv.refresh(&s(&t1, "refresh_token"))
        .expect_error(400, "invalid_grant");
    srv.me(&s(&t1, "access_token"))
        .expect_error(401, "token_revoked");
    assert_eq!(srv.audit("refresh_reuse").len(), 1);
}

/// `n` refreshes of one token at the same moment; the answers.
fn race(srv: &Server, token: &str, n: usize) -> Vec<crate::harness::Resp> {
    let barrier = Arc::new(Barrier::new(n));
    std::thread::scope(|sc| {
        let hs: Vec<_> = (0..n)
            .map(|_| {
                let b = barrier.clone();
                sc.spawn(move || {
                    b.wait();
                    srv.refresh(token)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn concurrent_refreshes_cannot_fork_the_family(store: &[&str]) {
    // With a grace window: every racer gets a pair, yet exactly one refresh token lives.
    let srv = Server::start(&flags(store, &["--refresh-grace", "300"]));
    let caller = s(&srv.admin_tokens(), "access_token");
    let t0 = srv.admin_tokens();
    let answers = race(&srv, &s(&t0, "refresh_token"), 16);
    let tokens: Vec<String> = answers
        .iter()
        .map(|r| s(&r.expect_ok(), "refresh_token"))
        .collect();
    let live: Vec<&String> = tokens.iter().filter(|t| srv.active(&caller, t)).collect();
    assert_eq!(live.len(), 1, "a forked family: {} live tokens", live.len());
    assert_eq!(srv.metric("jwt_refresh_total{result=\"rotated\"}"), 1.0);
    assert_eq!(
        srv.metric("jwt_refresh_total{result=\"grace_retry\"}"),
        15.0
    );
    srv.refresh(live[0]).expect_ok();

    // Without one: exactly one racer rotates; the others are reuse and kill the family.
    // (A second prefix: on Redis, a deployment of its own.)
    let srv = Server::start(&flags(
        store,
        &["--refresh-grace", "0", "--redis-prefix", "second:"],
    ));
    let caller = s(&srv.admin_tokens(), "access_token");
    let t0 = srv.admin_tokens();
    let answers = race(&srv, &s(&t0, "refresh_token"), 16);
    let ok: Vec<_> = answers.iter().filter(|r| r.status == 200).collect();
    assert_eq!(
        ok.len(),
        1,
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in answers.iter().filter(|r| r.status != 200) {
        r.expect_error(400, "invalid_grant");
    }
    let winner = ok[0].json();
    assert!(!srv.active(&caller, &s(&winner, "refresh_token")));
    srv.me(&s(&winner, "access_token"))
        .expect_error(401, "token_revoked");
}

fn absolute_and_idle_lifetimes(store: &[&str]) {
    // Absolute: 3 s, however recently it was refreshed (the idle limit, 4 s, is not hit).
    let srv = Server::start(&flags(
        store,
        &[
            "--family-ttl",
            "3",
            "--refresh-ttl",
            "4",
            "--refresh-grace",
            "0",
        ],
    ));
    let t0 = srv.admin_tokens();
    std::thread::sleep(Duration::from_millis(1000));
    let t1 = srv.refresh(&s(&t0, "refresh_token")).expect_ok();
    assert!(t1["refresh_token"].is_string());
    std::thread::sleep(Duration::from_millis(2100));
    srv.refresh(&s(&t1, "refresh_token"))
        .expect_error(400, "invalid_grant");
    drop(srv);

    // Idle: 3 s without a refresh; each refresh starts the idle clock again.
    let srv = Server::start(&flags(
        store,
        &[
            "--refresh-ttl",
            "3",
            "--refresh-grace",
            "0",
            "--redis-prefix",
            "second:",
        ],
    ));
    let mut t = srv.admin_tokens();
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(1000));
        t = srv.refresh(&s(&t, "refresh_token")).expect_ok();
    }
    std::thread::sleep(Duration::from_millis(3100));
    srv.refresh(&s(&t, "refresh_token"))
        .expect_error(400, "invalid_grant");
}

fn family_state_survives_kill_9(store: &[&str]) {
    let mut srv = Server::start(&flags(store, &["--refresh-grace", "300"]));
    let caller = s(&srv.admin_tokens(), "access_token");
    let t0 = srv.admin_tokens();
    let t1 = srv.refresh(&s(&t0, "refresh_token")).expect_ok();
    srv.kill9();
    srv.restart();
    // The rotation, its time and the predecessor survived: r0 is still a grace retry...
    let t1b = srv.refresh(&s(&t0, "refresh_token")).expect_ok();
    assert!(srv.active(&caller, &s(&t1b, "refresh_token")));
    srv.kill9();
    srv.restart();
    // ...and the superseded r1 is still known as dead: reuse, family revoked.
    srv.refresh(&s(&t1, "refresh_token"))
        .expect_error(400, "invalid_grant");
    srv.kill9();
    srv.restart();
    srv.refresh(&s(&t1b, "refresh_token"))
        .expect_error(400, "invalid_grant");
    srv.me(&s(&t1b, "access_token"))
        .expect_error(401, "token_revoked");
    srv.me(&caller).expect_ok();
}

crate::on_both_stores!(
    grandparent_reuse_revokes_the_family,
    grace_retry_supersedes_the_successor,
    reuse_after_the_window_revokes,
    concurrent_refreshes_cannot_fork_the_family,
    absolute_and_idle_lifetimes,
    family_state_survives_kill_9,
);
