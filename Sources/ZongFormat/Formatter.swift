import ZongSyntax

/// `zong fmt`: one canonical layout, in gofmt's spirit (no options). It works on the tokens
/// and the comments between them, so it never changes which tokens a file has (and so never
/// its meaning: the tests re-parse and compare the trees), and it keeps every comment.
///
/// The layout: four spaces per level of `{ }`, and one more for each line that left a `(` or
/// `[` open; one space around binary operators, after `,` and `:` and keywords, none inside
/// brackets, before postfix `&` and `*`, after prefix `-`, `!` and `^`, or around `.`; no trailing
/// spaces; at most one blank line in a row; no blank lines at the start or end; exactly one
/// newline at the end. Line breaks are the author's (as in gofmt), except that a block written
/// over several lines has its `{` end a line and its `}` start one.
public enum Formatter {
    public enum Failure: Error {
        /// The file does not parse: formatting it could not be proved to keep its meaning.
        case syntaxErrors([Diagnostic])
    }

    /// The formatted text, or the file's syntax errors.
    public static func format(_ file: SourceFile) -> Result<[UInt8], Failure> {
        let parsed = parseProgram(file)
        if !parsed.diagnostics.isEmpty { return .failure(.syntaxErrors(parsed.diagnostics)) }
        var layout = Layout(file: file, tokens: tokenize(file))
        return .success(layout.run())
    }

    public static func format(_ text: String, name: String = "<stdin>") -> Result<String, Failure> {
        format(SourceFile(name: name, text: text)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A comment between two tokens, with the newlines written before it.
struct Comment {
    var text: ArraySlice<UInt8>
    var newlinesBefore: Int
    var isLine: Bool
}

struct Layout {
    let file: SourceFile
    let tokens: [Token]
    var out: [UInt8] = []
    /// Open brackets of every kind: the kind and the output line it was opened on.
    var open: [(kind: TokenKind, line: Int, multiline: Bool)] = []
    var line = 0
    /// Nothing but indentation is on the current output line yet.
    var atLineStart = true
    /// The next token (or own-line comment) must start a new line.
    var forceNewline = false
    /// Nothing has been written since a `{`.
    var justOpened = false
    /// Output offsets of `//` comments that follow code on their line.
    var trailing: [Int] = []

    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    func bytes(_ t: Token) -> ArraySlice<UInt8> { file.bytes[t.span.start..<t.span.end] }

    mutating func run() -> [UInt8] {
        var previousEnd = 0
        var previous: Token?
        for (i, t) in tokens.enumerated() {
            let (comments, newlinesAfter) = gap(from: previousEnd, to: t.span.start)
            for c in comments {
                emitBreak(c.newlinesBefore, previous: previous, next: nil, isComment: true)
                if c.isLine, c.newlinesBefore == 0, !out.isEmpty, out.last != UInt8(ascii: "\n") { trailing.append(out.count) }
                out += c.text
                atLineStart = false
                if c.isLine { forceNewline = true }
            }
            let newlines = newlinesAfter
            if t.kind == .eof { break }
            emitBreak(newlines, previous: comments.isEmpty ? previous : nil, next: (i, t), isComment: false,
                      afterComment: !comments.isEmpty)
            token(i, t)
            previous = t
            previousEnd = t.span.end
        }
        while out.last == UInt8(ascii: " ") { out.removeLast() }
        if !out.isEmpty { out.append(UInt8(ascii: "\n")) }
        return alignTrailingComments()
    }

    /// Trailing `//` comments on consecutive lines start in one column: one space after the
    /// longest code among them (as gofmt does).
    func alignTrailingComments() -> [UInt8] {
        guard !trailing.isEmpty else { return out }
        // Lines as (start, end) offsets, and the trailing comment's offset on each, if any.
        var lines: [(start: Int, end: Int, comment: Int?)] = []
        var start = 0
        var next = 0
        for (i, b) in out.enumerated() where b == UInt8(ascii: "\n") {
            var comment: Int?
            while next < trailing.count, trailing[next] < i {
                if trailing[next] >= start { comment = trailing[next] }
                next += 1
            }
            lines.append((start, i, comment))
            start = i + 1
        }
        var result: [UInt8] = []
        result.reserveCapacity(out.count + 64)
        var i = 0
        while i < lines.count {
            guard lines[i].comment != nil else {
                result += out[lines[i].start...lines[i].end]
                i += 1
                continue
            }
            var j = i
            while j < lines.count, lines[j].comment != nil { j += 1 }
            func codeEnd(_ l: (start: Int, end: Int, comment: Int?)) -> Int {
                var e = l.comment ?? l.end
                while e > l.start, out[e - 1] == UInt8(ascii: " ") { e -= 1 }
                return e
            }
            let column = lines[i..<j].map { SourceFile.columns(in: out[$0.start..<codeEnd($0)]) }.max() ?? 0
            for l in lines[i..<j] {
                let end = codeEnd(l)
                result += out[l.start..<end]
                result += Array(repeating: UInt8(ascii: " "), count: column - SourceFile.columns(in: out[l.start..<end]) + 1)
                result += out[(l.comment ?? l.end)...l.end]
            }
            i = j
        }
        return result
    }

    /// The comments in the whitespace between two tokens, and the newlines after the last one.
    func gap(from start: Int, to end: Int) -> ([Comment], Int) {
        var comments: [Comment] = []
        var newlines = 0
        var i = start
        let b = file.bytes
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "\n") {
                newlines += 1
                i += 1
            } else if c == UInt8(ascii: "/"), i + 1 < end, b[i + 1] == UInt8(ascii: "/") {
                var j = i
                while j < end, b[j] != UInt8(ascii: "\n") { j += 1 }
                var text = b[i..<j]
                while let last = text.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r") {
                    text = text.dropLast()
                }
                comments.append(Comment(text: text, newlinesBefore: newlines, isLine: true))
                newlines = 0
                i = j
            } else if c == UInt8(ascii: "/"), i + 1 < end, b[i + 1] == UInt8(ascii: "*") {
                var j = i + 2
                while j + 1 < end, !(b[j] == UInt8(ascii: "*") && b[j + 1] == UInt8(ascii: "/")) { j += 1 }
                j = min(j + 2, end)
                comments.append(Comment(text: b[i..<j], newlinesBefore: newlines, isLine: false))
                newlines = 0
                i = j
            } else {
                i += 1
            }
        }
        return (comments, newlines)
    }

