/// The types of ZongIR's virtual registers. Booleans and pointers have their own types so the
/// verifier can tell a condition from an integer and an address from a number; all three are
/// 32 bits wide in WASM.
public enum IRType: String, Hashable, Sendable {
    case i1, i32, i64, ptr
}

/// A virtual register: the result of one instruction or one block parameter (SSA, docs/ir.md).
public struct Value: Hashable, Sendable, Comparable {
    public let id: Int
    public init(_ id: Int) { self.id = id }
    public static func < (a: Value, b: Value) -> Bool { a.id < b.id }
}

/// A basic block of one function: an index into `IRFunction.blocks`.
public struct BlockID: Hashable, Sendable, Comparable {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: BlockID, b: BlockID) -> Bool { a.index < b.index }
}

/// A tstack slot of one function: an index into `IRFunction.slots`.
public struct SlotID: Hashable, Sendable {
    public let index: Int
    public init(_ index: Int) { self.index = index }
}

/// An index into `IRProgram.functions`.
public struct FunctionID: Hashable, Sendable {
    public let index: Int
    public init(_ index: Int) { self.index = index }
}

/// A Zong source position (1-based); line 0 means "no position".
public struct Location: Hashable, Sendable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static let none = Location(line: 0, column: 0)
}

/// How many bytes a load or store moves, and how a narrow load fills its register.
public struct MemoryWidth: Hashable, Sendable {
    /// 1, 2, 4 or 8.
    public var bytes: Int
    /// For loads narrower than the register: sign-extend (else zero-extend).
    public var signed: Bool
    public init(bytes: Int, signed: Bool) {
        self.bytes = bytes
        self.signed = signed
    }

    var text: String {
        bytes >= 4 ? "w\(bytes * 8)" : (signed ? "s" : "u") + "\(bytes * 8)"
    }
}

/// What a memory access may touch, so alias questions have answers:
/// - a `slot` address names one tstack slot of this function directly;
/// - `elements` is slice element storage (heap or static data), never a tstack slot;
/// - `any` is memory reached through a Zong pointer: the heap, static data or any slot whose
///   address was taken;
/// - `header` is a field of a slice header in memory (through a pointer, or in element storage
///   of a slice of slices). Zong cannot take the address of a header field nor reach one through
///   a pointer of another type, so only `header` accesses (and escaped slots) touch it.
public enum Region: String, Hashable, Sendable {
    case elements, any, header
}

/// The address of a load or store.
public enum Address: Hashable, Sendable {
    case slot(SlotID, offset: Int)
    case memory(Value, offset: Int, region: Region)

    public var base: Value? {
        if case .memory(let v, _, _) = self { return v }
        return nil
    }

    func mapBase(_ f: (Value) -> Value) -> Address {
        switch self {
        case .slot: self
        case .memory(let v, let o, let r): .memory(f(v), offset: o, region: r)
        }
    }
}
