extension Parser {
    /// program = { statement } EOF .   (or, for a zong-expr, one expression; the rest is ignored)
    func parseUnit(_ form: SourceForm) -> ProgramSyntax {
        switch form {
        case .program:
            let statements = parseStatements(untilBrace: false)
            return ProgramSyntax(statements: statements, isExpression: false)
        case .expression:
            let expr = parseExpression()
            return ProgramSyntax(statements: failed ? [] : [.expression(expr)], isExpression: true)
        }
    }

    /// { statement } up to `}` (not consumed) or end of input, resynchronizing after errors.
    func parseStatements(untilBrace: Bool) -> [Stmt] {
        var statements: [Stmt] = []
        while !at(.eof), !(untilBrace && at(.rightBrace)) {
            let start = consumed
            failed = false
            let statement = parseStatement()
            if failed {
                synchronize(startedAt: start)
            } else if let statement {
                statements.append(statement)
            }
        }
        return statements
    }

    /// statement = structDecl | funcDecl | externBlock | varDecl | ifStmt | loopStmt
    ///           | breakStmt | continueStmt | returnStmt | block | exprStmt .
    func parseStatement() -> Stmt? {
        guard enter() else { return nil }
        defer { leave() }
        switch current.kind {
        case .keyword(.struct): return parseStructDecl().map(Stmt.structDecl)
        case .keyword(.func): return parseFuncDecl().map(Stmt.funcDecl)
        case .keyword(.extern): return parseExternBlock().map(Stmt.externBlock)
        case .keyword(.var): return parseVarDecl().map(Stmt.varDecl)
        case .keyword(.if): return parseIf().map(Stmt.ifStmt)
        case .keyword(.loop): return parseLoop()
        case .keyword(.for): return parseFor()
        case .keyword(.break):
            let t = advance()
            accept(.semicolon)
            return .breakStmt(t.span)
        case .keyword(.continue):
            let t = advance()
            accept(.semicolon)
            return .continueStmt(t.span)
        case .keyword(.return): return parseReturn()
        case .leftBrace:
            let open = current.span
            guard let body = parseBlock() else { return nil }
            return .block(body, span: open)
        default:
            let expr = parseExpression()
            if failed { return nil }
            accept(.semicolon)
            return .expression(expr)
        }
    }

    /// block = "{" { statement } "}" .
    func parseBlock() -> [Stmt]? {
        let open = advance()
        let body = parseStatements(untilBrace: true)
        if !accept(.rightBrace) {
            // Only end of input stops `parseStatements` short of a `}`. The block is an error
            // (§3.7) but what it holds parsed, so it is kept: its statements are still checked
            // (a function still being typed at the end of a file gets its errors and hovers).
            // Input cut short by the nesting or error limit is abandoned as before.
            guard at(.eof), !aborted else {
                fail(SyntaxMessages.unterminatedBlock, at: open.span)
                return nil
            }
            report(SyntaxMessages.unterminatedBlock, at: open.span)
        }
        return body
    }

    /// varDecl = "var" LOWER_IDENT ":" Type [ "=" expr ] [ ";" ] .
    func parseVarDecl(consumeSemicolon: Bool = true) -> VarDecl? {
        let start = advance().span
        let nameToken = current
        switch nameToken.kind {
        case .lowerIdent:
            advance()
        case .upperIdent:
            report(SyntaxMessages.expectedVariableName, at: nameToken.span)
            advance()
        default:
            fail(SyntaxMessages.expectedVariableName, at: nameToken.span)
            return nil
        }
        if !accept(.colon) {
            report(SyntaxMessages.expectedColonAfterVariable, at: current.span)
            guard at(.upperIdent) else {
                failed = true
                return nil
            }
        }
        guard let type = parseType(context: .declaration) else { return nil }
        var initializer: Expr?
        if accept(.assign) {
            initializer = parseExpression()
            if failed { return nil }
        }
        let end = initializer?.span ?? type.span
        if consumeSemicolon { accept(.semicolon) }
        return VarDecl(name: name(nameToken), nameSpan: nameToken.span, type: type,
                       initializer: initializer, span: start.merged(with: end))
    }

    /// ifStmt = "if" expr block { "else" "if" expr block } [ "else" block ] .
    func parseIf() -> IfStmt? {
        let start = current.span
        var branches: [(condition: Expr, body: [Stmt], span: SourceSpan)] = []
        var elseBody: [Stmt]?
        repeat {
            let keyword = advance()  // `if`
            let condition = parseExpression()
            if failed { return nil }
            guard at(.leftBrace) else {
                fail(SyntaxMessages.expectedIfBrace, at: current.span)
                return nil
            }
            guard let body = parseBlock() else { return nil }
            branches.append((condition, body, keyword.span.merged(with: condition.span)))
            guard accept(.keyword(.else)) else { break }
            if at(.keyword(.if)) { continue }
            guard at(.leftBrace) else {
                fail(SyntaxMessages.expectedElseBody, at: current.span)
                return nil
            }
            guard let body = parseBlock() else { return nil }
            elseBody = body
            break
        } while true
        return IfStmt(branches: branches, elseBody: elseBody, span: start)
    }

    /// loopStmt = "loop" block .
    func parseLoop() -> Stmt? {
        let keyword = advance()
        guard at(.leftBrace) else {
            fail(SyntaxMessages.expectedLoopBrace, at: current.span)
            return nil
        }
        guard let body = parseBlock() else { return nil }
        return .loop(body, span: keyword.span)
    }

    /// forStmt = "for" [ expr ] block
    ///         | "for" [ varDecl | expr ] ";" [ expr ] ";" [ expr ] block .   (Go's two forms)
    func parseFor() -> Stmt? {
        let keyword = advance()
        var initializer: Stmt?
        var condition: Expr?
        var post: Stmt?
        if !at(.leftBrace) {
            var threeClause = false
            if at(.keyword(.var)) {
                guard let d = parseVarDecl(consumeSemicolon: false) else { return nil }
                initializer = .varDecl(d)
                guard at(.semicolon) else {
                    fail(SyntaxMessages.expectedForSemicolon, at: current.span)
                    return nil
                }
            } else if !at(.semicolon) {
                let e = parseExpression()
                if failed { return nil }
                if at(.semicolon) {
                    initializer = .expression(e)
                } else {
                    condition = e
                }
            }
            if accept(.semicolon) { threeClause = true }
            if threeClause {
                if !at(.semicolon) {
                    let e = parseExpression()
                    if failed { return nil }
                    condition = e
                }
                guard accept(.semicolon) else {
                    fail(SyntaxMessages.expectedForSemicolon, at: current.span)
                    return nil
                }
                if !at(.leftBrace) {
                    let e = parseExpression()
                    if failed { return nil }
                    post = .expression(e)
                }
            }
        }
        guard at(.leftBrace) else {
            fail(SyntaxMessages.expectedForBrace, at: current.span)
            return nil
        }
        guard let body = parseBlock() else { return nil }
        return .forLoop(ForStmt(initializer: initializer, condition: condition, post: post, body: body, span: keyword.span))
    }

    /// returnStmt = "return" ";" | "return" expr [ ";" ] .
    func parseReturn() -> Stmt? {
        let keyword = advance()
        if accept(.semicolon) { return .returnStmt(nil, span: keyword.span) }
        let value = parseExpression()
        if failed { return nil }
        accept(.semicolon)
        return .returnStmt(value, span: keyword.span.merged(with: value.span))
    }
}
