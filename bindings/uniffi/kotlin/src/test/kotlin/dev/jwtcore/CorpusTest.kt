// The shared conformance corpus (crates/jwt-core/tests/corpus/corpus.json), case by case
// through the Kotlin API: same inputs, same outcome, same error code as the Rust core.
// The procedure is the corpus README's "How to run a case".
package dev.jwtcore

import java.util.Base64
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

class CorpusTest {
    @TestFactory
    fun corpus(): List<DynamicTest> {
        val root = loadCorpus("jwtcore.corpus", "corpus.json")
        val defaultNow = root.getLong("now")
        val cases = root.getJSONArray("cases")
        return (0 until cases.length()).map { i ->
            val case = cases.getJSONObject(i)
            DynamicTest.dynamicTest(case.getString("id")) { runCase(case, defaultNow) }
        }
    }

    private fun runCase(case: JSONObject, defaultNow: Long) {
        val now = if (case.has("now")) case.getLong("now") else defaultNow
        val outcome = runCatching {
            val keys = case.getJSONArray("keys").objects().map(::buildKey)
            val options = options(case.optJSONObject("validation") ?: JSONObject())
            // both doors: the JVM fast path (verifyAt) and the uniffi call it replaces
            assertSamePaths(Verifier(KeySet(keys), options), case.getString("token"), now).getOrThrow().claimsJson
        }
        val expect = case.getJSONObject("expect")
        val error = outcome.exceptionOrNull()
        if (error != null && error !is JwtException) throw error
        if (expect.getBoolean("ok")) {
            if (error is JwtException) fail<Unit>("expected success, got ${error.code}: ${error.detail}")
            val claims = JSONObject(outcome.getOrThrow())
            assertTrue(claims.similar(expect.getJSONObject("claims")),
                "claims differ: got $claims, expected ${expect.getJSONObject("claims")}")
        } else {
            val want = expect.getString("error")
            if (error !is JwtException) fail<Unit>("expected error $want, got success: ${outcome.getOrNull()}")
            assertEquals(want, (error as JwtException).code, "error code (detail: ${error.detail})")
        }
    }

    private fun buildKey(k: JSONObject): VerifyingKey {
        val alg = if (k.has("alg")) algorithmFromName(k.getString("alg")) else null
        val kid = if (k.has("kid")) k.getString("kid") else null
        val key = when {
            k.has("jwk") -> return VerifyingKey.fromJwk(k.getJSONObject("jwk").toString(), alg)
            k.has("pem") -> VerifyingKey.fromPem(alg ?: error("pem key without alg"), k.getString("pem"))
            k.has("secret_b64u") -> {
                val secret = Base64.getUrlDecoder().decode(k.getString("secret_b64u"))
                val a = alg ?: error("secret without alg")
                if (k.optBoolean("allow_short", false)) VerifyingKey.hmacAllowShort(a, secret)
                else VerifyingKey.hmac(a, secret)
            }
            else -> error("unknown key form: ${k.keySet()}")
        }
        return if (kid != null) key.withKid(kid) else key
    }

    private fun options(v: JSONObject) = VerifierOptions(
        algorithms = v.strings("algorithms")?.map { algorithmFromName(it) },
        issuers = v.strings("issuer"),
        audiences = v.strings("audience"),
        subject = if (v.has("subject")) v.getString("subject") else null,
        leewaySeconds = v.optLong("leeway", 0).toULong(),
        requiredClaims = v.strings("required_claims"),
        maxAgeSeconds = if (v.has("max_age")) v.getLong("max_age").toULong() else null,
        typ = if (v.has("typ")) v.getString("typ") else null,
        critical = v.strings("critical") ?: emptyList(),
        claimsEqualJson = v.optJSONObject("claims_equal")?.toString(),
    )

    /** A member that is a list of strings (or one string), or null when absent. */
    private fun JSONObject.strings(name: String): List<String>? = when (val x = opt(name)) {
        null -> null
        is String -> listOf(x)
        is JSONArray -> (0 until x.length()).map { x.getString(it) }
        else -> error("`$name` is neither a string nor a list")
    }

    private fun JSONArray.objects(): List<JSONObject> = (0 until length()).map { getJSONObject(it) }
}
