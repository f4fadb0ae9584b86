//! Signing keys: generated on first start, persisted in the store as PKCS#8 PEM with
//! `kid` = RFC 7638 thumbprint, rotated by `jwt-service keys rotate`.
//!
//! After a rotation the previous key stops signing at once but keeps verifying, and
//! stays in the JWKS, for the retention period `access_ttl + leeway`: exactly as long as
//! a token it signed can still be valid. After that it is dropped from both (it stays in
//! the store, listed as `expired` by `keys list`).
//!
//! Emergency revocation ([`revoke`]: `keys revoke KID`, `POST /admin/keys/{kid}/revoke`)
//! skips the retention: the key stops verifying and leaves the JWKS at once (`revoked`),
//! and a current key is replaced in the same store step. With a key-encryption key
//! ([`Kek`]) the private keys are stored sealed with AES-256-GCM.

use std::sync::{Arc, RwLock};

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

use jwt_core::{
    Algorithm, Header, KeySet, Signer, SigningKey, Validation, ValidationSpec, Verifier,
};

use crate::store::{Store, StoreError, StoredKey};

/// What marks a private key sealed with the key-encryption key in the store's `pem`
/// field: `enc:v1:` + base64url(nonce || AES-256-GCM ciphertext || tag).
const SEALED: &str = "enc:v1:";

/// The key-encryption key (optional encryption at rest of the private signing keys):
/// AES-256-GCM (ring), a random 96-bit nonce per key, the kid and algorithm as
/// associated data (a sealed key cannot be passed off under another kid).
pub struct Kek(LessSafeKey);

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kek(..)")
    }
}

impl Kek {
    /// From its text form: 32 bytes, base64url (padding and standard base64 accepted).
    pub fn parse(text: &str) -> Result<Kek, String> {
        let url: String = text
            .trim()
            .trim_end_matches('=')
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect();
        let bytes = jwt_core::b64_decode(url)
            .ok()
            .filter(|b| b.len() == 32)
            .ok_or("the key-encryption key must be 32 bytes, base64url-encoded")?;
        let key = UnboundKey::new(&AES_256_GCM, &bytes)
            .map_err(|_| "the key-encryption key is not an AES-256 key")?;
        Ok(Kek(LessSafeKey::new(key)))
    }

    fn aad(k: &StoredKey) -> Vec<u8> {
        format!("jwt-service signing key {} {}", k.kid, k.alg).into_bytes()
    }

    /// Seal `k.pem` (a PKCS#8 PEM) in place.
    pub fn seal(&self, mut k: StoredKey) -> Result<StoredKey, String> {
        let mut nonce = [0u8; NONCE_LEN];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
            .map_err(|_| "no randomness for a nonce")?;
        let mut buf = k.pem.clone().into_bytes();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(Self::aad(&k)),
                &mut buf,
            )
            .map_err(|_| "cannot encrypt the signing key")?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        k.pem = format!("{SEALED}{}", jwt_core::b64_encode(out));
        Ok(k)
    }

    fn open(&self, k: &StoredKey, sealed: &str) -> Result<String, String> {
        let bad = || {
            format!(
                "key {}: cannot decrypt it with this key-encryption key (wrong key, or altered)",
                k.kid
            )
        };
        let raw = jwt_core::b64_decode(sealed).map_err(|_| bad())?;
        if raw.len() < NONCE_LEN {
            return Err(bad());
        }
        let (nonce, rest) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| bad())?;
        let mut buf = rest.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(Self::aad(k)), &mut buf)
            .map_err(|_| bad())?;
        String::from_utf8(plain.to_vec()).map_err(|_| bad())
    }
}

/// The PEM of a stored key, decrypting it when it is sealed.
fn pem_of(k: &StoredKey, kek: Option<&Kek>) -> Result<String, String> {
    match (k.pem.strip_prefix(SEALED), kek) {
        (None, _) => Ok(k.pem.clone()),
        (Some(sealed), Some(kek)) => kek.open(k, sealed),
        (Some(_), None) => Err(format!(
            "key {} is encrypted at rest: set JWT_SERVICE_KEY_ENCRYPTION_KEY or --key-encryption-key-file",
            k.kid
        )),
    }
}

