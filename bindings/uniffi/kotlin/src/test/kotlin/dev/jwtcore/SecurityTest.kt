// Every attack class of ../shared/SECURITY.md, through the Kotlin API, each asserting
// the core's stable error code. Malicious tokens are built by hand (javax.crypto for
// HMAC, java.security for ECDSA/RSA) the way an attacker would.
package dev.jwtcore

import java.math.BigInteger
import java.security.KeyPairGenerator
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Nested
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource

private val HS_KEY = VerifyingKey.hmac(Algorithm.HS256, SECRET)
private val EXP = """"exp":${NOW + 60}"""

private fun verifier(options: VerifierOptions = VerifierOptions(), key: VerifyingKey = HS_KEY) = Verifier.withKey(key, options)
private fun hs(payload: String, header: String = """{"alg":"HS256","typ":"JWT"}""") = hmacToken(SECRET, header, payload)
private fun verify(token: String, options: VerifierOptions = VerifierOptions()) = verifier(options).verifyAt(token, NOW)

class SecurityTest {
    @Nested
    inner class AlgorithmHandling {
        @ParameterizedTest
        @ValueSource(strings = ["none", "None", "NONE", "nOnE"])
        fun `alg none in any spelling is rejected, with or without a signature`(alg: String) {
            val unsigned = b64u("""{"alg":"$alg","typ":"JWT"}""") + "." + b64u("{$EXP}")
            assertCode("unsupported_algorithm") { verify("$unsigned.") }
            assertCode("unsupported_algorithm") { verify("$unsigned." + b64u("sig")) }
            assertCode("unsupported_algorithm") { algorithmFromName(alg) }
        }

        @Test
        fun `a public key can never become an HMAC secret, whatever its format`() {
            val ec = SigningKey.generate(Algorithm.ES256)
            val rsa = SigningKey.generate(Algorithm.RS256)
            for (key in listOf(ec, rsa)) {
                val pem = key.publicKeyPem()
                val der = java.util.Base64.getMimeDecoder().decode(pem.lines().filter { !it.startsWith("-----") }.joinToString(""))
                assertCode("key_algorithm_mismatch") { VerifyingKey.hmac(Algorithm.HS256, pem.toByteArray()) }
                assertCode("key_algorithm_mismatch") { VerifyingKey.hmac(Algorithm.HS256, der) }
                assertCode("key_algorithm_mismatch") { VerifyingKey.hmacAllowShort(Algorithm.HS256, pem.toByteArray()) }
                assertCode("key_algorithm_mismatch") { VerifyingKey.fromPem(Algorithm.HS256, pem) }
                assertCode("key_algorithm_mismatch") { VerifyingKey.fromDer(Algorithm.HS384, der) }
                assertCode("key_algorithm_mismatch") { VerifyingKey.fromJwk(key.publicJwk(), Algorithm.HS256) }
                // the classic attack: HS256 token "signed" with the public key PEM as secret
                val forged = hmacToken(pem.toByteArray(), """{"alg":"HS256"}""", "{$EXP}")
                val code = codeOf { Verifier.withKey(key.verifyingKey()).verifyAt(forged, NOW) }
                assertTrue(code in setOf("algorithm_not_allowed", "key_not_found"), code)
            }
            // an EC key given as raw bytes is not an HMAC secret either
            val point = java.util.Base64.getUrlDecoder().decode(org.json.JSONObject(ec.publicJwk()).getString("x"))
            assertCode("invalid_key") { VerifyingKey.fromPublicBytes(Algorithm.ES256, point) }
        }

        @Test
        fun `allowed algorithms come from the caller and the keys, never the token`() {
            // the token says HS384; the key is HS256: refused before any HMAC
            val hs384 = hmacToken(SECRET + SECRET, """{"alg":"HS384"}""", "{$EXP}", "HmacSHA384")
            assertCode("algorithm_not_allowed") { verify(hs384) }
            // the caller narrows the algorithms: nothing left is a usage error
            assertCode("invalid_argument") { verifier(VerifierOptions(algorithms = listOf(Algorithm.ES256))) }
            val two = KeySet(listOf(HS_KEY, SigningKey.generate(Algorithm.ES256).verifyingKey()))
            val onlyEs = Verifier(two, VerifierOptions(algorithms = listOf(Algorithm.ES256)))
            assertEquals(listOf(Algorithm.ES256), onlyEs.algorithms())
            assertCode("algorithm_not_allowed") { onlyEs.verifyAt(hs("{$EXP}"), NOW) }
        }

        @Test
        fun `a JWK's alg, use and key_ops are honoured`() {
            val jwk = org.json.JSONObject(SigningKey.generate(Algorithm.RS256).publicJwk())
            assertCode("key_algorithm_mismatch") { VerifyingKey.fromJwk(jwk.toString(), Algorithm.PS256) }
            val enc = org.json.JSONObject(jwk.toString()).put("use", "enc")
            assertCode("key_usage_not_allowed") { VerifyingKey.fromJwk(enc.toString()) }
            val signOnly = org.json.JSONObject(jwk.toString()).apply { remove("use") }.put("key_ops", org.json.JSONArray(listOf("sign")))
            assertCode("key_usage_not_allowed") { VerifyingKey.fromJwk(signOnly.toString()) }
            val oct = """{"kty":"oct","k":"${b64u(SECRET)}","alg":"HS256","use":"enc"}"""
            assertCode("key_usage_not_allowed") { VerifyingKey.fromJwk(oct) }
        }

        @Test
        fun `ECDSA accepts only fixed-size r-s signatures in range`() {
            // a real P-256 key from the JDK, imported by its SPKI DER
            val kp = KeyPairGenerator.getInstance("EC").apply { initialize(ECGenParameterSpec("secp256r1")) }.generateKeyPair()
            val key = VerifyingKey.fromDer(Algorithm.ES256, kp.public.encoded)
            val input = b64u("""{"alg":"ES256"}""") + "." + b64u("{$EXP}")
            fun sign(alg: String) = Signature.getInstance(alg).run { initSign(kp.private); update(input.toByteArray()); sign() }
            // the JDK's P1363 form is the JOSE form: accepted (cross-implementation check)
            assertEquals(NOW + 60, Verifier.withKey(key).verifyAt("$input." + b64u(sign("SHA256withECDSAinP1363Format")), NOW).claims.exp)
            // DER-encoded signature: rejected
            assertCode("invalid_signature") { Verifier.withKey(key).verifyAt("$input." + b64u(sign("SHA256withECDSA")), NOW) }
            // psychic signatures: r = s = 0 (CVE-2022-21449)
            assertCode("invalid_signature") { Verifier.withKey(key).verifyAt("$input." + b64u(ByteArray(64)), NOW) }
            // r = s = n
            val n = BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16).toByteArray().takeLast(32).toByteArray()
            assertCode("invalid_signature") { Verifier.withKey(key).verifyAt("$input." + b64u(n + n), NOW) }
            // wrong lengths
            val good = sign("SHA256withECDSAinP1363Format")
            assertCode("invalid_signature") { Verifier.withKey(key).verifyAt("$input." + b64u(good.copyOf(63)), NOW) }
            assertCode("invalid_signature") { Verifier.withKey(key).verifyAt("$input." + b64u(good + byteArrayOf(0)), NOW) }
        }

