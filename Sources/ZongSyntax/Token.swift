/// Token kinds (LANGUAGE.md §2.3–2.4). `name` is the spelling used in messages such as
/// `unexpected token ';' in expression`.
public enum TokenKind: Hashable, Sendable {
    // Operators and punctuation.
    case assign, equal, plus, plusPlus, minus, minusMinus, bang, notEqual
    case star, slash, percent, less, lessEqual, shiftLeft, greater, greaterEqual, shiftRight
    case amp, ampAmp, ampCaret, pipe, pipePipe, caret, colon, colonAssign
    case comma, semicolon, leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case dot, ellipsis
    /// `+=` `-=` `*=` `/=` `%=` `&=` `|=` `^=` `<<=` `>>=` `&^=`.
    case compoundAssign(BinaryOperator)
    // Literals and names.
    case string, char, integer, upperIdent, lowerIdent
    case keyword(Keyword)
    case eof, illegal

    public var name: String {
        switch self {
        case .assign: "="
        case .equal: "=="
        case .plus: "+"
        case .plusPlus: "++"
        case .minus: "-"
        case .minusMinus: "--"
        case .bang: "!"
        case .notEqual: "!="
        case .star: "*"
        case .slash: "/"
        case .percent: "%"
        case .less: "<"
        case .lessEqual: "<="
        case .shiftLeft: "<<"
        case .greater: ">"
        case .greaterEqual: ">="
        case .shiftRight: ">>"
        case .amp: "&"
        case .ampAmp: "&&"
        case .ampCaret: "&^"
        case .pipe: "|"
        case .pipePipe: "||"
        case .caret: "^"
        case .colon: ":"
        case .colonAssign: ":="
        case .comma: ","
        case .semicolon: ";"
        case .leftParen: "("
        case .rightParen: ")"
        case .leftBrace: "{"
        case .rightBrace: "}"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .dot: "."
        case .ellipsis: "..."
        case .compoundAssign(let op): op.rawValue + "="
        case .string: "STRING"
        case .char: "CHAR"
        case .integer: "INT"
        case .upperIdent: "UPPER_IDENT"
        case .lowerIdent: "LOWER_IDENT"
        case .keyword(let k): k.rawValue.uppercased()
        case .eof: "EOF"
        case .illegal: "ILLEGAL"
        }
    }
}

/// Keywords: the first twelve are used by the grammar, the rest are reserved (§2.4).
public enum Keyword: String, CaseIterable, Sendable {
    case `break`, `continue`, `else`, `extern`, `false`, `func`, `if`, `loop`, `return`, `struct`, `true`, `var`
    case `case`, chan, const, `default`, `defer`, `fallthrough`, `for`, go, goto, `import`, interface, map
    case package, range, select, `switch`, type

    /// Keywords grouped by first letter, so an identifier is classified without allocating.
    private static let byFirstLetter: [[(bytes: [UInt8], keyword: Keyword)]] = {
        var table = Array(repeating: [(bytes: [UInt8], keyword: Keyword)](), count: 26)
        for k in allCases {
            let bytes = Array(k.rawValue.utf8)
            table[Int(bytes[0] - UInt8(ascii: "a"))].append((bytes, k))
        }
        return table
    }()

    static func lookup(_ name: ArraySlice<UInt8>) -> Keyword? {
        guard let first = name.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return nil }
        for candidate in byFirstLetter[Int(first - UInt8(ascii: "a"))] where candidate.bytes.elementsEqual(name) {
            return candidate.keyword
        }
        return nil
    }
}

public struct Token: Sendable {
    public var kind: TokenKind
    public var span: SourceSpan
    /// The processed bytes of a string literal (names and numbers are read from the source).
    public var text: [UInt8]

    public init(kind: TokenKind, span: SourceSpan, text: [UInt8] = []) {
        self.kind = kind
        self.span = span
        self.text = text
    }
}
