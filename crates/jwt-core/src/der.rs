//! The few DER and PEM structures JOSE keys need: PKCS#8 and SubjectPublicKeyInfo
//! containers, PKCS#1 RSA keys and SEC1 EC private keys (and the ML-DSA OIDs of RFC 9881,
//! whose containers `key::mldsa` reads).
//!
//! Kept here, on the strict DER reader and writer of `tlv`, instead of four more crates in
//! the core's dependency tree. Everything read is bounded by the input slice; nothing
//! recurses on attacker input.

use crate::alg::{Curve, MlDsaLevel};
use crate::error::{Error, Result};
use crate::tlv::bad;
// The primitives, re-exported: key code reads and writes DER through `der` alone.
pub(crate) use crate::tlv::{
    Reader, TAG_BIT_STRING, TAG_INTEGER, TAG_NULL, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, tlv,
    write, write_uint,
};

/// rsaEncryption 1.2.840.113549.1.1.1
pub(crate) const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// id-ecPublicKey 1.2.840.10045.2.1
pub(crate) const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// id-Ed25519 1.3.101.112
pub(crate) const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
/// id-ml-dsa-44 2.16.840.1.101.3.4.3.17 (-65 and -87 are .18 and .19), RFC 9881
const OID_ML_DSA_44: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x11];
const OID_ML_DSA_65: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12];
const OID_ML_DSA_87: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x13];
/// prime256v1 1.2.840.10045.3.1.7
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// secp384r1 1.3.132.0.34
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// secp521r1 1.3.132.0.35
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
/// secp256k1 1.3.132.0.10
const OID_SECP256K1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x0a];

pub(crate) fn curve_oid(c: Curve) -> &'static [u8] {
    match c {
        Curve::P256 => OID_P256,
        Curve::P384 => OID_P384,
        Curve::P521 => OID_P521,
        Curve::Secp256k1 => OID_SECP256K1,
    }
}

pub(crate) fn curve_from_oid(oid: &[u8]) -> Option<Curve> {
    [Curve::P256, Curve::P384, Curve::P521, Curve::Secp256k1]
        .into_iter()
        .find(|c| curve_oid(*c) == oid)
}

fn algorithm_identifier(oid: &[u8], params: Option<&[u8]>) -> Vec<u8> {
    let mut body = tlv(TAG_OID, oid);
    if let Some(p) = params {
        body.extend_from_slice(p);
    }
    tlv(TAG_SEQUENCE, &body)
}

fn key_algorithm(kind: KeyKind) -> Vec<u8> {
    match kind {
        KeyKind::Rsa => algorithm_identifier(OID_RSA, Some(&[TAG_NULL, 0])),
        KeyKind::Ec(c) => algorithm_identifier(OID_EC, Some(&tlv(TAG_OID, curve_oid(c)))),
        KeyKind::Ed25519 => algorithm_identifier(OID_ED25519, None),
        // RFC 9881 2: the parameters MUST be absent.
        KeyKind::MlDsa(l) => algorithm_identifier(mldsa_oid(l), None),
    }
}

fn mldsa_oid(l: MlDsaLevel) -> &'static [u8] {
    match l {
        MlDsaLevel::MlDsa44 => OID_ML_DSA_44,
        MlDsaLevel::MlDsa65 => OID_ML_DSA_65,
        MlDsaLevel::MlDsa87 => OID_ML_DSA_87,
    }
}

/// The kind of asymmetric key a container holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Rsa,
    Ec(Curve),
    Ed25519,
    MlDsa(MlDsaLevel),
}

fn read_algorithm(r: &mut Reader<'_>) -> Result<KeyKind> {
    let mut alg = r.read_seq()?;
    let oid = alg.read(TAG_OID)?;
    let kind = if oid == OID_RSA {
        if !alg.is_empty() {
            alg.read(TAG_NULL)?;
        }
        KeyKind::Rsa
    } else if oid == OID_EC {
        KeyKind::Ec(read_curve(&mut alg)?)
    } else if oid == OID_ED25519 {
        KeyKind::Ed25519
    } else if let Some(l) = [
        MlDsaLevel::MlDsa44,
        MlDsaLevel::MlDsa65,
        MlDsaLevel::MlDsa87,
    ]
    .into_iter()
    .find(|l| mldsa_oid(*l) == oid)
    {
        KeyKind::MlDsa(l)
    } else {
        return Err(Error::invalid_key("unsupported key algorithm OID"));
    };
    alg.finish()?;
    Ok(kind)
}

