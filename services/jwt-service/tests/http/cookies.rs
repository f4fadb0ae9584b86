//! Cookie mode: HttpOnly/Secure/SameSite attributes, and the double-submit CSRF check
//! on every cookie-authenticated state change.

use serde_json::json;

use crate::harness::{Resp, Server, get, post, post_json};

/// `name=value` of a `Set-Cookie` for `name`, and its attributes (lowercased).
fn cookie(r: &Resp, name: &str) -> (String, Vec<String>) {
    let line = r
        .headers_all("set-cookie")
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", r.headers));
    let mut parts = line.split(';').map(|p| p.trim().to_owned());
    let value = parts.next().unwrap().split_once('=').unwrap().1.to_owned();
    (value, parts.map(|p| p.to_ascii_lowercase()).collect())
}

#[test]
fn cookie_login_sets_httponly_secure_samesite_cookies_and_needs_csrf_to_change_state() {
    let s = Server::start(&[]);
    let pw = s.admin_password.clone().unwrap();
    let r = post_json(
        &s.url("/token"),
        &json!({"username": "admin", "password": pw, "cookie": true}),
        &[],
    );
    let body = r.expect_ok();
    assert!(
        body.get("access_token").is_none() && body.get("refresh_token").is_none(),
        "{body}"
    );
    let csrf_body = body["csrf_token"].as_str().unwrap().to_owned();

    let (access, a) = cookie(&r, "__Host-jwt_access");
    for attr in [
        "httponly",
        "secure",
        "samesite=strict",
        "path=/",
        "max-age=900",
    ] {
        assert!(
            a.contains(&attr.to_owned()),
            "__Host-jwt_access lacks {attr}: {a:?}"
        );
    }
    let (refresh, rf) = cookie(&r, "__Host-jwt_refresh");
    // `__Host-` demands Path=/ (so the refresh cookie cannot be narrowed to /token).
    for attr in ["httponly", "secure", "samesite=strict", "path=/"] {
        assert!(
            rf.contains(&attr.to_owned()),
            "__Host-jwt_refresh lacks {attr}: {rf:?}"
        );
    }
    let (csrf, c) = cookie(&r, "__Host-jwt_csrf");
    for (name, attrs) in [("access", &a), ("refresh", &rf), ("csrf", &c)] {
        assert!(
            attrs.contains(&"path=/".to_owned()) && !attrs.iter().any(|x| x.starts_with("domain")),
            "__Host- cookies need Path=/ and no Domain ({name}): {attrs:?}"
        );
    }
    assert!(
        !c.contains(&"httponly".to_owned()),
        "scripts must read the CSRF cookie"
    );
    assert!(c.contains(&"secure".to_owned()) && c.contains(&"samesite=strict".to_owned()));
    assert_eq!(csrf, csrf_body);

    let jar = format!("__Host-jwt_access={access}; __Host-jwt_csrf={csrf}");
    // Reading needs no CSRF header.
    assert_eq!(
        get(&s.url("/me"), &[("Cookie", &jar)]).expect_ok()["username"],
        "admin"
    );

    // Refresh from the cookie: CSRF required.
    let rjar = format!("__Host-jwt_refresh={refresh}; __Host-jwt_csrf={csrf}");
    post(&s.url("/token/refresh"), None, b"", &[("Cookie", &rjar)])
        .expect_error(403, "csrf_check_failed");
    post(
        &s.url("/token/refresh"),
        None,
        b"",
        &[("Cookie", &rjar), ("X-CSRF-Token", "forged")],
    )
    .expect_error(403, "csrf_check_failed");
    let r2 = post(
        &s.url("/token/refresh"),
        None,
        b"",
        &[("Cookie", &rjar), ("X-CSRF-Token", &csrf)],
    );
    r2.expect_ok();
    let (access2, _) = cookie(&r2, "__Host-jwt_access");
    let (csrf2, _) = cookie(&r2, "__Host-jwt_csrf");
    assert_ne!(access2, access);

    // Logout from the cookie: CSRF required, then every cookie is cleared.
    let jar2 = format!("__Host-jwt_access={access2}; __Host-jwt_csrf={csrf2}");
    post(&s.url("/logout"), None, b"", &[("Cookie", &jar2)]).expect_error(403, "csrf_check_failed");
    let out = post(
        &s.url("/logout"),
        None,
        b"",
        &[("Cookie", &jar2), ("X-CSRF-Token", &csrf2)],
    );
    out.expect_ok();
    for name in ["__Host-jwt_access", "__Host-jwt_refresh", "__Host-jwt_csrf"] {
        let (v, attrs) = cookie(&out, name);
        assert!(
            v.is_empty() && attrs.contains(&"max-age=0".to_owned()),
            "{name} not cleared: {attrs:?}"
        );
    }
    get(&s.url("/me"), &[("Cookie", &jar2)]).expect_error(401, "token_revoked");
}

