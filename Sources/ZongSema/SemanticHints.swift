import ZongSyntax

/// Notes and fix-its for the checker's errors, added after checking from the syntax tree, so
/// the checker stays as it is and the messages stay the catalogued ones (LANGUAGE.md §11):
/// "did you mean" (edit distance) for unknown names, functions, fields and types, and a note
/// at the declaration that explains an error (the earlier declaration of a duplicate, the
/// variable read before it was assigned, the function or struct a call does not fit).
public enum SemanticHints {
    public static func explain(_ diagnostics: [Diagnostic], in syntax: ProgramSyntax, file: SourceFile) -> [Diagnostic] {
        guard diagnostics.contains(where: { $0.severity == .error }) else { return diagnostics }
        let index = DeclarationIndex(syntax)
        return diagnostics.map { explain($0, index, file) }
    }

    static let builtinTypes = ["I8", "I16", "I32", "I64", "U8", "U16", "U32", "U64", "Boolean"]
    static let builtinFunctions = ["print", "print_bytes", "read_line", "append"]

    private static func explain(_ d: Diagnostic, _ index: DeclarationIndex, _ file: SourceFile) -> Diagnostic {
        guard d.severity == .error, d.notes.isEmpty else { return d }
        var d = d
        let pos = d.span.start
        let spanText = String(decoding: file.bytes[min(d.span.start, file.bytes.count)..<min(d.span.end, file.bytes.count)], as: UTF8.self)

        func suggest(_ name: String, among candidates: [Declaration], builtins: [String]) {
            let all = candidates.map { ($0.name, Optional($0)) } + builtins.map { ($0, nil as Declaration?) }
            guard let best = closest(to: name, among: all.map(\.0)) else { return }
            let decl = all.filter { $0.0 == best }.compactMap(\.1).max { $0.span.start < $1.span.start }
            if spanText == name { d.fixIts.append(.init(replacing: d.span, with: best)) }
            if let decl {
                d.notes.append(.init("did you mean '\(best)'? (\(decl.kind.rawValue) declared here)", at: decl.span))
            } else {
                d.notes.append(.init("did you mean '\(best)'?", at: d.span))
            }
        }

        if let name = quoted(d.message, after: "undefined symbol '") {
            if let zong = ForeignTypeNames.zongName[name] {
                d.notes.append(.init("Zong spells this type '\(zong)'", at: d.span))
                if spanText == name { d.fixIts.append(.init(replacing: d.span, with: zong)) }
            } else if name == "nil" || name == "null" {
                d.notes.append(.init("Zong has no null pointer: a pointer comes from taking an address, 'x&'", at: d.span))
            } else if name.first?.isUppercase == true {
                suggest(name, among: index.all.filter { $0.kind == .struct }, builtins: builtinTypes)
            } else {
                suggest(name, among: index.visible(at: pos), builtins: builtinFunctions)
            }
        } else if let name = quoted(d.message, after: "unknown function '") {
            suggest(name, among: index.all.filter { $0.kind == .function || $0.kind == .externFunction }, builtins: builtinFunctions)
        } else if d.message.hasPrefix("struct "), let field = quoted(d.message, after: "has no field named '") {
            let owner = String(d.message.dropFirst("struct ".count).prefix { $0 != " " })
            let nameSpan = d.span.end - field.utf8.count >= d.span.start
                ? SourceSpan(start: d.span.end - field.utf8.count, end: d.span.end) : d.span
            if owner.hasSuffix("[]") {
                if closest(to: field, among: ["length"]) != nil {
                    d.notes.append(.init("did you mean 'length'?", at: d.span))
                    d.fixIts.append(.init(replacing: nameSpan, with: "length"))
                }
            } else {
                let fields = index.all.filter { $0.kind == .field && $0.owner == owner }
                if let best = closest(to: field, among: fields.map(\.name)), let decl = fields.first(where: { $0.name == best }) {
                    if String(decoding: file.bytes[min(nameSpan.start, file.bytes.count)..<min(nameSpan.end, file.bytes.count)], as: UTF8.self) == field {
                        d.fixIts.append(.init(replacing: nameSpan, with: best))
                    }
                    d.notes.append(.init("did you mean '\(best)'? (field declared here)", at: decl.span))
                } else if let s = index.all.first(where: { $0.kind == .struct && $0.name == owner }) {
                    let names = fields.map(\.name).joined(separator: ", ")
                    d.notes.append(.init("struct \(owner) is declared here" + (names.isEmpty ? " with no fields" : " with fields \(names)"), at: s.span))
                }
            }
        } else if let rest = d.message.dropSuffixOf(" already declared"), let name = quoted(rest + "'", after: "'") {
            let kind = String(rest.prefix { $0 != "'" }).trimmingSpaces
            if let previous = index.all.filter({ $0.name == name && $0.span.start < pos && $0.kind.matches(kind) })
                .max(by: { $0.span.start < $1.span.start }) {
                d.notes.append(.init("'\(name)' was first declared here", at: previous.span))
            }
        } else if let name = quoted(d.message, after: "variable '"), d.message.hasSuffix("used before assignment") {
            if let decl = index.visible(at: pos).filter({ $0.name == name && $0.kind == .variable }).max(by: { $0.span.start < $1.span.start }) {
                d.notes.append(.init("'\(name)' is declared here without a value", at: decl.span))
            }
        } else if d.message.hasPrefix("function call ") || d.message.hasPrefix("struct initialization ") {
            if let callee = index.callee(at: d.span), let decl = index.all.first(where: { $0.name == callee && $0.kind.isCallable }) {
                d.notes.append(.init("'\(callee)' is declared here", at: decl.span))
            }
        }
        return d
    }

