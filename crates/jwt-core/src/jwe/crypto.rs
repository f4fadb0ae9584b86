//! The primitives behind JWE, and which backend provides each.
//!
//! | primitive | backend | why |
//! |---|---|---|
//! | AES-128/256-GCM (content, GCMKW) | `ring` | audited, constant time, fast |
//! | AES-192-GCM | RustCrypto `aes-gcm` | `ring` has no AES-192 |
//! | AES key wrap (RFC 3394) | RustCrypto `aes-kw` | `ring` has no key wrap |
//! | AES-CBC | RustCrypto `aes` + `cbc` | `ring` has no CBC |
//! | HMAC-SHA-2, SHA-2, PBKDF2, RNG | `ring` | |
//! | ECDH, sending (ephemeral) P-256/P-384/X25519 | `ring` | ephemeral keys only, which is all a sender needs |
//! | ECDH, receiving (static key), and P-521 | RustCrypto `p256`/`p384`/`p521`, `x25519-dalek`; AWS-LC on the `aws-lc` backend | `ring`'s ECDH is ephemeral-only and has no P-521; AWS-LC has both and is about twice as fast |
//! | RSA-OAEP (feature `aws-lc`) | AWS-LC (`aws-lc-rs`) | constant-time RSA decryption, see `rsa.rs` |
//!
//! "`ring`" above is the build's backend (`crate::backend`): ring, or AWS-LC with the
//! `aws-lc` feature, which offers the same primitives.
//!
//! Every authentication tag is checked before any decryption output is used: GCM
//! through the AEAD interfaces, CBC-HMAC by comparing the HMAC in constant time
//! (`subtle`) *before* the CBC decryption runs.

use crate::backend::rand::SecureRandom;
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use aes_gcm::aead::AeadInOut;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::alg::{ContentEncryption, EcdhCurve, KeyAlgorithm};
use crate::error::{Error, Result};

/// Secret bytes, zeroized on drop.
pub(crate) type Secret = Zeroizing<Vec<u8>>;

/// `n` random bytes from the system generator.
pub(crate) fn random(n: usize) -> Result<Vec<u8>> {
    let mut out = vec![0u8; n];
    crate::backend::rand::SystemRandom::new()
        .fill(&mut out)
        .map_err(|_| Error::Crypto("random generator failed".into()))?;
    Ok(out)
}

/// A fresh random secret of `n` bytes.
pub(crate) fn random_secret(n: usize) -> Result<Secret> {
    Ok(Zeroizing::new(random(n)?))
}

// ---------------------------------------------------------------------------------------
// AES-GCM (content encryption and GCMKW)

/// AES-GCM encrypt with a 12-byte IV; returns (ciphertext, 16-byte tag).
pub(crate) fn gcm_encrypt(
    key: &[u8],
    iv: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut buf = plaintext.to_vec();
    let tag = match key.len() {
        16 | 32 => {
            let alg = if key.len() == 16 {
                &crate::backend::aead::AES_128_GCM
            } else {
                &crate::backend::aead::AES_256_GCM
            };
            let k = crate::backend::aead::LessSafeKey::new(
                crate::backend::aead::UnboundKey::new(alg, key)
                    .map_err(|_| Error::Crypto("AES-GCM key".into()))?,
            );
            let nonce = crate::backend::aead::Nonce::try_assume_unique_for_key(iv)
                .map_err(|_| Error::Crypto("AES-GCM IV".into()))?;
            k.seal_in_place_separate_tag(nonce, crate::backend::aead::Aad::from(aad), &mut buf)
                .map_err(|_| Error::Crypto("AES-GCM seal".into()))?
                .as_ref()
                .to_vec()
        }
        24 => {
            let c =
                Aes192Gcm::new_from_slice(key).map_err(|_| Error::Crypto("AES-GCM key".into()))?;
            let nonce = aes_gcm::Nonce::<aes_gcm::aead::consts::U12>::try_from(iv)
                .map_err(|_| Error::Crypto("AES-GCM IV".into()))?;
            c.encrypt_inout_detached(&nonce, aad, buf.as_mut_slice().into())
                .map_err(|_| Error::Crypto("AES-GCM seal".into()))?
                .to_vec()
        }
        _ => return Err(Error::Crypto("AES-GCM key size".into())),
    };
    Ok((buf, tag))
}

type Aes192Gcm = aes_gcm::AesGcm<aes::Aes192, aes_gcm::aead::consts::U12>;

