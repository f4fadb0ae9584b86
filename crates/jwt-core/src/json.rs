//! Strict JSON and base64url handling.
//!
//! `serde_json` on its own accepts duplicate object members (the last one wins), which
//! lets two parsers disagree about what a token says. Everything this crate reads from a
//! token or a JWK goes through the strict readers here: duplicate member names are an
//! error ([`Error::DuplicateMember`]) at every level, and nesting deeper than the
//! configured depth is an error ([`Error::Malformed`]) before the recursion happens.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// base64url without padding; decoding rejects padding, the standard alphabet's `+`/`/`,
/// whitespace and non-canonical trailing bits.
pub(crate) const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// Encode bytes as unpadded base64url.
pub fn b64_encode(bytes: impl AsRef<[u8]>) -> String {
    B64.encode(bytes)
}

/// Append the unpadded base64url encoding of `bytes` to `out`.
pub(crate) fn b64_encode_into(bytes: &[u8], out: &mut String) {
    B64.encode_string(bytes, out)
}

/// Strictly decode unpadded base64url.
pub fn b64_decode(s: impl AsRef<[u8]>) -> Result<Vec<u8>> {
    B64.decode(s.as_ref())
        .map_err(|e| Error::malformed(format_args!("invalid base64url: {e}")))
}

/// Decode into a reused buffer (the verification fast path).
pub(crate) fn b64_decode_into(s: &[u8], out: &mut Vec<u8>) -> Result<()> {
    out.clear();
    if let Some(n) = decoded_len(s.len()) {
        out.resize(n, 0);
        if decode_canonical(s, out) {
            return Ok(());
        }
        out.clear();
    }
    B64.decode_vec(s, out)
        .map_err(|e| Error::malformed(format_args!("invalid base64url: {e}")))
}

/// Decode into a caller's (stack) buffer; `None` when it is too small for the result.
pub(crate) fn b64_decode_slice(s: &[u8], out: &mut [u8]) -> Result<Option<usize>> {
    if let Some(n) = decoded_len(s.len()) {
        if let Some(dst) = out.get_mut(..n) {
            if decode_canonical(s, dst) {
                return Ok(Some(n));
            }
        }
    }
    match B64.decode_slice(s, out) {
        Ok(n) => Ok(Some(n)),
        Err(base64::DecodeSliceError::OutputSliceTooSmall) => Ok(None),
        Err(base64::DecodeSliceError::DecodeError(e)) => {
            Err(Error::malformed(format_args!("invalid base64url: {e}")))
        }
    }
}

/// The value of each base64url symbol, [`INVALID`] for every other byte.
const DECODE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
};
const INVALID: u8 = 0xFF;

/// The decoded length of `len` unpadded base64url symbols (`None`: no input has it).
fn decoded_len(len: usize) -> Option<usize> {
    match len % 4 {
        1 => None,
        r => Some(len / 4 * 3 + r.saturating_sub(1)),
    }
}

/// Decode canonical unpadded base64url into `out`, exactly [`decoded_len`] long; `false`
/// for any other input (then [`B64`] decides, and names the error). It accepts exactly
/// what [`B64`] accepts and gives the same bytes (a test checks both ways): a table
/// lookup per symbol and one validity test per input, where `B64`'s general engine took
/// 8 instructions a symbol, a tenth of an HS256 verification.
fn decode_canonical(s: &[u8], out: &mut [u8]) -> bool {
    let mut bad = 0u8;
    // Eight symbols to six bytes at a time: one 48-bit word, one validity fold.
    let n8 = s.len() / 8;
    let (s8, s) = s.split_at(n8 * 8);
    let (o8, out) = out.split_at_mut(n8 * 6);
    for (g, d) in s8.chunks_exact(8).zip(o8.chunks_exact_mut(6)) {
        let mut word = 0u64;
        for &c in g {
            let v = DECODE[usize::from(c)];
            bad |= v;
            word = word << 6 | u64::from(v);
        }
        d.copy_from_slice(&word.to_be_bytes()[2..]);
    }
    let mut groups = s.chunks_exact(4);
    let mut dst = out.chunks_exact_mut(3);
    for (g, d) in (&mut groups).zip(&mut dst) {
        let (a, b, c, e) = (
            DECODE[usize::from(g[0])],
            DECODE[usize::from(g[1])],
            DECODE[usize::from(g[2])],
            DECODE[usize::from(g[3])],
        );
        bad |= a | b | c | e;
        let n = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(e);
        d.copy_from_slice(&n.to_be_bytes()[1..]);
    }
    let tail = dst.into_remainder();
    match (groups.remainder(), tail) {
        ([], []) => {}
        ([a, b], [x]) => {
            let (a, b) = (DECODE[usize::from(*a)], DECODE[usize::from(*b)]);
            // The unused low bits of the last symbol must be zero (canonical form).
            bad |= a | b | trailing(b & 0x0F);
            *x = a << 2 | b >> 4;
        }
        ([a, b, c], [x, y]) => {
            let (a, b, c) = (
                DECODE[usize::from(*a)],
                DECODE[usize::from(*b)],
                DECODE[usize::from(*c)],
            );
            bad |= a | b | c | trailing(c & 0x03);
            *x = a << 2 | b >> 4;
            *y = b << 4 | c >> 2;
        }
        _ => return false,
    }
    // Symbols are below 64: INVALID (and `trailing`) alone set a top bit.
    bad & 0xC0 == 0
}

