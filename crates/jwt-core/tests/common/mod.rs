//! Helpers shared by the integration tests: hand-crafted tokens (for headers and payloads
//! the public signing API would refuse to produce), a tiny DER writer, curve orders and
//! cached keys. Nothing here re-implements a check of the core: it only builds inputs.
#![allow(dead_code)] // every test binary uses a different subset

use std::sync::OnceLock;

use jwt_core::{Algorithm, SigningKey, b64_encode};

/// The fixed clock of the conformance corpus and of most tests.
pub const NOW: i64 = 1_700_000_000;

/// `base64url(header) . base64url(payload)` signed by `key` over exactly those bytes.
pub fn craft(key: &SigningKey, header: &str, payload: &str) -> String {
    craft_raw(key, &b64_encode(header), &b64_encode(payload))
}

/// Sign already-encoded segments (they may be deliberately malformed).
pub fn craft_raw(key: &SigningKey, header_b64: &str, payload_b64: &str) -> String {
    let input = format!("{header_b64}.{payload_b64}");
    let sig = key.sign(input.as_bytes()).expect("sign");
    format!("{input}.{}", b64_encode(sig))
}

/// The standard header for `alg`, optionally with a `kid`.
pub fn header(alg: Algorithm, kid: Option<&str>) -> String {
    match kid {
        Some(k) => format!(r#"{{"alg":"{alg}","typ":"JWT","kid":"{k}"}}"#),
        None => format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#),
    }
}

/// Split a compact token into its three segments.
pub fn parts(token: &str) -> (&str, &str, &str) {
    let mut it = token.splitn(3, '.');
    (it.next().unwrap(), it.next().unwrap(), it.next().unwrap())
}

/// Replace the signature segment.
pub fn with_sig(token: &str, sig: &[u8]) -> String {
    let (h, p, _) = parts(token);
    format!("{h}.{p}.{}", b64_encode(sig))
}

/// The decoded signature of a compact token.
pub fn sig_of(token: &str) -> Vec<u8> {
    jwt_core::b64_decode(parts(token).2).expect("signature base64url")
}

// ---------------------------------------------------------------------------------------
// DER
// ---------------------------------------------------------------------------------------

/// One DER TLV (definite length).
pub fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend([0x81, n as u8]);
    } else {
        out.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(body);
    out
}

/// A DER INTEGER from unsigned big-endian bytes.
pub fn der_uint(be: &[u8]) -> Vec<u8> {
    let skip = be.iter().take_while(|b| **b == 0).count();
    let mut v = be[skip..].to_vec();
    if v.is_empty() || v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    tlv(0x02, &v)
}

/// ECDSA r||s to the DER `SEQUENCE { r, s }` that JWS forbids.
pub fn ecdsa_to_der(rs: &[u8]) -> Vec<u8> {
    let (r, s) = rs.split_at(rs.len() / 2);
    let mut body = der_uint(r);
    body.extend(der_uint(s));
    tlv(0x30, &body)
}

/// SubjectPublicKeyInfo of an RSA public key with modulus `n` and exponent `e`.
pub fn rsa_spki(n: &[u8], e: &[u8]) -> Vec<u8> {
    // 1.2.840.113549.1.1.1 rsaEncryption, NULL parameters
    let alg_id = tlv(
        0x30,
        &[
            tlv(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
            ),
            vec![0x05, 0x00],
        ]
        .concat(),
    );
    let pkcs1 = tlv(0x30, &[der_uint(n), der_uint(e)].concat());
    let mut bits = vec![0u8];
    bits.extend(pkcs1);
    tlv(0x30, &[alg_id, tlv(0x03, &bits)].concat())
}

/// PEM armour.
pub fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for chunk in b.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap());
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

/// The DER inside a one-block PEM text (armour lines dropped).
pub fn pem_der(text: impl AsRef<[u8]>) -> Vec<u8> {
    use base64::Engine as _;
    let t = std::str::from_utf8(text.as_ref()).expect("PEM is UTF-8");
    let body: String = t.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM body is base64")
}

