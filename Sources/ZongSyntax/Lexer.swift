/// Bytes to tokens (LANGUAGE.md §2). Lazy: the parser pulls one token at a time, so lexical
/// errors interleave with parser errors in source order and each is reported exactly once.
/// Every step consumes at least one byte, so lexing always terminates in linear time.
struct Lexer {
    private let bytes: [UInt8]
    private var pos = 0
    private(set) var diagnostics = DiagnosticList()
    /// Errors past this many (0: no limit) are dropped: one literal can hold millions of bad
    /// escapes, and the parser stops at its error limit only between tokens.
    var errorLimit = 0

    private mutating func error(_ message: String, at span: SourceSpan) {
        if errorLimit > 0, diagnostics.items.count > errorLimit { return }
        diagnostics.error(message, at: span)
    }

    init(_ file: SourceFile) {
        self.bytes = file.bytes
    }

    mutating func next() -> Token {
        skipTrivia()
        guard pos < bytes.count else {
            return Token(kind: .eof, span: SourceSpan(start: bytes.count, end: bytes.count))
        }
        let start = pos
        let c = bytes[pos]
        if isLetter(c) || c == UInt8(ascii: "_") { return identifier(start) }
        if isDigit(c) { return integer(start) }
        if c == UInt8(ascii: "\"") { return string(start) }
        if c == UInt8(ascii: "'") { return char(start) }
        if let kind = punctuation() { return Token(kind: kind, span: SourceSpan(start: start, end: pos)) }
        return illegal(start)
    }

    // MARK: trivia