/// AES-GCM decrypt; any failure (wrong tag, wrong sizes) is [`Error::DecryptionFailed`].
pub(crate) fn gcm_decrypt(
    key: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Secret> {
    if iv.len() != 12 || tag.len() != 16 {
        return Err(Error::DecryptionFailed);
    }
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    match key.len() {
        16 | 32 => {
            let alg = if key.len() == 16 {
                &crate::backend::aead::AES_128_GCM
            } else {
                &crate::backend::aead::AES_256_GCM
            };
            let k = crate::backend::aead::LessSafeKey::new(
                crate::backend::aead::UnboundKey::new(alg, key)
                    .map_err(|_| Error::DecryptionFailed)?,
            );
            let nonce = crate::backend::aead::Nonce::try_assume_unique_for_key(iv)
                .map_err(|_| Error::DecryptionFailed)?;
            if !crate::backend::aead_open_detached(&k, nonce, aad, tag, &mut buf) {
                return Err(Error::DecryptionFailed);
            }
        }
        24 => {
            let c = Aes192Gcm::new_from_slice(key).map_err(|_| Error::DecryptionFailed)?;
            let nonce = aes_gcm::Nonce::<aes_gcm::aead::consts::U12>::try_from(iv)
                .map_err(|_| Error::DecryptionFailed)?;
            let tag = aes_gcm::Tag::try_from(tag).map_err(|_| Error::DecryptionFailed)?;
            c.decrypt_inout_detached(&nonce, aad, buf.as_mut_slice().into(), &tag)
                .map_err(|_| Error::DecryptionFailed)?;
        }
        _ => return Err(Error::DecryptionFailed),
    }
    Ok(buf)
}

// ---------------------------------------------------------------------------------------
// AES-CBC + HMAC-SHA-2 (RFC 7518 5.2)

fn cbc_hmac_alg(enc: ContentEncryption) -> crate::backend::hmac::Algorithm {
    match enc {
        ContentEncryption::A128CbcHs256 => crate::backend::hmac::HMAC_SHA256,
        ContentEncryption::A192CbcHs384 => crate::backend::hmac::HMAC_SHA384,
        _ => crate::backend::hmac::HMAC_SHA512,
    }
}

fn cbc_tag(enc: ContentEncryption, mac_key: &[u8], aad: &[u8], iv: &[u8], ct: &[u8]) -> Vec<u8> {
    let key = crate::backend::hmac::Key::new(cbc_hmac_alg(enc), mac_key);
    let mut ctx = crate::backend::hmac::Context::with_key(&key);
    ctx.update(aad);
    ctx.update(iv);
    ctx.update(ct);
    ctx.update(&((aad.len() as u64) * 8).to_be_bytes());
    let full = ctx.sign();
    full.as_ref()[..enc.tag_len()].to_vec()
}

fn cbc_encrypt_raw(enc_key: &[u8], iv: &[u8], pt: &[u8]) -> Result<Vec<u8>> {
    fn go<C>(key: &[u8], iv: &[u8], pt: &[u8]) -> Result<Vec<u8>>
    where
        C: aes::cipher::BlockCipherEncrypt<BlockSize = aes::cipher::consts::U16> + KeyInit,
    {
        let e = cbc::Encryptor::<C>::new_from_slices(key, iv)
            .map_err(|_| Error::Crypto("AES-CBC key".into()))?;
        let mut buf = vec![0u8; pt.len() + 16 - pt.len() % 16];
        buf[..pt.len()].copy_from_slice(pt);
        let n = e
            .encrypt_padded::<Pkcs7>(&mut buf, pt.len())
            .map_err(|_| Error::Crypto("AES-CBC padding".into()))?
            .len();
        buf.truncate(n);
        Ok(buf)
    }
    match enc_key.len() {
        16 => go::<aes::Aes128>(enc_key, iv, pt),
        24 => go::<aes::Aes192>(enc_key, iv, pt),
        32 => go::<aes::Aes256>(enc_key, iv, pt),
        _ => Err(Error::Crypto("AES-CBC key size".into())),
    }
}

fn cbc_decrypt_raw(enc_key: &[u8], iv: &[u8], ct: &[u8]) -> Result<Secret> {
    fn go<C>(key: &[u8], iv: &[u8], ct: &[u8]) -> Result<Secret>
    where
        C: aes::cipher::BlockCipherDecrypt<BlockSize = aes::cipher::consts::U16> + KeyInit,
    {
        let d =
            cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| Error::DecryptionFailed)?;
        let mut buf = Zeroizing::new(ct.to_vec());
        let n = d
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(|_| Error::DecryptionFailed)?
            .len();
        buf.truncate(n);
        Ok(buf)
    }
    match enc_key.len() {
        16 => go::<aes::Aes128>(enc_key, iv, ct),
        24 => go::<aes::Aes192>(enc_key, iv, ct),
        32 => go::<aes::Aes256>(enc_key, iv, ct),
        _ => Err(Error::DecryptionFailed),
    }
}

// ---------------------------------------------------------------------------------------
// Content encryption

