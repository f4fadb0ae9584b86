//! [`Verifier`]: keys plus rules, built once; the compact (and detached) JWS and JWT path.

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;

use super::{KeySet, KidPolicy, Validation};
use crate::alg::Algorithm;
use crate::claims::{RegisteredClaims, now, scan_payload};
use crate::error::{Error, Result, truncate};
use crate::header::{Header, typ_matches};
use crate::json;

/// A verified token.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenData<T> {
    /// The header.
    pub header: Header,
    /// The registered claims, type-checked.
    pub registered: RegisteredClaims,
    /// The claims, deserialized into the caller's type.
    pub claims: T,
}

/// A verified JWS with an arbitrary payload (no claims checks were made).
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedJws {
    /// The header (for the JSON serializations: protected and unprotected joined).
    pub header: Header,
    /// The payload bytes.
    pub payload: Vec<u8>,
}

/// The longest base64url signature of any algorithm (ML-DSA-87's 4627 bytes); longer is
/// malformed before any decoding.
const MAX_SIGNATURE_B64: usize = (crate::alg::MlDsaLevel::MlDsa87.signature_len() * 4).div_ceil(3);

/// Keys plus validation rules, built once and reused: the fast path.
///
/// ```
/// use jwt_core::{Algorithm, Claims, Signer, SigningKey, Validation, Verifier};
/// use std::time::Duration;
/// let key = SigningKey::generate(Algorithm::ES256)?;
/// let token = Signer::new(key.clone())?
///     .sign(&Claims::empty().issuer("me").expires_in(Duration::from_secs(60)))?;
/// let verifier = Verifier::new(key.verifying_key(), Validation::new().issuer("me"))?;
/// let data = verifier.verify::<serde_json::Value>(&token)?;
/// assert_eq!(data.claims["iss"], "me");
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    keys: KeySet,
    allowed: Vec<Algorithm>,
    pub(super) validation: Validation,
    /// Shared by clones: they have the same keys and rules.
    headers: Arc<HeaderCache>,
}

/// Headers of tokens that already passed verification, keyed by their exact encoded
/// bytes, so that the header JSON of a token is parsed and checked once, not per token
/// (most issuers send one or two distinct headers). Entries are added only after a
/// signature verified, so untrusted input cannot fill the cache; the cache is bounded
/// (no eviction: once full, other headers take the normal path) and lock-free to read.
/// A hit gives exactly what parsing those bytes and checking them against this
/// verifier's (immutable) rules gave before.
#[derive(Default)]
struct HeaderCache {
    slots: [OnceLock<(Box<[u8]>, Header)>; HEADER_CACHE_SLOTS],
}

const HEADER_CACHE_SLOTS: usize = 8;
/// Longer encoded headers are never cached.
const HEADER_CACHE_MAX_LEN: usize = 512;

impl HeaderCache {
    fn get(&self, header_b64: &[u8]) -> Option<&Header> {
        for slot in &self.slots {
            match slot.get() {
                Some((k, h)) if **k == *header_b64 => return Some(h),
                Some(_) => {}
                // Slots fill in order: the first empty one ends the search.
                None => return None,
            }
        }
        None
    }

    fn insert(&self, header_b64: &[u8], header: &Header) {
        if header_b64.len() > HEADER_CACHE_MAX_LEN {
            return;
        }
        for slot in &self.slots {
            if slot.get().is_none() {
                let _ = slot.set((header_b64.into(), header.clone()));
            }
            // Filled now, by us or by a racing thread.
            if slot.get().is_some_and(|(k, _)| **k == *header_b64) {
                return;
            }
        }
    }
}

impl fmt::Debug for HeaderCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.slots.iter().filter(|s| s.get().is_some()).count();
        write!(f, "HeaderCache({n}/{HEADER_CACHE_SLOTS})")
    }
}

