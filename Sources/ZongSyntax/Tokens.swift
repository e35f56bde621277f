/// Every token of a file, in order, ending with `eof` (for tools that read source without
/// parsing it: hints, the formatter, editors). Lexical errors are not reported here.
/// - Parameter end: stop at the first token starting at or after this offset (its token ends
///   the list), so callers that only need the tokens around early positions of a huge input do
///   not lex all of it.
public func tokenize(_ file: SourceFile, upTo end: Int = Int.max) -> [Token] {
    var lexer = Lexer(file)
    var tokens: [Token] = []
    while true {
        let t = lexer.next()
        tokens.append(t)
        if t.kind == .eof || t.span.start >= end { return tokens }
    }
}

/// Names that users of other languages write for Zong's types (Go's and C's spellings).
public enum ForeignTypeNames {
    public static let zongName: [String: String] = [
        "int": "I64", "int64": "I64", "long": "I64", "Int": "I64", "Int64": "I64",
        "int32": "I32", "Int32": "I32", "int16": "I16", "Int16": "I16", "int8": "I8", "Int8": "I8",
        "uint": "U64", "uint64": "U64", "UInt": "U64", "UInt64": "U64", "uint32": "U32", "UInt32": "U32",
        "uint16": "U16", "UInt16": "U16", "uint8": "U8", "UInt8": "U8", "byte": "U8", "char": "U8",
        "bool": "Boolean", "Bool": "Boolean", "boolean": "Boolean",
        "string": "U8[]", "String": "U8[]", "str": "U8[]",
    ]
}
