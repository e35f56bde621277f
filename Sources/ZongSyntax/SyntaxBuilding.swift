/// Trees built outside the parser (`zong eval`'s value printing): the memberwise
/// initializers are internal, so these are the public way in.
extension Argument {
    public static func positional(_ value: Expr) -> Argument {
        Argument(label: nil, labelSpan: nil, value: value)
    }
}

extension IfStmt {
    public static func make(branches: [(condition: Expr, body: [Stmt], span: SourceSpan)], elseBody: [Stmt]?,
                            span: SourceSpan) -> IfStmt {
        IfStmt(branches: branches, elseBody: elseBody, span: span)
    }
}
