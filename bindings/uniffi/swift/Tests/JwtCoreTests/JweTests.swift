// JWE through the Swift API: the same ground as the Kotlin JweTest (round trips for every
// alg x enc pair, claims, nested JWTs, JSON serialization, keys, names, and the JWE rules
// of SECURITY.md with their codes). Not compiled on the machine that wrote it (no Swift
// toolchain there); see docs/swift.md.
import Foundation
import XCTest
@testable import JwtCore

private let PASSWORD = Data("correct horse battery staple".utf8)
private let KEY_ALGS: [JweKeyAlgorithm] = [.dir, .a128kw, .a192kw, .a256kw, .a128gcmkw, .a192gcmkw, .a256gcmkw,
                                           .ecdhEs, .ecdhEsA128kw, .ecdhEsA192kw, .ecdhEsA256kw,
                                           .pbes2Hs256A128kw, .pbes2Hs384A192kw, .pbes2Hs512A256kw]
private let ENCS: [JweContentEncryption] = [.a128gcm, .a192gcm, .a256gcm, .a128CbcHs256, .a192CbcHs384, .a256CbcHs512]
private let CURVES: [JweCurve] = [.p256, .p384, .p521, .x25519]

private func isEcdh(_ alg: JweKeyAlgorithm) -> Bool { jweKeyAlgorithmName(alg: alg).hasPrefix("ECDH-ES") }
private func isPbes2(_ alg: JweKeyAlgorithm) -> Bool { jweKeyAlgorithmName(alg: alg).hasPrefix("PBES2") }

/// An encrypter and a matching decrypter for `alg`/`enc` (`crv` for ECDH-ES).
private func pair(_ alg: JweKeyAlgorithm, _ enc: JweContentEncryption, crv: JweCurve = .p256,
                  header: String? = nil) throws -> (JweEncrypter, JweDecrypter) {
    if isPbes2(alg) {
        let key = try JweDecryptionKey.fromJwk(jwkJson: "{\"kty\":\"oct\",\"k\":\"\(b64u(PASSWORD))\"}", alg: alg)
        return (try JweEncrypter.fromPassword(alg: alg, password: PASSWORD, iterations: 1000, enc: enc, headerJson: header),
                try JweDecrypter(keys: [key], options: JweDecryptOptions(allowPbes2MaxIterations: 1000)))
    }
    if isEcdh(alg) {
        let key = try generateJweKey(alg: alg, crv: crv)
        return (try JweEncrypter.fromJwk(jwkJson: try key.publicJwk(), enc: enc, headerJson: header),
                try JweDecrypter(keys: [key]))
    }
    let key = try generateJweKey(alg: alg, enc: alg == .dir ? enc : nil)
    return (try JweEncrypter.fromJwk(jwkJson: try key.privateJwk(), enc: enc, headerJson: header),
            try JweDecrypter(keys: [key]))
}

/// The protected header of a compact JWE, and the token with it replaced.
private func header(_ token: String) -> [String: Any] {
    let seg = String(token.split(separator: ".", omittingEmptySubsequences: false)[0])
    return (try? JSONSerialization.jsonObject(with: b64uDecode(seg) ?? Data())) as? [String: Any] ?? [:]
}

private func withHeader(_ token: String, _ h: [String: Any]) throws -> String {
    let rest = token.split(separator: ".", omittingEmptySubsequences: false).dropFirst().joined(separator: ".")
    return b64u(try JSONSerialization.data(withJSONObject: h)) + "." + rest
}

/// The token with segment `i` (0...4) replaced by `f` of its bytes.
private func segment(_ token: String, _ i: Int, _ f: (Data) -> Data) -> String {
    var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    parts[i] = b64u(f(b64uDecode(parts[i]) ?? Data()))
    return parts.joined(separator: ".")
}

