//! One valid token per algorithm, across the key forms a user holds.

use super::*;

pub(super) fn valid_per_algorithm(g: &mut Gen) {
    use Algorithm::*;
    // Vary the key form across algorithms so every import path is exercised.
    // ML-DSA has its own family of cases, after all others (`mldsa.rs`).
    for alg in Algorithm::ALL
        .into_iter()
        .filter(|a| !matches!(a.family(), jwt_core::KeyFamily::MlDsa(_)))
    {
        let name = alg.as_str().to_lowercase();
        let (key, form) = match alg {
            HS256 | HS384 | HS512 => (g.hmac(&name, alg), "a raw secret"),
            RS256 | PS256 | ES256 | ES512 | EdDSA => (g.pem(&name, alg), "an SPKI PEM"),
            _ => (g.jwk(&name, alg), "a public JWK"),
        };
        let token = g.token(&name, alg, Some(&name), &base_claims());
        g.push(
            &format!("valid-{name}"),
            &format!("{alg} token, key given as {form}, issuer and audience checked"),
            vec![key],
            &token,
            base_validation(),
            ok(),
        );
    }
    rfc9864_names(g);
    // No kid: the key is found by algorithm among several keys.
    let token = g.token("es256", ES256, None, &base_claims());
    let keys = vec![
        g.jwk("rs256", RS256),
        g.hmac("hs256", HS256),
        g.jwk("es256", ES256),
    ];
    g.push(
        "valid-no-kid-selected-by-alg",
        "token without kid: the key bound to the token's algorithm is used",
        keys,
        &token,
        base_validation(),
        ok(),
    );
    // A JWK without alg, bound by the caller's sibling "alg".
    let mut jwk = g.key("rs256", RS256).verifying_key().to_jwk().unwrap();
    let mut m = jwk.as_map().clone();
    m.remove("alg");
    jwk = Jwk::from_map(m).unwrap();
    let token = g.token("rs256", RS256, None, &base_claims());
    g.push(
        "valid-jwk-without-alg-bound-by-caller",
        "an RSA JWK without alg is bound to RS256 by the caller",
        vec![json!({"jwk": Value::Object(jwk.as_map().clone()), "alg": "RS256"})],
        &token,
        base_validation(),
        ok(),
    );
    // An EC JWK without alg: the curve implies ES256.
    let mut m = g
        .key("es256", ES256)
        .verifying_key()
        .to_jwk()
        .unwrap()
        .as_map()
        .clone();
    m.remove("alg");
    m.remove("use");
    let token = g.token("es256", ES256, None, &base_claims());
    g.push(
        "valid-ec-jwk-alg-from-curve",
        "an EC JWK without alg is bound to the algorithm its curve implies",
        vec![json!({"jwk": Value::Object(m)})],
        &token,
        base_validation(),
        ok(),
    );
    // A token with no exp accepted when the caller removes exp from the required claims.
    let mut c = base_claims();
    c.as_object_mut().unwrap().remove("exp");
    let token = g.token("hs256", HS256, None, &c);
    let keys = vec![g.hmac("hs256", HS256)];
    g.push(
        "valid-no-exp-when-not-required",
        "exp is not required when required_claims is empty",
        keys,
        &token,
        json!({"issuer": [ISS], "audience": [AUD], "required_claims": []}),
        ok(),
    );
    // Minimal: only exp, default validation.
    let token = g.token("hs256", HS256, None, &json!({"exp": NOW + 1}));
    let keys = vec![g.hmac("hs256", HS256)];
    g.push(
        "valid-defaults-exp-only",
        "default validation, only exp",
        keys,
        &token,
        json!({}),
        ok(),
    );
    // Rich claims survive unchanged.
    let claims = json!({"exp": NOW + 60, "nested": {"a": [1, 2.5, "x", null, true]}, "unicode": "h\u{e9}llo \u{1f600}", "big": 9007199254740993u64,
        "floats": [0.1, -923635532519.0533, 1e-7, 5e300]});
    let token = g.token("hs256", HS256, None, &claims);
    let keys = vec![g.hmac("hs256", HS256)];
    g.push(
        "valid-rich-claims",
        "nested objects, arrays, unicode, a large integer and floats come back bit-identical",
        keys,
        &token,
        json!({}),
        ok(),
    );
}

/// RFC 9864: `Ed25519` and `EdDSA` name one signature. A key bound to either verifies
/// both names; an explicit allow-list admits only the names it lists.
fn rfc9864_names(g: &mut Gen) {
    use Algorithm::*;
    let claims = base_claims().to_string();
    for (key, key_alg, header_alg) in [("eddsa", EdDSA, Ed25519), ("ed25519", Ed25519, EdDSA)] {
        let token = g.sign(
            key,
            key_alg,
            &common::header(header_alg, Some(key)),
            &claims,
        );
        let jwk = g.jwk(key, key_alg);
        let (k, h) = (key_alg.as_str(), header_alg.as_str());
        g.push(
            &format!(
                "rfc9864-{}-key-verifies-{}-token",
                k.to_lowercase(),
                h.to_lowercase()
            ),
            &format!("a JWK with alg {k} verifies a token whose header says {h} (same signature)"),
            vec![jwk.clone()],
            &token,
            base_validation(),
            ok(),
        );
        g.push(
            &format!(
                "rfc9864-allow-{}-refuses-{}",
                k.to_lowercase(),
                h.to_lowercase()
            ),
            &format!("allow-lists are exact: allowing only {k} refuses a {h} token"),
            vec![jwk],
            &token,
            with_v(json!({"algorithms": [k]})),
            err("algorithm_not_allowed"),
        );
    }
}