        @Test
        fun `short HMAC secrets are refused for signing and flagged for verifying`() {
            assertCode("weak_key") { SigningKey.hmac(Algorithm.HS256, ByteArray(31)) }
            assertCode("weak_key") { SigningKey.hmac(Algorithm.HS512, ByteArray(63)) }
            assertCode("weak_key") { VerifyingKey.hmac(Algorithm.HS256, ByteArray(16)) }
            val short = ByteArray(16) { 3 }
            val token = hmacToken(short, """{"alg":"HS256"}""", "{$EXP}")
            assertEquals(NOW + 60, Verifier.withKey(VerifyingKey.hmacAllowShort(Algorithm.HS256, short)).verifyAt(token, NOW).claims.exp)
        }

        @Test
        fun `RSA keys under 2048 bits are refused`() {
            val kp = KeyPairGenerator.getInstance("RSA").apply { initialize(1024) }.generateKeyPair()
            assertCode("weak_key") { VerifyingKey.fromDer(Algorithm.RS256, kp.public.encoded) }
            assertCode("weak_key") { SigningKey.fromDer(Algorithm.RS256, kp.private.encoded) }
        }
    }

    @Nested
    inner class HeaderHandling {
        @Test
        fun `crit naming an undeclared extension is rejected`() {
            val token = hs("{$EXP}", """{"alg":"HS256","crit":["exp-ext"],"exp-ext":1}""")
            assertCode("unsupported_critical_header") { verify(token) }
            assertEquals(NOW + 60, verify(token, VerifierOptions(critical = listOf("exp-ext"))).claims.exp)
            assertCode("unsupported_critical_header") { verify(hs("{$EXP}", """{"alg":"HS256","crit":[]}""")) }
            assertCode("unsupported_critical_header") { verify(hs("{$EXP}", """{"alg":"HS256","crit":["alg"]}"""), VerifierOptions(critical = listOf("alg"))) }
        }

        @ParameterizedTest
        @ValueSource(strings = ["jwk", "jku", "x5u", "x5c"])
        fun `embedded keys and key URLs are never followed or trusted`(member: String) {
            // the attacker signs with its own key and points at it from the header
            val attacker = SigningKey.generate(Algorithm.ES256)
            val value = when (member) {
                "jwk" -> attacker.publicJwk()
                "x5c" -> """["MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBBQUAMBExDzANBgNVBAMMBnVudXNlZDAeFw0"]"""
                else -> "\"https://attacker.example/keys\""
            }
            val token = Signer.withOptions(attacker, SignerOptions(extraHeaderJson = """{"$member":$value}""")).sign("{$EXP}")
            val victim = SigningKey.generate(Algorithm.ES256).verifyingKey()
            assertCode("invalid_signature") { Verifier.withKey(victim).verifyAt(token, NOW) }
            assertTrue(unverifiedHeader(token).json.contains(member), "kept as data only")
        }

        @Test
        fun `kid only selects among the caller's keys, never across algorithms`() {
            val es = SigningKey.generate(Algorithm.ES256).withKid("shared")
            val set = KeySet(listOf(es.verifyingKey(), HS_KEY.withKid("hs")))
            val v = Verifier(set, VerifierOptions())
            // an HS256 token naming the ES256 key's kid (the ES256 public key as "secret")
            val forged = hmacToken(es.publicKeyPem().toByteArray(), """{"alg":"HS256","kid":"shared"}""", "{$EXP}")
            assertCode("algorithm_not_allowed") { v.verifyAt(forged, NOW) }
            assertCode("key_not_found") { v.verifyAt(hs("{$EXP}", """{"alg":"HS256","kid":"nope"}"""), NOW) }
            assertEquals(NOW + 60, v.verifyAt(hs("{$EXP}", """{"alg":"HS256","kid":"hs"}"""), NOW).claims.exp)
        }

        @Test
        fun `typ can be required and compares case-insensitively`() {
            val opts = VerifierOptions(typ = "at+jwt")
            assertEquals("AT+JWT", verify(hs("{$EXP}", """{"alg":"HS256","typ":"AT+JWT"}"""), opts).header.typ)
            verify(hs("{$EXP}", """{"alg":"HS256","typ":"application/at+jwt"}"""), opts)
            assertCode("invalid_type") { verify(hs("{$EXP}"), opts) }
            assertCode("invalid_type") { verify(hs("{$EXP}", """{"alg":"HS256"}"""), opts) }
        }
    }

    @Nested
    inner class Parsing {
        private val good = hs("{$EXP}")

        @ParameterizedTest
        @ValueSource(strings = ["", "a", "a.b", "a.b.c.d", "...", "a.b.c.d.e"])
        fun `segment counts`(token: String) {
            assertCode("malformed_token") { verify(token) }
        }

        @Test
        fun `strict base64url`() {
            val (h, p, s) = good.split(".")
            assertCode("malformed_token") { verify("$h=.$p.$s") }
            assertCode("malformed_token") { verify("$h.$p.${s.replace('-', '+').replace('_', '/')}${if ('-' in s || '_' in s) "" else "+"}") }
            assertCode("malformed_token") { verify("$h.$p .$s") }
            assertCode("malformed_token") { verify("$h.$p.$s\n") }
            // non-canonical trailing bits: 32-byte signature = 43 chars, 2 unused bits
            val alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            val last = alphabet.indexOf(s.last())
            val nonCanonical = s.dropLast(1) + alphabet[last or 1]
            assertCode("malformed_token") { verify("$h.$p.$nonCanonical") }
        }

        @Test
        fun `header and payload must be JSON objects in UTF-8 without duplicates`() {
            assertCode("malformed_token") { verify(hs("[1]")) }
            assertCode("malformed_token") { verify(hs("{$EXP}", "[\"HS256\"]")) }
            assertCode("malformed_token") { verify(hs("{$EXP")) }
            val badUtf8 = b64u("""{"alg":"HS256"}""") + "." + b64u(byteArrayOf(0x7b, 0x22, 0xff.toByte(), 0x22, 0x3a, 0x31, 0x7d))
            val mac = javax.crypto.Mac.getInstance("HmacSHA256").apply { init(javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256")) }
            assertCode("malformed_token") { verify("$badUtf8." + b64u(mac.doFinal(badUtf8.toByteArray()))) }
            assertCode("duplicate_member") { verify(hs("{$EXP,\"sub\":\"a\",\"sub\":\"b\"}")) }
            assertCode("duplicate_member") { verify(hs("{$EXP}", """{"alg":"HS256","alg":"HS256"}""")) }
            assertCode("duplicate_member") { verify(hs("{$EXP,\"x\":{\"a\":1,\"a\":2}}")) }
        }

        @Test
        fun `size and depth are bounded before any work`() {
            assertCode("input_too_large") { verify("a".repeat(1024 * 1024 + 1) + ".b.c") }
            assertCode("input_too_large") { verify(hs("{$EXP}", """{"alg":"HS256","pad":"${"x".repeat(9000)}"}""")) }
            val deep = "[".repeat(200) + "]".repeat(200)
            assertCode("malformed_token") { verify(hs("{$EXP,\"d\":$deep}")) }
        }

        @Test
        fun `registered claims must have their registered types`() {
            assertCode("invalid_claim") { verify(hs("""{"exp":"${NOW + 60}"}""")) }
            assertCode("invalid_claim") { verify(hs("""{"exp":1e300}""")) }
            assertCode("invalid_claim") { verify(hs("""{$EXP,"nbf":"0"}""")) }
            assertCode("invalid_claim") { verify(hs("""{$EXP,"iat":true}""")) }
            assertCode("invalid_claim") { verify(hs("""{$EXP,"aud":5}"""), VerifierOptions(audiences = listOf("5"))) }
            assertCode("invalid_claim") { verify(hs("""{$EXP,"aud":["a",1]}"""), VerifierOptions(audiences = listOf("a"))) }
            assertCode("invalid_claim") { verify(hs("""{$EXP,"iss":1}""")) }
            assertCode("invalid_claim") { verify(hs("""{$EXP,"sub":{}}""")) }
            assertCode("invalid_claim") { verify(hs("""{$EXP,"jti":[]}""")) }
        }

        @Test
        fun `tampering anywhere breaks the signature`() {
            val (h, p, s) = good.split(".")
            assertCode("invalid_signature") { verify("$h.${b64u("{\"exp\":${NOW + 6000}}")}.$s") }
            assertCode("invalid_signature") { verify("$h.$p.${s.reversed()}") }
            assertCode("invalid_signature") { verify("$h.$p.") }
        }
    }

    @Nested
    inner class Claims {
        @Test
        fun `exp is required by default and honoured with explicit leeway`() {
            assertCode("missing_claim") { verify(hs("""{"sub":"x"}""")) }
            assertEquals("x", verify(hs("""{"sub":"x"}"""), VerifierOptions(requiredClaims = emptyList())).claims.sub)
            assertCode("token_expired") { verify(hs("""{"exp":${NOW - 1}}""")) }
            assertEquals(NOW - 1, verify(hs("""{"exp":${NOW - 1}}"""), VerifierOptions(leewaySeconds = 5u)).claims.exp)
            assertCode("token_expired") { verify(hs("""{"exp":${NOW - 10}}"""), VerifierOptions(leewaySeconds = 5u)) }
        }

        @Test
        fun `nbf, future iat and max age`() {
            assertCode("token_not_yet_valid") { verify(hs("""{$EXP,"nbf":${NOW + 30}}""")) }
            verify(hs("""{$EXP,"nbf":${NOW + 30}}"""), VerifierOptions(leewaySeconds = 30u))
            assertCode("token_issued_in_future") { verify(hs("""{$EXP,"iat":${NOW + 30}}""")) }
            assertCode("token_too_old") { verify(hs("""{$EXP,"iat":${NOW - 601}}"""), VerifierOptions(maxAgeSeconds = 600u)) }
            verify(hs("""{$EXP,"iat":${NOW - 599}}"""), VerifierOptions(maxAgeSeconds = 600u))
            assertCode("missing_claim") { verify(hs("{$EXP}"), VerifierOptions(maxAgeSeconds = 600u)) }
        }

        @Test
        fun `iss and aud compare exactly, never by prefix or substring`() {
            val iss = VerifierOptions(issuers = listOf("https://auth.example"))
            verify(hs("""{$EXP,"iss":"https://auth.example"}"""), iss)
            for (bad in listOf("https://auth.example.evil", "https://auth.exampl", "auth.example", "HTTPS://AUTH.EXAMPLE")) {
                assertCode("invalid_issuer") { verify(hs("""{$EXP,"iss":"$bad"}"""), iss) }
            }
            // a configured issuer makes `iss` required
            assertCode("missing_claim") { verify(hs("{$EXP}"), iss) }
            val aud = VerifierOptions(audiences = listOf("api"))
            verify(hs("""{$EXP,"aud":["web","api"]}"""), aud)
            for (bad in listOf("\"apis\"", "\"ap\"", "[\"api2\",\"xapi\"]", "\"API\"")) {
                assertCode("invalid_audience") { verify(hs("""{$EXP,"aud":$bad}"""), aud) }
            }
            // a token with aud is refused by a verifier that expects no audience
            assertCode("invalid_audience") { verify(hs("""{$EXP,"aud":"api"}""")) }
            verify(hs("""{$EXP,"aud":"api"}"""), VerifierOptions(insecureSkipAudience = true))
        }

        @Test
        fun `subject, required claims and exact-value claims`() {
            assertCode("invalid_subject") { verify(hs("""{$EXP,"sub":"alice2"}"""), VerifierOptions(subject = "alice")) }
            assertCode("missing_claim") { verify(hs("{$EXP}"), VerifierOptions(requiredClaims = listOf("exp", "jti"))) }
            val admin = VerifierOptions(claimsEqualJson = """{"role":"admin"}""")
            verify(hs("""{$EXP,"role":"admin"}"""), admin)
            assertCode("invalid_claim") { verify(hs("""{$EXP,"role":"user"}"""), admin) }
            assertCode("invalid_argument") { verifier(VerifierOptions(claimsEqualJson = "[]")) }
        }
    }

    @Nested
    inner class AcrossTheBoundary {
        @Test
        fun `garbage input gives typed errors, never a crash`() {
            val rnd = java.util.Random(42)
            val v = verifier()
            repeat(500) {
                val bytes = ByteArray(rnd.nextInt(200)) { rnd.nextInt(256).toByte() }
                val text = String(bytes, Charsets.ISO_8859_1) + (if (it % 2 == 0) ".e30." else "")
                val e = runCatching { v.verifyAt(text, NOW) }.exceptionOrNull()
                assertTrue(e is JwtException, "got $e")
                runCatching { VerifyingKey.fromPem(Algorithm.ES256, text) }.exceptionOrNull().let { assertTrue(it is JwtException) }
                runCatching { VerifyingKey.fromDer(Algorithm.RS256, bytes) }.exceptionOrNull().let { assertTrue(it is JwtException) }
                runCatching { VerifyingKey.fromJwk(text) }.exceptionOrNull().let { assertTrue(it is JwtException) }
                runCatching { KeySet.fromJwks(text, listOf(Algorithm.RS256)) }.exceptionOrNull().let { assertTrue(it is JwtException) }
            }
            // an interior NUL crosses as data; a lone surrogate cannot be encoded as UTF-8
            // and is refused on the Kotlin side, before any call
            assertCode("malformed_token") { v.verifyAt("a\u0000b.c.d", NOW) }
            assertThrows<java.nio.charset.CharacterCodingException> { v.verifyAt("\uD800.x.y", NOW) }
        }

        @Test
        fun `secrets never appear in error messages`() {
            val secret = "s3cr3t-value-that-must-not-leak"
            val e = assertCode("weak_key") { SigningKey.hmac(Algorithm.HS256, secret.toByteArray()) }
            assertFalse(e.message!!.contains(secret))
            val jwk = """{"kty":"oct","k":"${b64u(secret)}","alg":"HS512"}"""
            val e2 = assertCode("weak_key") { SigningKey.fromJwk(jwk) }
            assertFalse(e2.message!!.contains(b64u(secret)))
        }
    }
}

/** Runs [block], expecting a [JwtException]; returns its code. */
private fun codeOf(block: () -> Unit): String =
    (runCatching(block).exceptionOrNull() as? JwtException ?: error("expected a JwtException")).code
