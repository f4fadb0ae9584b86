// The Kotlin API end to end: keys (generate, PEM, DER, JWK), export (JWK, JWKS, PEM,
// thumbprints), Signer and Verifier with options, typed results, unverified inspection,
// and the error type.
package dev.jwtcore

import java.util.Base64
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

class ApiTest {
    @ParameterizedTest
    @EnumSource(Algorithm::class)
    fun `every algorithm generates, signs and verifies`(alg: Algorithm) {
        val key = SigningKey.generate(alg).withKid("k1")
        assertEquals(alg, key.algorithm())
        assertEquals("k1", key.kid())
        val token = Signer(key).sign("""{"sub":"user-1","exp":${NOW + 60},"role":"admin"}""")
        val data = Verifier.withKey(key.verifyingKey(), VerifierOptions()).verifyAt(token, NOW)
        assertEquals(alg, data.header.alg)
        assertEquals("k1", data.header.kid)
        assertEquals("JWT", data.header.typ)
        assertEquals("user-1", data.claims.sub)
        assertEquals(NOW + 60, data.claims.exp)
        assertEquals("admin", JSONObject(data.claimsJson).getString("role"))
        assertEquals(alg, algorithmFromName(algorithmName(alg)))
    }

    @Test
    fun `registered claims are typed and all claims come as JSON`() {
        val key = SigningKey.hmac(Algorithm.HS256, SECRET)
        val signer = Signer.withOptions(key, SignerOptions(typ = "at+jwt", kid = "hs", extraHeaderJson = """{"x-tenant":"a"}"""))
        val claims = RegisteredClaims(iss = "https://auth.example", sub = "u", aud = listOf("api", "web"),
            exp = NOW + 600, nbf = NOW - 10, iat = NOW - 10, jti = "id-1")
        val token = signer.signClaims(claims, """{"scope":["read","write"],"n":1}""")
        val verifier = Verifier.withKey(key.verifyingKey().withKid("hs"), VerifierOptions(
            issuers = listOf("https://auth.example"), audiences = listOf("web"), subject = "u",
            typ = "at+jwt", maxAgeSeconds = 60u, requiredClaims = listOf("exp", "jti"),
            claimsEqualJson = """{"n":1}"""))
        val data = verifier.verifyAt(token, NOW)
        assertEquals(claims, data.claims)
        assertEquals("at+jwt", data.header.typ)
        assertEquals("hs", data.header.kid)
        assertEquals("a", JSONObject(data.header.json).getString("x-tenant"))
        val all = JSONObject(data.claimsJson)
        assertEquals(listOf("read", "write"), all.getJSONArray("scope").toList())
        assertEquals("id-1", all.getString("jti"))
        assertEquals(JSONObject(signer.headerJson()).getString("typ"), "at+jwt")
        assertCode("invalid_argument") { signer.signClaims(claims, """{"sub":"again"}""") }
        assertCode("invalid_argument") { signer.sign("[1,2]") }
        assertCode("invalid_argument") { signer.sign("{not json") }
    }

    @Test
    fun `one aud is written as a string and read back as a list`() {
        val key = SigningKey.hmac(Algorithm.HS256, SECRET)
        val token = Signer(key).signClaims(RegisteredClaims(aud = listOf("api"), exp = NOW + 1), null)
        assertEquals("api", JSONObject(unverifiedDecode(token).claimsJson).getString("aud"))
        val data = Verifier.withKey(key.verifyingKey(), VerifierOptions(audiences = listOf("api"))).verifyAt(token, NOW)
        assertEquals(listOf("api"), data.claims.aud)
    }

    @Test
    fun `verify uses the real clock`() {
        val key = SigningKey.hmac(Algorithm.HS256, SECRET)
        val now = nowSeconds()
        assertTrue(now > NOW)
        val token = Signer(key).signClaims(RegisteredClaims(exp = now + 300), null)
        assertEquals(now + 300, Verifier.withKey(key.verifyingKey()).verify(token).claims.exp)
        val old = Signer(key).signClaims(RegisteredClaims(exp = NOW), null)
        assertCode("token_expired") { Verifier.withKey(key.verifyingKey()).verify(old) }
    }

