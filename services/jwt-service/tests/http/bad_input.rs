//! Bad input never gets a 5xx: malformed bodies, wrong content types, huge bodies, and
//! tokens of every attack class in SECURITY.md, each rejected with a clear error code.

use jwt_core::{Algorithm, Header, SigningKey, b64_encode, sign};
use serde_json::{Value, json};

use crate::harness::{ISSUER, Server, bearer, get, hs256_with, post, post_json, raw_request};

/// Sign `payload` (raw bytes) with `header` and `key`.
fn forge(key: &SigningKey, header: &Header, payload: &str) -> String {
    sign::sign_compact(key, header, payload.as_bytes()).unwrap()
}

/// A token with a raw JSON header and payload and a given signature segment.
fn raw(header: &str, payload: &str, sig: &str) -> String {
    format!("{}.{}.{sig}", b64_encode(header), b64_encode(payload))
}

fn claims() -> Value {
    let now = jwt_core::now();
    json!({"iss": ISSUER, "sub": "forged", "aud": "jwt-service", "exp": now + 600, "iat": now,
           "jti": "j1", "scope": "profile admin", "client_id": "jwt-service"})
}

fn with(mut v: Value, k: &str, x: Value) -> String {
    v[k] = x;
    v.to_string()
}

fn without(mut v: Value, k: &str) -> String {
    v.as_object_mut().unwrap().remove(k);
    v.to_string()
}

