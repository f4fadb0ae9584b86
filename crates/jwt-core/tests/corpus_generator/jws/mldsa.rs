//! ML-DSA-44/65/87 with `AKP` keys (RFC 9964): one valid token per level, keys of one
//! level against another, `AKP` JWK rules, confusion with other families.
//!
//! The cases that need ML-DSA keys carry `"requires": "aws-lc"` (see the README): only
//! an aws-lc build can make them, so a ring build of this generator copies them
//! unchanged from the committed corpus (they come last, so the rest is unaffected), and
//! a ring build of a runner skips them and says how many. The cases that refuse an
//! ML-DSA claim before any ML-DSA key exists carry no marker and run everywhere.

use super::*;

/// The marker, and the only value it takes.
const REQUIRES: &str = "aws-lc";

pub(super) fn ml_dsa(g: &mut Gen) {
    backend_free_cases(g);
    if cfg!(feature = "aws-lc") {
        let start = g.cases.len();
        aws_lc_cases(g);
        for case in &mut g.cases[start..] {
            case["requires"] = REQUIRES.into();
        }
    } else {
        // Keep the committed aws-lc cases as they are (ring cannot sign them).
        let committed = corpus_json("corpus.json").unwrap_or_default();
        for case in committed["cases"].as_array().into_iter().flatten() {
            if case["requires"] == REQUIRES {
                g.cases.push(case.clone());
            }
        }
    }
}

/// Refusals decided from the JWK alone: no ML-DSA key is made, so every build agrees.
fn backend_free_cases(g: &mut Gen) {
    let rsa = g.jwk("rs256", Algorithm::RS256);
    let mut jwk = rsa["jwk"].clone();
    jwk["alg"] = "ML-DSA-44".into();
    let token = g.token("rs256", Algorithm::RS256, Some("rs256"), &base_claims());
    g.push(
        "pq-rsa-jwk-claims-ml-dsa",
        "an RSA JWK whose alg says ML-DSA-44: a key's family fits its algorithm or it is refused",
        vec![json!({ "jwk": jwk })],
        &token,
        base_validation(),
        err("key_algorithm_mismatch"),
    );
    let mut jwk = g.jwk("es256", Algorithm::ES256)["jwk"].clone();
    jwk["alg"] = "ML-DSA-65".into();
    jwk["kid"] = "ec-as-pq".into();
    let token = g.token("es256", Algorithm::ES256, Some("ec-as-pq"), &base_claims());
    g.push(
        "pq-ec-jwk-claims-ml-dsa",
        "a P-256 JWK whose alg says ML-DSA-65: refused",
        vec![json!({ "jwk": jwk })],
        &token,
        base_validation(),
        err("key_algorithm_mismatch"),
    );
}

