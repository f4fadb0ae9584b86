//! Key forms users hold: X.509 certificates, EC keys with explicit curve parameters and
//! OpenSSH public keys, each checked by signing with the matching private key and
//! verifying with the imported form. Test keys: `tests/keyforms/README.md`.

mod common;

use common::{keyform as data, pem_der};
use jwt_core::{Algorithm, SigningKey, VerifyingKey};

use Algorithm::*;

/// Sign with `sk`, verify with `vk`, and check a flipped signature fails.
fn round_trip(sk: &SigningKey, vk: &VerifyingKey) {
    let sig = sk.sign(b"message").unwrap();
    vk.verify(b"message", &sig).unwrap();
    assert_eq!(
        vk.verify(b"messagf", &sig).unwrap_err().code(),
        "invalid_signature"
    );
}

#[test]
fn certificates_are_verifying_keys() {
    for (name, alg) in [("rsa", RS256), ("p256", ES256), ("ed25519", EdDSA)] {
        let sk = SigningKey::from_pem(alg, data(&format!("{name}.key"))).unwrap();
        let pem = VerifyingKey::from_pem(alg, data(&format!("cert-{name}.pem"))).unwrap();
        let der = VerifyingKey::from_der(alg, &data(&format!("cert-{name}.der"))).unwrap();
        round_trip(&sk, &pem);
        round_trip(&sk, &der);
        // the same key as the SPKI PEM
        let spki = VerifyingKey::from_pem(alg, data(&format!("{name}.pub.pem"))).unwrap();
        assert_eq!(pem.thumbprint().unwrap(), spki.thumbprint().unwrap());
        // a certificate cannot sign
        assert_eq!(
            SigningKey::from_pem(alg, data(&format!("cert-{name}.pem")))
                .unwrap_err()
                .code(),
            "invalid_key"
        );
    }
    // the key in the certificate is bound to its family
    assert_eq!(
        VerifyingKey::from_pem(ES256, data("cert-rsa.pem"))
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
    // a certificate with a byte missing is an error, not a panic
    let der = data("cert-rsa.der");
    for cut in [1, 10, der.len() / 2, der.len() - 1] {
        assert!(VerifyingKey::from_der(RS256, &der[..cut]).is_err());
    }
}

#[test]
fn validity_dates_are_not_a_key_check() {
    // The committed certificates were valid for one day when they were made and have
    // long expired; they are key containers, so they still load.
    let cert = data("cert-p256.pem");
    assert!(VerifyingKey::from_pem(ES256, cert).is_ok());
}

#[test]
fn explicit_parameters_of_a_named_curve_are_that_curve() {
    for (name, alg) in [
        ("prime256v1", ES256),
        ("secp384r1", ES384),
        ("secp521r1", ES512),
        ("secp256k1", ES256K),
    ] {
        let sec1 = SigningKey::from_pem(alg, data(&format!("explicit-{name}-sec1.pem"))).unwrap();
        let pkcs8 = SigningKey::from_pem(alg, data(&format!("explicit-{name}-pkcs8.pem"))).unwrap();
        let spki = VerifyingKey::from_pem(alg, data(&format!("explicit-{name}-spki.pem"))).unwrap();
        round_trip(&sec1, &spki);
        round_trip(&pkcs8, &spki);
        round_trip(&sec1, &sec1.verifying_key());
        // exported in the named form
        assert_eq!(
            sec1.verifying_key().to_pem().unwrap(),
            spki.to_pem().unwrap()
        );
        // and bound to that curve
        let other = if alg == ES256 { ES384 } else { ES256 };
        assert_eq!(
            VerifyingKey::from_pem(other, data(&format!("explicit-{name}-spki.pem")))
                .unwrap_err()
                .code(),
            "key_algorithm_mismatch",
            "{name}"
        );
    }
}

#[test]
fn other_explicit_curves_are_refused() {
    // a real curve, spelt explicitly, that is not supported
    for file in [
        "explicit-brainpoolP256r1-spki.pem",
        "explicit-brainpoolP256r1-sec1.pem",
    ] {
        assert_eq!(
            VerifyingKey::from_pem(ES256, data(file))
                .unwrap_err()
                .code(),
            "invalid_key",
            "{file}"
        );
    }
    // CurveBall: P-256's parameters with a different generator (here the public point
    // itself, the attacker's choice in CVE-2020-0601)
    let der = pem_der(data("explicit-prime256v1-spki.pem"));
    let g = hex(
        "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    );
    let at = der
        .windows(g.len())
        .position(|w| w == g.as_slice())
        .expect("the P-256 generator is in the explicit parameters");
    let point = der[der.len() - 65..].to_vec();
    let mut forged = der.clone();
    forged[at..at + 65].copy_from_slice(&point);
    assert_eq!(
        VerifyingKey::from_der(ES256, &forged).unwrap_err().code(),
        "invalid_key"
    );
    // the untouched DER loads
    assert!(VerifyingKey::from_der(ES256, &der).is_ok());
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

#[test]
fn openssh_public_keys_are_verifying_keys() {
    for (name, alg) in [
        ("rsa", RS256),
        ("rsa", PS384),
        ("p256", ES256),
        ("p384", ES384),
        ("p521", ES512),
        ("ed25519", EdDSA),
    ] {
        let sk = SigningKey::from_pem(alg, data(&format!("{name}.key"))).unwrap();
        let line = data(&format!("{name}.openssh.pub"));
        let vk = VerifyingKey::from_openssh(alg, &line).unwrap();
        round_trip(&sk, &vk);
        // from_pem takes the line too (PyJWT's load_ssh_public_key path)
        round_trip(&sk, &VerifyingKey::from_pem(alg, &line).unwrap());
        assert_eq!(
            vk.thumbprint().unwrap(),
            sk.verifying_key().thumbprint().unwrap()
        );
    }
    // family and curve are enforced
    assert_eq!(
        VerifyingKey::from_openssh(ES384, data("p256.openssh.pub"))
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
    assert_eq!(
        VerifyingKey::from_openssh(HS256, data("p256.openssh.pub"))
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
}

#[test]
fn malformed_openssh_lines_are_typed_errors() {
    let line = String::from_utf8(data("ed25519.openssh.pub")).unwrap();
    let b64 = line.split(' ').nth(1).unwrap().to_owned();
    let cases = [
        String::new(),
        "ssh-ed25519".into(),
        format!("ssh-rsa {b64}"), // type differs from the blob's
        format!("ssh-ed25519 {}", &b64[..b64.len() - 8]), // truncated blob
        format!("ssh-ed25519 {b64}AAAA"), // trailing data
        format!("ssh-dss {b64}"),
        "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAAAhAw==".into(),
    ];
    for c in cases {
        let err = VerifyingKey::from_openssh(EdDSA, &c).unwrap_err();
        assert!(
            matches!(err.code(), "invalid_key" | "key_algorithm_mismatch"),
            "{c}: {err}"
        );
    }
}
