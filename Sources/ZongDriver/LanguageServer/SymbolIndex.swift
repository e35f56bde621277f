import ZongSyntax

/// What the language server knows about one document's names: every declaration, every use
/// resolved to its declaration (lexical scopes as LANGUAGE.md §5.1 has them: blocks and if
/// branches open a scope, a loop body does not; functions and structs are hoisted), and
/// enough of each expression's type to resolve fields.
struct SymbolIndex {
    enum Kind: String { case variable, parameter, function, externFunction = "extern function", `struct`, field, builtin }

    struct Declaration {
        var name: String
        var kind: Kind
        var span: SourceSpan
        /// The whole declaration, for document symbols.
        var extent: SourceSpan
        /// The declared type (`I64`, `Point*`), for variables, parameters and fields.
        var type: TypeSyntax?
        /// Functions: `(a: I64, _ b: I64): I64`; structs: `(x: I64, y: I64)`.
        var signature: String
        /// The struct a field belongs to, the function a local belongs to.
        var container: String?
    }

    var declarations: [Declaration] = []
    /// Each use of a name (and each declaration's own name), with the declaration it means.
    var references: [(span: SourceSpan, declaration: Int)] = []

    static let builtinSignatures: [(String, String)] = [
        ("print", "func print(_ value: I64 | Boolean)"), ("print_bytes", "func print_bytes(_ s: U8[])"),
        ("read_line", "func read_line(): U8[]"), ("append", "func append(_ slice: T[]*, _ value: T)"),
    ]
    static let builtinTypes = ["I8", "I16", "I32", "I64", "U8", "U16", "U32", "U64", "Boolean"]

    private var scopes: [[String: Int]] = []
    private var globals: [String: Int] = [:]
    private var structs: [String: Int] = [:]
    private var function: String?

    init(_ program: ProgramSyntax) {
        for (name, sig) in Self.builtinSignatures {
            globals[name] = add(Declaration(name: name, kind: .builtin, span: SourceSpan(start: -1, end: -1),
                                            extent: SourceSpan(start: -1, end: -1), type: nil, signature: sig, container: nil))
        }
        hoist(program.statements)
        scopes = [[:]]
        statements(program.statements)
    }

    private mutating func add(_ d: Declaration) -> Int {
        declarations.append(d)
        return declarations.count - 1
    }

    static func signature(_ parameters: [Parameter], _ result: TypeSyntax?) -> String {
        "(" + parameters.map { ($0.isPositional ? "_ " : "") + "\($0.name): \($0.type)" }.joined(separator: ", ") + ")"
            + (result.map { ": \($0)" } ?? "")
    }

    /// Functions, extern functions and structs anywhere in the program are global (§5.1).
    private mutating func hoist(_ list: [Stmt]) {
        for s in list {
            switch s {
            case .structDecl(let d):
                let fields = d.fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
                let id = add(Declaration(name: d.name, kind: .struct, span: d.nameSpan, extent: d.span, type: nil,
                                         signature: "(\(fields))", container: nil))
                if structs[d.name] == nil { structs[d.name] = id }
                for f in d.fields {
                    _ = add(Declaration(name: f.name, kind: .field, span: f.nameSpan, extent: f.nameSpan.merged(with: f.type.span),
                                        type: f.type, signature: "", container: d.name))
                }
            case .funcDecl(let f):
                let id = add(Declaration(name: f.name, kind: .function, span: f.nameSpan, extent: f.span, type: f.returnType,
                                         signature: Self.signature(f.parameters, f.returnType), container: nil))
                if globals[f.name].map({ declarations[$0].kind == .builtin }) ?? true { globals[f.name] = id }
                hoist(f.body ?? [])
            case .externBlock(let b):
                for f in b.functions {
                    let id = add(Declaration(name: f.name, kind: .externFunction, span: f.nameSpan, extent: f.span, type: f.returnType,
                                             signature: Self.signature(f.parameters, f.returnType), container: b.module))
                    if globals[f.name] == nil { globals[f.name] = id }
                }
            case .ifStmt(let i):
                for b in i.branches { hoist(b.body) }
                hoist(i.elseBody ?? [])
            case .loop(let body, _), .block(let body, _):
                hoist(body)
            default:
                break
            }
        }
    }

    private mutating func reference(_ span: SourceSpan, _ id: Int) { references.append((span, id)) }

    private mutating func typeReference(_ t: TypeSyntax) {
        if let id = structs[t.name] {
            reference(SourceSpan(start: t.span.start, end: t.span.start + t.name.utf8.count), id)
        }
    }

    private func lookup(_ name: String) -> Int? {
        for scope in scopes.reversed() {
            if let id = scope[name] { return id }
        }
        return globals[name]
    }

    private mutating func declare(_ name: String, _ span: SourceSpan, _ kind: Kind, _ type: TypeSyntax, extent: SourceSpan) {
        let id = add(Declaration(name: name, kind: kind, span: span, extent: extent, type: type, signature: "", container: function))
        scopes[scopes.count - 1][name] = id
        reference(span, id)
        typeReference(type)
    }

    private mutating func statements(_ list: [Stmt]) {
        for s in list { statement(s) }
    }

    private mutating func scoped(_ body: [Stmt]) {
        scopes.append([:])
        statements(body)
        scopes.removeLast()
    }