impl Verifier {
    /// A verifier over `keys` with `validation`. The accepted algorithms are the keys'
    /// algorithms, narrowed by [`Validation::algorithms`] if set; an empty result is an
    /// error.
    pub fn new(keys: impl Into<KeySet>, validation: Validation) -> Result<Self> {
        let keys = keys.into();
        // A key verifies both names of its signature (`EdDSA`/`Ed25519`); an explicit
        // allow-list below still admits only the names it lists.
        let mut allowed: Vec<Algorithm> = keys
            .keys()
            .iter()
            .flat_map(|k| std::iter::once(k.algorithm()).chain(k.algorithm().alias()))
            .collect();
        if let Some(want) = &validation.algorithms {
            allowed.retain(|a| want.contains(a));
        }
        allowed.sort();
        allowed.dedup();
        if allowed.is_empty() {
            return Err(Error::InvalidArgument(
                "no key fits the allowed algorithms".into(),
            ));
        }
        Ok(Verifier {
            keys,
            allowed,
            validation,
            headers: Arc::default(),
        })
    }

    /// The algorithms this verifier accepts.
    pub fn algorithms(&self) -> &[Algorithm] {
        &self.allowed
    }

    /// The validation rules.
    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// The keys.
    pub fn keys(&self) -> &KeySet {
        &self.keys
    }

    /// The validation's fixed clock, or the system clock.
    fn now(&self) -> i64 {
        self.validation.clock.unwrap_or_else(now)
    }

    /// Verify a compact JWT now (or at [`Validation::clock`]), returning its header and
    /// claims.
    pub fn verify<T: DeserializeOwned>(&self, token: &str) -> Result<TokenData<T>> {
        self.verify_at(token, self.now())
    }

    /// Verify a compact JWT as of `now` (seconds since the epoch).
    pub fn verify_at<T: DeserializeOwned>(&self, token: &str, now: i64) -> Result<TokenData<T>> {
        self.with_payload_buffer(|buf| {
            let (header, payload) = self.verify_jwt_into(token, buf)?;
            // One pass (typed claims, registered claims, strict JSON together) when it
            // succeeds; otherwise the two passes, which decide the error.
            let depth = self.validation.limits.max_json_depth;
            if let Some((claims, raw)) = crate::onepass::claims::<T>(payload, depth) {
                let registered = raw.into_typed()?;
                self.check_registered(&header, payload, &registered, now)?;
                return Ok(TokenData {
                    header,
                    registered,
                    claims,
                });
            }
            let registered = self.check_payload(&header, payload, now)?;
            let claims =
                serde_json::from_slice(payload).map_err(|e| Error::ClaimsShape(e.to_string()))?;
            Ok(TokenData {
                header,
                registered,
                claims,
            })
        })
    }

    /// Verify a compact JWT now, returning the claims as the payload's JSON text (exactly
    /// the decoded payload, already checked to be one strict JSON object). The same
    /// checks as [`Verifier::verify`], minus the second parse into a Rust type: the fast
    /// path for callers that hand the JSON on (the language bindings).
    pub fn verify_raw(&self, token: &str) -> Result<TokenData<String>> {
        self.verify_raw_at(token, self.now())
    }

    /// [`Verifier::verify_raw`] as of `now` (seconds since the epoch).
    pub fn verify_raw_at(&self, token: &str, now: i64) -> Result<TokenData<String>> {
        // The payload is decoded into the buffer the returned `String` keeps (not the
        // thread's reused one, then copied out): one allocation either way, no copy.
        let mut buf = Vec::new();
        let (header, payload) = self.verify_jwt_into(token, &mut buf)?;
        let registered = self.check_payload(&header, payload, now)?;
        // A JWT payload is base64url (`verify_jwt_into` refused `b64: false`), so it is
        // the whole buffer.
        debug_assert_eq!(payload.len(), buf.len());
        // Already validated as UTF-8 by the strict scan; this only re-checks.
        let claims =
            String::from_utf8(buf).map_err(|_| Error::malformed("the payload is not UTF-8"))?;
        Ok(TokenData {
            header,
            registered,
            claims,
        })
    }