    @Test
    fun `PEM, DER and JWK import round-trip`() {
        for (alg in listOf(Algorithm.ES256, Algorithm.ED_DSA, Algorithm.RS256, Algorithm.ES512)) {
            val key = SigningKey.generate(alg)
            val token = Signer(key).sign("""{"exp":${NOW + 5}}""")
            val fromPrivPem = SigningKey.fromPem(alg, key.privateKeyPem())
            val fromPrivJwk = SigningKey.fromJwk(key.privateJwk())
            assertEquals(key.thumbprint(), fromPrivPem.thumbprint())
            assertEquals(key.thumbprint(), fromPrivJwk.thumbprint())
            val pem = key.publicKeyPem()
            assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----"))
            val der = Base64.getMimeDecoder().decode(pem.lines().filter { !it.startsWith("-----") }.joinToString(""))
            val imported = listOf(
                VerifyingKey.fromPem(alg, pem),
                VerifyingKey.fromDer(alg, der),
                VerifyingKey.fromJwk(key.publicJwk()),
                VerifyingKey.fromJwk(key.verifyingKey().toJwk()),
            )
            for (vk in imported) {
                assertEquals(alg, vk.algorithm())
                assertEquals(key.thumbprint(), vk.thumbprint())
                assertEquals(NOW + 5, Verifier.withKey(vk).verifyAt(token, NOW).claims.exp)
            }
            assertEquals(pem, imported[0].toPem())
            // a private key's PEM imports as a verifying key too (its public half)
            assertEquals(key.thumbprint(), VerifyingKey.fromPem(alg, key.privateKeyPem()).thumbprint())
            // and the private JWK is private, the public one is not
            assertTrue(JSONObject(key.privateJwk()).has("d"))
            assertFalse(JSONObject(key.publicJwk()).has("d"))
        }
        val signing = SigningKey.fromDer(Algorithm.ES256, Base64.getMimeDecoder().decode(
            SigningKey.generate(Algorithm.ES256).privateKeyPem().lines().filter { !it.startsWith("-----") }.joinToString("")))
        assertEquals(Algorithm.ES256, signing.algorithm())
    }

    @Test
    fun `ML-DSA keys round-trip as AKP JWK and PEM and stay bound to their level`() {
        val levels = listOf(Algorithm.ML_DSA44, Algorithm.ML_DSA65, Algorithm.ML_DSA87)
        for (alg in levels) {
            val key = SigningKey.generate(alg)
            val token = Signer(key).sign("""{"exp":${NOW + 5}}""")
            val privJwk = JSONObject(key.privateJwk())
            val pubJwk = JSONObject(key.publicJwk())
            assertEquals("AKP", pubJwk.getString("kty"))
            assertEquals(algorithmName(alg), pubJwk.getString("alg"))
            assertTrue(privJwk.has("priv"), "the private AKP JWK carries the seed")
            assertFalse(pubJwk.has("priv"), "the public AKP JWK never does")
            assertEquals(32, Base64.getUrlDecoder().decode(privJwk.getString("priv")).size)
            val imported = listOf(
                VerifyingKey.fromJwk(key.publicJwk()),
                VerifyingKey.fromPem(alg, key.publicKeyPem()),
                SigningKey.fromJwk(key.privateJwk()).verifyingKey(),
                SigningKey.fromPem(alg, key.privateKeyPem()).verifyingKey(),
            )
            for (vk in imported) {
                assertEquals(alg, vk.algorithm())
                assertEquals(key.thumbprint(), vk.thumbprint())
                assertEquals(NOW + 5, Verifier.withKey(vk).verifyAt(token, NOW).claims.exp)
            }
            for (other in levels.filter { it != alg }) {
                assertCode("key_algorithm_mismatch") { VerifyingKey.fromPem(other, key.publicKeyPem()) }
                val foreign = Signer(SigningKey.generate(other)).sign("""{"exp":${NOW + 5}}""")
                assertCode("algorithm_not_allowed") { Verifier.withKey(key.verifyingKey()).verifyAt(foreign, NOW) }
            }
            // a tampered signature is a signature error, not a crash
            val cut = token.substringBeforeLast('.') + "." + b64u(ByteArray(10))
            assertCode("invalid_signature") { Verifier.withKey(key.verifyingKey()).verifyAt(cut, NOW) }
        }
        // an AKP JWK without alg is refused (RFC 9964: alg is required)
        val noAlg = JSONObject(SigningKey.generate(Algorithm.ML_DSA44).publicJwk()).apply { remove("alg") }
        assertCode("invalid_key") { VerifyingKey.fromJwk(noAlg.toString()) }
    }

    @Test
    fun `raw public bytes import`() {
        val jwk = JSONObject(SigningKey.generate(Algorithm.ED_DSA).publicJwk())
        val raw = Base64.getUrlDecoder().decode(jwk.getString("x"))
        assertEquals(32, raw.size)
        val vk = VerifyingKey.fromPublicBytes(Algorithm.ED_DSA, raw)
        assertEquals(jwk.getString("x"), JSONObject(vk.toJwk()).getString("x"))
        assertCode("invalid_key") { VerifyingKey.fromPublicBytes(Algorithm.ED_DSA, ByteArray(31)) }
    }

    @Test
    fun `RFC 7638 thumbprint vector`() {
        // RFC 7638 section 3.1
        val jwk = """{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"""
        assertEquals("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", jwkThumbprint(jwk))
        assertEquals("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", VerifyingKey.fromJwk(jwk).thumbprint())
    }

