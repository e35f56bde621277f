import Wasm
import ZongSema

/// How Zong values are represented (ARCHITECTURE.md "Memory layout"):
/// - integers narrower than 64 bits, Booleans and pointers are WASM i32 values; I64/U64 are i64;
/// - struct and slice values are the i32 address of their bytes;
/// - in memory, scalars take their natural size and alignment; a Boolean is one byte; a pointer
///   four; a slice is the 16-byte header `items: i32 @0, capacity: i32 @4, length: i64 @8`;
///   struct fields are laid out in order with natural alignment.
struct Layout {
    private(set) var structs: [String: StructLayout] = [:]

    struct StructLayout {
        var offsets: [Int]
        var size: Int
        var alignment: Int
    }

    static let sliceHeaderSize = 16

    init(_ program: TypedProgram) {
        var definitions: [String: StructDef] = [:]
        for s in program.structs { definitions[s.name] = s }
        for s in program.structs { _ = layout(of: s.name, definitions) }
    }

    /// Layouts are computed on demand in dependency order, so declaration order never matters.
    /// (Sema rejects by-value cycles, so the recursion terminates.)
    private mutating func layout(of name: String, _ definitions: [String: StructDef]) -> StructLayout {
        if let known = structs[name] { return known }
        var offsets: [Int] = []
        var offset = 0
        var alignment = 1
        for field in definitions[name]?.fields ?? [] {
            let (size, align) = sizeAndAlignment(field.type, definitions)
            offset = (offset + align - 1) / align * align
            offsets.append(offset)
            offset += size
            alignment = max(alignment, align)
        }
        let result = StructLayout(offsets: offsets, size: (offset + alignment - 1) / alignment * alignment, alignment: alignment)
        structs[name] = result
        return result
    }

    private mutating func sizeAndAlignment(_ t: ZType, _ definitions: [String: StructDef]) -> (Int, Int) {
        if case .structure(let name) = t {
            let l = layout(of: name, definitions)
            return (l.size, l.alignment)
        }
        let s = Self.scalarSize(t)
        return (s, s)
    }

    static func scalarSize(_ t: ZType) -> Int {
        switch t {
        case .integer(let i): i.bits / 8
        case .boolean: 1
        case .pointer: 4
        case .slice: sliceHeaderSize
        default: 4
        }
    }

    func size(_ t: ZType) -> Int {
        if case .structure(let name) = t { return structs[name]?.size ?? 0 }
        return Self.scalarSize(t)
    }

    /// The alignment a value of `t` has in memory (a slice header's widest field is 8 bytes).
    func alignment(_ t: ZType) -> Int {
        switch t {
        case .structure(let name): structs[name]?.alignment ?? 1
        case .slice: 8
        default: Self.scalarSize(t)
        }
    }

    func fieldOffset(_ structName: String, _ index: Int) -> Int {
        structs[structName]?.offsets[index] ?? 0
    }

    /// Struct and slice values live in memory and are passed around by address.
    static func isAggregate(_ t: ZType) -> Bool {
        switch t {
        case .structure, .slice: true
        default: false
        }
    }

    /// The WASM value type of a Zong value on the operand stack (nil for void).
    static func valueType(_ t: ZType) -> ValueType? {
        switch t {
        case .integer(let i): i.is64Bit ? .i64 : .i32
        case .void: nil
        default: .i32
        }
    }

    static func load(_ t: ZType, offset: Int) -> Instruction {
        let m = MemArg(align: 0, offset: UInt32(truncatingIfNeeded: offset))
        switch t {
        case .integer(.i8): return .load(.i32Load8S, m)
        case .integer(.u8), .boolean: return .load(.i32Load8U, m)
        case .integer(.i16): return .load(.i32Load16S, m)
        case .integer(.u16): return .load(.i32Load16U, m)
        case .integer(.i64), .integer(.u64): return .load(.i64Load, m)
        default: return .load(.i32Load, m)
        }
    }

    static func store(_ t: ZType, offset: Int) -> Instruction {
        let m = MemArg(align: 0, offset: UInt32(truncatingIfNeeded: offset))
        switch t {
        case .integer(.i8), .integer(.u8), .boolean: return .store(.i32Store8, m)
        case .integer(.i16), .integer(.u16): return .store(.i32Store16, m)
        case .integer(.i64), .integer(.u64): return .store(.i64Store, m)
        default: return .store(.i32Store, m)
        }
    }
}
