import Wasm
import ZongIR

/// Each IR instruction as WASM: operands from their locals, the result into its local.
extension FunctionFromIR {
    func emit(_ inst: ZongIR.Instruction) {
        if let r = inst.result, r.id < stack.deferred.count, stack.deferred[r.id] { return }  // emitted at its use
        mark(inst.location)
        emitOperation(inst)
        if let r = inst.result { set(r) }
    }

    /// The instruction's code, leaving its result (if any) on the operand stack.
    func emitOperation(_ inst: ZongIR.Instruction) {
        switch inst.op {
        case .constant(let t, let bits):
            code.append(t == .i64 ? .i64Const(Int64(bitPattern: bits)) : .i32Const(Int32(truncatingIfNeeded: bits)))
        case .binary(let op, let t, let a, let b):
            binary(op, t, a, b)
        case .compare(let op, let t, let a, let b):
            get(a)
            get(b)
            code.append(.numeric(Self.compare(op, wide: t == .i64)))
        case .cast(let op, let a):
            get(a)
            code += Self.cast(op)
        case .not(let a):
            get(a)
            code.append(.numeric(.i32Eqz))
        case .select(let c, let a, let b):
            get(a)
            get(b)
            get(c)
            code.append(.select)
        case .slotAddress(let s):
            code += [.localGet(framePointer), .i32Const(Int32(slotOffset[s.index])), .numeric(.i32Add)]
        case .offset(let a, let k):
            get(a)
            if k != 0 { code += [.i32Const(Int32(truncatingIfNeeded: k)), .numeric(.i32Add)] }
        case .elementAddress(let a, let i, let scale):
            get(a)
            get(i)
            code.append(.numeric(.i32WrapI64))
            if scale != 1 { code += [.i32Const(Int32(truncatingIfNeeded: scale)), .numeric(.i32Mul)] }
            code.append(.numeric(.i32Add))
        case .load(let t, let w, let address):
            let offset = pushBase(address)
            code.append(.load(Self.loadOp(t, w), MemArg(align: Self.alignment(w), offset: UInt32(clamping: offset))))
        case .store(let w, let address, let v):
            let offset = pushBase(address)
            get(v)
            code.append(.store(Self.storeOp(type(v), w), MemArg(align: Self.alignment(w), offset: UInt32(clamping: offset))))
        case .call(let id, let args):
            args.forEach(get)
            code.append(.call(firstFunction + UInt32(id.index)))
        case .callExtern(let e, let args):
            args.forEach(get)
            code.append(.call(UInt32(e < g.externIndex.count ? g.externIndex[e] : 0)))
        case .builtin(let op, let args):
            builtin(op, args, inst.location)
        case .check(let c, let args):
            check(c, args, inst.location)
        }
    }

    /// Pushes the address base and returns the constant offset for the memory argument.
    func pushBase(_ a: Address) -> Int {
        switch a {
        case .slot(let s, let o):
            code.append(.localGet(framePointer))
            return slotOffset[s.index] + o
        case .memory(let v, let o, _):
            get(v)
            return o
        }
    }

    func binary(_ op: BinaryOp, _ t: IRType, _ a: Value, _ b: Value) {
        let wide = t == .i64
        if op == .divS, uses.constant(b, in: f).map({ wide ? $0 == UInt64.max : UInt32(truncatingIfNeeded: $0) == UInt32.max }) != false {
            // Zong: MIN / -1 is MIN, where WASM traps; x / -1 is 0 - x.
            get(b)
            code += [wide ? .i64Const(-1) : .i32Const(-1), .numeric(wide ? .i64Eq : .i32Eq), .if(.value(wide ? .i64 : .i32))]
            code.append(wide ? .i64Const(0) : .i32Const(0))
            get(a)
            code += [.numeric(wide ? .i64Sub : .i32Sub), .else]
            get(a)
            get(b)
            code += [.numeric(wide ? .i64DivS : .i32DivS), .end]
            return
        }
        get(a)
        get(b)
        code.append(.numeric(Self.binary(op, wide: wide)))
    }

    static func binary(_ op: BinaryOp, wide: Bool) -> NumericOp {
        switch op {
        case .add: wide ? .i64Add : .i32Add
        case .sub: wide ? .i64Sub : .i32Sub
        case .mul: wide ? .i64Mul : .i32Mul
        case .divS: wide ? .i64DivS : .i32DivS
        case .divU: wide ? .i64DivU : .i32DivU
        case .remS: wide ? .i64RemS : .i32RemS
        case .remU: wide ? .i64RemU : .i32RemU
        case .and: wide ? .i64And : .i32And
        case .or: wide ? .i64Or : .i32Or
        case .xor: wide ? .i64Xor : .i32Xor
        case .shl: wide ? .i64Shl : .i32Shl
        case .shrS: wide ? .i64ShrS : .i32ShrS
        case .shrU: wide ? .i64ShrU : .i32ShrU
        }
    }

    static func compare(_ op: CompareOp, wide: Bool) -> NumericOp {
        switch op {
        case .eq: wide ? .i64Eq : .i32Eq
        case .ne: wide ? .i64Ne : .i32Ne
        case .ltS: wide ? .i64LtS : .i32LtS
        case .ltU: wide ? .i64LtU : .i32LtU
        case .gtS: wide ? .i64GtS : .i32GtS
        case .gtU: wide ? .i64GtU : .i32GtU
        case .leS: wide ? .i64LeS : .i32LeS
        case .leU: wide ? .i64LeU : .i32LeU
        case .geS: wide ? .i64GeS : .i32GeS
        case .geU: wide ? .i64GeU : .i32GeU
        }
    }

