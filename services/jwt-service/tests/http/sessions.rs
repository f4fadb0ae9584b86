//! Sessions: `GET /sessions` lists the caller's refresh families; revoke one, revoke all
//! others, log out everywhere. Revocations are metrics and audit lines. On both stores.

use serde_json::{Value, json};

use crate::harness::{Resp, Server, bearer, flags, get, post_json};

fn login_as(srv: &Server, ua: &str) -> Value {
    post_json(
        &srv.url("/token"),
        &json!({"username": "sam", "password": "sam's password"}),
        &[("User-Agent", ua)],
    )
    .expect_ok()
}

fn access(t: &Value) -> String {
    t["access_token"].as_str().unwrap().to_owned()
}

fn list(srv: &Server, t: &Value) -> Vec<Value> {
    get(
        &srv.url("/sessions"),
        &[("Authorization", &bearer(&access(t)))],
    )
    .expect_ok()["sessions"]
        .as_array()
        .unwrap()
        .clone()
}

fn sid(t: &Value) -> String {
    jwt_core::unverified::decode(&access(t)).unwrap().claims["sid"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn dead(srv: &Server, t: &Value) {
    srv.me(&access(t)).expect_error(401, "token_revoked");
    srv.refresh(t["refresh_token"].as_str().unwrap())
        .expect_error(400, "invalid_grant");
}

fn delete(srv: &Server, caller: &Value, id: &str) -> Resp {
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    );
    let mut r = agent
        .delete(&srv.url(&format!("/sessions/{id}")))
        .header("Authorization", &bearer(&access(caller)))
        .call()
        .unwrap();
    Resp {
        status: r.status().as_u16(),
        headers: vec![],
        body: r.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn sessions_list_revoke_one_revoke_others_and_logout_everywhere(store: &[&str]) {
    let srv = Server::start(&flags(store, &[]));
    srv.add_user("sam", "sam's password", "user");
    let laptop = login_as(&srv, "laptop-browser/1.0");
    let phone = login_as(&srv, "phone-app/2.0");
    let other_user = srv.admin_tokens();

    let l = list(&srv, &laptop);
    assert_eq!(l.len(), 2, "{l:?}");
    let mine = l.iter().find(|s| s["current"] == true).unwrap();
    assert_eq!(mine["id"], sid(&laptop));
    assert_eq!(mine["user_agent"], "laptop-browser/1.0");
    assert_eq!(mine["address"], "127.0.0.1");
    for k in [
        "created_at",
        "last_used_at",
        "expires_at",
        "absolute_expires_at",
    ] {
        assert!(mine[k].as_i64().unwrap() > 0, "{k} in {mine}");
    }
    let theirs = l.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(theirs["user_agent"], "phone-app/2.0");
    // A refresh moves last_used_at, never created_at, and keeps the session's id.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let phone = srv
        .refresh(phone["refresh_token"].as_str().unwrap())
        .expect_ok();
    let p = list(&srv, &phone);
    let p = p.iter().find(|s| s["current"] == true).unwrap();
    assert_eq!(p["id"], theirs["id"]);
    assert!(p["last_used_at"].as_i64() > p["created_at"].as_i64(), "{p}");

    // Revoke one: another user's session id, or an unknown one, is 404 (not revealed).
    assert_eq!(delete(&srv, &laptop, &sid(&other_user)).status, 404);
    assert_eq!(delete(&srv, &laptop, "no-such-session").status, 404);
    srv.me(&access(&other_user)).expect_ok();
    let r = delete(&srv, &laptop, &sid(&phone));
    assert_eq!(r.status, 200, "{}", r.body);
    dead(&srv, &phone);
    srv.me(&access(&laptop)).expect_ok();

    // Revoke all others.
    let tablet = login_as(&srv, "tablet");
    let desk = login_as(&srv, "desk");
    let v = post_json(
        &srv.url("/sessions/revoke-others"),
        &json!({}),
        &[("Authorization", &bearer(&access(&tablet)))],
    )
    .expect_ok();
    assert_eq!(v["revoked"], 2);
    dead(&srv, &laptop);
    dead(&srv, &desk);
    assert_eq!(list(&srv, &tablet).len(), 1);

    // Log out everywhere.
    let watch = login_as(&srv, "watch");
    post_json(
        &srv.url("/logout"),
        &json!({"everywhere": true}),
        &[("Authorization", &bearer(&access(&tablet)))],
    )
    .expect_ok();
    dead(&srv, &tablet);
    dead(&srv, &watch);
    srv.me(&access(&other_user)).expect_ok();

    let reasons: Vec<String> = srv
        .audit("family_revoked")
        .iter()
        .map(|e| e["reason"].as_str().unwrap().to_owned())
        .collect();
    for r in [
        "session_revoked",
        "other_sessions_revoked",
        "logout_everywhere",
    ] {
        assert!(reasons.iter().any(|x| x == r), "no {r} in {reasons:?}");
    }
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    // Each family revocation plus the logout's own jti denial.
    assert_eq!(srv.metric("jwt_revocations_total"), 6.0);
}

crate::on_both_stores!(sessions_list_revoke_one_revoke_others_and_logout_everywhere);