    /// Run `f` with this thread's reusable payload buffer (one allocation less per
    /// token; claims are not key material).
    fn with_payload_buffer<R>(&self, f: impl FnOnce(&mut Vec<u8>) -> Result<R>) -> Result<R> {
        thread_local! {
            static PAYLOAD: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        PAYLOAD.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => {
                let result = f(&mut buf);
                if buf.capacity() > 64 * 1024 {
                    *buf = Vec::new(); // do not keep a large token's memory
                }
                result
            }
            // Re-entered (a claim check verifying another token): a fresh buffer.
            Err(_) => f(&mut Vec::new()),
        })
    }

    /// Signature and header checks of a compact JWT; returns the header and the decoded
    /// payload (in `buf`).
    fn verify_jwt_into<'a>(
        &self,
        token: &'a str,
        buf: &'a mut Vec<u8>,
    ) -> Result<(Header, &'a [u8])> {
        let (header, payload) = self.verify_compact_into(token.as_bytes(), None, buf)?;
        if !header.payload_is_b64() {
            return Err(Error::InvalidHeader(
                "a JWT payload must be base64url-encoded".into(),
            ));
        }
        Ok((header, payload))
    }

    /// The claims checks over a verified payload: strict JSON object, registered claims
    /// typed and validated, full-claims rules, the caller's hook.
    fn check_payload(&self, header: &Header, payload: &[u8], now: i64) -> Result<RegisteredClaims> {
        let v = &self.validation;
        let registered = scan_payload(payload, v.limits.max_json_depth)?.into_typed()?;
        self.check_registered(header, payload, &registered, now)?;
        Ok(registered)
    }

    /// The checks after the payload's JSON is known to be strict.
    fn check_registered(
        &self,
        header: &Header,
        payload: &[u8],
        registered: &RegisteredClaims,
        now: i64,
    ) -> Result<()> {
        let v = &self.validation;
        v.check_claims(registered, now)?;
        if v.needs_full_claims() {
            v.check_full_claims(payload)?;
        }
        if let Some(check) = &v.check {
            check(header, registered).map_err(Error::ClaimRejected)?;
        }
        Ok(())
    }

    /// Verify a compact JWS with an arbitrary payload (no claims checks). Supports
    /// `b64: false` (RFC 7797) when `b64` is declared in [`Validation::critical`].
    pub fn verify_jws(&self, token: &str) -> Result<VerifiedJws> {
        let mut buf = Vec::new();
        let (header, payload) = self.verify_compact_into(token.as_bytes(), None, &mut buf)?;
        let payload = payload.to_vec();
        Ok(VerifiedJws { header, payload })
    }

    /// Verify a compact JWS with a detached payload (`header..signature`, RFC 7515
    /// appendix F).
    pub fn verify_detached(&self, token: &str, payload: &[u8]) -> Result<VerifiedJws> {
        let mut buf = Vec::new();
        let (header, _) = self.verify_compact_into(token.as_bytes(), Some(payload), &mut buf)?;
        Ok(VerifiedJws {
            header,
            payload: payload.to_vec(),
        })
    }

    /// Core of compact verification. Returns the header and the decoded payload (in
    /// `buf`, or the detached/unencoded payload itself).
    fn verify_compact_into<'a>(
        &self,
        token: &'a [u8],
        detached: Option<&'a [u8]>,
        buf: &'a mut Vec<u8>,
    ) -> Result<(Header, &'a [u8])> {
        let limits = &self.validation.limits;
        if token.len() > limits.max_token_bytes {
            return Err(Error::TooLarge {
                what: "token",
                size: token.len(),
                limit: limits.max_token_bytes,
            });
        }
        let d1 = memchr(token, 0).ok_or_else(|| Error::malformed("expected three segments"))?;
        // The last `.`, searched from the end: the signature is short, the payload long.
        let d2 = token[d1 + 1..]
            .iter()
            .rposition(|b| *b == b'.')
            .map(|p| p + d1 + 1)
            .ok_or_else(|| Error::malformed("expected three segments"))?;
        // A `.` between the two (four segments or more) is looked for only when the rest
        // fails: a success implies there is none (the payload decoded as base64url, or
        // was checked for `.` when unencoded, or is empty when detached). So the error is
        // the one a scan up front gave, without scanning the payload twice.
        match self.verify_segments(token, d1, d2, detached, buf) {
            Err(_) if memchr(&token[..d2], d1 + 1).is_some() => Err(Error::malformed(
                "expected three segments (five is JWE, not JWS)",
            )),
            result => result,
        }
    }

    /// [`Verifier::verify_compact_into`] once the first and the last `.` are known.
    fn verify_segments<'a>(
        &self,
        token: &'a [u8],
        d1: usize,
        d2: usize,
        detached: Option<&'a [u8]>,
        buf: &'a mut Vec<u8>,
    ) -> Result<(Header, &'a [u8])> {
        let header_b64 = &token[..d1];
        let payload_part = &token[d1 + 1..d2];
        let sig_b64 = &token[d2 + 1..];
        let cached = self.headers.get(header_b64);
        let header = match cached {
            Some(h) => h.clone(),
            None => self.decode_header(header_b64)?,
        };
        if sig_b64.len() > MAX_SIGNATURE_B64 {
            return Err(Error::malformed("signature too long"));
        }
        // Signatures up to RSA-4096 decode on the stack.
        let mut sig_buf = [0u8; 512];
        let sig_vec;
        let sig: &[u8] = match json::b64_decode_slice(sig_b64, &mut sig_buf)? {
            Some(n) => &sig_buf[..n],
            None => {
                sig_vec = json::b64_decode(sig_b64)?;
                &sig_vec
            }
        };
        let signing_input: Vec<u8>;
        let (input, payload): (&[u8], &[u8]) = match (detached, header.payload_is_b64()) {
            (None, true) => {
                json::b64_decode_into(payload_part, buf)?;
                (&token[..d2], &buf[..])
            }
            (None, false) => {
                if !std::str::from_utf8(payload_part).is_ok_and(|p| !p.contains('.')) {
                    return Err(Error::malformed(
                        "an unencoded payload in compact form must not contain `.`",
                    ));
                }
                (&token[..d2], payload_part)
            }
            (Some(p), b64) => {
                if !payload_part.is_empty() {
                    return Err(Error::malformed(
                        "a detached JWS has an empty payload segment",
                    ));
                }
                let mut s = Vec::with_capacity(header_b64.len() + 1 + p.len() * 4 / 3 + 4);
                s.extend_from_slice(header_b64);
                s.push(b'.');
                if b64 {
                    s.extend_from_slice(json::b64_encode(p).as_bytes());
                } else {
                    s.extend_from_slice(p);
                }
                signing_input = s;
                (&signing_input[..], p)
            }
        };
        self.check_signature(&header, input, sig)?;
        if cached.is_none() {
            self.headers.insert(header_b64, &header);
        }
        Ok((header, payload))
    }

    fn decode_header(&self, header_b64: &[u8]) -> Result<Header> {
        let limits = &self.validation.limits;
        if header_b64.len() / 4 * 3 > limits.max_header_bytes {
            return Err(Error::TooLarge {
                what: "header",
                size: header_b64.len() / 4 * 3,
                limit: limits.max_header_bytes,
            });
        }
        let raw = json::b64_decode(header_b64)?;
        let header = Header::from_json(&raw, limits.max_json_depth)?;
        self.check_header(&header)?;
        Ok(header)
    }

    pub(super) fn check_header(&self, header: &Header) -> Result<()> {
        header.check_crit(&self.validation.crit)?;
        if let Some(want) = &self.validation.typ {
            match &header.typ {
                Some(t) if typ_matches(t, want) => {}
                Some(t) => return Err(Error::InvalidType(format!("`{}`", truncate(t, 32)))),
                None => return Err(Error::InvalidType("`typ` is missing".into())),
            }
        }
        if !self.allowed.contains(&header.alg) {
            return Err(Error::AlgorithmNotAllowed(header.alg.to_string()));
        }
        Ok(())
    }

    pub(super) fn check_signature(&self, header: &Header, input: &[u8], sig: &[u8]) -> Result<()> {
        // The usual single key that fits: no candidate list to build (same outcome).
        if let [key] = self.keys.keys() {
            if key.algorithm().same_signature(header.alg)
                && self.validation.limits.max_key_candidates > 0
                && (self.validation.kid_policy == KidPolicy::Lenient
                    || header
                        .kid
                        .as_deref()
                        .is_none_or(|kid| key.kid() == Some(kid)))
            {
                return key.verify(input, sig);
            }
        }
        let candidates = self.keys.select(
            header,
            self.validation.kid_policy,
            self.validation.limits.max_key_candidates,
        )?;
        for key in candidates {
            if key.verify(input, sig).is_ok() {
                return Ok(());
            }
        }
        Err(Error::InvalidSignature)
    }
}