/// A test file from `tests/keyforms/` (see its README for how they were made).
pub fn keyform(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/keyforms/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A syntactically valid RSA modulus of `bits` bits (not a real key: enough to reach
/// the size policy).
pub fn fake_rsa_modulus(bits: usize) -> Vec<u8> {
    let mut n = vec![0xc5u8; bits / 8];
    n[0] = 0xc0;
    let last = n.len() - 1;
    n[last] |= 1;
    n
}

/// A synthetic 2048-bit RSA modulus carrying the ROCA fingerprint (CVE-2017-15361): it is
/// 1 modulo each of the 38 small primes of the detector, and 1 is in the subgroup
/// generated by 65537. Built as `1 + t * (3 * 5 * ... * 167)` for an even `t` (Python:
/// see the commit that added it). Not a real key.
pub fn roca_modulus() -> Vec<u8> {
    hex::decode(concat!(
        "8000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000006697ebed2c9cb1b810585593f81da320dfab10bdf2e0f1d9e802fcf",
    ))
    .unwrap()
}

// ---------------------------------------------------------------------------------------
// Curve orders (for r = n / s = n "psychic signature" cases)
// ---------------------------------------------------------------------------------------

pub fn curve_order(alg: Algorithm) -> Vec<u8> {
    let hex = match alg {
        Algorithm::ES256 => "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        Algorithm::ES384 => {
            "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"
        }
        Algorithm::ES512 => {
            "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"
        }
        Algorithm::ES256K => "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        other => panic!("{other} is not ECDSA"),
    };
    hex::decode(hex).unwrap()
}

// ---------------------------------------------------------------------------------------
// Keys, generated once per test binary (RSA generation is slow)
// ---------------------------------------------------------------------------------------

/// The algorithms this build can make keys for: [`Algorithm::ALL`] less ML-DSA in ring
/// builds (tests that loop over every algorithm loop over these).
pub fn available() -> Vec<Algorithm> {
    Algorithm::ALL
        .into_iter()
        .filter(|a| a.is_available())
        .collect()
}

/// A signing key per algorithm, generated once per process.
pub fn key(alg: Algorithm) -> &'static SigningKey {
    static KEYS: OnceLock<Vec<SigningKey>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        // One RSA key serves all six RSA algorithms (re-bound through its PKCS#8 form).
        let rsa = SigningKey::generate(Algorithm::RS256).expect("rsa");
        let rsa_pem = rsa.to_pkcs8_pem().expect("pem");
        Algorithm::ALL
            .iter()
            // ML-DSA keys exist only with the aws-lc backend (`Algorithm::is_available`).
            .filter(|a| a.is_available())
            .map(|a| match a.family() {
                jwt_core::KeyFamily::Rsa => {
                    SigningKey::from_pem(*a, rsa_pem.as_bytes()).expect("rsa rebind")
                }
                _ => SigningKey::generate(*a).expect("generate"),
            })
            .collect()
    });
    &keys[available().iter().position(|a| *a == alg).unwrap()]
}

/// A second, independent key per algorithm (the "attacker's" key).
pub fn other_key(alg: Algorithm) -> &'static SigningKey {
    static KEYS: OnceLock<Vec<SigningKey>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let rsa = SigningKey::generate(Algorithm::RS256).expect("rsa");
        let rsa_pem = rsa.to_pkcs8_pem().expect("pem");
        Algorithm::ALL
            .iter()
            // ML-DSA keys exist only with the aws-lc backend (`Algorithm::is_available`).
            .filter(|a| a.is_available())
            .map(|a| match a.family() {
                jwt_core::KeyFamily::Rsa => {
                    SigningKey::from_pem(*a, rsa_pem.as_bytes()).expect("rsa rebind")
                }
                _ => SigningKey::generate(*a).expect("generate"),
            })
            .collect()
    });
    &keys[available().iter().position(|a| *a == alg).unwrap()]
}

/// A JSON array of strings (corpus runners), panicking on any other shape.
pub fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_owned())
        .collect()
}

/// A Wycheproof vector file from the repository's `testdata/wycheproof/` (see its
/// `NOTE.md`). Missing data is a failure, never a skip: a fresh clone has every file.
pub fn wycheproof(name: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/wycheproof")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("Wycheproof vectors: cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("Wycheproof JSON")
}

// ---------------------------------------------------------------------------------------
// The conformance corpus files (written by `tests/corpus_generator/`, run by
// `tests/corpus.rs` and `tests/jwe_corpus.rs`)
// ---------------------------------------------------------------------------------------

/// `tests/corpus/NAME`.
pub fn corpus_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

