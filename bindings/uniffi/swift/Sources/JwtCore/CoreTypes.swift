// The JWE enums are the core's own (crates/jwt-core, `uniffi` feature), generated into
// JwtCoreTypes.swift under their Rust names; these aliases keep the binding's names.

/// A JWE key management algorithm (`alg`): the core's `jwe::KeyAlgorithm`.
public typealias JweKeyAlgorithm = KeyAlgorithm

/// A JWE content encryption algorithm (`enc`): the core's `jwe::ContentEncryption`.
public typealias JweContentEncryption = ContentEncryption

/// A curve for ECDH-ES keys: the core's `jwe::EcdhCurve`.
public typealias JweCurve = EcdhCurve
