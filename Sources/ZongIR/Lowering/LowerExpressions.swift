import ZongSema
import ZongSyntax

extension FunctionLowering {
    /// Evaluates an expression: scalars into a register, aggregates to an address holding
    /// their bytes (the place itself for lvalues, a temporary slot otherwise).
    mutating func lower(_ e: TExpr) -> Operand {
        locate(e.span)
        switch e.kind {
        case .integer(let bits):
            let t = DataLayout.registerType(e.type) ?? .i64
            return .scalar(b.constant(t, t == .i64 ? bits : UInt64(UInt32(truncatingIfNeeded: bits))))
        case .boolean(let v):
            return .scalar(b.constant(.i1, v ? 1 : 0))
        case .string(let bytes):
            return .aggregate(stringLiteral(bytes))
        case .local, .field, .dereference, .index:
            let address = place(e)
            if DataLayout.isAggregate(e.type) { return .aggregate(address) }
            locate(e.span)
            return .scalar(loadScalar(e.type, from: address))
        case .arithmetic(let op, let x, let y):
            return .scalar(arithmetic(op, x, y, e))
        case .comparison(let op, let x, let y):
            return .scalar(comparison(op, x, y))
        case .logicalAnd(let x, let y):
            return .scalar(shortCircuit(x, y, isAnd: true))
        case .logicalOr(let x, let y):
            return .scalar(shortCircuit(x, y, isAnd: false))
        case .convert(let x):
            return .scalar(convert(x, to: e.type))
        case .bitwise(let op, let x, let y):
            return .scalar(bitwise(op, x, y, e))
        case .shift(let op, let x, let n):
            return .scalar(shift(op, x, n, e))
        case .complement(let x):
            return .scalar(complement(x, e))
        case .negate(let x):
            let v = lower(x).value ?? b.constant(.i32, 0)
            locate(e.span)
            let t = DataLayout.registerType(e.type) ?? .i32
            let zero = b.constant(t, 0)
            return .scalar(normalize(b.value(.binary(.sub, t, zero, v), t), e.type))
        case .not(let x):
            let v = condition(x)
            locate(e.span)
            return .scalar(b.value(.not(v), .i1))
        case .addressOf(let x):
            return .scalar(addressOf(x))
        case .sliceLength(let base):
            let header = aggregateAddress(base)
            locate(e.span)
            return .scalar(loadLeaf(header, DataLayout.lengthOffset, .i64))
        case .call(let callee, let arguments, let parameterIndices):
            return call(callee, arguments, parameterIndices, e)
        case .construct(let name, let fields):
            return .aggregate(construct(name, fields, e))
        case .emptySlice:
            let temp = temporary(e.type, "[]")
            zero(e.type, at: .slot(temp, offset: 0))
            return .aggregate(.slot(temp, offset: 0))
        case .print(let x):
            let v = lower(x)
            locate(e.span)
            printValue(v.value, x.type)
            return .none
        case .printBytes(let x):
            let header = aggregateAddress(x)
            locate(e.span)
            let items = loadLeaf(header, DataLayout.itemsOffset, .ptr)
            let length = loadLeaf(header, DataLayout.lengthOffset, .i64)
            b.effect(.builtin(.printBytes, [items, length]))
            return .none
        case .readLine:
            let temp = temporary(e.type, "line")
            let address = b.value(.slotAddress(temp), .ptr)
            b.effect(.builtin(.readLine, [address]))
            return .aggregate(.slot(temp, offset: 0))
        case .append(let pointer, let value):
            append(pointer, value, e)
            return .none
        }
    }

    /// The address of an aggregate-typed expression's bytes.
    mutating func aggregateAddress(_ e: TExpr) -> Address {
        if case .aggregate(let a) = lower(e) { return a }
        let temp = temporary(e.type, "tmp")
        return .slot(temp, offset: 0)
    }

    mutating func loadLeaf(_ header: Address, _ offset: Int, _ type: IRType) -> Value {
        let width = MemoryWidth(bytes: type == .i64 ? 8 : 4, signed: false)
        return b.value(.load(type, width, header.field(offset)), type)
    }

    mutating func stringLiteral(_ bytes: [UInt8]) -> Address {
        // Copy on evaluation (LANGUAGE.md §4.7): writes through one evaluation's slice never
        // show in another.
        let index = context.intern(bytes)
        let items = b.value(.builtin(.string(index: index), []), .ptr)
        let temp = temporary(.slice(.integer(.u8)), "\"…\"")
        let header = Address.slot(temp, offset: 0)
        storeHeader(header, items: items, capacity: b.constant(.i32, UInt64(bytes.count)), length: b.constant(.i64, UInt64(bytes.count)))
        return header
    }

    mutating func storeHeader(_ header: Address, items: Value, capacity: Value, length: Value) {
        b.effect(.store(MemoryWidth(bytes: 4, signed: false), header.field(DataLayout.itemsOffset), items))
        b.effect(.store(MemoryWidth(bytes: 4, signed: false), header.field(DataLayout.capacityOffset), capacity))
        b.effect(.store(MemoryWidth(bytes: 8, signed: false), header.field(DataLayout.lengthOffset), length))
    }

    mutating func printValue(_ v: Value?, _ type: ZType) {
        guard let v else { return }
        switch type {
        case .integer(let i):
            b.effect(.builtin(.print(bits: i.bits, signed: i.isSigned), [v]))
        case .boolean:
            let n = b.value(.cast(.boolToI32, v), .i32)
            b.effect(.builtin(.print(bits: 8, signed: false), [n]))
        default:
            let n = b.value(.cast(.ptrToI32, v), .i32)
            b.effect(.builtin(.print(bits: 32, signed: false), [n]))
        }
    }

    mutating func construct(_ name: String, _ fields: [(index: Int, value: TExpr)], _ e: TExpr) -> Address {
        let values = fields.map { (index: $0.index, type: $0.value.type, operand: lower($0.value)) }
        locate(e.span)
        let temp = temporary(e.type, name)
        let base = Address.slot(temp, offset: 0)
        for field in values {
            store(field.type, field.operand, to: base.adding(layout.fieldOffset(name, field.index)))
        }
        return base
    }
}