/// Encrypt `plaintext` under `cek` with `enc`; returns (iv, ciphertext, tag).
pub(crate) fn encrypt_content(
    enc: ContentEncryption,
    cek: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    if cek.len() != enc.key_len() {
        return Err(Error::KeyAlgorithmMismatch(format!(
            "{enc} needs a {}-byte key, got {}",
            enc.key_len(),
            cek.len()
        )));
    }
    let iv = random(enc.iv_len())?;
    if enc.is_gcm() {
        let (ct, tag) = gcm_encrypt(cek, &iv, aad, plaintext)?;
        return Ok((iv, ct, tag));
    }
    let (mac_key, enc_key) = cek.split_at(cek.len() / 2);
    let ct = cbc_encrypt_raw(enc_key, &iv, plaintext)?;
    let tag = cbc_tag(enc, mac_key, aad, &iv, &ct);
    Ok((iv, ct, tag))
}

/// CBC-HMAC encryption with a given IV (the Wycheproof vectors fix it).
#[cfg(test)]
pub(crate) fn cbc_hs_encrypt_with_iv(
    enc: ContentEncryption,
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>)> {
    let (mac_key, enc_key) = cek.split_at(cek.len() / 2);
    let ct = cbc_encrypt_raw(enc_key, iv, plaintext)?;
    let tag = cbc_tag(enc, mac_key, aad, iv, &ct);
    Ok((ct, tag))
}

