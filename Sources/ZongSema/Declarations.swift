import ZongSyntax

/// Everything hoisted to global scope, wherever it was written (§5.1): structs, functions
/// (top level or nested) and extern blocks, in source order.
struct Declarations {
    var structs: [StructDecl] = []
    var functions: [FuncDecl] = []
    var externBlocks: [ExternBlock] = []
    var topLevelFunctions = 0
    var topLevelFunctionNames: Set<String> = []
    /// Source order of function and extern declarations (they share one name space).
    var callables: [Callable] = []

    enum Callable {
        case function(FuncDecl)
        case external(module: String, FuncDecl)
    }

    mutating func collect(_ statements: [Stmt], topLevel: Bool) {
        for s in statements {
            switch s {
            case .structDecl(let d):
                structs.append(d)
            case .funcDecl(let d):
                functions.append(d)
                callables.append(.function(d))
                if topLevel {
                    topLevelFunctions += 1
                    topLevelFunctionNames.insert(d.name)
                }
                collect(d.body ?? [], topLevel: false)
            case .externBlock(let b):
                externBlocks.append(b)
                for f in b.functions { callables.append(.external(module: b.module, f)) }
            case .ifStmt(let i):
                for branch in i.branches { collect(branch.body, topLevel: false) }
                collect(i.elseBody ?? [], topLevel: false)
            case .loop(let body, _), .block(let body, _):
                collect(body, topLevel: false)
            case .forLoop(let f):
                collect([f.initializer, f.post].compactMap { $0 } + f.body, topLevel: false)
            case .varDecl, .breakStmt, .continueStmt, .returnStmt, .expression:
                break
            }
        }
    }
}

extension Checker {
    /// Declares every struct, then resolves field types (fields may name later structs).
    func declareStructs(_ decls: [StructDecl]) {
        var accepted: [StructDecl] = []
        for d in decls {
            // A built-in type name (`I64`, `Boolean`, …) is taken: such a struct could never be
            // named, since the name always resolves to the built-in type.
            if structs[d.name] != nil || d.name == "Boolean" || IntegerType(rawValue: d.name) != nil {
                symbolError(SemaMessages.alreadyDeclared("struct", d.name), d.nameSpan)
                continue
            }
            structs[d.name] = StructDef(name: d.name, fields: [], span: d.nameSpan)
            structOrder.append(d.name)
            accepted.append(d)
        }
        for d in accepted {
            var seen: Set<String> = []
            var fields: [StructDef.Field] = []
            for f in d.fields {
                let type = resolveType(f.type)
                if !seen.insert(f.name).inserted {
                    symbolError(SemaMessages.alreadyDeclared("variable", f.name), f.nameSpan)
                    symbolError(SemaMessages.duplicateParameter(f.name, "struct \(d.name)"), f.nameSpan)
                    continue
                }
                fields.append(StructDef.Field(name: f.name, type: type))
            }
            structs[d.name]?.fields = fields
        }
    }

    /// Declares functions and extern functions in source order, with resolved signatures.
    func declareFunctions(_ declarations: Declarations) {
        for callable in declarations.callables {
            switch callable {
            case .function(let d):
                let parameters = resolveParameters(d, owner: "function \(d.name)", declareAsVariables: true)
                let returnType = d.returnType.map(resolveType) ?? .void
                let def = FunctionDef(name: d.name, parameters: parameters, returnType: returnType, body: [], span: d.nameSpan)
                if global.declare(d.name, .function(def)) {
                    functions.append(def)
                } else {
                    symbolError(SemaMessages.alreadyDeclared("function", d.name), d.nameSpan)
                    duplicateFunctions.append(def)
                }
                functionBodies[ObjectIdentifier(def)] = d.body ?? []
            case .external(let module, let d):
                let parameters = resolveParameters(d, owner: "extern function \(d.name)", declareAsVariables: false)
                let returnType = d.returnType.map(resolveType) ?? .void
                let ext = ExternFunction(module: module, name: d.name, parameterTypes: parameters.map(\.type),
                                         parameterNames: parameters.map(\.name), returnType: returnType, span: d.nameSpan)
                if global.declare(d.name, .external(externs.count)) {
                    externs.append(ext)
                } else {
                    symbolError(SemaMessages.alreadyDeclared("extern function", d.name), d.nameSpan)
                }
            }
        }
    }

    private func resolveParameters(_ d: FuncDecl, owner: String, declareAsVariables: Bool) -> [LocalVar] {
        var seen: Set<String> = []
        var result: [LocalVar] = []
        for p in d.parameters {
            let type = resolveType(p.type)
            if !seen.insert(p.name).inserted {
                symbolError(SemaMessages.duplicateParameter(p.name, owner), p.nameSpan)
                if declareAsVariables {
                    symbolError(SemaMessages.alreadyDeclared("variable", p.name), p.nameSpan)
                }
            }
            result.append(LocalVar(name: p.name, type: type, isParameter: true, span: p.nameSpan))
        }
        return result
    }

    /// A written type to a `ZType`; unknown names are `undefined symbol` and yield `.error`.
    func resolveType(_ t: TypeSyntax) -> ZType {
        var base: ZType
        if t.name == "Boolean" {
            base = .boolean
        } else if let int = IntegerType(rawValue: t.name) {
            base = .integer(int)
        } else if structs[t.name] != nil {
            base = .structure(t.name)
        } else {
            symbolError(SemaMessages.undefinedSymbol(t.name), t.span)
            return .error
        }
        for _ in 0..<t.sliceDepth { base = .slice(base) }
        for _ in 0..<t.pointerDepth { base = .pointer(base) }
        return base
    }

    /// A struct may not contain itself by value, directly or through other structs (§4.5).
    func checkStructContainment() {
        for name in structOrder {
            var visiting: Set<String> = []
            if reachesByValue(name, target: name, &visiting), let def = structs[name] {
                typeError(SemaMessages.containsItself(name), def.span)
            }
        }
    }

    private func reachesByValue(_ from: String, target: String, _ visited: inout Set<String>) -> Bool {
        guard visited.insert(from).inserted, let def = structs[from] else { return false }
        for field in def.fields {
            if case .structure(let inner) = field.type {
                if inner == target || reachesByValue(inner, target: target, &visited) { return true }
            }
        }
        return false
    }
}
