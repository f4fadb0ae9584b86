//! The JVM fast path of `Verifier.verify`: one plain C function, called by the Kotlin
//! `Verifier.verify`/`verifyAt` through JNA direct mapping with primitive arguments only.
//!
//! Why it exists: a uniffi call from Kotlin crosses JNA with `Structure` arguments
//! (`RustCallStatus`, `RustBuffer`), and each of those allocates a JNA `Memory` (malloc,
//! an entry in JNA's global allocation map, a cleaner registration) and is read and
//! written by reflection around the call; `verify` makes four such crossings (clone the
//! handle, allocate the token buffer, verify, free the result buffer). That cost is
//! JNA's, not Rust's, and it is ten times the HS256 verification itself
//! (see docs/performance.md, JVM section). This function takes the verifier handle, the
//! token's UTF-8 bytes and an output buffer as raw addresses, so the call marshals
//! nothing; the result is written in uniffi's own serialization of `VerifiedToken` or
//! `JwtError`, which the Kotlin side reads with the generated converters: the values,
//! types and error codes are exactly those of the uniffi method (the Rust work is the
//! same [`Verifier::verify_str`]).
//!
//! Swift does not use it (Swift calls C directly; uniffi's own path is cheap there).
//!
//! Output layout, in the caller's buffer of `out_cap` bytes:
//! `[status: u8][payload]`, status [`OK`] (payload: a `VerifiedToken`), [`ERR`]
//! (payload: a `JwtError`), or [`TOO_SMALL`] (payload: the `now` used, 8 bytes big
//! endian; the return value is then the size needed, and the caller retries
//! `verify_at` with that `now` and a buffer that large, so the retry decides exactly as
//! the first attempt did). Otherwise the return value is the number of bytes written.

// The one place this crate handles raw pointers: the FFI entry point below.
#![allow(unsafe_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::UniFfiTag;
use crate::error::{INTERNAL_ERROR, JwtError, invalid_argument};
use crate::verify::Verifier;

/// Status byte: the payload is a `VerifiedToken`.
pub const OK: u8 = 0;
/// Status byte: the payload is a `JwtError`.
pub const ERR: u8 = 1;
/// Status byte: the buffer was too small; the payload is the `now` used.
pub const TOO_SMALL: u8 = 2;

/// Verify `token` with the `Verifier` behind `handle` (a uniffi object handle, borrowed:
/// the caller keeps the object alive for the duration of the call) as of `now` when
/// `has_now` is non-zero, otherwise as of the core's current time.
///
/// # Safety
///
/// `handle` is a live uniffi handle of a `Verifier`; `token` is the address of
/// `token_len` readable bytes; `out` the address of `out_cap` (at least 9) writable bytes
/// that do not overlap `token`. The Kotlin `Verifier` guarantees all of this.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jwtcore_fast_verifier_verify(
    handle: u64,
    token: u64,
    token_len: i32,
    now: i64,
    has_now: i8,
    out: u64,
    out_cap: i32,
) -> i32 {
    if handle == 0 || out == 0 || out_cap < 9 || token_len < 0 || (token == 0 && token_len > 0) {
        return -1;
    }
    // Addresses travel as u64 so the JVM passes plain longs on every ABI (32-bit Android
    // included); JNA then converts nothing.
    let (token, out) = (token as usize as *const u8, out as usize as *mut u8);
    // SAFETY: uniffi handles of Rust objects are `Arc::into_raw` pointers (uniffi_core
    // `Handle::from_arc`), and the caller holds the object alive during the call.
    let verifier = unsafe { &*(handle as usize as *const Verifier) };
    let token: &[u8] = if token_len == 0 {
        &[]
    } else {
        // SAFETY: the caller passes `token_len` readable bytes at `token`.
        unsafe { std::slice::from_raw_parts(token, token_len as usize) }
    };
    // SAFETY: the caller passes `out_cap` writable bytes at `out`, not aliasing `token`.
    let out = unsafe { std::slice::from_raw_parts_mut(out, out_cap as usize) };
    let now = if has_now != 0 { now } else { jwt_core::now() };
    let result = catch_unwind(AssertUnwindSafe(|| encode(verify(verifier, token, now))))
        .unwrap_or_else(|_| {
            encode(Err(JwtError::Internal {
                code: INTERNAL_ERROR.to_owned(),
                detail: "internal error (a bug in jwt-core, please report): panic in the fast path"
                    .to_owned(),
            }))
        });
    if result.len() <= out.len() {
        out[..result.len()].copy_from_slice(&result);
        result.len() as i32
    } else {
        out[0] = TOO_SMALL;
        out[1..9].copy_from_slice(&now.to_be_bytes());
        i32::try_from(result.len()).unwrap_or(i32::MAX)
    }
}

/// The same work as the uniffi method `Verifier::verify_at`.
fn verify(
    verifier: &Verifier,
    token: &[u8],
    now: i64,
) -> Result<crate::verify::VerifiedToken, JwtError> {
    // The Kotlin side encodes the token exactly as uniffi does (valid UTF-8 or an
    // exception before the call), so this only guards against a foreign caller.
    let token =
        std::str::from_utf8(token).map_err(|_| invalid_argument("the token is not valid UTF-8"))?;
    verifier.verify_str(token, now)
}

/// `[status][uniffi serialization of the value]`.
fn encode(result: Result<crate::verify::VerifiedToken, JwtError>) -> Vec<u8> {
    let mut buf = Vec::with_capacity(512);
    match result {
        Ok(v) => {
            buf.push(OK);
            <crate::verify::VerifiedToken as uniffi::Lower<UniFfiTag>>::write(v, &mut buf);
        }
        Err(e) => {
            buf.push(ERR);
            <JwtError as uniffi::Lower<UniFfiTag>>::write(e, &mut buf);
        }
    }
    buf
}
