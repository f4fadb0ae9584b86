//! The decrypter's allow-lists and `crit` policy.

use super::*;

pub(super) fn policy(g: &mut Gen) {
    use Expect::Code;
    let k128 = sym(Alg::A128KW, 90);
    let k256 = sym(Alg::A256KW, 91);
    g.case(
        "alg-not-in-options",
        "the options allow only A128KW; the token uses A256KW (a key for it exists)",
        &[jwk_entry(&k128), jwk_entry(&k256)],
        json!({"algorithms": ["A128KW"]}),
        Code("algorithm_not_allowed"),
        || Input::Compact(encrypt(&k256, Enc::A128GCM, PLAINTEXT)),
    );
    g.compact(
        "alg-of-no-key",
        "the token's alg (A128KW) is not the alg of any key (A256KW)",
        &k256,
        Code("algorithm_not_allowed"),
        || encrypt(&k128, Enc::A128GCM, PLAINTEXT),
    );
    g.case(
        "enc-not-in-options",
        "the options allow only A128GCM; the token uses A256GCM",
        &[jwk_entry(&k256)],
        json!({"encryptions": ["A128GCM"]}),
        Code("algorithm_not_allowed"),
        || Input::Compact(encrypt(&k256, Enc::A256GCM, PLAINTEXT)),
    );
    let pw = password(Alg::Pbes2Hs256A128KW);
    g.case(
        "pbes2-not-enabled",
        "a PBES2 token while PBES2 is not enabled (another key keeps the decrypter usable)",
        &[jwk_entry(&k256), jwk_entry(&pw)],
        json!({}),
        Code("algorithm_not_allowed"),
        || Input::Compact(encrypt(&pw, Enc::A128GCM, PLAINTEXT)),
    );
    g.case(
        "pbes2-only-key-not-enabled",
        "a decrypter whose only key is a password, without allow_pbes2: unusable",
        &[jwk_entry(&pw)],
        json!({}),
        Code("invalid_argument"),
        || Input::Compact(encrypt(&pw, Enc::A128GCM, PLAINTEXT)),
    );
    g.case(
        "pbes2-p2c-above-cap",
        "p2c 20000 above the caller's cap of 10000: refused before any derivation",
        &[jwk_entry(&pw)],
        json!({"allow_pbes2": PBES2_CAP}),
        Code("input_too_large"),
        || {
            Input::Compact(with_header(&encrypt(&pw, Enc::A128GCM, PLAINTEXT), |h| {
                h["p2c"] = 20_000.into()
            }))
        },
    );
    g.case(
        "pbes2-p2c-too-low",
        "p2c 1 is below the minimum iteration count",
        &[jwk_entry(&pw)],
        json!({"allow_pbes2": PBES2_CAP}),
        Code("invalid_header"),
        || {
            Input::Compact(with_header(&encrypt(&pw, Enc::A128GCM, PLAINTEXT), |h| {
                h["p2c"] = 1.into()
            }))
        },
    );
    let d128 = dir(Enc::A128GCM, 92);
    let d256 = dir(Enc::A256GCM, 93);
    g.compact(
        "dir-key-other-enc",
        "a dir key bound to A128GCM, the token says A256GCM",
        &d128,
        Code("algorithm_not_allowed"),
        || encrypt(&d256, Enc::A256GCM, PLAINTEXT),
    );
}
