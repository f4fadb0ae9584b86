//! One valid token per key algorithm and content encryption.

use super::*;

pub(super) fn valid(g: &mut Gen) {
    for (i, enc) in Enc::ALL.into_iter().enumerate() {
        let key = dir(enc, 10 + i as u8);
        g.compact(
            &format!("dir-{}", lower(enc.as_str())),
            &format!("dir with {enc}: the shared key is the content key"),
            &key,
            ok(),
            || encrypt(&key, enc, PLAINTEXT),
        );
    }
    for (i, (alg, enc)) in [
        (Alg::A128KW, Enc::A128CbcHs256),
        (Alg::A192KW, Enc::A192GCM),
        (Alg::A256KW, Enc::A256GCM),
        (Alg::A256KW, Enc::A256CbcHs512),
        (Alg::A128GCMKW, Enc::A128GCM),
        (Alg::A192GCMKW, Enc::A192CbcHs384),
        (Alg::A256GCMKW, Enc::A256GCM),
    ]
    .into_iter()
    .enumerate()
    {
        let key = sym(alg, 20 + i as u8);
        g.compact(
            &format!("{}-{}", lower(alg.as_str()), lower(enc.as_str())),
            &format!("{alg} key wrap with {enc}"),
            &key,
            ok(),
            || encrypt(&key, enc, PLAINTEXT),
        );
    }
    for (i, (alg, curve, enc)) in [
        (Alg::EcdhEs, EcdhCurve::P256, Enc::A128GCM),
        (Alg::EcdhEs, EcdhCurve::P384, Enc::A256GCM),
        (Alg::EcdhEs, EcdhCurve::P521, Enc::A256CbcHs512),
        (Alg::EcdhEs, EcdhCurve::X25519, Enc::A256GCM),
        (Alg::EcdhEsA128KW, EcdhCurve::P256, Enc::A128GCM),
        (Alg::EcdhEsA192KW, EcdhCurve::P384, Enc::A192CbcHs384),
        (Alg::EcdhEsA256KW, EcdhCurve::P521, Enc::A256GCM),
        (Alg::EcdhEsA256KW, EcdhCurve::X25519, Enc::A256CbcHs512),
    ]
    .into_iter()
    .enumerate()
    {
        let key = ecdh(alg, curve, 40 + i as u8);
        g.compact(
            &format!(
                "{}-{}-{}",
                lower(alg.as_str()),
                lower(curve.jwk_name()),
                lower(enc.as_str())
            ),
            &format!("{alg} on {} with {enc}", curve.jwk_name()),
            &key,
            ok(),
            || encrypt(&key, enc, PLAINTEXT),
        );
    }
    for (alg, enc) in [
        (Alg::Pbes2Hs256A128KW, Enc::A128CbcHs256),
        (Alg::Pbes2Hs384A192KW, Enc::A192GCM),
        (Alg::Pbes2Hs512A256KW, Enc::A256GCM),
    ] {
        let key = password(alg);
        g.case(
            &format!("{}-{}", lower(alg.as_str()), lower(enc.as_str())),
            &format!("{alg} with p2c {PBES2_ITERATIONS}, enabled with a p2c cap"),
            &[jwk_entry(&key)],
            json!({"allow_pbes2": PBES2_CAP}),
            ok(),
            || Input::Compact(encrypt(&key, enc, PLAINTEXT)),
        );
    }
    let key = sym(Alg::A256KW, 60);
    let text = b"compress me ".repeat(100);
    g.compact(
        "zip-def",
        "zip: DEF, inflated after decryption",
        &key,
        Expect::Plaintext(text.clone()),
        || {
            let mut h = JweHeader::new(Alg::A256KW, Enc::A256GCM);
            h.zip = true;
            encrypt_with(&key, h, &text)
        },
    );
    let k1 = sym(Alg::A128KW, 61).with_kid("k1");
    let k2 = sym(Alg::A128KW, 62).with_kid("k2");
    g.case(
        "kid-selects-key",
        "two A128KW keys; the header's kid picks the second",
        &[jwk_entry(&k1), jwk_entry(&k2)],
        json!({}),
        ok(),
        || Input::Compact(encrypt(&k2, Enc::A128GCM, PLAINTEXT)),
    );
    let key = sym(Alg::A256KW, 63);
    g.compact(
        "cty-and-typ-kept",
        "cty and typ come back in the header",
        &key,
        ok(),
        || {
            let mut h = JweHeader::new(Alg::A256KW, Enc::A128GCM);
            h.cty = Some("text/plain".into());
            h.typ = Some("JOSE".into());
            encrypt_with(&key, h, PLAINTEXT)
        },
    );
    let key = sym(Alg::A128KW, 64);
    g.case(
        "crit-declared",
        "crit names an extension the caller declared understood",
        &[jwk_entry(&key)],
        json!({"critical": ["x-policy"]}),
        ok(),
        || {
            let mut h = JweHeader::new(Alg::A128KW, Enc::A128GCM);
            h.crit = Some(vec!["x-policy".into()]);
            h.extra.insert("x-policy".into(), "strict".into());
            Input::Compact(encrypt_with(&key, h, PLAINTEXT))
        },
    );
    let key = sym(Alg::A128KW, 65);
    g.compact(
        "empty-plaintext",
        "an empty plaintext round-trips",
        &key,
        Expect::Plaintext(Vec::new()),
        || encrypt(&key, Enc::A128CbcHs256, b""),
    );
}