    /// What goes between the previous output and the next token or comment.
    mutating func emitBreak(_ newlines: Int, previous: Token?, next: (Int, Token)?, isComment: Bool, afterComment: Bool = false) {
        if out.isEmpty {
            forceNewline = false
            writeIndent(closing: next.map { closes($0.1.kind) } ?? false)
            return
        }
        // A comment on the line it follows stays there (`{ // why`), even where a new line is due.
        if isComment, newlines == 0 {
            while out.last == UInt8(ascii: " ") { out.removeLast() }
            out.append(UInt8(ascii: " "))
            return
        }
        var lines = min(newlines, 2)
        // No blank line just inside a block's braces.
        if justOpened || next?.1.kind == .rightBrace { lines = min(lines, 1) }
        justOpened = false
        if forceNewline { lines = max(lines, 1) }
        if let (_, t) = next, t.kind == .rightBrace, open.last?.multiline == true { lines = max(lines, 1) }
        forceNewline = false
        if lines > 0 {
            while out.last == UInt8(ascii: " ") { out.removeLast() }
            out += Array(repeating: UInt8(ascii: "\n"), count: lines)
            line += lines
            atLineStart = true
            writeIndent(closing: next.map { closes($0.1.kind) } ?? false)
            return
        }
        if isComment || afterComment {
            out.append(UInt8(ascii: " "))
            return
        }
        if let previous, let (i, t) = next, needsSpace(previous, i, t) {
            out.append(UInt8(ascii: " "))
        }
    }

    mutating func writeIndent(closing: Bool) {
        var levels = 0
        var lastParenLine = -1
        let entries = closing ? open.dropLast() : open[...]
        for e in entries {
            if e.kind == .leftBrace {
                levels += 1
            } else if e.line != lastParenLine {
                levels += 1
                lastParenLine = e.line
            }
        }
        out += Array(repeating: UInt8(ascii: " "), count: 4 * levels)
    }

    func closes(_ kind: TokenKind) -> Bool {
        kind == .rightBrace || kind == .rightParen || kind == .rightBracket
    }

