//! One pass over a verified payload: deserialize the caller's claims type while
//! collecting the registered claims and enforcing the strict-JSON rules (no duplicate
//! members at any depth, bounded nesting) on everything the type reads.
//!
//! It is only a fast path. It answers `None` on any failure, including shapes it does
//! not handle (enums, non-string map keys), and the caller then runs the two-pass path
//! (`scan_payload`, then serde), which alone decides which error the caller sees. So
//! this module can make verification faster but never changes an outcome, provided it
//! is at least as strict as `scan_payload` whenever it succeeds: every byte of the
//! payload reaches the caller's type only through the wrappers below, which reject
//! what the scan rejects.

use std::borrow::Cow;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use crate::claims::RawRegistered;
use crate::json::{Key, SeenKeys, StrictSkip, StrictValue};

type JsonError = serde_json::Error;

/// Deserialize `payload` into `T` in one pass, with the registered claims. `None` means
/// "use the two-pass path".
pub(crate) fn claims<T: de::DeserializeOwned>(
    payload: &[u8],
    max_depth: usize,
) -> Option<(T, RawRegistered)> {
    let mut de = serde_json::Deserializer::from_slice(payload);
    let mut raw = RawRegistered::default();
    let value = T::deserialize(Top {
        de: &mut de,
        raw: &mut raw,
        inner: max_depth.saturating_sub(1),
    })
    .ok()?;
    de.end().ok()?;
    Some((value, raw))
}

fn unsupported<E: de::Error>() -> E {
    E::custom("not handled by the one-pass path")
}

// ---------------------------------------------------------------------------------------
// The top level: must be an object; registered claims are captured.

struct Top<'a, 'de> {
    de: &'a mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
    raw: &'a mut RawRegistered,
    inner: usize,
}

impl<'de> Deserializer<'de> for Top<'_, 'de> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.de.deserialize_map(TopVisitor {
            visitor,
            raw: self.raw,
            inner: self.inner,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_any(visitor)
    }

    /// Newtypes at the top (`serde_json::value::RawValue` among them, which has a
    /// private protocol with serde_json) are left to the two-pass path, before any work.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, JsonError> {
        Err(unsupported())
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct seq tuple tuple_struct enum identifier
    }
}

struct TopVisitor<'a, V> {
    visitor: V,
    raw: &'a mut RawRegistered,
    inner: usize,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for TopVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(TopMap {
            map,
            raw: self.raw,
            inner: self.inner,
            seen: SeenKeys::new(),
            slot: None,
        })
    }
}

/// Which registered claim the current member is.
#[derive(Clone, Copy)]
enum Slot {
    Iss,
    Sub,
    Aud,
    Exp,
    Nbf,
    Iat,
    Jti,
}

struct TopMap<'a, 'de, A> {
    map: A,
    raw: &'a mut RawRegistered,
    inner: usize,
    seen: SeenKeys<'de>,
    slot: Option<Slot>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for TopMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(Key(k)) = self.map.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        self.slot = match k.as_ref() {
            "iss" => Some(Slot::Iss),
            "sub" => Some(Slot::Sub),
            "aud" => Some(Slot::Aud),
            "exp" => Some(Slot::Exp),
            "nbf" => Some(Slot::Nbf),
            "iat" => Some(Slot::Iat),
            "jti" => Some(Slot::Jti),
            _ => None,
        };
        self.seen.insert::<A::Error>(Cow::clone(&k))?;
        key_into(seed, k).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let Some(slot) = self.slot.take() else {
            return self.map.next_value_seed(Strict {
                seed,
                remaining: self.inner,
            });
        };
        let value = self.map.next_value_seed(StrictValue {
            remaining: self.inner,
        })?;
        let out = seed.deserialize(value.clone()).map_err(de::Error::custom)?;
        let raw = &mut *self.raw;
        let place = match slot {
            Slot::Iss => &mut raw.iss,
            Slot::Sub => &mut raw.sub,
            Slot::Aud => &mut raw.aud,
            Slot::Exp => &mut raw.exp,
            Slot::Nbf => &mut raw.nbf,
            Slot::Iat => &mut raw.iat,
            Slot::Jti => &mut raw.jti,
        };
        *place = Some(value);
        Ok(out)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Hand a member name to the caller's key seed.
fn key_into<'de, K: DeserializeSeed<'de>, E: de::Error>(
    seed: K,
    k: Cow<'de, str>,
) -> Result<K::Value, E> {
    let de: de::value::CowStrDeserializer<'de, E> = k.into_deserializer();
    seed.deserialize(de)
}

// ---------------------------------------------------------------------------------------
// Below the top: every value the caller's type reads goes through `Strict`.

/// A seed that deserializes through [`StrictDe`].
struct Strict<S> {
    seed: S,
    remaining: usize,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Strict<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(StrictDe {
            de: d,
            remaining: self.remaining,
        })
    }
}