final class JweTests: XCTestCase {
    func testEveryAlgAndEncRoundTrips() throws {
        for alg in KEY_ALGS {
            for crv in (isEcdh(alg) ? CURVES : [.p256]) {
                for enc in ENCS {
                    let (encrypter, decrypter) = try pair(alg, enc, crv: crv)
                    let plaintext = Data("secret payload \(alg) \(crv) \(enc)".utf8)
                    let token = try encrypter.encrypt(plaintext: plaintext)
                    XCTAssertEqual(token.split(separator: ".", omittingEmptySubsequences: false).count, 5)
                    let d = try decrypter.decrypt(token: token)
                    XCTAssertEqual(d.plaintext, plaintext)
                    XCTAssertEqual(d.alg, alg)
                    XCTAssertEqual(d.enc, enc)
                    XCTAssertEqual(jsonObject(d.headerJson)["alg"] as? String, jweKeyAlgorithmName(alg: alg))
                    if !isPbes2(alg) {
                        let (_, stranger) = try pair(alg, enc, crv: crv)
                        let e = assertCode("decryption_failed") { _ = try stranger.decrypt(token: token) }
                        if case .Signature = e {} else { XCTFail("decryption_failed is in the Signature family") }
                    }
                }
            }
        }
    }

    func testClaimsHeadersAndZip() throws {
        let key = try generateJweKey(alg: .a256kw).withKid(kid: "k-1")
        let encrypter = try JweEncrypter.fromJwk(jwkJson: try key.privateJwk(), enc: .a256gcm,
                                                 headerJson: "{\"zip\":\"DEF\",\"typ\":\"JWT\",\"x-tenant\":\"a\"}")
        let decrypter = try JweDecrypter(keys: [try generateJweKey(alg: .a256kw).withKid(kid: "k-0"), key])
        XCTAssertEqual(jsonObject(encrypter.headerJson())["zip"] as? String, "DEF")
        let token = try encrypter.encryptClaims(claimsJson: "{\"sub\":\"user-1\",\"n\":1.5}")
        let d = try decrypter.decrypt(token: token)
        XCTAssertEqual(jsonObject(String(decoding: d.plaintext, as: UTF8.self))["sub"] as? String, "user-1")
        XCTAssertEqual(d.kid, "k-1")
        XCTAssertNil(d.cty)
        XCTAssertEqual(jsonObject(d.headerJson)["x-tenant"] as? String, "a")
        assertCode("key_not_found") {
            _ = try JweDecrypter(keys: [try generateJweKey(alg: .a256kw).withKid(kid: "k-0")]).decrypt(token: token)
        }
        assertCode("invalid_argument") { _ = try encrypter.encryptClaims(claimsJson: "[1]") }
        assertCode("invalid_argument") { _ = try pair(.a256kw, .a256gcm, header: "{\"p2c\":5}") }
    }

    func testNestedJwtSignedThenEncrypted() throws {
        let signing = try SigningKey.generate(alg: .es256)
        let key = try generateJweKey(alg: .ecdhEsA256kw, crv: .x25519)
        let encrypter = try JweEncrypter.fromJwk(jwkJson: try key.publicJwk(), enc: .a256gcm)
        let token = try encrypter.encryptSigned(signer: try Signer(key: signing),
                                                claimsJson: "{\"sub\":\"user-9\",\"exp\":\(NOW + 60)}")
        XCTAssertEqual(header(token)["cty"] as? String, "JWT")
        let decrypter = try JweDecrypter(keys: [key])
        let verifier = try Verifier.withKey(key: signing.verifyingKey(), options: VerifierOptions())
        let data = try decrypter.decryptJwtAt(token: token, verifier: verifier, now: NOW)
        XCTAssertEqual(data.claims.sub, "user-9")
        XCTAssertEqual(data.header.alg, .es256)
        assertCode("token_expired") { _ = try decrypter.decryptJwtAt(token: token, verifier: verifier, now: NOW + 61) }
        assertCode("invalid_header") {
            _ = try decrypter.decryptJwtAt(token: try encrypter.encryptClaims(claimsJson: "{}"), verifier: verifier, now: NOW)
        }
    }

