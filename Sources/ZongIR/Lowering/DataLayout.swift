import ZongSema

/// How Zong values sit in linear memory (ARCHITECTURE.md "Memory layout"): scalars take their
/// natural size and alignment, a Boolean one byte, a pointer four, a slice the 16-byte header
/// `items: ptr @0, capacity: i32 @4, length: i64 @8`; struct fields in order with natural
/// alignment. A value's *leaves* are its scalars with their offsets: struct copies, zeroing and
/// parameter passing move leaves, so every byte an aggregate has is a load or store a pass can
/// see (and promote).
public struct DataLayout: Sendable {
    public struct Leaf: Hashable, Sendable {
        public var offset: Int
        public var width: MemoryWidth
        public var type: IRType
        /// Part of a slice header (items, capacity or length), wherever the header is.
        public var isHeaderField = false
    }

    struct StructInfo {
        var offsets: [Int]
        var size: Int
        var alignment: Int
        var leaves: [Leaf]
    }

    private var structs: [String: StructInfo] = [:]

    public static let sliceHeaderSize = 16
    public static let itemsOffset = 0
    public static let capacityOffset = 4
    public static let lengthOffset = 8

    public init(_ program: TypedProgram) {
        var definitions: [String: StructDef] = [:]
        for s in program.structs { definitions[s.name] = s }
        for s in program.structs { _ = info(s.name, definitions) }
    }

    /// Computed on demand in dependency order (Sema rejects by-value cycles).
    private mutating func info(_ name: String, _ definitions: [String: StructDef]) -> StructInfo {
        if let known = structs[name] { return known }
        var result = StructInfo(offsets: [], size: 0, alignment: 1, leaves: [])
        var offset = 0
        for field in definitions[name]?.fields ?? [] {
            let (size, align, leaves): (Int, Int, [Leaf])
            if case .structure(let inner) = field.type {
                let i = info(inner, definitions)
                (size, align, leaves) = (i.size, i.alignment, i.leaves)
            } else {
                (size, align, leaves) = (Self.scalarSize(field.type), Self.scalarAlignment(field.type), Self.scalarLeaves(field.type))
            }
            offset = (offset + align - 1) / align * align
            result.offsets.append(offset)
            result.leaves += leaves.map { Leaf(offset: $0.offset + offset, width: $0.width, type: $0.type, isHeaderField: $0.isHeaderField) }
            offset += size
            result.alignment = max(result.alignment, align)
        }
        result.size = (offset + result.alignment - 1) / result.alignment * result.alignment
        structs[name] = result
        return result
    }

    static func scalarSize(_ t: ZType) -> Int {
        switch t {
        case .integer(let i): i.bits / 8
        case .boolean: 1
        case .slice: sliceHeaderSize
        default: 4
        }
    }

    static func scalarAlignment(_ t: ZType) -> Int {
        if case .slice = t { return 8 }
        return scalarSize(t)
    }

    static func scalarLeaves(_ t: ZType) -> [Leaf] {
        if case .slice = t {
            return [
                Leaf(offset: itemsOffset, width: MemoryWidth(bytes: 4, signed: false), type: .ptr, isHeaderField: true),
                Leaf(offset: capacityOffset, width: MemoryWidth(bytes: 4, signed: false), type: .i32, isHeaderField: true),
                Leaf(offset: lengthOffset, width: MemoryWidth(bytes: 8, signed: false), type: .i64, isHeaderField: true),
            ]
        }
        guard let type = registerType(t) else { return [] }
        return [Leaf(offset: 0, width: width(t), type: type)]
    }

    public func size(_ t: ZType) -> Int {
        if case .structure(let name) = t { return structs[name]?.size ?? 0 }
        return Self.scalarSize(t)
    }

    public func alignment(_ t: ZType) -> Int {
        if case .structure(let name) = t { return structs[name]?.alignment ?? 1 }
        return Self.scalarAlignment(t)
    }

    public func fieldOffset(_ structName: String, _ index: Int) -> Int {
        guard let offsets = structs[structName]?.offsets, index >= 0, index < offsets.count else { return 0 }
        return offsets[index]
    }

    public func leaves(_ t: ZType) -> [Leaf] {
        if case .structure(let name) = t { return structs[name]?.leaves ?? [] }
        return Self.scalarLeaves(t)
    }

    /// Struct and slice values live in memory and are handled by address.
    public static func isAggregate(_ t: ZType) -> Bool {
        switch t {
        case .structure, .slice: true
        default: false
        }
    }

    /// The register type of a scalar Zong value (nil for aggregates and void).
    public static func registerType(_ t: ZType) -> IRType? {
        switch t {
        case .integer(let i): i.is64Bit ? .i64 : .i32
        case .boolean: .i1
        case .pointer: .ptr
        default: nil
        }
    }

    /// Aggregates of at most this many leaves are passed to Zong functions leaf by leaf.
    public static let maximumPassedLeaves = 8

    /// Whether an argument of type `t` travels as its leaves (see `Signature`).
    public func passesLeaves(_ t: ZType) -> Bool {
        Self.isAggregate(t) && leaves(t).count <= Self.maximumPassedLeaves
    }

    /// The registers an argument of type `t` travels in to a Zong function.
    public func passingTypes(_ t: ZType) -> [IRType] {
        if passesLeaves(t) { return leaves(t).map(\.type) }
        return Self.passingType(t).map { [$0] } ?? []
    }

    /// The register type a value of `t` travels in across a call to an extern (aggregates by
    /// address).
    public static func passingType(_ t: ZType) -> IRType? {
        isAggregate(t) ? .ptr : registerType(t)
    }

    static func width(_ t: ZType) -> MemoryWidth {
        switch t {
        case .integer(let i): MemoryWidth(bytes: i.bits / 8, signed: i.isSigned)
        case .boolean: MemoryWidth(bytes: 1, signed: false)
        default: MemoryWidth(bytes: 4, signed: false)
        }
    }
}
