// JWE through the Kotlin API (bindings/uniffi/src/jwe.rs): round trips for every alg x enc
// pair (every curve for ECDH-ES), claims, nested signed JWTs, JSON serialization, keys,
// names, and the JWE rules of SECURITY.md with their codes (tokens forged here by hand).
// JweCorpusTest runs the shared JWE corpus.
package dev.jwtcore

import java.util.Base64
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory

private val PASSWORD = "correct horse battery staple".toByteArray()

private fun isEcdh(alg: JweKeyAlgorithm) = jweKeyAlgorithmName(alg).startsWith("ECDH-ES")
private fun isPbes2(alg: JweKeyAlgorithm) = jweKeyAlgorithmName(alg).startsWith("PBES2")

/** An encrypter and a matching decrypter for [alg]/[enc] ([crv] for ECDH-ES). */
private fun pair(alg: JweKeyAlgorithm, enc: JweContentEncryption, crv: JweCurve = JweCurve.P256, header: String? = null):
    Pair<JweEncrypter, JweDecrypter> = when {
    isPbes2(alg) -> JweEncrypter.fromPassword(alg, PASSWORD, 1000u, enc, header) to JweDecrypter(
        listOf(JweDecryptionKey.fromJwk("""{"kty":"oct","k":"${b64u(PASSWORD)}"}""", alg)),
        JweDecryptOptions(allowPbes2MaxIterations = 1000u))
    isEcdh(alg) -> {
        val key = generateJweKey(alg, crv = crv)
        JweEncrypter.fromJwk(key.publicJwk(), enc, headerJson = header) to JweDecrypter(listOf(key))
    }
    else -> {
        val key = generateJweKey(alg, enc = if (alg == JweKeyAlgorithm.DIR) enc else null)
        // the secret for symmetric keys, the public JWK for RSA-OAEP
        JweEncrypter.fromJwk(key.senderJwk(), enc, headerJson = header) to JweDecrypter(listOf(key))
    }
}

/** The protected header of a compact JWE as JSON, and the token with it replaced. */
private fun header(token: String) = JSONObject(String(Base64.getUrlDecoder().decode(token.substringBefore('.'))))
private fun withHeader(token: String, h: JSONObject) = b64u(h.toString()) + "." + token.substringAfter('.')

/** The token with segment [i] (0..4) replaced by [f] of its bytes. */
private fun segment(token: String, i: Int, f: (ByteArray) -> ByteArray): String {
    val parts = token.split('.').toMutableList()
    parts[i] = b64u(f(Base64.getUrlDecoder().decode(parts[i])))
    return parts.joinToString(".")
}

class JweTest {
    @TestFactory
    fun `every alg and enc round-trips`(): List<DynamicTest> =
        JweKeyAlgorithm.entries.flatMap { alg ->
            val curves = if (isEcdh(alg)) JweCurve.entries else listOf(JweCurve.P256)
            curves.flatMap { crv ->
                JweContentEncryption.entries.map { enc ->
                    val name = jweKeyAlgorithmName(alg) + (if (isEcdh(alg)) " $crv" else "") + " " + jweContentEncryptionName(enc)
                    DynamicTest.dynamicTest(name) {
                        val (encrypter, decrypter) = pair(alg, enc, crv)
                        val plaintext = "secret payload for $name".toByteArray()
                        val token = encrypter.encrypt(plaintext)
                        assertEquals(5, token.split('.').size)
                        val d = decrypter.decrypt(token)
                        assertArrayEquals(plaintext, d.plaintext)
                        assertEquals(alg, d.alg)
                        assertEquals(enc, d.enc)
                        assertEquals(jweKeyAlgorithmName(alg), JSONObject(d.headerJson).getString("alg"))
                        // another key of the same kind cannot decrypt it (PBES2: same password)
                        if (!isPbes2(alg)) {
                            val (_, stranger) = pair(alg, enc, crv)
                            val e = assertCode("decryption_failed") { stranger.decrypt(token) }
                            assertTrue(e is JwtException.Signature, "decryption_failed is in the Signature family")
                        }
                    }
                }
            }
        }