    func testJsonSerialization() throws {
        let (encrypter, decrypter) = try pair(.a128gcmkw, .a128CbcHs256)
        let p = try encrypter.encrypt(plaintext: Data("json".utf8)).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let flattened: [String: Any] = ["protected": p[0], "encrypted_key": p[1], "iv": p[2], "ciphertext": p[3], "tag": p[4]]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: flattened), as: UTF8.self)
        XCTAssertEqual(try decrypter.decryptJson(json: text).plaintext, Data("json".utf8))
        assertCode("malformed_token") { _ = try decrypter.decryptJson(json: "[]") }
    }

    func testKeysNamesAndErrors() throws {
        for alg in KEY_ALGS { XCTAssertEqual(try jweKeyAlgorithmFromName(name: jweKeyAlgorithmName(alg: alg)), alg) }
        for enc in ENCS { XCTAssertEqual(try jweContentEncryptionFromName(name: jweContentEncryptionName(enc: enc)), enc) }
        for name in ["RSA1_5", "RSA-OAEP-384", "none"] { assertCode("unsupported_algorithm") { _ = try jweKeyAlgorithmFromName(name: name) } }
        assertCode("unsupported_encryption") { _ = try jweContentEncryptionFromName(name: "A128CBC") }
        let dir = try generateJweKey(alg: .dir, enc: .a192gcm).withKid(kid: "d1")
        XCTAssertEqual(try dir.algorithm(), .dir)
        XCTAssertEqual(try dir.contentEncryption(), .a192gcm)
        XCTAssertEqual(dir.kid(), "d1")
        assertCode("invalid_argument") { _ = try dir.publicJwk() }
        assertCode("invalid_argument") { _ = try generateJweKey(alg: .dir) }
        assertCode("invalid_key") { _ = try JweDecryptionKey.fromJwk(jwkJson: "{}") }
    }

    // ---- SECURITY.md, JWE part ----

    func testRsaOaepIsOfferedOnAwsLc() throws {
        for alg in [JweKeyAlgorithm.rsaOaep, .rsaOaep256] {
            XCTAssertEqual(try jweKeyAlgorithmFromName(name: jweKeyAlgorithmName(alg: alg)), alg)
            let key = try generateJweKey(alg: alg)
            XCTAssertEqual(try key.senderJwk(), try key.publicJwk())
            let token = try JweEncrypter.fromJwk(jwkJson: try key.senderJwk(), enc: .a256gcm).encrypt(plaintext: Data("rsa".utf8))
            XCTAssertEqual(try JweDecrypter(keys: [key]).decrypt(token: token).plaintext, Data("rsa".utf8))
            assertCode("invalid_key") { _ = try JweDecryptionKey.fromJwk(jwkJson: try key.publicJwk()) }
        }
    }

    func testRsa15IsNotOffered() throws {
        let (_, decrypter) = try pair(.a128kw, .a128gcm)
        for alg in ["RSA1_5", "RSA-OAEP-384", "none"] {
            let forged = b64u("{\"alg\":\"\(alg)\",\"enc\":\"A128GCM\"}") + ".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"
            assertCode("unsupported_algorithm") { _ = try decrypter.decrypt(token: forged) }
        }
    }

    func testPbes2IsOffByDefaultAndP2cIsCapped() throws {
        let pw = try JweDecryptionKey.fromJwk(jwkJson: "{\"kty\":\"oct\",\"k\":\"\(b64u(PASSWORD))\"}", alg: .pbes2Hs256A128kw)
        assertCode("invalid_argument") { _ = try JweDecrypter(keys: [pw]) }
        let token = try JweEncrypter.fromPassword(alg: .pbes2Hs256A128kw, password: PASSWORD, iterations: 20_000, enc: .a128gcm)
            .encrypt(plaintext: Data([1]))
        assertCode("algorithm_not_allowed") { _ = try JweDecrypter(keys: [try generateJweKey(alg: .a128kw), pw]).decrypt(token: token) }
        assertCode("input_too_large") {
            _ = try JweDecrypter(keys: [pw], options: JweDecryptOptions(allowPbes2MaxIterations: 10_000)).decrypt(token: token)
        }
        XCTAssertEqual(try JweDecrypter(keys: [pw], options: JweDecryptOptions(allowPbes2MaxIterations: 20_000))
            .decrypt(token: token).plaintext, Data([1]))
    }

    func testEcdhRejectsAnEphemeralKeyOffTheCurve() throws {
        let (encrypter, decrypter) = try pair(.ecdhEs, .a256gcm)
        let token = try encrypter.encrypt(plaintext: Data("x".utf8))
        var h = header(token)
        var epk = try XCTUnwrap(h["epk"] as? [String: Any])
        var y = try XCTUnwrap(b64uDecode(try XCTUnwrap(epk["y"] as? String)))
        y[y.count - 1] ^= 1
        epk["y"] = b64u(y)
        h["epk"] = epk
        // the epk is the token's: its flaws are token errors, never invalid_key
        assertCode("invalid_header") { _ = try decrypter.decrypt(token: try withHeader(token, h)) }
        h.removeValue(forKey: "epk")
        assertCode("invalid_header") { _ = try decrypter.decrypt(token: try withHeader(token, h)) }
    }

    func testCompressedPlaintextIsCapped() throws {
        let (encrypter, decrypter) = try pair(.dir, .a256gcm, header: "{\"zip\":\"DEF\"}")
        let bomb = try encrypter.encrypt(plaintext: Data(count: 2 * 1024 * 1024))
        XCTAssertLessThan(bomb.count, 20_000)
        assertCode("input_too_large") { _ = try decrypter.decrypt(token: bomb) }
    }

    func testAlteredTagsAndPartsFail() throws {
        for enc in ENCS {
            let (encrypter, decrypter) = try pair(.a128kw, enc)
            let token = try encrypter.encrypt(plaintext: Data("tamper".utf8))
            for i in 1...4 {
                assertCode("decryption_failed") { _ = try decrypter.decrypt(token: segment(token, i) { var d = $0; d[0] ^= 1; return d }) }
            }
            assertCode("decryption_failed") { _ = try decrypter.decrypt(token: segment(token, 4) { $0.dropLast() }) }
            assertCode("decryption_failed") { _ = try decrypter.decrypt(token: segment(token, 4) { _ in Data() }) }
        }
    }

    func testWrongKeySizeWrongEncOversizeCrit() throws {
        assertCode("invalid_key") {
            _ = try JweDecryptionKey.fromJwk(jwkJson: "{\"kty\":\"oct\",\"k\":\"\(b64u(Data(count: 15)))\"}", alg: .a128kw)
        }
        let k128 = try generateJweKey(alg: .dir, enc: .a128gcm)
        let token = try JweEncrypter.fromJwk(jwkJson: try generateJweKey(alg: .dir, enc: .a256gcm).privateJwk(), enc: .a256gcm)
            .encrypt(plaintext: Data([1]))
        // the token's enc does not fit the key: the token's error
        assertCode("algorithm_not_allowed") { _ = try JweDecrypter(keys: [k128]).decrypt(token: token) }
        let key = try generateJweKey(alg: .a128kw)
        let big = try JweEncrypter.fromJwk(jwkJson: try key.privateJwk(), enc: .a128gcm).encrypt(plaintext: Data(count: 2000))
        assertCode("input_too_large") {
            _ = try JweDecrypter(keys: [key], options: JweDecryptOptions(maxTokenBytes: 1000)).decrypt(token: big)
        }
        let crit = try JweEncrypter.fromJwk(jwkJson: try key.privateJwk(), enc: .a128gcm,
                                            headerJson: "{\"crit\":[\"x-policy\"],\"x-policy\":1}").encrypt(plaintext: Data([7]))
        assertCode("unsupported_critical_header") { _ = try JweDecrypter(keys: [key]).decrypt(token: crit) }
        XCTAssertEqual(try JweDecrypter(keys: [key], options: JweDecryptOptions(critical: ["x-policy"])).decrypt(token: crit).plaintext, Data([7]))
    }
}
