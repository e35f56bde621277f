/// The eight built-in integer types (LANGUAGE.md §4.1).
public enum IntegerType: String, CaseIterable, Hashable, Sendable {
    case i8 = "I8", i16 = "I16", i32 = "I32", i64 = "I64"
    case u8 = "U8", u16 = "U16", u32 = "U32", u64 = "U64"

    public var bits: Int {
        switch self {
        case .i8, .u8: 8
        case .i16, .u16: 16
        case .i32, .u32: 32
        case .i64, .u64: 64
        }
    }

    public var isSigned: Bool {
        switch self {
        case .i8, .i16, .i32, .i64: true
        case .u8, .u16, .u32, .u64: false
        }
    }

    /// Whether values live in a WASM i64 (else i32).
    public var is64Bit: Bool { bits == 64 }

    /// Smallest value, as a signed magnitude pair: (isNegative, magnitude).
    public var minimum: (negative: Bool, magnitude: UInt64) {
        isSigned ? (true, UInt64(1) << UInt64(bits - 1)) : (false, 0)
    }

    /// Largest value.
    public var maximum: UInt64 {
        switch (isSigned, bits) {
        case (false, 64): UInt64.max
        case (false, let b): (UInt64(1) << UInt64(b)) - 1
        case (true, let b): (UInt64(1) << UInt64(b - 1)) - 1
        }
    }
}

/// A Zong type as Sema sees it (LANGUAGE.md §4). Structs are nominal: `.structure("Point")`
/// names an entry of `TypedProgram.structs`.
public indirect enum ZType: Hashable, Sendable, CustomStringConvertible {
    case integer(IntegerType)
    case boolean
    /// The compile-time type of an integer literal before context resolves it (§4.3).
    /// Never reaches Codegen.
    case integerLiteral
    case pointer(ZType)
    case slice(ZType)
    case structure(String)
    /// The "type" of a call to a function without a return type. Never a value.
    case void
    /// The type of an expression that already failed to check; suppresses cascades.
    /// Never reaches Codegen.
    case error

    /// Spelling used in messages (§4.9).
    public var description: String {
        switch self {
        case .integer(let t): t.rawValue
        case .boolean: "Boolean"
        case .integerLiteral: "Integer"
        case .pointer(let t): "\(t)*"
        case .slice(let t): "\(t)[]"
        case .structure(let name): name
        case .void: "void"
        case .error: "<error>"
        }
    }

    public var isInteger: Bool {
        if case .integer = self { return true }
        return false
    }

    public var integerType: IntegerType? {
        if case .integer(let t) = self { return t }
        return nil
    }
}
