import ZongSema
import ZongSyntax

extension FunctionLowering {
    /// Arguments are evaluated once, left to right in source order, then bound to parameters.
    /// An aggregate argument is copied first (a later argument may change the original): into
    /// registers, one per leaf, for a Zong function (`Signature`), or into a temporary whose
    /// address travels, for an extern or an aggregate of many leaves; an aggregate result comes
    /// back through a temporary whose address is the hidden first argument.
    mutating func call(_ callee: Callee, _ arguments: [TExpr], _ parameterIndices: [Int], _ e: TExpr) -> Operand {
        var bound = [[Value]?](repeating: nil, count: arguments.count)
        let external: Bool
        if case .external = callee { external = true } else { external = false }
        for (k, argument) in arguments.enumerated() {
            let v = lower(argument)
            var passed: [Value]
            switch v {
            case .scalar(let r): passed = [r]
            case .aggregate(let from) where !external && layout.passesLeaves(argument.type):
                passed = layout.leaves(argument.type).map { b.value(.load($0.type, $0.width, from.leaf($0)), $0.type) }
            case .aggregate(let from):
                let temp = temporary(argument.type, "arg")
                copy(argument.type, to: .slot(temp, offset: 0), from: from)
                passed = [b.value(.slotAddress(temp), .ptr)]
            case .none: passed = [b.constant(.i32, 0)]
            }
            let p = k < parameterIndices.count ? parameterIndices[k] : k
            if p >= 0, p < bound.count { bound[p] = passed }
        }
        var values = bound.compactMap { $0 }.flatMap { $0 }
        locate(e.span)
        switch callee {
        case .external(let index):
            let resultType = DataLayout.registerType(e.type)
            let r = b.emit(.callExtern(index, values), resultType)
            return r.map(Operand.scalar) ?? .none
        case .function(let f):
            guard let id = context.functionIDs[ObjectIdentifier(f)] else { return .none }
            if DataLayout.isAggregate(f.returnType) {
                let temp = temporary(f.returnType, "result")
                values.insert(b.value(.slotAddress(temp), .ptr), at: 0)
                b.effect(.call(id, values))
                return .aggregate(.slot(temp, offset: 0))
            }
            let r = b.emit(.call(id, values), DataLayout.registerType(f.returnType))
            return r.map(Operand.scalar) ?? .none
        }
    }

    /// `append(p, v)`: when the length has reached the capacity, grow the items to twice the
    /// capacity (the first time, to `firstCapacity`); store the element; bump the length. Every header field is a
    /// visible load or store, so a promoted slice header keeps its fields in registers. For
    /// `append(s&, v)` the header is addressed as the place `s` itself, so `s` stays
    /// promotable.
    /// The first allocation holds 16 bytes' worth of elements, and at least one: a slice of
    /// one struct (how Zong allocates a single heap object) costs one element's room, not
    /// four, while a byte string still starts with room for 16.
    static func firstCapacity(elementSize: Int) -> Int {
        max(1, 16 / max(elementSize, 1))
    }

    mutating func append(_ pointer: TExpr, _ value: TExpr, _ e: TExpr) {
        let header: Address
        if case .addressOf(let target) = pointer.kind, isPlace(target) {
            header = place(target)
        } else {
            let p = lower(pointer).value ?? b.constant(.ptr, 0)
            header = .memory(p, offset: 0, region: .any)
        }
        let v = lower(value)
        locate(e.span)
        let items = loadLeaf(header, DataLayout.itemsOffset, .ptr)
        let capacity = loadLeaf(header, DataLayout.capacityOffset, .i32)
        let length = loadLeaf(header, DataLayout.lengthOffset, .i64)
        let wideCapacity = b.value(.cast(.extendU, capacity), .i64)
        let full = b.value(.compare(.eq, .i64, length, wideCapacity), .i1)
        let grow = b.newBlock()
        let store = b.newBlock(parameters: [.ptr])
        b.terminate(.conditionalBranch(full, then: Edge(grow), else: Edge(store, [items])))
        b.position(at: grow)
        // newCapacity = capacity * 2, or the first capacity when empty, without a branch.
        let elementSize = layout.size(value.type)
        let one = b.constant(.i32, 1)
        let doubled = b.value(.binary(.shl, .i32, capacity, one), .i32)
        let zero = b.constant(.i32, 0)
        let empty = b.value(.cast(.boolToI32, b.value(.compare(.eq, .i32, capacity, zero), .i1)), .i32)
        let first = b.constant(.i32, UInt64(Self.firstCapacity(elementSize: elementSize)))
        let newCapacity = b.value(.binary(.or, .i32, doubled, b.value(.binary(.mul, .i32, empty, first), .i32)), .i32)
        let grown = b.value(.builtin(.grow(elementSize: elementSize), [items, length, capacity, newCapacity]), .ptr)
        b.effect(.store(MemoryWidth(bytes: 4, signed: false), header.field(DataLayout.itemsOffset), grown))
        b.effect(.store(MemoryWidth(bytes: 4, signed: false), header.field(DataLayout.capacityOffset), newCapacity))
        b.terminate(.branch(Edge(store, [grown])))
        b.position(at: store)
        let currentItems = b.function.blocks[store.index].parameters[0]
        let slot = b.value(.elementAddress(currentItems, length, scale: elementSize), .ptr)
        self.store(value.type, v, to: .memory(slot, offset: 0, region: .elements))
        let oneElement = b.constant(.i64, 1)
        let newLength = b.value(.binary(.add, .i64, length, oneElement), .i64)
        b.effect(.store(MemoryWidth(bytes: 8, signed: false), header.field(DataLayout.lengthOffset), newLength))
    }

    func isPlace(_ e: TExpr) -> Bool {
        switch e.kind {
        case .local, .field, .dereference, .index: true
        default: false
        }
    }
}
