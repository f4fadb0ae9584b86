//! Published JWE examples: RFC 7516 appendix A and RFC 7520 section 5.
//!
//! RFC 7516 A.2 (RSA1_5) must be rejected as unsupported (never offered), and so must
//! A.1 (RSA-OAEP) with the ring backend; with the `aws-lc` backend A.1 decrypts. A.3 (A128KW + A128CBC-HS256) and the JSON
//! serializations A.4/A.5 (whose A128KW recipient is the A.3 key) must decrypt. RFC 7520
//! 5.3-5.9 use algorithms this crate offers and must decrypt byte for byte; 5.1/5.2
//! (RSA) are rejected like A.1/A.2.

mod common;

use jwt_core::Jwk;
use jwt_core::jwe::{DecryptOptions, Decrypter, DecryptionKey, KeyAlgorithm};

const A3_KEY: &str = r#"{"kty":"oct","k":"GawgguFyGrWKav7AX4VKUg"}"#;
const A3_TOKEN: &str = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ.AxY8DCtDaGlsbGljb3RoZQ.KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.U0m_YmjN04DJvceFICbCVQ";

fn a3_decrypter() -> Decrypter {
    let key = DecryptionKey::from_jwk(&Jwk::from_json(A3_KEY).unwrap(), Some(KeyAlgorithm::A128KW))
        .unwrap();
    Decrypter::new([key.with_kid("7")], DecryptOptions::new()).unwrap()
}

/// RFC 7516 A.3: A128KW + A128CBC-HS256, compact.
#[test]
fn rfc7516_a3_decrypts() {
    let out = a3_decrypter().decrypt(A3_TOKEN).unwrap();
    assert_eq!(out.plaintext, b"Live long and prosper.");
    assert_eq!(out.header.alg, KeyAlgorithm::A128KW);
}

/// RFC 7516 A.3 with each segment tampered: every change is `decryption_failed` (or a
/// structural error), never a panic or a wrong plaintext.
#[test]
fn rfc7516_a3_tampering_is_detected() {
    let d = a3_decrypter();
    let parts: Vec<&str> = A3_TOKEN.split('.').collect();
    for i in 1..5 {
        let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
        let mut bytes = jwt_core::b64_decode(&p[i]).unwrap();
        bytes[0] ^= 1;
        p[i] = jwt_core::b64_encode(&bytes);
        let e = d.decrypt(&p.join(".")).unwrap_err();
        assert_eq!(e.code(), "decryption_failed", "segment {i}");
    }
    // A truncated tag.
    let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
    p[4] = jwt_core::b64_encode(&jwt_core::b64_decode(&p[4]).unwrap()[..12]);
    assert_eq!(
        d.decrypt(&p.join(".")).unwrap_err().code(),
        "decryption_failed"
    );
}

