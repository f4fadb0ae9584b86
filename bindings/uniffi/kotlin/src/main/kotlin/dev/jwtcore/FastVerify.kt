// Hand-written next to the uniffi-generated `jwt_core_uniffi.kt`: the JVM fast path of
// `Verifier.verify`/`verifyAt` (Rust side: bindings/uniffi/src/fast.rs).
//
// A uniffi call crosses JNA with `Structure` arguments (RustCallStatus, RustBuffer); each
// allocates a JNA `Memory` tracked in a global map until the GC and a cleaner thread free
// it, and is read and written by reflection around the call; `verify` makes four such
// crossings. This path makes one, with primitives only (the handle, the addresses of two
// per-thread direct buffers, lengths): JNA direct mapping then marshals nothing. The result comes back in uniffi's serialization and
// is read by the generated converters, so values and errors are exactly the uniffi ones.
//
// `cargo xtask` patches the generated `Verifier.verify`/`verifyAt` to call [FastVerify]
// while the object is kept alive exactly as the generated `callWithHandle` does (the
// uniffi versions stay, renamed `uniffiVerify`/`uniffiVerifyAt`, for the tests that prove
// both paths agree).
package dev.jwtcore

import com.sun.jna.Native
import com.sun.jna.Pointer
import java.nio.ByteBuffer

internal object FastVerify {
    private const val OK: Byte = 0
    private const val ERR: Byte = 1
    private const val TOO_SMALL: Byte = 2

    /** Buffers up to this size stay attached to their thread; larger ones are one-off. */
    private const val KEEP_BYTES = 64 * 1024

    init {
        val lib = System.getProperty("uniffi.component.jwt_core_uniffi.libraryOverride") ?: "jwt_core_uniffi"
        Native.register(FastVerify::class.java, lib)
    }

    @JvmStatic
    private external fun jwtcore_fast_verifier_verify(
        handle: Long,
        token: Long,
        tokenLen: Int,
        now: Long,
        hasNow: Byte,
        out: Long,
        outCap: Int,
    ): Int

    /** A direct buffer and its native address (passed as a plain long: nothing to convert). */
    private class Direct(val buf: ByteBuffer) {
        constructor(size: Int) : this(ByteBuffer.allocateDirect(size))
        val address: Long = Pointer.nativeValue(Native.getDirectBufferPointer(buf))
    }

    /** Per-thread direct buffers: the token going in, the result coming back. */
    private class Buffers {
        var input = Direct(4 * 1024)
        var output = Direct(16 * 1024)
    }

    private val buffers = ThreadLocal.withInitial { Buffers() }

    /**
     * Verify [token] with the Rust `Verifier` behind [handle], which the caller keeps alive
     * for the duration of the call; as of [now] when [hasNow], else the core's clock.
     */
    fun verify(handle: Long, token: String, now: Long, hasNow: Boolean): VerifiedToken {
        val b = buffers.get()
        val input = encode(token, b)
        val len = input.buf.limit()
        var out = b.output
        var n = jwtcore_fast_verifier_verify(handle, input.address, len, now, if (hasNow) 1 else 0, out.address, out.buf.capacity())
        if (n > 0 && out.buf.get(0) == TOO_SMALL) {
            // The result is larger than the buffer: retry with the `now` Rust used, so the
            // second attempt decides exactly as the first one did.
            val usedNow = out.buf.getLong(1)
            out = Direct(n)
            if (n <= KEEP_BYTES) b.output = out
            n = jwtcore_fast_verifier_verify(handle, input.address, len, usedNow, 1, out.address, out.buf.capacity())
        }
        // keep the buffers reachable until the call has returned
        java.lang.ref.Reference.reachabilityFence(input)
        if (n <= 0) throw InternalException("jwt-core fast path: invalid call (status $n)")
        val result = out.buf.duplicate().limit(n) as ByteBuffer
        return when (result.get()) {
            OK -> FfiConverterTypeVerifiedToken.read(result)
            ERR -> throw FfiConverterTypeJwtError.read(result)
            else -> throw InternalException("jwt-core fast path: unexpected status")
        }
    }

    /**
     * The token's UTF-8 bytes in a direct buffer (the thread's, or a larger one-off),
     * from position 0 to its limit. The JDK's encoder is exact for every string except one
     * with a lone surrogate, which it turns into `?`; so when the bytes contain a `?`
     * (never in a well-formed JWT), uniffi's own encoder is used instead, and a string
     * uniffi rejects is rejected with the same exception.
     */
    private fun encode(token: String, b: Buffers): Direct {
        var bytes = token.toByteArray(Charsets.UTF_8)
        if (bytes.indexOf(QUESTION_MARK) >= 0) {
            val exact = FfiConverterString.toUtf8(token)
            bytes = ByteArray(exact.remaining()).also { exact.get(it) }
        }
        var input = b.input
        if (input.buf.capacity() < bytes.size) {
            input = Direct(bytes.size)
            if (bytes.size <= KEEP_BYTES) b.input = input
        }
        input.buf.clear()
        input.buf.put(bytes)
        input.buf.flip()
        return input
    }

    private const val QUESTION_MARK = '?'.code.toByte()
}
