extension Parser {
    /// structDecl = "struct" UPPER_IDENT "(" [ field { [ "," ] field } [ "," ] ] ")" [ ";" ] .
    func parseStructDecl() -> StructDecl? {
        let start = advance().span
        let nameToken = current
        switch nameToken.kind {
        case .upperIdent:
            advance()
        case .lowerIdent:
            report(SyntaxMessages.expectedStructName, at: nameToken.span)
            advance()
        default:
            fail(SyntaxMessages.expectedStructName, at: nameToken.span)
            return nil
        }
        guard accept(.leftParen) else {
            fail(SyntaxMessages.expectedStructParen, at: current.span)
            return nil
        }
        var fields: [FieldDecl] = []
        while !at(.rightParen) {
            let fieldName = current
            switch fieldName.kind {
            case .lowerIdent:
                advance()
            case .upperIdent:
                report(SyntaxMessages.expectedFieldName, at: fieldName.span)
                advance()
            default:
                fail(at(.eof) ? SyntaxMessages.expectedStructFieldsClose : SyntaxMessages.expectedFieldName, at: fieldName.span)
                return nil
            }
            guard accept(.colon) else {
                fail(SyntaxMessages.expectedColonAfterParameter, at: current.span)
                return nil
            }
            guard let type = parseType(context: .declaration) else { return nil }
            fields.append(FieldDecl(name: name(fieldName), nameSpan: fieldName.span, type: type))
            accept(.comma)
        }
        let close = advance()
        accept(.semicolon)
        return StructDecl(name: name(nameToken), nameSpan: nameToken.span, fields: fields,
                          span: start.merged(with: close.span))
    }

    /// funcDecl = "func" LOWER_IDENT "(" [ paramList ] ")" [ ":" Type ] block .
    func parseFuncDecl() -> FuncDecl? {
        let start = advance().span
        let nameToken = current
        switch nameToken.kind {
        case .lowerIdent:
            advance()
        case .upperIdent:
            report(SyntaxMessages.expectedFunctionName, at: nameToken.span)
            advance()
        default:
            fail(SyntaxMessages.expectedFunctionName, at: nameToken.span)
            return nil
        }
        var parameters: [Parameter] = []
        if accept(.leftParen) {
            guard let list = parseParameterList() else { return nil }
            parameters = list
        } else {
            report(SyntaxMessages.expectedFunctionParen, at: current.span)
            guard at(.leftBrace) else {
                failed = true
                return nil
            }
        }
        var returnType: TypeSyntax?
        if accept(.colon) {
            guard at(.upperIdent) else {
                fail(SyntaxMessages.expectedReturnType, at: current.span)
                return nil
            }
            returnType = parseType(context: .declaration)
        }
        var body: [Stmt] = []
        if at(.leftBrace) {
            guard let parsed = parseBlock() else { return nil }
            body = parsed
        } else {
            // Not fatal: the original goes on parsing what follows as statements (§3.6).
            report(SyntaxMessages.expectedFunctionBody, at: current.span)
        }
        return FuncDecl(name: name(nameToken), nameSpan: nameToken.span, parameters: parameters,
                        returnType: returnType, body: body, span: start.merged(with: nameToken.span))
    }

    /// paramList = param { [ "," ] param } [ "," ] ")" .   param = [ "_" ] LOWER_IDENT ":" Type .
    /// Called after `(`; consumes the closing `)`.
    func parseParameterList() -> [Parameter]? {
        var parameters: [Parameter] = []
        while !accept(.rightParen) {
            var positional = false
            if at(.lowerIdent), current.span.end - current.span.start == 1 && source[current.span.start] == UInt8(ascii: "_"), token(1).kind == .lowerIdent {
                advance()
                positional = true
            }
            let nameToken = current
            guard nameToken.kind == .lowerIdent else {
                let message = parameters.isEmpty && !positional
                    ? SyntaxMessages.expectedParameterName : SyntaxMessages.expectedParameterListClose
                fail(nameToken.kind == .upperIdent ? SyntaxMessages.expectedParameterName : message, at: nameToken.span)
                return nil
            }
            advance()
            guard accept(.colon) else {
                fail(SyntaxMessages.expectedColonAfterParameter, at: current.span)
                return nil
            }
            guard let type = parseType(context: .declaration) else { return nil }
            parameters.append(Parameter(name: name(nameToken), nameSpan: nameToken.span, type: type, isPositional: positional))
            accept(.comma)
        }
        return parameters
    }

    /// externBlock = "extern" STRING "{" { externFunc } "}" .
    func parseExternBlock() -> ExternBlock? {
        let start = advance().span
        var module = ""
        if at(.string) {
            module = String(decoding: advance().text, as: UTF8.self)
        } else {
            report(SyntaxMessages.expectedExternModule, at: current.span)
        }
        guard accept(.leftBrace) else {
            // Not fatal: what follows is parsed as ordinary statements (§3.6).
            report(SyntaxMessages.expectedExternBrace, at: current.span)
            return ExternBlock(module: module, functions: [], span: start)
        }
        var functions: [FuncDecl] = []
        while !at(.rightBrace) {
            if at(.eof) {
                fail(SyntaxMessages.expectedExternClose, at: current.span)
                return nil
            }
            guard at(.keyword(.func)) else {
                report(SyntaxMessages.expectedExternFunction, at: current.span)
                skipToExternFunction()
                continue
            }
            if let function = parseExternFunc() {
                functions.append(function)
            } else {
                failed = false
                skipToExternFunction()
            }
        }
        advance()
        return ExternBlock(module: module, functions: functions, span: start)
    }

    /// externFunc = "func" LOWER_IDENT "(" [ paramList ] ")" [ ":" Type ] ";" .
    private func parseExternFunc() -> FuncDecl? {
        let start = advance().span
        let nameToken = current
        guard nameToken.kind == .lowerIdent else {
            fail(SyntaxMessages.expectedExternFunctionName, at: nameToken.span)
            return nil
        }
        advance()
        guard accept(.leftParen) else {
            fail(SyntaxMessages.expectedFunctionParen, at: current.span)
            return nil
        }
        guard let parameters = parseParameterList() else { return nil }
        var returnType: TypeSyntax?
        if accept(.colon) {
            guard at(.upperIdent) else {
                fail(SyntaxMessages.expectedExternReturnType, at: current.span)
                return nil
            }
            returnType = parseType(context: .declaration)
        }
        if !accept(.semicolon) {
            report(SyntaxMessages.expectedExternSemicolon, at: current.span)
        }
        return FuncDecl(name: name(nameToken), nameSpan: nameToken.span, parameters: parameters,
                        returnType: returnType, body: nil, span: start.merged(with: nameToken.span))
    }

    /// Recovery inside an extern block: skip at least one token, up to the next `func` or `}`.
    private func skipToExternFunction() {
        if !at(.eof) { advance() }
        while !at(.eof), !at(.rightBrace), !at(.keyword(.func)) { advance() }
    }
}