/// RFC 7516 A.1 (`{"alg":"RSA-OAEP","enc":"A256GCM"}`) and A.2
/// (`{"alg":"RSA1_5","enc":"A128CBC-HS256"}`): the protected headers of the RFC, with
/// the A.3 segments after them; rejection happens on the header.
#[cfg(not(feature = "aws-lc"))]
#[test]
fn rfc7516_a1_a2_rsa_rejected_as_unsupported() {
    let rest = A3_TOKEN.split_once('.').unwrap().1;
    for header in ["eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ", A2_HEADER] {
        let e = a3_decrypter()
            .decrypt(&format!("{header}.{rest}"))
            .unwrap_err();
        assert_eq!(e.code(), "unsupported_algorithm", "{e}");
    }
    // An RSA key cannot even be imported for JWE.
    let rsa = Jwk::from_json(r#"{"kty":"RSA","alg":"RSA-OAEP","n":"AQAB","e":"AQAB"}"#).unwrap();
    assert_eq!(
        DecryptionKey::from_jwk(&rsa, None).unwrap_err().code(),
        "unsupported_algorithm"
    );
}

const A2_HEADER: &str = "eyJhbGciOiJSU0ExXzUiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0";

/// RFC 7516 A.2 (RSA1_5) stays unsupported with every backend.
#[test]
fn rfc7516_a2_rsa1_5_rejected_as_unsupported() {
    let rest = A3_TOKEN.split_once('.').unwrap().1;
    let e = a3_decrypter()
        .decrypt(&format!("{A2_HEADER}.{rest}"))
        .unwrap_err();
    assert_eq!(e.code(), "unsupported_algorithm", "{e}");
    let rsa = Jwk::from_json(r#"{"kty":"RSA","alg":"RSA1_5","n":"AQAB","e":"AQAB"}"#).unwrap();
    assert_eq!(
        DecryptionKey::from_jwk(&rsa, None).unwrap_err().code(),
        "unsupported_algorithm"
    );
}

/// RFC 7516 A.1: RSA-OAEP + A256GCM, the RFC's key and token (aws-lc backend).
#[cfg(feature = "aws-lc")]
#[test]
fn rfc7516_a1_rsa_oaep_decrypts() {
    let jwk = common::RFC7516_A1_RSA_JWK;
    let token = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaVmqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je81860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi6UklfCpIMfIjf7iGdXKHzg.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZodetZdvTiFvSkQ";
    let jwk = Jwk::from_json(jwk).unwrap();
    let key = DecryptionKey::from_jwk(&jwk, Some(KeyAlgorithm::RsaOaep)).unwrap();
    let d = Decrypter::new([key], DecryptOptions::new()).unwrap();
    let out = d.decrypt(token).unwrap();
    assert_eq!(
        out.plaintext,
        b"The true sign of intelligence is not knowledge but imagination."
    );
    assert_eq!(out.header.alg, KeyAlgorithm::RsaOaep);
    // A flipped bit in the encrypted key: a random CEK, so the tag fails.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut ek = jwt_core::b64_decode(&parts[1]).unwrap();
    ek[10] ^= 1;
    parts[1] = jwt_core::b64_encode(&ek);
    assert_eq!(
        d.decrypt(&parts.join(".")).unwrap_err().code(),
        "decryption_failed"
    );
}

const A4_RSA1_5_KEY: &str = "UGhIOguC7IuEvf_NPVaXsGMoLOmwvc1GyqlIKOK1nN94nHPoltGRhWhw7Zx0-kFm1NJn8LE9XShH59_i8J0PH5ZZyNfGy2xGdULU7sHNF6Gp2vPLgNZ__deLKxGHZ7PcHALUzoOegEI-8E66jX2E4zyJKx-YxzZIItRzC5hlRirb6Y5Cl_p-ko3YvkkysZIFNPccxRU7qve1WYPxqbb2Yw8kZqa2rMWI5ng8OtvzlV7elprCbuPhcCdZ6XDP0_F8rkXds2vE4X-ncOIM8hAYHHi29NX0mcKiRaD0-D-ljQTP-cFPgwCp6X-nZZd9OHBv-B3oWh2TbqmScqXMR4gp_A";

/// RFC 7516 A.4: general JSON with an RSA1_5 recipient (skipped: unsupported) and an
/// A128KW recipient (decrypts). The shared unprotected `jku` is kept as data, never
/// followed.
#[test]
fn rfc7516_a4_general_json() {
    let doc = format!(
        r#"{{"protected":"eyJlbmMiOiJBMTI4Q0JDLUhTMjU2In0",
        "unprotected":{{"jku":"https://server.example.com/keys.jwks"}},
        "recipients":[
          {{"header":{{"alg":"RSA1_5","kid":"2011-04-29"}},"encrypted_key":"{A4_RSA1_5_KEY}"}},
          {{"header":{{"alg":"A128KW","kid":"7"}},"encrypted_key":"6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ"}}],
        "iv":"AxY8DCtDaGlsbGljb3RoZQ",
        "ciphertext":"KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY",
        "tag":"Mz-VPPyU4RlcuYv1IwIvzw"}}"#
    );
    let out = a3_decrypter().decrypt_json(&doc).unwrap();
    assert_eq!(out.plaintext, b"Live long and prosper.");
    assert_eq!(out.header.kid.as_deref(), Some("7"));
    assert_eq!(
        out.header.extra["jku"],
        "https://server.example.com/keys.jwks"
    );
}