/// Decrypt and authenticate. Wrong IV or tag sizes, a wrong tag, or bad padding all give
/// [`Error::DecryptionFailed`]. For CBC-HMAC the tag is compared in constant time before
/// anything is decrypted.
pub(crate) fn decrypt_content(
    enc: ContentEncryption,
    cek: &[u8],
    aad: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Secret> {
    if cek.len() != enc.key_len() || iv.len() != enc.iv_len() || tag.len() != enc.tag_len() {
        return Err(Error::DecryptionFailed);
    }
    if enc.is_gcm() {
        return gcm_decrypt(cek, iv, aad, ciphertext, tag);
    }
    let (mac_key, enc_key) = cek.split_at(cek.len() / 2);
    let expected = cbc_tag(enc, mac_key, aad, iv, ciphertext);
    if !bool::from(expected.ct_eq(tag)) {
        return Err(Error::DecryptionFailed);
    }
    cbc_decrypt_raw(enc_key, iv, ciphertext)
}

// ---------------------------------------------------------------------------------------
// AES key wrap (RFC 3394)

pub(crate) fn aes_kw_wrap(kek: &[u8], cek: &[u8]) -> Result<Vec<u8>> {
    let mut out = vec![0u8; cek.len() + aes_kw::IV_LEN];
    let bad = |_| Error::Crypto("AES key wrap".into());
    let n = match kek.len() {
        16 => aes_kw::KwAes128::new_from_slice(kek)
            .map_err(|_| Error::Crypto("AES-KW key".into()))?
            .wrap_key(cek, &mut out)
            .map_err(bad)?
            .len(),
        24 => aes_kw::KwAes192::new_from_slice(kek)
            .map_err(|_| Error::Crypto("AES-KW key".into()))?
            .wrap_key(cek, &mut out)
            .map_err(bad)?
            .len(),
        32 => aes_kw::KwAes256::new_from_slice(kek)
            .map_err(|_| Error::Crypto("AES-KW key".into()))?
            .wrap_key(cek, &mut out)
            .map_err(bad)?
            .len(),
        _ => return Err(Error::Crypto("AES-KW key size".into())),
    };
    out.truncate(n);
    Ok(out)
}

/// Unwrap; an integrity failure or a malformed input is [`Error::DecryptionFailed`].
pub(crate) fn aes_kw_unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Secret> {
    if wrapped.len() < 24 || wrapped.len() % 8 != 0 {
        return Err(Error::DecryptionFailed);
    }
    let mut out = Zeroizing::new(vec![0u8; wrapped.len() - aes_kw::IV_LEN]);
    let f = |_| Error::DecryptionFailed;
    let n = match kek.len() {
        16 => aes_kw::KwAes128::new_from_slice(kek)
            .map_err(|_| Error::DecryptionFailed)?
            .unwrap_key(wrapped, &mut out)
            .map_err(f)?
            .len(),
        24 => aes_kw::KwAes192::new_from_slice(kek)
            .map_err(|_| Error::DecryptionFailed)?
            .unwrap_key(wrapped, &mut out)
            .map_err(f)?
            .len(),
        32 => aes_kw::KwAes256::new_from_slice(kek)
            .map_err(|_| Error::DecryptionFailed)?
            .unwrap_key(wrapped, &mut out)
            .map_err(f)?
            .len(),
        _ => return Err(Error::DecryptionFailed),
    };
    out.truncate(n);
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Concat KDF (NIST SP 800-56A, RFC 7518 4.6.2)

pub(crate) fn concat_kdf(z: &[u8], alg_id: &str, apu: &[u8], apv: &[u8], key_len: usize) -> Secret {
    let mut out = Zeroizing::new(Vec::with_capacity(key_len + 64));
    let mut counter: u32 = 1;
    while out.len() < key_len {
        let mut ctx = crate::backend::digest::Context::new(&crate::backend::digest::SHA256);
        ctx.update(&counter.to_be_bytes());
        ctx.update(z);
        for part in [alg_id.as_bytes(), apu, apv] {
            ctx.update(&(part.len() as u32).to_be_bytes());
            ctx.update(part);
        }
        ctx.update(&((key_len as u32) * 8).to_be_bytes());
        out.extend_from_slice(ctx.finish().as_ref());
        counter += 1;
    }
    out.truncate(key_len);
    out
}

// ---------------------------------------------------------------------------------------
// PBES2 (RFC 7518 4.8)

pub(crate) fn pbes2_kek(
    alg: KeyAlgorithm,
    password: &[u8],
    p2s: &[u8],
    p2c: u32,
) -> Result<Secret> {
    let prf = match alg {
        KeyAlgorithm::Pbes2Hs256A128KW => crate::backend::pbkdf2::PBKDF2_HMAC_SHA256,
        KeyAlgorithm::Pbes2Hs384A192KW => crate::backend::pbkdf2::PBKDF2_HMAC_SHA384,
        KeyAlgorithm::Pbes2Hs512A256KW => crate::backend::pbkdf2::PBKDF2_HMAC_SHA512,
        _ => return Err(Error::Crypto("not a PBES2 algorithm".into())),
    };
    let iterations = std::num::NonZeroU32::new(p2c)
        .ok_or_else(|| Error::InvalidHeader("`p2c` must be positive".into()))?;
    let mut salt = Vec::with_capacity(alg.as_str().len() + 1 + p2s.len());
    salt.extend_from_slice(alg.as_str().as_bytes());
    salt.push(0);
    salt.extend_from_slice(p2s);
    let mut kek = Zeroizing::new(vec![0u8; alg.wrap_key_len().unwrap_or(16)]);
    crate::backend::pbkdf2::derive(prf, iterations, &salt, password, &mut kek);
    Ok(kek)
}

// ---------------------------------------------------------------------------------------
// ECDH

/// A parsed, validated public key on one of the ECDH curves: SEC1 uncompressed point for
/// the NIST curves, 32 bytes for X25519.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EcdhPublic {
    pub(crate) curve: EcdhCurve,
    pub(crate) bytes: Vec<u8>,
}

impl EcdhPublic {
    /// Validate a point given by its JWK coordinates. The NIST curves go through
    /// `from_sec1_bytes`, which rejects points not on the curve and the identity
    /// (invalid-curve attacks); X25519 needs 32 bytes (low-order points are caught when
    /// the shared secret turns out all-zero). Failures are [`Error::InvalidKey`], right
    /// for the caller's own keys; the decrypter turns them into header errors for the
    /// token's `epk`.
    pub(crate) fn from_coordinates(curve: EcdhCurve, x: &[u8], y: Option<&[u8]>) -> Result<Self> {
        let n = curve.field_len();
        if x.len() != n {
            return Err(Error::invalid_key(format_args!(
                "`x` must be {n} bytes for {}",
                curve.jwk_name()
            )));
        }
        if curve == EcdhCurve::X25519 {
            if y.is_some() {
                return Err(Error::invalid_key("an X25519 key has no `y`"));
            }
            return Ok(EcdhPublic {
                curve,
                bytes: x.to_vec(),
            });
        }
        let y = y.ok_or_else(|| Error::invalid_key("EC key has no `y`"))?;
        if y.len() != n {
            return Err(Error::invalid_key(format_args!(
                "`y` must be {n} bytes for {}",
                curve.jwk_name()
            )));
        }
        let mut sec1 = Vec::with_capacity(1 + 2 * n);
        sec1.push(4);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        let ok = match curve {
            EcdhCurve::P256 => p256::PublicKey::from_sec1_bytes(&sec1).is_ok(),
            EcdhCurve::P384 => p384::PublicKey::from_sec1_bytes(&sec1).is_ok(),
            EcdhCurve::P521 => p521::PublicKey::from_sec1_bytes(&sec1).is_ok(),
            EcdhCurve::X25519 => true,
        };
        if !ok {
            return Err(Error::invalid_key(format_args!(
                "the point is not on {}",
                curve.jwk_name()
            )));
        }
        Ok(EcdhPublic { curve, bytes: sec1 })
    }

    /// (x, y) coordinates for a JWK.
    pub(crate) fn coordinates(&self) -> (&[u8], Option<&[u8]>) {
        if self.curve == EcdhCurve::X25519 {
            return (&self.bytes, None);
        }
        let n = self.curve.field_len();
        (&self.bytes[1..1 + n], Some(&self.bytes[1 + n..]))
    }
}

/// A static ECDH private key (the recipient's), parsed once. On ring builds it is the
/// RustCrypto key (ring's ECDH is ephemeral-only and has no P-521). On the aws-lc backend
/// it is the AWS-LC key alone: AWS-LC checks the scalar's range (`0 < d < n`), computes
/// the public key while parsing (kept, for JWK export and the `x`/`y` check), gives the
/// scalar back, and does the agreement (RustCrypto's P-256 scalar multiplication made
/// ECDH-ES decryption about half as fast as joserfc's OpenSSL). A second, RustCrypto
/// copy of the scalar would only cost a second parse and a second public-key
/// multiplication per key import.
#[derive(Clone)]
pub(crate) struct EcdhPrivate {
    #[cfg(not(feature = "aws-lc"))]
    key: RustCryptoEcdh,
    #[cfg(feature = "aws-lc")]
    lc: std::sync::Arc<crate::backend::agreement::PrivateKey>,
    /// The public key, computed by AWS-LC when parsing.
    #[cfg(feature = "aws-lc")]
    public: EcdhPublic,
}

#[cfg(not(feature = "aws-lc"))]
#[derive(Clone)]
enum RustCryptoEcdh {
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    P521(p521::SecretKey),
    X25519(x25519_dalek::StaticSecret),
}

/// The AWS-LC agreement algorithm of a curve.
#[cfg(feature = "aws-lc")]
fn lc_alg(curve: EcdhCurve) -> &'static crate::backend::agreement::Algorithm {
    use crate::backend::agreement::{ECDH_P256, ECDH_P384, ECDH_P521, X25519};
    match curve {
        EcdhCurve::P256 => &ECDH_P256,
        EcdhCurve::P384 => &ECDH_P384,
        EcdhCurve::P521 => &ECDH_P521,
        EcdhCurve::X25519 => &X25519,
    }
}

