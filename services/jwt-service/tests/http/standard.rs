//! The standard endpoints: RFC 7009 revocation and RFC 7662 introspection with client
//! authentication, RFC 8414 metadata and the OpenID discovery document, and the
//! emergency revocation of a signing key. On both stores.

use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{Server, bearer, eventually, flags, get, post, post_json};

const RS: &str = "resource-server";
const RS_SECRET: &str = "a long resource-server secret";

fn basic(id: &str, secret: &str) -> String {
    // Standard base64 with padding, as HTTP Basic has it.
    let url = jwt_core::b64_encode(format!("{id}:{secret}"));
    let mut std: String = url
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while std.len() % 4 != 0 {
        std.push('=');
    }
    format!("Basic {std}")
}

fn start(store: &[&str]) -> Server {
    let client = format!("{RS}={RS_SECRET}");
    let mut args = flags(store, &["--client"]);
    args.push(Box::leak(client.into_boxed_str()));
    Server::start(&args)
}

fn revocation_and_introspection_authenticate_the_client(store: &[&str]) {
    let srv = start(store);
    let revoke = srv.url("/revoke");
    let introspect = srv.url("/introspect");
    let t = srv.admin_tokens();
    let access = t["access_token"].as_str().unwrap();

    // No client at all, an unknown one, a wrong secret: 401 invalid_client + Basic challenge.
    for (body, headers) in [
        (json!({"token": access}), vec![]),
        (json!({"token": access, "client_id": "someone"}), vec![]),
        (
            json!({"token": access, "client_id": RS, "client_secret": "wrong wrong wrong"}),
            vec![],
        ),
        (
            json!({"token": access}),
            vec![("Authorization", basic(RS, "wrong wrong wrong"))],
        ),
        (
            json!({"token": access}),
            vec![("Authorization", basic("nobody", RS_SECRET))],
        ),
    ] {
        let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for url in [&revoke, &introspect] {
            let r = post_json(url, &body, &h);
            if url == &introspect && body.get("client_secret").is_none() && h.is_empty() {
                // No client authentication: introspection wants a Bearer token instead.
                r.expect_error(401, "invalid_token");
                continue;
            }
            r.expect_error(401, "invalid_client");
            assert!(
                r.header("www-authenticate").unwrap().starts_with("Basic"),
                "{url}"
            );
        }
    }
    srv.me(access).expect_ok();

    // The confidential client introspects with Basic, and with client_secret_post (form).
    let auth = basic(RS, RS_SECRET);
    let v = post_json(
        &introspect,
        &json!({"token": access}),
        &[("Authorization", &auth)],
    )
    .expect_ok();
    assert_eq!(v["active"], true);
    assert_eq!(v["username"], "admin");
    let form = format!(
        "token={}&client_id={RS}&client_secret={}",
        t["refresh_token"].as_str().unwrap(),
        RS_SECRET.replace(' ', "+")
    );
    let v = post(
        &introspect,
        Some("application/x-www-form-urlencoded"),
        form.as_bytes(),
        &[],
    )
    .expect_ok();
    assert_eq!(v["active"], true);
    assert_eq!(v["token_type"], "refresh_token");
    // The public client cannot introspect.
    post_json(
        &introspect,
        &json!({"token": access, "client_id": "jwt-service"}),
        &[],
    )
    .expect_error(401, "invalid_token");

    // The confidential client revokes with Basic; the public one with its client_id.
    post_json(
        &revoke,
        &json!({"token": access}),
        &[("Authorization", &auth)],
    )
    .expect_ok();
    srv.me(access).expect_error(401, "token_revoked");
    let t2 = srv.admin_tokens();
    post_json(
        &revoke,
        &json!({"token": t2["refresh_token"], "client_id": "jwt-service"}),
        &[],
    )
    .expect_ok();
    srv.refresh(t2["refresh_token"].as_str().unwrap())
        .expect_error(400, "invalid_grant");
    let v = post_json(
        &introspect,
        &json!({"token": t2["access_token"]}),
        &[("Authorization", &auth)],
    )
    .expect_ok();
    assert_eq!(v, json!({"active": false}));
}

fn discovery_documents_point_at_the_jwks(store: &[&str]) {
    let srv = start(store);
    let i = crate::harness::ISSUER;
    let oauth = get(&srv.url("/.well-known/oauth-authorization-server"), &[]).expect_ok();
    let oidc = get(&srv.url("/.well-known/openid-configuration"), &[]).expect_ok();
    for d in [&oauth, &oidc] {
        assert_eq!(d["issuer"], i);
        assert_eq!(d["jwks_uri"], format!("{i}/.well-known/jwks.json"));
        assert_eq!(d["revocation_endpoint"], format!("{i}/revoke"));
        assert_eq!(d["introspection_endpoint"], format!("{i}/introspect"));
        assert_eq!(
            d["revocation_endpoint_auth_methods_supported"],
            json!(["client_secret_basic", "client_secret_post", "none"])
        );
        assert_eq!(
            d["access_token_signing_alg_values_supported"],
            json!(["EdDSA"])
        );
    }
    assert_eq!(oidc["subject_types_supported"], json!(["public"]));
    assert_eq!(
        oidc["id_token_signing_alg_values_supported"],
        json!(["EdDSA"])
    );
    // What the document points at verifies the service's tokens.
    let jwks = get(&srv.url("/.well-known/jwks.json"), &[]).body;
    let keys = jwt_core::KeySet::from_jwks_json(&jwks, &[]).unwrap();
    let v = jwt_core::Verifier::new(
        keys,
        jwt_core::Validation::new()
            .issuer(i)
            .audience("jwt-service")
            .typ("at+jwt"),
    )
    .unwrap();
    v.verify::<Value>(srv.admin_tokens()["access_token"].as_str().unwrap())
        .unwrap();
}

