import WasmParser
import WasmTypes

/// WASM arithmetic: unsigned C arithmetic for wrap-around, helpers from zong_rt.h for anything
/// that traps or needs care (division, shifts, rotations, min/max, truncation).
extension FunctionWriter {
    /// `r = a OP b` with signed operands cast where the instruction is signed.
    mutating func emitCompare(_ op: Instruction.Cmp) throws(W2CError) {
        let (t, c, signed): (ValueType, String, Bool)
        switch op {
        case .i32Eq: (t, c, signed) = (.i32, "==", false)
        case .i32Ne: (t, c, signed) = (.i32, "!=", false)
        case .i32LtS: (t, c, signed) = (.i32, "<", true)
        case .i32LtU: (t, c, signed) = (.i32, "<", false)
        case .i32GtS: (t, c, signed) = (.i32, ">", true)
        case .i32GtU: (t, c, signed) = (.i32, ">", false)
        case .i32LeS: (t, c, signed) = (.i32, "<=", true)
        case .i32LeU: (t, c, signed) = (.i32, "<=", false)
        case .i32GeS: (t, c, signed) = (.i32, ">=", true)
        case .i32GeU: (t, c, signed) = (.i32, ">=", false)
        case .i64Eq: (t, c, signed) = (.i64, "==", false)
        case .i64Ne: (t, c, signed) = (.i64, "!=", false)
        case .i64LtS: (t, c, signed) = (.i64, "<", true)
        case .i64LtU: (t, c, signed) = (.i64, "<", false)
        case .i64GtS: (t, c, signed) = (.i64, ">", true)
        case .i64GtU: (t, c, signed) = (.i64, ">", false)
        case .i64LeS: (t, c, signed) = (.i64, "<=", true)
        case .i64LeU: (t, c, signed) = (.i64, "<=", false)
        case .i64GeS: (t, c, signed) = (.i64, ">=", true)
        case .i64GeU: (t, c, signed) = (.i64, ">=", false)
        case .f32Eq: (t, c, signed) = (.f32, "==", false)
        case .f32Ne: (t, c, signed) = (.f32, "!=", false)
        case .f32Lt: (t, c, signed) = (.f32, "<", false)
        case .f32Gt: (t, c, signed) = (.f32, ">", false)
        case .f32Le: (t, c, signed) = (.f32, "<=", false)
        case .f32Ge: (t, c, signed) = (.f32, ">=", false)
        case .f64Eq: (t, c, signed) = (.f64, "==", false)
        case .f64Ne: (t, c, signed) = (.f64, "!=", false)
        case .f64Lt: (t, c, signed) = (.f64, "<", false)
        case .f64Gt: (t, c, signed) = (.f64, ">", false)
        case .f64Le: (t, c, signed) = (.f64, "<=", false)
        case .f64Ge: (t, c, signed) = (.f64, ">=", false)
        }
        let b = try pop(t, "comparison")
        let a = try pop(t, "comparison")
        let r = push(.i32)
        guard begin() else { return }
        body.put(r)
        body.lit(" = ")
        if signed { body.lit(t == .i32 ? "(int32_t)" : "(int64_t)") }
        body.put(a)
        body.byte(32)
        body.put(c)
        body.byte(32)
        if signed { body.lit(t == .i32 ? "(int32_t)" : "(int64_t)") }
        body.put(b)
        body.lit(";")
        end()
    }

