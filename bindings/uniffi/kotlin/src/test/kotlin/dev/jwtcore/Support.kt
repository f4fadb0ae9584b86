// Helpers shared by the tests: asserting error codes, and building tokens by hand the
// way an attacker would (javax.crypto HMAC over arbitrary header and payload text).
package dev.jwtcore

import java.io.File
import java.util.Base64
import org.json.JSONObject
import org.junit.jupiter.api.Assumptions.assumeTrue
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.assertThrows

/** Asserts that [block] throws a [JwtException] with [code]; returns it. */
fun assertCode(code: String, block: () -> Unit): JwtException {
    val e = assertThrows<JwtException> { block() }
    assertEquals(code, e.code, "error code (detail: ${e.detail})")
    return e
}

fun b64u(bytes: ByteArray): String = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
fun b64u(text: String): String = b64u(text.toByteArray())

/** A compact JWS over raw header and payload JSON text, HMAC-signed with [secret]. */
fun hmacToken(secret: ByteArray, header: String, payload: String, javaAlg: String = "HmacSHA256"): String {
    val input = b64u(header) + "." + b64u(payload)
    val mac = Mac.getInstance(javaAlg)
    mac.init(SecretKeySpec(secret, javaAlg))
    return input + "." + b64u(mac.doFinal(input.toByteArray()))
}

/** Fixed test clock and a 32-byte HS256 secret. */
const val NOW = 1_700_000_000L
val SECRET = ByteArray(32) { (it * 7 + 1).toByte() }

/**
 * A shared corpus file (format version 1, at least one case) named by system property
 * [property] (set by the pom), or a skip when it is absent.
 */
fun loadCorpus(property: String, fallback: String): JSONObject {
    val path = System.getProperty(property) ?: fallback
    val file = File(path)
    assumeTrue(file.isFile, "corpus not found at $path: skipped (the core's tests generate it)")
    val root = JSONObject(file.readText())
    assertEquals(1, root.getInt("version"), "corpus format version of $path")
    assertTrue(root.getJSONArray("cases").length() > 0, "$path has no case")
    return root
}
