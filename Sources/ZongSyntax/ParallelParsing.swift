/// A large program is parsed in parts at once: lexed whole first, then cut before top-level
/// `func` declarations into parts of similar size, each parsed by a parser of its own as if it
/// were the whole input.
///
/// A part is cut only where one top-level statement has just ended with `}` or `;` and the
/// next begins with `func` (brackets all closed), so a parser that starts there is in the same
/// state as one that has parsed everything before. Each part's parser sees an end of input where
/// the whole-file parser would see that `func`; in a part that parses without errors no
/// decision depended on the difference (a statement complete at its `}` or `;` does not look
/// further). Any diagnostic, from the lexer or any part, and the file is parsed again in one
/// piece, so errors are reported exactly as before (recovery may cross the cuts).
func parseInParts(_ file: SourceFile, tasks: TaskRunner) -> ParseResult? {
    guard file.bytes.count >= ParallelParsing.minimumBytes else { return nil }
    var lexer = Lexer(file)
    var tokens: [Token] = []
    tokens.reserveCapacity(file.bytes.count / 4)
    while true {
        let t = lexer.next()
        tokens.append(t)
        if t.kind == .eof { break }
    }
    guard lexer.diagnostics.isEmpty else { return nil }
    let parts = ParallelParsing.parts(tokens, count: ParallelParsing.partCount)
    guard parts.count > 1 else { return nil }

    var results = [[Stmt]?](repeating: nil, count: parts.count)
    results.withUnsafeMutableBufferPointer { slots in
        tasks(parts.count) { i in
            let range = parts[i]
            let parser = Parser(file, tokens: tokens, range: range, end: tokens[range.upperBound].span)
            let statements = parser.parseStatements(untilBrace: false)
            if parser.allDiagnostics().isEmpty { slots[i] = statements }
        }
    }
    var statements: [Stmt] = []
    for part in results {
        guard let part else { return nil }
        statements += part
    }
    return ParseResult(program: ProgramSyntax(statements: statements, isExpression: false), diagnostics: [])
}

enum ParallelParsing {
    /// Smaller files are parsed in one piece: lexing ahead would cost more than it saves.
    static let minimumBytes = 64 << 10
    /// Parts per file: more than the cores, so that uneven parts still keep them all busy.
    static let partCount = 16

    /// Token ranges (the last ends at the end-of-input token) that cover `tokens` in order.
    static func parts(_ tokens: [Token], count: Int) -> [Range<Int>] {
        let end = tokens.count - 1  // the end-of-input token
        let target = max(end / count, 1)
        var parts: [Range<Int>] = []
        var start = 0
        var depth = 0
        for i in tokens.indices.dropLast() {
            switch tokens[i].kind {
            case .leftParen, .leftBrace, .leftBracket: depth += 1
            case .rightParen, .rightBrace, .rightBracket: depth -= 1
            case .keyword(.func) where depth == 0 && i - start >= target && i > 0:
                let previous = tokens[i - 1].kind
                if previous == .rightBrace || previous == .semicolon {
                    parts.append(start..<i)
                    start = i
                }
            default: break
            }
        }
        parts.append(start..<end)
        return parts
    }
}
