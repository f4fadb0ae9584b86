// The attack classes of SECURITY.md through the Swift API (the Kotlin SecurityTest is
// the fuller set; the corpus covers every class in every language).
import CryptoKit
import Foundation
import XCTest
@testable import JwtCore

final class SecurityTests: XCTestCase {
    private let exp = "\"exp\":\(NOW + 60)"

    /// A compact JWS over attacker-chosen header and payload text, HMAC-signed with
    /// CryptoKit (the way an attacker holding the secret, or a peer library, would).
    private func hs(_ payload: String, header: String = #"{"alg":"HS256","typ":"JWT"}"#) throws -> String {
        let input = b64u(header) + "." + b64u(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: SECRET))
        return input + "." + b64u(Data(mac))
    }

    private func verify(_ token: String, _ options: VerifierOptions = VerifierOptions()) throws -> VerifiedToken {
        try Verifier.withKey(key: VerifyingKey.hmac(alg: .hs256, secret: SECRET), options: options).verifyAt(token: token, now: NOW)
    }

    func testAlgNoneInAnySpelling() throws {
        for alg in ["none", "None", "NONE", "nOnE"] {
            let unsigned = b64u("{\"alg\":\"\(alg)\"}") + "." + b64u("{\(exp)}")
            assertCode("unsupported_algorithm") { _ = try self.verify(unsigned + ".") }
            assertCode("unsupported_algorithm") { _ = try algorithmFromName(name: alg) }
        }
    }

    func testPublicKeysNeverBecomeHmacSecrets() throws {
        let ec = try SigningKey.generate(alg: .es256)
        let pem = try ec.publicKeyPem()
        assertCode("key_algorithm_mismatch") { _ = try VerifyingKey.hmac(alg: .hs256, secret: Data(pem.utf8)) }
        assertCode("key_algorithm_mismatch") { _ = try VerifyingKey.fromPem(alg: .hs256, pem: pem) }
        assertCode("key_algorithm_mismatch") { _ = try VerifyingKey.fromJwk(jwkJson: ec.publicJwk(), alg: .hs256) }
    }

    func testEcdsaPsychicSignatureAndWeakKeys() throws {
        let key = try SigningKey.generate(alg: .es256)
        let token = try Signer(key: key).sign(claimsJson: "{\(exp)}")
        let parts = token.split(separator: ".")
        let zero = parts[0] + "." + parts[1] + "." + b64u(Data(count: 64))
        assertCode("invalid_signature") { _ = try Verifier.withKey(key: key.verifyingKey(), options: VerifierOptions()).verifyAt(token: String(zero), now: NOW) }
        assertCode("weak_key") { _ = try SigningKey.hmac(alg: .hs256, secret: Data(count: 31)) }
    }

    func testHeaderRules() throws {
        assertCode("unsupported_critical_header") { _ = try self.verify(try self.hs("{\(self.exp)}", header: #"{"alg":"HS256","crit":["x"],"x":1}"#)) }
        assertCode("invalid_type") { _ = try self.verify(try self.hs("{\(self.exp)}"), VerifierOptions(typ: "at+jwt")) }
        assertCode("duplicate_member") { _ = try self.verify(try self.hs("{\(self.exp),\"a\":1,\"a\":2}")) }
    }

    func testClaims() throws {
        assertCode("missing_claim") { _ = try self.verify(try self.hs("{\"sub\":\"x\"}")) }
        assertCode("token_expired") { _ = try self.verify(try self.hs("{\"exp\":\(NOW - 1)}")) }
        assertCode("invalid_claim") { _ = try self.verify(try self.hs("{\"exp\":\"\(NOW + 60)\"}")) }
        assertCode("invalid_issuer") { _ = try self.verify(try self.hs("{\(self.exp),\"iss\":\"https://a.example.evil\"}"), VerifierOptions(issuers: ["https://a.example"])) }
        assertCode("invalid_audience") { _ = try self.verify(try self.hs("{\(self.exp),\"aud\":\"apis\"}"), VerifierOptions(audiences: ["api"])) }
    }

    func testParsing() throws {
        for bad in ["", "a.b", "a.b.c.d"] {
            assertCode("malformed_token") { _ = try self.verify(bad) }
        }
    }
}
