import ZongSema
import ZongSyntax

extension FunctionLowering {
    mutating func arithmetic(_ op: TExpr.ArithmeticOp, _ x: TExpr, _ y: TExpr, _ e: TExpr) -> Value {
        let t = DataLayout.registerType(e.type) ?? .i32
        let signed = e.type.integerType?.isSigned ?? true
        let a = lower(x).value ?? b.constant(t, 0)
        let c = lower(y).value ?? b.constant(t, 0)
        locate(e.span)
        let binary: BinaryOp
        switch op {
        case .add: binary = .add
        case .subtract: binary = .sub
        case .multiply: binary = .mul
        case .divide, .remainder:
            b.effect(.check(.divisor, [c]))
            binary = op == .divide ? (signed ? .divS : .divU) : (signed ? .remS : .remU)
        }
        return normalize(b.value(.binary(binary, t, a, c), t), e.type)
    }

    /// Keeps an I8/I16/U8/U16 value in its register as the value of its type (wrapping).
    mutating func normalize(_ v: Value, _ type: ZType) -> Value {
        guard let i = type.integerType, i.bits < 32 else { return v }
        let cast: CastOp = switch (i.bits, i.isSigned) {
        case (8, true): .sext8
        case (8, false): .zext8
        case (_, true): .sext16
        default: .zext16
        }
        return b.value(.cast(cast, v), .i32)
    }

    mutating func comparison(_ op: TExpr.ComparisonOp, _ x: TExpr, _ y: TExpr) -> Value {
        let type = x.type
        let t = DataLayout.registerType(type) ?? .i32
        let signed = type.integerType?.isSigned ?? false
        let a = lower(x).value ?? b.constant(t, 0)
        let c = lower(y).value ?? b.constant(t, 0)
        let compare: CompareOp = switch op {
        case .equal: .eq
        case .notEqual: .ne
        case .less: signed ? .ltS : .ltU
        case .greater: signed ? .gtS : .gtU
        case .lessOrEqual: signed ? .leS : .leU
        case .greaterOrEqual: signed ? .geS : .geU
        }
        return b.value(.compare(compare, t, a, c), .i1)
    }

    /// `x && y` / `x || y`: `y` runs only when it decides; the result is the join block's
    /// parameter.
    mutating func shortCircuit(_ x: TExpr, _ y: TExpr, isAnd: Bool) -> Value {
        let left = condition(x)
        let right = b.newBlock()
        let join = b.newBlock(parameters: [.i1])
        let decided = b.constant(.i1, isAnd ? 0 : 1)
        b.terminate(isAnd
            ? .conditionalBranch(left, then: Edge(right), else: Edge(join, [decided]))
            : .conditionalBranch(left, then: Edge(join, [decided]), else: Edge(right)))
        b.position(at: right)
        let r = condition(y)
        b.terminate(.branch(Edge(join, [r])))
        b.position(at: join)
        return b.function.blocks[join.index].parameters[0]
    }
}

extension FunctionLowering {
    /// `T(x)`, Go's rule: extend by the source's signedness, truncate to T, re-normalize.
    mutating func convert(_ x: TExpr, to type: ZType) -> Value {
        let source = x.type.integerType
        let v = lower(x).value ?? b.constant(.i32, 0)
        let sourceWide = source?.is64Bit ?? false
        let targetWide = type.integerType?.is64Bit ?? false
        if targetWide {
            return sourceWide ? v : b.value(.cast(source?.isSigned ?? true ? .extendS : .extendU, v), .i64)
        }
        let narrow = sourceWide ? b.value(.cast(.wrap, v), .i32) : v
        return normalize(narrow, type)
    }

    mutating func bitwise(_ op: TExpr.BitwiseOp, _ x: TExpr, _ y: TExpr, _ e: TExpr) -> Value {
        let t = DataLayout.registerType(e.type) ?? .i32
        let a = lower(x).value ?? b.constant(t, 0)
        let c = lower(y).value ?? b.constant(t, 0)
        locate(e.span)
        switch op {
        case .and: return b.value(.binary(.and, t, a, c), t)
        case .or: return b.value(.binary(.or, t, a, c), t)
        case .xor: return b.value(.binary(.xor, t, a, c), t)
        case .andNot:
            let ones = b.constant(t, t == .i64 ? UInt64.max : 0xFFFF_FFFF)
            let inverted = b.value(.binary(.xor, t, c, ones), t)
            return b.value(.binary(.and, t, a, inverted), t)
        }
    }

    mutating func complement(_ x: TExpr, _ e: TExpr) -> Value {
        let t = DataLayout.registerType(e.type) ?? .i32
        let a = lower(x).value ?? b.constant(t, 0)
        locate(e.span)
        let ones = b.constant(t, t == .i64 ? UInt64.max : 0xFFFF_FFFF)
        return normalize(b.value(.binary(.xor, t, a, ones), t), e.type)
    }

    /// Go's shifts: a negative (signed) count fails `negative shift amount`; a count of at least
    /// the width gives 0, or all sign bits for `>>` of a signed value; WASM's count-modulo-width
    /// is never observable.
    mutating func shift(_ op: TExpr.ShiftOp, _ x: TExpr, _ n: TExpr, _ e: TExpr) -> Value {
        let t = DataLayout.registerType(e.type) ?? .i32
        let integer = e.type.integerType ?? .i64
        let countType = n.type.integerType ?? .i64
        let a = lower(x).value ?? b.constant(t, 0)
        let count = lower(n).value ?? b.constant(.i64, 0)
        locate(e.span)
        if countType.isSigned { b.effect(.check(.shiftCount, [count])) }
        let wideCount = countType.is64Bit ? count : b.value(.cast(countType.isSigned ? .extendS : .extendU, count), .i64)
        let width = b.constant(.i64, UInt64(integer.bits))
        let big = b.value(.compare(.geU, .i64, wideCount, width), .i1)
        let registerCount = t == .i64 ? wideCount : b.value(.cast(.wrap, wideCount), .i32)
        switch op {
        case .left:
            let shifted = normalize(b.value(.binary(.shl, t, a, registerCount), t), e.type)
            return b.value(.select(big, b.constant(t, 0), shifted), t)
        case .right where integer.isSigned:
            let clamped = b.value(.select(big, b.constant(t, UInt64(integer.bits - 1)), registerCount), t)
            return b.value(.binary(.shrS, t, a, clamped), t)
        case .right:
            let shifted = b.value(.binary(.shrU, t, a, registerCount), t)
            return b.value(.select(big, b.constant(t, 0), shifted), t)
        }
    }
}