/// The committed corpus file `tests/corpus/NAME`, parsed; `None` when it is missing.
pub fn corpus_json(name: &str) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(corpus_path(name)).ok()?;
    Some(serde_json::from_str(&text).expect("corpus JSON"))
}

/// RFC 7516 appendix A.1's RSA key (2048 bits, published): the JWE RFC test and the
/// corpus's RSA-OAEP cases.
pub const RFC7516_A1_RSA_JWK: &str = r#"{"kty":"RSA",
      "n":"oahUIoWw0K0usKNuOR6H4wkf4oBUXHTxRvgb48E-BVvxkeDNjbC4he8rUWcJoZmds2h7M70imEVhRU5djINXtqllXI4DFqcI1DgjT9LewND8MW2Krf3Spsk_ZkoFnilakGygTwpZ3uesH-PFABNIUYpOiN15dsQRkgr0vEhxN92i2asbOenSZeyaxziK72UwxrrKoExv6kc5twXTq4h-QChLOln0_mtUZwfsRaMStPs6mS6XrgxnxbWhojf663tuEQueGC-FCMfra36C9knDFGzKsNa7LZK2djYgyD3JR_MB_4NUJW_TqOQtwHYbxevoJArm-L5StowjzGy-_bq6Gw",
      "e":"AQAB",
      "d":"kLdtIj6GbDks_ApCSTYQtelcNttlKiOyPzMrXHeI-yk1F7-kpDxY4-WY5NWV5KntaEeXS1j82E375xxhWMHXyvjYecPT9fpwR_M9gV8n9Hrh2anTpTD93Dt62ypW3yDsJzBnTnrYu1iwWRgBKrEYY46qAZIrA2xAwnm2X7uGR1hghkqDp0Vqj3kbSCz1XyfCs6_LehBwtxHIyh8Ripy40p24moOAbgxVw3rxT_vlt3UVe4WO3JkJOzlpUf-KTVI2Ptgm-dARxTEtE-id-4OJr0h-K-VFs3VSndVTIznSxfyrj8ILL6MG_Uv8YAu7VILSB3lOW085-4qE3DzgrTjgyQ",
      "p":"1r52Xk46c-LsfB5P442p7atdPUrxQSy4mti_tZI3Mgf2EuFVbUoDBvaRQ-SWxkbkmoEzL7JXroSBjSrK3YIQgYdMgyAEPTPjXv_hI2_1eTSPVZfzL0lffNn03IXqWF5MDFuoUYE0hzb2vhrlN_rKrbfDIwUbTrjjgieRbwC6Cl0",
      "q":"wLb35x7hmQWZsWJmB_vle87ihgZ19S8lBEROLIsZG4ayZVe9Hi9gDVCOBmUDdaDYVTSNx_8Fyw1YYa9XGrGnDew00J28cRUoeBB_jKI1oma0Orv1T9aXIWxKwd4gvxFImOWr3QRL9KEBRzk2RatUBnmDZJTIAfwTs0g68UZHvtc",
      "dp":"ZK-YwE7diUh0qR1tR7w8WHtolDx3MZ_OTowiFvgfeQ3SiresXjm9gZ5KLhMXvo-uz-KUJWDxS5pFQ_M0evdo1dKiRTjVw_x4NyqyXPM5nULPkcpU827rnpZzAJKpdhWAgqrXGKAECQH0Xt4taznjnd_zVpAmZZq60WPMBMfKcuE",
      "dq":"Dq0gfgJ1DdFGXiLvQEZnuKEN0UUmsJBxkjydc3j4ZYdBiMRAy86x0vHCjywcMlYYg4yoC4YZa9hNVcsjqA3FeiL19rk8g6Qn29Tt0cj8qqyFpz9vNDBUfCAiJVeESOjJDZPYHdHY8v1b-o-Z2X5tvLx-TCekf7oxyeKDUqKWjis",
      "qi":"VIMpMYbPf47dT1w_zDUXfPimsSegnMOA1zTaX7aGk_8urY6R8-ZW1FxU7AlWAyLWybqq6t16VFd7hQd0y6flUK4SlOydB61gwanOsXGOAOv82cHq0E3eL4HrtZkUuKvnPrMnsUUFlfUdybVzxyjz9JF_XyaY14ardLSjf4L_FNY"}"#;
