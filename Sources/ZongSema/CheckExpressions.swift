import ZongSyntax

extension Checker {
    /// Types one expression in value position (§7). Literals stay pending until context resolves them.
    func expr(_ e: Expr) -> Checked {
        switch e.kind {
        case .integer(let lit):
            return .literal(LiteralValue(negative: false, magnitude: lit.magnitude, span: e.span))
        case .boolean(let b):
            return .value(TExpr(.boolean(b), type: .boolean, span: e.span))
        case .string(let bytes):
            return .value(TExpr(.string(bytes), type: .slice(.integer(.u8)), span: e.span))
        case .name(let n):
            return name(n, e.span)
        case .type(let t):
            if resolveType(t) != .error { typeError(SemaMessages.unsupportedNodeType, e.span) }
            return .failed
        case .binary(let op, let l, let r):
            return binary(op, l, r, e.span)
        case .assign(let l, let r), .compoundAssign(_, let l, let r):
            _ = expr(r)
            _ = expr(l)
            typeError(SemaMessages.assignmentAsValue, e.span)
            return .failed
        case .prefix(.complement, let x):
            return complement(x, e.span)
        case .prefix(.negate, let x):
            return negate(x, e.span)
        case .prefix(.not, let x):
            return not(x, e.span)
        case .addressOf(let x):
            return addressOf(x, e.span)
        case .dereference(let x):
            return dereference(x, e.span)
        case .call(let callee, let args):
            return call(callee, args, e.span)
        case .index(let base, let index):
            return self.index(base, index, e.span)
        case .field(let base, let fieldName, _):
            return field(base, fieldName, e.span)
        case .invalid:
            return .failed
        }
    }

    private func name(_ n: String, _ span: SourceSpan) -> Checked {
        switch scope.lookup(n, insideFunction: insideFunction) {
        case nil:
            symbolError(SemaMessages.undefinedSymbol(n), span)
            return .failed
        case .variable(let v)?:
            return v.type == .error ? .failed : .value(TExpr(.local(v), type: v.type, span: span))
        case .function?, .external?, .builtin?, .libraryExternal?:
            typeError(SemaMessages.functionAsValue(n), span)
            return .failed
        }
    }

    // MARK: operators

