import ZongSyntax

/// An integer literal not yet resolved to a concrete type (§4.3), with unary minus folded in.
struct LiteralValue {
    var negative: Bool
    var magnitude: UInt64
    var span: SourceSpan

    /// The value as written in messages, e.g. `-129`.
    var text: String { (negative && magnitude != 0 ? "-" : "") + String(magnitude) }

    func negated(span: SourceSpan) -> LiteralValue {
        LiteralValue(negative: !negative, magnitude: magnitude, span: span)
    }

    /// Whether the exact value lies in `t`'s range.
    func fits(_ t: IntegerType) -> Bool {
        if negative && magnitude != 0 {
            return t.isSigned && magnitude <= t.minimum.magnitude
        }
        return magnitude <= t.maximum
    }

    /// Two's-complement bit pattern, sign-extended to 64 bits (the `TExpr.integer` convention).
    var bits: UInt64 { negative ? 0 &- magnitude : magnitude }
}

/// The outcome of checking one expression.
enum Checked {
    case value(TExpr)
    case literal(LiteralValue)
    /// Already reported; the parent reports nothing further.
    case failed
}

extension Checker {
    /// Resolves a literal to `type`, reporting `cannot convert integer …` when it does not fit.
    /// The result has `type` either way, so no cascading message follows.
    func resolveLiteral(_ literal: LiteralValue, to type: ZType) -> TExpr {
        resolveLiteralReporting(literal, to: type).expr
    }

    /// Like `resolveLiteral`, also telling whether the literal fitted (callers that would
    /// otherwise report a second, cascading message stop when it did not).
    func resolveLiteralReporting(_ literal: LiteralValue, to type: ZType) -> (expr: TExpr, fits: Bool) {
        if case .integer(let t) = type, literal.fits(t) {
            return (TExpr(.integer(literal.bits), type: type, span: literal.span), true)
        }
        if type != .error {
            typeError(SemaMessages.cannotConvert(literal.text, type), literal.span)
        }
        return (TExpr(.integer(0), type: type, span: literal.span), false)
    }

    /// A literal left without context becomes an I64 (`print(5)`, `5&`, `42;`).
    func defaulted(_ c: Checked, allowVoid: Bool = false) -> TExpr? {
        switch c {
        case .failed: return nil
        case .literal(let lit): return resolveLiteral(lit, to: .integer(.i64))
        case .value(let t):
            if t.type == .error { return nil }
            if t.type == .void, !allowVoid {
                typeError(SemaMessages.doesNotReturnValue(calleeName(t)), t.span)
                return nil
            }
            return t
        }
    }

    /// Checks `e` and converts it to `type`: literals resolve, other types must be equal.
    func value(_ e: Expr, as type: ZType, mismatch: (ZType) -> String,
               literalMessage: ((LiteralValue) -> String)? = nil) -> TExpr? {
        convert(expr(e), to: type, mismatch: mismatch, literalMessage: literalMessage)
    }

    func convert(_ c: Checked, to type: ZType, mismatch: (ZType) -> String,
                 literalMessage: ((LiteralValue) -> String)? = nil) -> TExpr? {
        switch c {
        case .failed:
            return nil
        case .literal(let lit):
            if let literalMessage {
                typeError(literalMessage(lit), lit.span)
                return nil
            }
            return resolveLiteral(lit, to: type)
        case .value(let t):
            guard let t = defaulted(.value(t)) else { return nil }
            if type == .error { return nil }
            if t.type != type {
                typeError(mismatch(t.type), t.span)
                return nil
            }
            return t
        }
    }

    /// The function named by a call expression, for `does not return a value`.
    func calleeName(_ t: TExpr) -> String {
        switch t.kind {
        case .call(.function(let def), _, _):
            switch def.name {
            case "_zong_print_signed", "_zong_print_unsigned": "print_int"
            case "_zong_eprint_signed", "_zong_eprint_unsigned", "_zong_eprint_boolean": "eprint"
            case "_zong_eprint_bytes": "eprint_bytes"
            default: def.name
            }
        case .call(.external(let i), _, _): externs.indices.contains(i) ? externs[i].name : "?"
        case .print: "print"
        case .printBytes: "print_bytes"
        case .append: "append"
        default: "?"
        }
    }
}