    @Test
    fun `claims, headers and zip`() {
        // the header's kid selects the caller's key of that kid
        val key = generateJweKey(JweKeyAlgorithm.A256KW).withKid("k-1")
        val encrypter = JweEncrypter.fromJwk(key.privateJwk(), JweContentEncryption.A256GCM,
            headerJson = """{"zip":"DEF","typ":"JWT","x-tenant":"a"}""")
        val decrypter = JweDecrypter(listOf(generateJweKey(JweKeyAlgorithm.A256KW).withKid("k-0"), key))
        val template = JSONObject(encrypter.headerJson())
        assertEquals("DEF", template.getString("zip"))
        assertEquals("A256KW", template.getString("alg"))
        val token = encrypter.encryptClaims("""{"sub":"user-1","n":1.5}""")
        val d = decrypter.decrypt(token)
        val claims = JSONObject(String(d.plaintext))
        assertEquals("user-1", claims.getString("sub"))
        assertEquals(1.5, claims.getDouble("n"))
        assertEquals("k-1", d.kid)
        assertCode("key_not_found") { JweDecrypter(listOf(generateJweKey(JweKeyAlgorithm.A256KW).withKid("k-0"))).decrypt(token) }
        assertNull(d.cty)
        assertEquals("a", JSONObject(d.headerJson).getString("x-tenant"))
        assertCode("invalid_argument") { encrypter.encryptClaims("[1]") }
        assertCode("invalid_argument") { encrypter.encryptClaims("{nope") }
        assertCode("invalid_argument") { pair(JweKeyAlgorithm.A256KW, JweContentEncryption.A256GCM, header = "[]") }
        // members the algorithm sets cannot come from the template
        assertCode("invalid_argument") { pair(JweKeyAlgorithm.A256KW, JweContentEncryption.A256GCM, header = """{"p2c":5}""") }
    }

    @Test
    fun `nested JWT signed then encrypted, one call each way`() {
        val signing = SigningKey.generate(Algorithm.ES256)
        val key = generateJweKey(JweKeyAlgorithm.ECDH_ES_A256KW, crv = JweCurve.X25519)
        val encrypter = JweEncrypter.fromJwk(key.publicJwk(), JweContentEncryption.A256GCM)
        val token = encrypter.encryptSigned(Signer(signing), """{"sub":"user-9","exp":${NOW + 60},"iss":"https://auth.example"}""")
        assertEquals("JWT", header(token).getString("cty"))
        val decrypter = JweDecrypter(listOf(key))
        val verifier = Verifier.withKey(signing.verifyingKey(), VerifierOptions(issuers = listOf("https://auth.example")))
        val data = decrypter.decryptJwtAt(token, verifier, NOW)
        assertEquals("user-9", data.claims.sub)
        assertEquals(Algorithm.ES256, data.header.alg)
        // the inner JWT's claims are checked; a plain (not nested) JWE is refused
        assertCode("token_expired") { decrypter.decryptJwtAt(token, verifier, NOW + 61) }
        assertCode("token_expired") { decrypter.decryptJwt(token, verifier) }
        assertCode("invalid_header") { decrypter.decryptJwtAt(encrypter.encryptClaims("""{"sub":"x"}"""), verifier, NOW) }
        // a JWS signed by another key inside is rejected by the verifier
        val forged = encrypter.encryptSigned(Signer(SigningKey.generate(Algorithm.ES256)), """{"exp":${NOW + 60}}""")
        assertCode("invalid_signature") { decrypter.decryptJwtAt(forged, verifier, NOW) }
    }

    @Test
    fun `JSON serialization decrypts, flattened and general`() {
        val (encrypter, decrypter) = pair(JweKeyAlgorithm.A128GCMKW, JweContentEncryption.A128_CBC_HS256)
        val token = encrypter.encrypt("json".toByteArray())
        val p = token.split('.')
        val flattened = JSONObject(mapOf("protected" to p[0], "encrypted_key" to p[1], "iv" to p[2], "ciphertext" to p[3], "tag" to p[4]))
        assertArrayEquals("json".toByteArray(), decrypter.decryptJson(flattened.toString()).plaintext)
        val general = JSONObject(mapOf("protected" to p[0], "recipients" to listOf(mapOf("encrypted_key" to p[1])),
            "iv" to p[2], "ciphertext" to p[3], "tag" to p[4]))
        assertArrayEquals("json".toByteArray(), decrypter.decryptJson(general.toString()).plaintext)
        assertCode("malformed_token") { decrypter.decryptJson("[]") }
        assertCode("malformed_token") { decrypter.decryptJson(token) }
    }

