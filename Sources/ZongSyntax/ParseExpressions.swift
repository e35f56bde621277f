extension Parser {
    /// Binding levels of the infix operators (§3.3); postfix `*` lives at level 6.
    private static func infix(_ kind: TokenKind) -> (op: BinaryOperator?, level: Int)? {
        switch kind {
        case .assign: (nil, 1)
        case .pipePipe: (.or, 2)
        case .ampAmp: (.and, 3)
        case .equal: (.equal, 4)
        case .notEqual: (.notEqual, 4)
        case .less: (.less, 4)
        case .greater: (.greater, 4)
        case .lessEqual: (.lessOrEqual, 4)
        case .greaterEqual: (.greaterOrEqual, 4)
        case .plus: (.add, 5)
        case .minus: (.subtract, 5)
        case .compoundAssign(let op): (op, 1)
        case .pipe: (.bitOr, 5)
        case .caret: (.bitXor, 5)
        case .star: (.multiply, 6)
        case .slash: (.divide, 6)
        case .percent: (.remainder, 6)
        case .amp: (.bitAnd, 6)  // only when binary (`ampIsBinary`); else postfix address-of
        case .ampCaret: (.andNot, 6)
        case .shiftLeft: (.shiftLeft, 6)
        case .shiftRight: (.shiftRight, 6)
        default: nil
        }
    }

    private static let derefLevel = 6

    /// A `&` is binary and-ing exactly when a `*` would be multiplication (§3.3); otherwise it
    /// is postfix address-of.
    private func ampIsBinary() -> Bool { starIsMultiplication() }

    /// A `*` is multiplication when the next token can start an operand (§3.3).
    private func starIsMultiplication() -> Bool {
        switch token(1).kind {
        case .lowerIdent, .upperIdent, .integer, .leftParen, .leftBracket: true
        default: false
        }
    }

    func node(_ kind: Expr.Kind, _ span: SourceSpan, _ child: Expr, _ other: Expr? = nil) -> Expr {
        let depth = 1 + max(child.depth, other?.depth ?? 0)
        checkTreeDepth(depth)
        return Expr(kind, span: span, depth: depth)
    }

    var invalidExpr: Expr { Expr(.invalid, span: current.span) }

    /// expr = precedence climbing over the levels of §3.3, starting at `minLevel`.
    func parseExpression(minLevel: Int = 1) -> Expr {
        guard enter() else { return invalidExpr }
        defer { leave() }
        var left = parseUnary()
        while !failed {
            if at(.star), !starIsMultiplication() {
                guard Self.derefLevel >= minLevel else { break }
                let star = advance()
                left = parsePostfixSuffixes(node(.dereference(left), left.span.merged(with: star.span), left))
                continue
            }
            guard let (op, level) = Self.infix(current.kind), level >= minLevel else { break }
            let opToken = advance()
            // `=` and `op=` are right-associative; every other operator is left-associative.
            let right = parseExpression(minLevel: level == 1 ? level : level + 1)
            if failed { break }
            let span = left.span.merged(with: right.span)
            if case .compoundAssign = opToken.kind, let op {
                left = node(.compoundAssign(op, left, right), span, left, right)
            } else {
                left = op.map { node(.binary($0, left, right), span, left, right) } ?? node(.assign(left, right), span, left, right)
            }
        }
        return left
    }

    /// unary = "-" expr(6) | "!" expr(5) | postfix .
    private func parseUnary() -> Expr {
        switch current.kind {
        case .minus:
            let op = advance()
            let operand = parseExpression(minLevel: 6)
            return node(.prefix(.negate, operand), op.span.merged(with: operand.span), operand)
        case .bang:
            let op = advance()
            let operand = parseExpression(minLevel: 5)
            return node(.prefix(.not, operand), op.span.merged(with: operand.span), operand)
        case .caret:
            // `^x` binds tightest, as in Go: its operand is a unary or postfix expression.
            let op = advance()
            guard enter() else { return invalidExpr }
            defer { leave() }
            let operand = parseUnary()
            return node(.prefix(.complement, operand), op.span.merged(with: operand.span), operand)
        default:
            let primary = parsePrimary()
            return failed ? primary : parsePostfixSuffixes(primary)
        }
    }

    /// postfix = primary { "(" args ")" | "[" expr "]" | "." LOWER_IDENT | "&" } .
    private func parsePostfixSuffixes(_ base: Expr) -> Expr {
        var expr = base
        while !failed {
            switch current.kind {
            case .leftParen:
                expr = parseCall(expr)
            case .leftBracket:
                advance()
                let index = parseExpression()
                if failed { return expr }
                guard at(.rightBracket) else {
                    fail(SyntaxMessages.expectedIndexClose, at: current.span)
                    return expr
                }
                let close = advance()
                expr = node(.index(expr, index), expr.span.merged(with: close.span), expr, index)
            case .dot:
                advance()
                guard at(.lowerIdent) else {
                    fail(SyntaxMessages.expectedFieldNameAfterDot, at: current.span)
                    return expr
                }
                let nameToken = advance()
                expr = node(.field(expr, name: self.name(nameToken), nameSpan: nameToken.span), expr.span.merged(with: nameToken.span), expr)
            case .amp where !ampIsBinary():
                let amp = advance()
                expr = node(.addressOf(expr), expr.span.merged(with: amp.span), expr)
            default:
                return expr
            }
        }
        return expr
    }

    /// call = postfix "(" [ arg { "," arg } [ "," ] ] ")" .   arg = [ LOWER_IDENT ":" ] expr .
    private func parseCall(_ callee: Expr) -> Expr {
        advance()
        var arguments: [Argument] = []
        while !at(.rightParen) {
            var label: String?
            var labelSpan: SourceSpan?
            if at(.lowerIdent), token(1).kind == .colon {
                let nameToken = advance()
                advance()
                label = self.name(nameToken)
                labelSpan = nameToken.span
            }
            let value = parseExpression()
            if failed { return callee }
            arguments.append(Argument(label: label, labelSpan: labelSpan, value: value))
            if accept(.comma) { continue }
            guard at(.rightParen) else {
                fail(SyntaxMessages.expectedArgumentSeparator, at: current.span)
                return callee
            }
        }
        let close = advance()
        let depth = 1 + max(callee.depth, arguments.map(\.value.depth).max() ?? 0)
        checkTreeDepth(depth)
        return Expr(.call(callee, arguments), span: callee.span.merged(with: close.span), depth: depth)
    }

    /// primary = INT | "true" | "false" | STRING | LOWER_IDENT | Type | "(" expr ")" .
    private func parsePrimary() -> Expr {
        let t = current
        switch t.kind {
        case .integer:
            advance()
            return Expr(.integer(integerLiteral(t)), span: t.span)
        case .keyword(.true), .keyword(.false):
            advance()
            return Expr(.boolean(t.kind == .keyword(.true)), span: t.span)
        case .string:
            advance()
            return Expr(.string(t.text), span: t.span)
        case .lowerIdent:
            advance()
            return Expr(.name(name(t)), span: t.span)
        case .upperIdent:
            guard let type = parseType(context: .expression) else { return invalidExpr }
            return Expr(.type(type), span: type.span)
        case .leftParen:
            advance()
            let inner = parseExpression()
            if failed { return inner }
            guard accept(.rightParen) else {
                fail(SyntaxMessages.expectedParenAfterExpression, at: current.span)
                return inner
            }
            return inner
        default:
            fail(SyntaxMessages.unexpectedToken(t.kind), at: t.span)
            return invalidExpr
        }
    }

    /// The exact value of a decimal, `0x` or `0b` literal (`_` separators skipped); above
    /// 2^64 - 1 is an error (§2.6). A literal the lexer found malformed is 0 (already reported).
    private func integerLiteral(_ t: Token) -> IntegerLiteral {
        let text = source[t.span.start..<t.span.end]
        guard t.text.isEmpty else { return IntegerLiteral(magnitude: 0, digits: "0") }
        var radix: UInt64 = 10
        var digitBytes = text[...]
        if text.count > 2, text.first == UInt8(ascii: "0"), let p = text.dropFirst().first,
           p | 0x20 == UInt8(ascii: "x") || p | 0x20 == UInt8(ascii: "b") {
            radix = p | 0x20 == UInt8(ascii: "x") ? 16 : 2
            digitBytes = text.dropFirst(2)
        }
        var value: UInt64 = 0
        var overflow = false
        for c in digitBytes where c != UInt8(ascii: "_") {
            let digit = UInt64(Lexer.digitValue(c) ?? 0)
            let (times, o1) = value.multipliedReportingOverflow(by: radix)
            let (sum, o2) = times.addingReportingOverflow(digit)
            if o1 || o2 { overflow = true; break }
            value = sum
        }
        var digits: String
        if radix == 10 {
            digits = String(decoding: digitBytes.filter { $0 != UInt8(ascii: "_") }.drop { $0 == UInt8(ascii: "0") }, as: UTF8.self)
            if digits.isEmpty { digits = "0" }
        } else {
            digits = String(decoding: text, as: UTF8.self)
        }
        if overflow {
            let shown = digits.count > 40 ? String(digits.prefix(20)) + "…(\(digits.count) digits)" : digits
            report(SyntaxMessages.integerTooLarge(shown), at: t.span)
            value = 0
        } else if radix != 10 {
            digits = String(value)
        }
        return IntegerLiteral(magnitude: value, digits: digits)
    }
}