/// The first `.` at or after `from`. Tested 8 bytes at a time as one word (a word
/// has a zero byte after `^ b'.'` exactly when `(x - 0x01..) & !x & 0x80..` is nonzero),
/// then located: a byte-at-a-time search was 8% of an HS256 verification, the earlier
/// 32-byte fold still 2 instructions a byte.
fn memchr(hay: &[u8], from: usize) -> Option<usize> {
    const DOTS: u64 = u64::from_ne_bytes([b'.'; 8]);
    const LO: u64 = u64::from_ne_bytes([0x01; 8]);
    const HI: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut chunks = hay[from..].chunks_exact(8);
    let mut offset = from;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word) ^ DOTS;
        if x.wrapping_sub(LO) & !x & HI != 0 {
            return chunk.iter().position(|b| *b == b'.').map(|p| p + offset);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| *b == b'.')
        .map(|p| p + offset)
}

#[cfg(test)]
mod tests {
    use super::memchr;

    #[test]
    fn memchr_finds_every_dot_position() {
        for len in [0usize, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 100] {
            for dot in 0..len {
                let mut hay = vec![b'a'; len];
                hay[dot] = b'.';
                for from in 0..=len {
                    let want = if from <= dot { Some(dot) } else { None };
                    assert_eq!(memchr(&hay, from), want, "len {len} dot {dot} from {from}");
                }
            }
            assert_eq!(memchr(&vec![b'a'; len], 0), None);
        }
    }

