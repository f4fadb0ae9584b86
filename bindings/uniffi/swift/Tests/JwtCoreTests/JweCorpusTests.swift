// The shared JWE conformance corpus (crates/jwt-core/tests/corpus/jwe-corpus.json) case by
// case, as the Kotlin JweCorpusTest does: keys from JWKs (an import error is the outcome),
// one decrypter over all keys with the case's options, decrypt or decryptJson, plaintext
// and joint header compared, or the error code. Found from this file's path or from
// JWT_CORE_JWE_CORPUS; skipped when absent. Not compiled here (see docs/swift.md).
import Foundation
import XCTest
@testable import JwtCore

final class JweCorpusTests: XCTestCase {
    private func corpusURL() -> URL {
        if let env = ProcessInfo.processInfo.environment["JWT_CORE_JWE_CORPUS"] {
            return URL(fileURLWithPath: env)
        }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<6 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("crates/jwt-core/tests/corpus/jwe-corpus.json")
    }

    func testJweCorpus() throws {
        let url = corpusURL()
        guard let bytes = try? Data(contentsOf: url) else {
            throw XCTSkip("JWE conformance corpus not found at \(url.path)")
        }
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        XCTAssertEqual(root["version"] as? Int, 1)
        let cases = try XCTUnwrap(root["cases"] as? [[String: Any]])
        XCTAssertFalse(cases.isEmpty)
        var failures: [String] = []
        for c in cases {
            if let problem = run(c) { failures.append("\(c["id"] as? String ?? "?"): \(problem)") }
        }
        XCTAssertEqual(failures, [], "\(failures.count) of \(cases.count) JWE corpus cases differ")
    }

    /// nil when the case's outcome matches its expectation, else what differed.
    private func run(_ c: [String: Any]) -> String? {
        let expect = c["expect"] as? [String: Any] ?? [:]
        let outcome: Result<JweDecrypted, Error> = Result {
            let keys = try (c["keys"] as? [[String: Any]] ?? []).map { k -> JweDecryptionKey in
                let alg = try (k["alg"] as? String).map { try jweKeyAlgorithmFromName(name: $0) }
                let jwk = String(decoding: try JSONSerialization.data(withJSONObject: k["jwk"] ?? [:]), as: UTF8.self)
                return try JweDecryptionKey.fromJwk(jwkJson: jwk, alg: alg)
            }
            let decrypter = try JweDecrypter(keys: keys, options: try options(c["options"] as? [String: Any] ?? [:]))
            if let token = c["token"] as? String { return try decrypter.decrypt(token: token) }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: c["json"] ?? [:]), as: UTF8.self)
            return try decrypter.decryptJson(json: json)
        }
        switch (expect["ok"] as? Bool ?? false, outcome) {
        case (true, .success(let d)):
            if d.plaintext != b64uDecode(expect["plaintext_b64u"] as? String ?? "") { return "plaintext differs" }
            if let want = expect["header"] as? NSDictionary, !jsonObject(d.headerJson).isEqual(want) {
                return "header \(d.headerJson) != \(want)"
            }
            return nil
        case (true, .failure(let e)):
            return "expected success, got \((e as? JwtError)?.code ?? "\(e)")"
        case (false, .success):
            return "expected \(expect["error"] ?? "?"), got success"
        case (false, .failure(let e)):
            let code = (e as? JwtError)?.code ?? "\(e)"
            return code == expect["error"] as? String ? nil : "expected \(expect["error"] ?? "?"), got \(code)"
        }
    }

    private func options(_ o: [String: Any]) throws -> JweDecryptOptions {
        JweDecryptOptions(
            algorithms: try (o["algorithms"] as? [String])?.map { try jweKeyAlgorithmFromName(name: $0) },
            encryptions: try (o["encryptions"] as? [String])?.map { try jweContentEncryptionFromName(name: $0) },
            critical: o["critical"] as? [String] ?? [],
            allowPbes2MaxIterations: (o["allow_pbes2"] as? NSNumber)?.uint32Value,
            maxTokenBytes: (o["max_token_bytes"] as? NSNumber)?.uint64Value,
            maxPlaintextBytes: (o["max_plaintext_bytes"] as? NSNumber)?.uint64Value)
    }
}
