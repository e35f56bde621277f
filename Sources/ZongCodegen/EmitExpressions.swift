import Wasm
import ZongSema
import ZongSyntax

extension FunctionGenerator {
    /// Pushes the value of `e`: a scalar, or the i32 address of a struct or slice.
    func expression(_ e: TExpr) {
        if case .field(let base, let index) = e.kind, let (_, locals) = registerStruct(base) {
            f.emit(.localGet(locals[index]))
            return
        }
        switch e.kind {
        case .integer(let bits):
            if e.type.integerType?.is64Bit == true {
                f.emit(.i64Const(Int64(bitPattern: bits)))
            } else {
                f.emit(.i32Const(Int32(truncatingIfNeeded: bits)))
            }
        case .boolean(let b):
            f.emit(.i32Const(b ? 1 : 0))
        case .string(let bytes):
            string(bytes, e.span)
        case .local(let v):
            if let index = localIndex[v] {
                f.emit(.localGet(index))
            } else if Layout.isAggregate(v.type) {
                materialize(address(of: e))
            } else {
                let offset = address(of: e)
                f.emit(Layout.load(v.type, offset: offset))
            }
        case .arithmetic(let op, let a, let b):
            arithmetic(op, a, b, e.type.integerType ?? .i64, e.span)
        case .comparison(let op, let a, let b):
            comparison(op, a, b)
        case .logicalAnd(let a, let b):
            expression(a)
            f.emit(.if(.value(.i32)))
            expression(b)
            f.emit([.else, .i32Const(0), .end])
        case .logicalOr(let a, let b):
            expression(a)
            f.emit([.if(.value(.i32)), .i32Const(1), .else])
            expression(b)
            f.emit(.end)
        case .negate(let a):
            let type = e.type.integerType ?? .i64
            f.emit(type.is64Bit ? .i64Const(0) : .i32Const(0))
            expression(a)
            f.emit(.numeric(type.is64Bit ? .i64Sub : .i32Sub))
            normalize(type)
        case .not(let a):
            expression(a)
            f.emit(.numeric(.i32Eqz))
        case .convert(let a):
            convert(a, to: e.type.integerType ?? .i64)
        case .bitwise(let op, let a, let b):
            let wide = e.type.integerType?.is64Bit ?? true
            expression(a)
            expression(b)
            switch op {
            case .and: f.emit(.numeric(wide ? .i64And : .i32And))
            case .or: f.emit(.numeric(wide ? .i64Or : .i32Or))
            case .xor: f.emit(.numeric(wide ? .i64Xor : .i32Xor))
            case .andNot:
                f.emit([wide ? .i64Const(-1) : .i32Const(-1), .numeric(wide ? .i64Xor : .i32Xor), .numeric(wide ? .i64And : .i32And)])
            }
            // Each result bit depends on the operands' same bit, so normalized operands give a
            // normalized result.
        case .complement(let a):
            let t = e.type.integerType ?? .i64
            expression(a)
            f.emit([t.is64Bit ? .i64Const(-1) : .i32Const(-1), .numeric(t.is64Bit ? .i64Xor : .i32Xor)])
            if !t.isSigned { normalize(t) }  // a sign-extended value stays sign-extended
        case .shift(let op, let a, let n):
            shift(op, a, n, e.type.integerType ?? .i64, e.span)
        case .addressOf(let x):
            addressOf(x)
        case .dereference, .field, .index:
            let offset = address(of: e)
            if Layout.isAggregate(e.type) {
                materialize(offset)
            } else {
                f.emit(Layout.load(e.type, offset: offset))
            }
        case .sliceLength(let slice):
            if let cached = cachedHeader(slice) {
                f.emit(.localGet(cached.length))
                return
            }
            let offset = address(of: slice)
            f.emit(.load(.i64Load, MemArg(align: 3, offset: UInt32(offset + 8))))
        case .call(let callee, let arguments, let indices):
            call(callee, arguments, indices, e.type, target: shortCloneTarget(e))
        case .construct(let name, let fields):
            construct(name, fields)
        case .emptySlice:
            let offset = slot(Layout.sliceHeaderSize)
            zeroHeader(offset)
            pushSlotAddress(offset)
        case .print(let x):
            print(x)
        case .printBytes(let s):
            printBytes(s)
        case .readLine:
            let offset = slot(Layout.sliceHeaderSize)
            pushSlotAddress(offset)
            pushSite(e.span)
            f.emit(.call(g.builtin(.readLine)))
            pushSlotAddress(offset)
        case .append(let target, let value):
            append(target, value, e.span)
        }
    }