/// [`INVALID`] when the unused low bits of the last symbol are not all zero.
fn trailing(bits: u8) -> u8 {
    if bits == 0 { 0 } else { INVALID }
}

/// Default maximum JSON nesting depth for headers, claims and JWKs.
pub const DEFAULT_MAX_DEPTH: usize = 32;

/// Map serde_json errors (and the errors our visitors smuggle through them) to ours.
pub(crate) fn map_json_err(e: serde_json::Error) -> Error {
    let msg = e.to_string();
    if let Some(rest) = msg.strip_prefix(DUP_PREFIX) {
        let name = rest.split(DUP_END).next().unwrap_or_default();
        return Error::DuplicateMember(name.to_owned());
    }
    Error::malformed(format_args!("invalid JSON: {msg}"))
}

const DUP_PREFIX: &str = "\u{1}duplicate:";
const DUP_END: char = '\u{1}';

fn dup_error<E: de::Error>(name: &str) -> E {
    E::custom(format_args!(
        "{DUP_PREFIX}{}{DUP_END}",
        crate::error::truncate(name, 64)
    ))
}

/// Tracks member names of one object to reject duplicates. Small objects use a linear
/// scan (the first names without a heap allocation); large ones switch to a hash set so
/// a hostile object cannot cost O(n^2).
pub(crate) struct SeenKeys<'de> {
    inline: [Cow<'de, str>; INLINE_KEYS],
    /// [`fingerprint`] of each inline name: names are compared only when these match
    /// (a string comparison is a `memcmp` call; this scan was 3% of an HS256 verify).
    prints: [u32; INLINE_KEYS],
    len: usize,
    small: Vec<Cow<'de, str>>,
    large: Option<HashSet<Cow<'de, str>>>,
}

/// Names kept inline: a JWT has a handful of claims.
const INLINE_KEYS: usize = 8;

impl<'de> SeenKeys<'de> {
    pub(crate) fn new() -> Self {
        SeenKeys {
            inline: Default::default(),
            prints: [0; INLINE_KEYS],
            len: 0,
            small: Vec::new(),
            large: None,
        }
    }

    /// Record `k`; error if it was seen before.
    pub(crate) fn insert<E: de::Error>(&mut self, k: Cow<'de, str>) -> Result<(), E> {
        if let Some(set) = &mut self.large {
            if set.contains(&k) {
                return Err(dup_error(&k));
            }
            set.insert(k);
            return Ok(());
        }
        let print = fingerprint(&k);
        let n = self.len.min(INLINE_KEYS);
        let inline_dup = self.prints[..n]
            .iter()
            .zip(&self.inline[..n])
            .any(|(p, seen)| *p == print && *seen == k);
        if inline_dup || self.small.contains(&k) {
            return Err(dup_error(&k));
        }
        if self.len < INLINE_KEYS {
            self.inline[self.len] = k;
            self.prints[self.len] = print;
        } else {
            self.small.push(k);
        }
        self.len += 1;
        if self.len > 16 {
            let mut set: HashSet<_> = self.small.drain(..).collect();
            set.extend(self.inline.iter_mut().map(std::mem::take));
            self.large = Some(set);
        }
        Ok(())
    }
}

/// Equal names have equal fingerprints (length, first and last byte); most different
/// names of one object have different ones.
fn fingerprint(name: &str) -> u32 {
    let b = name.as_bytes();
    let first = b.first().copied().unwrap_or(0);
    let last = b.last().copied().unwrap_or(0);
    ((b.len() as u32) << 16) | (u32::from(first) << 8) | u32::from(last)
}

/// A map key borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KV;
        impl<'de> Visitor<'de> for KV {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KV)
    }
}