    @Test
    fun `key sets select by kid and export public JWKS`() {
        val a = SigningKey.generate(Algorithm.ES256).withThumbprintKid()
        val b = SigningKey.generate(Algorithm.ED_DSA).withKid("b")
        val h = SigningKey.hmac(Algorithm.HS256, SECRET).withKid("h")
        val set = KeySet(listOf(a.verifyingKey(), b.verifyingKey(), h.verifyingKey()))
        assertEquals(3u, set.size())
        assertEquals(a.thumbprint(), a.kid())
        val jwks = JSONObject(set.toPublicJwks()).getJSONArray("keys")
        assertEquals(2, jwks.length(), "HMAC keys never appear in a public JWKS")
        for (i in 0 until jwks.length()) assertFalse(jwks.getJSONObject(i).has("d"))
        val relying = KeySet.fromJwks(set.toPublicJwks(), emptyList())
        assertEquals(listOf(a.kid(), "b"), relying.keys().map { it.kid() })
        val verifier = Verifier(relying, VerifierOptions())
        // An Ed25519 key verifies under both RFC 9864 names, `EdDSA` and `Ed25519` (the core's rule).
        assertEquals(
            setOf(Algorithm.ES256, Algorithm.ED_DSA, Algorithm.ED25519),
            verifier.algorithms().toSet(),
        )
        for (k in listOf(a, b)) {
            val token = Signer(k).sign("""{"exp":${NOW + 5},"who":"${k.kid()}"}""")
            assertEquals(k.kid(), JSONObject(verifier.verifyAt(token, NOW).claimsJson).getString("who"))
        }
        // default algorithms bind RSA JWKs without alg
        val rsa = JSONObject(SigningKey.generate(Algorithm.RS256).publicJwk()).apply { remove("alg") }
        val bound = KeySet.fromJwks("""{"keys":[$rsa]}""", listOf(Algorithm.RS256, Algorithm.PS256))
        assertEquals(listOf(Algorithm.RS256, Algorithm.PS256), bound.keys().map { it.algorithm() })
        assertCode("invalid_key") { KeySet.fromJwks("{", emptyList()) }
    }

    @Test
    fun `unverified inspection is clearly named and parses strictly`() {
        val key = SigningKey.hmac(Algorithm.HS256, SECRET).withKid("k")
        val token = Signer(key).sign("""{"sub":"x","exp":1}""")
        val header = unverifiedHeader(token)
        assertEquals(Algorithm.HS256, header.alg)
        assertEquals("k", header.kid)
        val decoded = unverifiedDecode(token)
        assertEquals("x", JSONObject(decoded.claimsJson).getString("sub"))
        assertEquals(header, decoded.header)
        assertCode("malformed_token") { unverifiedDecode("a.b") }
        assertCode("unsupported_algorithm") { unverifiedHeader(b64u("""{"alg":"none"}""") + ".e30.") }
    }

    @Test
    fun `verify_jws returns an arbitrary payload and honours b64 only when declared`() {
        val key = SigningKey.hmac(Algorithm.HS256, SECRET)
        val token = hmacToken(SECRET, """{"alg":"HS256"}""", "not json at all")
        val jws = Verifier.withKey(key.verifyingKey()).verifyJws(token)
        assertArrayEquals("not json at all".toByteArray(), jws.payload)
        assertNull(jws.header.typ)
        // RFC 7797: the signing input is the header segment and the raw payload
        val header = b64u("""{"alg":"HS256","b64":false,"crit":["b64"]}""")
        val mac = javax.crypto.Mac.getInstance("HmacSHA256").apply { init(javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256")) }
        val unencoded = "$header.pay\$load." + b64u(mac.doFinal("$header.pay\$load".toByteArray()))
        assertCode("unsupported_critical_header") { Verifier.withKey(key.verifyingKey()).verifyJws(unencoded) }
        val declared = Verifier.withKey(key.verifyingKey(), VerifierOptions(critical = listOf("b64")))
        assertArrayEquals("pay\$load".toByteArray(), declared.verifyJws(unencoded).payload)
    }

    @Test
    fun `the error type carries stable codes on every family`() {
        val codes = errorCodes()
        assertTrue("token_expired" in codes && "invalid_signature" in codes && "internal_error" in codes)
        assertEquals(codes.size, codes.toSet().size)
        val e = assertCode("weak_key") { SigningKey.hmac(Algorithm.HS256, ByteArray(8)) }
        assertTrue(e is JwtException.Key)
        assertTrue(e.message!!.contains("weak_key"))
        val c = assertCode("token_expired") {
            val k = SigningKey.hmac(Algorithm.HS256, SECRET)
            Verifier.withKey(k.verifyingKey()).verifyAt(Signer(k).sign("""{"exp":1}"""), NOW)
        }
        assertTrue(c is JwtException.Claims)
        // catching the base type is enough to read the code
        val base: Exception = c
        assertEquals("token_expired", (base as JwtException).code)
        assertNotEquals("", base.detail)
    }

    @Test
    fun `a Rust panic arrives as internal_error and the JVM carries on`() {
        val e = assertCode("internal_error") { testingPanicIsCaught() }
        assertTrue(e is JwtException.Internal)
        assertEquals(Algorithm.ES256, algorithmFromName("ES256"), "the library still works after a panic")
    }

    @Test
    fun `objects are AutoCloseable`() {
        SigningKey.generate(Algorithm.HS256).use { key ->
            Signer(key).use { assertTrue(it.headerJson().contains("HS256")) }
        }
    }
}