    /// Four or more segments are refused as such whatever else is wrong with the token,
    /// and with its header already cached.
    #[test]
    fn extra_segments_are_named_first() {
        use crate::{Algorithm, Claims, Error, Signer, SigningKey, Validation, Verifier};
        let key = SigningKey::hmac(Algorithm::HS256, &[7u8; 32]).unwrap();
        let token = Signer::new(key.clone())
            .unwrap()
            .sign(
                &Claims::empty()
                    .subject("s")
                    .expires_in(std::time::Duration::from_secs(600)),
            )
            .unwrap();
        let v = Verifier::new(key.verifying_key(), Validation::new()).unwrap();
        let (h, rest) = token.split_once('.').unwrap();
        let (p, sig) = rest.split_once('.').unwrap();
        let five = "expected three segments (five is JWE, not JWS)";
        for cached in [false, true] {
            if cached {
                v.verify::<serde_json::Value>(&token).unwrap();
            }
            for bad in [
                format!("{h}.{p}.{sig}.{sig}"),
                format!("{h}.{p}.x.{sig}"),
                format!("{h}..{p}.{sig}"),
                format!("{h}.{p}..{sig}"),
                format!("{h}.a.b.c.{sig}"),
                format!("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.{p}.a.b.{sig}"),
                format!("{h}.{p}.{sig}."),
            ] {
                for r in [
                    v.verify_raw(&bad).map(|_| ()),
                    v.verify::<serde_json::Value>(&bad).map(|_| ()),
                    v.verify_jws(&bad).map(|_| ()),
                ] {
                    assert_eq!(r, Err(Error::Malformed(five.into())), "{bad}");
                }
            }
            for bad in ["", "abc", "abc.", ".abc", "a.b"] {
                assert_eq!(
                    v.verify_raw(bad).map(|_| ()),
                    Err(Error::Malformed("expected three segments".into())),
                    "{bad}"
                );
            }
        }
    }

    #[test]
    fn memchr_sees_no_dot_in_any_other_byte() {
        for filler in (0..=255u8).filter(|b| *b != b'.') {
            let mut hay = vec![filler; 40];
            assert_eq!(memchr(&hay, 0), None, "{filler}");
            hay[21] = b'.';
            assert_eq!(memchr(&hay, 3), Some(21), "{filler}");
        }
    }
}
