//! RSA-OAEP and RSA-OAEP-256 (issue 18): only the `aws-lc` backend has them (ring has no
//! RSA decryption), so every case here carries `"requires": "aws-lc"`. They come last in
//! the corpus: a build without aws-lc cannot encrypt them, so it keeps the committed cases
//! verbatim (and says so), and the file stays byte-identical whichever backend regenerates
//! it. Regenerate them with `--features aws-lc`.

use super::*;

/// What the cases need; the runners skip (the core on ring: check them refused) by it.
pub(super) const REQUIRES: &str = "aws-lc";

#[cfg(feature = "aws-lc")]
fn rsa_key(alg: Alg) -> DecryptionKey {
    let jwk = jwt_core::Jwk::from_json(crate::common::RFC7516_A1_RSA_JWK).unwrap();
    DecryptionKey::from_jwk(&jwk, Some(alg)).unwrap()
}

#[cfg(feature = "aws-lc")]
pub(super) fn rsa(g: &mut Gen, _committed: Option<&Value>) {
    let start = g.cases.len();
    for (alg, enc) in [
        (Alg::RsaOaep, Enc::A256GCM),
        (Alg::RsaOaep256, Enc::A128CbcHs256),
        (Alg::RsaOaep256, Enc::A256GCM),
    ] {
        let key = rsa_key(alg);
        g.compact(
            &format!("{}-{}", lower(alg.as_str()), lower(enc.as_str())),
            &format!("{alg} with {enc} (RFC 7516 A.1's RSA key; aws-lc backend)"),
            &key,
            ok(),
            || encrypt(&key, enc, PLAINTEXT),
        );
    }
    let key = rsa_key(Alg::RsaOaep256);
    g.compact(
        "rsa-oaep-256-tampered-encrypted-key",
        "RSA-OAEP-256 with one bit of the encrypted key flipped: a random CEK, the tag fails",
        &key,
        Expect::Code("decryption_failed"),
        || with_segment(&encrypt(&key, Enc::A256GCM, PLAINTEXT), 1, |b| b[10] ^= 1),
    );
    let (oaep, oaep256) = (rsa_key(Alg::RsaOaep), rsa_key(Alg::RsaOaep256));
    g.compact(
        "rsa-oaep-key-refuses-rsa-oaep-256",
        "a key bound to RSA-OAEP does not decrypt an RSA-OAEP-256 token made for the same modulus",
        &oaep,
        Expect::Code("algorithm_not_allowed"),
        || encrypt(&oaep256, Enc::A256GCM, PLAINTEXT),
    );
    let public = serde_json::from_str::<Value>(&key.to_public_jwk().unwrap().to_json()).unwrap();
    g.case(
        "rsa-oaep-256-public-jwk-cannot-decrypt",
        "an RSA public JWK (no d) is not a decryption key",
        &[json!({ "jwk": public })],
        json!({}),
        Expect::Code("invalid_key"),
        || Input::Compact(encrypt(&key, Enc::A256GCM, PLAINTEXT)),
    );
    for case in &mut g.cases[start..] {
        case["requires"] = REQUIRES.into();
    }
}

/// Without aws-lc: the committed RSA-OAEP cases, verbatim, and a line saying so.
#[cfg(not(feature = "aws-lc"))]
pub(super) fn rsa(g: &mut Gen, committed: Option<&Value>) {
    let kept: Vec<Value> = committed
        .and_then(|v| v["cases"].as_array())
        .into_iter()
        .flatten()
        .filter(|c| c["requires"] == REQUIRES)
        .cloned()
        .collect();
    eprintln!(
        "jwe corpus: {} RSA-OAEP case(s) kept verbatim from the committed file: this build has \
         no aws-lc backend to make them (regenerate with `--features aws-lc`)",
        kept.len()
    );
    g.cases.extend(kept);
}
