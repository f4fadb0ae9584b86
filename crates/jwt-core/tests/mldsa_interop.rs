//! ML-DSA interoperability with an independent implementation, both directions:
//! Cloudflare CIRCL's FIPS 204 ML-DSA (Go, pinned in `tests/mldsa_peer/go.mod`) derives
//! the same public key from our seeds, verifies the tokens we sign (and refuses tampered
//! ones), and signs tokens that we verify.
//!
//! aws-lc builds only (the only backend with ML-DSA); `cargo xtask test --only rust` runs
//! it. The peer is built with the Go toolchain (`go`, or `/usr/local/go/bin/go`); without
//! one the test fails and says so, unless `JWT_CORE_ALLOW_MISSING_PEERS` is set (what
//! `cargo xtask test --allow-skip` does), when it says loudly that it did not run.
#![cfg(feature = "aws-lc")]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jwt_core::{Algorithm, SigningKey, Validation, Verifier, b64_decode, b64_encode};
use serde_json::{Value, json};

const LEVELS: [Algorithm; 3] = [Algorithm::MlDsa44, Algorithm::MlDsa65, Algorithm::MlDsa87];

fn go() -> Option<&'static str> {
    ["go", "/usr/local/go/bin/go"].into_iter().find(|go| {
        Command::new(go)
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Build the peer into the test target's temporary directory; `None` (after saying so)
/// when there is no Go toolchain and missing peers are allowed.
fn peer() -> Option<PathBuf> {
    let Some(go) = go() else {
        let msg = "ML-DSA interop NOT RUN: no Go toolchain (`go` 1.25+) to build the CIRCL \
                   peer in crates/jwt-core/tests/mldsa_peer";
        if std::env::var_os("JWT_CORE_ALLOW_MISSING_PEERS").is_some() {
            eprintln!("\n    !!! {msg}\n");
            return None;
        }
        panic!("{msg} (set JWT_CORE_ALLOW_MISSING_PEERS=1 to accept)");
    };
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mldsa_peer");
    let bin = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mldsa-peer");
    let out = Command::new(go)
        .args(["build", "-mod=readonly", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(&src)
        // Never fetch another toolchain; modules come from the module proxy per go.sum.
        .env("GOTOOLCHAIN", "local")
        .output()
        .expect("run go build");
    assert!(
        out.status.success(),
        "go build of the CIRCL peer failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(bin)
}

fn ask(peer: &Path, request: &Value) -> Value {
    let mut child = Command::new(peer)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the peer");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "peer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("peer JSON")
}

fn tamper(token: &str) -> String {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let mut raw = b64_decode(sig).unwrap();
    raw[7] ^= 0x40;
    format!("{input}.{}", b64_encode(raw))
}

#[test]
fn circl_and_jwt_core_agree_both_ways() {
    let Some(peer) = peer() else { return };
    let now = jwt_core::now();
    let claims = json!({"sub": "jwt-core", "exp": now + 600});
    let peer_claims = json!({"sub": "circl", "exp": now + 600});
    let mut keys = Vec::new();
    let mut cases = Vec::new();
    for (i, alg) in LEVELS.into_iter().enumerate() {
        let key = SigningKey::generate(alg).unwrap().with_kid("jwt-core");
        let jwk = key.to_private_jwk().unwrap();
        let ours = jwt_core::Signer::new(key.clone())
            .unwrap()
            .sign(&claims)
            .unwrap();
        // A token of another level, relabeled as this one: must not verify.
        let other = SigningKey::generate(LEVELS[(i + 1) % 3]).unwrap();
        let (h, p) = ours.rsplit_once('.').unwrap().0.split_once('.').unwrap();
        let input = format!("{h}.{p}");
        let relabeled = format!(
            "{input}.{}",
            b64_encode(other.sign(input.as_bytes()).unwrap())
        );
        cases.push(json!({
            "alg": alg.as_str(),
            "seed": jwk.str("priv").unwrap(),
            "pub": jwk.str("pub").unwrap(),
            "tokens": [ours, tamper(&ours), relabeled],
            "payload": b64_encode(peer_claims.to_string()),
        }));
        keys.push((alg, key, jwk));
    }
    let answer = ask(&peer, &json!({ "cases": cases }));
    let results = answer["cases"].as_array().expect("cases");
    assert_eq!(results.len(), 3);
    for ((alg, key, jwk), r) in keys.iter().zip(results) {
        assert_eq!(r["alg"], alg.as_str());
        // Same key pair from the same seed (FIPS 204 ML-DSA.KeyGen_internal).
        assert_eq!(
            r["pub"].as_str(),
            jwk.str("pub"),
            "{alg}: public keys differ"
        );
        // They verify ours, and refuse the tampered and relabeled ones.
        assert_eq!(r["verified"], json!([true, false, false]), "{alg}");
        // We verify theirs, as a JWT and as a bare JWS, and refuse it tampered.
        let theirs = r["token"].as_str().unwrap();
        let verifier = Verifier::new(
            key.verifying_key().with_kid("circl"),
            Validation::new().algorithms(&[*alg]),
        )
        .unwrap();
        let data = verifier.verify::<Value>(theirs).unwrap();
        assert_eq!(data.claims, peer_claims);
        assert_eq!(data.header.alg, *alg);
        assert_eq!(
            verifier
                .verify::<Value>(&tamper(theirs))
                .unwrap_err()
                .code(),
            "invalid_signature"
        );
        // Their token does not verify under another key of the same level.
        let stranger = SigningKey::generate(*alg).unwrap();
        let v = Verifier::new(
            stranger.verifying_key().with_kid("circl"),
            Validation::new(),
        )
        .unwrap();
        assert_eq!(
            v.verify::<Value>(theirs).unwrap_err().code(),
            "invalid_signature"
        );
    }
}
