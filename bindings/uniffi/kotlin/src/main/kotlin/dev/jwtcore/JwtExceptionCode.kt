// Hand-written next to the uniffi-generated `jwt_core_uniffi.kt`: uniffi gives each
// JwtException subclass its own `code`/`detail`; these give them on the base type, so
// `catch (e: JwtException) { e.code }` works whatever the family.
package dev.jwtcore

/** The core's stable error code (`token_expired`, `invalid_signature`, ...). */
val JwtException.code: String
    get() = when (this) {
        is JwtException.Token -> this.code
        is JwtException.Signature -> this.code
        is JwtException.Key -> this.code
        is JwtException.Claims -> this.code
        is JwtException.Usage -> this.code
        is JwtException.Internal -> this.code
    }

/** The human-readable detail; may change between versions, unlike [code]. */
val JwtException.detail: String
    get() = when (this) {
        is JwtException.Token -> this.detail
        is JwtException.Signature -> this.detail
        is JwtException.Key -> this.detail
        is JwtException.Claims -> this.detail
        is JwtException.Usage -> this.detail
        is JwtException.Internal -> this.detail
    }