/// RFC 7516 A.5: the flattened form of A.4's A128KW recipient.
#[test]
fn rfc7516_a5_flattened_json() {
    let doc = r#"{"protected":"eyJlbmMiOiJBMTI4Q0JDLUhTMjU2In0",
        "unprotected":{"jku":"https://server.example.com/keys.jwks"},
        "header":{"alg":"A128KW","kid":"7"},
        "encrypted_key":"6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ",
        "iv":"AxY8DCtDaGlsbGljb3RoZQ",
        "ciphertext":"KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY",
        "tag":"Mz-VPPyU4RlcuYv1IwIvzw"}"#;
    let out = a3_decrypter().decrypt_json(doc).unwrap();
    assert_eq!(out.plaintext, b"Live long and prosper.");
    // The same document with `alg` moved into two headers is rejected (disjointness).
    let dup = doc.replace(r#""jku":"#, r#""alg":"A128KW","jku":"#);
    assert_eq!(
        a3_decrypter().decrypt_json(&dup).unwrap_err().code(),
        "invalid_header"
    );
}

const RFC7520_PLAINTEXT: &str = "You can trust us to stick with you through thick and thin\u{2013}to the bitter end. And you can trust us to keep any secret of yours\u{2013}closer than you keep it yourself. But you cannot trust us to let you face trouble alone, and go off without a word. We are your friends, Frodo.";

fn check_rfc7520(jwk: &str, token: &str) {
    let jwk = Jwk::from_json(jwk).unwrap();
    let key = DecryptionKey::from_jwk(&jwk, None).unwrap();
    let d = Decrypter::new([key], DecryptOptions::new()).unwrap();
    let out = d.decrypt(token).unwrap();
    assert_eq!(
        std::str::from_utf8(&out.plaintext).unwrap(),
        RFC7520_PLAINTEXT
    );
    assert_eq!(out.header.kid.as_deref(), jwk.kid());
}

/// RFC 7520 5.3: PBES2-HS512+A256KW + A128CBC-HS256, p2c 8192. Refused unless PBES2 is
/// enabled, refused when `p2c` exceeds the cap, decrypts when allowed.
#[test]
fn rfc7520_5_3_pbes2() {
    let token = "eyJhbGciOiJQQkVTMi1IUzUxMitBMjU2S1ciLCJwMnMiOiI4UTFTemluYXNSM3hjaFl6NlpaY0hBIiwicDJjIjo4MTkyLCJjdHkiOiJqd2stc2V0K2pzb24iLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.d3qNhUWfqheyPp4H8sjOWsDYajoej4c5Je6rlUtFPWdgtURtmeDV1g.VBiCzVHNoLiR3F4V82uoTQ.23i-Tb1AV4n0WKVSSgcQrdg6GRqsUKxjruHXYsTHAJLZ2nsnGIX86vMXqIi6IRsfywCRFzLxEcZBRnTvG3nhzPk0GDD7FMyXhUHpDjEYCNA_XOmzg8yZR9oyjo6lTF6si4q9FZ2EhzgFQCLO_6h5EVg3vR75_hkBsnuoqoM3dwejXBtIodN84PeqMb6asmas_dpSsz7H10fC5ni9xIz424givB1YLldF6exVmL93R3fOoOJbmk2GBQZL_SEGllv2cQsBgeprARsaQ7Bq99tT80coH8ItBjgV08AtzXFFsx9qKvC982KLKdPQMTlVJKkqtV4Ru5LEVpBZXBnZrtViSOgyg6AiuwaS-rCrcD_ePOGSuxvgtrokAKYPqmXUeRdjFJwafkYEkiuDCV9vWGAi1DH2xTafhJwcmywIyzi4BqRpmdn_N-zl5tuJYyuvKhjKv6ihbsV_k1hJGPGAxJ6wUpmwC4PTQ2izEm0TuSE8oMKdTw8V3kobXZ77ulMwDs4p.0HlwodAhOCILG5SQ2LQ9dg";
    let pw = "entrap_o\u{2013}peter_long\u{2013}credit_tun";
    let key = DecryptionKey::password(KeyAlgorithm::Pbes2Hs512A256KW, pw.as_bytes()).unwrap();
    // Off by default: a decrypter with only a PBES2 key cannot even be built.
    let e = Decrypter::new([key.clone()], DecryptOptions::new()).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    // Enabled, but the cap is below the token's p2c: refused before deriving anything.
    let low = Decrypter::new([key.clone()], DecryptOptions::new().allow_pbes2(8191)).unwrap();
    assert_eq!(low.decrypt(token).unwrap_err().code(), "input_too_large");
    let ok = Decrypter::new([key], DecryptOptions::new().allow_pbes2(10_000)).unwrap();
    let out = ok.decrypt(token).unwrap();
    assert_eq!(out.header.cty.as_deref(), Some("jwk-set+json"));
    let set = jwt_core::JwkSet::from_json(&out.plaintext).unwrap();
    assert_eq!(set.keys.len(), 3);
    assert_eq!(
        set.keys[1].kid(),
        Some("81b20965-8332-43d9-a468-82160ad91ac8")
    );
}