    @Test
    fun `keys, names and errors`() {
        for (alg in JweKeyAlgorithm.entries) assertEquals(alg, jweKeyAlgorithmFromName(jweKeyAlgorithmName(alg)))
        for (enc in JweContentEncryption.entries) assertEquals(enc, jweContentEncryptionFromName(jweContentEncryptionName(enc)))
        assertEquals("ECDH-ES+A128KW", jweKeyAlgorithmName(JweKeyAlgorithm.ECDH_ES_A128KW))
        assertEquals("A256CBC-HS512", jweContentEncryptionName(JweContentEncryption.A256_CBC_HS512))
        for (name in listOf("RSA1_5", "RSA-OAEP-384", "none", "dir ")) assertCode("unsupported_algorithm") { jweKeyAlgorithmFromName(name) }
        assertCode("unsupported_encryption") { jweContentEncryptionFromName("A128CBC") }

        val dir = generateJweKey(JweKeyAlgorithm.DIR, enc = JweContentEncryption.A192GCM).withKid("d1")
        assertEquals(JweKeyAlgorithm.DIR, dir.algorithm())
        assertEquals(JweContentEncryption.A192GCM, dir.contentEncryption())
        assertEquals("d1", dir.kid())
        assertEquals(24, Base64.getUrlDecoder().decode(JSONObject(dir.privateJwk()).getString("k")).size)
        assertCode("invalid_argument") { dir.publicJwk() }
        assertCode("invalid_argument") { generateJweKey(JweKeyAlgorithm.DIR) }
        val ec = generateJweKey(JweKeyAlgorithm.ECDH_ES, crv = JweCurve.P384)
        val pub = JSONObject(ec.publicJwk())
        assertEquals("P-384", pub.getString("crv"))
        assertTrue(!pub.has("d"))
        assertEquals("P-384", JSONObject(ec.privateJwk()).getString("crv"))
        assertCode("invalid_key") { JweDecryptionKey.fromJwk("{}") }
        assertCode("invalid_key") { JweDecryptionKey.fromJwk("not json") }
    }

    // ---- SECURITY.md, JWE part: each rule with its code ----

    @Test
    fun `RSA-OAEP is offered (aws-lc backend), its keys bound to their alg`() {
        for (alg in listOf(JweKeyAlgorithm.RSA_OAEP, JweKeyAlgorithm.RSA_OAEP256)) {
            val name = jweKeyAlgorithmName(alg)
            assertEquals(alg, jweKeyAlgorithmFromName(name))
            val key = generateJweKey(alg)
            val private = JSONObject(key.privateJwk())
            val public = JSONObject(key.publicJwk())
            assertEquals("RSA", private.getString("kty"))
            assertEquals(name, public.getString("alg"))
            assertTrue(private.has("d") && !public.has("d"))
            assertEquals(public.toString(), JSONObject(key.senderJwk()).toString())
            assertEquals(256, Base64.getUrlDecoder().decode(public.getString("n")).size)
            val token = JweEncrypter.fromJwk(key.publicJwk(), JweContentEncryption.A256GCM).encrypt("rsa".toByteArray())
            assertEquals(256, Base64.getUrlDecoder().decode(token.split('.')[1]).size)
            assertArrayEquals("rsa".toByteArray(), JweDecrypter(listOf(key)).decrypt(token).plaintext)
            assertCode("invalid_key") { JweDecryptionKey.fromJwk(key.publicJwk()) }
            val other = if (alg == JweKeyAlgorithm.RSA_OAEP) "RSA-OAEP-256" else "RSA-OAEP"
            val token2 = JweEncrypter.fromJwk(public.put("alg", other).toString(), JweContentEncryption.A256GCM).encrypt(byteArrayOf(1))
            assertCode("algorithm_not_allowed") { JweDecrypter(listOf(key)).decrypt(token2) }
        }
    }

    @Test
    fun `RSA1_5 is never offered`() {
        val (_, decrypter) = pair(JweKeyAlgorithm.A128KW, JweContentEncryption.A128GCM)
        for (alg in listOf("RSA1_5", "RSA-OAEP-384", "none")) {
            val forged = b64u("""{"alg":"$alg","enc":"A128GCM"}""") + ".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"
            assertCode("unsupported_algorithm") { decrypter.decrypt(forged) }
        }
    }

