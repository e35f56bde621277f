extension Parser {
    enum TypeContext {
        /// After `var x:`, in parameter and field lists, after `):`.
        case declaration
        /// An upper-case name in expression position (a constructor callee or an error).
        case expression
    }

    /// Type = UPPER_IDENT { "[" "]" } { "*" } .
    func parseType(context: TypeContext) -> TypeSyntax? {
        let nameToken = current
        switch nameToken.kind {
        case .upperIdent:
            advance()
        case .lowerIdent where context == .declaration:
            report(SyntaxMessages.expectedTypeName, at: nameToken.span)
            advance()
        default:
            fail(SyntaxMessages.expectedTypeName, at: nameToken.span)
            return nil
        }
        var span = nameToken.span
        var slices = 0
        while at(.leftBracket) {
            advance()
            guard at(.rightBracket) else {
                fail(SyntaxMessages.expectedSliceBracket, at: current.span)
                return nil
            }
            span = span.merged(with: advance().span)
            slices += 1
        }
        var pointers = 0
        while at(.star) {
            span = span.merged(with: advance().span)
            pointers += 1
        }
        return TypeSyntax(name: name(nameToken), sliceDepth: slices, pointerDepth: pointers, span: span)
    }
}