/// RFC 7520 5.4 ECDH-ES+A128KW (P-384) + A128GCM.
#[test]
fn rfc7520_5_4_ecdh_es_a128kw_p384() {
    let jwk = r#"{"kty":"EC","alg":"ECDH-ES+A128KW","kid":"peregrin.took@tuckborough.example","use":"enc","crv":"P-384","x":"YU4rRUzdmVqmRtWOs2OpDE_T5fsNIodcG8G5FWPrTPMyxpzsSOGaQLpe2FpxBmu2","y":"A8-yxCHxkfBz3hKZfI1jUYMjUhsEveZ9THuwFjH2sCNdtksRJU7D5-SkgaFL1ETP","d":"iTx2pk7wW-GqJkHcEkFQb2EFyYcO7RugmaW3mRrQVAOUiPommT0IdnYK2xDlZh-j"}"#;
    let token = "eyJhbGciOiJFQ0RILUVTK0ExMjhLVyIsImtpZCI6InBlcmVncmluLnRvb2tAdHVja2Jvcm91Z2guZXhhbXBsZSIsImVwayI6eyJrdHkiOiJFQyIsImNydiI6IlAtMzg0IiwieCI6InVCbzRrSFB3Nmtiang1bDB4b3dyZF9vWXpCbWF6LUdLRlp1NHhBRkZrYllpV2d1dEVLNml1RURzUTZ3TmROZzMiLCJ5Ijoic3AzcDVTR2haVkMyZmFYdW1JLWU5SlUyTW84S3BvWXJGRHI1eVBOVnRXNFBnRXdaT3lRVEEtSmRhWTh0YjdFMCJ9LCJlbmMiOiJBMTI4R0NNIn0.0DJjBXri_kBcC46IkU5_Jk9BqaQeHdv2.mH-G2zVqgztUtnW_.tkZuOO9h95OgHJmkkrfLBisku8rGf6nzVxhRM3sVOhXgz5NJ76oID7lpnAi_cPWJRCjSpAaUZ5dOR3Spy7QuEkmKx8-3RCMhSYMzsXaEwDdXta9Mn5B7cCBoJKB0IgEnj_qfo1hIi-uEkUpOZ8aLTZGHfpl05jMwbKkTe2yK3mjF6SBAsgicQDVCkcY9BLluzx1RmC3ORXaM0JaHPB93YcdSDGgpgBWMVrNU1ErkjcMqMoT_wtCex3w03XdLkjXIuEr2hWgeP-nkUZTPU9EoGSPj6fAS-bSz87RCPrxZdj_iVyC6QWcqAu07WNhjzJEPc4jVntRJ6K53NgPQ5p99l3Z408OUqj4ioYezbS6vTPlQ.WuGzxmcreYjpHGJoa17EBg";
    check_rfc7520(jwk, token);
}