    @Test
    fun `PBES2 is off by default and p2c is capped`() {
        val pw = JweDecryptionKey.fromJwk("""{"kty":"oct","k":"${b64u(PASSWORD)}"}""", JweKeyAlgorithm.PBES2_HS256_A128KW)
        assertCode("invalid_argument") { JweDecrypter(listOf(pw)) }
        val other = generateJweKey(JweKeyAlgorithm.A128KW)
        val token = JweEncrypter.fromPassword(JweKeyAlgorithm.PBES2_HS256_A128KW, PASSWORD, 20_000u, JweContentEncryption.A128GCM).encrypt(byteArrayOf(1))
        assertCode("algorithm_not_allowed") { JweDecrypter(listOf(other, pw)).decrypt(token) }
        assertCode("input_too_large") { JweDecrypter(listOf(pw), JweDecryptOptions(allowPbes2MaxIterations = 10_000u)).decrypt(token) }
        assertArrayEquals(byteArrayOf(1), JweDecrypter(listOf(pw), JweDecryptOptions(allowPbes2MaxIterations = 20_000u)).decrypt(token).plaintext)
        assertCode("weak_key") { JweEncrypter.fromPassword(JweKeyAlgorithm.PBES2_HS256_A128KW, PASSWORD, 10u, JweContentEncryption.A128GCM) }
    }

    @Test
    fun `ECDH-ES rejects an ephemeral key off the curve`() {
        val (encrypter, decrypter) = pair(JweKeyAlgorithm.ECDH_ES, JweContentEncryption.A256GCM)
        val token = encrypter.encrypt("x".toByteArray())
        val h = header(token)
        val epk = h.getJSONObject("epk")
        val y = Base64.getUrlDecoder().decode(epk.getString("y"))
        y[y.size - 1] = (y[y.size - 1].toInt() xor 1).toByte()
        epk.put("y", b64u(y))
        // the epk is the token's: its flaws are token errors, never invalid_key
        assertCode("invalid_header") { decrypter.decrypt(withHeader(token, h)) }
        epk.put("x", b64u(ByteArray(32))).put("y", b64u(ByteArray(32)))
        assertCode("invalid_header") { decrypter.decrypt(withHeader(token, h)) }
        h.remove("epk")
        assertCode("invalid_header") { decrypter.decrypt(withHeader(token, h)) }
    }

    @Test
    fun `compressed plaintext is capped`() {
        val (encrypter, decrypter) = pair(JweKeyAlgorithm.DIR, JweContentEncryption.A256GCM, header = """{"zip":"DEF"}""")
        val bomb = encrypter.encrypt(ByteArray(2 * 1024 * 1024))
        assertTrue(bomb.length < 20_000, "2 MiB of zeros deflate to ${bomb.length} bytes")
        assertCode("input_too_large") { decrypter.decrypt(bomb) }
        val key = JweDecryptionKey.fromJwk("""{"kty":"oct","k":"${b64u(ByteArray(32))}"}""", JweKeyAlgorithm.DIR)
        val small = JweEncrypter.fromJwk(key.privateJwk(), JweContentEncryption.A256GCM, headerJson = """{"zip":"DEF"}""").encrypt(ByteArray(5000))
        assertCode("input_too_large") { JweDecrypter(listOf(key), JweDecryptOptions(maxPlaintextBytes = 4000u)).decrypt(small) }
        assertEquals(5000, JweDecrypter(listOf(key), JweDecryptOptions(maxPlaintextBytes = 5000u)).decrypt(small).plaintext.size)
    }

    @Test
    fun `wrong, truncated or missing tags and altered parts fail the same way`() {
        for (enc in JweContentEncryption.entries) {
            val (encrypter, decrypter) = pair(JweKeyAlgorithm.A128KW, enc)
            val token = encrypter.encrypt("tamper".toByteArray())
            val flip: (ByteArray) -> ByteArray = { b -> b.copyOf().also { it[0] = (it[0].toInt() xor 1).toByte() } }
            for (i in 1..4) assertCode("decryption_failed") { decrypter.decrypt(segment(token, i, flip)) }
            assertCode("decryption_failed") { decrypter.decrypt(segment(token, 4) { it.copyOf(it.size - 1) }) }
            assertCode("decryption_failed") { decrypter.decrypt(segment(token, 4) { ByteArray(0) }) }
            assertCode("decryption_failed") { decrypter.decrypt(withHeader(token, header(token).put("x", 1))) }
        }
    }