/// The keys in force at one moment.
#[derive(Debug)]
pub struct Keys {
    /// Signs new access tokens (`typ: at+jwt`, `kid` in the header).
    pub signer: Signer,
    /// Verifies access tokens: the current key plus retired keys still in retention.
    pub verifier: Verifier,
    /// `/.well-known/jwks.json`: public members only (the core never emits private ones).
    pub jwks: String,
    /// When the next retired key leaves retention (a rebuild is due then).
    pub next_expiry: Option<i64>,
}

/// The state of a stored key at `now`.
pub fn state(k: &StoredKey, now: i64, retention: i64) -> &'static str {
    if k.revoked_at.is_some() {
        return "revoked";
    }
    match k.retired_at {
        None => "current",
        Some(t) if t + retention > now => "previous",
        Some(_) => "expired",
    }
}

/// Parse a stored key, checking that its kid is its thumbprint.
pub fn load(k: &StoredKey, kek: Option<&Kek>) -> Result<SigningKey, String> {
    let alg: Algorithm = k.alg.parse().map_err(|e| format!("key {}: {e}", k.kid))?;
    let pem = pem_of(k, kek)?;
    let key =
        SigningKey::from_pem(alg, pem.as_bytes()).map_err(|e| format!("key {}: {e}", k.kid))?;
    let thumb = key
        .thumbprint()
        .map_err(|e| format!("key {}: {e}", k.kid))?;
    if thumb != k.kid {
        return Err(format!(
            "key {}: the stored kid is not the key's thumbprint",
            k.kid
        ));
    }
    Ok(key.with_kid(k.kid.clone()))
}

/// A fresh key for `alg`, ready to persist (sealed when a key-encryption key is set).
pub fn generate(alg: Algorithm, now: i64, kek: Option<&Kek>) -> Result<StoredKey, String> {
    let key = SigningKey::generate(alg)
        .and_then(SigningKey::with_thumbprint_kid)
        .map_err(|e| format!("cannot generate a {alg} key: {e}"))?;
    let pem = key
        .to_pkcs8_pem()
        .map_err(|e| format!("cannot encode the key: {e}"))?;
    let k = StoredKey {
        kid: key.kid().unwrap_or_default().to_owned(),
        alg: alg.as_str().to_owned(),
        pem: pem.as_str().to_owned(),
        created_at: now,
        retired_at: None,
        revoked_at: None,
    };
    match kek {
        Some(kek) => kek.seal(k),
        None => Ok(k),
    }
}

/// What the verifier checks besides the signature (RFC 9068 access tokens).
#[derive(Debug, Clone)]
pub struct TokenRules {
    pub issuer: String,
    pub audience: String,
    pub leeway: u64,
    pub retention: i64,
    /// Decrypts (and seals new) private keys when encryption at rest is on.
    pub kek: Option<Arc<Kek>>,
}

impl TokenRules {
    /// The service's settings as the core's [`ValidationSpec`], which alone turns
    /// them into a `Validation`, as it does for every binding's options.
    fn validation(&self) -> Result<Validation, String> {
        let mut spec = ValidationSpec::default();
        spec.issuer = Some(self.issuer.as_str().into());
        spec.audience = Some(self.audience.as_str().into());
        spec.typ = Some("at+jwt".into());
        spec.leeway = Some(self.leeway);
        spec.required_claims = Some(
            ["exp", "iat", "jti", "sub", "iss", "aud"]
                .map(String::from)
                .to_vec(),
        );
        spec.build().map_err(|e| e.to_string())
    }
}

/// Build the keys in force at `now` from every stored key.
pub fn build(stored: &[StoredKey], rules: &TokenRules, now: i64) -> Result<Keys, String> {
    let current = stored
        .iter()
        .rev()
        .find(|k| k.retired_at.is_none() && k.revoked_at.is_none())
        .ok_or("the store holds no current signing key")?;
    let mut set = KeySet::new();
    let mut next_expiry: Option<i64> = None;
    for k in stored {
        if matches!(state(k, now, rules.retention), "expired" | "revoked") {
            continue;
        }
        if let Some(t) = k.retired_at {
            let end = t + rules.retention;
            next_expiry = Some(next_expiry.map_or(end, |n| n.min(end)));
        }
        set.push(load(k, rules.kek.as_deref())?.verifying_key());
    }
    let signing = load(current, rules.kek.as_deref())?;
    let mut header = Header::new(signing.algorithm());
    header.typ = Some("at+jwt".into());
    let signer = Signer::with_header(signing, header).map_err(|e| e.to_string())?;
    let jwks = set.to_public_jwks().map_err(|e| e.to_string())?.to_json();
    let verifier = Verifier::new(set, rules.validation()?).map_err(|e| e.to_string())?;
    Ok(Keys {
        signer,
        verifier,
        jwks,
        next_expiry,
    })
}

