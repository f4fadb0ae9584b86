//! Encryption: [`Encrypter`] (a key plus a header template, built once) for compact JWEs,
//! the JSON serializations ([`encrypt_general`], [`encrypt_flattened`]), and the sender's
//! side of key management (wrapping the CEK).

use serde::Serialize;
use serde_json::{Map, Value};

use super::crypto::{self, Secret};
use super::key::{self, Public};
use super::{ContentEncryption, EncryptionKey, JweHeader, KeyAlgorithm, KeyKind};
use crate::error::{Error, Result};
use crate::json::{self, b64_encode};
use crate::sign::Signer;

/// A key plus a header template, built once. Produces compact JWEs.
///
/// The header gets `alg` from the key (always) and the key's `kid` unless the template
/// sets one.
#[derive(Clone, Debug)]
pub struct Encrypter {
    key: EncryptionKey,
    header: JweHeader,
}

impl Encrypter {
    /// An encrypter with the default header (`alg`, `enc`, the key's `kid`).
    pub fn new(key: EncryptionKey, enc: ContentEncryption) -> Result<Self> {
        let header = JweHeader::new(key.algorithm(), enc);
        Self::with_header(key, header)
    }

    /// An encrypter with a header template (`zip`, `typ`, `cty`, custom members). The
    /// template's `alg` must be the key's; its `enc` must fit the key.
    pub fn with_header(key: EncryptionKey, mut header: JweHeader) -> Result<Self> {
        if header.alg != key.algorithm() {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "the header says {} but the key is for {}",
                header.alg,
                key.algorithm()
            )));
        }
        key::check_enc(key.alg, key.enc, key.dir_len(), header.enc)?;
        for p in ["epk", "apu", "apv", "iv", "tag", "p2s", "p2c"] {
            if header.extra.contains_key(p) {
                return Err(Error::InvalidArgument(format!(
                    "`{p}` is set by the algorithm, not the template"
                )));
            }
        }
        if header.kid.is_none() {
            header.kid = key.kid().map(str::to_owned);
        }
        Ok(Encrypter { key, header })
    }

    /// The header template.
    pub fn header(&self) -> &JweHeader {
        &self.header
    }

    /// Encrypt `plaintext` into a compact JWE.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<String> {
        encrypt_compact_with(&self.key, &self.header, plaintext)
    }

    /// Encrypt claims (any `Serialize` value that serializes to a JSON object) as an
    /// encrypted (not signed) JWT.
    pub fn encrypt_claims<T: Serialize + ?Sized>(&self, claims: &T) -> Result<String> {
        let payload =
            serde_json::to_vec(claims).map_err(|e| Error::Serialization(e.to_string()))?;
        if payload.first() != Some(&b'{') {
            return Err(Error::InvalidArgument(
                "claims must serialize to a JSON object".into(),
            ));
        }
        self.encrypt(&payload)
    }

    /// A nested JWT in one call: sign `claims` with `signer`, then encrypt the JWS with
    /// `cty: JWT` (RFC 7519 5.2). Decrypt it with
    /// [`Decrypter::decrypt_jwt`](super::Decrypter::decrypt_jwt).
    pub fn encrypt_signed<T: Serialize + ?Sized>(
        &self,
        signer: &Signer,
        claims: &T,
    ) -> Result<String> {
        let jws = signer.sign(claims)?;
        let mut header = self.header.clone();
        header.cty = Some("JWT".into());
        encrypt_compact_with(&self.key, &header, jws.as_bytes())
    }
}

fn encrypt_compact_with(
    key: &EncryptionKey,
    template: &JweHeader,
    plaintext: &[u8],
) -> Result<String> {
    let enc = template.enc;
    let w = wrap_cek(key, enc, None)?;
    let mut header = template.to_map();
    header.extend(w.params);
    let protected = b64_encode(Value::Object(header).to_string());
    let compressed;
    let data = if template.zip {
        compressed = deflate(plaintext)?;
        &compressed[..]
    } else {
        plaintext
    };
    let (iv, ct, tag) = crypto::encrypt_content(enc, &w.cek, protected.as_bytes(), data)?;
    let mut out =
        String::with_capacity(protected.len() + (w.encrypted_key.len() + ct.len()) * 4 / 3 + 64);
    out.push_str(&protected);
    for part in [&w.encrypted_key, &iv, &ct, &tag] {
        out.push('.');
        json::b64_encode_into(part, &mut out);
    }
    Ok(out)
}