/// RFC 7520 5.5 ECDH-ES (P-256) + A128CBC-HS256.
#[test]
fn rfc7520_5_5_ecdh_es_p256() {
    let jwk = r#"{"kty":"EC","alg":"ECDH-ES","kid":"meriadoc.brandybuck@buckland.example","use":"enc","crv":"P-256","x":"Ze2loSV3wrroKUN_4zhwGhCqo3Xhu1td4QjeQ5wIVR0","y":"HlLtdXARY_f55A3fnzQbPcm6hgr34Mp8p-nuzQCE0Zw","d":"r_kHyZ-a06rmxM3yESK84r1otSg-aQcVStkRhA-iCM8"}"#;
    let token = "eyJhbGciOiJFQ0RILUVTIiwia2lkIjoibWVyaWFkb2MuYnJhbmR5YnVja0BidWNrbGFuZC5leGFtcGxlIiwiZXBrIjp7Imt0eSI6IkVDIiwiY3J2IjoiUC0yNTYiLCJ4IjoibVBVS1RfYkFXR0hJaGcwVHBqanFWc1AxclhXUXVfdndWT0hIdE5rZFlvQSIsInkiOiI4QlFBc0ltR2VBUzQ2ZnlXdzVNaFlmR1RUMElqQnBGdzJTUzM0RHY0SXJzIn0sImVuYyI6IkExMjhDQkMtSFMyNTYifQ..yc9N8v5sYyv3iGQT926IUg.BoDlwPnTypYq-ivjmQvAYJLb5Q6l-F3LIgQomlz87yW4OPKbWE1zSTEFjDfhU9IPIOSA9Bml4m7iDFwA-1ZXvHteLDtw4R1XRGMEsDIqAYtskTTmzmzNa-_q4F_evAPUmwlO-ZG45Mnq4uhM1fm_D9rBtWolqZSF3xGNNkpOMQKF1Cl8i8wjzRli7-IXgyirlKQsbhhqRzkv8IcY6aHl24j03C-AR2le1r7URUhArM79BY8soZU0lzwI-sD5PZ3l4NDCCei9XkoIAfsXJWmySPoeRb2Ni5UZL4mYpvKDiwmyzGd65KqVw7MsFfI_K767G9C9Azp73gKZD0DyUn1mn0WW5LmyX_yJ-3AROq8p1WZBfG-ZyJ6195_JGG2m9Csg.WCCkNa-x4BeB9hIDIfFuhg";
    check_rfc7520(jwk, token);
}

/// RFC 7520 5.6 dir + A128GCM.
#[test]
fn rfc7520_5_6_dir_a128gcm() {
    let jwk = r#"{"kty":"oct","kid":"77c7e2b8-6e13-45cf-8672-617b5b45243a","use":"enc","alg":"A128GCM","k":"XctOhJAkA-pD9Lh7ZgW_2A"}"#;
    let token = "eyJhbGciOiJkaXIiLCJraWQiOiI3N2M3ZTJiOC02ZTEzLTQ1Y2YtODY3Mi02MTdiNWI0NTI0M2EiLCJlbmMiOiJBMTI4R0NNIn0..refa467QzzKx6QAB.JW_i_f52hww_ELQPGaYyeAB6HYGcR559l9TYnSovc23XJoBcW29rHP8yZOZG7YhLpT1bjFuvZPjQS-m0IFtVcXkZXdH_lr_FrdYt9HRUYkshtrMmIUAyGmUnd9zMDB2n0cRDIHAzFVeJUDxkUwVAE7_YGRPdcqMyiBoCO-FBdE-Nceb4h3-FtBP-c_BIwCPTjb9o0SbdcdREEMJMyZBH8ySWMVi1gPD9yxi-aQpGbSv_F9N4IZAxscj5g-NJsUPbjk29-s7LJAGb15wEBtXphVCgyy53CoIKLHHeJHXex45Uz9aKZSRSInZI-wjsY0yu3cT4_aQ3i1o-tiE-F8Ios61EKgyIQ4CWao8PFMj8TTnp.vbb32Xvllea2OtmHAdccRQ";
    check_rfc7520(jwk, token);
}

