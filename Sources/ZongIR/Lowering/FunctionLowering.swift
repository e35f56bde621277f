import ZongSema
import ZongSyntax

/// The lowering of one function: a builder, the slot of every local, the targets of the
/// enclosing loops.
struct FunctionLowering {
    let function: FunctionDef
    var context: LoweringContext
    var b: Builder
    var slots: [LocalVar: SlotID] = [:]
    /// (continue target, break target) of each enclosing loop, innermost last.
    var loops: [(header: BlockID, exit: BlockID)] = []
    /// The hidden result address of a function returning a struct or slice.
    var resultAddress: Value?
    var layout: DataLayout { context.layout }

    init(_ function: FunctionDef, context: LoweringContext, isEntry: Bool) {
        self.function = function
        self.context = context
        let signature = Signature(function, context.layout)
        let file = context.program.file
        let start = file.location(of: function.span.start)
        var f = IRFunction(name: function.name, parameterTypes: signature.parameterTypes, resultType: signature.resultType,
                           hasResultAddress: signature.hasResultAddress, location: Location(line: start.line, column: start.column),
                           isEntryPoint: isEntry)
        f.lengthParameters = signature.lengthParameters
        if function.isLibrary {
            f.isLibrary = true
            f.location = .none
        }
        _ = f.addBlock()
        f.blocks[0].parameters = signature.parameterTypes.map { f.newValue($0) }
        b = Builder(f)
    }

    mutating func run() -> IRFunction {
        locate(function.span)
        b.effect(.check(.tstack, []))
        var incoming = b.function.blocks[0].parameters
        if b.function.hasResultAddress { resultAddress = incoming.removeFirst() }
        var next = 0
        for p in function.parameters {
            let count = layout.passingTypes(p.type).count
            guard next + count <= incoming.count else { break }
            let values = Array(incoming[next..<(next + count)])
            next += count
            let slot = slot(for: p)
            if layout.passesLeaves(p.type) {
                for (leaf, v) in zip(layout.leaves(p.type), values) {
                    b.effect(.store(leaf.width, Address.slot(slot, offset: 0).leaf(leaf), v))
                }
            } else if let value = values.first, DataLayout.isAggregate(p.type) {
                copy(p.type, to: .slot(slot, offset: 0), from: .memory(value, offset: 0, region: .any))
            } else if let value = values.first {
                storeScalar(p.type, value, to: .slot(slot, offset: 0))
            }
        }
        lower(function.body)
        if !b.isTerminated {
            b.location = endLocation()
            b.terminate(function.returnType == .void || DataLayout.isAggregate(function.returnType) ? .returnValue(nil) : .unreachable)
        }
        return b.function
    }

    // MARK: Locations

    func location(_ span: SourceSpan) -> Location {
        // A library function's spans index the library's text, not the user's file.
        if function.isLibrary { return .none }
        let l = context.program.file.location(of: span.start)
        return Location(line: l.line, column: l.column)
    }

    mutating func locate(_ span: SourceSpan) {
        b.location = location(span)
    }

    func endLocation() -> Location {
        if function.isLibrary { return .none }
        let l = context.program.file.location(of: max(function.span.end - 1, function.span.start))
        return Location(line: l.line, column: l.column)
    }

    // MARK: Slots and leaves

    mutating func slot(for local: LocalVar) -> SlotID {
        if let s = slots[local] { return s }
        let s = b.addSlot(local.name, size: layout.size(local.type), alignment: layout.alignment(local.type))
        slots[local] = s
        return s
    }

    mutating func temporary(_ type: ZType, _ name: String) -> SlotID {
        b.addSlot(name, size: layout.size(type), alignment: layout.alignment(type))
    }

    /// Moves every leaf of an aggregate; all loads happen before the first store, so a copy
    /// between overlapping places is still a copy.
    mutating func copy(_ type: ZType, to: Address, from: Address) {
        let leaves = layout.leaves(type)
        let values = leaves.map { b.value(.load($0.type, $0.width, from.leaf($0)), $0.type) }
        for (leaf, v) in zip(leaves, values) {
            b.effect(.store(leaf.width, to.leaf(leaf), v))
        }
    }

    /// Struct fields zero, a slice empty (LANGUAGE.md: a `var` without initializer).
    mutating func zero(_ type: ZType, at address: Address) {
        for leaf in layout.leaves(type) {
            let z = b.constant(leaf.type, 0)
            b.effect(.store(leaf.width, address.leaf(leaf), z))
        }
    }

    mutating func storeScalar(_ type: ZType, _ value: Value, to address: Address) {
        b.effect(.store(DataLayout.width(type), address, value))
    }

    mutating func loadScalar(_ type: ZType, from address: Address) -> Value {
        let t = DataLayout.registerType(type) ?? .i32
        return b.value(.load(t, DataLayout.width(type), address), t)
    }

    /// Stores an evaluated value of `type` (scalar register or aggregate address) at `address`.
    mutating func store(_ type: ZType, _ operand: Operand, to address: Address) {
        switch operand {
        case .scalar(let v): storeScalar(type, v, to: address)
        case .aggregate(let from): copy(type, to: address, from: from)
        case .none: break
        }
    }
}

/// An evaluated expression: a scalar in a register, or where an aggregate's bytes are.
enum Operand {
    case scalar(Value)
    case aggregate(Address)
    case none

    var value: Value? {
        if case .scalar(let v) = self { return v }
        return nil
    }
}

extension Address {
    func adding(_ k: Int) -> Address {
        switch self {
        case .slot(let s, let o): .slot(s, offset: o + k)
        case .memory(let v, let o, let r): .memory(v, offset: o + k, region: r)
        }
    }

    /// A slice header's field at `k`: in memory its region is `header`, which only header
    /// accesses can touch.
    func field(_ k: Int) -> Address {
        switch self {
        case .slot(let s, let o): .slot(s, offset: o + k)
        case .memory(let v, let o, _): .memory(v, offset: o + k, region: .header)
        }
    }

    /// One leaf of an aggregate stored here.
    func leaf(_ leaf: DataLayout.Leaf) -> Address {
        leaf.isHeaderField ? field(leaf.offset) : adding(leaf.offset)
    }
}