    @Test
    fun `wrong key size, wrong enc for a key, key usage`() {
        assertCode("invalid_key") { JweDecryptionKey.fromJwk("""{"kty":"oct","k":"${b64u(ByteArray(15))}"}""", JweKeyAlgorithm.A128KW) }
        assertCode("invalid_key") { JweDecryptionKey.fromJwk("""{"kty":"oct","k":"${b64u(ByteArray(16))}","alg":"A256KW"}""") }
        assertCode("key_algorithm_mismatch") {
            JweDecryptionKey.fromJwk("""{"kty":"oct","k":"${b64u(ByteArray(16))}","alg":"A128KW"}""", JweKeyAlgorithm.A256KW)
        }
        assertCode("key_usage_not_allowed") {
            JweDecrypter(listOf(JweDecryptionKey.fromJwk("""{"kty":"oct","k":"${b64u(ByteArray(16))}","alg":"A128KW","use":"sig"}""")))
        }
        val k128 = generateJweKey(JweKeyAlgorithm.DIR, enc = JweContentEncryption.A128GCM)
        val token = JweEncrypter.fromJwk(generateJweKey(JweKeyAlgorithm.DIR, enc = JweContentEncryption.A256GCM).privateJwk(),
            JweContentEncryption.A256GCM).encrypt(byteArrayOf(1))
        // the token's enc does not fit the key: the token's error
        assertCode("algorithm_not_allowed") { JweDecrypter(listOf(k128)).decrypt(token) }
        // an encrypter for a dir key and another enc is refused up front
        assertCode("key_algorithm_mismatch") { JweEncrypter.fromJwk(k128.privateJwk(), JweContentEncryption.A256GCM) }
        // a public key cannot decrypt
        assertCode("invalid_key") { JweDecryptionKey.fromJwk(generateJweKey(JweKeyAlgorithm.ECDH_ES).publicJwk()) }
    }

    @Test
    fun `oversize, crit, structure, options`() {
        val (encrypter, _) = pair(JweKeyAlgorithm.A128KW, JweContentEncryption.A128GCM)
        val key = generateJweKey(JweKeyAlgorithm.A128KW)
        val enc2 = JweEncrypter.fromJwk(key.privateJwk(), JweContentEncryption.A128GCM)
        val big = enc2.encrypt(ByteArray(2000))
        assertCode("input_too_large") { JweDecrypter(listOf(key), JweDecryptOptions(maxTokenBytes = 1000u)).decrypt(big) }
        val crit = JweEncrypter.fromJwk(key.privateJwk(), JweContentEncryption.A128GCM, headerJson = """{"crit":["x-policy"],"x-policy":1}""").encrypt(byteArrayOf(7))
        assertCode("unsupported_critical_header") { JweDecrypter(listOf(key)).decrypt(crit) }
        assertArrayEquals(byteArrayOf(7), JweDecrypter(listOf(key), JweDecryptOptions(critical = listOf("x-policy"))).decrypt(crit).plaintext)
        val d = JweDecrypter(listOf(key))
        val token = enc2.encrypt(byteArrayOf(1))
        for (bad in listOf("", "a.b.c", token + ".x", token.substringBeforeLast('.'), token.replaceFirst('.', '='), "\u0000....")) {
            assertCode("malformed_token") { d.decrypt(bad) }
        }
        assertCode("algorithm_not_allowed") { JweDecrypter(listOf(key), JweDecryptOptions(encryptions = listOf(JweContentEncryption.A256GCM))).decrypt(token) }
        assertCode("invalid_argument") { JweDecrypter(listOf(key), JweDecryptOptions(algorithms = listOf(JweKeyAlgorithm.A256KW))) }
        assertCode("invalid_argument") { JweDecrypter(listOf(key), JweDecryptOptions(encryptions = emptyList())) }
        assertCode("algorithm_not_allowed") { d.decrypt(encrypter.encrypt(byteArrayOf(1)).let { t -> withHeader(t, header(t).put("alg", "A256KW")) }) }
    }
}
