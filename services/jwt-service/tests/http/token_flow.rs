//! The token lifecycle: login, /me, refresh rotation and reuse detection, the grace
//! window, logout, /revoke, /introspect, the scope guard, disabled users, expiry.

use std::time::Duration;

use serde_json::json;

use crate::harness::{Server, bearer, eventually, get, post, post_json};

#[test]
fn login_issues_an_rfc9068_access_token_and_an_opaque_refresh_token() {
    let s = Server::start(&[]);
    let t = s.admin_tokens();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 900);
    assert_eq!(t["scope"], "profile admin introspect");
    let access = t["access_token"].as_str().unwrap();
    let refresh = t["refresh_token"].as_str().unwrap();
    assert_eq!(refresh.len(), 43, "256 random bits, base64url");
    assert!(!refresh.contains('.'), "the refresh token is opaque");

    let header = jwt_core::unverified::header(access).unwrap();
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(header.alg.as_str(), "EdDSA");
    let kid = header.kid.clone().unwrap();
    let claims = jwt_core::unverified::decode(access).unwrap().claims;
    for c in [
        "iss",
        "sub",
        "aud",
        "exp",
        "iat",
        "jti",
        "client_id",
        "scope",
    ] {
        assert!(claims.get(c).is_some(), "missing {c} in {claims:?}");
    }
    assert_eq!(claims["iss"], crate::harness::ISSUER);
    assert_eq!(claims["aud"], "jwt-service");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        900
    );

    // A relying party can verify it from the JWKS alone, with jwt-core.
    let jwks = get(&s.url("/.well-known/jwks.json"), &[]).body;
    let keys = jwt_core::KeySet::from_jwks_json(&jwks, &[]).unwrap();
    assert!(keys.keys().iter().any(|k| k.kid() == Some(kid.as_str())));
    let v = jwt_core::Verifier::new(
        keys,
        jwt_core::Validation::new()
            .issuer(crate::harness::ISSUER)
            .audience("jwt-service")
            .typ("at+jwt"),
    )
    .unwrap();
    v.verify::<serde_json::Value>(access).unwrap();

    let me = s.me(access).expect_ok();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["roles"], json!(["admin"]));
}

#[test]
fn refresh_rotates_and_reuse_revokes_the_whole_family() {
    let s = Server::start(&["--refresh-grace", "0"]);
    let t1 = s.admin_tokens();
    let r1 = t1["refresh_token"].as_str().unwrap();
    let t2 = s.refresh(r1).expect_ok();
    let r2 = t2["refresh_token"].as_str().unwrap();
    let a2 = t2["access_token"].as_str().unwrap();
    assert_ne!(r1, r2);
    assert_ne!(t1["access_token"], t2["access_token"]);
    s.me(a2).expect_ok();

    // r1 again: reuse. The family dies: r2 no longer refreshes, a2 is denied.
    let reuse = s.refresh(r1);
    reuse.expect_error(400, "invalid_grant");
    assert!(reuse.body.contains("reuse"), "{}", reuse.body);
    s.refresh(r2).expect_error(400, "invalid_grant");
    s.me(a2).expect_error(401, "token_revoked");
    s.me(t1["access_token"].as_str().unwrap())
        .expect_error(401, "token_revoked");

    // Another session of the same user is unaffected.
    let other = s.admin_tokens();
    s.me(other["access_token"].as_str().unwrap()).expect_ok();
    s.refresh(other["refresh_token"].as_str().unwrap())
        .expect_ok();
}

#[test]
fn a_retry_within_the_grace_window_is_not_reuse() {
    let s = Server::start(&["--refresh-grace", "300"]);
    let t1 = s.admin_tokens();
    let r1 = t1["refresh_token"].as_str().unwrap();
    let t2 = s.refresh(r1).expect_ok();
    // The client lost the answer and retries with r1: a fresh pair that supersedes t2's.
    let t3 = s.refresh(r1).expect_ok();
    assert_ne!(t2["refresh_token"], t3["refresh_token"]);
    s.me(t3["access_token"].as_str().unwrap()).expect_ok();
    s.refresh(t3["refresh_token"].as_str().unwrap()).expect_ok();
    let m = get(&s.url("/metrics"), &[]).body;
    assert!(
        m.contains("jwt_refresh_total{result=\"grace_retry\"} 1"),
        "{m}"
    );
}

