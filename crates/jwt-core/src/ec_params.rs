//! EC keys with explicit curve parameters (`openssl ecparam -param_enc explicit`, RFC 3279
//! §2.3.5 `ECParameters`): accepted only when the parameters are exactly one of the
//! supported named curves, then treated as that curve. Any other explicit curve is refused:
//! accepting attacker-chosen curve parameters is the CurveBall class of bug
//! (CVE-2020-0601), where a key "on P-256" is checked against a curve with a forged
//! generator.

use crate::alg::Curve;
use crate::error::{Error, Result};
use crate::tlv::{Reader, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID};

/// prime-field 1.2.840.10045.1.1
const OID_PRIME_FIELD: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x01, 0x01];

/// The explicit parameters of each supported curve, as `openssl ecparam -name NAME
/// -param_enc explicit -outform DER` (OpenSSL 3.0) writes them. They are read with the
/// same parser as untrusted input, so the comparison is field by field.
const REFERENCE: [(Curve, &str); 4] = [
    (
        Curve::P256,
        concat!(
            "3081f7020101302c06072a8648ce3d0101022100ffffffff00000001000000000000000000000000",
            "ffffffffffffffffffffffff305b0420ffffffff00000001000000000000000000000000ffffffff",
            "fffffffffffffffc04205ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2",
            "604b031500c49d360886e704936a6678e1139d26b7819f7e900441046b17d1f2e12c4247f8bce6e5",
            "63a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce3357",
            "6b315ececbb6406837bf51f5022100ffffffff00000000ffffffffffffffffbce6faada7179e84f3",
            "b9cac2fc632551020101",
        ),
    ),
    (
        Curve::P384,
        concat!(
            "30820157020101303c06072a8648ce3d0101023100ffffffffffffffffffffffffffffffffffffff",
            "fffffffffffffffffffffffffeffffffff0000000000000000ffffffff307b0430ffffffffffffff",
            "fffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffff",
            "fc0430b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a",
            "2ed19d2a85c8edd3ec2aef031500a335926aa319a27a1d00896a6773a4827acdac73046104aa87ca",
            "22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e",
            "3872760ab73617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1",
            "ce1d7e819d7a431d7c90ea0e5f023100ffffffffffffffffffffffffffffffffffffffffffffffff",
            "c7634d81f4372ddf581a0db248b0a77aecec196accc52973020101",
        ),
    ),
    (
        Curve::P521,
        concat!(
            "308201c3020101304d06072a8648ce3d0101024201ffffffffffffffffffffffffffffffffffffff",
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "ffffffffffff30819f044201ffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc044200",
            "51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e93",
            "7b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00031500d09e8800291cb85396cc6717",
            "393284aaa0da64ba0481850400c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828",
            "af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd660118",
            "39296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640",
            "c550b9013fad0761353c7086a272c24088be94769fd16650024201ffffffffffffffffffffffffff",
            "fffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8",
            "899c47aebb6fb71e91386409020101",
        ),
    ),
    (
        Curve::Secp256k1,
        concat!(
            "3081e0020101302c06072a8648ce3d0101022100ffffffffffffffffffffffffffffffffffffffff",
            "fffffffffffffffefffffc2f30440420000000000000000000000000000000000000000000000000",
            "00000000000000000420000000000000000000000000000000000000000000000000000000000000",
            "000704410479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada",
            "7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8022100ffffffffffffffff",
            "fffffffffffffffebaaedce6af48a03bbfd25e8cd0364141020101",
        ),
    ),
];

/// The fields that define a curve, normalised (field elements without leading zeros, the
/// base point uncompressed or compressed as written).
#[derive(PartialEq, Eq)]
struct Params<'a> {
    p: &'a [u8],
    a: &'a [u8],
    b: &'a [u8],
    base: &'a [u8],
    order: &'a [u8],
}

fn bad(what: &str) -> Error {
    Error::invalid_key(format_args!("bad explicit EC parameters: {what}"))
}

