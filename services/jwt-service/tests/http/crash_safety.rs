//! An acknowledged revocation survives `kill -9` (SQLite WAL, synchronous=FULL).

use crate::harness::{Server, bearer, post};

#[test]
fn revocations_survive_kill_9() {
    let mut s = Server::start(&["--refresh-grace", "0"]);
    let pw = s.admin_password.clone().unwrap();
    let revoked = s.admin_tokens();
    let kept = s.admin_tokens();
    let rotated = s.admin_tokens();
    let a = revoked["access_token"].as_str().unwrap().to_owned();
    post(
        &s.url("/logout"),
        None,
        b"",
        &[("Authorization", &bearer(&a))],
    )
    .expect_ok();
    let r_old = rotated["refresh_token"].as_str().unwrap().to_owned();
    let r_new = s.refresh(&r_old).expect_ok()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();

    // No shutdown: SIGKILL right after the acknowledgements.
    s.kill9();
    s.restart();

    s.me(&a).expect_error(401, "token_revoked");
    s.refresh(revoked["refresh_token"].as_str().unwrap())
        .expect_error(400, "invalid_grant");
    // The rotation was durable too: the old token is now a reuse.
    s.refresh(&r_old).expect_error(400, "invalid_grant");
    s.refresh(&r_new).expect_error(400, "invalid_grant");
    // Untouched sessions and the stored key survive as well.
    s.me(kept["access_token"].as_str().unwrap()).expect_ok();
    s.refresh(kept["refresh_token"].as_str().unwrap())
        .expect_ok();
    s.tokens("admin", &pw);
    assert!(s.admin_password.is_some());
}
