// The Swift API end to end: the same ground as the Kotlin ApiTest.
import Foundation
import XCTest
@testable import JwtCore

final class ApiTests: XCTestCase {
    func testEveryAlgorithmGeneratesSignsAndVerifies() throws {
        let all: [Algorithm] = [.hs256, .hs384, .hs512, .rs256, .rs384, .rs512, .ps256, .ps384, .ps512,
                                .es256, .es384, .es512, .es256k, .edDsa]
        for alg in all {
            let key = try SigningKey.generate(alg: alg).withKid(kid: "k1")
            XCTAssertEqual(key.algorithm(), alg)
            let token = try Signer(key: key).sign(claimsJson: "{\"sub\":\"user-1\",\"exp\":\(NOW + 60),\"role\":\"admin\"}")
            let data = try Verifier.withKey(key: key.verifyingKey(), options: VerifierOptions()).verifyAt(token: token, now: NOW)
            XCTAssertEqual(data.header.alg, alg)
            XCTAssertEqual(data.header.kid, "k1")
            XCTAssertEqual(data.claims.sub, "user-1")
            XCTAssertEqual(data.claims.exp, NOW + 60)
            XCTAssertEqual(jsonObject(data.claimsJson)["role"] as? String, "admin")
            XCTAssertEqual(try algorithmFromName(name: algorithmName(alg: alg)), alg)
        }
    }

    func testRegisteredClaimsAreTypedAndAllClaimsComeAsJson() throws {
        let key = try SigningKey.hmac(alg: .hs256, secret: SECRET)
        let signer = try Signer.withOptions(key: key, options: SignerOptions(typ: "at+jwt", kid: "hs"))
        let claims = RegisteredClaims(iss: "https://auth.example", sub: "u", aud: ["api", "web"],
                                      exp: NOW + 600, nbf: NOW - 10, iat: NOW - 10, jti: "id-1")
        let token = try signer.signClaims(claims: claims, customJson: "{\"n\":1}")
        let verifier = try Verifier.withKey(key: key.verifyingKey(), options: VerifierOptions(
            issuers: ["https://auth.example"], audiences: ["web"], subject: "u",
            maxAgeSeconds: 60, typ: "at+jwt", claimsEqualJson: "{\"n\":1}"))
        let data = try verifier.verifyAt(token: token, now: NOW)
        XCTAssertEqual(data.claims, claims)
        XCTAssertEqual(data.header.typ, "at+jwt")
        XCTAssertEqual(jsonObject(data.claimsJson)["jti"] as? String, "id-1")
        assertCode("invalid_argument") { _ = try signer.sign(claimsJson: "[1]") }
    }

    func testPemDerJwkImportAndExport() throws {
        for alg in [Algorithm.es256, .edDsa, .rs256] {
            let key = try SigningKey.generate(alg: alg)
            let token = try Signer(key: key).sign(claimsJson: "{\"exp\":\(NOW + 5)}")
            let pem = try key.publicKeyPem()
            let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            let der = Data(base64Encoded: body)!
            for vk in [try VerifyingKey.fromPem(alg: alg, pem: pem),
                       try VerifyingKey.fromDer(alg: alg, der: der),
                       try VerifyingKey.fromJwk(jwkJson: key.publicJwk(), alg: nil)] {
                XCTAssertEqual(try vk.thumbprint(), try key.thumbprint())
                XCTAssertEqual(try Verifier.withKey(key: vk, options: VerifierOptions()).verifyAt(token: token, now: NOW).claims.exp, NOW + 5)
            }
            XCTAssertEqual(try SigningKey.fromPem(alg: alg, pem: key.privateKeyPem()).thumbprint(), try key.thumbprint())
            XCTAssertNil(jsonObject(try key.publicJwk())["d"])
        }
    }

    func testRfc7638ThumbprintVector() throws {
        let jwk = #"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#
        XCTAssertEqual(try jwkThumbprint(jwkJson: jwk), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    func testKeySetsSelectByKidAndExportPublicJwks() throws {
        let a = try SigningKey.generate(alg: .es256).withThumbprintKid()
        let h = try SigningKey.hmac(alg: .hs256, secret: SECRET).withKid(kid: "h")
        let set = KeySet(keys: [a.verifyingKey(), h.verifyingKey()])
        XCTAssertEqual(set.size(), 2)
        let jwks = try set.toPublicJwks()
        XCTAssertEqual((jsonObject(jwks)["keys"] as? [Any])?.count, 1, "HMAC keys never appear in a public JWKS")
        let verifier = try Verifier(keys: KeySet.fromJwks(jwksJson: jwks, defaultAlgs: []), options: VerifierOptions())
        let token = try Signer(key: a).sign(claimsJson: "{\"exp\":\(NOW + 5)}")
        XCTAssertEqual(try verifier.verifyAt(token: token, now: NOW).header.kid, a.kid())
    }

    func testUnverifiedInspectionIsClearlyNamed() throws {
        let key = try SigningKey.hmac(alg: .hs256, secret: SECRET).withKid(kid: "k")
        let token = try Signer(key: key).sign(claimsJson: "{\"sub\":\"x\",\"exp\":1}")
        XCTAssertEqual(try unverifiedHeader(token: token).kid, "k")
        XCTAssertEqual(jsonObject(try unverifiedDecode(token: token).claimsJson)["sub"] as? String, "x")
        assertCode("malformed_token") { _ = try unverifiedDecode(token: "a.b") }
    }

    func testErrorsCarryStableCodes() throws {
        XCTAssertTrue(errorCodes().contains("token_expired"))
        let e = assertCode("weak_key") { _ = try SigningKey.hmac(alg: .hs256, secret: Data(count: 8)) }
        if case .Key = e {} else { XCTFail("weak_key is a Key error") }
        let key = try SigningKey.hmac(alg: .hs256, secret: SECRET)
        let expired = try Signer(key: key).sign(claimsJson: "{\"exp\":1}")
        let c = assertCode("token_expired") { _ = try Verifier.withKey(key: key.verifyingKey(), options: VerifierOptions()).verifyAt(token: expired, now: NOW) }
        if case .Claims = c {} else { XCTFail("token_expired is a Claims error") }
    }

    func testARustPanicArrivesAsInternalError() throws {
        assertCode("internal_error") { try testingPanicIsCaught() }
        XCTAssertEqual(try algorithmFromName(name: "ES256"), .es256)
    }
}
