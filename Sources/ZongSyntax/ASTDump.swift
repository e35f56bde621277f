/// A stable S-expression form of the tree, in the notation of LANGUAGE.md Appendix A,
/// for golden tests and debugging (`(binary "+" 1 (var "x"))`).
public enum ASTDump {
    public static func dump(_ program: ProgramSyntax) -> String {
        "[" + program.statements.map(statement).joined(separator: " ") + "]"
    }

    public static func expression(_ e: Expr) -> String {
        switch e.kind {
        case .integer(let lit): return lit.digits
        case .boolean(let b): return b ? "true" : "false"
        case .string(let bytes): return "(string \(quoted(String(decoding: bytes, as: UTF8.self))))"
        case .name(let n): return "(var \(quoted(n)))"
        case .type(let t): return "(type \(quoted(t.description)))"
        case .binary(let op, let l, let r): return "(binary \(quoted(op.rawValue)) \(expression(l)) \(expression(r)))"
        case .assign(let l, let r): return "(binary \"=\" \(expression(l)) \(expression(r)))"
        case .compoundAssign(let op, let l, let r): return "(binary \(quoted(op.rawValue + "=")) \(expression(l)) \(expression(r)))"
        case .prefix(let op, let x): return "(unary \(quoted(op.rawValue)) \(expression(x)))"
        case .addressOf(let x): return "(unary \"&\" \(expression(x)))"
        case .dereference(let x): return "(unary \"*\" \(expression(x)))"
        case .call(let callee, let args):
            let parts = args.map { a in (a.label.map { quoted($0) + " " } ?? "") + expression(a.value) }
            return "(call \(expression(callee))" + parts.map { " " + $0 }.joined() + ")"
        case .index(let b, let i): return "(idx \(expression(b)) \(expression(i)))"
        case .field(let b, let name, _): return "(dot \(expression(b)) \(quoted(name)))"
        case .invalid: return "(invalid)"
        }
    }

    public static func statement(_ s: Stmt) -> String {
        switch s {
        case .structDecl(let d):
            let fields = d.fields.map { "(field \(quoted($0.name)) \(quoted($0.type.description)))" }
            return "(struct \(quoted(d.name)) [\(fields.joined(separator: " "))])"
        case .funcDecl(let d):
            return function(d)
        case .externBlock(let b):
            return "(extern \(quoted(b.module)) (\(b.functions.map(function).joined(separator: " "))))"
        case .varDecl(let d):
            let initializer = d.initializer.map { " " + expression($0) } ?? ""
            return "(var-decl \(quoted(d.name)) \(quoted(d.type.description))\(initializer))"
        case .ifStmt(let i):
            var out = "(if"
            for b in i.branches { out += " \(expression(b.condition)) \(list(b.body))" }
            if let e = i.elseBody { out += " nil \(list(e))" }
            return out + ")"
        case .loop(let body, _): return "(loop \(list(body)))"
        case .forLoop(let f):
            let initializer = f.initializer.map(statement) ?? "nil"
            let post = f.post.map(statement) ?? "nil"
            return "(for \(initializer) \(f.condition.map(expression) ?? "nil") \(post) \(list(f.body)))"
        case .breakStmt: return "break"
        case .continueStmt: return "continue"
        case .returnStmt(let v, _): return v.map { "(return \(expression($0)))" } ?? "(return)"
        case .block(let body, _): return "(block \(list(body)))"
        case .expression(let e): return expression(e)
        }
    }

    private static func function(_ d: FuncDecl) -> String {
        let params = d.parameters.map {
            "(param \(quoted($0.name)) \(quoted($0.type.description)) \($0.isPositional ? "positional" : "named"))"
        }
        let ret = d.returnType.map { quoted($0.description) } ?? "nil"
        let body = d.body.map(list) ?? "nil"
        return "(func \(quoted(d.name)) [\(params.joined(separator: " "))] \(ret) \(body))"
    }

    private static func list(_ body: [Stmt]) -> String {
        "[" + body.map(statement).joined(separator: " ") + "]"
    }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s {
            if c == "\\" || c == "\"" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