/// The live key ring: swapped as a whole when keys change.
#[derive(Debug)]
pub struct KeyRing {
    rules: TokenRules,
    current: RwLock<Arc<Keys>>,
}

impl KeyRing {
    /// Load from the store, generating and persisting a first key if there is none.
    pub fn open(store: &dyn Store, alg: Algorithm, rules: TokenRules) -> Result<KeyRing, String> {
        let now = jwt_core::now();
        if store.keys().map_err(|e| e.0)?.is_empty() {
            let k = generate(alg, now, rules.kek.as_deref())?;
            if store.insert_first_key(&k).map_err(|e| e.0)? {
                tracing::info!(kid = %k.kid, alg = %k.alg, "generated the first signing key");
            }
        }
        let stored = store.keys().map_err(|e| e.0)?;
        let keys = build(&stored, &rules, now)?;
        Ok(KeyRing {
            rules,
            current: RwLock::new(Arc::new(keys)),
        })
    }

    /// The keys in force.
    pub fn get(&self) -> Arc<Keys> {
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Reload from the store (after a rotation, or when a retired key leaves retention).
    pub fn reload(&self, store: &dyn Store) -> Result<(), StoreError> {
        let stored = store.keys()?;
        match build(&stored, &self.rules, jwt_core::now()) {
            Ok(keys) => {
                let kid = keys.signer.header().kid.clone().unwrap_or_default();
                if let Ok(mut g) = self.current.write() {
                    *g = Arc::new(keys);
                }
                tracing::info!(current_kid = %kid, "signing keys reloaded");
                Ok(())
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot reload signing keys; keeping the previous set");
                Ok(())
            }
        }
    }

    /// Whether a retired key has left retention (call [`KeyRing::reload`] then).
    pub fn expiry_due(&self, now: i64) -> bool {
        self.get().next_expiry.is_some_and(|t| now >= t)
    }

    pub fn rules(&self) -> &TokenRules {
        &self.rules
    }
}

/// What an emergency revocation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    /// No key has that kid.
    Unknown,
    /// It was current: the new key `kid` signs from now on.
    Replaced { kid: String },
    /// It was a previous (or expired) key: nothing else changed.
    Retired,
}

/// Emergency revocation of `kid`: it stops signing and verifying at once and leaves the
/// JWKS; if it was current, a fresh key for `alg` replaces it in the same store step.
pub fn revoke(
    store: &dyn Store,
    kid: &str,
    alg: Algorithm,
    kek: Option<&Kek>,
) -> Result<Revoked, String> {
    let now = jwt_core::now();
    let replacement = generate(alg, now, kek)?;
    let out = match store.revoke_key(kid, &replacement, now).map_err(|e| e.0)? {
        None => Revoked::Unknown,
        Some(true) => Revoked::Replaced {
            kid: replacement.kid,
        },
        Some(false) => Revoked::Retired,
    };
    if out != Revoked::Unknown {
        crate::audit::key_revoked(kid);
    }
    Ok(out)
}

/// The key-encryption key of a configuration, from JWT_SERVICE_KEY_ENCRYPTION_KEY or the
/// file `key_encryption_key_file` (setting both is an error: which one would win is not
/// obvious). `None`: keys are stored in the clear.
pub fn configured_kek(cfg: &crate::config::Config) -> Result<Option<Arc<Kek>>, String> {
    let env = std::env::var("JWT_SERVICE_KEY_ENCRYPTION_KEY").ok();
    let text = match (env, &cfg.key_encryption_key_file) {
        (Some(_), Some(_)) => {
            return Err(
                "set JWT_SERVICE_KEY_ENCRYPTION_KEY or key_encryption_key_file, not both".into(),
            );
        }
        (Some(v), None) => v,
        (None, Some(path)) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        (None, None) => return Ok(None),
    };
    Kek::parse(&text).map(|k| Some(Arc::new(k)))
}