#[test]
fn attack_tokens_are_rejected_with_the_cores_error_code() {
    let s = Server::start(&[]);
    let (kid, alg, pem) = s.signing_key();
    let alg: Algorithm = alg.parse().unwrap();
    let key = SigningKey::from_pem(alg, pem.as_bytes())
        .unwrap()
        .with_kid(kid.clone());
    let mut h = Header::new(alg);
    h.typ = Some("at+jwt".into());
    h.kid = Some(kid.clone());
    let good = claims();
    let now = jwt_core::now();

    // Positive control: a correctly forged token with the real key is accepted, and
    // `typ` is compared case-insensitively.
    s.me(&forge(&key, &h, &good.to_string())).expect_ok();
    let mut upper = h.clone();
    upper.typ = Some("AT+JWT".into());
    s.me(&forge(&key, &upper, &good.to_string())).expect_ok();

    let public_jwk = key.to_public_jwk().unwrap();
    let public_bytes = jwt_core::b64_decode(public_jwk.str("x").unwrap()).unwrap();
    let public_pem = key.public_key_pem().unwrap();
    let attacker = SigningKey::generate(Algorithm::EdDSA)
        .unwrap()
        .with_thumbprint_kid()
        .unwrap();
    let payload = good.to_string();

    let mut cases: Vec<(&str, String, &str)> = Vec::new();
    // alg none, every spelling, with and without a signature segment.
    for none in ["none", "None", "NONE", "nOnE"] {
        let hdr = json!({"alg": none, "typ": "at+jwt", "kid": kid}).to_string();
        cases.push(("alg none", raw(&hdr, &payload, ""), "unsupported_algorithm"));
        cases.push((
            "alg none + sig",
            raw(&hdr, &payload, "c2ln"),
            "unsupported_algorithm",
        ));
    }
    // Algorithm confusion: the public key (raw bytes, PEM) as an HMAC secret.
    for secret in [public_bytes.clone(), public_pem.as_bytes().to_vec()] {
        let with_kid = json!({"alg": "HS256", "typ": "at+jwt", "kid": kid});
        cases.push((
            "HS256 with the public key, kid",
            hs256_with(&secret, &with_kid, &payload),
            "algorithm_not_allowed",
        ));
        let no_kid = json!({"alg": "HS256", "typ": "at+jwt"});
        cases.push((
            "HS256 with the public key, no kid",
            hs256_with(&secret, &no_kid, &payload),
            "algorithm_not_allowed",
        ));
    }
    // Another algorithm under our kid.
    let es = SigningKey::generate(Algorithm::ES256).unwrap();
    let mut eh = Header::new(Algorithm::ES256);
    eh.typ = Some("at+jwt".into());
    eh.kid = Some(kid.clone());
    cases.push((
        "ES256 under our kid",
        forge(&es, &eh, &payload),
        "algorithm_not_allowed",
    ));
    // An attacker's key, announced by kid, embedded jwk, jku, x5u: never trusted.
    let mut ah = Header::new(Algorithm::EdDSA);
    ah.typ = Some("at+jwt".into());
    ah.kid = attacker.kid().map(str::to_owned);
    cases.push((
        "unknown kid",
        forge(&attacker, &ah, &payload),
        "key_not_found",
    ));
    let jwk: Value = serde_json::from_str(&attacker.to_public_jwk().unwrap().to_json()).unwrap();
    for (name, value) in [
        ("jwk", jwk),
        ("jku", json!("https://attacker.example/jwks.json")),
        ("x5u", json!("https://attacker.example/cert.pem")),
    ] {
        let mut eh = h.clone();
        eh.extra.insert(name.into(), value);
        cases.push((
            "embedded key reference",
            forge(&attacker, &eh, &payload),
            "invalid_signature",
        ));
    }
    // crit naming an extension nobody declared.
    let mut ch = h.clone();
    ch.crit = Some(vec!["x-unknown".into()]);
    ch.extra.insert("x-unknown".into(), json!(1));
    cases.push((
        "crit",
        forge(&key, &ch, &payload),
        "unsupported_critical_header",
    ));
    // Wrong typ: an ID token or plain JWT is not an access token.
    let mut th = h.clone();
    th.typ = Some("JWT".into());
    cases.push(("typ JWT", forge(&key, &th, &payload), "invalid_type"));
    // Claims.
    let claim_cases = [
        (
            "iss prefix",
            with(good.clone(), "iss", json!(format!("{ISSUER}.evil"))),
            "invalid_issuer",
        ),
        (
            "iss other",
            with(good.clone(), "iss", json!("https://evil")),
            "invalid_issuer",
        ),
        (
            "aud other",
            with(good.clone(), "aud", json!("jwt-service-2")),
            "invalid_audience",
        ),
        (
            "aud substring",
            with(good.clone(), "aud", json!("jwt")),
            "invalid_audience",
        ),
        (
            "exp string",
            with(good.clone(), "exp", json!((now + 600).to_string())),
            "invalid_claim",
        ),
        (
            "exp absurd",
            with(good.clone(), "exp", json!(1e300)),
            "invalid_claim",
        ),
        ("exp missing", without(good.clone(), "exp"), "missing_claim"),
        ("jti missing", without(good.clone(), "jti"), "missing_claim"),
        (
            "exp past",
            with(good.clone(), "exp", json!(now - 3600)),
            "token_expired",
        ),
        (
            "nbf future",
            with(good.clone(), "nbf", json!(now + 3600)),
            "token_not_yet_valid",
        ),
        (
            "iat future",
            with(good.clone(), "iat", json!(now + 3600)),
            "token_issued_in_future",
        ),
        (
            "scope not a string",
            with(good.clone(), "scope", json!(["admin"])),
            "claims_shape",
        ),
    ];
    for (name, p, code) in claim_cases {
        cases.push((name, forge(&key, &h, &p), code));
    }
    let dup = format!("{{\"sub\":\"a\",{}", &payload[1..]);
    cases.push(("duplicate claim", forge(&key, &h, &dup), "duplicate_member"));
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let deep = format!("{{\"x\":{deep},{}", &payload[1..]);
    cases.push(("deep nesting", forge(&key, &h, &deep), "malformed_token"));
    // Tampering: a changed payload under the original signature.
    let real = forge(&key, &h, &payload);
    let sig = real.rsplit('.').next().unwrap();
    let evil = with(good.clone(), "sub", json!("someone-else"));
    cases.push((
        "tampered payload",
        format!(
            "{}.{}.{sig}",
            real.split('.').next().unwrap(),
            b64_encode(&evil)
        ),
        "invalid_signature",
    ));
    // Structure and base64url.
    let parts: Vec<&str> = real.split('.').collect();
    cases.push((
        "two segments",
        format!("{}.{}", parts[0], parts[1]),
        "malformed_token",
    ));
    cases.push(("four segments", format!("{real}.x"), "malformed_token"));
    cases.push((
        "padding",
        format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
        "malformed_token",
    ));
    // The standard alphabet's `+` and `/` in place of the signature's first character: a
    // mutation that always happens (replacing only `-`/`_` left about 6% of random
    // signatures untouched, so the token stayed valid).
    for (name, c) in [("plus", '+'), ("slash", '/')] {
        cases.push((
            name,
            format!("{}.{}.{c}{}", parts[0], parts[1], &parts[2][1..]),
            "malformed_token",
        ));
    }
    cases.push((
        "not JSON",
        raw("not json", &payload, sig),
        "malformed_token",
    ));
    cases.push(("array header", raw("[1]", &payload, sig), "malformed_token"));
    cases.push((
        "huge header",
        raw(
            &json!({"alg": "EdDSA", "x": "a".repeat(12_000)}).to_string(),
            &payload,
            sig,
        ),
        "input_too_large",
    ));

    for (name, token, code) in &cases {
        let r = s.me(token);
        assert_eq!(r.status, 401, "{name}: {}", r.body);
        assert_eq!(r.error(), *code, "{name}: {}", r.body);
    }
    // Introspection of attack tokens: inactive, never an error.
    let admin = s.admin_tokens();
    let caller = bearer(admin["access_token"].as_str().unwrap());
    for (name, token, _) in &cases {
        let r = post_json(
            &s.url("/introspect"),
            &json!({"token": token}),
            &[("Authorization", &caller)],
        );
        assert_eq!(r.expect_ok(), json!({"active": false}), "{name}");
    }
}