    mutating func emitUnary(_ op: Instruction.Unary) throws(W2CError) {
        let (t, form): (ValueType, String)
        switch op {
        case .i32Clz: (t, form) = (.i32, "zrt_i32_clz(A)")
        case .i32Ctz: (t, form) = (.i32, "zrt_i32_ctz(A)")
        case .i32Popcnt: (t, form) = (.i32, "zrt_i32_popcnt(A)")
        case .i64Clz: (t, form) = (.i64, "zrt_i64_clz(A)")
        case .i64Ctz: (t, form) = (.i64, "zrt_i64_ctz(A)")
        case .i64Popcnt: (t, form) = (.i64, "zrt_i64_popcnt(A)")
        case .f32Abs: (t, form) = (.f32, "zrt_f32_abs(A)")
        case .f32Neg: (t, form) = (.f32, "zrt_f32_neg(A)")
        case .f32Ceil: (t, form) = (.f32, "zrt_f32_ceil(A)")
        case .f32Floor: (t, form) = (.f32, "zrt_f32_floor(A)")
        case .f32Trunc: (t, form) = (.f32, "zrt_f32_trunc(A)")
        case .f32Nearest: (t, form) = (.f32, "zrt_f32_nearest(A)")
        case .f32Sqrt: (t, form) = (.f32, "zrt_f32_sqrt(A)")
        case .f64Abs: (t, form) = (.f64, "zrt_f64_abs(A)")
        case .f64Neg: (t, form) = (.f64, "zrt_f64_neg(A)")
        case .f64Ceil: (t, form) = (.f64, "zrt_f64_ceil(A)")
        case .f64Floor: (t, form) = (.f64, "zrt_f64_floor(A)")
        case .f64Trunc: (t, form) = (.f64, "zrt_f64_trunc(A)")
        case .f64Nearest: (t, form) = (.f64, "zrt_f64_nearest(A)")
        case .f64Sqrt: (t, form) = (.f64, "zrt_f64_sqrt(A)")
        case .i32Extend8S: (t, form) = (.i32, "(uint32_t)(int32_t)(int8_t)A")
        case .i32Extend16S: (t, form) = (.i32, "(uint32_t)(int32_t)(int16_t)A")
        case .i64Extend8S: (t, form) = (.i64, "(uint64_t)(int64_t)(int8_t)A")
        case .i64Extend16S: (t, form) = (.i64, "(uint64_t)(int64_t)(int16_t)A")
        case .i64Extend32S: (t, form) = (.i64, "(uint64_t)(int64_t)(int32_t)A")
        }
        let a = try pop(t, "unary operator")
        let r = push(t)
        putForm(r, form, a)
    }

    mutating func emitBinary(_ op: Instruction.Binary) throws(W2CError) {
        // Forms: "A op B", or a helper; T marks the trap arguments (function, location).
        let (t, form): (ValueType, String)
        switch op {
        case .i32Add: (t, form) = (.i32, "A + B")
        case .i32Sub: (t, form) = (.i32, "A - B")
        case .i32Mul: (t, form) = (.i32, "A * B")
        case .i32DivS: (t, form) = (.i32, "zrt_i32_div_s(A, B, T)")
        case .i32DivU: (t, form) = (.i32, "zrt_i32_div_u(A, B, T)")
        case .i32RemS: (t, form) = (.i32, "zrt_i32_rem_s(A, B, T)")
        case .i32RemU: (t, form) = (.i32, "zrt_i32_rem_u(A, B, T)")
        case .i32And: (t, form) = (.i32, "A & B")
        case .i32Or: (t, form) = (.i32, "A | B")
        case .i32Xor: (t, form) = (.i32, "A ^ B")
        case .i32Shl: (t, form) = (.i32, "A << (B & 31)")
        case .i32ShrS: (t, form) = (.i32, "zrt_i32_shr_s(A, B)")
        case .i32ShrU: (t, form) = (.i32, "A >> (B & 31)")
        case .i32Rotl: (t, form) = (.i32, "zrt_i32_rotl(A, B)")
        case .i32Rotr: (t, form) = (.i32, "zrt_i32_rotr(A, B)")
        case .i64Add: (t, form) = (.i64, "A + B")
        case .i64Sub: (t, form) = (.i64, "A - B")
        case .i64Mul: (t, form) = (.i64, "A * B")
        case .i64DivS: (t, form) = (.i64, "zrt_i64_div_s(A, B, T)")
        case .i64DivU: (t, form) = (.i64, "zrt_i64_div_u(A, B, T)")
        case .i64RemS: (t, form) = (.i64, "zrt_i64_rem_s(A, B, T)")
        case .i64RemU: (t, form) = (.i64, "zrt_i64_rem_u(A, B, T)")
        case .i64And: (t, form) = (.i64, "A & B")
        case .i64Or: (t, form) = (.i64, "A | B")
        case .i64Xor: (t, form) = (.i64, "A ^ B")
        case .i64Shl: (t, form) = (.i64, "A << (B & 63)")
        case .i64ShrS: (t, form) = (.i64, "zrt_i64_shr_s(A, B)")
        case .i64ShrU: (t, form) = (.i64, "A >> (B & 63)")
        case .i64Rotl: (t, form) = (.i64, "zrt_i64_rotl(A, B)")
        case .i64Rotr: (t, form) = (.i64, "zrt_i64_rotr(A, B)")
        case .f32Add: (t, form) = (.f32, "A + B")
        case .f32Sub: (t, form) = (.f32, "A - B")
        case .f32Mul: (t, form) = (.f32, "A * B")
        case .f32Div: (t, form) = (.f32, "A / B")
        case .f32Min: (t, form) = (.f32, "zrt_f32_min(A, B)")
        case .f32Max: (t, form) = (.f32, "zrt_f32_max(A, B)")
        case .f32Copysign: (t, form) = (.f32, "zrt_f32_copysign(A, B)")
        case .f64Add: (t, form) = (.f64, "A + B")
        case .f64Sub: (t, form) = (.f64, "A - B")
        case .f64Mul: (t, form) = (.f64, "A * B")
        case .f64Div: (t, form) = (.f64, "A / B")
        case .f64Min: (t, form) = (.f64, "zrt_f64_min(A, B)")
        case .f64Max: (t, form) = (.f64, "zrt_f64_max(A, B)")
        case .f64Copysign: (t, form) = (.f64, "zrt_f64_copysign(A, B)")
        }
        let b = try pop(t, "binary operator")
        let a = try pop(t, "binary operator")
        let r = push(t)
        putForm(r, form, a, b)
    }