/// Encrypt `plaintext` into a compact JWE with `header` (its `alg` must be the key's).
pub fn encrypt_compact(
    key: &EncryptionKey,
    header: &JweHeader,
    plaintext: &[u8],
) -> Result<String> {
    Encrypter::with_header(key.clone(), header.clone())?.encrypt(plaintext)
}

/// Options for the JSON serializations.
#[derive(Clone, Debug, Default)]
pub struct JsonOptions {
    /// Extra integrity-protected members (`typ`, `cty`, ...). `enc` and `zip` are added.
    pub protected: Map<String, Value>,
    /// Shared unprotected members (`unprotected`).
    pub unprotected: Option<Map<String, Value>>,
    /// Compress the plaintext (`zip: DEF`, always in the protected header).
    pub zip: bool,
    /// Additional authenticated data (`aad`).
    pub aad: Option<Vec<u8>>,
}

/// Encrypt to several recipients at once (general JSON serialization, RFC 7516 7.2.1).
/// Each recipient's `alg`, `kid` and algorithm parameters go in its own unprotected
/// `header`; `enc` (and `zip`) in the shared protected header. `dir` and `ECDH-ES` can
/// only be used with a single recipient.
pub fn encrypt_general(
    recipients: &[&EncryptionKey],
    enc: ContentEncryption,
    options: &JsonOptions,
    plaintext: &[u8],
) -> Result<String> {
    encrypt_json(recipients, enc, options, plaintext, false)
}

/// Encrypt to one recipient (flattened JSON serialization, RFC 7516 7.2.2). `alg`,
/// `kid` and the algorithm parameters are integrity-protected.
pub fn encrypt_flattened(
    key: &EncryptionKey,
    enc: ContentEncryption,
    options: &JsonOptions,
    plaintext: &[u8],
) -> Result<String> {
    encrypt_json(&[key], enc, options, plaintext, true)
}

fn encrypt_json(
    recipients: &[&EncryptionKey],
    enc: ContentEncryption,
    options: &JsonOptions,
    plaintext: &[u8],
    flattened: bool,
) -> Result<String> {
    if recipients.is_empty() {
        return Err(Error::InvalidArgument("no recipients".into()));
    }
    if recipients.len() > 1 && recipients.iter().any(|k| k.alg.is_direct()) {
        return Err(Error::InvalidArgument(
            "`dir` and `ECDH-ES` allow only one recipient".into(),
        ));
    }
    let mut protected = options.protected.clone();
    for reserved in [
        "alg", "enc", "zip", "kid", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    ] {
        if protected.contains_key(reserved)
            || options
                .unprotected
                .as_ref()
                .is_some_and(|u| u.contains_key(reserved))
        {
            return Err(Error::InvalidArgument(format!(
                "`{reserved}` is set by the library"
            )));
        }
    }
    if let Some(u) = &options.unprotected {
        if let Some(k) = u.keys().find(|k| protected.contains_key(*k)) {
            return Err(Error::InvalidArgument(format!(
                "`{}` is both protected and unprotected",
                k
            )));
        }
    }
    protected.insert("enc".into(), enc.as_str().into());
    if options.zip {
        protected.insert("zip".into(), "DEF".into());
    }
    // The first recipient fixes the CEK (a direct algorithm chooses it); the others wrap it.
    let mut cek: Option<Secret> = None;
    let mut entries: Vec<(Vec<u8>, Map<String, Value>)> = Vec::with_capacity(recipients.len());
    for key in recipients {
        let w = wrap_cek(key, enc, cek.as_ref())?;
        if cek.is_none() {
            cek = Some(w.cek.clone());
        }
        let mut h = w.params;
        h.insert("alg".into(), key.alg.as_str().into());
        if let Some(kid) = &key.kid {
            h.insert("kid".into(), kid.clone().into());
        }
        entries.push((w.encrypted_key, h));
    }
    let cek = cek.ok_or_else(|| Error::InvalidArgument("no recipients".into()))?;
    if flattened {
        let (_, h) = &mut entries[0];
        protected.extend(std::mem::take(h));
    }
    let protected_b64 = b64_encode(Value::Object(protected).to_string());
    let aad_b64 = options.aad.as_ref().map(b64_encode);
    let mut full_aad = protected_b64.clone();
    if let Some(a) = &aad_b64 {
        full_aad.push('.');
        full_aad.push_str(a);
    }
    let compressed;
    let data = if options.zip {
        compressed = deflate(plaintext)?;
        &compressed[..]
    } else {
        plaintext
    };
    let (iv, ct, tag) = crypto::encrypt_content(enc, &cek, full_aad.as_bytes(), data)?;
    let mut doc = Map::new();
    doc.insert("protected".into(), protected_b64.into());
    if let Some(u) = &options.unprotected {
        doc.insert("unprotected".into(), Value::Object(u.clone()));
    }
    if flattened {
        let (ek, _) = &entries[0];
        if !ek.is_empty() {
            doc.insert("encrypted_key".into(), b64_encode(ek).into());
        }
    } else {
        let list = entries
            .into_iter()
            .map(|(ek, h)| {
                let mut r = Map::new();
                r.insert("header".into(), Value::Object(h));
                if !ek.is_empty() {
                    r.insert("encrypted_key".into(), b64_encode(&ek).into());
                }
                Value::Object(r)
            })
            .collect();
        doc.insert("recipients".into(), Value::Array(list));
    }
    doc.insert("iv".into(), b64_encode(&iv).into());
    doc.insert("ciphertext".into(), b64_encode(&ct).into());
    doc.insert("tag".into(), b64_encode(&tag).into());
    if let Some(a) = aad_b64 {
        doc.insert("aad".into(), a.into());
    }
    Ok(Value::Object(doc).to_string())
}