    private mutating func skipTrivia() {
        while pos < bytes.count {
            switch bytes[pos] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                pos += 1
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                skipBlockComment()
            default:
                return
            }
        }
    }

    /// Block comments do not nest; an unterminated one is an error at its opening `/*`.
    private mutating func skipBlockComment() {
        let start = pos
        pos += 2
        while pos + 1 < bytes.count {
            if bytes[pos] == UInt8(ascii: "*"), bytes[pos + 1] == UInt8(ascii: "/") {
                pos += 2
                return
            }
            pos += 1
        }
        pos = bytes.count
        error(SyntaxMessages.unterminatedBlockComment, at: SourceSpan(start: start, end: start + 2))
    }

    // MARK: names and numbers

    private mutating func identifier(_ start: Int) -> Token {
        while pos < bytes.count, isLetter(bytes[pos]) || isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_") {
            pos += 1
        }
        let span = SourceSpan(start: start, end: pos)
        if pos - start <= 11, let keyword = Keyword.lookup(bytes[start..<pos]) {
            return Token(kind: .keyword(keyword), span: span)
        }
        let isUpper = bytes[start] >= UInt8(ascii: "A") && bytes[start] <= UInt8(ascii: "Z")
        return Token(kind: isUpper ? .upperIdent : .lowerIdent, span: span)
    }

    /// Decimal `123`, hexadecimal `0xFF`, binary `0b1010`; `_` may separate digits (and follow
    /// the prefix) as in Go. A malformed literal (`0x`, `1__0`, `1_`, `0b102`) is one error at it.
    private mutating func integer(_ start: Int) -> Token {
        var radix = 10
        if bytes[pos] == UInt8(ascii: "0"), let p = peek(1), p | 0x20 == UInt8(ascii: "x") || p | 0x20 == UInt8(ascii: "b") {
            radix = p | 0x20 == UInt8(ascii: "x") ? 16 : 2
            pos += 2
        }
        let digitsStart = pos
        var valid = true
        var previousWasDigit = radix == 10  // a decimal literal starts with its first digit
        var sawDigit = false
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "_") {
                // `_` only between digits, or right after the prefix.
                if !previousWasDigit && !(pos == digitsStart && radix != 10) { valid = false }
                previousWasDigit = false
            } else if Self.digitValue(c).map({ $0 < radix }) == true {
                previousWasDigit = true
                sawDigit = true
            } else if radix != 10 && (isLetter(c) || isDigit(c)) {
                valid = false  // `0b102`, `0xFG`: the whole run is the bad literal
            } else {
                break
            }
            pos += 1
        }
        if !sawDigit || !previousWasDigit { valid = false }
        let span = SourceSpan(start: start, end: pos)
        if !valid {
            let shown = String(decoding: bytes[start..<pos], as: UTF8.self)
            diagnostics.error(SyntaxMessages.malformedInteger(shown), at: span)
        }
        return Token(kind: .integer, span: span, text: valid ? [] : [0])
    }

    static func digitValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(c - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(c - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    // MARK: literals

    /// `"…"` with escapes `\n`, `\\`, `\"` (§2.8). Bad escapes are reported and dropped.
    private mutating func string(_ start: Int) -> Token {
        pos += 1
        var content: [UInt8] = []
        var reportedNonASCII = false
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return Token(kind: .string, span: SourceSpan(start: start, end: pos), text: content)
            }
            if c == UInt8(ascii: "\\") {
                guard pos + 1 < bytes.count else { break }
                let e = bytes[pos + 1]
                switch e {
                case UInt8(ascii: "n"): content.append(0x0A)
                case UInt8(ascii: "\\"): content.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): content.append(UInt8(ascii: "\""))
                default:
                    let len = utf8Length(at: pos + 1)
                    let shown = String(decoding: bytes[(pos + 1)..<(pos + 1 + len)], as: UTF8.self)
                    error(SyntaxMessages.unsupportedEscape(shown), at: SourceSpan(start: pos, end: pos + 1 + len))
                    pos += 1 + len
                    continue
                }
                pos += 2
                continue
            }
            if c >= 0x80, !reportedNonASCII {
                reportedNonASCII = true
                error(SyntaxMessages.nonASCIIInString, at: SourceSpan(start: pos, end: pos + utf8Length(at: pos)))
            }
            content.append(c)
            pos += 1
        }
        pos = bytes.count
        error(SyntaxMessages.unterminatedString, at: SourceSpan(start: start, end: start + 1))
        return Token(kind: .string, span: SourceSpan(start: start, end: pos), text: content)
    }

    /// `'c'` or `'\c'`: lexed so that it can be rejected by the parser (§2.9).
    private mutating func char(_ start: Int) -> Token {
        pos += 1
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "\\") { pos += 1 }
        if pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += utf8Length(at: pos) }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "'") {
            pos += 1
        } else {
            error(SyntaxMessages.unterminatedChar, at: SourceSpan(start: start, end: start + 1))
        }
        return Token(kind: .char, span: SourceSpan(start: start, end: pos))
    }

    // MARK: punctuation

    /// Longest match over the operator table (§2.3).
    private mutating func punctuation() -> TokenKind? {
        let c = bytes[pos]
        let n = peek(1)
        func take(_ k: TokenKind, _ len: Int) -> TokenKind {
            pos += len
            return k
        }
        // Compound assignment: an operator immediately followed by `=` (`<=`, `>=`, `==`, `!=`
        // are comparisons, handled below).
        let eq = UInt8(ascii: "=")
        switch (c, n, peek(2)) {
        case (UInt8(ascii: "+"), eq, _): return take(.compoundAssign(.add), 2)
        case (UInt8(ascii: "-"), eq, _): return take(.compoundAssign(.subtract), 2)
        case (UInt8(ascii: "*"), eq, _): return take(.compoundAssign(.multiply), 2)
        case (UInt8(ascii: "/"), eq, _): return take(.compoundAssign(.divide), 2)
        case (UInt8(ascii: "%"), eq, _): return take(.compoundAssign(.remainder), 2)
        case (UInt8(ascii: "&"), eq, _): return take(.compoundAssign(.bitAnd), 2)
        case (UInt8(ascii: "|"), eq, _): return take(.compoundAssign(.bitOr), 2)
        case (UInt8(ascii: "^"), eq, _): return take(.compoundAssign(.bitXor), 2)
        case (UInt8(ascii: "&"), UInt8(ascii: "^"), eq): return take(.compoundAssign(.andNot), 3)
        case (UInt8(ascii: "<"), UInt8(ascii: "<"), eq): return take(.compoundAssign(.shiftLeft), 3)
        case (UInt8(ascii: ">"), UInt8(ascii: ">"), eq): return take(.compoundAssign(.shiftRight), 3)
        default: break
        }
        switch c {
        case UInt8(ascii: "="): return n == UInt8(ascii: "=") ? take(.equal, 2) : take(.assign, 1)
        case UInt8(ascii: "+"): return n == UInt8(ascii: "+") ? take(.plusPlus, 2) : take(.plus, 1)
        case UInt8(ascii: "-"): return n == UInt8(ascii: "-") ? take(.minusMinus, 2) : take(.minus, 1)
        case UInt8(ascii: "!"): return n == UInt8(ascii: "=") ? take(.notEqual, 2) : take(.bang, 1)
        case UInt8(ascii: "*"): return take(.star, 1)
        case UInt8(ascii: "/"): return take(.slash, 1)
        case UInt8(ascii: "%"): return take(.percent, 1)
        case UInt8(ascii: "<"):
            if n == UInt8(ascii: "=") { return take(.lessEqual, 2) }
            return n == UInt8(ascii: "<") ? take(.shiftLeft, 2) : take(.less, 1)
        case UInt8(ascii: ">"):
            if n == UInt8(ascii: "=") { return take(.greaterEqual, 2) }
            return n == UInt8(ascii: ">") ? take(.shiftRight, 2) : take(.greater, 1)
        case UInt8(ascii: "&"):
            if n == UInt8(ascii: "&") { return take(.ampAmp, 2) }
            return n == UInt8(ascii: "^") ? take(.ampCaret, 2) : take(.amp, 1)
        case UInt8(ascii: "|"): return n == UInt8(ascii: "|") ? take(.pipePipe, 2) : take(.pipe, 1)
        case UInt8(ascii: "^"): return take(.caret, 1)
        case UInt8(ascii: ":"): return n == UInt8(ascii: "=") ? take(.colonAssign, 2) : take(.colon, 1)
        case UInt8(ascii: ","): return take(.comma, 1)
        case UInt8(ascii: ";"): return take(.semicolon, 1)
        case UInt8(ascii: "("): return take(.leftParen, 1)
        case UInt8(ascii: ")"): return take(.rightParen, 1)
        case UInt8(ascii: "{"): return take(.leftBrace, 1)
        case UInt8(ascii: "}"): return take(.rightBrace, 1)
        case UInt8(ascii: "["): return take(.leftBracket, 1)
        case UInt8(ascii: "]"): return take(.rightBracket, 1)
        case UInt8(ascii: "."):
            return n == UInt8(ascii: ".") && peek(2) == UInt8(ascii: ".") ? take(.ellipsis, 3) : take(.dot, 1)
        default: return nil
        }
    }

    /// A byte that starts no token: one error per character (a valid UTF-8 sequence is one
    /// character; an invalid byte is shown as `\xNN`).
    private mutating func illegal(_ start: Int) -> Token {
        let len = utf8Length(at: start)
        pos = start + len
        let shown: String
        let c = bytes[start]
        if len > 1 {
            shown = String(decoding: bytes[start..<pos], as: UTF8.self)
        } else if c >= 0x20, c < 0x7F {
            shown = String(UnicodeScalar(c))
        } else {
            shown = "\\x" + String(c, radix: 16, uppercase: true).leftPadded(to: 2)
        }
        error(SyntaxMessages.unexpectedCharacter(shown), at: SourceSpan(start: start, end: pos))
        return Token(kind: .illegal, span: SourceSpan(start: start, end: pos))
    }

    // MARK: helpers

    private func peek(_ k: Int) -> UInt8? {
        pos + k < bytes.count ? bytes[pos + k] : nil
    }

    private func isLetter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// Length of the well-formed UTF-8 sequence at `i`, or 1 for ASCII or an invalid byte.
    private func utf8Length(at i: Int) -> Int {
        let c = bytes[i]
        let need: Int
        switch c {
        case 0xC2...0xDF: need = 2
        case 0xE0...0xEF: need = 3
        case 0xF0...0xF4: need = 4
        default: return 1
        }
        guard i + need <= bytes.count else { return 1 }
        for k in 1..<need where bytes[i + k] & 0xC0 != 0x80 { return 1 }
        return need
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