    private func binary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ span: SourceSpan) -> Checked {
        let lc = expr(l)
        let rc = expr(r)
        return binary(op, lc, rc, span)
    }

    /// A binary operator on checked operands (also the value of a compound assignment).
    func binary(_ op: BinaryOperator, _ lc: Checked, _ rc: Checked, _ span: SourceSpan) -> Checked {
        if op == .shiftLeft || op == .shiftRight { return shift(op, lc, rc, span) }
        guard let (left, right) = unify(lc, rc) else { return .failed }
        let type = left.type
        switch op {
        case .and, .or:
            guard type == .boolean else {
                typeError(SemaMessages.logicalOperand(op.rawValue, type), span)
                return .failed
            }
            let kind: TExpr.Kind = op == .and ? .logicalAnd(left, right) : .logicalOr(left, right)
            return .value(TExpr(kind, type: .boolean, span: span))
        case .add, .subtract, .multiply, .divide, .remainder:
            guard type.isInteger else {
                typeError(SemaMessages.operatorUndefined(op.rawValue, type), span)
                return .failed
            }
            let arithmetic = TExpr.ArithmeticOp(rawValue: op.rawValue) ?? .add
            return .value(TExpr(.arithmetic(arithmetic, left, right), type: type, span: span))
        case .bitAnd, .bitOr, .bitXor, .andNot:
            guard type.isInteger else {
                typeError(SemaMessages.operatorUndefined(op.rawValue, type), span)
                return .failed
            }
            let bitwise = TExpr.BitwiseOp(rawValue: op.rawValue) ?? .and
            return .value(TExpr(.bitwise(bitwise, left, right), type: type, span: span))
        case .shiftLeft, .shiftRight:
            return .failed  // handled by `shift`
        case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual:
            let equality = op == .equal || op == .notEqual
            let allowed: Bool
            switch type {
            case .integer: allowed = true
            case .boolean, .pointer: allowed = equality
            default: allowed = false
            }
            guard allowed else {
                typeError(SemaMessages.operatorUndefined(op.rawValue, type), span)
                return .failed
            }
            let comparison = TExpr.ComparisonOp(rawValue: op.rawValue) ?? .equal
            return .value(TExpr(.comparison(comparison, left, right), type: .boolean, span: span))
        }
    }

    /// The same-type rule of binary operators (§4.3, §7.2): a literal takes the other side's type;
    /// two literals are both I64.
    private func unify(_ lc: Checked, _ rc: Checked) -> (TExpr, TExpr)? {
        switch (lc, rc) {
        case (.failed, _), (_, .failed):
            return nil
        case (.literal(let a), .literal(let b)):
            return (resolveLiteral(a, to: .integer(.i64)), resolveLiteral(b, to: .integer(.i64)))
        case (.literal(let a), .value):
            guard let right = defaulted(rc) else { return nil }
            let left = resolveLiteralReporting(a, to: right.type)
            return left.fits || right.type.isInteger ? (left.expr, right) : nil
        case (.value, .literal(let b)):
            guard let left = defaulted(lc) else { return nil }
            let right = resolveLiteralReporting(b, to: left.type)
            return right.fits || left.type.isInteger ? (left, right.expr) : nil
        case (.value, .value):
            guard let left = defaulted(lc), let right = defaulted(rc) else { return nil }
            guard left.type == right.type else {
                typeError(SemaMessages.typeMismatch(left.type, right.type), left.span.merged(with: right.span))
                return nil
            }
            return (left, right)
        }
    }

    /// `a << n`, `a >> n`: the operands are not unified. A literal value defaults to I64; the
    /// count may have any integer type (a literal count is an I64).
    private func shift(_ op: BinaryOperator, _ lc: Checked, _ rc: Checked, _ span: SourceSpan) -> Checked {
        guard let left = defaulted(lc), let count = defaulted(rc) else { return .failed }
        guard left.type.isInteger else {
            typeError(SemaMessages.operatorUndefined(op.rawValue, left.type), span)
            return .failed
        }
        guard count.type.isInteger else {
            typeError(SemaMessages.shiftCount(count.type), count.span)
            return .failed
        }
        return .value(TExpr(.shift(op == .shiftLeft ? .left : .right, left, count), type: left.type, span: span))
    }

    /// `^x`: a literal folds (`^5` is the literal -6, as in Go); otherwise an integer operand.
    private func complement(_ x: Expr, _ span: SourceSpan) -> Checked {
        switch expr(x) {
        case .failed: return .failed
        case .literal(let lit):
            if lit.negative && lit.magnitude != 0 {
                return .literal(LiteralValue(negative: false, magnitude: lit.magnitude - 1, span: span))
            }
            if lit.magnitude < UInt64.max {
                return .literal(LiteralValue(negative: true, magnitude: lit.magnitude + 1, span: span))
            }
            let v = resolveLiteral(lit, to: .integer(.i64))
            return .value(TExpr(.complement(v), type: v.type, span: span))
        case .value(let v):
            guard let v = defaulted(.value(v)) else { return .failed }
            guard v.type.isInteger else {
                typeError(SemaMessages.operatorUndefined("^", v.type), span)
                return .failed
            }
            return .value(TExpr(.complement(v), type: v.type, span: span))
        }
    }

    private func negate(_ x: Expr, _ span: SourceSpan) -> Checked {
        switch expr(x) {
        case .failed: return .failed
        case .literal(let lit): return .literal(lit.negated(span: span))
        case .value(let v):
            guard let v = defaulted(.value(v)) else { return .failed }
            guard v.type.isInteger else {
                typeError(SemaMessages.unaryMinusOperand(v.type), span)
                return .failed
            }
            return .value(TExpr(.negate(v), type: v.type, span: span))
        }
    }

    private func not(_ x: Expr, _ span: SourceSpan) -> Checked {
        switch expr(x) {
        case .failed: return .failed
        case .literal:
            typeError(SemaMessages.notOperand(.integerLiteral), span)
            return .failed
        case .value(let v):
            guard let v = defaulted(.value(v)) else { return .failed }
            guard v.type == .boolean else {
                typeError(SemaMessages.notOperand(v.type), span)
                return .failed
            }
            return .value(TExpr(.not(v), type: .boolean, span: span))
        }
    }

    // MARK: memory

    /// `e&`: a location's address, or a temporary cell holding an rvalue (§7.7).
    private func addressOf(_ x: Expr, _ span: SourceSpan) -> Checked {
        guard let v = defaulted(expr(x)) else { return .failed }
        if case .local(let variable) = v.kind { variable.isAddressTaken = true }
        return .value(TExpr(.addressOf(v), type: .pointer(v.type), span: span))
    }

    private func dereference(_ x: Expr, _ span: SourceSpan) -> Checked {
        guard let v = defaulted(expr(x)) else { return .failed }
        guard case .pointer(let pointee) = v.type else {
            typeError(SemaMessages.cannotDereference(v.type), span)
            return .failed
        }
        return .value(TExpr(.dereference(v), type: pointee, span: span))
    }

    /// One level of automatic dereference through `S*` and `T[]*` (§7.9).
    private func autoDereferenced(_ v: TExpr) -> TExpr {
        if case .pointer(let pointee) = v.type {
            switch pointee {
            case .structure, .slice: return TExpr(.dereference(v), type: pointee, span: v.span)
            default: break
            }
        }
        return v
    }

    private func field(_ base: Expr, _ fieldName: String, _ span: SourceSpan) -> Checked {
        guard let b = defaulted(expr(base)) else { return .failed }
        let target = autoDereferenced(b)
        switch target.type {
        case .structure(let structName):
            guard let def = structs[structName], let i = def.fieldIndex(named: fieldName) else {
                typeError(SemaMessages.noField(target.type, fieldName), span)
                return .failed
            }
            let fieldType = def.fields[i].type
            return fieldType == .error ? .failed : .value(TExpr(.field(target, index: i), type: fieldType, span: span))
        case .slice:
            guard fieldName == "length" else {
                typeError(SemaMessages.noField(target.type, fieldName), span)
                return .failed
            }
            return .value(TExpr(.sliceLength(target), type: .integer(.i64), span: span))
        default:
            typeError(SemaMessages.fieldOfNonStruct(b.type), span)
            return .failed
        }
    }

    private func index(_ base: Expr, _ indexSyntax: Expr, _ span: SourceSpan) -> Checked {
        let bc = expr(base)
        let ic = expr(indexSyntax)
        guard let b = defaulted(bc) else { return .failed }
        let target = autoDereferenced(b)
        guard case .slice(let element) = target.type else {
            typeError(SemaMessages.cannotSubscript(b.type), span)
            return .failed
        }
        guard let i = convert(ic, to: .integer(.i64), mismatch: SemaMessages.sliceIndex) else { return .failed }
        return .value(TExpr(.index(target, i), type: element, span: span))
    }
}
