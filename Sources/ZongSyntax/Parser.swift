/// Whether a source text is a whole program or a single expression (a `zong-expr`, §1.1).
public enum SourceForm: Sendable {
    case program
    case expression
}

public struct ParseResult: @unchecked Sendable {
    public var program: ProgramSyntax
    /// Lexer and parser diagnostics (phase 1), in source order.
    public var diagnostics: [Diagnostic]
}

/// Parses a source file. Never fails: errors are diagnostics, and the parser always terminates
/// (every loop consumes a token or stops) in time linear in the input.
/// - Parameter errorLimit: stop lexing and parsing once more than this many errors were found
///   (0: no limit), so that junk input costs time and memory for that many errors only.
public func parseProgram(_ file: SourceFile, form: SourceForm = .program, errorLimit: Int = 0) -> ParseResult {
    let parser = Parser(file)
    parser.errorLimit = errorLimit
    let program = parser.parseUnit(form)
    return ParseResult(program: program, diagnostics: parser.allDiagnostics().map { $0.coded("syntax") })
}

/// Caps on recursion and tree height, so that input nested too deep gets a diagnostic instead
/// of overflowing the stack here or in the recursive passes after parsing.
public enum ParsingLimits {
    public static let maxNestingDepth = 1000
}

/// The token cursor, error reporting and recovery. The grammar rules live in the
/// Parse*.swift files, one function per rule.
final class Parser {
    private var lexer: Lexer
    /// Look-ahead tokens: `buffer[head...]` are lexed but not yet consumed.
    private var buffer: [Token] = []
    private var head = 0
    /// Tokens consumed so far; used to guarantee progress during recovery.
    private(set) var consumed = 0
    private var errors = DiagnosticList()
    /// Set by `fail`: the current statement is abandoned and the statement loop resynchronizes.
    var failed = false
    /// Set when the nesting limit is hit: from then on the input looks exhausted.
    private(set) var aborted = false
    private var nesting = 0
    private let eofSpan: SourceSpan
    let source: [UInt8]
    /// More errors than this (lexer's and parser's together) stop parsing; 0: no limit.
    var errorLimit = 0 {
        didSet { lexer.errorLimit = errorLimit }
    }

    init(_ file: SourceFile) {
        self.lexer = Lexer(file)
        self.source = file.bytes
        self.eofSpan = SourceSpan(start: file.bytes.count, end: file.bytes.count)
    }

    func allDiagnostics() -> [Diagnostic] {
        // Lexer messages first at equal positions: they describe the token the parser then rejects.
        let tagged = lexer.diagnostics.items.map { ($0, 0) } + errors.items.map { ($0, 1) }
        return tagged.enumerated().sorted { a, b in
            (a.element.0.span.start, a.element.1, a.offset) < (b.element.0.span.start, b.element.1, b.offset)
        }.map { $0.element.0 }
    }

    // MARK: cursor

    var current: Token { token(0) }

    func token(_ k: Int) -> Token {
        if aborted { return Token(kind: .eof, span: eofSpan) }
        while buffer.count <= head + k {
            buffer.append(lexer.next())
            if errorLimit > 0, lexer.diagnostics.items.count + errors.items.count > errorLimit {
                stopAtErrorLimit()
                return Token(kind: .eof, span: eofSpan)
            }
        }
        return buffer[head + k]
    }

    func at(_ kind: TokenKind) -> Bool { current.kind == kind }

    /// The spelling of a name or number token, read from the source.
    func name(_ t: Token) -> String {
        String(decoding: source[t.span.start..<t.span.end], as: UTF8.self)
    }

    @discardableResult
    func advance() -> Token {
        let t = current
        if t.kind != .eof, head < buffer.count {
            head += 1
            consumed += 1
            if head >= 4096 {
                buffer.removeFirst(head)
                head = 0
            }
        }
        return t
    }

    /// Consumes `kind` if it is the current token.
    @discardableResult
    func accept(_ kind: TokenKind) -> Bool {
        guard at(kind) else { return false }
        advance()
        return true
    }

    // MARK: errors

    /// Records an error and carries on parsing the construct.
    func report(_ message: String, at span: SourceSpan) {
        guard !aborted else { return }
        errors.error(message, at: span)
        if errorLimit > 0, lexer.diagnostics.items.count + errors.items.count > errorLimit { stopAtErrorLimit() }
    }

    /// Past the error limit, the input looks exhausted from here on, as after `abort`.
    private func stopAtErrorLimit() {
        aborted = true
        failed = true
        buffer.removeAll()
        head = 0
    }

    /// Records an error and abandons the current statement.
    func fail(_ message: String, at span: SourceSpan) {
        report(message, at: span)
        failed = true
    }

    // MARK: nesting

    /// Enters one level of recursion; false (after reporting once) when the limit is exceeded.
    func enter() -> Bool {
        nesting += 1
        if nesting > ParsingLimits.maxNestingDepth {
            abort()
            return false
        }
        return true
    }

    func leave() { nesting -= 1 }

    /// A node whose depth exceeds the limit aborts parsing (long left-leaning operator chains).
    func checkTreeDepth(_ depth: Int) {
        if depth > ParsingLimits.maxNestingDepth { abort() }
    }

    private func abort() {
        guard !aborted else { return }
        report(SyntaxMessages.nestingTooDeep, at: current.span)
        aborted = true
        failed = true
        buffer.removeAll()
        head = 0
    }

    // MARK: recovery

    /// After a failed statement: make progress, then skip to just after a `;`, or to a `}`, a
    /// statement keyword or the first token of a later line, skipping balanced `{ … }` groups
    /// whole (so `x := 5` newline `print(y)` still checks the `print`).
    func synchronize(startedAt start: Int) {
        failed = false
        if consumed == start { advance() }
        var depth = 0
        var previousEnd = current.span.start
        while !at(.eof) {
            if depth == 0, newline(from: previousEnd, to: current.span.start) { return }
            previousEnd = current.span.end
            switch current.kind {
            case .semicolon where depth == 0:
                advance()
                return
            case .leftBrace:
                depth += 1
            case .rightBrace:
                if depth == 0 { return }
                depth -= 1
                if depth == 0 {
                    advance()
                    return
                }
            case .keyword(let k) where depth == 0 && k.startsStatement:
                return
            default:
                break
            }
            advance()
        }
    }
}

extension Parser {
    /// True when a newline lies in the bytes between two tokens (whitespace and comments).
    func newline(from start: Int, to end: Int) -> Bool {
        var i = start
        while i < end {
            if source[i] == UInt8(ascii: "\n") { return true }
            i += 1
        }
        return false
    }
}

extension Keyword {
    var startsStatement: Bool {
        switch self {
        case .struct, .func, .extern, .var, .if, .loop, .for, .break, .continue, .return: true
        default: false
        }
    }
}
