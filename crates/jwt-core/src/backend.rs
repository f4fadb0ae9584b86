//! The crypto backend: `ring` (the default) or AWS-LC through `aws-lc-rs` (feature
//! `aws-lc`), chosen at build time.
//!
//! Both crates offer the same API for what the core uses (`hmac`, `signature`, `rand`,
//! `digest`, `aead`, `agreement`, `pbkdf2`), so the rest of the crate names
//! `crate::backend::hmac` and so on and never the crate itself; the few calls whose
//! signatures differ get one wrapper each below. With both features on, aws-lc is used
//! (so `--all-features` builds). What only one backend has stays behind its `cfg`:
//! RSA-OAEP decryption (constant-time in AWS-LC, absent from ring) and AWS-LC's own
//! Ed25519, which is faster than ed25519-dalek, the ring build's Ed25519.

/// Key serializations (ML-DSA's expanded private key, `key::mldsa`).
#[cfg(feature = "aws-lc")]
pub(crate) use aws_lc_rs::encoding;
#[cfg(feature = "aws-lc")]
pub(crate) use aws_lc_rs::{aead, agreement, digest, hmac, pbkdf2, rand, signature};
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
pub(crate) use ring::{aead, agreement, digest, hmac, pbkdf2, rand, signature};

#[cfg(not(any(feature = "ring", feature = "aws-lc")))]
compile_error!("jwt-core needs a crypto backend: enable the `ring` (default) or `aws-lc` feature");

/// The backend this build uses: `"ring"` or `"aws-lc"` (for diagnostics, benchmarks and
/// the bindings' version strings).
pub const NAME: &str = if cfg!(feature = "aws-lc") {
    "aws-lc"
} else {
    "ring"
};

/// An ECDSA P-256/P-384 key pair from PKCS#8 (ring wants a random source here, to
/// check the key with a trial signature; AWS-LC checks it without one).
pub(crate) fn ecdsa_from_pkcs8(
    alg: &'static signature::EcdsaSigningAlgorithm,
    pkcs8: &[u8],
) -> Result<signature::EcdsaKeyPair, crate::error::Error> {
    #[cfg(feature = "aws-lc")]
    let pair = signature::EcdsaKeyPair::from_pkcs8(alg, pkcs8);
    #[cfg(not(feature = "aws-lc"))]
    let pair = signature::EcdsaKeyPair::from_pkcs8(alg, pkcs8, &rand::SystemRandom::new());
    pair.map_err(|e| crate::error::Error::invalid_key(format_args!("EC private key: {e}")))
}

/// A fresh RSA key of `bits` (2048, 3072 or 4096) as PKCS#8 DER, from AWS-LC (ring
/// cannot generate RSA keys; its builds use the `rsa` crate, feature `rsa-generate`).
#[cfg(feature = "aws-lc")]
pub(crate) fn rsa_generate_pkcs8(bits: usize) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
    use aws_lc_rs::rsa::KeySize;
    let size = match bits {
        2048 => KeySize::Rsa2048,
        3072 => KeySize::Rsa3072,
        4096 => KeySize::Rsa4096,
        _ => return None,
    };
    let pair = signature::RsaKeyPair::generate(size).ok()?;
    let der: Pkcs8V1Der<'static> = pair.as_der().ok()?;
    Some(zeroize::Zeroizing::new(der.as_ref().to_vec()))
}

/// Open AES-GCM in place with a detached tag; `false` when the tag (or its length) is
/// wrong.
pub(crate) fn aead_open_detached(
    key: &aead::LessSafeKey,
    nonce: aead::Nonce,
    aad: &[u8],
    tag: &[u8],
    buf: &mut [u8],
) -> bool {
    #[cfg(feature = "aws-lc")]
    let opened = key.open_in_place_separate_tag(nonce, aead::Aad::from(aad), tag, buf);
    #[cfg(not(feature = "aws-lc"))]
    let opened = aead::Tag::try_from(tag)
        .and_then(|tag| key.open_in_place_separate_tag(nonce, aead::Aad::from(aad), tag, buf, 0..));
    opened.is_ok()
}

/// Ephemeral-static ECDH: the shared secret Z, or `None` when the peer's public key is
/// not a valid point of the curve.
pub(crate) fn agree_ephemeral(
    eph: agreement::EphemeralPrivateKey,
    peer: &agreement::UnparsedPublicKey<&[u8]>,
) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    let z = |z: &[u8]| zeroize::Zeroizing::new(z.to_vec());
    #[cfg(feature = "aws-lc")]
    return agreement::agree_ephemeral(eph, peer, (), |s| Ok(z(s))).ok();
    #[cfg(not(feature = "aws-lc"))]
    return agreement::agree_ephemeral(eph, peer, z).ok();
}