    /// Pushes the base address of a location and returns the constant offset to add to it.
    /// For an rvalue struct or slice, the base is its temporary's address and the offset 0.
    func address(of e: TExpr) -> Int {
        switch e.kind {
        case .local(let v):
            if let a = parameterAddress[v] {
                f.emit(.localGet(a))
                return 0
            }
            if let (_, locals) = registerStruct(e) {
                let offset = spill(v, locals)
                f.emit(.localGet(f.framePointer))
                return offset
            }
            if let offset = slotOffset[v] {
                f.emit(.localGet(f.framePointer))
                return offset
            }
        case .field(let base, let index):
            guard case .structure(let name) = base.type else { break }
            return address(of: base) + layout.fieldOffset(name, index)
        case .index(let slice, let index):
            elementAddress(slice, index, e.span)
            return 0
        case .dereference(let pointer):
            expression(pointer)
            return 0
        default:
            break
        }
        // An rvalue: aggregates evaluate to their address; a scalar goes to a fresh cell.
        if Layout.isAggregate(e.type) {
            expression(e)
            return 0
        }
        let offset = slot(layout.size(e.type))
        f.emit(.localGet(f.framePointer))
        expression(e)
        f.emit(Layout.store(e.type, offset: offset))
        f.emit(.localGet(f.framePointer))
        return offset
    }

    /// Adds a pending constant offset to the address on the stack.
    func materialize(_ offset: Int) {
        if offset != 0 { f.emit([.i32Const(Int32(truncatingIfNeeded: offset)), .numeric(.i32Add)]) }
    }

    /// With a base address on the stack: stores `value` at base + offset (copying aggregates).
    func store(offset: Int, type: ZType, value: TExpr) {
        if Layout.isAggregate(type), producesFields(value) {
            storeProducedFields(offset: offset, value: value)
        } else if Layout.isAggregate(type) {
            materialize(offset)
            expression(value)
            copyAggregate(type)
        } else {
            expression(value)
            f.emit(Layout.store(type, offset: offset))
        }
    }

    /// The address of element `index` of `slice`, after the bounds check (LANGUAGE.md §10.5).
    private func elementAddress(_ slice: TExpr, _ index: TExpr, _ span: SourceSpan) {
        guard case .slice(let element) = slice.type else { return }
        if uncheckedElementAddress(slice, index, elementSize: layout.size(element)) { return }
        // The header's fields: from locals loaded before the loop, or read through its address.
        let items: [Instruction], length: [Instruction]
        if let cached = cachedHeader(slice) {
            (items, length) = ([.localGet(cached.items)], [.localGet(cached.length)])
        } else {
            let header = temp(.i32)
            materialize(address(of: slice))
            f.emit(.localSet(header))
            items = [.localGet(header), .load(.i32Load, MemArg(align: 2, offset: 0))]
            length = [.localGet(header), .load(.i64Load, MemArg(align: 3, offset: 8))]
        }
        let i = temp(.i64)
        expression(index)
        f.emit([.localTee(i)] + length + [.numeric(.i64GeU), .if(.empty), .localGet(i)] + length)
        pushSite(span)
        f.emit([.call(g.builtin(.panicIndex)), .unreachable, .end])
        f.emit(items + [.localGet(i), .numeric(.i32WrapI64)])
        let size = layout.size(element)
        if size != 1 { f.emit([.i32Const(Int32(size)), .numeric(.i32Mul)]) }
        f.emit(.numeric(.i32Add))
    }

    private func addressOf(_ x: TExpr) {
        if Layout.isAggregate(x.type) {
            materialize(address(of: x))
            return
        }
        switch x.kind {
        case .local, .field, .index, .dereference:
            materialize(address(of: x))
        default:
            let offset = slot(layout.size(x.type))
            f.emit(.localGet(f.framePointer))
            expression(x)
            f.emit(Layout.store(x.type, offset: offset))
            pushSlotAddress(offset)
        }
    }

