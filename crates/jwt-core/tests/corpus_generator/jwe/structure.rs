//! Malformed structure and headers.

use super::*;

pub(super) fn structure(g: &mut Gen) {
    use Expect::Code;
    let key = sym(Alg::A128KW, 80).with_kid("k");
    let t = || encrypt(&key, Enc::A128GCM, PLAINTEXT);
    type Mutation = Box<dyn Fn(&str) -> String>;
    let cases: Vec<(&str, &str, &str, Mutation)> = vec![
        (
            "jws-not-jwe",
            "three segments: a JWS",
            "malformed_token",
            Box::new(|t: &str| t.splitn(4, '.').take(3).collect::<Vec<_>>().join(".")),
        ),
        (
            "four-segments",
            "a segment removed",
            "malformed_token",
            Box::new(|t: &str| t.replacen('.', "", 1)),
        ),
        (
            "six-segments",
            "a sixth segment",
            "malformed_token",
            Box::new(|t: &str| format!("{t}.AA")),
        ),
        (
            "padded-base64",
            "base64url with padding",
            "malformed_token",
            Box::new(|t: &str| t.replacen('.', "=.", 1)),
        ),
        (
            "standard-base64",
            "'+' in a segment (standard base64, not base64url)",
            "malformed_token",
            Box::new(|t: &str| {
                let p: Vec<&str> = t.split('.').collect();
                format!("{}.{}.{}.+{}.{}", p[0], p[1], p[2], &p[3][1..], p[4])
            }),
        ),
        (
            "empty-header",
            "the protected header segment empty",
            "malformed_token",
            Box::new(|t: &str| format!(".{}", t.split_once('.').unwrap().1)),
        ),
        (
            "header-not-object",
            "the protected header is a JSON array",
            "malformed_token",
            Box::new(|t: &str| format!("{}.{}", b64_encode("[1]"), t.split_once('.').unwrap().1)),
        ),
        (
            "iv-wrong-size",
            "a 5-byte IV for A128GCM",
            "malformed_token",
            Box::new(|t: &str| with_segment(t, 2, |iv| iv.truncate(5))),
        ),
        (
            "duplicate-header-member",
            "the protected header names enc twice",
            "duplicate_member",
            Box::new(|t: &str| {
                format!(
                    "{}.{}",
                    b64_encode(r#"{"alg":"A128KW","enc":"A128GCM","kid":"k","enc":"A256GCM"}"#),
                    t.split_once('.').unwrap().1
                )
            }),
        ),
        (
            "alg-none",
            "alg none",
            "unsupported_algorithm",
            Box::new(|t: &str| with_header(t, |h| h["alg"] = "none".into())),
        ),
        (
            "alg-rsa1-5",
            "RSA1_5 is never offered (Bleichenbacher)",
            "unsupported_algorithm",
            Box::new(|t: &str| with_header(t, |h| h["alg"] = "RSA1_5".into())),
        ),
        (
            "alg-rsa-oaep-384",
            "RSA-OAEP-384 is not offered by any backend (RSA-OAEP and RSA-OAEP-256 need the aws-lc one)",
            "unsupported_algorithm",
            Box::new(|t: &str| with_header(t, |h| h["alg"] = "RSA-OAEP-384".into())),
        ),
        (
            "enc-unknown",
            "enc A128CBC (no HMAC) does not exist",
            "unsupported_encryption",
            Box::new(|t: &str| with_header(t, |h| h["enc"] = "A128CBC".into())),
        ),
        (
            "zip-unknown",
            "zip GZIP is not defined",
            "unsupported_encryption",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.insert("zip".into(), "GZIP".into());
                })
            }),
        ),
        (
            "alg-missing",
            "no alg member",
            "invalid_header",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.remove("alg");
                })
            }),
        ),
        (
            "enc-missing",
            "no enc member",
            "invalid_header",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.remove("enc");
                })
            }),
        ),
        (
            "alg-not-string",
            "alg is a number",
            "invalid_header",
            Box::new(|t: &str| with_header(t, |h| h["alg"] = 1.into())),
        ),
        (
            "crit-undeclared",
            "crit names an extension the caller did not declare",
            "unsupported_critical_header",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.insert("crit".into(), json!(["x-policy"]));
                    h.insert("x-policy".into(), "strict".into());
                })
            }),
        ),
        (
            "crit-registered-name",
            "crit names a registered header (enc), which RFC 7516 forbids",
            "unsupported_critical_header",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.insert("crit".into(), json!(["enc"]));
                })
            }),
        ),
        (
            "kid-unknown",
            "the kid names no key of the caller's",
            "key_not_found",
            Box::new(|t: &str| with_header(t, |h| h["kid"] = "other".into())),
        ),
    ];
    for (id, description, code, f) in cases {
        g.compact(id, description, &key, Code(code), || f(&t()));
    }
    let dk = dir(Enc::A128GCM, 81);
    g.compact(
        "dir-with-encrypted-key",
        "dir requires an empty encrypted key segment",
        &dk,
        Code("malformed_token"),
        || {
            let p: Vec<String> = encrypt(&dk, Enc::A128GCM, PLAINTEXT)
                .split('.')
                .map(str::to_owned)
                .collect();
            format!("{}.AAAA.{}.{}.{}", p[0], p[2], p[3], p[4])
        },
    );
}
