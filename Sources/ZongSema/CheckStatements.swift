import ZongSyntax

extension Checker {
    var insideFunction: Bool { !(function?.isScriptMain ?? true) }

    /// A statement list in the current scope. Declarations hoisted to global scope are skipped.
    func statements(_ list: [Stmt], isExpressionUnit: Bool = false) -> [TStmt] {
        list.compactMap { statement($0) }
    }

    func statement(_ s: Stmt) -> TStmt? {
        switch s {
        case .structDecl, .funcDecl, .externBlock:
            return nil
        case .varDecl(let d):
            return variable(d)
        case .ifStmt(let i):
            return ifStatement(i)
        case .loop(let body, _):
            // A loop body does not open a scope (§5.1).
            loopDepth += 1
            defer { loopDepth -= 1 }
            return .loop(body: statements(body))
        case .breakStmt(let span):
            if loopDepth == 0 { typeError(SemaMessages.breakOutsideLoop, span) }
            return .breakLoop
        case .continueStmt(let span):
            if loopDepth == 0 { typeError(SemaMessages.continueOutsideLoop, span) }
            return .continueLoop
        case .returnStmt(let value, let span):
            return returnStatement(value, span)
        case .block(let body, _):
            return .block(scoped { statements(body) })
        case .expression(let e):
            return expressionStatement(e)
        }
    }

    /// Runs `body` in a new nested scope.
    func scoped<T>(_ body: () -> T) -> T {
        let saved = scope
        scope = Scope(parent: saved)
        defer { scope = saved }
        return body()
    }

    /// `var x: T [= e]`: the initializer is checked before `x` is declared.
    private func variable(_ d: VarDecl) -> TStmt? {
        let type = resolveType(d.type)
        var initializer: TExpr?
        if let e = d.initializer {
            initializer = value(e, as: type) { SemaMessages.cannotInitialize(type, $0) }
        }
        let v = LocalVar(name: d.name, type: type, isParameter: false, span: d.nameSpan)
        if !scope.declare(d.name, .variable(v)) {
            symbolError(SemaMessages.alreadyDeclared("variable", d.name), d.nameSpan)
        }
        return .variable(v, initializer: initializer)
    }

    private func ifStatement(_ i: IfStmt) -> TStmt? {
        var branches: [(condition: TExpr, body: [TStmt])] = []
        for (n, branch) in i.branches.enumerated() {
            let condition = value(branch.condition, as: .boolean) {
                n == 0 ? SemaMessages.ifCondition($0) : SemaMessages.elseIfCondition($0)
            } literalMessage: { _ in
                n == 0 ? SemaMessages.ifCondition(.integerLiteral) : SemaMessages.elseIfCondition(.integerLiteral)
            }
            let body = scoped { statements(branch.body) }
            if let condition { branches.append((condition, body)) }
        }
        let elseBody = i.elseBody.map { body in scoped { statements(body) } }
        guard branches.count == i.branches.count else { return nil }
        return .ifElse(branches: branches, elseBody: elseBody)
    }

    private func returnStatement(_ valueSyntax: Expr?, _ span: SourceSpan) -> TStmt? {
        guard let context = function else { return nil }
        guard let valueSyntax else {
            if context.returnType != .void, context.returnType != .error {
                typeError(SemaMessages.missingReturnValue(context.name, context.returnType), span)
            }
            return .returnValue(nil, span: span)
        }
        if context.returnType == .void {
            _ = checkDiscarding(valueSyntax)
            typeError(SemaMessages.returnValueFromVoid(context.name), valueSyntax.span)
            return .returnValue(nil, span: span)
        }
        let returnType = context.returnType
        // A failed return still ends the path, so no `missing return` follows from it.
        guard let v = value(valueSyntax, as: returnType, mismatch: { SemaMessages.returnMismatch($0, returnType) }) else {
            return .returnValue(nil, span: span)
        }
        return .returnValue(v, span: span)
    }

    private func expressionStatement(_ e: Expr) -> TStmt? {
        if case .assign(let target, let source) = e.kind {
            return assignment(target, source, e.span)
        }
        return checkDiscarding(e).map(TStmt.expression)
    }

    /// An expression whose value (if any) is discarded; a lone literal defaults to I64.
    func checkDiscarding(_ e: Expr) -> TExpr? {
        defaulted(expr(e), allowVoid: true)
    }

    /// `target = source` (§6.2): the source is checked first, then the target.
    private func assignment(_ targetSyntax: Expr, _ sourceSyntax: Expr, _ span: SourceSpan) -> TStmt? {
        let source = expr(sourceSyntax)
        if case .name(let n) = targetSyntax.kind, let symbol = scope.lookup(n, insideFunction: insideFunction) {
            if case .variable = symbol {} else {
                typeError(SemaMessages.invalidAssignmentTarget, targetSyntax.span)
                return nil
            }
        }
        let checkedTarget = expr(targetSyntax)
        guard case .value(let target) = checkedTarget else {
            if case .literal = checkedTarget { typeError(SemaMessages.invalidAssignmentTarget, targetSyntax.span) }
            return nil
        }
        guard Self.isAssignable(target) else {
            typeError(SemaMessages.invalidAssignmentTarget, targetSyntax.span)
            return nil
        }
        guard let v = convert(source, to: target.type, mismatch: { SemaMessages.cannotAssign($0, target.type) }) else {
            return nil
        }
        return .assign(target: target, value: v, span: span)
    }

    /// Locations that can be written (§6.2).
    static func isAssignable(_ e: TExpr) -> Bool {
        switch e.kind {
        case .local, .index, .dereference: true
        case .field(let base, _), .sliceLength(let base): isAssignable(base)
        default: false
        }
    }
}

/// Whether control can fall off the end of a statement list (§6.7).
enum ControlFlow {
    static func terminates(_ body: [TStmt]) -> Bool {
        body.contains(where: terminates)
    }

    static func terminates(_ s: TStmt) -> Bool {
        switch s {
        case .returnValue: true
        case .block(let body): terminates(body)
        case .ifElse(let branches, let elseBody):
            elseBody.map(terminates) == true && branches.allSatisfy { terminates($0.body) }
        case .loop(let body): !containsBreak(body)
        default: false
        }
    }

    /// A `break` that leaves this loop (not one inside a nested loop).
    private static func containsBreak(_ body: [TStmt]) -> Bool {
        body.contains { s in
            switch s {
            case .breakLoop: true
            case .block(let b): containsBreak(b)
            case .ifElse(let branches, let elseBody):
                branches.contains { containsBreak($0.body) } || containsBreak(elseBody ?? [])
            default: false
            }
        }
    }
}