impl EcdhPrivate {
    pub(crate) fn from_scalar(curve: EcdhCurve, d: &[u8]) -> Result<Self> {
        if d.len() != curve.field_len() {
            return Err(Error::invalid_key(format_args!(
                "`d` must be {} bytes for {}",
                curve.field_len(),
                curve.jwk_name()
            )));
        }
        #[cfg(feature = "aws-lc")]
        {
            let lc = crate::backend::agreement::PrivateKey::from_private_key(lc_alg(curve), d)
                .map_err(|_| Error::invalid_key("invalid private scalar"))?;
            let public = lc
                .compute_public_key()
                .map_err(|_| Error::Crypto("ECDH public key".into()))?;
            Ok(EcdhPrivate {
                public: EcdhPublic {
                    curve,
                    bytes: public.as_ref().to_vec(),
                },
                lc: std::sync::Arc::new(lc),
            })
        }
        #[cfg(not(feature = "aws-lc"))]
        Self::from_scalar_rust_crypto(curve, d)
    }

    #[cfg(not(feature = "aws-lc"))]
    fn from_scalar_rust_crypto(curve: EcdhCurve, d: &[u8]) -> Result<Self> {
        let bad = |_| Error::invalid_key("invalid private scalar");
        let key = match curve {
            EcdhCurve::P256 => RustCryptoEcdh::P256(p256::SecretKey::from_slice(d).map_err(bad)?),
            EcdhCurve::P384 => RustCryptoEcdh::P384(p384::SecretKey::from_slice(d).map_err(bad)?),
            EcdhCurve::P521 => RustCryptoEcdh::P521(p521::SecretKey::from_slice(d).map_err(bad)?),
            EcdhCurve::X25519 => {
                let mut a = Zeroizing::new([0u8; 32]);
                a.copy_from_slice(d);
                RustCryptoEcdh::X25519(x25519_dalek::StaticSecret::from(*a))
            }
        };
        Ok(EcdhPrivate { key })
    }

    pub(crate) fn generate(curve: EcdhCurve) -> Result<Self> {
        // A random scalar is out of range with negligible probability (P-521: the top
        // bits are masked so that it almost always fits); retry rather than bias.
        for _ in 0..64 {
            let mut d = random_secret(curve.field_len())?;
            if curve == EcdhCurve::P521 {
                d[0] &= 0x01;
            }
            if let Ok(k) = EcdhPrivate::from_scalar(curve, &d) {
                return Ok(k);
            }
        }
        Err(Error::Crypto("could not generate an ECDH key".into()))
    }