    static func cast(_ op: CastOp) -> [Wasm.Instruction] {
        switch op {
        case .sext8: [.numeric(.i32Extend8S)]
        case .sext16: [.numeric(.i32Extend16S)]
        case .zext8: [.i32Const(0xFF), .numeric(.i32And)]
        case .zext16: [.i32Const(0xFFFF), .numeric(.i32And)]
        case .wrap: [.numeric(.i32WrapI64)]
        case .extendS: [.numeric(.i64ExtendI32S)]
        case .extendU: [.numeric(.i64ExtendI32U)]
        case .boolToI32, .ptrToI32: []
        case .i32ToBool: [.i32Const(0), .numeric(.i32Ne)]
        }
    }

    static func alignment(_ w: MemoryWidth) -> UInt32 {
        switch w.bytes {
        case 8: 3
        case 4: 2
        case 2: 1
        default: 0
        }
    }

    static func loadOp(_ t: IRType, _ w: MemoryWidth) -> LoadOp {
        if t == .i64 {
            switch w.bytes {
            case 1: return w.signed ? .i64Load8S : .i64Load8U
            case 2: return w.signed ? .i64Load16S : .i64Load16U
            case 4: return w.signed ? .i64Load32S : .i64Load32U
            default: return .i64Load
            }
        }
        switch w.bytes {
        case 1: return w.signed ? .i32Load8S : .i32Load8U
        case 2: return w.signed ? .i32Load16S : .i32Load16U
        default: return .i32Load
        }
    }

    static func storeOp(_ t: IRType, _ w: MemoryWidth) -> StoreOp {
        if t == .i64 {
            switch w.bytes {
            case 1: return .i64Store8
            case 2: return .i64Store16
            case 4: return .i64Store32
            default: return .i64Store
            }
        }
        switch w.bytes {
        case 1: return .i32Store8
        case 2: return .i32Store16
        default: return .i32Store
        }
    }

    func builtin(_ op: BuiltinOp, _ args: [Value], _ l: Location) {
        switch op {
        case .print(let bits, let signed):
            if let v = args.first { get(v) }
            if bits < 64 { code.append(.numeric(signed ? .i64ExtendI32S : .i64ExtendI32U)) }
            code += [.i32Const(signed ? 1 : 0), .call(g.builtin(.printInteger))]
        case .printBytes:
            code.append(.i32Const(1))
            args.forEach(get)
            // items, length -> write(1, items, wrap(length))
            code += [.numeric(.i32WrapI64), .call(g.builtin(.write))]
        case .readLine:
            args.forEach(get)
            appendAddress(site(l))
            code.append(.call(g.builtin(.readLine)))
        case .grow(let elementSize):
            args.forEach(get)
            code.append(.i32Const(Int32(clamping: elementSize)))
            appendAddress(site(l))
            code.append(.call(g.builtin(.growItems)))
        case .string(let index):
            let bytes = index < ir.strings.count ? ir.strings[index] : []
            let scratch = addLocal(.i32)
            // The literal's bytes are asked for before the site, as they always were.
            let start = code.count
            request(.bytes(bytes), at: start + 4)
            request(site(l), at: start + 1)
            code += [.i32Const(Int32(bytes.count)), .i32Const(0), .call(g.builtin(.alloc)), .localTee(scratch),
                     .i32Const(0), .i32Const(Int32(bytes.count)), .memoryCopy, .localGet(scratch)]
        }
    }

    func check(_ c: Check, _ args: [Value], _ l: Location) {
        switch c {
        case .index:
            guard args.count == 2 else { return }
            get(args[0])
            get(args[1])
            code += [.numeric(.i64GeU), .if(.empty)]
            get(args[0])
            get(args[1])
            appendAddress(site(l))
            code += [.call(g.builtin(.panicIndex)), .unreachable, .end]
        case .provenIndex:
            // Cannot fail; written as W2C's index-check pattern so that the element access
            // after it gets W2C's unchecked fast arm.
            guard args.count == 2 else { return }
            get(args[0])
            get(args[1])
            code += [.numeric(.i64GeU), .if(.empty), .unreachable, .end]
        case .sliceLength:
            guard args.count == 2 else { return }
            get(args[0])
            get(args[1])
            code += [.numeric(.i64GtU), .if(.empty)]
            panic("slice length out of range", l)
            code.append(.end)
        case .divisor:
            guard let d = args.first else { return }
            get(d)
            code += [.numeric(type(d) == .i64 ? .i64Eqz : .i32Eqz), .if(.empty)]
            panic("integer divide by zero", l)
            code.append(.end)
        case .shiftCount:
            guard let n = args.first else { return }
            get(n)
            code += type(n) == .i64 ? [.i64Const(0), .numeric(.i64LtS)] : [.i32Const(0), .numeric(.i32LtS)]
            code.append(.if(.empty))
            panic("negative shift amount", l)
            code.append(.end)
        case .tstack:
            break  // the prologue reserves and checks the frame
        }
    }
}