#[test]
fn logout_denies_the_access_token_and_kills_the_refresh_family() {
    let s = Server::start(&[]);
    let t = s.admin_tokens();
    let access = t["access_token"].as_str().unwrap();
    let refresh = t["refresh_token"].as_str().unwrap();
    s.me(access).expect_ok();
    let out = post(
        &s.url("/logout"),
        None,
        b"",
        &[("Authorization", &bearer(access))],
    );
    assert_eq!(out.expect_ok()["logged_out"], true);
    s.me(access).expect_error(401, "token_revoked");
    s.refresh(refresh).expect_error(400, "invalid_grant");
    // Logging out again with the dead token: 401.
    post(
        &s.url("/logout"),
        None,
        b"",
        &[("Authorization", &bearer(access))],
    )
    .expect_error(401, "token_revoked");
    // Without any token: 401 with a Bearer challenge.
    let r = post(&s.url("/logout"), None, b"", &[]);
    r.expect_error(401, "invalid_token");
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
}

#[test]
fn wrong_credentials_are_invalid_grant_and_repeated_failures_lock_the_name() {
    let s = Server::start(&[]);
    s.add_user("alice", "correct horse", "user");
    s.login("alice", "wrong").expect_error(400, "invalid_grant");
    s.login("nobody", "whatever")
        .expect_error(400, "invalid_grant");
    s.tokens("alice", "correct horse");
    for _ in 0..5 {
        s.login("alice", "wrong").expect_error(400, "invalid_grant");
    }
    // Locked now, even with the right password.
    s.login("alice", "correct horse")
        .expect_error(429, "rate_limited");
    // Per-address limit, on a server configured with a low one.
    let tight = Server::start(&["--login-rate-limit", "3"]);
    for _ in 0..3 {
        tight
            .login("nobody", "x")
            .expect_error(400, "invalid_grant");
    }
    tight.login("nobody", "x").expect_error(429, "rate_limited");
}

#[test]
fn revoke_endpoint_follows_rfc7009() {
    let s = Server::start(&[]);
    let t = s.admin_tokens();
    let access = t["access_token"].as_str().unwrap();
    let refresh = t["refresh_token"].as_str().unwrap();

    // An access token, form-encoded as in the RFC.
    let body = format!("token={access}&token_type_hint=access_token&client_id=jwt-service");
    post(
        &s.url("/revoke"),
        Some("application/x-www-form-urlencoded"),
        body.as_bytes(),
        &[],
    )
    .expect_ok();
    s.me(access).expect_error(401, "token_revoked");

    // A refresh token, as JSON: its family dies, including its other access tokens.
    let t2 = s.admin_tokens();
    post_json(
        &s.url("/revoke"),
        &json!({"token": t2["refresh_token"], "client_id": "jwt-service"}),
        &[],
    )
    .expect_ok();
    s.refresh(t2["refresh_token"].as_str().unwrap())
        .expect_error(400, "invalid_grant");
    s.me(t2["access_token"].as_str().unwrap())
        .expect_error(401, "token_revoked");
    let _ = refresh;

    // Unknown or invalid tokens: 200 all the same (2.2).
    let public = |v: serde_json::Value| {
        let mut v = v;
        v["client_id"] = json!("jwt-service");
        v
    };
    post_json(&s.url("/revoke"), &public(json!({"token": "garbage"})), &[]).expect_ok();
    post_json(
        &s.url("/revoke"),
        &public(json!({"token": "a".repeat(43)})),
        &[],
    )
    .expect_ok();
    // Bad requests.
    post_json(
        &s.url("/revoke"),
        &public(json!({"token": "x", "token_type_hint": "id_token"})),
        &[],
    )
    .expect_error(400, "unsupported_token_type");
    post_json(&s.url("/revoke"), &public(json!({"token": ""})), &[])
        .expect_error(400, "invalid_request");
    post_json(&s.url("/revoke"), &json!({}), &[]).expect_error(400, "invalid_request");
}