    pub(crate) fn curve(&self) -> EcdhCurve {
        #[cfg(feature = "aws-lc")]
        return self.public.curve;
        #[cfg(not(feature = "aws-lc"))]
        match &self.key {
            RustCryptoEcdh::P256(_) => EcdhCurve::P256,
            RustCryptoEcdh::P384(_) => EcdhCurve::P384,
            RustCryptoEcdh::P521(_) => EcdhCurve::P521,
            RustCryptoEcdh::X25519(_) => EcdhCurve::X25519,
        }
    }

    /// The private scalar `d` (X25519: the 32 bytes as given, unclamped).
    #[cfg(feature = "aws-lc")]
    pub(crate) fn scalar(&self) -> Result<Secret> {
        use crate::backend::encoding::{AsBigEndian, Curve25519SeedBin, EcPrivateKeyBin};
        let bad = |_| Error::Crypto("ECDH private key export".into());
        let d = if self.public.curve == EcdhCurve::X25519 {
            let bin: Curve25519SeedBin<'static> = self.lc.as_be_bytes().map_err(bad)?;
            bin.as_ref().to_vec()
        } else {
            let bin: EcPrivateKeyBin<'static> = self.lc.as_be_bytes().map_err(bad)?;
            bin.as_ref().to_vec()
        };
        Ok(Zeroizing::new(d))
    }

    /// The private scalar `d` (X25519: the 32 bytes as given, unclamped).
    #[cfg(not(feature = "aws-lc"))]
    pub(crate) fn scalar(&self) -> Result<Secret> {
        Ok(Zeroizing::new(match &self.key {
            RustCryptoEcdh::P256(k) => k.to_bytes().to_vec(),
            RustCryptoEcdh::P384(k) => k.to_bytes().to_vec(),
            RustCryptoEcdh::P521(k) => k.to_bytes().to_vec(),
            RustCryptoEcdh::X25519(k) => k.to_bytes().to_vec(),
        }))
    }

    #[cfg(feature = "aws-lc")]
    pub(crate) fn public(&self) -> EcdhPublic {
        self.public.clone()
    }

    #[cfg(not(feature = "aws-lc"))]
    pub(crate) fn public(&self) -> EcdhPublic {
        use p256::elliptic_curve::sec1::ToSec1Point as _;
        let curve = self.curve();
        let bytes = match &self.key {
            RustCryptoEcdh::P256(k) => k.public_key().to_sec1_point(false).as_bytes().to_vec(),
            RustCryptoEcdh::P384(k) => k.public_key().to_sec1_point(false).as_bytes().to_vec(),
            RustCryptoEcdh::P521(k) => k.public_key().to_sec1_point(false).as_bytes().to_vec(),
            RustCryptoEcdh::X25519(k) => x25519_dalek::PublicKey::from(k).as_bytes().to_vec(),
        };
        EcdhPublic { curve, bytes }
    }

    /// The shared secret Z with a (validated) peer public key: the token's `epk`. Every
    /// failure is the token's, not this key's: `epk` on another curve than this key is
    /// [`Error::KeyNotFound`] (like a `kid` naming no key: another recipient's key may be
    /// on that curve), a point AWS-LC refuses or a low-order X25519 point is
    /// [`Error::InvalidHeader`].
    pub(crate) fn agree(&self, peer: &EcdhPublic) -> Result<Secret> {
        if peer.curve != self.curve() {
            return Err(Error::KeyNotFound(format!(
                "`epk` is on {}, the key on {}",
                peer.curve.jwk_name(),
                self.curve().jwk_name()
            )));
        }
        #[cfg(feature = "aws-lc")]
        return self.agree_aws_lc(peer);
        #[cfg(not(feature = "aws-lc"))]
        self.agree_rust_crypto(peer)
    }

    /// Z through AWS-LC, with the key parsed at construction.
    #[cfg(feature = "aws-lc")]
    fn agree_aws_lc(&self, peer: &EcdhPublic) -> Result<Secret> {
        use crate::backend::agreement::{UnparsedPublicKey, agree};
        let peer_key = UnparsedPublicKey::new(lc_alg(peer.curve), &peer.bytes[..]);
        let z = agree(&self.lc, peer_key, (), |s| Ok(Zeroizing::new(s.to_vec())))
            .map_err(|()| Error::InvalidHeader("`epk` is not a valid point".into()))?;
        if peer.curve == EcdhCurve::X25519 && z.iter().all(|b| *b == 0) {
            return Err(Error::InvalidHeader(
                "`epk` is a low-order X25519 point".into(),
            ));
        }
        Ok(z)
    }

