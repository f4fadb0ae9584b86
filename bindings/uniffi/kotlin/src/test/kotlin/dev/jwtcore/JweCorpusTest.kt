// The shared JWE conformance corpus (crates/jwt-core/tests/corpus/jwe-corpus.json), case by
// case through the Kotlin API: every key imported with JweDecryptionKey.fromJwk (an error
// there is the case's outcome), one JweDecrypter over all keys with the case's options,
// then decrypt (compact) or decryptJson (JSON serialization); plaintext bytes and joint
// header compared, or the error code. Same outcome and code as the Rust core.
package dev.jwtcore

import java.util.Base64
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

class JweCorpusTest {
    @TestFactory
    fun corpus(): List<DynamicTest> {
        val cases = loadCorpus("jwtcore.jwecorpus", "jwe-corpus.json").getJSONArray("cases")
        return (0 until cases.length()).map { i ->
            val case = cases.getJSONObject(i)
            DynamicTest.dynamicTest(case.getString("id")) { runCase(case) }
        }
    }

    private fun runCase(case: JSONObject) {
        val outcome = runCatching {
            val keys = case.getJSONArray("keys").objects().map { k ->
                val alg = if (k.has("alg")) jweKeyAlgorithmFromName(k.getString("alg")) else null
                JweDecryptionKey.fromJwk(k.getJSONObject("jwk").toString(), alg)
            }
            val decrypter = JweDecrypter(keys, options(case.optJSONObject("options") ?: JSONObject()))
            if (case.has("token")) decrypter.decrypt(case.getString("token"))
            else decrypter.decryptJson(case.getJSONObject("json").toString())
        }
        val expect = case.getJSONObject("expect")
        val error = outcome.exceptionOrNull()
        if (error != null && error !is JwtException) throw error
        if (expect.getBoolean("ok")) {
            if (error is JwtException) fail<Unit>("expected success, got ${error.code}: ${error.detail}")
            val d = outcome.getOrThrow()
            assertArrayEquals(Base64.getUrlDecoder().decode(expect.getString("plaintext_b64u")), d.plaintext, "plaintext")
            if (expect.has("header")) {
                val header = JSONObject(d.headerJson)
                assertTrue(header.similar(expect.getJSONObject("header")),
                    "joint header differs: got $header, expected ${expect.getJSONObject("header")}")
                assertEquals(jweKeyAlgorithmName(d.alg), header.getString("alg"))
                assertEquals(jweContentEncryptionName(d.enc), header.getString("enc"))
            }
        } else {
            val want = expect.getString("error")
            if (error !is JwtException) fail<Unit>("expected error $want, got success")
            assertEquals(want, (error as JwtException).code, "error code (detail: ${error.detail})")
        }
    }

    /** The corpus options (snake_case, as the Node binding's JSON) as the Kotlin record. */
    private fun options(o: JSONObject): JweDecryptOptions {
        val known = setOf("algorithms", "encryptions", "critical", "allow_pbes2", "max_token_bytes", "max_plaintext_bytes")
        val unknown = o.keySet() - known
        assertTrue(unknown.isEmpty(), "unknown corpus options: $unknown")
        return JweDecryptOptions(
            algorithms = o.strings("algorithms")?.map { jweKeyAlgorithmFromName(it) },
            encryptions = o.strings("encryptions")?.map { jweContentEncryptionFromName(it) },
            critical = o.strings("critical") ?: emptyList(),
            allowPbes2MaxIterations = if (o.has("allow_pbes2")) o.getLong("allow_pbes2").toUInt() else null,
            maxTokenBytes = if (o.has("max_token_bytes")) o.getLong("max_token_bytes").toULong() else null,
            maxPlaintextBytes = if (o.has("max_plaintext_bytes")) o.getLong("max_plaintext_bytes").toULong() else null,
        )
    }

    private fun JSONObject.strings(name: String): List<String>? = when (val x = opt(name)) {
        null -> null
        is JSONArray -> (0 until x.length()).map { x.getString(it) }
        else -> error("`$name` is not a list")
    }

    private fun JSONArray.objects(): List<JSONObject> = (0 until length()).map { getJSONObject(it) }
}