#[test]
fn malformed_requests_are_4xx_with_a_json_error() {
    let s = Server::start(&["--max-body-bytes", "4096"]);
    let t = s.url("/token");
    post(&t, Some("application/json"), b"{\"username\": ", &[])
        .expect_error(400, "invalid_request");
    post(&t, Some("application/json"), b"[1,2]", &[]).expect_error(400, "invalid_request");
    post(
        &t,
        Some("application/json"),
        b"{\"username\": 1, \"password\": []}",
        &[],
    )
    .expect_error(400, "invalid_request");
    post(
        &t,
        Some("application/json"),
        b"{\"username\":\"a\",\"username\":\"b\",\"password\":\"x\"}",
        &[],
    )
    .expect_error(400, "invalid_request");
    post(&t, Some("application/json"), b"\xff\xfe{}", &[]).expect_error(400, "invalid_request");
    post(&t, Some("application/json"), b"", &[]).expect_error(400, "invalid_request");
    post_json(
        &t,
        &json!({"username": "a".repeat(200), "password": "x"}),
        &[],
    )
    .expect_error(400, "invalid_request");
    post_json(
        &t,
        &json!({"username": "a", "password": "x", "grant_type": "client_credentials"}),
        &[],
    )
    .expect_error(400, "unsupported_grant_type");
    // Wrong or missing content types.
    post(&t, Some("text/plain"), b"{}", &[]).expect_error(415, "unsupported_media_type");
    post(&t, None, b"{}", &[]).expect_error(415, "unsupported_media_type");
    post(&t, Some("application/xml"), b"<a/>", &[]).expect_error(415, "unsupported_media_type");
    post(
        &s.url("/token/refresh"),
        Some("multipart/form-data; boundary=x"),
        b"--x--",
        &[],
    )
    .expect_error(415, "unsupported_media_type");
    // Bodies over the limit: announced (refused before reading), and streamed in chunks
    // without a length (refused once the limit is crossed).
    let host = s.base.trim_start_matches("http://").to_owned();
    let announced = format!(
        "POST /token HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        1 << 30
    );
    raw_request(&s.base, announced.as_bytes()).expect_error(413, "payload_too_large");
    let mut chunked = format!(
        "POST /revoke HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..3 {
        chunked.extend_from_slice(format!("{:x}\r\n{}\r\n", 2048, " ".repeat(2048)).as_bytes());
    }
    raw_request(&s.base, &chunked).expect_error(413, "payload_too_large");
    // Just under the limit is fine (and then invalid JSON: 400).
    post(&t, Some("application/json"), &vec![b' '; 4000], &[]).expect_error(400, "invalid_request");
    // Routing.
    get(&s.url("/nope"), &[]).expect_error(404, "not_found");
    get(&t, &[]).expect_error(405, "method_not_allowed");
    post(&s.url("/me"), None, b"", &[]).expect_error(405, "method_not_allowed");
    // Authorization headers that are not `Bearer <token>`.
    for h in ["Basic YTpi", "Bearer", "Bearer    ", "bearer", "Token abc"] {
        s.me_raw(h).expect_error(401, "invalid_token");
    }
    s.me_raw("Bearer not-a-jwt")
        .expect_error(401, "malformed_token");
    s.me_raw("bEaReR a.b.c")
        .expect_error(401, "malformed_token");
    // A refresh token of the wrong shape.
    s.refresh("short").expect_error(400, "invalid_grant");
    s.refresh(&"A".repeat(43))
        .expect_error(400, "invalid_grant");
    post_json(&s.url("/token/refresh"), &json!({}), &[]).expect_error(400, "invalid_request");
    // Nothing above was a server error.
    let m = get(&s.url("/metrics"), &[]).body;
    assert!(
        m.contains("jwt_http_responses_total{class=\"5xx\"} 0"),
        "{m}"
    );
}
