import ZongSyntax

/// The warnings (each can be turned off with `-Wno-NAME`; `-Werror` makes them errors).
public enum WarningKind: String, CaseIterable, Sendable {
    case unusedVariable = "unused-variable"
    case unusedParameter = "unused-parameter"
    case unreachableCode = "unreachable-code"
    /// Returning or storing the address of a local (or a temporary) that dies with its function.
    case danglingAddress = "dangling-address"
    /// A comparison whose result the operand's type decides (`u < 0` for an unsigned `u`).
    case tautologicalCompare = "tautological-compare"
}

/// Finds the warnings of a checked program. Never changes the program; reports nothing for
/// names starting with `_` (the usual way to say "unused on purpose").
public enum Warnings {
    public static func find(_ program: TypedProgram, syntax: ProgramSyntax) -> [Diagnostic] {
        var finder = WarningFinder()
        for f in program.functions { finder.function(f) }
        finder.unreachable(syntax.statements)
        return finder.found.enumerated()
            .sorted { ($0.element.span.start, $0.offset) < ($1.element.span.start, $1.offset) }.map(\.element)
    }
}

private struct WarningFinder {
    var found: [Diagnostic] = []
    var declared: [LocalVar] = []
    var used: Set<LocalVar> = []
    var function: FunctionDef?

    mutating func warn(_ kind: WarningKind, _ message: String, _ span: SourceSpan, notes: [Diagnostic.Note] = []) {
        found.append(Diagnostic(message, at: span, severity: .warning, code: kind.rawValue, notes: notes))
    }

    mutating func function(_ f: FunctionDef) {
        function = f
        declared = f.parameters
        used = []
        statements(f.body)
        for v in declared where !used.contains(v) && !v.name.hasPrefix("_") {
            if v.isParameter {
                warn(.unusedParameter, "unused parameter '\(v.name)'", v.span)
            } else {
                warn(.unusedVariable, "variable '\(v.name)' is never read", v.span)
            }
        }
    }

    mutating func statements(_ list: [TStmt]) {
        for s in list { statement(s) }
    }

    mutating func statement(_ s: TStmt) {
        switch s {
        case .expression(let e):
            expression(e)
        case .variable(let v, let initializer):
            declared.append(v)
            if let initializer {
                expression(initializer)
                storedAddress(initializer, into: nil)
            }
        case .assign(let target, let value, _):
            // Writing a variable is not reading it; everything inside a larger target is.
            if case .local = target.kind {} else { expression(target) }
            expression(value)
            if escapes(target) { storedAddress(value, into: target) }
        case .ifElse(let branches, let elseBody):
            for b in branches {
                expression(b.condition)
                statements(b.body)
            }
            statements(elseBody ?? [])
        case .loop(let body), .block(let body):
            statements(body)
        case .returnValue(let value, _):
            if let value {
                expression(value)
                if function?.isScriptMain == false { returnedAddress(value) }
            }
        default:
            break
        }
    }

    mutating func expression(_ e: TExpr) {
        switch e.kind {
        case .local(let v):
            used.insert(v)
        case .arithmetic(_, let l, let r), .logicalAnd(let l, let r), .logicalOr(let l, let r), .index(let l, let r),
             .append(let l, let r), .bitwise(_, let l, let r), .shift(_, let l, let r):
            expression(l)
            expression(r)
        case .comparison(let op, let l, let r):
            expression(l)
            expression(r)
            comparison(op, l, r, e.span)
        case .negate(let x), .not(let x), .addressOf(let x), .dereference(let x), .field(let x, _), .sliceLength(let x),
             .print(let x), .printBytes(let x), .convert(let x), .complement(let x):
            expression(x)
        case .call(_, let arguments, _):
            for a in arguments { expression(a) }
        case .construct(_, let fields):
            for f in fields { expression(f.value) }
        default:
            break
        }
    }

    // MARK: dangling addresses

    /// The local whose storage `e&` points into, or nil when it points elsewhere (a slice's
    /// elements live in the heap; a pointer's target is not ours to judge).
    func localRoot(_ e: TExpr) -> LocalVar? {
        switch e.kind {
        case .local(let v): v
        case .field(let base, _): localRoot(base)
        default: nil
        }
    }

    /// `e&` of a local or of a temporary (a value with no location of its own).
    func addressOfLocal(_ e: TExpr) -> (LocalVar?, SourceSpan)? {
        guard case .addressOf(let x) = e.kind else { return nil }
        if let v = localRoot(x) { return (v, e.span) }
        switch x.kind {
        case .field, .index, .dereference: return nil
        default: return (nil, e.span)
        }
    }

    /// Addresses inside a value that leaves the function: the value itself, or a field of a
    /// struct built for it.
    func escapingAddresses(_ e: TExpr) -> [(LocalVar?, SourceSpan)] {
        if let a = addressOfLocal(e) { return [a] }
        if case .construct(_, let fields) = e.kind { return fields.flatMap { escapingAddresses($0.value) } }
        return []
    }

