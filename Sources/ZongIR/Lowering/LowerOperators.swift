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