    mutating func token(_ i: Int, _ t: Token) {
        out += bytes(t)
        atLineStart = false
        switch t.kind {
        case .leftBrace:
            justOpened = true
            let multiline = closingBraceIsOnALaterLine(i)
            open.append((.leftBrace, line, multiline))
            if multiline { forceNewline = true }
        case .leftParen, .leftBracket:
            open.append((t.kind, line, false))
        case .rightBrace:
            let wasMultiline = open.last?.multiline ?? false
            if !open.isEmpty { open.removeLast() }
            if wasMultiline, i + 1 < tokens.count {
                switch tokens[i + 1].kind {
                case .keyword(.else), .semicolon, .rightParen, .comma, .rightBrace, .eof: break
                default: forceNewline = true
                }
            }
        case .rightParen, .rightBracket:
            if !open.isEmpty { open.removeLast() }
        default:
            break
        }
    }

    /// Whether the `}` matching the `{` at `i` is on a later line of the input (or there are
    /// comments that need lines of their own inside).
    func closingBraceIsOnALaterLine(_ i: Int) -> Bool {
        var depth = 0
        var j = i
        while j < tokens.count {
            switch tokens[j].kind {
            case .leftBrace: depth += 1
            case .rightBrace:
                depth -= 1
                if depth == 0 {
                    return file.bytes[tokens[i].span.end..<tokens[j].span.start].contains(UInt8(ascii: "\n"))
                }
            case .eof: return false
            default: break
            }
            j += 1
        }
        return false
    }

    // MARK: spacing on one line

    /// Whether the token ends an operand, so that a following `-` is binary and `*`/`&` may be postfix.
    func endsOperand(_ t: Token) -> Bool {
        switch t.kind {
        case .lowerIdent, .upperIdent, .integer, .string, .char, .rightParen, .rightBracket, .keyword(.true), .keyword(.false):
            return true
        default:
            return false
        }
    }

    func startsOperand(_ kind: TokenKind) -> Bool {
        switch kind {
        case .lowerIdent, .upperIdent, .integer, .leftParen, .leftBracket: true
        default: false
        }
    }

    /// `*` and `&` after an operand are postfix unless what follows starts an operand
    /// (LANGUAGE.md §3.3: the parser's rule for `*`).
    func isPostfix(_ i: Int) -> Bool {
        let t = tokens[i]
        guard t.kind == .star || t.kind == .amp, i > 0 else { return false }
        let before = tokens[i - 1]
        guard endsOperand(before) || isPostfixToken(i - 1) else { return false }
        // A `&` that ends its line is an address-of (spacing only: the tokens stay as they are).
        if t.kind == .amp, file.bytes[t.span.end..<tokens[i + 1].span.start].contains(UInt8(ascii: "\n")) { return true }
        return !startsOperand(tokens[i + 1].kind)
    }

    func isPostfixToken(_ i: Int) -> Bool {
        guard i > 0 else { return false }
        return (tokens[i].kind == .star || tokens[i].kind == .amp) && isPostfix(i)
    }

    /// `-`, `!` and `^` (complement) (and a stray `*`, `&`) that start an operand.
    func isPrefix(_ i: Int) -> Bool {
        let t = tokens[i]
        guard [.minus, .bang, .caret, .star, .amp].contains(t.kind) else { return false }
        guard i > 0 else { return true }
        return !(endsOperand(tokens[i - 1]) || isPostfixToken(i - 1))
    }

    func needsSpace(_ a: Token, _ i: Int, _ b: Token) -> Bool {
        let want = wantsSpace(a, i, b)
        if want { return true }
        // Never glue two tokens into one (`- -x`, `/ /`).
        return glues(a, b)
    }

    func wantsSpace(_ a: Token, _ i: Int, _ b: Token) -> Bool {
        let ai = i - 1
        switch b.kind {
        case .comma, .semicolon, .rightParen, .rightBracket, .dot, .colon: return false
        default: break
        }
        switch a.kind {
        case .leftParen, .leftBracket, .dot: return false
        default: break
        }
        if (b.kind == .star || b.kind == .amp) && isPostfix(i) { return false }
        if isPrefix(ai) { return false }
        if b.kind == .leftParen || b.kind == .leftBracket {
            // Calls, constructors, indexing and the `[]` of a slice type hug what they follow.
            if endsOperand(a) || isPostfixToken(ai) { return false }
            return true
        }
        if a.kind == .leftBrace && b.kind == .rightBrace { return false }
        return true
    }

    func glues(_ a: Token, _ b: Token) -> Bool {
        var joined = Array(bytes(a))
        joined += bytes(b)
        let t = tokenize(SourceFile(name: "", bytes: joined))
        return t.count != 3 || t[0].kind != a.kind || t[1].kind != b.kind
    }
}
