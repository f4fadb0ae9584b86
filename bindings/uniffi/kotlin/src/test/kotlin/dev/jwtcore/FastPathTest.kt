// The JVM fast path of Verifier.verify/verifyAt (FastVerify.kt, bindings/uniffi/src/fast.rs)
// against the uniffi-generated path it replaces (kept as uniffiVerify/uniffiVerifyAt): same
// values, same exception types, same codes and details, for valid tokens, every kind of
// rejection, results larger than the fast path's buffers, odd strings, and many threads.
// CorpusTest also runs every corpus case through both paths.
package dev.jwtcore

import java.nio.charset.CharacterCodingException
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Runs both paths on [token] and asserts they agree; returns the common outcome. */
fun assertSamePaths(verifier: Verifier, token: String, now: Long): Result<VerifiedToken> {
    val fast = runCatching { verifier.verifyAt(token, now) }
    val slow = runCatching { verifier.uniffiVerifyAt(token, now) }
    val fe = fast.exceptionOrNull()
    val se = slow.exceptionOrNull()
    if (fe == null && se == null) {
        assertEquals(slow.getOrThrow(), fast.getOrThrow(), "fast and uniffi paths return the same VerifiedToken")
    } else {
        assertEquals(se?.javaClass, fe?.javaClass, "same exception type (fast: $fe, uniffi: $se)")
        if (fe is JwtException && se is JwtException) {
            assertEquals(se.code, fe.code)
            assertEquals(se.detail, fe.detail)
        }
    }
    return fast
}

class FastPathTest {
    private val key = SigningKey.hmac(Algorithm.HS256, SECRET)
    private val verifier = Verifier.withKey(key.verifyingKey(), VerifierOptions(audiences = listOf("api")))

    private fun token(custom: String? = null, exp: Long = NOW + 60) =
        Signer(key).signClaims(RegisteredClaims(iss = "i", sub = "s", aud = listOf("api"), exp = exp, iat = NOW, jti = "j"), custom)

    @Test
    fun `a valid token gives the same typed result both ways`() {
        val t = token("""{"role":"admin","n":[1,2.5,null]}""")
        val data = assertSamePaths(verifier, t, NOW).getOrThrow()
        // the claims come back as the payload's JSON text, exactly as signed
        assertEquals(String(java.util.Base64.getUrlDecoder().decode(t.split('.')[1])), data.claimsJson)
        assertEquals("s", data.claims.sub)
        assertEquals(listOf("api"), data.claims.aud)
        assertEquals(Algorithm.HS256, data.header.alg)
    }

    @Test
    fun `rejections give the same exception, code and detail both ways`() {
        val good = token()
        val cases = mapOf(
            "token_expired" to token(exp = NOW - 1),
            "invalid_signature" to good.dropLast(2) + (if (good.endsWith("AA")) "BB" else "AA"),
            "malformed_token" to "a.b",
            "malformed_token" to "",
            "unsupported_algorithm" to hmacToken(SECRET, """{"alg":"none"}""", """{"exp":${NOW + 60}}"""),
            "invalid_audience" to hmacToken(SECRET, """{"alg":"HS256"}""", """{"exp":${NOW + 60},"aud":"web"}"""),
        )
        for ((code, t) in cases) {
            val e = assertSamePaths(verifier, t, NOW).exceptionOrNull()
            assertTrue(e is JwtException, "expected a JwtException for $code, got $e")
        }
        assertCode("token_expired") { verifier.verifyAt(token(exp = NOW - 1), NOW) }
        assertCode("malformed_token") { verifier.verifyAt("a.b", NOW) }
    }

    @Test
    fun `results and tokens larger than the fast path's buffers`() {
        // ~40 KB of claims: the token is larger than the 4 KiB input buffer and the result
        // than the 16 KiB output buffer (the retry with the same now); then ~200 KB, past
        // the size the buffers are kept at.
        for (size in listOf(40_000, 200_000)) {
            val big = "x".repeat(size)
            val data = assertSamePaths(verifier, token("""{"big":"$big"}"""), NOW).getOrThrow()
            assertTrue(data.claimsJson.contains(big))
        }
        // and a small one again on the same thread, with the buffers grown
        assertEquals("s", assertSamePaths(verifier, token(), NOW).getOrThrow().claims.sub)
    }

    @Test
    fun `non-ASCII and invalid UTF-16 strings are handled like uniffi does`() {
        val good = token()
        // valid UTF-16, non-ASCII: both paths send the UTF-8 and the core rejects it
        val e = assertSamePaths(verifier, good.replaceFirst('.', 'é'), NOW).exceptionOrNull()
        assertTrue(e is JwtException, "got $e")
        // a `?` (what the JDK's encoder substitutes for a lone surrogate) in an ASCII string
        assertTrue(assertSamePaths(verifier, "$good?", NOW).exceptionOrNull() is JwtException)
        // a lone surrogate cannot be encoded: uniffi throws before the call, so does the fast path
        assertThrows<CharacterCodingException> { verifier.verifyAt(good + "\uD800", NOW) }
        assertSamePaths(verifier, good + "\uD800", NOW)
    }

    @Test
    fun `verify uses the core's clock like the uniffi path`() {
        val now = nowSeconds()
        val t = Signer(key).signClaims(RegisteredClaims(aud = listOf("api"), exp = now + 300), null)
        assertEquals(verifier.uniffiVerify(t), verifier.verify(t))
        val old = Signer(key).signClaims(RegisteredClaims(aud = listOf("api"), exp = NOW), null)
        assertEquals(
            assertCode("token_expired") { verifier.uniffiVerify(old) }.detail,
            assertCode("token_expired") { verifier.verify(old) }.detail,
        )
    }

    @Test
    fun `a closed verifier is refused, not used after free`() {
        val v = Verifier.withKey(key.verifyingKey(), VerifierOptions(audiences = listOf("api")))
        val t = token()
        assertEquals("s", v.verifyAt(t, NOW).claims.sub)
        v.close()
        assertThrows<IllegalStateException> { v.verifyAt(t, NOW) }
        assertThrows<IllegalStateException> { v.uniffiVerifyAt(t, NOW) }
    }

    @Test
    fun `many threads share one verifier`() {
        val tokens = (0 until 8).map { i -> token("""{"t":$i,"pad":"${"p".repeat(i * 3000)}"}""") }
        val pool = Executors.newFixedThreadPool(8)
        try {
            val results = pool.invokeAll(tokens.mapIndexed { i, t ->
                Callable { (0 until 500).all { verifier.verifyAt(t, NOW).claimsJson.contains("\"t\":$i") } }
            })
            assertTrue(results.all { it.get() })
        } finally {
            pool.shutdown()
        }
    }
}