/// Deserializes any JSON value into a `serde_json::Value`, rejecting duplicate members
/// and nesting deeper than `remaining` levels.
#[derive(Clone, Copy)]
pub(crate) struct StrictValue {
    pub(crate) remaining: usize,
}

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl StrictValue {
    fn deeper<E: de::Error>(self) -> Result<StrictValue, E> {
        if self.remaining == 0 {
            return Err(E::custom("JSON nesting too deep"));
        }
        Ok(StrictValue {
            remaining: self.remaining - 1,
        })
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Map::new();
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            if out.contains_key(k.as_ref()) {
                return Err(dup_error(&k));
            }
            let v = map.next_value_seed(inner)?;
            out.insert(k.into_owned(), v);
        }
        Ok(Value::Object(out))
    }
}

/// Walks any JSON value without building it, rejecting duplicate members and nesting
/// deeper than `remaining` levels.
#[derive(Clone, Copy)]
pub(crate) struct StrictSkip {
    pub(crate) remaining: usize,
}

impl<'de> DeserializeSeed<'de> for StrictSkip {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl StrictSkip {
    fn deeper<E: de::Error>(self) -> Result<StrictSkip, E> {
        if self.remaining == 0 {
            return Err(E::custom("JSON nesting too deep"));
        }
        Ok(StrictSkip {
            remaining: self.remaining - 1,
        })
    }
}

impl<'de> Visitor<'de> for StrictSkip {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        while seq.next_element_seed(inner)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        let mut seen = SeenKeys::new();
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            seen.insert(k)?;
            map.next_value_seed(inner)?;
        }
        Ok(())
    }
}

/// Parse `bytes` as a strict JSON object (the shape of every JOSE header, claims set and
/// JWK).
pub fn parse_object(bytes: &[u8], max_depth: usize) -> Result<Map<String, Value>> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = StrictValue {
        remaining: max_depth,
    }
    .deserialize(&mut de)
    .map_err(map_json_err)?;
    de.end().map_err(map_json_err)?;
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(Error::malformed("expected a JSON object")),
    }
}

/// A JSON serialization document (JWS RFC 7515 7.2, JWE RFC 7516 7.2): refused above
/// `max_bytes` before any parsing, then a strict JSON object.
pub(crate) fn parse_document(
    doc: &str,
    max_bytes: usize,
    max_depth: usize,
) -> Result<Map<String, Value>> {
    if doc.len() > max_bytes {
        return Err(Error::TooLarge {
            what: "token",
            size: doc.len(),
            limit: max_bytes,
        });
    }
    parse_object(doc.as_bytes(), max_depth)
}

/// Take the string member `name` out of a JSON serialization document (absent: `None`;
/// any other type: malformed).
pub(crate) fn take_str(m: &mut Map<String, Value>, name: &str) -> Result<Option<String>> {
    match m.remove(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::malformed(format_args!("`{name}` must be a string"))),
    }
}

/// Take the object member `name` out of a JSON serialization document (absent: `None`;
/// any other type: malformed).
pub(crate) fn take_object(
    m: &mut Map<String, Value>,
    name: &str,
) -> Result<Option<Map<String, Value>>> {
    match m.remove(name) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(Error::malformed(format_args!("`{name}` must be an object"))),
    }
}