/// A deserializer that wraps every visitor so nested maps and sequences stay strict.
struct StrictDe<D> {
    de: D,
    remaining: usize,
}

macro_rules! wrap_methods {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.de.$method(Wrap { visitor, remaining: self.remaining })
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for StrictDe<D> {
    type Error = D::Error;

    wrap_methods! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let remaining = self.remaining;
        self.de
            .deserialize_unit_struct(name, Wrap { visitor, remaining })
    }

    /// Newtypes are left to the two-pass path: serde_json's `RawValue` is one, and it
    /// would receive the member's raw text without the strict checks.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, D::Error> {
        Err(unsupported())
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let remaining = self.remaining;
        self.de.deserialize_tuple(len, Wrap { visitor, remaining })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let remaining = self.remaining;
        self.de
            .deserialize_tuple_struct(name, len, Wrap { visitor, remaining })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let remaining = self.remaining;
        self.de
            .deserialize_struct(name, fields, Wrap { visitor, remaining })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, D::Error> {
        // Enum access hands out the inner deserializer unwrapped: leave it to the
        // two-pass path.
        Err(unsupported())
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        StrictSkip {
            remaining: self.remaining,
        }
        .deserialize(self.de)?;
        visitor.visit_unit()
    }
}

/// The caller's visitor, with nested maps and sequences kept strict.
struct Wrap<V> {
    visitor: V,
    remaining: usize,
}

impl<V> Wrap<V> {
    fn deeper<E: de::Error>(&self) -> Result<usize, E> {
        self.remaining
            .checked_sub(1)
            .ok_or_else(|| E::custom("JSON nesting too deep"))
    }
}

