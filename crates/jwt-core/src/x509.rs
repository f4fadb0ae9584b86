//! X.509 certificates as carriers of a public key (RFC 5280 §4.1).
//!
//! Many issuers (Firebase, ADFS, older Auth0 setups) publish their signing keys as PEM
//! certificates. Only the certificate's SubjectPublicKeyInfo is used: the certificate's
//! signature, chain, validity dates and extensions are **not** checked. A certificate is a
//! key container here, not a trust decision; pinning the key is what the verifier does.

use crate::der::{Reader, TAG_INTEGER, TAG_SEQUENCE};
use crate::error::{Error, Result};

fn bad(what: &str) -> Error {
    Error::invalid_key(format_args!("bad X.509 certificate: {what}"))
}

/// The DER SubjectPublicKeyInfo inside a DER `Certificate`.
///
/// ```text
/// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
/// TBSCertificate ::= SEQUENCE {
///     version [0] EXPLICIT OPTIONAL, serialNumber INTEGER, signature AlgorithmIdentifier,
///     issuer Name, validity Validity, subject Name, subjectPublicKeyInfo, ... }
/// ```
pub(crate) fn certificate_spki(der: &[u8]) -> Result<&[u8]> {
    let mut outer = Reader::new(der);
    let mut cert = outer.read_seq()?;
    outer.finish()?;
    let mut tbs = cert.read_seq()?;
    // signatureAlgorithm and signatureValue: present, not used
    let (sig_alg_tag, _, _) = cert.read_any()?;
    let (sig_tag, _, _) = cert.read_any()?;
    cert.finish()?;
    if sig_alg_tag != TAG_SEQUENCE || sig_tag != crate::der::TAG_BIT_STRING {
        return Err(bad("signature fields"));
    }
    if tbs.peek_tag() == Some(0xa0) {
        tbs.read(0xa0)?;
    }
    // serialNumber: some issuers write negative or over-long serials; only its shape
    // matters here.
    let (t, _, _) = tbs.read_any()?;
    if t != TAG_INTEGER {
        return Err(bad("serial number"));
    }
    for what in ["signature algorithm", "issuer", "validity", "subject"] {
        let (t, _, _) = tbs.read_any()?;
        if t != TAG_SEQUENCE {
            return Err(bad(what));
        }
    }
    let (t, spki, _) = tbs.read_any()?;
    if t != TAG_SEQUENCE {
        return Err(bad("subject public key info"));
    }
    Ok(spki)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncations_and_garbage_are_errors_not_panics() {
        assert!(certificate_spki(&[]).is_err());
        assert!(certificate_spki(&[0x30, 0x00]).is_err());
        assert!(certificate_spki(&[0x30, 0x03, 0x30, 0x01, 0x00]).is_err());
        for n in 0..=255u8 {
            assert!(certificate_spki(&[0x30, 0x02, n, 0x00]).is_err());
        }
    }
}