#[test]
fn cookie_security_attributes_follow_the_configuration() {
    let s = Server::start(&["--cookie-secure", "false", "--cookie-same-site", "Lax"]);
    let pw = s.admin_password.clone().unwrap();
    let r = post_json(
        &s.url("/token"),
        &json!({"username": "admin", "password": pw, "cookie": true}),
        &[],
    );
    r.expect_ok();
    // Without Secure the `__Host-` prefix would make browsers drop the cookies.
    let (_, a) = cookie(&r, "jwt_access");
    let (_, rf) = cookie(&r, "jwt_refresh");
    assert!(rf.contains(&"path=/token".to_owned()), "{rf:?}");
    assert!(
        a.contains(&"samesite=lax".to_owned()) && !a.contains(&"secure".to_owned()),
        "{a:?}"
    );
    assert!(a.contains(&"httponly".to_owned()));
}

#[test]
fn a_cookie_login_must_come_from_this_origin() {
    let s = Server::start(&["--allowed-origins", "https://app.example"]);
    let pw = s.admin_password.clone().unwrap();
    let host = s.base.trim_start_matches("http://").to_owned();
    let login = json!({"username": "admin", "password": pw, "cookie": true});
    // A form posted from another site (login CSRF), JSON from another origin,
    // a cross-site fetch: refused before the password is even checked.
    let form = format!("username=admin&password={pw}&cookie=true");
    let r = post(
        &s.url("/token"),
        Some("application/x-www-form-urlencoded"),
        form.as_bytes(),
        &[("Origin", "https://evil.example")],
    );
    r.expect_error(403, "origin_check_failed");
    assert!(r.headers_all("set-cookie").is_empty());
    post_json(
        &s.url("/token"),
        &login,
        &[("Origin", "https://evil.example")],
    )
    .expect_error(403, "origin_check_failed");
    post_json(&s.url("/token"), &login, &[("Origin", "null")])
        .expect_error(403, "origin_check_failed");
    post_json(
        &s.url("/token"),
        &login,
        &[("Sec-Fetch-Site", "cross-site")],
    )
    .expect_error(403, "origin_check_failed");
    // This origin, a configured one, or no browser at all (no Origin): accepted.
    let same = format!("http://{host}");
    post_json(
        &s.url("/token"),
        &login,
        &[("Origin", &same), ("Sec-Fetch-Site", "same-origin")],
    )
    .expect_ok();
    post(
        &s.url("/token"),
        Some("application/x-www-form-urlencoded"),
        form.as_bytes(),
        &[("Origin", "https://app.example")],
    )
    .expect_ok();
    post_json(&s.url("/token"), &login, &[]).expect_ok();
    // A login answered in the body sets no cookie: nothing to ride on, no check.
    post_json(
        &s.url("/token"),
        &json!({"username": "admin", "password": pw}),
        &[("Origin", "https://evil.example")],
    )
    .expect_ok();
}
