import ZongSyntax

/// The library's scopes and declarations in one checker (LibrarySource.swift).
///
/// Scopes: `library` holds the library's functions and the library built-ins (print_int,
/// eprint, eprint_bytes, format_int); the user's global scope is nested in it, so a user
/// declaration of the same name shadows it. Library bodies are checked under
/// `libraryInternal` (the plain built-ins and the library's WASI externs, then `library`),
/// so they never see user declarations.
struct LibraryState {
    /// Every library function by name (public and `_zong_` helpers).
    var functions: [String: FunctionDef] = [:]
    /// In declaration order, for a deterministic module.
    var order: [FunctionDef] = []
    var bodies: [ObjectIdentifier: [Stmt]] = [:]
    /// WASI functions the library declares; each becomes an extern (an import) on first use.
    var externs: [String: ExternFunction] = [:]
    var externIndex: [String: Int] = [:]
    var structNames: [String] = []
    /// Library functions whose bodies have been checked (the reachable ones).
    var checked: Set<ObjectIdentifier> = []
}

enum Library {
    static let syntax: ProgramSyntax = parseProgram(SourceFile(name: "<library>", text: LibrarySource.text)).program
}

extension Checker {
    /// Declares the library's struct, functions and externs (before any user declaration).
    func declareLibrary() {
        var declarations = Declarations()
        declarations.collect(Library.syntax.statements, topLevel: true)
        let savedSymbols = symbolErrors
        let savedTypes = typeErrors
        declareStructs(declarations.structs)
        library.structNames = declarations.structs.map(\.name)
        for callable in declarations.callables {
            switch callable {
            case .function(let d):
                let parameters = d.parameters.map { p in
                    LocalVar(name: p.name, type: resolveType(p.type), isParameter: true, span: SourceSpan(start: 0, end: 0))
                }
                let def = FunctionDef(name: d.name, parameters: parameters, returnType: d.returnType.map(resolveType) ?? .void,
                                      body: [], span: SourceSpan(start: 0, end: 0), isLibrary: true)
                library.functions[d.name] = def
                library.order.append(def)
                library.bodies[ObjectIdentifier(def)] = d.body ?? []
                _ = libraryScope.declare(d.name, .function(def))
            case .external(let module, let d):
                let ext = ExternFunction(module: module, name: d.name, parameterTypes: d.parameters.map { resolveType($0.type) },
                                         parameterNames: d.parameters.map(\.name),
                                         returnType: d.returnType.map(resolveType) ?? .void, span: SourceSpan(start: 0, end: 0))
                library.externs[d.name] = ext
                _ = libraryInternal.declare(d.name, .libraryExternal(d.name))
            }
        }
        // The library is known to check clean (LibraryTests); nothing of it is the user's to see.
        symbolErrors = savedSymbols
        typeErrors = savedTypes
    }

    /// The index in `externs` of a library extern, adding it on first use.
    func libraryExternIndex(_ name: String) -> Int? {
        if let i = library.externIndex[name] { return i }
        guard let ext = library.externs[name] else { return nil }
        externs.append(ext)
        library.externIndex[name] = externs.count - 1
        return externs.count - 1
    }

    /// Checks the library functions reachable from `roots`, transitively; returns them in
    /// declaration order.
    func checkReachableLibrary(from roots: [FunctionDef]) -> [FunctionDef] {
        var pending = roots.flatMap { calledFunctions(in: $0.body) }
        while let def = pending.popLast() {
            let id = ObjectIdentifier(def)
            guard let body = library.bodies[id], library.checked.insert(id).inserted else { continue }
            function = FunctionContext(name: def.name, returnType: def.returnType, isScriptMain: false)
            let parameterScope = Scope(parent: libraryInternal)
            for p in def.parameters { _ = parameterScope.declare(p.name, .variable(p)) }
            scope = Scope(parent: parameterScope)
            loopDepth = 0
            loopPosts = []
            def.body = statements(body)
            scope = global
            function = nil
            pending += calledFunctions(in: def.body)
        }
        return library.order.filter { library.checked.contains(ObjectIdentifier($0)) }
    }

    /// The user functions a typed body calls.
    private func calledFunctions(in body: [TStmt]) -> [FunctionDef] {
        var found: [FunctionDef] = []
        func visit(_ e: TExpr) {
            switch e.kind {
            case .integer, .boolean, .string, .local, .emptySlice, .readLine: break
            case .arithmetic(_, let a, let b), .bitwise(_, let a, let b), .shift(_, let a, let b), .comparison(_, let a, let b),
                 .logicalAnd(let a, let b), .logicalOr(let a, let b), .index(let a, let b), .append(let a, let b):
                visit(a)
                visit(b)
            case .negate(let a), .not(let a), .convert(let a), .complement(let a), .addressOf(let a), .dereference(let a),
                 .field(let a, _), .sliceLength(let a), .print(let a), .printBytes(let a):
                visit(a)
            case .call(let callee, let arguments, _):
                if case .function(let def) = callee { found.append(def) }
                arguments.forEach(visit)
            case .construct(_, let fields):
                fields.forEach { visit($0.value) }
            }
        }
        func visit(_ s: TStmt) {
            switch s {
            case .expression(let e): visit(e)
            case .variable(_, let e): e.map(visit)
            case .assign(let t, let v, _):
                visit(t)
                visit(v)
            case .ifElse(let branches, let elseBody):
                for b in branches {
                    visit(b.condition)
                    b.body.forEach(visit)
                }
                elseBody?.forEach(visit)
            case .loop(let b), .block(let b): b.forEach(visit)
            case .returnValue(let e, _): e.map(visit)
            case .breakLoop, .continueLoop: break
            }
        }
        body.forEach(visit)
        return found
    }
}