    mutating func returnedAddress(_ value: TExpr) {
        let name = function?.name ?? "function"
        for (v, span) in escapingAddresses(value) {
            if let v {
                warn(.danglingAddress, "returning the address of local '\(v.name)', which no longer exists when '\(name)' returns",
                     span, notes: [.init("'\(v.name)' is declared here", at: v.span)])
            } else {
                warn(.danglingAddress, "returning the address of a temporary value, which no longer exists when '\(name)' returns", span)
            }
        }
    }

    /// A target that outlives the function: written through a pointer that came from a
    /// parameter (`p* = …`, `p*.f = …`).
    func escapes(_ target: TExpr) -> Bool {
        switch target.kind {
        case .dereference(let p):
            if case .local(let v) = p.kind { return v.isParameter }
            return false
        case .field(let base, _): return escapes(base)
        default: return false
        }
    }

    mutating func storedAddress(_ value: TExpr, into target: TExpr?) {
        guard target != nil, function?.isScriptMain == false else { return }
        let name = function?.name ?? "function"
        for (v, span) in escapingAddresses(value) {
            let what = v.map { "local '\($0.name)'" } ?? "a temporary value"
            warn(.danglingAddress, "storing the address of \(what) where it outlives '\(name)'", span,
                 notes: v.map { [.init("'\($0.name)' is declared here", at: $0.span)] } ?? [])
        }
    }

    // MARK: comparisons decided by the type

    mutating func comparison(_ op: TExpr.ComparisonOp, _ l: TExpr, _ r: TExpr, _ span: SourceSpan) {
        // Put the constant on the right: `c < x` is `x > c`.
        var op = op
        var variable = l, constant = r
        if case .integer = l.kind {
            if case .integer = r.kind { return }
            variable = r
            constant = l
            switch op {
            case .less: op = .greater
            case .greater: op = .less
            case .lessOrEqual: op = .greaterOrEqual
            case .greaterOrEqual: op = .lessOrEqual
            default: break
            }
        }
        guard case .integer(let bits) = constant.kind, let type = variable.type.integerType else { return }
        let isMax = bits == type.maximum
        // Signed constants are sign-extended bit patterns (I8 -128 is 0xFF…FF80).
        let isMin = type.isSigned ? bits == UInt64.max << UInt64(type.bits - 1) : bits == 0
        var result: Bool?
        switch op {
        case .less where isMin, .greater where isMax: result = false
        case .greaterOrEqual where isMin, .lessOrEqual where isMax: result = true
        default: break
        }
        guard let result else { return }
        let name = type.rawValue
        let reason: String
        if isMin && !type.isSigned {
            reason = "a value of type \(name) is never negative"
        } else if isMin {
            reason = "-\(type.minimum.magnitude) is the smallest \(name)"
        } else {
            reason = "\(type.maximum) is the largest \(name)"
        }
        warn(.tautologicalCompare, "comparison is always \(result): \(reason)", span)
    }

    // MARK: unreachable code (on the syntax tree, which has a span for every statement)

    mutating func unreachable(_ list: [Stmt]) {
        var jump: Stmt?
        var reported = false
        for s in list {
            if let jump, !reported, !isDeclaration(s) {
                warn(.unreachableCode, "code after \(word(jump)) is never executed", s.span,
                     notes: [.init("control leaves here", at: jump.span)])
                reported = true
            }
            nested(s)
            if jump == nil, jumps(s) { jump = s }
        }
    }

    func isDeclaration(_ s: Stmt) -> Bool {
        switch s {
        case .structDecl, .funcDecl, .externBlock: true
        default: false
        }
    }

    func word(_ s: Stmt) -> String {
        switch s {
        case .returnStmt: "'return'"
        case .breakStmt: "'break'"
        case .continueStmt: "'continue'"
        case .loop: "a loop that never ends"
        default: "a statement that always leaves"
        }
    }

    mutating func nested(_ s: Stmt) {
        switch s {
        case .funcDecl(let f): unreachable(f.body ?? [])
        case .ifStmt(let i):
            for b in i.branches { unreachable(b.body) }
            unreachable(i.elseBody ?? [])
        case .loop(let body, _), .block(let body, _): unreachable(body)
        default: break
        }
    }

    /// Whether control never goes on to the next statement.
    func jumps(_ s: Stmt) -> Bool {
        switch s {
        case .returnStmt, .breakStmt, .continueStmt: return true
        case .block(let body, _): return body.contains(where: jumps)
        case .ifStmt(let i):
            guard let e = i.elseBody else { return false }
            return e.contains(where: jumps) && i.branches.allSatisfy { $0.body.contains(where: jumps) }
        case .loop(let body, _): return !breaks(body)
        default: return false
        }
    }

    /// A `break` that leaves this loop.
    func breaks(_ body: [Stmt]) -> Bool {
        body.contains { s in
            switch s {
            case .breakStmt: true
            case .block(let b, _): breaks(b)
            case .ifStmt(let i): i.branches.contains { breaks($0.body) } || breaks(i.elseBody ?? [])
            default: false
            }
        }
    }
}