// ---------------------------------------------------------------------------------------
// Key management (the sender's side)

/// The outcome of key management when encrypting.
struct Wrapped {
    cek: Secret,
    encrypted_key: Vec<u8>,
    params: Map<String, Value>,
}

fn wrap_cek(key: &EncryptionKey, enc: ContentEncryption, cek: Option<&Secret>) -> Result<Wrapped> {
    key::check_enc(key.alg, key.enc, key.dir_len(), enc)?;
    let mut params = Map::new();
    let fresh = |cek: Option<&Secret>| -> Result<Secret> {
        match cek {
            Some(c) => Ok(c.clone()),
            None => crypto::random_secret(enc.key_len()),
        }
    };
    let alg = key.alg;
    let (cek, encrypted_key) = match (&key.material, alg) {
        (Public::Secret(s), KeyAlgorithm::Dir) => (s.clone(), Vec::new()),
        (
            Public::Secret(kek),
            KeyAlgorithm::A128KW | KeyAlgorithm::A192KW | KeyAlgorithm::A256KW,
        ) => {
            let cek = fresh(cek)?;
            let w = crypto::aes_kw_wrap(kek, &cek)?;
            (cek, w)
        }
        (Public::Secret(kek), _) if alg.key_kind() == KeyKind::Symmetric => {
            // A*GCMKW
            let cek = fresh(cek)?;
            let iv = crypto::random(12)?;
            let (w, tag) = crypto::gcm_encrypt(kek, &iv, b"", &cek)?;
            params.insert("iv".into(), b64_encode(&iv).into());
            params.insert("tag".into(), b64_encode(&tag).into());
            (cek, w)
        }
        (Public::Password { password, p2c }, _) => {
            let cek = fresh(cek)?;
            let p2s = crypto::random(16)?;
            let kek = crypto::pbes2_kek(alg, password, &p2s, *p2c)?;
            let w = crypto::aes_kw_wrap(&kek, &cek)?;
            params.insert("p2s".into(), b64_encode(&p2s).into());
            params.insert("p2c".into(), (*p2c).into());
            (cek, w)
        }
        #[cfg(feature = "aws-lc")]
        (Public::Rsa(k), _) => {
            let cek = fresh(cek)?;
            let w = k.wrap(alg, &cek)?;
            (cek, w)
        }
        (Public::Ecdh(peer), _) => {
            let (epk, z) = crypto::ephemeral_agree(peer)?;
            params.insert("epk".into(), Value::Object(key::public_jwk_map(&epk)));
            if alg == KeyAlgorithm::EcdhEs {
                (
                    crypto::concat_kdf(&z, enc.as_str(), b"", b"", enc.key_len()),
                    Vec::new(),
                )
            } else {
                let n = alg.wrap_key_len().unwrap_or(16);
                let kek = crypto::concat_kdf(&z, alg.as_str(), b"", b"", n);
                let cek = fresh(cek)?;
                let w = crypto::aes_kw_wrap(&kek, &cek)?;
                (cek, w)
            }
        }
        _ => {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "the key does not fit {alg}"
            )));
        }
    };
    Ok(Wrapped {
        cek,
        encrypted_key,
        params,
    })
}

// ---------------------------------------------------------------------------------------
// Compression

pub(super) fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write as _;
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data)
        .and_then(|_| e.finish())
        .map_err(|e| Error::Crypto(format!("deflate: {e}")))
}
