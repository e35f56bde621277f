import ZongSyntax

/// `zong eval`: a snippet whose last statement is an expression prints that expression's value.
/// The tree is rewritten, not the text, so every span (and so every runtime error's location)
/// stays the snippet's own.
enum EvalValue {
    /// The ways a value is printed, tried in order: the first that type-checks is used.
    enum Printing: CaseIterable {
        /// `if e { print_bytes("true\n") } else { print_bytes("false\n") }`: only a Boolean checks.
        case boolean
        /// `print(e)`: integers (an `Integer` literal becomes an I64).
        case integer
    }

    static func endsInExpression(_ program: ProgramSyntax) -> Bool {
        guard case .expression(let e)? = program.statements.last else { return false }
        if case .assign = e.kind { return false }
        return true
    }

    static func print(_ program: ProgramSyntax, as printing: Printing) -> ProgramSyntax {
        guard case .expression(let e)? = program.statements.last else { return program }
        var out = program
        out.statements.removeLast()
        switch printing {
        case .boolean:
            out.statements.append(.ifStmt(IfStmt.make(branches: [(condition: e, body: [printBytes("true\n", e.span)], span: e.span)],
                                                 elseBody: [printBytes("false\n", e.span)], span: e.span)))
        case .integer:
            out.statements.append(.expression(call("print", Argument.positional(e), e.span, depth: e.depth + 1)))
        }
        return out
    }

    private static func printBytes(_ text: String, _ span: SourceSpan) -> Stmt {
        .expression(call("print_bytes", Argument.positional(Expr(.string(Array(text.utf8)), span: span)), span, depth: 2))
    }

    private static func call(_ name: String, _ argument: Argument, _ span: SourceSpan, depth: Int) -> Expr {
        Expr(.call(Expr(.name(name), span: span), [argument]), span: span, depth: depth)
    }
}