macro_rules! forward_visits {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.visitor.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward_visits! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char) visit_str(&str)
        visit_borrowed_str(&'de str) visit_string(String) visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(StrictDe {
            de: d,
            remaining: self.remaining,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(StrictDe {
            de: d,
            remaining: self.remaining,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let remaining = self.deeper()?;
        self.visitor.visit_seq(StrictSeq { seq, remaining })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let remaining = self.deeper()?;
        self.visitor.visit_map(StrictMap {
            map,
            remaining,
            seen: SeenKeys::new(),
        })
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<V::Value, A::Error> {
        Err(unsupported())
    }
}

struct StrictSeq<A> {
    seq: A,
    remaining: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for StrictSeq<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        self.seq.next_element_seed(Strict {
            seed,
            remaining: self.remaining,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

struct StrictMap<'de, A> {
    map: A,
    remaining: usize,
    seen: SeenKeys<'de>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for StrictMap<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(Key(k)) = self.map.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        self.seen.insert::<A::Error>(Cow::clone(&k))?;
        key_into(seed, k).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(Strict {
            seed,
            remaining: self.remaining,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use serde_json::Value;

    use super::*;
    use crate::claims::scan_payload;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Typed {
        sub: String,
        exp: i64,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        nested: Option<BTreeMap<String, Value>>,
    }

    /// Whatever one pass accepts, the two-pass path accepts with the same result.
    fn agrees<T: de::DeserializeOwned + PartialEq + fmt::Debug>(payload: &[u8]) -> bool {
        let one = claims::<T>(payload, 8);
        let two = scan_payload(payload, 8)
            .ok()
            .and_then(|_| serde_json::from_slice::<T>(payload).ok());
        match (&one, two) {
            (Some((v, _)), Some(w)) => {
                assert_eq!(*v, w);
                true
            }
            (Some(_), None) => panic!("one pass accepted what the scan rejects: {payload:?}"),
            (None, _) => false,
        }
    }

    #[test]
    fn typed_and_value_claims_in_one_pass() {
        let p = br#"{"sub":"a","exp":5,"iss":"i","aud":["x","y"],"tags":["t"],"nested":{"k":[1,{"z":null}]}}"#;
        let (t, raw) = claims::<Typed>(p, 8).unwrap();
        assert_eq!(t.sub, "a");
        assert_eq!(raw.into_typed().unwrap().iss.as_deref(), Some("i"));
        assert!(agrees::<Typed>(p));
        assert!(agrees::<Value>(p));
        assert!(agrees::<BTreeMap<String, Value>>(p));
    }

    #[test]
    fn strictness_is_kept_or_deferred() {
        for bad in [
            &br#"{"sub":"a","exp":5,"sub":"b"}"#[..],
            br#"{"sub":"a","exp":5,"x":1,"x":2}"#,
            br#"{"sub":"a","exp":5,"nested":{"k":1,"k":2}}"#,
            br#"{"sub":"a","exp":5,"ignored":{"k":1,"k":2}}"#,
            br#"{"sub":"a","exp":5,"ignored":[[[[[[[[[[1]]]]]]]]]]}"#,
            br#"{"sub":"a","exp":5,"tags":["t"]} x"#,
            br#"[1]"#,
        ] {
            assert!(
                claims::<Typed>(bad, 8).is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
            assert!(claims::<Value>(bad, 8).is_none());
            assert!(scan_payload(bad, 8).is_err() || serde_json::from_slice::<Typed>(bad).is_err());
        }
        // Depth: exactly at the limit is fine for both paths, one more is not.
        let at = br#"{"sub":"a","exp":5,"nested":{"k":[[[[[[1]]]]]]}}"#;
        let over = br#"{"sub":"a","exp":5,"nested":{"k":[[[[[[[1]]]]]]]}}"#;
        assert_eq!(
            scan_payload(at, 8).is_ok(),
            claims::<Value>(at, 8).is_some()
        );
        assert_eq!(
            scan_payload(over, 8).is_ok(),
            claims::<Value>(over, 8).is_some()
        );
        assert_eq!(
            scan_payload(over, 8).is_ok(),
            claims::<Typed>(over, 8).is_some()
        );
    }

    /// JSON text from a small alphabet of keys, so duplicates and registered claims turn
    /// up often; nesting up to 10 deep against a limit of 8.
    fn json_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop::sample::select(vec!["sub", "exp", "iss", "aud", "x", "y", "tags"]);
        let leaf = prop_oneof![
            Just("null".to_owned()),
            any::<bool>().prop_map(|b| b.to_string()),
            (0i64..5_000_000_000).prop_map(|n| n.to_string()),
            "[a-z]{0,3}".prop_map(|s| format!("\"{s}\"")),
        ];
        leaf.prop_recursive(10, 64, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec((key.clone(), inner), 0..5).prop_map(|m| {
                    let members: Vec<String> =
                        m.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        })
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Loose {
        #[serde(default)]
        sub: Option<Value>,
        #[serde(default)]
        tags: Option<Vec<Value>>,
        #[serde(default)]
        x: Option<BTreeMap<String, Value>>,
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Whenever the one pass succeeds, the two passes succeed with the same value and
        /// the same registered claims.
        #[test]
        fn one_pass_never_accepts_more(text in json_text()) {
            let p = text.as_bytes();
            agrees::<Value>(p);
            agrees::<Loose>(p);
            agrees::<BTreeMap<String, Value>>(p);
            if let Some((_, raw)) = claims::<Value>(p, 8) {
                let scanned = scan_payload(p, 8).unwrap();
                proptest::prop_assert_eq!(format!("{raw:?}"), format!("{scanned:?}"));
            }
        }
    }
}
