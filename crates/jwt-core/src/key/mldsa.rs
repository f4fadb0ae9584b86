//! ML-DSA (FIPS 204) keys as JOSE uses them (RFC 9964): the `AKP` JWK (`alg` required,
//! `pub` the public key, `priv` the 32-byte seed and nothing else), the RFC 9881 PKCS#8
//! and SPKI containers, and the backend calls.
//!
//! Only AWS-LC has ML-DSA (`aws-lc` feature). In ring builds the signer and verifier
//! types below are uninhabited and every constructor is [`Error::UnsupportedAlgorithm`]
//! naming the feature, so the rest of the key code matches on them without `cfg`.
//!
//! Signing is ML-DSA.Sign (FIPS 204 algorithm 2, "pure", hedged) with the empty context
//! string, as RFC 9964 5 requires; verification likewise. HashML-DSA is not offered
//! (RFC 9964 7.2).

use zeroize::Zeroizing;

use crate::alg::{Algorithm, MlDsaLevel};
use crate::der::{self, KeyKind};
use crate::error::{Error, Result};

/// An ML-DSA seed (the AKP `priv`, RFC 9964 4): 32 bytes.
pub(super) const SEED_LEN: usize = 32;
/// `seed [0] IMPLICIT OCTET STRING (SIZE (32))`, RFC 9881's ML-DSA-PrivateKey CHOICE.
const TAG_SEED: u8 = 0x80;

/// The refusal of ring builds.
pub(super) fn unavailable(alg: Algorithm) -> Error {
    Error::UnsupportedAlgorithm(format!(
        "{alg}: ML-DSA needs jwt-core's `aws-lc` feature (this build uses ring)"
    ))
}

/// An ML-DSA private key ready to sign, with its seed and public key.
pub(super) struct MlDsaSigner {
    level: MlDsaLevel,
    seed: Zeroizing<[u8; SEED_LEN]>,
    public: Vec<u8>,
    #[cfg(feature = "aws-lc")]
    pair: crate::backend::signature::PqdsaKeyPair,
    #[cfg(not(feature = "aws-lc"))]
    never: std::convert::Infallible,
}

/// An ML-DSA public key ready to verify.
pub(super) struct MlDsaVerifier {
    level: MlDsaLevel,
    #[cfg(feature = "aws-lc")]
    key: crate::backend::PublicKey,
    #[cfg(not(feature = "aws-lc"))]
    never: std::convert::Infallible,
}

#[cfg(feature = "aws-lc")]
fn signing_alg(level: MlDsaLevel) -> &'static crate::backend::signature::PqdsaSigningAlgorithm {
    use crate::backend::signature as s;
    match level {
        MlDsaLevel::MlDsa44 => &s::ML_DSA_44_SIGNING,
        MlDsaLevel::MlDsa65 => &s::ML_DSA_65_SIGNING,
        MlDsaLevel::MlDsa87 => &s::ML_DSA_87_SIGNING,
    }
}

#[cfg(feature = "aws-lc")]
fn verification_alg(
    level: MlDsaLevel,
) -> &'static crate::backend::signature::PqdsaVerificationAlgorithm {
    use crate::backend::signature as s;
    match level {
        MlDsaLevel::MlDsa44 => &s::ML_DSA_44,
        MlDsaLevel::MlDsa65 => &s::ML_DSA_65,
        MlDsaLevel::MlDsa87 => &s::ML_DSA_87,
    }
}

fn seed_array(seed: &[u8]) -> Result<Zeroizing<[u8; SEED_LEN]>> {
    let seed: [u8; SEED_LEN] = seed
        .try_into()
        .map_err(|_| Error::invalid_key("an ML-DSA private key (seed) is 32 bytes (RFC 9964 4)"))?;
    Ok(Zeroizing::new(seed))
}

impl MlDsaSigner {
    /// The key pair FIPS 204 ML-DSA.KeyGen_internal derives from `seed`.
    pub(super) fn from_seed(level: MlDsaLevel, seed: &[u8]) -> Result<Self> {
        let seed = seed_array(seed)?;
        #[cfg(feature = "aws-lc")]
        {
            use crate::backend::signature::KeyPair as _;
            let pair =
                crate::backend::signature::PqdsaKeyPair::from_seed(signing_alg(level), &*seed)
                    .map_err(|e| Error::invalid_key(format_args!("ML-DSA seed: {e}")))?;
            let public = pair.public_key().as_ref().to_vec();
            Ok(MlDsaSigner {
                level,
                seed,
                public,
                pair,
            })
        }
        #[cfg(not(feature = "aws-lc"))]
        {
            drop(seed);
            Err(unavailable(level.algorithm()))
        }
    }

    /// A fresh key from 32 random bytes (the seed is the whole private key).
    pub(super) fn generate(level: MlDsaLevel) -> Result<Self> {
        if !level.algorithm().is_available() {
            return Err(unavailable(level.algorithm()));
        }
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        crate::backend::rand::SecureRandom::fill(&super::rng(), &mut seed[..])
            .map_err(|_| super::crypto_err("random generator"))?;
        Self::from_seed(level, &seed[..])
    }

