//! Every segment tampered with: the tag must catch it.

use super::*;

pub(super) fn tampering(g: &mut Gen) {
    use Expect::Code;
    let key = sym(Alg::A256KW, 70);
    for enc in [Enc::A256GCM, Enc::A128CbcHs256] {
        let e = lower(enc.as_str());
        g.compact(
            &format!("tag-flipped-{e}"),
            "one bit of the authentication tag flipped",
            &key,
            Code("decryption_failed"),
            || with_segment(&encrypt(&key, enc, PLAINTEXT), 4, |t| t[0] ^= 1),
        );
        g.compact(
            &format!("tag-truncated-{e}"),
            "the tag cut short by one byte",
            &key,
            Code("decryption_failed"),
            || {
                with_segment(&encrypt(&key, enc, PLAINTEXT), 4, |t| {
                    t.pop();
                })
            },
        );
        g.compact(
            &format!("tag-empty-{e}"),
            "no tag at all",
            &key,
            Code("decryption_failed"),
            || with_segment(&encrypt(&key, enc, PLAINTEXT), 4, Vec::clear),
        );
        g.compact(
            &format!("ciphertext-flipped-{e}"),
            "one bit of the ciphertext flipped",
            &key,
            Code("decryption_failed"),
            || with_segment(&encrypt(&key, enc, PLAINTEXT), 3, |c| c[0] ^= 1),
        );
        g.compact(
            &format!("iv-flipped-{e}"),
            "one bit of the IV flipped",
            &key,
            Code("decryption_failed"),
            || with_segment(&encrypt(&key, enc, PLAINTEXT), 2, |c| c[0] ^= 1),
        );
        g.compact(
            &format!("header-changed-{e}"),
            "a member added to the protected header, which is the AAD",
            &key,
            Code("decryption_failed"),
            || {
                with_header(&encrypt(&key, enc, PLAINTEXT), |h| {
                    h.insert("x".into(), 1.into());
                })
            },
        );
    }
    g.compact(
        "encrypted-key-flipped",
        "the wrapped key altered: the AES key-wrap integrity check fails",
        &key,
        Code("decryption_failed"),
        || with_segment(&encrypt(&key, Enc::A256GCM, PLAINTEXT), 1, |c| c[5] ^= 1),
    );
    let gcmkw = sym(Alg::A128GCMKW, 71);
    g.compact(
        "gcmkw-tag-changed",
        "A128GCMKW: the key-encryption tag in the header altered",
        &gcmkw,
        Code("decryption_failed"),
        || {
            with_header(&encrypt(&gcmkw, Enc::A128GCM, PLAINTEXT), |h| {
                let mut t = b64_decode(h["tag"].as_str().unwrap()).unwrap();
                t[0] ^= 1;
                h["tag"] = b64_encode(&t).into();
            })
        },
    );
    let other = sym(Alg::A256KW, 72);
    g.compact(
        "wrong-key-a256kw",
        "encrypted to another A256KW key",
        &key,
        Code("decryption_failed"),
        || encrypt(&other, Enc::A256GCM, PLAINTEXT),
    );
    let d1 = dir(Enc::A256GCM, 73);
    let d2 = dir(Enc::A256GCM, 74);
    g.compact(
        "wrong-key-dir",
        "dir: encrypted under another content key",
        &d1,
        Code("decryption_failed"),
        || encrypt(&d2, Enc::A256GCM, PLAINTEXT),
    );
    let e1 = ecdh(Alg::EcdhEsA128KW, EcdhCurve::P256, 75);
    let e2 = ecdh(Alg::EcdhEsA128KW, EcdhCurve::P256, 76);
    g.compact(
        "wrong-key-ecdh",
        "ECDH-ES+A128KW to another P-256 recipient",
        &e1,
        Code("decryption_failed"),
        || encrypt(&e2, Enc::A128GCM, PLAINTEXT),
    );
    let pw = password(Alg::Pbes2Hs256A128KW);
    g.case(
        "pbes2-p2s-changed",
        "PBES2: the salt input altered, so the derived key is wrong",
        &[jwk_entry(&pw)],
        json!({"allow_pbes2": PBES2_CAP}),
        Code("decryption_failed"),
        || {
            Input::Compact(with_header(&encrypt(&pw, Enc::A128GCM, PLAINTEXT), |h| {
                h["p2s"] = b64_encode(b"another salt....").into()
            }))
        },
    );
}
