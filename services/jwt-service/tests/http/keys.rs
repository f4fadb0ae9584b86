//! Keys and discovery: the JWKS carries public members only, rotation keeps old tokens
//! valid until they expire, RFC 8414 metadata, the OpenAPI document.

use std::time::Duration;

use serde_json::Value;

use crate::harness::{Server, eventually, get};

const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

fn jwks(s: &Server) -> Vec<Value> {
    let r = get(&s.url("/.well-known/jwks.json"), &[]);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().contains("jwk-set+json"));
    r.json()["keys"].as_array().unwrap().clone()
}

fn assert_public_only(keys: &[Value]) {
    for k in keys {
        for m in PRIVATE_MEMBERS {
            assert!(k.get(m).is_none(), "JWKS leaks private member {m}: {k}");
        }
        assert!(k["kid"].is_string() && k["alg"].is_string(), "{k}");
        assert_eq!(k["use"], "sig");
    }
}

#[test]
fn jwks_never_contains_private_members_whatever_the_algorithm() {
    for alg in ["EdDSA", "ES256", "RS256", "PS384", "ES512"] {
        let s = Server::start(&["--algorithm", alg]);
        let keys = jwks(&s);
        assert_eq!(keys.len(), 1, "{alg}");
        assert_public_only(&keys);
        assert_eq!(keys[0]["alg"], alg);
        // The kid is the RFC 7638 thumbprint, and tokens carry it.
        let (kid, _, _) = s.signing_key();
        assert_eq!(keys[0]["kid"], kid.as_str());
        let t = s.admin_tokens();
        let h = jwt_core::unverified::header(t["access_token"].as_str().unwrap()).unwrap();
        assert_eq!(h.kid.as_deref(), Some(kid.as_str()));
        s.me(t["access_token"].as_str().unwrap()).expect_ok();
    }
}

#[test]
fn symmetric_algorithms_are_refused_at_startup() {
    let out = std::process::Command::new(crate::harness::BIN)
        .args(["--algorithm", "HS256", "keys", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("symmetric"));
}

#[test]
fn rotation_keeps_old_tokens_valid_and_publishes_both_keys() {
    let mut s = Server::start(&[]);
    let t1 = s.admin_tokens();
    let a1 = t1["access_token"].as_str().unwrap().to_owned();
    let kid1 = jwt_core::unverified::header(&a1).unwrap().kid.unwrap();

    let (ok, out) = s.admin(&["keys", "rotate"], "");
    assert!(ok, "{out}");
    // The server notices within its one-second poll.
    let keys = eventually(Duration::from_secs(10), || {
        Some(jwks(&s)).filter(|k| k.len() == 2)
    })
    .expect("the rotated key never reached the JWKS");
    assert_public_only(&keys);

    let t2 = s.admin_tokens();
    let a2 = t2["access_token"].as_str().unwrap().to_owned();
    let kid2 = jwt_core::unverified::header(&a2).unwrap().kid.unwrap();
    assert_ne!(kid1, kid2, "new tokens are signed with the new key");
    assert_eq!(
        keys.iter()
            .filter(|k| k["kid"] == kid1.as_str() || k["kid"] == kid2.as_str())
            .count(),
        2
    );
    s.me(&a1).expect_ok();
    s.me(&a2).expect_ok();

    let (ok, list) = s.admin(&["keys", "list"], "");
    assert!(ok, "{list}");
    assert!(list.contains(&kid1) && list.contains(&kid2), "{list}");
    assert!(
        list.contains("current") && list.contains("previous"),
        "{list}"
    );

    // After a restart the previous key is still trusted (it lives in the store).
    s.restart();
    s.me(&a1).expect_ok();
    s.me(&a2).expect_ok();
    assert_eq!(jwks(&s).len(), 2);
}

#[test]
fn a_retired_key_leaves_the_jwks_once_its_tokens_have_expired() {
    let s = Server::start(&["--access-ttl", "1", "--leeway", "0"]);
    let a1 = s.admin_tokens()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (ok, out) = s.admin(&["keys", "rotate"], "");
    assert!(ok, "{out}");
    // Retention is access_ttl + leeway = 1 s: the old key goes, and its token with it.
    let kid1 = jwt_core::unverified::header(&a1).unwrap().kid.unwrap();
    let keys = eventually(Duration::from_secs(15), || {
        let k = jwks(&s);
        (k.len() == 1 && k[0]["kid"] != kid1.as_str()).then_some(k)
    })
    .expect("the retired key stayed in the JWKS");
    let a2 = s.admin_tokens()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        keys[0]["kid"],
        jwt_core::unverified::header(&a2)
            .unwrap()
            .kid
            .unwrap()
            .as_str()
    );
    assert_eq!(keys.len(), 1);
    let r = s.me(&a1);
    assert_eq!(r.status, 401, "{}", r.body);
    let (_, list) = s.admin(&["keys", "list"], "");
    assert!(list.contains("expired"), "{list}");
}

#[test]
fn discovery_documents_describe_the_service() {
    let s = Server::start(&[]);
    let m = get(&s.url("/.well-known/oauth-authorization-server"), &[]).expect_ok();
    let i = crate::harness::ISSUER;
    assert_eq!(m["issuer"], i);
    assert_eq!(m["token_endpoint"], format!("{i}/token"));
    assert_eq!(m["jwks_uri"], format!("{i}/.well-known/jwks.json"));
    assert_eq!(m["revocation_endpoint"], format!("{i}/revoke"));
    assert_eq!(m["introspection_endpoint"], format!("{i}/introspect"));

    let doc = get(&s.url("/openapi.json"), &[]).expect_ok();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/token",
        "/token/refresh",
        "/revoke",
        "/logout",
        "/introspect",
        "/me",
        "/admin/users",
        "/.well-known/jwks.json",
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
        "/sessions",
        "/sessions/revoke-others",
        "/sessions/{id}",
        "/admin/keys/{kid}/revoke",
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
    ] {
        assert!(doc["paths"].get(path).is_some(), "OpenAPI lacks {path}");
        // Every documented path is served (a 404 would be JSON `not_found`).
        let r = get(&s.url(path), &[]);
        assert_ne!(r.status, 404, "{path}");
    }
}
