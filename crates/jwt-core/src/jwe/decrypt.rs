//! Decryption: [`Decrypter`] (keys plus [`DecryptOptions`], built once), the recipient's
//! side of key management (unwrapping the CEK, the sender's `epk`) and bounded
//! decompression.

use std::io::Read as _;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::crypto::{self, EcdhPublic, Secret};
use super::key::{self, Private};
use super::{ContentEncryption, DecryptionKey, EcdhCurve, JweHeader, KeyAlgorithm, KeyKind};
use crate::error::{Error, Result};
use crate::json::{self, b64_decode};
use crate::verify::{TokenData, Verifier};

/// Size and shape limits for decryption, checked before the work they bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JweLimits {
    /// Largest token or JSON document, in bytes. Default 1 MiB.
    pub max_token_bytes: usize,
    /// Largest decoded protected header (and JSON header object), in bytes. Default 8 KiB.
    pub max_header_bytes: usize,
    /// Largest plaintext after `zip: DEF` decompression, in bytes. Default 1 MiB.
    /// (jose CVE-2024-28176: a small token that inflates to gigabytes.)
    pub max_plaintext_bytes: usize,
    /// Deepest JSON nesting in headers. Default 32.
    pub max_json_depth: usize,
    /// Most recipients in a general JSON JWE. Default 16.
    pub max_recipients: usize,
    /// Most keys tried for one recipient. Default 8.
    pub max_key_candidates: usize,
}

impl Default for JweLimits {
    fn default() -> Self {
        JweLimits {
            max_token_bytes: 1024 * 1024,
            max_header_bytes: 8 * 1024,
            max_plaintext_bytes: 1024 * 1024,
            max_json_depth: json::DEFAULT_MAX_DEPTH,
            max_recipients: 16,
            max_key_candidates: 8,
        }
    }
}

/// What a JWE must satisfy to be decrypted. Defaults: every `alg` a key is bound to
/// except PBES2, every `enc`, no `crit` extensions, [`JweLimits::default`].
#[derive(Clone, Debug, Default)]
pub struct DecryptOptions {
    algorithms: Option<Vec<KeyAlgorithm>>,
    encryptions: Option<Vec<ContentEncryption>>,
    critical: Vec<String>,
    pbes2_max_iterations: Option<u32>,
    limits: JweLimits,
}

impl DecryptOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accept only these key management algorithms (narrows what the keys allow).
    pub fn algorithms(mut self, algs: &[KeyAlgorithm]) -> Self {
        self.algorithms = Some(algs.to_vec());
        self
    }

    /// Accept only these content encryption algorithms.
    pub fn encryptions(mut self, encs: &[ContentEncryption]) -> Self {
        self.encryptions = Some(encs.to_vec());
        self
    }

    /// Declare `crit` extensions as understood.
    pub fn critical<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.critical = names.into_iter().map(Into::into).collect();
        self
    }

    /// Enable PBES2 (password-based) decryption, refusing any `p2c` above
    /// `max_iterations` before deriving anything. Off by default: a hostile `p2c` is a
    /// denial of service, and passwords are weak keys.
    pub fn allow_pbes2(mut self, max_iterations: u32) -> Self {
        self.pbes2_max_iterations = Some(max_iterations);
        self
    }

    /// Replace the limits.
    pub fn limits(mut self, limits: JweLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The limits in force.
    pub fn get_limits(&self) -> JweLimits {
        self.limits
    }
}

/// A decrypted JWE.
#[derive(Clone, Debug, PartialEq)]
pub struct Decrypted {
    /// The joint header (protected, shared unprotected and recipient members).
    pub header: JweHeader,
    /// The plaintext, decompressed if `zip: DEF`.
    pub plaintext: Vec<u8>,
    /// The JSON serialization's `aad`, decoded, if present.
    pub aad: Option<Vec<u8>>,
}

/// Keys plus options, built once and reused.
#[derive(Clone, Debug)]
pub struct Decrypter {
    keys: Vec<DecryptionKey>,
    options: DecryptOptions,
}