fn strip(v: &[u8]) -> &[u8] {
    let skip = v.iter().take_while(|b| **b == 0).count();
    &v[skip..]
}

/// Read `ECParameters` (the contents of the SEQUENCE):
/// `version(1), fieldID { prime-field, p }, curve { a, b, seed OPTIONAL }, base, order,
/// cofactor OPTIONAL`.
fn parse(body: &[u8]) -> Result<Params<'_>> {
    let mut r = Reader::new(body);
    if r.read_uint()? != [1] {
        return Err(bad("version"));
    }
    let mut field = r.read_seq()?;
    if field.read(TAG_OID)? != OID_PRIME_FIELD {
        return Err(Error::invalid_key(
            "explicit EC parameters over a non-prime field are not supported",
        ));
    }
    let p = field.read_uint()?;
    field.finish()?;
    let mut curve = r.read_seq()?;
    let a = strip(curve.read(TAG_OCTET_STRING)?);
    let b = strip(curve.read(TAG_OCTET_STRING)?);
    if curve.peek_tag() == Some(TAG_BIT_STRING) {
        // the seed the curve was generated from: not part of the curve
        curve.read(TAG_BIT_STRING)?;
    }
    curve.finish()?;
    let base = r.read(TAG_OCTET_STRING)?;
    let order = r.read_uint()?;
    if r.peek_tag() == Some(TAG_INTEGER) && r.read_uint()? != [1] {
        return Err(bad("cofactor"));
    }
    r.finish()?;
    Ok(Params {
        p,
        a,
        b,
        base,
        order,
    })
}

fn decode_hex(h: &str) -> Vec<u8> {
    (0..h.len() / 2)
        .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap_or_default())
        .collect()
}

/// The base point `g` (uncompressed) in SEC1 compressed form.
fn compressed(g: &[u8]) -> Vec<u8> {
    let coord = (g.len() - 1) / 2;
    let mut out = Vec::with_capacity(1 + coord);
    out.push(0x02 | (g[g.len() - 1] & 1));
    out.extend_from_slice(&g[1..1 + coord]);
    out
}

/// The named curve whose parameters the contents of an explicit `ECParameters` SEQUENCE
/// are exactly; any other curve is refused with [`Error::InvalidKey`].
pub(crate) fn named_curve(body: &[u8]) -> Result<Curve> {
    let given = parse(body)?;
    for (curve, hex) in REFERENCE {
        let der = decode_hex(hex);
        let (_, _, body) = Reader::new(&der).read_any()?;
        let reference = parse(body)?;
        let same_base = given.base == reference.base || given.base == compressed(reference.base);
        let rest_same = Params {
            base: reference.base,
            ..given
        } == reference;
        if same_base && rest_same {
            return Ok(curve);
        }
    }
    Err(Error::invalid_key(
        "explicit EC parameters that are not exactly a supported named curve are refused",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(c: Curve) -> Vec<u8> {
        let (_, hex) = REFERENCE.into_iter().find(|(r, _)| *r == c).unwrap();
        decode_hex(hex)
    }

    #[test]
    fn every_reference_is_its_own_curve() {
        for (c, hex) in REFERENCE {
            let der = decode_hex(hex);
            let (_, _, body) = Reader::new(&der).read_any().unwrap();
            assert_eq!(named_curve(body).unwrap(), c);
        }
    }

    #[test]
    fn one_changed_byte_anywhere_is_refused() {
        let der = reference(Curve::P256);
        // skip the outer SEQUENCE header (3 bytes); flip every byte of the contents
        for i in 3..der.len() {
            let mut d = der.clone();
            d[i] ^= 0x01;
            let body = &d[3..];
            let r = named_curve(body);
            // the seed (a BIT STRING) is not part of the curve: flipping it is fine
            let in_seed = (124..145).contains(&i);
            assert_eq!(r.is_ok(), in_seed, "byte {i}");
            if let Err(e) = r {
                assert_eq!(e.code(), "invalid_key");
            }
        }
    }
}
