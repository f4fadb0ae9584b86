//! Parsing attacks: segments, base64url, JSON shapes and sizes.

use super::*;

pub(super) fn parsing_attacks(g: &mut Gen) {
    use Algorithm::*;
    let good = g.token("hs256", HS256, None, &base_claims());
    let (h, p, s) = common::parts(&good);
    let (h, p, s) = (h.to_owned(), p.to_owned(), s.to_owned());
    let keys = vec![g.hmac("hs256", HS256)];
    let mut bad = |id: &str, desc: &str, token: String, code: &str| {
        g.push(id, desc, keys.clone(), &token, base_validation(), err(code));
    };
    bad(
        "parse-two-segments",
        "two segments",
        format!("{h}.{p}"),
        "malformed_token",
    );
    bad(
        "parse-four-segments",
        "four segments",
        format!("{h}.{p}.{s}.{s}"),
        "malformed_token",
    );
    bad(
        "parse-five-segments-jwe",
        "five segments (JWE) to a JWS verifier",
        format!("{h}.{p}.{s}.{s}.{s}"),
        "malformed_token",
    );
    bad(
        "parse-empty",
        "an empty token",
        String::new(),
        "malformed_token",
    );
    bad(
        "parse-dots-only",
        "two dots and nothing else",
        "..".into(),
        "malformed_token",
    );
    bad(
        "parse-padding-sig",
        "base64 padding on the signature",
        format!("{h}.{p}.{s}="),
        "malformed_token",
    );
    bad(
        "parse-padding-header",
        "base64 padding on the header",
        format!("{h}=.{p}.{s}"),
        "malformed_token",
    );
    bad(
        "parse-plus",
        "standard-alphabet + in the signature",
        format!("{h}.{p}.+{}", &s[1..]),
        "malformed_token",
    );
    bad(
        "parse-slash",
        "standard-alphabet / in the payload",
        format!("{h}./{}.{s}", &p[1..]),
        "malformed_token",
    );
    bad(
        "parse-whitespace",
        "whitespace inside the payload segment",
        format!("{h}.{} {}.{s}", &p[..10], &p[10..]),
        "malformed_token",
    );
    bad(
        "parse-newline",
        "a trailing newline",
        format!("{good}\n"),
        "malformed_token",
    );
    // Non-canonical trailing bits: change the last character so the unused low bits are set.
    // The 32-byte HS256 signature is 43 chars; the last char carries 4 unused bits.
    let mut nc = s.clone();
    let last = nc.pop().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let idx = alphabet.find(last).unwrap();
    let flipped = alphabet.as_bytes()[idx ^ 1] as char;
    nc.push(flipped);
    bad(
        "parse-noncanonical-bits",
        "non-canonical trailing bits in the signature (malleability)",
        format!("{h}.{p}.{nc}"),
        "malformed_token",
    );
    bad(
        "parse-header-not-base64",
        "the header is not base64url",
        format!("!!.{p}.{s}"),
        "malformed_token",
    );
    bad(
        "parse-header-not-json",
        "the header is not JSON",
        format!("{}.{p}.{s}", b64_encode("alg=HS256")),
        "malformed_token",
    );
    bad(
        "parse-header-invalid-utf8",
        "the header is not UTF-8",
        format!(
            "{}.{p}.{s}",
            b64_encode(b"{\"alg\":\"HS256\",\"x\":\"\xc3\x28\"}")
        ),
        "malformed_token",
    );
    // Signature and payload tampering.
    let mut sig = sig_of(&good);
    sig[0] ^= 1;
    bad(
        "sig-flipped-bit",
        "one bit of the signature flipped",
        with_sig(&good, &sig),
        "invalid_signature",
    );
    bad(
        "sig-empty",
        "an empty signature",
        format!("{h}.{p}."),
        "invalid_signature",
    );
    bad(
        "sig-truncated",
        "a truncated HMAC tag",
        with_sig(&good, &sig_of(&good)[..16]),
        "invalid_signature",
    );
    let mut c = base_claims();
    c["role"] = "admin".into();
    bad(
        "payload-swapped",
        "the payload replaced, the signature kept",
        format!("{h}.{}.{s}", b64_encode(c.to_string())),
        "invalid_signature",
    );
}