#[test]
fn introspection_needs_the_introspect_scope_and_reports_token_state() {
    let s = Server::start(&[]);
    s.add_user("bob", "bob's password", "user");
    let admin = s.admin_tokens();
    let caller = bearer(admin["access_token"].as_str().unwrap());
    let bob = s.tokens("bob", "bob's password");
    let bob_access = bob["access_token"].as_str().unwrap();

    let url = s.url("/introspect");
    post_json(&url, &json!({"token": bob_access}), &[]).expect_error(401, "invalid_token");
    post_json(
        &url,
        &json!({"token": bob_access}),
        &[("Authorization", &bearer(bob_access))],
    )
    .expect_error(403, "insufficient_scope");

    let v = post_json(
        &url,
        &json!({"token": bob_access}),
        &[("Authorization", &caller)],
    )
    .expect_ok();
    assert_eq!(v["active"], true);
    assert_eq!(v["username"], "bob");
    assert_eq!(v["scope"], "profile");
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["iss"], crate::harness::ISSUER);

    let body = format!("token={}", bob["refresh_token"].as_str().unwrap());
    let v = post(
        &url,
        Some("application/x-www-form-urlencoded"),
        body.as_bytes(),
        &[("Authorization", &caller)],
    )
    .expect_ok();
    assert_eq!(v["active"], true);
    assert_eq!(v["token_type"], "refresh_token");

    post(
        &s.url("/logout"),
        None,
        b"",
        &[("Authorization", &bearer(bob_access))],
    )
    .expect_ok();
    let v = post_json(
        &url,
        &json!({"token": bob_access}),
        &[("Authorization", &caller)],
    )
    .expect_ok();
    assert_eq!(v, json!({"active": false}));
    let v = post_json(
        &url,
        &json!({"token": bob["refresh_token"]}),
        &[("Authorization", &caller)],
    )
    .expect_ok();
    assert_eq!(v, json!({"active": false}));
    let v = post_json(
        &url,
        &json!({"token": "not.a.token"}),
        &[("Authorization", &caller)],
    )
    .expect_ok();
    assert_eq!(v, json!({"active": false}));
}

#[test]
fn admin_endpoint_is_401_without_a_token_and_403_without_the_scope() {
    let s = Server::start(&[]);
    s.add_user("carol", "carol's password", "user");
    let url = s.url("/admin/users");
    let r = get(&url, &[]);
    r.expect_error(401, "invalid_token");
    assert!(r.header("www-authenticate").is_some());
    let carol = s.tokens("carol", "carol's password");
    let r = get(
        &url,
        &[(
            "Authorization",
            &bearer(carol["access_token"].as_str().unwrap()),
        )],
    );
    r.expect_error(403, "insufficient_scope");
    let admin = s.admin_tokens();
    let v = get(
        &url,
        &[(
            "Authorization",
            &bearer(admin["access_token"].as_str().unwrap()),
        )],
    )
    .expect_ok();
    let names: Vec<&str> = v["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["admin", "carol"]);
    assert!(
        !v.to_string().contains("argon2"),
        "password hashes never leave the store"
    );
}

#[test]
fn disabling_a_user_ends_its_sessions() {
    let s = Server::start(&[]);
    s.add_user("dave", "dave's password", "user");
    let t = s.tokens("dave", "dave's password");
    let access = t["access_token"].as_str().unwrap();
    s.me(access).expect_ok();
    let (ok, out) = s.admin(&["user", "disable", "dave"], "");
    assert!(ok, "{out}");
    s.login("dave", "dave's password")
        .expect_error(400, "invalid_grant");
    s.refresh(t["refresh_token"].as_str().unwrap())
        .expect_error(400, "invalid_grant");
    // Written by another process: the server's poll picks it up within a second.
    eventually(Duration::from_secs(10), || {
        (s.me(access).status == 401).then_some(())
    })
    .expect("the disabled user's access token is still accepted");
    s.me(access).expect_error(401, "token_revoked");
    let (ok, out) = s.admin(&["user", "disable", "nobody"], "");
    assert!(!ok && out.contains("no user"), "{out}");
    let (ok, out) = s.admin(&["user", "add", "dave", "--roles", "user"], "pw\n");
    assert!(!ok && out.contains("already exists"), "{out}");
}

#[test]
fn expired_access_tokens_are_rejected_with_token_expired() {
    let s = Server::start(&["--access-ttl", "2", "--leeway", "0"]);
    let t = s.admin_tokens();
    let access = t["access_token"].as_str().unwrap();
    s.me(access).expect_ok();
    std::thread::sleep(Duration::from_millis(3100));
    s.me(access).expect_error(401, "token_expired");
    // The refresh token outlives it.
    let t2 = s.refresh(t["refresh_token"].as_str().unwrap()).expect_ok();
    s.me(t2["access_token"].as_str().unwrap()).expect_ok();
}