/// EC domain parameters: a named curve OID, or explicit parameters that are exactly a
/// supported named curve (anything else is refused, see `ec_params`).
fn read_curve(r: &mut Reader<'_>) -> Result<Curve> {
    if r.peek_tag() == Some(TAG_SEQUENCE) {
        return crate::ec_params::named_curve(r.read(TAG_SEQUENCE)?);
    }
    let c = r.read(TAG_OID)?;
    curve_from_oid(c).ok_or_else(|| Error::invalid_key("unsupported EC curve"))
}

/// `true` when a PKCS#8 EC key spells its curve as explicit parameters (which ring does
/// not read: such a key is rebuilt in the named form).
pub(crate) fn pkcs8_has_explicit_curve(der: &[u8]) -> bool {
    let mut outer = Reader::new(der);
    let Ok(mut pki) = outer.read_seq() else {
        return false;
    };
    let _ = pki.read_uint();
    let Ok(mut alg) = pki.read_seq() else {
        return false;
    };
    alg.read(TAG_OID).is_ok_and(|o| o == OID_EC) && alg.peek_tag() == Some(TAG_SEQUENCE)
}

/// Parse SubjectPublicKeyInfo: the key kind and the subjectPublicKey bits (PKCS#1
/// RSAPublicKey for RSA, the SEC1 point for EC, 32 bytes for Ed25519).
pub(crate) fn parse_spki(der: &[u8]) -> Result<(KeyKind, &[u8])> {
    let mut outer = Reader::new(der);
    let mut spki = outer.read_seq()?;
    outer.finish()?;
    let kind = read_algorithm(&mut spki)?;
    let bits = spki.read_bits()?;
    spki.finish()?;
    Ok((kind, bits))
}

pub(crate) fn build_spki(kind: KeyKind, public: &[u8]) -> Vec<u8> {
    let mut body = key_algorithm(kind);
    let mut bits = Vec::with_capacity(public.len() + 1);
    bits.push(0);
    bits.extend_from_slice(public);
    write(&mut body, TAG_BIT_STRING, &bits);
    tlv(TAG_SEQUENCE, &body)
}

/// Parse a PKCS#8 PrivateKeyInfo (v1 or v2): the key kind and the inner private key
/// (PKCS#1 for RSA, SEC1 for EC, an OCTET STRING-wrapped seed for Ed25519).
pub(crate) fn parse_pkcs8(der: &[u8]) -> Result<(KeyKind, &[u8])> {
    let mut outer = Reader::new(der);
    let mut pki = outer.read_seq()?;
    outer.finish()?;
    let version = pki.read_uint()?;
    if version != [0] && version != [1] {
        return Err(bad("PKCS#8 version"));
    }
    let kind = read_algorithm(&mut pki)?;
    let inner = pki.read(TAG_OCTET_STRING)?;
    Ok((kind, inner))
}

pub(crate) fn build_pkcs8(kind: KeyKind, inner: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(inner.len() + 32);
    write_uint(&mut body, &[0]);
    body.extend_from_slice(&key_algorithm(kind));
    write(&mut body, TAG_OCTET_STRING, inner);
    tlv(TAG_SEQUENCE, &body)
}

/// PKCS#1 RSAPublicKey from modulus and exponent.
pub(crate) fn build_rsa_public(n: &[u8], e: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(n.len() + e.len() + 8);
    write_uint(&mut body, n);
    write_uint(&mut body, e);
    tlv(TAG_SEQUENCE, &body)
}

/// Modulus and exponent of a PKCS#1 RSAPublicKey.
pub(crate) fn parse_rsa_public(der: &[u8]) -> Result<(&[u8], &[u8])> {
    let mut outer = Reader::new(der);
    let mut seq = outer.read_seq()?;
    outer.finish()?;
    let n = seq.read_uint()?;
    let e = seq.read_uint()?;
    seq.finish()?;
    Ok((n, e))
}

/// The eight integers of a PKCS#1 RSAPrivateKey after the version:
/// n, e, d, p, q, dp, dq, qi.
pub(crate) fn parse_rsa_private(der: &[u8]) -> Result<[&[u8]; 8]> {
    let mut outer = Reader::new(der);
    let mut seq = outer.read_seq()?;
    outer.finish()?;
    if seq.read_uint()? != [0] {
        return Err(Error::invalid_key("multi-prime RSA keys are not supported"));
    }
    let mut out = [&[][..]; 8];
    for slot in out.iter_mut() {
        *slot = seq.read_uint()?;
    }
    seq.finish()?;
    Ok(out)
}

pub(crate) fn build_rsa_private(parts: [&[u8]; 8]) -> Vec<u8> {
    let mut body = Vec::new();
    write_uint(&mut body, &[0]);
    for p in parts {
        write_uint(&mut body, p);
    }
    tlv(TAG_SEQUENCE, &body)
}

