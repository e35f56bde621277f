import ZongSema
import ZongSyntax

/// Hover over any expression that is not a name: `a + b`, `f(x: 1)`, `p.x`, `s[i]`, `p*`, a
/// literal, `( … )`: its type as the checker gave it. A file with errors still answers for what
/// checked (Sema keeps the bodies of a failed check; a failed expression has no node, and then
/// nothing answers but the literal and name hovers).
extension Document {
    func expressionHover(at offset: Int) -> [String: Any]? {
        let (query, shown) = group(at: offset) ?? (offset..<(offset + 1), nil)
        guard let e = innermostExpression(containing: query, in: checkedFunctions) else { return nil }
        let code: String
        switch e.type {
        case .error: return nil
        case .void: code = "void  // no value"
        default: code = "\(e.type)"
        }
        return ["contents": ["kind": "markdown", "value": "```zong\n\(code)\n```"], "range": range(shown ?? e.span)]
    }

    /// On a grouping parenthesis: the bytes between the parentheses (for the query; no node
    /// spans the parentheses themselves) and the whole group (for the answer's range). `((e))`
    /// is e's group too. Nil elsewhere, and on a call's parentheses: the call's node contains them.
    func group(at offset: Int) -> (inner: Range<Int>, whole: SourceSpan)? {
        guard let i = tokens.firstIndex(where: { $0.span.start <= offset && offset < $0.span.end }) else { return nil }
        var open: Int, close: Int
        switch tokens[i].kind {
        case .leftParen:
            open = i
            guard let c = matchingParenthesis(open) else { return nil }
            close = c
        case .rightParen:
            guard let o = matchingOpening(i) else { return nil }
            (open, close) = (o, i)
        default:
            return nil
        }
        // A `(` right after a name, a type, `)` or `]` opens arguments (`f(`, `Point(`, `U8[](`).
        if open > 0, [.lowerIdent, .upperIdent, .rightParen, .rightBracket].contains(tokens[open - 1].kind) { return nil }
        let whole = tokens[open].span.merged(with: tokens[close].span)
        while close - open > 2, tokens[open + 1].kind == .leftParen, matchingParenthesis(open + 1) == close - 1 {
            open += 1
            close -= 1
        }
        guard close - open >= 2 else { return nil }
        return (tokens[open + 1].span.start..<tokens[close - 1].span.end, whole)
    }

    /// The index of the `(` that the `)` at token `close` closes.
    func matchingOpening(_ close: Int) -> Int? {
        var depth = 0
        for j in stride(from: close, through: 0, by: -1) {
            if tokens[j].kind == .rightParen { depth += 1 }
            if tokens[j].kind == .leftParen {
                depth -= 1
                if depth == 0 { return j }
            }
        }
        return nil
    }

    /// The index of the `)` that closes the `(` at token `open`.
    func matchingParenthesis(_ open: Int) -> Int? {
        guard tokens[open].kind == .leftParen else { return nil }
        var depth = 0
        for j in open..<tokens.count {
            if tokens[j].kind == .leftParen { depth += 1 }
            if tokens[j].kind == .rightParen {
                depth -= 1
                if depth == 0 { return j }
            }
        }
        return nil
    }
}