    mutating func emitConversion(_ op: Instruction.Conversion) throws(W2CError) {
        let (from, to, form): (ValueType, ValueType, String)
        switch op {
        case .i32WrapI64: (from, to, form) = (.i64, .i32, "(uint32_t)A")
        case .i32TruncF32S: (from, to, form) = (.f32, .i32, "zrt_i32_trunc_f32_s(A, T)")
        case .i32TruncF32U: (from, to, form) = (.f32, .i32, "zrt_i32_trunc_f32_u(A, T)")
        case .i32TruncF64S: (from, to, form) = (.f64, .i32, "zrt_i32_trunc_f64_s(A, T)")
        case .i32TruncF64U: (from, to, form) = (.f64, .i32, "zrt_i32_trunc_f64_u(A, T)")
        case .i64ExtendI32S: (from, to, form) = (.i32, .i64, "(uint64_t)(int64_t)(int32_t)A")
        case .i64ExtendI32U: (from, to, form) = (.i32, .i64, "(uint64_t)A")
        case .i64TruncF32S: (from, to, form) = (.f32, .i64, "zrt_i64_trunc_f32_s(A, T)")
        case .i64TruncF32U: (from, to, form) = (.f32, .i64, "zrt_i64_trunc_f32_u(A, T)")
        case .i64TruncF64S: (from, to, form) = (.f64, .i64, "zrt_i64_trunc_f64_s(A, T)")
        case .i64TruncF64U: (from, to, form) = (.f64, .i64, "zrt_i64_trunc_f64_u(A, T)")
        case .f32ConvertI32S: (from, to, form) = (.i32, .f32, "(float)(int32_t)A")
        case .f32ConvertI32U: (from, to, form) = (.i32, .f32, "(float)A")
        case .f32ConvertI64S: (from, to, form) = (.i64, .f32, "(float)(int64_t)A")
        case .f32ConvertI64U: (from, to, form) = (.i64, .f32, "(float)A")
        case .f32DemoteF64: (from, to, form) = (.f64, .f32, "(float)A")
        case .f64ConvertI32S: (from, to, form) = (.i32, .f64, "(double)(int32_t)A")
        case .f64ConvertI32U: (from, to, form) = (.i32, .f64, "(double)A")
        case .f64ConvertI64S: (from, to, form) = (.i64, .f64, "(double)(int64_t)A")
        case .f64ConvertI64U: (from, to, form) = (.i64, .f64, "(double)A")
        case .f64PromoteF32: (from, to, form) = (.f32, .f64, "(double)A")
        case .i32ReinterpretF32: (from, to, form) = (.f32, .i32, "zrt_f32_bits(A)")
        case .i64ReinterpretF64: (from, to, form) = (.f64, .i64, "zrt_f64_bits(A)")
        case .f32ReinterpretI32: (from, to, form) = (.i32, .f32, "zrt_f32_from_bits(A)")
        case .f64ReinterpretI64: (from, to, form) = (.i64, .f64, "zrt_f64_from_bits(A)")
        case .i32TruncSatF32S: (from, to, form) = (.f32, .i32, "zrt_i32_trunc_sat_f32_s(A)")
        case .i32TruncSatF32U: (from, to, form) = (.f32, .i32, "zrt_i32_trunc_sat_f32_u(A)")
        case .i32TruncSatF64S: (from, to, form) = (.f64, .i32, "zrt_i32_trunc_sat_f64_s(A)")
        case .i32TruncSatF64U: (from, to, form) = (.f64, .i32, "zrt_i32_trunc_sat_f64_u(A)")
        case .i64TruncSatF32S: (from, to, form) = (.f32, .i64, "zrt_i64_trunc_sat_f32_s(A)")
        case .i64TruncSatF32U: (from, to, form) = (.f32, .i64, "zrt_i64_trunc_sat_f32_u(A)")
        case .i64TruncSatF64S: (from, to, form) = (.f64, .i64, "zrt_i64_trunc_sat_f64_s(A)")
        case .i64TruncSatF64U: (from, to, form) = (.f64, .i64, "zrt_i64_trunc_sat_f64_u(A)")
        }
        let a = try pop(from, "conversion")
        let r = push(to)
        putForm(r, form, a)
    }

