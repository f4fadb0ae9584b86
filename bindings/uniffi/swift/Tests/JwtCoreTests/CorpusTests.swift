// The shared conformance corpus (crates/jwt-core/tests/corpus/corpus.json) case by case,
// following the corpus README's "How to run a case". Found from this file's path, or
// from JWT_CORE_CORPUS; skipped with a message when absent.
import Foundation
import XCTest
@testable import JwtCore

final class CorpusTests: XCTestCase {
    private func corpusURL() -> URL {
        if let env = ProcessInfo.processInfo.environment["JWT_CORE_CORPUS"] {
            return URL(fileURLWithPath: env)
        }
        // bindings/uniffi/swift/Tests/JwtCoreTests/CorpusTests.swift -> the repository root
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<6 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("crates/jwt-core/tests/corpus/corpus.json")
    }

    func testCorpus() throws {
        let url = corpusURL()
        guard let bytes = try? Data(contentsOf: url) else {
            throw XCTSkip("conformance corpus not found at \(url.path)")
        }
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        XCTAssertEqual(root["version"] as? Int, 1)
        let defaultNow = try XCTUnwrap((root["now"] as? NSNumber)?.int64Value)
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        XCTAssertFalse(cases.isEmpty)
        var failures: [String] = []
        for c in cases {
            let id = c["id"] as? String ?? "?"
            if let problem = run(c, defaultNow: defaultNow) {
                failures.append("\(id): \(problem)")
            }
        }
        XCTAssertEqual(failures, [], "\(failures.count) of \(cases.count) corpus cases differ")
    }

    /// nil when the case's outcome matches its expectation, else what differed.
    private func run(_ c: [String: Any], defaultNow: Int64) -> String? {
        let now = (c["now"] as? NSNumber)?.int64Value ?? defaultNow
        let expect = c["expect"] as? [String: Any] ?? [:]
        let outcome: Result<String, Error> = Result {
            let keys = try (c["keys"] as? [[String: Any]] ?? []).map(buildKey)
            let options = try options(c["validation"] as? [String: Any] ?? [:])
            return try Verifier(keys: KeySet(keys: keys), options: options)
                .verifyAt(token: c["token"] as? String ?? "", now: now).claimsJson
        }
        switch (expect["ok"] as? Bool ?? false, outcome) {
        case (true, .success(let claims)):
            let want = expect["claims"] as? NSDictionary ?? [:]
            return jsonObject(claims).isEqual(want) ? nil : "claims \(claims) != \(want)"
        case (true, .failure(let e)):
            return "expected success, got \((e as? JwtError)?.code ?? "\(e)")"
        case (false, .success):
            return "expected \(expect["error"] ?? "?"), got success"
        case (false, .failure(let e)):
            let code = (e as? JwtError)?.code ?? "\(e)"
            return code == expect["error"] as? String ? nil : "expected \(expect["error"] ?? "?"), got \(code)"
        }
    }

    private func buildKey(_ k: [String: Any]) throws -> VerifyingKey {
        let alg = try (k["alg"] as? String).map { try algorithmFromName(name: $0) }
        if let jwk = k["jwk"] {
            let text = String(decoding: try JSONSerialization.data(withJSONObject: jwk), as: UTF8.self)
            return try VerifyingKey.fromJwk(jwkJson: text, alg: alg)
        }
        var key: VerifyingKey
        if let pem = k["pem"] as? String {
            key = try VerifyingKey.fromPem(alg: try XCTUnwrap(alg), pem: pem)
        } else if let secret = k["secret_b64u"] as? String {
            let bytes = try XCTUnwrap(b64uDecode(secret))
            key = (k["allow_short"] as? Bool ?? false)
                ? try VerifyingKey.hmacAllowShort(alg: try XCTUnwrap(alg), secret: bytes)
                : try VerifyingKey.hmac(alg: try XCTUnwrap(alg), secret: bytes)
        } else {
            throw XCTSkip("unknown key form \(k.keys)")
        }
        if let kid = k["kid"] as? String { key = key.withKid(kid: kid) }
        return key
    }

    private func strings(_ v: Any?) -> [String]? {
        if let s = v as? String { return [s] }
        return v as? [String]
    }

    private func options(_ v: [String: Any]) throws -> VerifierOptions {
        let claimsEqual = try v["claims_equal"].map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self)
        }
        return VerifierOptions(
            algorithms: try strings(v["algorithms"])?.map { try algorithmFromName(name: $0) },
            issuers: strings(v["issuer"]),
            audiences: strings(v["audience"]),
            subject: v["subject"] as? String,
            leewaySeconds: (v["leeway"] as? NSNumber)?.uint64Value ?? 0,
            requiredClaims: strings(v["required_claims"]),
            maxAgeSeconds: (v["max_age"] as? NSNumber)?.uint64Value,
            typ: v["typ"] as? String,
            critical: strings(v["critical"]) ?? [],
            claimsEqualJson: claimsEqual
        )
    }
}