    private mutating func statement(_ s: Stmt) {
        switch s {
        case .structDecl(let d):
            if let id = declarations.firstIndex(where: { $0.kind == .struct && $0.span == d.nameSpan }) { reference(d.nameSpan, id) }
            for f in d.fields {
                if let id = declarations.firstIndex(where: { $0.kind == .field && $0.span == f.nameSpan }) { reference(f.nameSpan, id) }
                typeReference(f.type)
            }
        case .funcDecl(let f):
            if let id = declarations.firstIndex(where: { ($0.kind == .function) && $0.span == f.nameSpan }) { reference(f.nameSpan, id) }
            let outer = (scopes, function)
            scopes = [[:]]
            function = f.name
            for p in f.parameters { declare(p.name, p.nameSpan, .parameter, p.type, extent: p.nameSpan.merged(with: p.type.span)) }
            if let r = f.returnType { typeReference(r) }
            scopes.append([:])
            statements(f.body ?? [])
            (scopes, function) = outer
        case .externBlock(let b):
            for f in b.functions {
                if let id = declarations.firstIndex(where: { $0.kind == .externFunction && $0.span == f.nameSpan }) { reference(f.nameSpan, id) }
                for p in f.parameters { typeReference(p.type) }
                if let r = f.returnType { typeReference(r) }
            }
        case .varDecl(let v):
            if let e = v.initializer { expression(e) }
            declare(v.name, v.nameSpan, .variable, v.type, extent: v.span)
        case .ifStmt(let i):
            for b in i.branches {
                expression(b.condition)
                scoped(b.body)
            }
            if let e = i.elseBody { scoped(e) }
        case .loop(let body, _):
            statements(body)
        case .block(let body, _):
            scoped(body)
        case .returnStmt(let e, _):
            if let e { expression(e) }
        case .expression(let e):
            expression(e)
        default:
            break
        }
    }

    private mutating func expression(_ e: Expr) {
        switch e.kind {
        case .name(let n):
            if let id = lookup(n) { reference(e.span, id) }
        case .type(let t):
            typeReference(t)
        case .call(let callee, let args):
            expression(callee)
            // A named argument's label means the parameter or field of that name.
            var owner: String?
            if case .name(let n) = callee.kind { owner = n }
            if case .type(let t) = callee.kind { owner = t.name }
            for a in args {
                if let label = a.label, let span = a.labelSpan, let owner {
                    if let s = structs[owner], let f = field(label, of: declarations[s].name) {
                        reference(span, f)
                    }
                }
                expression(a.value)
            }
        case .binary(_, let l, let r), .assign(let l, let r), .index(let l, let r):
            expression(l)
            expression(r)
        case .prefix(_, let x), .addressOf(let x), .dereference(let x):
            expression(x)
        case .field(let base, let name, let nameSpan):
            expression(base)
            if let t = type(of: base), t.pointerDepth <= 1, !t.isSlice, let f = field(name, of: t.name) {
                reference(nameSpan, f)
            }
        default:
            break
        }
    }

    func field(_ name: String, of owner: String) -> Int? {
        declarations.firstIndex { $0.kind == .field && $0.container == owner && $0.name == name }
    }

    /// The static type of an expression, where the syntax alone tells it (enough for fields).
    func type(of e: Expr) -> TypeSyntax? {
        switch e.kind {
        case .name(let n):
            // After indexing, a name means what its reference says; failing that (text that did
            // not parse), the nearest variable of that name declared before it.
            if let r = references.first(where: { $0.span == e.span }) { return declarations[r.declaration].type }
            if let d = declarations.filter({ $0.name == n && ($0.kind == .variable || $0.kind == .parameter) && $0.span.start < e.span.start })
                .max(by: { $0.span.start < $1.span.start }) {
                return d.type
            }
            guard let id = lookup(n) else { return nil }
            return declarations[id].type
        case .dereference(let x):
            guard var t = type(of: x), t.pointerDepth > 0 else { return nil }
            t.pointerDepth -= 1
            return t
        case .addressOf(let x):
            guard var t = type(of: x) else { return nil }
            t.pointerDepth += 1
            return t
        case .index(let b, _):
            guard var t = type(of: b), t.isSlice, t.pointerDepth == 0 else { return nil }
            t.sliceDepth -= 1
            return t
        case .field(let b, let name, _):
            guard let t = type(of: b), !t.isSlice, let f = field(name, of: t.name) else { return nil }
            return declarations[f].type
        case .call(let callee, _):
            if case .type(let t) = callee.kind { return t }
            if case .name(let n) = callee.kind, let id = globals[n] { return declarations[id].type }
            return nil
        default:
            return nil
        }
    }

    /// The reference whose bytes contain `offset`.
    func reference(containing offset: Int) -> (span: SourceSpan, declaration: Int)? {
        references.first { $0.span.start <= offset && offset < $0.span.end }
    }

    /// The reference under a byte offset, or just after it (where an editor's cursor sits).
    func reference(at offset: Int) -> (span: SourceSpan, declaration: Int)? {
        references.first { $0.span.start <= offset && offset <= $0.span.end }
    }

    func uses(of id: Int) -> [SourceSpan] {
        var seen = Set<Int>()
        return references.filter { $0.declaration == id && seen.insert($0.span.start).inserted }.map(\.span)
    }
}