    // MARK: arithmetic

    /// Re-normalizes a narrow integer in an i32 to its width (wrap-around, LANGUAGE.md §10.1).
    func normalize(_ t: IntegerType) {
        switch t {
        case .i8: f.emit(.numeric(.i32Extend8S))
        case .i16: f.emit(.numeric(.i32Extend16S))
        case .u8: f.emit([.i32Const(0xFF), .numeric(.i32And)])
        case .u16: f.emit([.i32Const(0xFFFF), .numeric(.i32And)])
        default: break
        }
    }

    /// Go's integer conversion: extend by the source's signedness, truncate to the target's
    /// width. A value in an i32 is already its type's value extended to 32 bits.
    private func convert(_ a: TExpr, to t: IntegerType) {
        let source = a.type.integerType ?? .i64
        expression(a)
        switch (source.is64Bit, t.is64Bit) {
        case (true, true): break
        case (true, false): f.emit(.numeric(.i32WrapI64))
        case (false, true): f.emit(.numeric(source.isSigned ? .i64ExtendI32S : .i64ExtendI32U))
        case (false, false): break
        }
        if source.bits > t.bits || source.isSigned != t.isSigned { normalize(t) }
    }

    /// `a << n` / `a >> n` with Go's counts (TExpr.shift). WASM shifts by the count modulo the
    /// register width, so a count >= that width is handled here; a narrow type in an i32 already
    /// gives Go's answer for counts from its width up to 31 (`<<` then re-normalizes to 0, `>>`
    /// of a normalized value gives 0 or the sign bits). A constant count in range is one
    /// instruction.
    private func shift(_ op: TExpr.ShiftOp, _ a: TExpr, _ n: TExpr, _ t: IntegerType, _ span: SourceSpan) {
        let wide = t.is64Bit
        let width: UInt64 = wide ? 64 : 32
        let arithmeticRight = op == .right && t.isSigned
        let instruction: NumericOp = switch (op, t.isSigned, wide) {
        case (.left, _, true): .i64Shl
        case (.left, _, false): .i32Shl
        case (.right, true, true): .i64ShrS
        case (.right, true, false): .i32ShrS
        case (.right, false, true): .i64ShrU
        case (.right, false, false): .i32ShrU
        }
        func constant(_ v: UInt64) -> Instruction { wide ? .i64Const(Int64(bitPattern: v)) : .i32Const(Int32(truncatingIfNeeded: v)) }
        let countType = n.type.integerType ?? .i64
        if case .integer(let bits) = n.kind {
            expression(a)
            if countType.isSigned, Int64(bitPattern: bits) < 0 {
                f.emit(.drop)
                emitPanic("negative shift amount", span)
                f.emit(constant(0))
            } else if bits < width {
                f.emit([constant(bits), .numeric(instruction)])
                if op == .left { normalize(t) }
            } else if arithmeticRight {
                f.emit([constant(width - 1), .numeric(instruction)])
            } else {
                f.emit([.drop, constant(0)])
            }
            return
        }
        let countWide = countType.is64Bit
        let c = temp(countWide ? .i64 : .i32)
        expression(a)
        expression(n)
        f.emit(.localSet(c))
        if countType.isSigned {
            f.emit([.localGet(c), countWide ? .i64Const(0) : .i32Const(0), .numeric(countWide ? .i64LtS : .i32LtS), .if(.empty)])
            emitPanic("negative shift amount", span)
            f.emit(.end)
        }
        // The count in the value's register type (only used when it is below the width).
        var count: [Instruction] = [.localGet(c)]
        if countWide, !wide { count.append(.numeric(.i32WrapI64)) }
        if !countWide, wide { count.append(.numeric(.i64ExtendI32U)) }
        let inRange: [Instruction] = [.localGet(c), countWide ? .i64Const(Int64(width)) : .i32Const(Int32(width)),
                                      .numeric(countWide ? .i64LtU : .i32LtU)]
        if arithmeticRight {
            // Counts from the width on shift by width - 1: all sign bits.
            f.emit(count + [constant(width - 1)] + inRange + [.select, .numeric(instruction)])
        } else {
            f.emit(count + [.numeric(instruction), constant(0)] + inRange + [.select])
            if op == .left { normalize(t) }
        }
    }

