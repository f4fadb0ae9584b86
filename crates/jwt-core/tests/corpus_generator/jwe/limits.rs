//! Resource limits: sizes, PBES2 iteration counts, compression.

use super::*;

pub(super) fn limits(g: &mut Gen) {
    use Expect::Code;
    let key = sym(Alg::A128KW, 110);
    g.case(
        "token-too-large",
        "a 1 KiB plaintext under a 500-byte token limit, refused before any work",
        &[jwk_entry(&key)],
        json!({"max_token_bytes": 500}),
        Code("input_too_large"),
        || Input::Compact(encrypt(&key, Enc::A128GCM, &[b'a'; 1024])),
    );
    g.case(
        "zip-bomb",
        "100 000 zeros deflate to a small token; inflating past the 10 000-byte cap stops",
        &[jwk_entry(&key)],
        json!({"max_plaintext_bytes": 10_000}),
        Code("input_too_large"),
        || {
            let mut h = JweHeader::new(Alg::A128KW, Enc::A128GCM);
            h.zip = true;
            Input::Compact(encrypt_with(&key, h, &vec![0u8; 100_000]))
        },
    );
    g.case(
        "zip-within-cap",
        "5 000 zeros inflate fine under the default 1 MiB cap",
        &[jwk_entry(&key)],
        json!({}),
        Expect::Plaintext(vec![0u8; 5_000]),
        || {
            let mut h = JweHeader::new(Alg::A128KW, Enc::A128GCM);
            h.zip = true;
            Input::Compact(encrypt_with(&key, h, &vec![0u8; 5_000]))
        },
    );
}