#[cfg(test)]
/// Check that `bytes` is strict JSON (no duplicates, bounded depth) without building it.
pub(crate) fn check_strict(bytes: &[u8], max_depth: usize) -> Result<()> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    StrictSkip {
        remaining: max_depth,
    }
    .deserialize(&mut de)
    .map_err(map_json_err)?;
    de.end().map_err(map_json_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_rejected_at_every_level() {
        let e = parse_object(br#"{"a":1,"a":2}"#, 8).unwrap_err();
        assert_eq!(e, Error::DuplicateMember("a".into()));
        let e = parse_object(br#"{"x":{"b":1,"b":2}}"#, 8).unwrap_err();
        assert_eq!(e.code(), "duplicate_member");
        let e = check_strict(br#"{"x":[{"c":1,"c":2}]}"#, 8).unwrap_err();
        assert_eq!(e.code(), "duplicate_member");
        // escaped spelling of the same name is still a duplicate
        let e = parse_object(br#"{"a":1,"\u0061":2}"#, 8).unwrap_err();
        assert_eq!(e.code(), "duplicate_member");
    }

    #[test]
    fn duplicates_found_across_inline_and_spilled_names() {
        for n in 1..20usize {
            for dup in 0..n {
                let mut members: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
                members.push(format!("\"k{dup}\":0"));
                let doc = format!("{{{}}}", members.join(","));
                let e = check_strict(doc.as_bytes(), 8).unwrap_err();
                assert_eq!(
                    e.code(),
                    "duplicate_member",
                    "{n} names, duplicate of #{dup}"
                );
            }
            let distinct: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
            assert!(check_strict(format!("{{{}}}", distinct.join(",")).as_bytes(), 8).is_ok());
        }
    }

    #[test]
    fn many_members_use_the_hash_set() {
        let mut s = String::from("{");
        for i in 0..40 {
            s.push_str(&format!("\"k{i}\":{i},"));
        }
        s.push_str("\"k7\":0}");
        assert_eq!(
            check_strict(s.as_bytes(), 8).unwrap_err().code(),
            "duplicate_member"
        );
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        let obj = format!("{{\"a\":{deep}}}");
        assert_eq!(
            parse_object(obj.as_bytes(), 32).unwrap_err().code(),
            "malformed_token"
        );
        assert_eq!(
            check_strict(obj.as_bytes(), 32).unwrap_err().code(),
            "malformed_token"
        );
        assert!(check_strict(obj.as_bytes(), 64).is_ok());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The table decoder accepts exactly what the base64 engine accepts, with the
        /// same bytes, and the same errors come out of both entry points.
        #[test]
        fn fast_base64url_agrees_with_the_engine(
            s in proptest::collection::vec(
                proptest::sample::select(b"AQgw_-zZ09a.+/= \xff".to_vec()), 0..40),
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
        ) {
            for input in [s.clone(), b64_encode(&bytes).into_bytes()] {
                let want = B64.decode(&input).map_err(|e| format!("invalid base64url: {e}"));
                let mut buf = vec![7u8; 3];
                let got = b64_decode_into(&input, &mut buf).map(|()| buf.clone());
                proptest::prop_assert_eq!(
                    got.map_err(|e| e.to_string()),
                    want.clone().map_err(|e| Error::malformed(e).to_string())
                );
                let mut fast = [0u8; 64];
                let ok = decoded_len(input.len())
                    .is_some_and(|n| decode_canonical(&input, &mut fast[..n]));
                proptest::prop_assert_eq!(ok, want.is_ok());
                for cap in [0usize, 1, 29, 64] {
                    let mut slice = vec![0u8; cap];
                    let got = b64_decode_slice(&input, &mut slice)
                        .map(|n| n.map(|n| slice[..n].to_vec()));
                    let mut slice = vec![0u8; cap];
                    let engine = match B64.decode_slice(&input, &mut slice) {
                        Ok(n) => Ok(Some(slice[..n].to_vec())),
                        Err(base64::DecodeSliceError::OutputSliceTooSmall) => Ok(None),
                        Err(base64::DecodeSliceError::DecodeError(e)) => {
                            Err(Error::malformed(format_args!("invalid base64url: {e}")))
                        }
                    };
                    proptest::prop_assert_eq!(got, engine);
                }
            }
        }
    }

    #[test]
    fn strict_base64url() {
        assert_eq!(b64_decode("YQ").unwrap(), b"a");
        for bad in ["YQ==", "Y Q", "Y+Q", "Y/Q", "YR", "Y"] {
            assert_eq!(
                b64_decode(bad).unwrap_err().code(),
                "malformed_token",
                "{bad}"
            );
        }
    }

    #[test]
    fn non_objects_and_trailing_data_rejected() {
        for bad in [&b"[1]"[..], b"\"s\"", b"{} x", b"{\"a\":1", b"\xff"] {
            assert_eq!(parse_object(bad, 8).unwrap_err().code(), "malformed_token");
        }
    }
}

#[cfg(test)]
mod seen_keys_tests {
    use super::SeenKeys;

    fn insert(seen: &mut SeenKeys<'static>, k: &'static str) -> bool {
        seen.insert::<serde_json::Error>(k.into()).is_ok()
    }

    /// Names with one fingerprint (length, first and last byte) are still told apart,
    /// and a repeat is caught in the inline, the small and the hashed stage.
    #[test]
    fn duplicates_found_whatever_the_fingerprint() {
        let mut seen = SeenKeys::new();
        assert!(insert(&mut seen, "abc"));
        assert!(insert(&mut seen, "axc"));
        assert!(insert(&mut seen, "ac"));
        assert!(!insert(&mut seen, "axc"));
        assert!(!insert(&mut seen, "abc"));
        assert!(insert(&mut seen, ""));
        assert!(!insert(&mut seen, ""));
        let names: Vec<&'static str> = (0..40)
            .map(|i| &*Box::leak(format!("k{i}z").into_boxed_str()))
            .collect();
        for (i, n) in names.iter().enumerate() {
            assert!(insert(&mut seen, n), "{n}");
            for earlier in &names[..=i] {
                let mut probe = SeenKeys::new();
                for n in &names[..=i] {
                    assert!(insert(&mut probe, n));
                }
                assert!(!insert(&mut probe, earlier), "{earlier} after {i}");
            }
        }
        assert!(!insert(&mut seen, "abc"));
    }
}
