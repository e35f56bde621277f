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
            loopPosts.append(nil)
            defer {
                loopDepth -= 1
                loopPosts.removeLast()
            }
            return .loop(body: statements(body))
        case .forLoop(let f):
            return forLoop(f)
        case .breakStmt(let span):
            if loopDepth == 0 { typeError(SemaMessages.breakOutsideLoop, span) }
            return .breakLoop
        case .continueStmt(let span):
            if loopDepth == 0 { typeError(SemaMessages.continueOutsideLoop, span) }
            // In a three-clause `for`, `continue` runs the post statement first.
            if let context = loopPosts.last ?? nil, let post = freshPost(context) {
                return .block([post, .continueLoop])
            }
            return .continueLoop
        case .returnStmt(let value, let span):
            return returnStatement(value, span)
        case .block(let body, _):
            return .block(scoped { statements(body) })
        case .expression(let e):
            return expressionStatement(e)
        }
    }

    /// `for` desugars to existing nodes (the typed AST has no `for`):
    ///
    ///     { INIT; loop { if !COND { break; } BODY; POST; } }
    ///
    /// with each `continue` of BODY that targets this loop becoming `{ POST; continue; }`. The
    /// INIT variable is scoped to the statement, BODY is a nested scope (as in Go). `!COND` of an
    /// integer comparison is the inverted comparison (`i < n` gives `i >= n`), so counted `for`
    /// loops get the same code as the `loop` form.
    private func forLoop(_ f: ForStmt) -> TStmt? {
        scoped {
            var result: [TStmt] = []
            var ok = true
            if let initializer = f.initializer {
                if let s = statement(initializer) { result.append(s) } else { ok = false }
            }
            var exit: TStmt?
            if let c = f.condition {
                if let condition = value(c, as: .boolean, mismatch: SemaMessages.forCondition,
                                         literalMessage: { _ in SemaMessages.forCondition(.integerLiteral) }) {
                    exit = .ifElse(branches: [(Self.negated(condition), [.breakLoop])], elseBody: nil)
                } else {
                    ok = false
                }
            }
            loopDepth += 1
            loopPosts.append(f.post.map { LoopPost(post: $0, scope: scope) })
            let body = scoped { statements(f.body) }
            loopPosts.removeLast()
            loopDepth -= 1
            var post: TStmt?
            if let p = f.post {
                post = statement(p)
                if post == nil { ok = false }
            }
            guard ok else { return nil }
            result.append(.loop(body: (exit.map { [$0] } ?? []) + body + (post.map { [$0] } ?? [])))
            return .block(result)
        }
    }

    /// The post statement checked again in its own scope, for one `continue`: a tree of its own
    /// (the nodes are not shared between sites); its diagnostics were reported by the main check.
    private func freshPost(_ context: LoopPost) -> TStmt? {
        let saved = (scope, symbolErrors, typeErrors, loopPosts)
        scope = context.scope
        loopPosts = []
        let post = statement(context.post)
        (scope, symbolErrors, typeErrors, loopPosts) = saved
        return post
    }

    /// `!c`, or the inverted comparison when `c` compares integers.
    static func negated(_ c: TExpr) -> TExpr {
        if case .comparison(let op, let a, let b) = c.kind, a.type.isInteger {
            let inverse: TExpr.ComparisonOp = switch op {
            case .equal: .notEqual
            case .notEqual: .equal
            case .less: .greaterOrEqual
            case .greaterOrEqual: .less
            case .greater: .lessOrEqual
            case .lessOrEqual: .greater
            }
            return TExpr(.comparison(inverse, a, b), type: .boolean, span: c.span)
        }
        return TExpr(.not(c), type: .boolean, span: c.span)
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
        if case .compoundAssign(let op, let target, let source) = e.kind {
            return compoundAssignment(op, target, source, e.span)
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
        guard let target = assignmentTarget(targetSyntax) else { return nil }
        guard let v = convert(source, to: target.type, mismatch: { SemaMessages.cannotAssign($0, target.type) }) else {
            return nil
        }
        return .assign(target: target, value: v, span: span)
    }

    /// The target of `=` or `op=`: checked after the source, and it must be a location (§6.2).
    private func assignmentTarget(_ targetSyntax: Expr) -> TExpr? {
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
        return target
    }

    /// `target op= source`: the checks of `target = target op source`, with the target's
    /// location evaluated once. Desugared (no new typed node): a target whose evaluation has no
    /// effects and reads nothing a later part could change (`x`, `p.f`, `s[i]`, `p*`, …) becomes
    /// `target = target op source`; any other (`s[f()]`, `g()*.n`) becomes
    /// `{ var t: T* = target&; t* = t* op source; }` (for `e.length`: `t = e&`, `t*.length`).
    private func compoundAssignment(_ op: BinaryOperator, _ targetSyntax: Expr, _ sourceSyntax: Expr,
                                    _ span: SourceSpan) -> TStmt? {
        let source = expr(sourceSyntax)
        guard let target = assignmentTarget(targetSyntax) else { return nil }
        if Self.isPureLocation(target) {
            guard case .value(let v) = binary(op, .value(target), source, span) else { return nil }
            return .assign(target: target, value: v, span: span)
        }
        // The location, once, through a pointer held in a fresh variable.
        var location = target
        var isLength = false
        if case .sliceLength(let base) = target.kind {
            location = base
            isLength = true
        }
        let pointerType = ZType.pointer(location.type)
        let pointer = LocalVar(name: "_target", type: pointerType, isParameter: false, span: targetSyntax.span)
        let address = TExpr(.addressOf(location), type: pointerType, span: targetSyntax.span)
        func place() -> TExpr {
            let p = TExpr(.local(pointer), type: pointerType, span: targetSyntax.span)
            let d = TExpr(.dereference(p), type: location.type, span: targetSyntax.span)
            return isLength ? TExpr(.sliceLength(d), type: .integer(.i64), span: targetSyntax.span) : d
        }
        guard case .value(let v) = binary(op, .value(place()), source, span) else { return nil }
        return .block([.variable(pointer, initializer: address), .assign(target: place(), value: v, span: span)])
    }

    /// A location that evaluating twice in a row gives the same place and value, with no effect
    /// (an index check that fails fails the first time).
    static func isPureLocation(_ e: TExpr) -> Bool {
        switch e.kind {
        case .local, .integer, .boolean: true
        case .field(let a, _), .dereference(let a), .sliceLength(let a), .convert(let a), .negate(let a), .complement(let a):
            isPureLocation(a)
        case .index(let a, let b), .bitwise(_, let a, let b):
            isPureLocation(a) && isPureLocation(b)
        case .arithmetic(let op, let a, let b):
            op != .divide && op != .remainder && isPureLocation(a) && isPureLocation(b)
        default: false
        }
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
