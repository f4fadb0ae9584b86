// Hand-written next to the uniffi-generated JwtCore.swift: each JwtError case carries
// `code` and `detail`; these give them on the error itself, so
// `catch let e as JwtError { e.code }` works whatever the family.

extension JwtError {
    /// The core's stable error code (`token_expired`, `invalid_signature`, ...).
    public var code: String {
        switch self {
        case let .Token(code, _), let .Signature(code, _), let .Key(code, _),
             let .Claims(code, _), let .Usage(code, _), let .Internal(code, _):
            return code
        }
    }

    /// The human-readable detail; may change between versions, unlike `code`.
    public var detail: String {
        switch self {
        case let .Token(_, detail), let .Signature(_, detail), let .Key(_, detail),
             let .Claims(_, detail), let .Usage(_, detail), let .Internal(_, detail):
            return detail
        }
    }
}
