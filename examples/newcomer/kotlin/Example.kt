// A first jwt-core program on the JVM: make a key, sign a token, verify it, see a typed
// rejection. `cargo xtask test --only smoke` compiles this file against the jar alone
// (plus JNA and kotlin-stdlib) and runs it; it checks the printed lines.
import dev.jwtcore.Algorithm
import dev.jwtcore.JwtException
import dev.jwtcore.KeySet
import dev.jwtcore.RegisteredClaims
import dev.jwtcore.Signer
import dev.jwtcore.SigningKey
import dev.jwtcore.Verifier
import dev.jwtcore.VerifierOptions
import dev.jwtcore.code
import dev.jwtcore.nowSeconds

fun main() {
    val key = SigningKey.generate(Algorithm.ES256)
    val token = Signer(key).signClaims(RegisteredClaims(sub = "newcomer", exp = nowSeconds() + 300), "{}")

    val verifier = Verifier(KeySet(listOf(key.verifyingKey())), VerifierOptions())
    println("kotlin: verified sub=${verifier.verify(token).claims.sub}")

    // Another key's public half refuses the token.
    val other = Verifier(KeySet(listOf(SigningKey.generate(Algorithm.ES256).verifyingKey())), VerifierOptions())
    try {
        other.verify(token)
    } catch (e: JwtException) {
        println("kotlin: rejected ${e.code}")
    }
}