/// One recipient's view of a JWE, ready to decrypt.
struct Parts<'a> {
    header: JweHeader,
    encrypted_key: Vec<u8>,
    aad: &'a [u8],
    iv: &'a [u8],
    ciphertext: &'a [u8],
    tag: &'a [u8],
}

impl Decrypter {
    /// A decrypter over `keys`. The accepted key management algorithms are the keys'
    /// (narrowed by [`DecryptOptions::algorithms`]); PBES2 keys also need
    /// [`DecryptOptions::allow_pbes2`]. No usable key is an [`Error::InvalidArgument`].
    pub fn new(
        keys: impl IntoIterator<Item = DecryptionKey>,
        options: DecryptOptions,
    ) -> Result<Self> {
        let keys: Vec<DecryptionKey> = keys.into_iter().collect();
        let usable = keys.iter().any(|k| {
            options
                .algorithms
                .as_ref()
                .is_none_or(|a| a.contains(&k.alg))
                && (!k.alg.is_pbes2() || options.pbes2_max_iterations.is_some())
        });
        if !usable {
            return Err(Error::InvalidArgument(
                "no key fits the allowed algorithms".into(),
            ));
        }
        if options.encryptions.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::InvalidArgument(
                "the allowed `enc` list is empty".into(),
            ));
        }
        Ok(Decrypter { keys, options })
    }

    /// The options.
    pub fn options(&self) -> &DecryptOptions {
        &self.options
    }

    /// Decrypt a compact JWE (five segments).
    pub fn decrypt(&self, token: &str) -> Result<Decrypted> {
        let limits = &self.options.limits;
        if token.len() > limits.max_token_bytes {
            return Err(Error::TooLarge {
                what: "token",
                size: token.len(),
                limit: limits.max_token_bytes,
            });
        }
        let segs: Vec<&str> = token.split('.').collect();
        if segs.len() != 5 {
            return Err(Error::malformed(if segs.len() == 3 {
                "expected five segments (three is JWS, not JWE)"
            } else {
                "expected five segments"
            }));
        }
        let header = self.parse_protected(segs[0])?;
        let encrypted_key = b64_decode(segs[1])?;
        let iv = b64_decode(segs[2])?;
        let ciphertext = b64_decode(segs[3])?;
        let tag = b64_decode(segs[4])?;
        let header = JweHeader::from_map(header)?;
        self.decrypt_parts(
            Parts {
                header,
                encrypted_key,
                aad: segs[0].as_bytes(),
                iv: &iv,
                ciphertext: &ciphertext,
                tag: &tag,
            },
            None,
        )
    }

    fn parse_protected(&self, b64: &str) -> Result<Map<String, Value>> {
        let limits = &self.options.limits;
        if b64.is_empty() {
            return Err(Error::malformed("the protected header is empty"));
        }
        // Checked on the encoded length, before decoding.
        if b64.len() / 4 * 3 > limits.max_header_bytes {
            return Err(Error::TooLarge {
                what: "header",
                size: b64.len() / 4 * 3,
                limit: limits.max_header_bytes,
            });
        }
        json::parse_object(&b64_decode(b64)?, limits.max_json_depth)
    }

    /// The keys to try for one recipient, after the algorithm checks.
    fn candidates(&self, h: &JweHeader) -> Result<Vec<&DecryptionKey>> {
        let o = &self.options;
        if o.algorithms.as_ref().is_some_and(|a| !a.contains(&h.alg)) {
            return Err(Error::AlgorithmNotAllowed(h.alg.to_string()));
        }
        if h.alg.is_pbes2() && o.pbes2_max_iterations.is_none() {
            return Err(Error::AlgorithmNotAllowed(format!(
                "{} (PBES2 is disabled)",
                h.alg
            )));
        }
        if o.encryptions.as_ref().is_some_and(|e| !e.contains(&h.enc)) {
            return Err(Error::AlgorithmNotAllowed(h.enc.to_string()));
        }
        h.check_crit(&o.critical)?;
        let mut keys: Vec<&DecryptionKey> = self.keys.iter().filter(|k| k.alg == h.alg).collect();
        if keys.is_empty() {
            return Err(Error::AlgorithmNotAllowed(h.alg.to_string()));
        }
        if let Some(kid) = &h.kid {
            keys.retain(|k| k.kid.as_deref() == Some(kid.as_str()));
            if keys.is_empty() {
                return Err(Error::KeyNotFound(format!(
                    "no key with kid `{}`",
                    crate::error::truncate(kid, 64)
                )));
            }
        }
        keys.truncate(o.limits.max_key_candidates);
        Ok(keys)
    }

    fn decrypt_parts(&self, p: Parts<'_>, aad_member: Option<Vec<u8>>) -> Result<Decrypted> {
        let keys = self.candidates(&p.header)?;
        let enc = p.header.enc;
        if p.iv.len() != enc.iv_len() {
            return Err(Error::malformed(format_args!(
                "{enc} needs a {}-byte IV",
                enc.iv_len()
            )));
        }
        if p.tag.len() != enc.tag_len() {
            return Err(Error::DecryptionFailed);
        }
        let mut last = Error::DecryptionFailed;
        for key in keys {
            let attempt = self
                .unwrap_cek(key, &p.header, &p.encrypted_key)
                .and_then(|cek| {
                    crypto::decrypt_content(enc, &cek, p.aad, p.iv, p.ciphertext, p.tag)
                });
            match attempt {
                Ok(plain) => {
                    let plaintext = if p.header.zip {
                        inflate(&plain, self.options.limits.max_plaintext_bytes)?
                    } else {
                        plain.to_vec()
                    };
                    return Ok(Decrypted {
                        header: p.header,
                        plaintext,
                        aad: aad_member,
                    });
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// Decrypt a JWE in the JSON serialization, flattened or general. Recipients are
    /// tried in order; the first one this decrypter has a key for and that decrypts wins.
    /// Each recipient's protected, shared and per-recipient headers must be disjoint;
    /// `zip` and `crit` must be integrity-protected.
    pub fn decrypt_json(&self, doc: &str) -> Result<Decrypted> {
        let limits = &self.options.limits;
        let mut m = json::parse_document(doc, limits.max_token_bytes, limits.max_json_depth)?;
        let protected_b64 = json::take_str(&mut m, "protected")?.unwrap_or_default();
        let protected = if protected_b64.is_empty() {
            Map::new()
        } else {
            self.parse_protected(&protected_b64)?
        };
        let shared = json::take_object(&mut m, "unprotected")?.unwrap_or_default();
        let iv = b64_decode(json::take_str(&mut m, "iv")?.unwrap_or_default())?;
        let ciphertext = b64_decode(
            json::take_str(&mut m, "ciphertext")?
                .ok_or_else(|| Error::malformed("`ciphertext` is missing"))?,
        )?;
        let tag = b64_decode(json::take_str(&mut m, "tag")?.unwrap_or_default())?;
        let aad_b64 = json::take_str(&mut m, "aad")?;
        let aad_member = aad_b64.as_deref().map(b64_decode).transpose()?;
        let mut full_aad = protected_b64.clone();
        if let Some(a) = &aad_b64 {
            full_aad.push('.');
            full_aad.push_str(a);
        }
        // Recipients: general (`recipients`) or flattened (`header`/`encrypted_key`).
        let flat_header = json::take_object(&mut m, "header")?;
        let flat_key = json::take_str(&mut m, "encrypted_key")?;
        let recipients: Vec<(Map<String, Value>, String)> = match m.remove("recipients") {
            Some(_) if flat_header.is_some() || flat_key.is_some() => {
                return Err(Error::malformed(
                    "`recipients` cannot be mixed with `header`/`encrypted_key`",
                ));
            }
            Some(Value::Array(list)) => {
                if list.is_empty() {
                    return Err(Error::malformed("`recipients` is empty"));
                }
                if list.len() > limits.max_recipients {
                    return Err(Error::TooLarge {
                        what: "recipients",
                        size: list.len(),
                        limit: limits.max_recipients,
                    });
                }
                list.into_iter()
                    .map(|r| match r {
                        Value::Object(mut r) => {
                            let h = json::take_object(&mut r, "header")?.unwrap_or_default();
                            let ek = json::take_str(&mut r, "encrypted_key")?.unwrap_or_default();
                            Ok((h, ek))
                        }
                        _ => Err(Error::malformed("a recipient must be an object")),
                    })
                    .collect::<Result<_>>()?
            }
            Some(_) => return Err(Error::malformed("`recipients` must be an array")),
            None => vec![(
                flat_header.unwrap_or_default(),
                flat_key.unwrap_or_default(),
            )],
        };
        for name in ["zip", "crit"] {
            if shared.contains_key(name) || recipients.iter().any(|(h, _)| h.contains_key(name)) {
                return Err(Error::InvalidHeader(format!(
                    "`{name}` must be in the protected header"
                )));
            }
        }
        let mut last: Option<Error> = None;
        for (rh, ek) in recipients {
            let attempt = (|| {
                let mut joint = protected.clone();
                for part in [&shared, &rh] {
                    for (k, v) in part {
                        if joint.insert(k.clone(), v.clone()).is_some() {
                            return Err(Error::InvalidHeader(format!(
                                "`{}` appears in more than one header",
                                crate::error::truncate(k, 32)
                            )));
                        }
                    }
                }
                let header = JweHeader::from_map(joint)?;
                self.decrypt_parts(
                    Parts {
                        header,
                        encrypted_key: b64_decode(&ek)?,
                        aad: full_aad.as_bytes(),
                        iv: &iv,
                        ciphertext: &ciphertext,
                        tag: &tag,
                    },
                    aad_member.clone(),
                )
            })();
            match attempt {
                Ok(d) => return Ok(d),
                // A structural problem is the document's, not one recipient's.
                Err(
                    e @ (Error::InvalidHeader(_)
                    | Error::DuplicateMember(_)
                    | Error::TooLarge { .. }),
                ) => return Err(e),
                Err(e) => {
                    // Prefer a decryption error over "no key for this recipient".
                    let keep_old =
                        matches!(e, Error::AlgorithmNotAllowed(_) | Error::KeyNotFound(_))
                            && last.is_some();
                    if !keep_old {
                        last = Some(e);
                    }
                }
            }
        }
        Err(last.unwrap_or(Error::DecryptionFailed))
    }

    /// Decrypt a nested JWT (RFC 7519 5.2: `cty: JWT`, a signed JWT inside) and verify
    /// the inner token with `verifier`, now.
    pub fn decrypt_jwt<T: DeserializeOwned>(
        &self,
        token: &str,
        verifier: &Verifier,
    ) -> Result<TokenData<T>> {
        self.decrypt_jwt_at(token, verifier, crate::claims::now())
    }

    /// [`Decrypter::decrypt_jwt`] as of `now` (seconds since the epoch).
    pub fn decrypt_jwt_at<T: DeserializeOwned>(
        &self,
        token: &str,
        verifier: &Verifier,
        now: i64,
    ) -> Result<TokenData<T>> {
        let d = self.decrypt(token)?;
        if !d
            .header
            .cty
            .as_deref()
            .is_some_and(|c| crate::header::typ_matches(c, "JWT"))
        {
            return Err(Error::InvalidHeader("a nested JWT needs `cty: JWT`".into()));
        }
        let inner = std::str::from_utf8(&d.plaintext)
            .map_err(|_| Error::malformed("the nested JWT is not UTF-8"))?;
        verifier.verify_at(inner, now)
    }

    /// Decrypt an encrypted (not signed) JWT and deserialize its claims. No claims
    /// checks are made: prefer nested JWTs ([`Decrypter::decrypt_jwt`]) unless the
    /// encryption key itself authenticates the sender (`dir`, `A*KW`, `A*GCMKW`).
    pub fn decrypt_claims<T: DeserializeOwned>(&self, token: &str) -> Result<(JweHeader, T)> {
        let d = self.decrypt(token)?;
        json::parse_object(&d.plaintext, self.options.limits.max_json_depth)?;
        let claims =
            serde_json::from_slice(&d.plaintext).map_err(|e| Error::ClaimsShape(e.to_string()))?;
        Ok((d.header, claims))
    }
}

// ---------------------------------------------------------------------------------------
// Key management (the recipient's side)

impl Decrypter {
    /// Recover the content encryption key for one recipient with one key.
    fn unwrap_cek(
        &self,
        key: &DecryptionKey,
        h: &JweHeader,
        encrypted_key: &[u8],
    ) -> Result<Secret> {
        // The token's `enc` must fit the key. The header chose it, so a misfit is the
        // token's error (like an `enc` outside the options), not the key's as when
        // encrypting.
        if key::check_enc(key.alg, key.enc, key.dir_len(), h.enc).is_err() {
            return Err(Error::AlgorithmNotAllowed(format!(
                "{} for this key",
                h.enc
            )));
        }
        let enc = h.enc;
        let alg = h.alg;
        if alg.is_direct() && !encrypted_key.is_empty() {
            return Err(Error::malformed(format_args!(
                "{alg} requires an empty encrypted key"
            )));
        }
        let cek = match (&key.material, alg) {
            (Private::Secret(s), KeyAlgorithm::Dir) => s.clone(),
            (
                Private::Secret(kek),
                KeyAlgorithm::A128KW | KeyAlgorithm::A192KW | KeyAlgorithm::A256KW,
            ) => crypto::aes_kw_unwrap(kek, encrypted_key)?,
            (Private::Secret(kek), _) if alg.key_kind() == KeyKind::Symmetric => {
                let iv = h
                    .b64_param("iv")?
                    .ok_or_else(|| Error::InvalidHeader("`iv` is missing".into()))?;
                let tag = h
                    .b64_param("tag")?
                    .ok_or_else(|| Error::InvalidHeader("`tag` is missing".into()))?;
                if iv.len() != 12 {
                    return Err(Error::InvalidHeader("`iv` must be 96 bits".into()));
                }
                if tag.len() != 16 {
                    return Err(Error::DecryptionFailed);
                }
                crypto::gcm_decrypt(kek, &iv, b"", encrypted_key, &tag)?
            }
            (Private::Password(password), _) => {
                let cap = self.options.pbes2_max_iterations.ok_or_else(|| {
                    Error::AlgorithmNotAllowed(format!("{alg} (PBES2 is disabled)"))
                })?;
                let p2c = match h.extra.get("p2c") {
                    Some(Value::Number(n)) => n.as_u64().filter(|n| *n > 0).ok_or_else(|| {
                        Error::InvalidHeader("`p2c` must be a positive integer".into())
                    })?,
                    Some(_) => {
                        return Err(Error::InvalidHeader(
                            "`p2c` must be a positive integer".into(),
                        ));
                    }
                    None => return Err(Error::InvalidHeader("`p2c` is missing".into())),
                };
                // RFC 7518 4.8.1.2 recommends at least 1000 iterations; fewer make the
                // password cheap to brute-force from any captured token, so such a token
                // is refused rather than silently accepted. The sender chose `p2c`, so
                // it is a header error, not a weak key of the caller's.
                if p2c < u64::from(key::MIN_PBES2_ITERATIONS) {
                    return Err(Error::InvalidHeader(format!(
                        "`p2c` {p2c} is below the minimum of {}",
                        key::MIN_PBES2_ITERATIONS
                    )));
                }
                if p2c > u64::from(cap) {
                    return Err(Error::TooLarge {
                        what: "p2c",
                        size: usize::try_from(p2c).unwrap_or(usize::MAX),
                        limit: cap as usize,
                    });
                }
                let p2s = h
                    .b64_param("p2s")?
                    .ok_or_else(|| Error::InvalidHeader("`p2s` is missing".into()))?;
                if p2s.len() < 8 {
                    return Err(Error::InvalidHeader(
                        "`p2s` must be at least 8 bytes".into(),
                    ));
                }
                let kek = crypto::pbes2_kek(alg, password, &p2s, p2c as u32)?;
                crypto::aes_kw_unwrap(&kek, encrypted_key)?
            }
            #[cfg(feature = "aws-lc")]
            (Private::Rsa(k), _) => k.unwrap(alg, encrypted_key, enc.key_len())?,
            (Private::Ecdh(k), _) => {
                let epk = match h.extra.get("epk") {
                    Some(Value::Object(m)) => m,
                    Some(_) => {
                        return Err(Error::InvalidHeader("`epk` must be a JWK object".into()));
                    }
                    None => return Err(Error::InvalidHeader("`epk` is missing".into())),
                };
                let epk = parse_epk(epk)?;
                let z = k.agree(&epk)?;
                let apu = h.b64_param("apu")?.unwrap_or_default();
                let apv = h.b64_param("apv")?.unwrap_or_default();
                if alg == KeyAlgorithm::EcdhEs {
                    crypto::concat_kdf(&z, enc.as_str(), &apu, &apv, enc.key_len())
                } else {
                    let kek = crypto::concat_kdf(
                        &z,
                        alg.as_str(),
                        &apu,
                        &apv,
                        alg.wrap_key_len().unwrap_or(16),
                    );
                    crypto::aes_kw_unwrap(&kek, encrypted_key)?
                }
            }
            _ => {
                return Err(Error::KeyAlgorithmMismatch(format!(
                    "the key does not fit {alg}"
                )));
            }
        };
        if cek.len() != enc.key_len() {
            return Err(Error::DecryptionFailed);
        }
        Ok(cek)
    }
}

/// The sender's ephemeral public key from the header: a public JWK on a supported curve,
/// validated to be on that curve. Every failure is [`Error::InvalidHeader`]: the `epk` is
/// the token's, never the caller's key.
fn parse_epk(m: &Map<String, Value>) -> Result<EcdhPublic> {
    let s = |name: &str| -> Result<&str> {
        match m.get(name) {
            Some(Value::String(s)) => Ok(s),
            _ => Err(Error::InvalidHeader(format!(
                "`epk` needs a string `{name}`"
            ))),
        }
    };
    if m.contains_key("d") {
        return Err(Error::InvalidHeader(
            "`epk` must not contain a private key".into(),
        ));
    }
    let curve = EcdhCurve::from_jwk(s("kty")?, s("crv")?)
        .ok_or_else(|| Error::InvalidHeader("`epk` is not on a supported curve".into()))?;
    let coordinate = |name: &str| -> Result<Vec<u8>> {
        b64_decode(s(name)?)
            .map_err(|_| Error::InvalidHeader(format!("`epk` `{name}` is not base64url")))
    };
    let x = coordinate("x")?;
    let y = if curve == EcdhCurve::X25519 {
        None
    } else {
        Some(coordinate("y")?)
    };
    EcdhPublic::from_coordinates(curve, &x, y.as_deref()).map_err(|e| match e {
        Error::InvalidKey(why) => Error::InvalidHeader(format!("`epk`: {why}")),
        e => e,
    })
}

// ---------------------------------------------------------------------------------------
// Compression

/// Inflate raw DEFLATE, reading at most `cap + 1` bytes so a bomb costs nothing more.
pub(super) fn inflate(data: &[u8], cap: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(data)
        .take(cap as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| Error::malformed("invalid `zip: DEF` data"))?;
    if out.len() > cap {
        return Err(Error::TooLarge {
            what: "decompressed plaintext",
            size: out.len(),
            limit: cap,
        });
    }
    Ok(out)
}