    /// The text between `prefix` and the next `'` in `message`.
    private static func quoted(_ message: String, after prefix: String) -> String? {
        guard let r = message.firstRange(of: prefix) else { return nil }
        let rest = message[r.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }

    /// The candidate nearest to `name` by edit distance (adjacent transpositions count one),
    /// if it is near enough to be a likely typo: at most a third of the name's length.
    static func closest(to name: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        // A one- or two-letter name has too many neighbours for a guess to help.
        let limit = name.count <= 2 ? 0 : max(1, name.count / 3)
        for c in Set(candidates) where c != name {
            let distance = c.lowercased() == name.lowercased() ? 0 : editDistance(name, c)
            guard distance <= limit, distance < max(name.count, 2) else { continue }
            if let (name, d) = best, d < distance || (d == distance && name < c) { continue }
            best = (c, distance)
        }
        return best?.0
    }

    /// Optimal string alignment distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

struct Declaration {
    enum Kind: String {
        case variable, parameter, function, externFunction = "extern function", `struct`, field
        func matches(_ word: String) -> Bool {
            switch word {
            case "variable": self == .variable || self == .parameter || self == .field
            case "function": self == .function
            case "extern function": self == .externFunction
            case "struct": self == .struct
            default: false
            }
        }
        var isCallable: Bool { self == .function || self == .externFunction || self == .struct }
    }
    var name: String
    var span: SourceSpan
    var kind: Kind
    /// The struct of a field.
    var owner: String?
    /// The byte range of the top-level statement it is in (its function, for a local).
    var region: Range<Int>
    var topLevel: Bool
}

/// Every declaration in the tree with where it is, and every call's callee.
struct DeclarationIndex {
    var all: [Declaration] = []
    var calls: [(span: SourceSpan, callee: String)] = []
    var regions: [Range<Int>] = []

    init(_ syntax: ProgramSyntax) {
        let starts = syntax.statements.map(\.span.start)
        for (i, s) in syntax.statements.enumerated() {
            let region = (i == 0 ? 0 : starts[i])..<(i + 1 < starts.count ? starts[i + 1] : Int.max)
            regions.append(region)
            statement(s, region, topLevel: true)
        }
    }

    /// Variables and parameters declared before `offset` in its top-level statement, top-level
    /// variables before it, and every function and extern function.
    func visible(at offset: Int) -> [Declaration] {
        all.filter { d in
            switch d.kind {
            case .function, .externFunction: true
            case .variable, .parameter: d.span.start < offset && (d.region.contains(offset) || d.topLevel)
            case .struct, .field: false
            }
        }
    }

    func callee(at span: SourceSpan) -> String? {
        calls.filter { $0.span.start <= span.start && span.end <= $0.span.end }
            .min { $0.span.end - $0.span.start < $1.span.end - $1.span.start }?.callee
    }

    private mutating func add(_ name: String, _ span: SourceSpan, _ kind: Declaration.Kind, _ region: Range<Int>,
                              topLevel: Bool = false, owner: String? = nil) {
        all.append(Declaration(name: name, span: span, kind: kind, owner: owner, region: region, topLevel: topLevel))
    }

    private mutating func statement(_ s: Stmt, _ region: Range<Int>, topLevel: Bool) {
        switch s {
        case .structDecl(let d):
            add(d.name, d.nameSpan, .struct, region)
            for f in d.fields { add(f.name, f.nameSpan, .field, region, owner: d.name) }
        case .funcDecl(let f):
            add(f.name, f.nameSpan, .function, region)
            for p in f.parameters { add(p.name, p.nameSpan, .parameter, region) }
            for b in f.body ?? [] { statement(b, region, topLevel: false) }
        case .externBlock(let b):
            for f in b.functions { add(f.name, f.nameSpan, .externFunction, region) }
        case .varDecl(let v):
            add(v.name, v.nameSpan, .variable, region, topLevel: topLevel)
            if let e = v.initializer { expression(e) }
        case .ifStmt(let i):
            for b in i.branches {
                expression(b.condition)
                for s in b.body { statement(s, region, topLevel: false) }
            }
            for s in i.elseBody ?? [] { statement(s, region, topLevel: false) }
        case .loop(let body, _), .block(let body, _):
            for s in body { statement(s, region, topLevel: false) }
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
        case .call(let callee, let args):
            switch callee.kind {
            case .name(let n): calls.append((e.span, n))
            case .type(let t): calls.append((e.span, t.name))
            default: expression(callee)
            }
            for a in args { expression(a.value) }
        case .binary(_, let l, let r), .assign(let l, let r), .index(let l, let r):
            expression(l)
            expression(r)
        case .prefix(_, let x), .addressOf(let x), .dereference(let x), .field(let x, _, _):
            expression(x)
        default:
            break
        }
    }
}

private extension String {
    func dropSuffixOf(_ suffix: String) -> String? {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : nil
    }
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
