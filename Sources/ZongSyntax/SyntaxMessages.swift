/// Every lexer and parser message, alphabetical by name. Texts are LANGUAGE.md §11.1–11.2
/// exactly; the ones marked "new" are ours (the original failed silently or hung there).
enum SyntaxMessages {
    static let errorParsingParameters = "error parsing function parameters"
    static let expectedArgumentSeparator = "expected ',' or ')' after argument"  // new
    static let expectedColonAfterParameter = "expected ':' after parameter name"  // new
    static let expectedColonAfterVariable = "expected ':' after variable name"
    static let expectedElseBody = "expected '{' or 'if' after 'else'"  // new
    static let expectedExternBrace = "expected '{' after extern module name"
    static let expectedExternClose = "expected '}' after extern block"
    static let expectedExternFunction = "expected function declaration in extern block"
    static let expectedExternFunctionName = "expected function name in extern declaration"
    static let expectedExternModule = "expected string literal for extern module name"
    static let expectedExternReturnType = "expected return type after ':' in extern function"
    static let expectedExternSemicolon = "expected ';' after extern function declaration"
    static let expectedFieldName = "expected field name (must start with lowercase letter)"  // new
    static let expectedFieldNameAfterDot = "expected field name after '.'"  // new
    static let expectedForBrace = "expected '{' after for clauses"  // new
    static let expectedForSemicolon = "expected ';' in for clauses"  // new
    static let expectedFunctionBody = "expected '{' for function body"
    static let expectedFunctionName = "expected function name (must start with lowercase letter)"
    static let expectedFunctionParen = "expected '(' after function name"
    static let expectedIfBrace = "expected '{' after if condition"  // new
    static let expectedIndexClose = "expected ']' after index"  // new
    static let expectedLoopBrace = "expected '{' after 'loop'"  // new
    static let expectedParameterName = "expected parameter name (must start with lowercase letter)"  // new
    static let expectedParameterListClose = "expected ')' after parameter list"
    static let expectedParenAfterExpression = "expected ')' after expression"
    static let expectedReturnType = "expected return type after ':'"
    static let expectedSliceBracket = "expected ']' after '['"
    static let expectedStructFieldsClose = "expected ')' after struct fields"  // new
    static let expectedStructName = "expected struct name (must start with uppercase letter)"
    static let expectedStructParen = "expected '(' after struct name"
    static let expectedTypeName = "expected type name (must start with uppercase letter)"
    static let expectedVariableName = "expected variable name (must start with lowercase letter)"
    static let nestingTooDeep = "nesting too deep"  // new
    static let nonASCIIInString = "non-ASCII characters are not supported in string literals"
    static let unterminatedBlock = "expected '}' at end of block"  // new
    static let unterminatedBlockComment = "unterminated block comment"  // new
    static let unterminatedChar = "unterminated character literal"
    static let unterminatedString = "unterminated string literal"

    static func integerTooLarge(_ digits: String) -> String { "integer literal \(digits) is too large" }  // new
    static func malformedInteger(_ text: String) -> String { "malformed integer literal '\(text)'" }  // new
    static func unexpectedCharacter(_ c: String) -> String { "unexpected character '\(c)'" }
    static func unexpectedToken(_ kind: TokenKind) -> String { "unexpected token '\(kind.name)' in expression" }
    static func unsupportedEscape(_ c: String) -> String { "unsupported escape sequence '\\\(c)' in string literal" }
}