fn kids(srv: &Server) -> Vec<String> {
    get(&srv.url("/.well-known/jwks.json"), &[]).json()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

fn kid_of(token: &str) -> String {
    jwt_core::unverified::header(token).unwrap().kid.unwrap()
}

fn emergency_key_revocation(store: &[&str]) {
    let srv = start(store);
    let admin = srv.admin_tokens();
    let admin_access = admin["access_token"].as_str().unwrap().to_owned();
    srv.add_user("uma", "uma's password", "user");
    let uma = srv.tokens("uma", "uma's password");
    let a1 = uma["access_token"].as_str().unwrap().to_owned();
    let k1 = kid_of(&a1);
    srv.me(&a1).expect_ok();
    srv.me(&a1).expect_ok(); // now in the verified-token cache

    // A non-admin cannot; an unknown kid is 404.
    post(
        &srv.url(&format!("/admin/keys/{k1}/revoke")),
        None,
        b"",
        &[("Authorization", &bearer(&a1))],
    )
    .expect_error(403, "insufficient_scope");
    let r = post(
        &srv.url("/admin/keys/no-such-kid/revoke"),
        None,
        b"",
        &[("Authorization", &bearer(&admin_access))],
    );
    r.expect_error(404, "not_found");

    // Revoke the current key over HTTP: refused at once, gone from the JWKS, replaced.
    let v = post(
        &srv.url(&format!("/admin/keys/{k1}/revoke")),
        None,
        b"",
        &[("Authorization", &bearer(&admin_access))],
    )
    .expect_ok();
    let k2 = v["current_kid"].as_str().unwrap().to_owned();
    assert_ne!(k1, k2);
    assert_eq!(
        srv.me(&a1).status,
        401,
        "a token of the revoked key still works"
    );
    assert_eq!(srv.me(&admin_access).status, 401);
    assert_eq!(kids(&srv), vec![k2.clone()]);
    let fresh = srv.tokens("uma", "uma's password");
    let a2 = fresh["access_token"].as_str().unwrap().to_owned();
    assert_eq!(kid_of(&a2), k2);
    srv.me(&a2).expect_ok();
    assert_eq!(srv.audit("key_revoked")[0]["kid"], k1.as_str());

    // A previous key, by the admin command (another process): the server follows.
    let (ok, out) = srv.admin(&["keys", "rotate"], "");
    assert!(ok, "{out}");
    eventually(Duration::from_secs(15), || {
        (kids(&srv).len() == 2).then_some(())
    })
    .expect("the rotation did not reach the server");
    srv.me(&a2).expect_ok(); // k2 is previous now: still verifying
    let (ok, out) = srv.admin(&["keys", "revoke", &k2], "");
    assert!(ok && out.contains("revoked"), "{out}");
    eventually(Duration::from_secs(15), || {
        (srv.me(&a2).status == 401).then_some(())
    })
    .expect("a token of the revoked previous key is still accepted");
    assert!(!kids(&srv).contains(&k2));
    assert_eq!(kids(&srv).len(), 1);
    let (_, list) = srv.admin(&["keys", "list"], "");
    assert_eq!(list.matches("revoked").count(), 2, "{list}");
    let (ok, out) = srv.admin(&["keys", "revoke", "no-such-kid"], "");
    assert!(!ok && out.contains("no key"), "{out}");
    let a3 = srv.tokens("uma", "uma's password");
    srv.me(a3["access_token"].as_str().unwrap()).expect_ok();
}

crate::on_both_stores!(
    revocation_and_introspection_authenticate_the_client,
    discovery_documents_point_at_the_jwks,
    emergency_key_revocation,
);

#[test]
fn a_malformed_client_setting_stops_the_start() {
    let data = crate::harness::temp_dir("bad-client");
    for (spec, why) in [
        ("no-secret", "ID=SECRET"),
        ("short=secret", "16 bytes"),
        ("jwt-service=a long enough secret", "public client_id"),
    ] {
        let out = std::process::Command::new(crate::harness::BIN)
            .arg("--data-dir")
            .arg(&data)
            .args([
                "--bind",
                "127.0.0.1:0",
                "--exit-on-stdin-eof",
                "--client",
                spec,
            ])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(why), "{spec}: {err}");
    }
}