fn aws_lc_cases(g: &mut Gen) {
    use Algorithm::{MlDsa44, MlDsa65, MlDsa87};
    // One valid token per level, the key as a public JWK or an SPKI PEM.
    for (alg, pem) in [(MlDsa44, false), (MlDsa65, true), (MlDsa87, false)] {
        let name = alg.as_str().to_lowercase();
        let (key, form) = if pem {
            (g.pem(&name, alg), "an SPKI PEM (RFC 9881)")
        } else {
            (g.jwk(&name, alg), "a public AKP JWK")
        };
        let token = g.token(&name, alg, Some(&name), &base_claims());
        g.push(
            &format!("valid-{name}"),
            &format!("{alg} token (RFC 9964), key given as {form}, issuer and audience checked"),
            vec![key],
            &token,
            base_validation(),
            ok(),
        );
    }
    let t44 = g.token("ml-dsa-44", MlDsa44, Some("ml-dsa-44"), &base_claims());

    // Key selection by kid among levels.
    let t65 = g.token("ml-dsa-65", MlDsa65, Some("ml-dsa-65"), &base_claims());
    let keys = vec![
        g.jwk("ml-dsa-44", MlDsa44),
        g.jwk("ml-dsa-65", MlDsa65),
        g.jwk("ml-dsa-87", MlDsa87),
    ];
    g.push(
        "pq-ml-dsa-kid-selects-level",
        "three AKP keys, one per level: the token's kid picks the ML-DSA-65 key",
        keys,
        &t65,
        base_validation(),
        ok(),
    );

    // A key of one level never serves another.
    let mut jwk = g.jwk("ml-dsa-65", MlDsa65);
    jwk["jwk"]["kid"] = "ml-dsa-44".into();
    g.push(
        "pq-ml-dsa-44-token-65-key",
        "an ML-DSA-44 token against an ML-DSA-65 key with the same kid: no key for ML-DSA-44",
        vec![jwk],
        &t44,
        base_validation(),
        err("algorithm_not_allowed"),
    );
    // The header says ML-DSA-65 but the bytes are an ML-DSA-44 signature.
    let header = common::header(MlDsa65, Some("ml-dsa-65"));
    let relabeled = g.sign("ml-dsa-44", MlDsa44, &header, &base_claims().to_string());
    let key = g.jwk("ml-dsa-65", MlDsa65);
    g.push(
        "pq-ml-dsa-relabeled-level",
        "an ML-DSA-44 signature under a header that says ML-DSA-65: invalid signature",
        vec![key],
        &relabeled,
        base_validation(),
        err("invalid_signature"),
    );
    // The allow-list is exact.
    let key = g.jwk("ml-dsa-44", MlDsa44);
    g.push(
        "pq-ml-dsa-not-in-allow-list",
        "the caller allows only ML-DSA-65; the only key is ML-DSA-44: no key fits",
        vec![key],
        &t44,
        with_v(json!({"algorithms": ["ML-DSA-65"]})),
        err("invalid_argument"),
    );

    // Signatures: tampered, wrong key, truncated.
    let (input, sig) = t44.rsplit_once('.').unwrap();
    let mut raw = b64_decode(sig).unwrap();
    raw[1000] ^= 0x01;
    let key = g.jwk("ml-dsa-44", MlDsa44);
    g.push(
        "pq-ml-dsa-tampered-signature",
        "one bit of an ML-DSA-44 signature flipped",
        vec![key],
        &format!("{input}.{}", b64_encode(&raw)),
        base_validation(),
        err("invalid_signature"),
    );
    raw[1000] ^= 0x01;
    let key = g.jwk("ml-dsa-44", MlDsa44);
    g.push(
        "pq-ml-dsa-truncated-signature",
        "an ML-DSA-44 signature one byte short",
        vec![key],
        &format!("{input}.{}", b64_encode(&raw[..raw.len() - 1])),
        base_validation(),
        err("invalid_signature"),
    );
    let mut other = g.jwk("ml-dsa-44-other", MlDsa44);
    other["jwk"]["kid"] = "ml-dsa-44".into();
    g.push(
        "pq-ml-dsa-wrong-key",
        "an ML-DSA-44 token against another ML-DSA-44 key with the same kid",
        vec![other],
        &t44,
        base_validation(),
        err("invalid_signature"),
    );

    // AKP JWK rules (RFC 9964 3): `alg` required, `pub` of the level's size.
    let jwk = g.jwk("ml-dsa-44", MlDsa44);
    let mut no_alg = jwk.clone();
    no_alg["jwk"].as_object_mut().unwrap().remove("alg");
    no_alg["alg"] = "ML-DSA-44".into();
    g.push(
        "pq-akp-jwk-without-alg",
        "an AKP JWK without alg: REQUIRED by RFC 9964, and the caller's alg cannot stand in",
        vec![no_alg],
        &t44,
        base_validation(),
        err("invalid_key"),
    );
    let mut short = jwk.clone();
    let public = b64_decode(jwk["jwk"]["pub"].as_str().unwrap()).unwrap();
    short["jwk"]["pub"] = b64_encode(&public[..public.len() - 1]).into();
    g.push(
        "pq-akp-pub-wrong-length",
        "an ML-DSA-44 AKP JWK whose pub is 1311 bytes (1312 expected)",
        vec![short],
        &t44,
        base_validation(),
        err("invalid_key"),
    );
    let mut as_65 = jwk.clone();
    as_65["jwk"]["alg"] = "ML-DSA-65".into();
    g.push(
        "pq-akp-pub-of-another-level",
        "an ML-DSA-44 public key in an AKP JWK that says ML-DSA-65: wrong size, refused",
        vec![as_65],
        &t44,
        base_validation(),
        err("invalid_key"),
    );
    let mut as_rsa = jwk.clone();
    as_rsa["jwk"]["alg"] = "RS256".into();
    g.push(
        "pq-akp-jwk-claims-rs256",
        "an AKP JWK whose alg says RS256: refused",
        vec![as_rsa],
        &t44,
        base_validation(),
        err("key_algorithm_mismatch"),
    );

    // The public key as an HMAC secret, in PEM and JWK text: never a secret.
    let pem = g.key("ml-dsa-44", MlDsa44).public_key_pem().unwrap();
    let jwk_text = jwk["jwk"].to_string();
    for (form, secret) in [("pem", pem.as_str()), ("jwk", jwk_text.as_str())] {
        let header = common::header(Algorithm::HS256, Some("ml-dsa-44"));
        let input = format!(
            "{}.{}",
            b64_encode(&header),
            b64_encode(base_claims().to_string())
        );
        let mac = ring_hmac(secret.as_bytes(), input.as_bytes());
        g.push(
            &format!("confusion-ml-dsa-{form}-as-hs256-secret"),
            &format!("the ML-DSA-44 public key ({form} text) as an HS256 secret: refused"),
            vec![json!({"secret_b64u": b64_encode(secret), "alg": "HS256", "kid": "ml-dsa-44"})],
            &format!("{input}.{}", b64_encode(mac)),
            base_validation(),
            err("key_algorithm_mismatch"),
        );
    }
}
