// The core's own enums, generated from crates/jwt-core through its `uniffi` feature, land
// in package dev.jwtcore.core (each uniffi crate's Kotlin file carries its own helper
// classes, so two cannot share a package; see crates/jwt-core/uniffi.toml). These aliases
// keep the public names in dev.jwtcore: `import dev.jwtcore.Algorithm` and
// `Algorithm.ES256` work as before, and the type is the core's, not a copy.
package dev.jwtcore

/** A JWS signature algorithm (RFC 7518, RFC 8037, RFC 8812); `none` does not exist. */
typealias Algorithm = dev.jwtcore.core.Algorithm

/** A JWE key management algorithm (`alg`): the core's `jwe::KeyAlgorithm`. */
typealias JweKeyAlgorithm = dev.jwtcore.core.KeyAlgorithm

/** A JWE content encryption algorithm (`enc`): the core's `jwe::ContentEncryption`. */
typealias JweContentEncryption = dev.jwtcore.core.ContentEncryption

/** A curve for ECDH-ES keys: the core's `jwe::EcdhCurve`. */
typealias JweCurve = dev.jwtcore.core.EcdhCurve
