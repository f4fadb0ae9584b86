//! Header attacks: `alg`, `kid`, `crit`, `typ`, embedded keys and duplicates.

use super::*;

pub(super) fn header_attacks(g: &mut Gen) {
    use Algorithm::*;
    let claims = base_claims().to_string();
    let hs = |g: &mut Gen| vec![g.hmac("hs256", HS256)];
    let signed =
        |g: &mut Gen, id: &str, desc: &str, header: &str, validation: Value, expect: Expect| {
            let t = g.sign("hs256", HS256, header, &claims);
            let keys = hs(g);
            g.push(id, desc, keys, &t, validation, expect);
        };
    // crit
    signed(
        g,
        "crit-unknown",
        "crit names an extension the caller did not declare",
        r#"{"alg":"HS256","crit":["exp2"],"exp2":1}"#,
        base_validation(),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "crit-declared",
        "crit names an extension the caller declared understood",
        r#"{"alg":"HS256","crit":["exp2"],"exp2":1}"#,
        with_v(json!({"critical": ["exp2"]})),
        ok(),
    );
    signed(
        g,
        "crit-empty",
        "an empty crit list is invalid",
        r#"{"alg":"HS256","crit":[]}"#,
        base_validation(),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "crit-registered-name",
        "crit must not list a registered header name",
        r#"{"alg":"HS256","crit":["kid"],"kid":"hs256"}"#,
        with_v(json!({"critical": ["kid"]})),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "crit-member-absent",
        "crit names a member the header lacks",
        r#"{"alg":"HS256","crit":["exp2"]}"#,
        with_v(json!({"critical": ["exp2"]})),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "crit-not-array",
        "crit must be an array",
        r#"{"alg":"HS256","crit":"exp2","exp2":1}"#,
        base_validation(),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "b64-false-undeclared",
        "b64:false (RFC 7797) is refused unless declared",
        r#"{"alg":"HS256","crit":["b64"],"b64":false}"#,
        base_validation(),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "b64-false-jwt",
        "a JWT payload must be base64url-encoded even when b64 is declared",
        r#"{"alg":"HS256","crit":["b64"],"b64":false}"#,
        with_v(json!({"critical": ["b64"]})),
        err("invalid_header"),
    );
    signed(
        g,
        "b64-without-crit",
        "b64 must be listed in crit",
        r#"{"alg":"HS256","b64":true}"#,
        base_validation(),
        err("invalid_header"),
    );
    // typ
    signed(
        g,
        "typ-required-match",
        "required typ at+jwt matches AT+JWT case-insensitively",
        r#"{"alg":"HS256","typ":"AT+JWT"}"#,
        with_v(json!({"typ": "at+jwt"})),
        ok(),
    );
    signed(
        g,
        "typ-application-prefix",
        "typ application/at+jwt matches at+jwt (RFC 7515 4.1.9)",
        r#"{"alg":"HS256","typ":"application/at+jwt"}"#,
        with_v(json!({"typ": "at+jwt"})),
        ok(),
    );
    signed(
        g,
        "typ-required-wrong",
        "typ JWT where at+jwt is required (RFC 9068)",
        r#"{"alg":"HS256","typ":"JWT"}"#,
        with_v(json!({"typ": "at+jwt"})),
        err("invalid_type"),
    );
    signed(
        g,
        "typ-required-missing",
        "typ missing where at+jwt is required",
        r#"{"alg":"HS256"}"#,
        with_v(json!({"typ": "at+jwt"})),
        err("invalid_type"),
    );
    signed(
        g,
        "typ-multibyte",
        "a typ with a multi-byte character at the `application/` prefix length is an error, not a crash",
        "{\"alg\":\"HS256\",\"typ\":\"abcdefghijk\u{e9}x\"}",
        with_v(json!({"typ": "at+jwt"})),
        err("invalid_type"),
    );
    signed(
        g,
        "typ-not-string",
        "typ must be a string",
        r#"{"alg":"HS256","typ":1}"#,
        base_validation(),
        err("invalid_header"),
    );
    signed(
        g,
        "typ-not-required",
        "without a required typ any typ is accepted",
        r#"{"alg":"HS256","typ":"whatever"}"#,
        base_validation(),
        ok(),
    );
    // header members
    signed(
        g,
        "header-alg-missing",
        "the header has no alg",
        r#"{"typ":"JWT"}"#,
        base_validation(),
        err("invalid_header"),
    );
    signed(
        g,
        "header-alg-not-string",
        "alg must be a string",
        r#"{"alg":["HS256"]}"#,
        base_validation(),
        err("invalid_header"),
    );
    signed(
        g,
        "header-kid-not-string",
        "kid must be a string",
        r#"{"alg":"HS256","kid":7}"#,
        base_validation(),
        err("invalid_header"),
    );
    signed(
        g,
        "header-duplicate-alg",
        "duplicate alg in the header",
        r#"{"alg":"none","alg":"HS256"}"#,
        base_validation(),
        err("duplicate_member"),
    );
    signed(
        g,
        "header-duplicate-nested",
        "duplicate member inside a nested header object",
        r#"{"alg":"HS256","x":{"a":1,"a":2}}"#,
        base_validation(),
        err("duplicate_member"),
    );
    signed(
        g,
        "header-duplicate-escaped",
        "duplicate member spelled with an escape",
        r#"{"alg":"HS256","kid":"hs256","\u006bid":"x"}"#,
        base_validation(),
        err("duplicate_member"),
    );
    signed(
        g,
        "header-not-object",
        "the header must be a JSON object",
        r#"["HS256"]"#,
        base_validation(),
        err("malformed_token"),
    );
    let deep = format!(
        r#"{{"alg":"HS256","x":{}1{}}}"#,
        "[".repeat(40),
        "]".repeat(40)
    );
    signed(
        g,
        "header-too-deep",
        "header nesting beyond the default depth",
        &deep,
        base_validation(),
        err("malformed_token"),
    );
    let big = format!(r#"{{"alg":"HS256","pad":"{}"}}"#, "a".repeat(9000));
    signed(
        g,
        "header-too-large",
        "a header over 8 KiB is refused before any work",
        &big,
        base_validation(),
        err("input_too_large"),
    );

    // jku / x5u / jwk / x5c are never followed or trusted: a token signed by the
    // attacker's key that it embeds in the header does not verify.
    let attacker = g.key("attacker-es256", ES256);
    let attacker_jwk = attacker.verifying_key().to_jwk().unwrap().to_json();
    let victim_keys = vec![g.jwk("es256", ES256)];
    for (id, member) in [
        ("jwk", format!(r#""jwk":{attacker_jwk}"#)),
        (
            "jku",
            r#""jku":"https://attacker.example/jwks.json""#.to_owned(),
        ),
        (
            "x5u",
            r#""x5u":"https://attacker.example/cert.pem""#.to_owned(),
        ),
        ("x5c", r#""x5c":["MIIBszCCAVmgAwIBAgIUJ0Ys"]"#.to_owned()),
    ] {
        let h = format!(r#"{{"alg":"ES256","typ":"JWT",{member}}}"#);
        let t = g.sign("attacker-es256", ES256, &h, &claims);
        g.push(
            &format!("header-{id}-not-trusted"),
            &format!("header `{id}` pointing at the attacker's key is never used (CVE-2018-0114)"),
            victim_keys.clone(),
            &t,
            base_validation(),
            err("invalid_signature"),
        );
    }
    // The embedded jwk with the verifier's kid: still the caller's key decides.
    let h = format!(r#"{{"alg":"ES256","kid":"es256","jwk":{attacker_jwk}}}"#);
    let t = g.sign("attacker-es256", ES256, &h, &claims);
    g.push(
        "header-jwk-with-kid-not-trusted",
        "embedded jwk plus the victim's kid",
        victim_keys,
        &t,
        base_validation(),
        err("invalid_signature"),
    );
    // kid
    let keys = vec![g.jwk("rs256", RS256), g.hmac("hs256", HS256)];
    let t = g.sign("hs256", HS256, r#"{"alg":"HS256","kid":"rs256"}"#, &claims);
    g.push(
        "kid-selects-other-alg",
        "kid names the RSA key but the token says HS256",
        keys.clone(),
        &t,
        base_validation(),
        err("algorithm_not_allowed"),
    );
    let t = g.sign("hs256", HS256, r#"{"alg":"HS256","kid":"nope"}"#, &claims);
    g.push(
        "kid-unknown",
        "kid matches no supplied key",
        keys.clone(),
        &t,
        base_validation(),
        err("key_not_found"),
    );
    let t = g.sign("hs256", HS256, r#"{"alg":"HS256","kid":"hs256"}"#, &claims);
    g.push(
        "kid-selects",
        "kid selects the HMAC key among several",
        keys,
        &t,
        base_validation(),
        ok(),
    );
    let keys = vec![g.hmac("hs256", HS256), g.hmac("hs256-b", HS256)];
    let t = g.sign(
        "hs256-b",
        HS256,
        r#"{"alg":"HS256","kid":"hs256"}"#,
        &claims,
    );
    g.push(
        "kid-wrong-key-same-alg",
        "kid names another key of the same algorithm: signature fails",
        keys,
        &t,
        base_validation(),
        err("invalid_signature"),
    );
    let keys = vec![g.hmac("hs256", HS256)];
    let t = g.sign("hs256", HS256, &common::header(HS256, None), &claims);
    let rsa_only = vec![g.pem("rs256", RS256)];
    g.push(
        "alg-no-key-for-alg",
        "an HS256 token against an RSA-only verifier: algorithm not allowed",
        rsa_only,
        &t,
        base_validation(),
        err("algorithm_not_allowed"),
    );
    let t384 = g.sign("hs384", HS384, &common::header(HS384, None), &claims);
    g.push(
        "alg-hs384-token-hs256-key",
        "an HS384 token against an HS256 key",
        keys,
        &t384,
        base_validation(),
        err("algorithm_not_allowed"),
    );
}
