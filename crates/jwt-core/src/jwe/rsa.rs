//! RSA-OAEP key management (RFC 7518 4.3): `RSA-OAEP` (SHA-1, MGF1-SHA-1) and
//! `RSA-OAEP-256` (SHA-256, MGF1-SHA-256), on the `aws-lc` backend only, whose RSA
//! decryption is constant time (ring has none; the `rsa` crate's is not, RUSTSEC-2023-0071).
//!
//! Keys are imported through the JWS key code ([`SigningKey`], [`VerifyingKey`] bound to
//! `RS256`), so PEM/DER/JWK forms, the 2048-bit minimum, the 8192-bit maximum and the ROCA
//! check are the same for signing and encryption keys.
//!
//! A failed OAEP decryption does not return early: it yields a random content encryption
//! key, so the token then fails its authentication tag like any other wrong key (RFC 7516
//! 11.5), and a padding failure cannot be told apart from a tag failure.

use std::sync::Arc;

use aws_lc_rs::rsa::{
    OAEP_SHA1_MGF1SHA1, OAEP_SHA256_MGF1SHA256, OaepAlgorithm, OaepPrivateDecryptingKey,
    OaepPublicEncryptingKey, PrivateDecryptingKey, PublicEncryptingKey,
};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::alg::KeyAlgorithm;
use super::crypto::{Secret, random_secret};
use crate::der::{self, KeyKind};
use crate::error::{Error, Result};
use crate::jwk::Jwk;
use crate::{Algorithm, SigningKey, VerifyingKey};

/// The JWS algorithm the imported key is bound to: any RSA one would do, the binding only
/// selects the RSA import rules.
const IMPORT_AS: Algorithm = Algorithm::RS256;

fn oaep(alg: KeyAlgorithm) -> Result<&'static OaepAlgorithm> {
    match alg {
        KeyAlgorithm::RsaOaep => Ok(&OAEP_SHA1_MGF1SHA1),
        KeyAlgorithm::RsaOaep256 => Ok(&OAEP_SHA256_MGF1SHA256),
        _ => Err(Error::KeyAlgorithmMismatch(format!(
            "{alg} is not an RSA algorithm"
        ))),
    }
}

/// A JWK's key members, without `alg`, `use` and `key_ops`: on import the JWE layer has
/// already checked them and the JWS import would read them as a signing key's; on export
/// the JWE key adds its own. (The parsed keys never hold `key_ops`: import strips it.)
fn key_members(jwk: &Jwk) -> Map<String, Value> {
    let mut m = jwk.as_map().clone();
    for k in ["alg", "use", "key_ops"] {
        m.remove(k);
    }
    m
}

/// A recipient's RSA private key.
#[derive(Clone)]
pub(crate) struct RsaPrivate {
    key: Arc<OaepPrivateDecryptingKey>,
    parsed: SigningKey,
    public: RsaPublic,
}

/// A sender's copy of the recipient's RSA public key.
#[derive(Clone)]
pub(crate) struct RsaPublic {
    key: Arc<OaepPublicEncryptingKey>,
    parsed: VerifyingKey,
}

impl RsaPrivate {
    fn new(parsed: SigningKey) -> Result<Self> {
        let pkcs8 = parsed
            .rsa_pkcs8()
            .ok_or_else(|| Error::KeyAlgorithmMismatch("RSA-OAEP needs an RSA key".into()))?;
        let key = PrivateDecryptingKey::from_pkcs8(pkcs8)
            .ok()
            .and_then(|k| OaepPrivateDecryptingKey::new(k).ok())
            .ok_or_else(|| Error::invalid_key("RSA private key"))?;
        Ok(RsaPrivate {
            key: Arc::new(key),
            public: RsaPublic::new(parsed.verifying_key())?,
            parsed,
        })
    }

    pub(crate) fn from_pem(pem: &[u8]) -> Result<Self> {
        Self::new(SigningKey::from_pem(IMPORT_AS, pem)?)
    }

    pub(crate) fn from_der(der: &[u8]) -> Result<Self> {
        Self::new(SigningKey::from_der(IMPORT_AS, der)?)
    }

    pub(crate) fn from_jwk(jwk: &Jwk) -> Result<Self> {
        Self::new(SigningKey::from_jwk(
            &Jwk::from_map(key_members(jwk))?,
            Some(IMPORT_AS),
        )?)
    }

    pub(crate) fn generate() -> Result<Self> {
        Self::new(SigningKey::generate(IMPORT_AS)?)
    }

    pub(crate) fn public(&self) -> RsaPublic {
        self.public.clone()
    }

    /// The content encryption key of `cek_len` bytes, or (on any failure) a random one.
    pub(crate) fn unwrap(
        &self,
        alg: KeyAlgorithm,
        encrypted_key: &[u8],
        cek_len: usize,
    ) -> Result<Secret> {
        let cek = self
            .decrypt(oaep(alg)?, encrypted_key, None)
            .filter(|cek| cek.len() == cek_len);
        match cek {
            Some(cek) => Ok(cek),
            None => random_secret(cek_len),
        }
    }

    /// RSAES-OAEP decryption; `None` for any failure (JWE uses no label).
    pub(crate) fn decrypt(
        &self,
        algorithm: &'static OaepAlgorithm,
        ciphertext: &[u8],
        label: Option<&[u8]>,
    ) -> Option<Secret> {
        let mut out = Zeroizing::new(vec![0u8; self.key.min_output_size()]);
        self.key
            .decrypt(algorithm, ciphertext, &mut out, label)
            .ok()
            .map(|m| Zeroizing::new(m.to_vec()))
    }

    pub(crate) fn jwk_members(&self) -> Result<Map<String, Value>> {
        Ok(key_members(&self.parsed.to_private_jwk()?))
    }
}

impl RsaPublic {
    fn new(parsed: VerifyingKey) -> Result<Self> {
        let pkcs1 = parsed
            .rsa_pkcs1()
            .ok_or_else(|| Error::KeyAlgorithmMismatch("RSA-OAEP needs an RSA key".into()))?;
        let key = PublicEncryptingKey::from_der(&der::build_spki(KeyKind::Rsa, pkcs1))
            .ok()
            .and_then(|k| OaepPublicEncryptingKey::new(k).ok())
            .ok_or_else(|| Error::invalid_key("RSA public key"))?;
        Ok(RsaPublic {
            key: Arc::new(key),
            parsed,
        })
    }

    pub(crate) fn from_pem(pem: &[u8]) -> Result<Self> {
        Self::new(VerifyingKey::from_pem(IMPORT_AS, pem)?)
    }

    pub(crate) fn from_der(der: &[u8]) -> Result<Self> {
        Self::new(VerifyingKey::from_der(IMPORT_AS, der)?)
    }

    pub(crate) fn from_jwk(jwk: &Jwk) -> Result<Self> {
        Self::new(VerifyingKey::from_jwk(
            &Jwk::from_map(key_members(jwk))?,
            Some(IMPORT_AS),
        )?)
    }

    pub(crate) fn wrap(&self, alg: KeyAlgorithm, cek: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.key.ciphertext_size()];
        let n = self
            .key
            .encrypt(oaep(alg)?, cek, &mut out, None)
            .map_err(|_| Error::Crypto("RSA-OAEP encryption".into()))?
            .len();
        out.truncate(n);
        Ok(out)
    }

    pub(crate) fn jwk_members(&self) -> Result<Map<String, Value>> {
        Ok(key_members(&self.parsed.to_jwk()?))
    }

    pub(crate) fn to_pem(&self) -> Result<String> {
        self.parsed.to_pem()
    }
}