    /// From the `privateKey` of an RFC 9881 PKCS#8: the seed form, or both forms (the
    /// expanded key must be the seed's). The expanded form alone is refused: JOSE keys
    /// are seeds (RFC 9964 4), so such a key could not be exported as a JWK.
    pub(super) fn from_pkcs8_inner(level: MlDsaLevel, inner: &[u8]) -> Result<Self> {
        let mut r = der::Reader::new(inner);
        let (seed, expanded) = match r.peek_tag() {
            Some(TAG_SEED) => (r.read(TAG_SEED)?, None),
            Some(der::TAG_SEQUENCE) => {
                let mut both = r.read_seq()?;
                let seed = both.read(der::TAG_OCTET_STRING)?;
                let expanded = both.read(der::TAG_OCTET_STRING)?;
                both.finish()?;
                (seed, Some(expanded))
            }
            Some(der::TAG_OCTET_STRING) => {
                return Err(Error::invalid_key(
                    "ML-DSA private keys without the seed (expanded form only) are not \
                     supported: JOSE keys are seeds (RFC 9964 4)",
                ));
            }
            _ => return Err(Error::invalid_key("ML-DSA private key: unknown encoding")),
        };
        r.finish()?;
        let key = Self::from_seed(level, seed)?;
        if let Some(expanded) = expanded {
            if !key.expanded_matches(expanded) {
                return Err(Error::invalid_key(
                    "ML-DSA private key: the expanded key is not the seed's",
                ));
            }
        }
        Ok(key)
    }

    #[cfg(feature = "aws-lc")]
    fn expanded_matches(&self, expanded: &[u8]) -> bool {
        use crate::backend::encoding::AsRawBytes as _;
        use subtle::ConstantTimeEq as _;
        self.pair
            .private_key()
            .as_raw_bytes()
            .is_ok_and(|raw| bool::from(raw.as_ref().ct_eq(expanded)))
    }

    #[cfg(not(feature = "aws-lc"))]
    fn expanded_matches(&self, _: &[u8]) -> bool {
        match self.never {}
    }

    pub(super) fn seed(&self) -> &[u8] {
        &self.seed[..]
    }

    pub(super) fn public(&self) -> &[u8] {
        &self.public
    }

    /// The PKCS#8 of the seed form (RFC 9881 6), the one this crate writes.
    pub(super) fn pkcs8(&self) -> Zeroizing<Vec<u8>> {
        let inner = Zeroizing::new(der::tlv(TAG_SEED, &self.seed[..]));
        Zeroizing::new(der::build_pkcs8(KeyKind::MlDsa(self.level), &inner))
    }

    pub(super) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        #[cfg(feature = "aws-lc")]
        {
            let mut sig = vec![0u8; self.level.signature_len()];
            let n = self
                .pair
                .sign(msg, &mut sig)
                .map_err(|_| super::crypto_err("ML-DSA signing"))?;
            sig.truncate(n);
            Ok(sig)
        }
        #[cfg(not(feature = "aws-lc"))]
        {
            let _ = msg;
            match self.never {}
        }
    }

    pub(super) fn verifier(&self) -> MlDsaVerifier {
        #[cfg(feature = "aws-lc")]
        return MlDsaVerifier {
            level: self.level,
            key: crate::backend::PublicKey::new(verification_alg(self.level), self.public.clone()),
        };
        #[cfg(not(feature = "aws-lc"))]
        match self.never {}
    }
}

impl MlDsaVerifier {
    /// A raw FIPS 204 public key (pkEncode) of exactly the parameter set's size (an
    /// SPKI or a key of another set is refused here, not guessed at).
    pub(super) fn new(level: MlDsaLevel, public: &[u8]) -> Result<Self> {
        #[cfg(not(feature = "aws-lc"))]
        {
            let _ = public;
            Err(unavailable(level.algorithm()))
        }
        #[cfg(feature = "aws-lc")]
        {
            if public.len() != level.public_key_len() {
                return Err(Error::invalid_key(format_args!(
                    "{} public keys are {} bytes, got {}",
                    level.algorithm(),
                    level.public_key_len(),
                    public.len()
                )));
            }
            let key = crate::backend::PublicKey::new(verification_alg(level), public.to_vec());
            if !key.is_parsed() {
                return Err(Error::invalid_key(format_args!(
                    "not an {} public key",
                    level.algorithm()
                )));
            }
            Ok(MlDsaVerifier { level, key })
        }
    }

    pub(super) fn level(&self) -> MlDsaLevel {
        self.level
    }

    pub(super) fn public(&self) -> &[u8] {
        #[cfg(feature = "aws-lc")]
        return self.key.bytes();
        #[cfg(not(feature = "aws-lc"))]
        match self.never {}
    }

    pub(super) fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        #[cfg(feature = "aws-lc")]
        return sig.len() == self.level.signature_len() && self.key.verify(msg, sig);
        #[cfg(not(feature = "aws-lc"))]
        {
            let _ = (msg, sig);
            match self.never {}
        }
    }
}

/// The public AKP JWK members (`kty`, `pub`; the caller adds `alg`).
pub(super) fn public_jwk(public: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("kty".into(), "AKP".into());
    m.insert("pub".into(), crate::json::b64_encode(public).into());
    m
}
