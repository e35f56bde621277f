/// A module W2C cannot translate: invalid, malformed, or using a feature outside WebAssembly 1.0
/// plus sign-extension, saturating truncation and bulk memory.
public struct W2CError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, lower-case, no final period.
    public let message: String
    /// Byte offset in the module where the problem was found, when known.
    public let offset: Int?
    /// WASM function index (imports included) whose body has the problem, when there is one.
    public let functionIndex: Int?

    public init(_ message: String, offset: Int? = nil, functionIndex: Int? = nil) {
        self.message = message
        self.offset = offset
        self.functionIndex = functionIndex
    }

    public var description: String {
        var text = "invalid module: \(message)"
        if let functionIndex { text += " (function \(functionIndex)" }
        if let offset { text += functionIndex == nil ? " (at byte offset \(offset))" : ", byte offset \(offset))" }
        else if functionIndex != nil { text += ")" }
        return text
    }
}

extension W2CError {
    /// WasmParser's error text without its own offset suffix (" at offset 0x4a") and final
    /// period, lower-case first: the offset is reported once, in decimal, by `description`.
    static func parserMessage(_ error: any Error) -> String {
        var text = "\(error)"
        if let range = text.firstRange(of: " at offset 0x") {
            let end = text[range.upperBound...].firstIndex { !$0.isHexDigit } ?? text.endIndex
            text.removeSubrange(range.lowerBound..<end)
        }
        text = text.replacing("\"", with: "").replacing(". Expected", with: ", expected")
        while text.hasSuffix(".") || text.hasSuffix(" ") { text.removeLast() }
        guard let first = text.first else { return "unreadable bytes" }
        return first.lowercased() + text.dropFirst()
    }

    /// The offset WasmParser put in its error text, if any.
    static func parserOffset(_ error: any Error) -> Int? {
        let text = "\(error)"
        guard let range = text.firstRange(of: " at offset 0x") else { return nil }
        let hex = text[range.upperBound...].prefix { $0.isHexDigit }
        return Int(hex, radix: 16)
    }
}

/// Every message text, alphabetical.
extension W2CError {
    static func callIndirectWithoutTable() -> String { "call_indirect without a table" }
    static func expectedType(_ expected: String, _ found: String, _ what: String) -> String {
        "type mismatch in \(what): expected \(expected), found \(found)"
    }
    static func stackUnderflow(_ what: String) -> String { "type mismatch: \(what) needs more operands than the stack holds" }
    static func unknown(_ what: String, _ index: UInt32) -> String { "unknown \(what) \(index)" }
    static func unsupported(_ what: String) -> String { "unsupported: \(what)" }
}
