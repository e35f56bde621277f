/// Notes and fix-its for parse errors that come from habits of other languages (Go above
/// all): `x := 5`, `x int`, prefix `&x` and `*p`, `i++`, `func f() int`, `[]T`. The messages
/// themselves stay the catalogued ones (LANGUAGE.md §11); the help goes into notes, and is
/// phrased so that it stays true as the language grows (it only suggests forms Zong has).
public enum SyntaxHints {
    public static func explain(_ diagnostics: [Diagnostic], in file: SourceFile) -> [Diagnostic] {
        guard !diagnostics.isEmpty else { return diagnostics }
        // Hints look at a diagnostic's own and neighbouring tokens only.
        let last = diagnostics.map(\.span.end).max() ?? 0
        let tokens = tokenize(file, upTo: last + 1)
        return diagnostics.map { explain($0, tokens, file) }
    }

    private static func explain(_ d: Diagnostic, _ tokens: [Token], _ file: SourceFile) -> Diagnostic {
        guard d.notes.isEmpty, d.severity == .error, let i = index(at: d.span.start, tokens) else { return d }
        var d = d
        let t = tokens[i]
        let next = i + 1 < tokens.count ? tokens[i + 1] : t
        let previous = i > 0 ? tokens[i - 1] : nil
        func text(_ t: Token) -> String { String(decoding: file.bytes[t.span.start..<t.span.end], as: UTF8.self) }
        func note(_ message: String, _ span: SourceSpan? = nil) { d.notes.append(.init(message, at: span ?? t.span)) }
        func isName(_ t: Token?) -> Bool { t?.kind == .lowerIdent || t?.kind == .upperIdent }

        switch t.kind {
        case .colonAssign:
            let name = previous.map(text) ?? "x"
            note("Zong has no ':='; declare a variable with 'var \(name): TYPE = VALUE', or assign with '\(name) = VALUE'")
        case .amp where startsOperand(next.kind):
            note("taking an address is a postfix operator in Zong: write '\(isName(next) ? text(next) : "x")&'")
            if isName(next), tokens.count > i + 2, !postfixFollows(tokens[i + 2].kind) {
                d.fixIts.append(.init(replacing: t.span.merged(with: next.span), with: text(next) + "&"))
            }
        case .star where startsOperand(next.kind) && d.message.hasPrefix("unexpected token"):
            note("dereferencing is a postfix operator in Zong: write '\(isName(next) ? text(next) : "p")*'")
            if isName(next), tokens.count > i + 2, !postfixFollows(tokens[i + 2].kind) {
                d.fixIts.append(.init(replacing: t.span.merged(with: next.span), with: text(next) + "*"))
            }
        case .plusPlus, .minusMinus:
            let name = previous.map(text) ?? "i"
            let op = t.kind == .plusPlus ? "+" : "-"
            note("Zong has no '\(t.kind.name)'; write '\(name) = \(name) \(op) 1'")
        case .keyword(.for) where d.message.hasPrefix("unexpected token"):
            note("this form of 'for' is not Zong; repeat with 'loop { … }' and leave it with 'break'")
        case .keyword(.switch), .keyword(.case):
            note("Zong has no 'switch'; use 'if … { } else if … { }'")
        case .keyword(.const):
            note("Zong has no 'const'; use 'var NAME: TYPE = VALUE'")
        case .leftBracket where next.kind == .rightBracket && isName(tokens.count > i + 2 ? tokens[i + 2] : nil):
            let element = text(tokens[i + 2])
            let zong = ForeignTypeNames.zongName[element] ?? element
            note("slice types put '[]' after the element type: '\(zong)[]'")
            d.fixIts.append(.init(replacing: t.span.merged(with: tokens[i + 2].span), with: zong + "[]"))
        case .lowerIdent, .upperIdent:
            let name = text(t)
            if d.message == "expected ':' after parameter name" || d.message == "expected ':' after variable name" {
                // `x int` / `x I64`: Go's order without the colon.
                let type = ForeignTypeNames.zongName[name] ?? name
                let owner = previous.map(text) ?? "x"
                note("write the type after a colon: '\(owner): \(type)'")
                let from = previous?.span.end ?? t.span.start
                d.fixIts.append(.init(replacing: SourceSpan(start: from, end: t.span.end), with: ": " + type))
            } else if d.message.hasPrefix("expected type name") || d.message == "expected return type after ':'" {
                if let zong = ForeignTypeNames.zongName[name] {
                    note("Zong spells this type '\(zong)'")
                    d.fixIts.append(.init(replacing: t.span, with: zong))
                } else {
                    note("type names start with an uppercase letter (I64, U8, Boolean, a struct name)")
                }
            } else if d.message == "expected '{' for function body", previous?.kind == .rightParen {
                // `func f() int {`: the return type needs its colon.
                let type = ForeignTypeNames.zongName[name] ?? name
                note("a return type follows a colon: '): \(type)'")
                d.fixIts.append(.init(replacing: SourceSpan(start: previous?.span.end ?? t.span.start, end: t.span.end), with: ": " + type))
            }
        case .assign where d.message == "expected ':' after variable name":
            note("a variable needs its type: 'var \(previous.map(text) ?? "x"): TYPE = VALUE' (Zong does not infer it)")
        default:
            break
        }
        return d
    }

    private static func startsOperand(_ kind: TokenKind) -> Bool {
        switch kind {
        case .lowerIdent, .upperIdent, .integer, .leftParen, .string: true
        default: false
        }
    }

    /// After `&x`, one of these means the operand goes on (`&x.f`, `&a[i]`), so swapping the
    /// two tokens would change which expression is meant: no fix-it then.
    private static func postfixFollows(_ kind: TokenKind) -> Bool {
        switch kind {
        case .dot, .leftBracket, .leftParen: true
        default: false
        }
    }

    /// The token starting at `offset` (or the one containing it).
    private static func index(at offset: Int, _ tokens: [Token]) -> Int? {
        var lo = 0, hi = tokens.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if tokens[mid].span.start <= offset { lo = mid } else { hi = mid - 1 }
        }
        guard lo < tokens.count, tokens[lo].span.start <= offset, offset <= max(tokens[lo].span.end, tokens[lo].span.start) else { return nil }
        return lo
    }
}