/// RFC 7520 5.7 A256GCMKW + A128CBC-HS256.
#[test]
fn rfc7520_5_7_a256gcmkw() {
    let jwk = r#"{"kty":"oct","kid":"18ec08e1-bfa9-4d95-b205-2b4dd1d4321d","use":"enc","alg":"A256GCMKW","k":"qC57l_uxcm7Nm3K-ct4GFjx8tM1U8CZ0NLBvdQstiS8"}"#;
    let token = "eyJhbGciOiJBMjU2R0NNS1ciLCJraWQiOiIxOGVjMDhlMS1iZmE5LTRkOTUtYjIwNS0yYjRkZDFkNDMyMWQiLCJ0YWciOiJrZlBkdVZRM1QzSDZ2bmV3dC0ta3N3IiwiaXYiOiJLa1lUMEdYXzJqSGxmcU5fIiwiZW5jIjoiQTEyOENCQy1IUzI1NiJ9.lJf3HbOApxMEBkCMOoTnnABxs_CvTWUmZQ2ElLvYNok.gz6NjyEFNm_vm8Gj6FwoFQ.Jf5p9-ZhJlJy_IQ_byKFmI0Ro7w7G1QiaZpI8OaiVgD8EqoDZHyFKFBupS8iaEeVIgMqWmsuJKuoVgzR3YfzoMd3GxEm3VxNhzWyWtZKX0gxKdy6HgLvqoGNbZCzLjqcpDiF8q2_62EVAbr2uSc2oaxFmFuIQHLcqAHxy51449xkjZ7ewzZaGV3eFqhpco8o4DijXaG5_7kp3h2cajRfDgymuxUbWgLqaeNQaJtvJmSMFuEOSAzw9Hdeb6yhdTynCRmu-kqtO5Dec4lT2OMZKpnxc_F1_4yDJFcqb5CiDSmA-psB2k0JtjxAj4UPI61oONK7zzFIu4gBfjJCndsZfdvG7h8wGjV98QhrKEnR7xKZ3KCr0_qR1B-gxpNk3xWU.DKW7jrb4WaRSNfbXVPlT5g";
    check_rfc7520(jwk, token);
}

/// RFC 7520 5.8 A128KW + A128GCM.
#[test]
fn rfc7520_5_8_a128kw() {
    let jwk = r#"{"kty":"oct","kid":"81b20965-8332-43d9-a468-82160ad91ac8","use":"enc","alg":"A128KW","k":"GZy6sIZ6wl9NJOKB-jnmVQ"}"#;
    let token = "eyJhbGciOiJBMTI4S1ciLCJraWQiOiI4MWIyMDk2NS04MzMyLTQzZDktYTQ2OC04MjE2MGFkOTFhYzgiLCJlbmMiOiJBMTI4R0NNIn0.CBI6oDw8MydIx1IBntf_lQcw2MmJKIQx.Qx0pmsDa8KnJc9Jo.AwliP-KmWgsZ37BvzCefNen6VTbRK3QMA4TkvRkH0tP1bTdhtFJgJxeVmJkLD61A1hnWGetdg11c9ADsnWgL56NyxwSYjU1ZEHcGkd3EkU0vjHi9gTlb90qSYFfeF0LwkcTtjbYKCsiNJQkcIp1yeM03OmuiYSoYJVSpf7ej6zaYcMv3WwdxDFl8REwOhNImk2Xld2JXq6BR53TSFkyT7PwVLuq-1GwtGHlQeg7gDT6xW0JqHDPn_H-puQsmthc9Zg0ojmJfqqFvETUxLAF-KjcBTS5dNy6egwkYtOt8EIHK-oEsKYtZRaa8Z7MOZ7UGxGIMvEmxrGCPeJa14slv2-gaqK0kEThkaSqdYw0FkQZF.ER7MWJZ1FBI_NKvn7Zb1Lw";
    check_rfc7520(jwk, token);
}

/// RFC 7520 5.9 A128KW + A128GCM, zip DEF.
#[test]
fn rfc7520_5_9_a128kw_zip() {
    let jwk = r#"{"kty":"oct","kid":"81b20965-8332-43d9-a468-82160ad91ac8","use":"enc","alg":"A128KW","k":"GZy6sIZ6wl9NJOKB-jnmVQ"}"#;
    let token = "eyJhbGciOiJBMTI4S1ciLCJraWQiOiI4MWIyMDk2NS04MzMyLTQzZDktYTQ2OC04MjE2MGFkOTFhYzgiLCJlbmMiOiJBMTI4R0NNIiwiemlwIjoiREVGIn0.5vUT2WOtQxKWcekM_IzVQwkGgzlFDwPi.p9pUq6XHY0jfEZIl.HbDtOsdai1oYziSx25KEeTxmwnh8L8jKMFNc1k3zmMI6VB8hry57tDZ61jXyezSPt0fdLVfe6Jf5y5-JaCap_JQBcb5opbmT60uWGml8blyiMQmOn9J--XhhlYg0m-BHaqfDO5iTOWxPxFMUedx7WCy8mxgDHj0aBMG6152PsM-w5E_o2B3jDbrYBKhpYA7qi3AyijnCJ7BP9rr3U8kxExCpG3mK420TjOw.VILuUwuIxaLVmh5X-T7kmA";
    check_rfc7520(jwk, token);
}