    /// Z through RustCrypto (ring builds: ring has no static-key ECDH).
    #[cfg(not(feature = "aws-lc"))]
    fn agree_rust_crypto(&self, peer: &EcdhPublic) -> Result<Secret> {
        let bad = |_| Error::InvalidHeader("`epk` is not a valid point".into());
        let z = match &self.key {
            RustCryptoEcdh::P256(k) => {
                let p = p256::PublicKey::from_sec1_bytes(&peer.bytes).map_err(bad)?;
                k.diffie_hellman(&p).raw_secret_bytes().to_vec()
            }
            RustCryptoEcdh::P384(k) => {
                let p = p384::PublicKey::from_sec1_bytes(&peer.bytes).map_err(bad)?;
                k.diffie_hellman(&p).raw_secret_bytes().to_vec()
            }
            RustCryptoEcdh::P521(k) => {
                let p = p521::PublicKey::from_sec1_bytes(&peer.bytes).map_err(bad)?;
                k.diffie_hellman(&p).raw_secret_bytes().to_vec()
            }
            RustCryptoEcdh::X25519(k) => {
                let mut a = [0u8; 32];
                a.copy_from_slice(&peer.bytes);
                let s = k.diffie_hellman(&x25519_dalek::PublicKey::from(a));
                if !s.was_contributory() {
                    return Err(Error::InvalidHeader(
                        "`epk` is a low-order X25519 point".into(),
                    ));
                }
                s.as_bytes().to_vec()
            }
        };
        Ok(Zeroizing::new(z))
    }
}