    // MARK: - Memory

    static func loadHelper(_ op: Instruction.Load) -> (String, Int)? {
        switch op {
        case .i32Load: ("zrt_i32_load", 2)
        case .i64Load: ("zrt_i64_load", 3)
        case .f32Load: ("zrt_f32_load", 2)
        case .f64Load: ("zrt_f64_load", 3)
        case .i32Load8S: ("zrt_i32_load8_s", 0)
        case .i32Load8U: ("zrt_i32_load8_u", 0)
        case .i32Load16S: ("zrt_i32_load16_s", 1)
        case .i32Load16U: ("zrt_i32_load16_u", 1)
        case .i64Load8S: ("zrt_i64_load8_s", 0)
        case .i64Load8U: ("zrt_i64_load8_u", 0)
        case .i64Load16S: ("zrt_i64_load16_s", 1)
        case .i64Load16U: ("zrt_i64_load16_u", 1)
        case .i64Load32S: ("zrt_i64_load32_s", 2)
        case .i64Load32U: ("zrt_i64_load32_u", 2)
        default: nil
        }
    }

    static func storeHelper(_ op: Instruction.Store) -> (String, Int)? {
        switch op {
        case .i32Store: ("zrt_i32_store", 2)
        case .i64Store: ("zrt_i64_store", 3)
        case .f32Store: ("zrt_f32_store", 2)
        case .f64Store: ("zrt_f64_store", 3)
        case .i32Store8: ("zrt_i32_store8", 0)
        case .i32Store16: ("zrt_i32_store16", 1)
        case .i64Store8: ("zrt_i64_store8", 0)
        case .i64Store16: ("zrt_i64_store16", 1)
        case .i64Store32: ("zrt_i64_store32", 2)
        default: nil
        }
    }

    mutating func checkMemarg(_ memarg: MemArg, natural: Int) throws(W2CError) {
        try requireMemory(memarg.memory)
        guard memarg.align <= natural else { throw fail("alignment must not be larger than natural") }
        guard memarg.offset <= UInt64(UInt32.max) else { throw fail("memory offset out of range") }
    }