/// A public key bound to one verification algorithm (RSA PKCS#1 DER, an uncompressed EC
/// point, or a raw Ed25519 key). ring parses at each verification, which costs little;
/// AWS-LC turns the bytes into an `EVP_PKEY` first, so the parsed key is kept.
pub(crate) struct PublicKey {
    #[cfg(not(feature = "aws-lc"))]
    alg: &'static dyn signature::VerificationAlgorithm,
    bytes: Vec<u8>,
    /// `None` when AWS-LC rejects the key (an off-curve point, say): nothing verifies.
    #[cfg(feature = "aws-lc")]
    parsed: Option<signature::ParsedPublicKey>,
}

impl PublicKey {
    pub(crate) fn new(alg: &'static dyn signature::VerificationAlgorithm, bytes: Vec<u8>) -> Self {
        PublicKey {
            #[cfg(not(feature = "aws-lc"))]
            alg,
            #[cfg(feature = "aws-lc")]
            parsed: signature::ParsedPublicKey::new(alg, &bytes).ok(),
            bytes,
        }
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// False when AWS-LC rejected the key (then nothing verifies).
    #[cfg(feature = "aws-lc")]
    pub(crate) fn is_parsed(&self) -> bool {
        self.parsed.is_some()
    }

    pub(crate) fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        #[cfg(feature = "aws-lc")]
        return self
            .parsed
            .as_ref()
            .is_some_and(|k| k.verify_sig(msg, sig).is_ok());
        #[cfg(not(feature = "aws-lc"))]
        return signature::UnparsedPublicKey::new(self.alg, &self.bytes)
            .verify(msg, sig)
            .is_ok();
    }
}

/// An Ed25519 public key ready to verify: AWS-LC's own with `aws-lc`; with ring,
/// ed25519-dalek, which verifies ~1.3x faster than ring here with the same rules
/// (RFC 8032 cofactorless equation, canonical `s`, `R` compared as encoded).
pub(crate) struct Ed25519Verifier {
    #[cfg(feature = "aws-lc")]
    key: PublicKey,
    /// `None` when the bytes are not a curve point: then nothing verifies, as with ring.
    #[cfg(not(feature = "aws-lc"))]
    key: Option<ed25519_dalek::VerifyingKey>,
}

impl Ed25519Verifier {
    pub(crate) fn new(public: &[u8; 32]) -> Self {
        #[cfg(feature = "aws-lc")]
        let key = PublicKey::new(&signature::ED25519, public.to_vec());
        #[cfg(not(feature = "aws-lc"))]
        let key = ed25519_dalek::VerifyingKey::from_bytes(public).ok();
        Ed25519Verifier { key }
    }

    pub(crate) fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        #[cfg(feature = "aws-lc")]
        return self.key.verify(msg, sig);
        #[cfg(not(feature = "aws-lc"))]
        return self.key.as_ref().is_some_and(|key| {
            ed25519_dalek::Signature::from_slice(sig)
                .is_ok_and(|s| ed25519_dalek::Verifier::verify(key, msg, &s).is_ok())
        });
    }
}

/// An Ed25519 private key ready to sign (the signature is deterministic, so both
/// backends give the same bytes): AWS-LC's own, or with ring ed25519-dalek, which signs
/// 2-3x faster than ring here.
pub(crate) struct Ed25519Signer {
    #[cfg(feature = "aws-lc")]
    key: signature::Ed25519KeyPair,
    #[cfg(not(feature = "aws-lc"))]
    key: ed25519_dalek::SigningKey,
}

impl Ed25519Signer {
    pub(crate) fn from_seed(seed: &[u8; 32]) -> Result<Self, crate::error::Error> {
        #[cfg(feature = "aws-lc")]
        let key = signature::Ed25519KeyPair::from_seed_unchecked(seed)
            .map_err(|e| crate::error::Error::invalid_key(format_args!("Ed25519 key: {e}")))?;
        #[cfg(not(feature = "aws-lc"))]
        let key = ed25519_dalek::SigningKey::from_bytes(seed);
        Ok(Ed25519Signer { key })
    }

    /// The matching verifier (`public` is this key's public half).
    pub(crate) fn verifier(&self, public: &[u8; 32]) -> Ed25519Verifier {
        #[cfg(feature = "aws-lc")]
        return Ed25519Verifier::new(public);
        #[cfg(not(feature = "aws-lc"))]
        return {
            let _ = public;
            Ed25519Verifier {
                key: Some(self.key.verifying_key()),
            }
        };
    }

    pub(crate) fn sign(&self, msg: &[u8]) -> Result<[u8; 64], crate::error::Error> {
        #[cfg(feature = "aws-lc")]
        return self
            .key
            .try_sign(msg)
            .ok()
            .and_then(|s| s.as_ref().try_into().ok())
            .ok_or_else(|| crate::error::Error::Crypto("Ed25519 signing".into()));
        #[cfg(not(feature = "aws-lc"))]
        return Ok(ed25519_dalek::Signer::sign(&self.key, msg).to_bytes());
    }
}