/// Sender side: a fresh ephemeral key agreed with the recipient's public key. Returns the
/// ephemeral public key and Z. P-256, P-384 and X25519 use the backend's ephemeral ECDH;
/// P-521 too on aws-lc, RustCrypto on ring (`ring` has no P-521).
pub(crate) fn ephemeral_agree(peer: &EcdhPublic) -> Result<(EcdhPublic, Secret)> {
    let ring_alg = match peer.curve {
        EcdhCurve::P256 => &crate::backend::agreement::ECDH_P256,
        EcdhCurve::P384 => &crate::backend::agreement::ECDH_P384,
        EcdhCurve::X25519 => &crate::backend::agreement::X25519,
        #[cfg(feature = "aws-lc")]
        EcdhCurve::P521 => &crate::backend::agreement::ECDH_P521,
        #[cfg(not(feature = "aws-lc"))]
        EcdhCurve::P521 => {
            let eph = EcdhPrivate::generate(EcdhCurve::P521)?;
            // `agree` speaks of the token's `epk`; here the peer is the caller's key.
            let z = eph.agree(peer).map_err(|_| {
                Error::invalid_key("the recipient's public key is not a valid point")
            })?;
            return Ok((eph.public(), z));
        }
    };
    let rng = crate::backend::rand::SystemRandom::new();
    let eph = crate::backend::agreement::EphemeralPrivateKey::generate(ring_alg, &rng)
        .map_err(|_| Error::Crypto("ephemeral key generation failed".into()))?;
    let public = eph
        .compute_public_key()
        .map_err(|_| Error::Crypto("ephemeral public key".into()))?
        .as_ref()
        .to_vec();
    let peer_key = crate::backend::agreement::UnparsedPublicKey::new(ring_alg, &peer.bytes[..]);
    let z = crate::backend::agree_ephemeral(eph, &peer_key)
        .ok_or_else(|| Error::invalid_key("the recipient's public key is not a valid point"))?;
    if peer.curve == EcdhCurve::X25519 && z.iter().all(|b| *b == 0) {
        return Err(Error::invalid_key(
            "the recipient's key is a low-order X25519 point",
        ));
    }
    Ok((
        EcdhPublic {
            curve: peer.curve,
            bytes: public,
        },
        z,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_kdf_rfc7518_appendix_c() {
        // RFC 7518 appendix C: ECDH-ES with A128GCM, apu "Alice", apv "Bob".
        let z = [
            158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49,
            110, 163, 218, 128, 106, 72, 246, 218, 167, 121, 140, 254, 144, 196,
        ];
        let k = concat_kdf(&z, "A128GCM", b"Alice", b"Bob", 16);
        assert_eq!(crate::json::b64_encode(&*k), "VqqN6vgjbSBcIijNcacQGg");
    }

    #[test]
    fn cbc_hmac_rfc7518_appendix_b1() {
        // RFC 7518 B.1 (A128CBC-HS256) test case.
        let key: Vec<u8> = (0u8..32).collect();
        let p = hex::decode("41206369706865722073797374656d206d757374206e6f7420626520726571756972656420746f206265207365637265742c20616e64206974206d7573742062652061626c6520746f2066616c6c20696e746f207468652068616e6473206f662074686520656e656d7920776974686f757420696e636f6e76656e69656e6365").unwrap();
        let iv = hex::decode("1af38c2dc2b96ffdd86694092341bc04").unwrap();
        let a = hex::decode(
            "546865207365636f6e64207072696e6369706c65206f662041756775737465204b6572636b686f666673",
        )
        .unwrap();
        let (mac_key, enc_key) = key.split_at(16);
        let ct = cbc_encrypt_raw(enc_key, &iv, &p).unwrap();
        let tag = cbc_tag(ContentEncryption::A128CbcHs256, mac_key, &a, &iv, &ct);
        assert_eq!(hex::encode(&tag), "652c3fa36b0a7c5b3219fab3a30bc1c4");
        let back =
            decrypt_content(ContentEncryption::A128CbcHs256, &key, &a, &iv, &ct, &tag).unwrap();
        assert_eq!(&*back, &p[..]);
        let mut bad = tag.clone();
        bad[15] ^= 1;
        assert_eq!(
            decrypt_content(ContentEncryption::A128CbcHs256, &key, &a, &iv, &ct, &bad).unwrap_err(),
            Error::DecryptionFailed
        );
    }

    #[test]
    fn aes_kw_rfc3394_vector() {
        let kek = hex::decode("000102030405060708090A0B0C0D0E0F").unwrap();
        let data = hex::decode("00112233445566778899AABBCCDDEEFF").unwrap();
        let w = aes_kw_wrap(&kek, &data).unwrap();
        assert_eq!(
            hex::encode_upper(&w),
            "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"
        );
        assert_eq!(&*aes_kw_unwrap(&kek, &w).unwrap(), &data[..]);
        let mut bad = w.clone();
        bad[0] ^= 1;
        assert_eq!(
            aes_kw_unwrap(&kek, &bad).unwrap_err(),
            Error::DecryptionFailed
        );
        assert_eq!(
            aes_kw_unwrap(&kek, &w[..16]).unwrap_err(),
            Error::DecryptionFailed
        );
    }

    #[test]
    fn gcm_all_sizes_round_trip() {
        for n in [16, 24, 32] {
            let key = vec![7u8; n];
            let iv = [1u8; 12];
            let (ct, tag) = gcm_encrypt(&key, &iv, b"aad", b"hello").unwrap();
            assert_eq!(
                &*gcm_decrypt(&key, &iv, b"aad", &ct, &tag).unwrap(),
                b"hello"
            );
            assert!(gcm_decrypt(&key, &iv, b"aaD", &ct, &tag).is_err());
            assert!(gcm_decrypt(&key, &iv, b"aad", &ct, &tag[..15]).is_err());
        }
    }

    /// One parse per backend: the scalar's range is still checked (`0 < d < n`) and the
    /// scalar exported is the one imported. (That the public key fits the scalar is
    /// `ecdh_both_sides_agree_on_every_curve`, and the RFC 7520 vectors' `x`/`y` check.)
    #[test]
    fn private_scalar_range_and_export() {
        let n = hex::decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
            .unwrap();
        let mut n_minus_1 = n.clone();
        n_minus_1[31] -= 1;
        for bad in [vec![0u8; 32], n.clone(), vec![0xff; 32], vec![1u8; 31]] {
            let e = EcdhPrivate::from_scalar(EcdhCurve::P256, &bad).err();
            assert_eq!(
                e.map(|e| e.code()),
                Some("invalid_key"),
                "{}",
                hex::encode(&bad)
            );
        }
        assert!(EcdhPrivate::from_scalar(EcdhCurve::P256, &n_minus_1).is_ok());
        assert!(EcdhPrivate::from_scalar(EcdhCurve::P384, &[0u8; 48]).is_err());
        assert!(EcdhPrivate::from_scalar(EcdhCurve::P521, &[0xffu8; 66]).is_err());
        for &curve in EcdhCurve::ALL {
            let k = EcdhPrivate::generate(curve).unwrap();
            let d = k.scalar().unwrap();
            assert_eq!(d.len(), curve.field_len());
            let again = EcdhPrivate::from_scalar(curve, &d).unwrap();
            assert_eq!(*again.scalar().unwrap(), *d, "{curve:?}");
            assert_eq!(again.public(), k.public(), "{curve:?}");
        }
    }

    #[test]
    fn ecdh_both_sides_agree_on_every_curve() {
        for curve in [
            EcdhCurve::P256,
            EcdhCurve::P384,
            EcdhCurve::P521,
            EcdhCurve::X25519,
        ] {
            let recipient = EcdhPrivate::generate(curve).unwrap();
            let (epk, z1) = ephemeral_agree(&recipient.public()).unwrap();
            let (x, y) = epk.coordinates();
            let epk = EcdhPublic::from_coordinates(curve, x, y).unwrap();
            let z2 = recipient.agree(&epk).unwrap();
            assert_eq!(*z1, *z2, "{curve:?}");
            assert_eq!(z1.len(), curve.field_len());
        }
    }
}
