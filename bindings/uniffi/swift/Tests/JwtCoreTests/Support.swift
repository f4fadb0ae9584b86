// Helpers shared by the Swift tests (same roles as the Kotlin tests' Support.kt).
import Foundation
import XCTest
@testable import JwtCore

let NOW: Int64 = 1_700_000_000
let SECRET = Data((0..<32).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) })

/// Asserts that `block` throws a `JwtError` with `code`; returns it.
@discardableResult
func assertCode(_ code: String, file: StaticString = #filePath, line: UInt = #line,
                _ block: () throws -> Void) -> JwtError? {
    do {
        try block()
        XCTFail("expected \(code), got success", file: file, line: line)
        return nil
    } catch let e as JwtError {
        XCTAssertEqual(e.code, code, "detail: \(e.detail)", file: file, line: line)
        return e
    } catch {
        XCTFail("expected a JwtError, got \(error)", file: file, line: line)
        return nil
    }
}

func b64u(_ data: Data) -> String {
    data.base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

func b64u(_ text: String) -> String { b64u(Data(text.utf8)) }

func b64uDecode(_ text: String) -> Data? {
    var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while s.count % 4 != 0 { s += "=" }
    return Data(base64Encoded: s)
}

/// A JSON object string as a Foundation dictionary (for structural comparison).
func jsonObject(_ text: String) -> NSDictionary {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? NSDictionary ?? [:]
}