/// A parsed SEC1 ECPrivateKey: the private scalar, the curve (if present) and the public
/// point (if present).
pub(crate) type Sec1<'a> = (&'a [u8], Option<Curve>, Option<&'a [u8]>);

/// Parse a SEC1 ECPrivateKey.
pub(crate) fn parse_sec1(der: &[u8]) -> Result<Sec1<'_>> {
    let mut outer = Reader::new(der);
    let mut seq = outer.read_seq()?;
    outer.finish()?;
    if seq.read_uint()? != [1] {
        return Err(bad("SEC1 version"));
    }
    let d = seq.read(TAG_OCTET_STRING)?;
    let mut curve = None;
    let mut public = None;
    if seq.peek_tag() == Some(0xa0) {
        let mut p = Reader::new(seq.read(0xa0)?);
        curve = Some(read_curve(&mut p)?);
        p.finish()?;
    }
    if seq.peek_tag() == Some(0xa1) {
        let mut p = Reader::new(seq.read(0xa1)?);
        public = Some(p.read_bits()?);
    }
    seq.finish()?;
    Ok((d, curve, public))
}

/// SEC1 ECPrivateKey with the public point (what ring's PKCS#8 parser expects).
pub(crate) fn build_sec1(d: &[u8], public: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    write_uint(&mut body, &[1]);
    write(&mut body, TAG_OCTET_STRING, d);
    let mut bits = vec![0u8];
    bits.extend_from_slice(public);
    let bits = tlv(TAG_BIT_STRING, &bits);
    write(&mut body, 0xa1, &bits);
    tlv(TAG_SEQUENCE, &body)
}

/// One PEM block.
pub(crate) struct Pem {
    pub(crate) label: String,
    pub(crate) der: Vec<u8>,
}

/// Decode every PEM block in `text` (e.g. OpenSSL writes `EC PARAMETERS` before
/// `EC PRIVATE KEY`). Encapsulated headers are rejected.
pub(crate) fn parse_pem(text: &[u8]) -> Result<Vec<Pem>> {
    use base64::Engine as _;
    let text = std::str::from_utf8(text).map_err(|_| Error::invalid_key("PEM is not UTF-8"))?;
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let end_label = after
            .find("-----")
            .ok_or_else(|| Error::invalid_key("unterminated PEM label"))?;
        let label = &after[..end_label];
        let body_start = &after[end_label + 5..];
        let end_marker = format!("-----END {label}-----");
        let body_end = body_start
            .find(&end_marker)
            .ok_or_else(|| Error::invalid_key("PEM END line missing"))?;
        let body = &body_start[..body_end];
        if body.contains(':') {
            return Err(Error::invalid_key(
                "encrypted or annotated PEM is not supported",
            ));
        }
        let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map_err(|_| Error::invalid_key("PEM body is not base64"))?;
        out.push(Pem {
            label: label.to_owned(),
            der,
        });
        rest = &body_start[body_end + end_marker.len()..];
    }
    if out.is_empty() {
        return Err(Error::invalid_key("no PEM block found"));
    }
    Ok(out)
}

pub(crate) fn to_pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uint_round_trip() {
        for v in [&[0u8][..], &[1], &[0x80], &[0, 0, 5], &[0xff, 0xff]] {
            let mut out = Vec::new();
            write_uint(&mut out, v);
            let got = Reader::new(&out).read_uint().unwrap();
            let skip = v.iter().take_while(|b| **b == 0).count().min(v.len() - 1);
            assert_eq!(got, &v[skip..]);
        }
    }

    #[test]
    fn long_lengths_round_trip_and_truncation_is_an_error() {
        let body = vec![7u8; 300];
        let enc = tlv(TAG_OCTET_STRING, &body);
        assert_eq!(Reader::new(&enc).read(TAG_OCTET_STRING).unwrap(), &body[..]);
        assert!(Reader::new(&enc[..100]).read(TAG_OCTET_STRING).is_err());
        // non-minimal long form
        assert!(
            Reader::new(&[0x04, 0x81, 0x01, 0x00])
                .read(TAG_OCTET_STRING)
                .is_err()
        );
    }

    #[test]
    fn pem_blocks() {
        let p = to_pem("PUBLIC KEY", &[1, 2, 3]);
        let text = format!(
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n{p}"
        );
        let blocks = parse_pem(text.as_bytes()).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[1].label, "PUBLIC KEY");
        assert_eq!(blocks[1].der, vec![1, 2, 3]);
        assert!(parse_pem(b"nothing").is_err());
    }
}