    private func arithmetic(_ op: TExpr.ArithmeticOp, _ a: TExpr, _ b: TExpr, _ t: IntegerType, _ span: SourceSpan) {
        let wide = t.is64Bit
        switch op {
        case .add, .subtract, .multiply:
            expression(a)
            expression(b)
            let instruction: NumericOp = switch op {
            case .add: wide ? .i64Add : .i32Add
            case .subtract: wide ? .i64Sub : .i32Sub
            default: wide ? .i64Mul : .i32Mul
            }
            f.emit(.numeric(instruction))
            normalize(t)
        case .divide, .remainder:
            division(op == .divide, a, b, t, span)
        }
    }

    /// Division by zero panics; MIN / -1 wraps to MIN (WASM's div_s would trap) and
    /// MIN % -1 is 0 (as WASM's rem_s already gives).
    private func division(_ isDivide: Bool, _ a: TExpr, _ b: TExpr, _ t: IntegerType, _ span: SourceSpan) {
        let wide = t.is64Bit
        let op: NumericOp = switch (isDivide, t.isSigned, wide) {
        case (true, true, true): .i64DivS
        case (true, false, true): .i64DivU
        case (true, true, false): .i32DivS
        case (true, false, false): .i32DivU
        case (false, true, true): .i64RemS
        case (false, false, true): .i64RemU
        case (false, true, false): .i32RemS
        case (false, false, false): .i32RemU
        }
        let overflowPossible = isDivide && t.isSigned && (t == .i32 || t == .i64)
        if case .integer(let bits) = b.kind, bits != 0, !(overflowPossible && Int64(bitPattern: bits) == -1) {
            expression(a)
            expression(b)
            f.emit(.numeric(op))
            normalize(t)
            return
        }
        let vt: ValueType = wide ? .i64 : .i32
        let ta = temp(vt), tb = temp(vt)
        expression(a)
        f.emit(.localSet(ta))
        expression(b)
        f.emit([.localTee(tb), .numeric(wide ? .i64Eqz : .i32Eqz), .if(.empty)])
        emitPanic("integer divide by zero", span)
        f.emit(.end)
        if overflowPossible {
            f.emit([.localGet(tb), wide ? .i64Const(-1) : .i32Const(-1), .numeric(wide ? .i64Eq : .i32Eq), .if(.value(vt))])
            f.emit([wide ? .i64Const(0) : .i32Const(0), .localGet(ta), .numeric(wide ? .i64Sub : .i32Sub), .else])
            f.emit([.localGet(ta), .localGet(tb), .numeric(op), .end])
        } else {
            f.emit([.localGet(ta), .localGet(tb), .numeric(op)])
        }
        normalize(t)
    }

    private func comparison(_ op: TExpr.ComparisonOp, _ a: TExpr, _ b: TExpr) {
        expression(a)
        expression(b)
        guard case .integer(let t) = a.type else {
            f.emit(.numeric(op == .equal ? .i32Eq : .i32Ne))
            return
        }
        let table: [TExpr.ComparisonOp: (NumericOp, NumericOp, NumericOp, NumericOp)] = [
            // (i32 signed, i32 unsigned, i64 signed, i64 unsigned)
            .equal: (.i32Eq, .i32Eq, .i64Eq, .i64Eq),
            .notEqual: (.i32Ne, .i32Ne, .i64Ne, .i64Ne),
            .less: (.i32LtS, .i32LtU, .i64LtS, .i64LtU),
            .greater: (.i32GtS, .i32GtU, .i64GtS, .i64GtU),
            .lessOrEqual: (.i32LeS, .i32LeU, .i64LeS, .i64LeU),
            .greaterOrEqual: (.i32GeS, .i32GeU, .i64GeS, .i64GeU),
        ]
        guard let row = table[op] else { return }
        let choice = switch (t.is64Bit, t.isSigned) {
        case (false, true): row.0
        case (false, false): row.1
        case (true, true): row.2
        case (true, false): row.3
        }
        f.emit(.numeric(choice))
    }
}