    mutating func emitLoad(_ op: Instruction.Load, _ memarg: MemArg) throws(W2CError) {
        guard let (helper, natural) = Self.loadHelper(op) else { throw fail(W2CError.unsupported("load \(op)")) }
        try checkMemarg(memarg, natural: natural)
        let proven = provenInBounds(depth: stack.count - 1, offset: memarg.offset, size: UInt64(1) << natural)
        let fast = proven ? nil : fastElement(depth: stack.count - 1, offset: memarg.offset, size: UInt64(1) << natural)
        let a = try pop(.i32, "load address")
        let r = push(op.type)
        usesMemory = true
        let guardMode = ctx.options.boundsMode == .guardPages
        if let fast {
            guard !dead else { return }
            if fast.readsLoopSize { loopSizeReads += 1 }
            if guardMode {
                guardLoads += 1
                emit("\(r) = ZRT_LIKELY(\(fast.test)) ? \(helper)_at(mb, \(fast.address)) : \(helper)_g(mb, ms, \(a), \(memarg.offset)u, &zrt_sink);")
                return
            }
            emit("\(r) = ZRT_LIKELY(\(fast.test)) ? \(helper)_at(mb, \(fast.address)) : \(helper)(mb, ms, \(a), \(memarg.offset)u, \(index), \(loc));")
            return
        }
        guard begin() else { return }
        if guardMode, !proven {
            // The read must happen even when its value is dead (zong_rt.h, `_g`).
            guardLoads += 1
            body.put(r)
            body.lit(" = ")
            body.put(helper)
            body.lit("_g(mb, ms, ")
            body.put(a)
            body.lit(", ")
            body.put(memarg.offset)
            body.lit("u, &zrt_sink);")
            end()
            return
        }
        body.put(r)
        body.lit(" = ")
        body.put(helper)
        body.lit(proven ? "_nc(mb, " : "(mb, ms, ")
        body.put(a)
        body.lit(", ")
        body.put(memarg.offset)
        if proven {
            body.lit("u);")
        } else {
            body.lit("u, ")
            body.put(index)
            body.lit(", ")
            putLoc()
            body.lit(");")
        }
        end()
    }

    mutating func emitStore(_ op: Instruction.Store, _ memarg: MemArg) throws(W2CError) {
        guard let (helper, natural) = Self.storeHelper(op) else { throw fail(W2CError.unsupported("store \(op)")) }
        try checkMemarg(memarg, natural: natural)
        let v = try pop(op.type, "store value")
        let proven = provenInBounds(depth: stack.count - 1, offset: memarg.offset, size: UInt64(1) << natural,
                                    opensWindow: false)
        let fast = proven ? nil : fastElement(depth: stack.count - 1, offset: memarg.offset, size: UInt64(1) << natural)
        let a = try pop(.i32, "store address")
        usesMemory = true
        if let fast {
            if !dead, fast.readsLoopSize { loopSizeReads += 1 }
            emit("if (ZRT_LIKELY(\(fast.test))) \(helper)_at(mb, \(fast.address), \(v)); else \(helper)(mb, ms, \(a), \(memarg.offset)u, \(v), \(index), \(loc));")
            return
        }
        guard begin() else { return }
        body.put(helper)
        body.lit(proven ? "_nc(mb, " : "(mb, ms, ")
        body.put(a)
        body.lit(", ")
        body.put(memarg.offset)
        body.lit("u, ")
        body.put(v)
        if !proven {
            body.lit(", ")
            body.put(index)
            body.lit(", ")
            putLoc()
        }
        body.lit(");")
        end()
    }
}

extension FunctionWriter {
    /// Writes `r = form;` with the placeholders A and B replaced by the operands and T by the
    /// trap arguments (function index, location).
    mutating func putForm(_ r: String, _ form: String, _ a: String, _ b: String = "") {
        // A form that may trap (T): outside loops, the guard-mode loads before it fault first.
        if guardLoads > 0, loopDepth == 0, form.utf8.contains(0x54) { emit(sinkUse) }
        guard begin() else { return }
        body.put(r)
        body.lit(" = ")
        var form = form
        form.withUTF8 { f in
            var start = 0
            for i in f.indices {
                let c = f[i]
                guard c == 0x41 || c == 0x42 || c == 0x54 else { continue }
                body.put(bytes: UnsafeBufferPointer(rebasing: f[start..<i]))
                if c == 0x41 {
                    body.put(a)
                } else if c == 0x42 {
                    body.put(b)
                } else {
                    body.put(index)
                    body.lit(", ")
                    putLoc()
                }
                start = i + 1
            }
            body.put(bytes: UnsafeBufferPointer(rebasing: f[start...]))
        }
        body.lit(";")
        end()
    }
}
