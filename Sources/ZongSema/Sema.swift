import ZongSyntax

public struct SemaResult {
    /// The checked program; nil when there are diagnostics.
    public var program: TypedProgram?
    /// The diagnostics of names and types together, or else of initialization (§1 stops at
    /// the first failing phase; names and types are one walk here, see `check`).
    public var diagnostics: [Diagnostic]
    /// Every user function body as far as it checked, also when there are diagnostics (an
    /// expression that failed is missing, and so are its parents): for tools that describe a
    /// program being edited (the language server's hover), never for Codegen.
    public var checkedFunctions: [FunctionDef] = []
}

/// Runs phases 2–4 on a parsed program (LANGUAGE.md §1): reports the errors of phases 2 and 3
/// together, and runs phase 4 only when they found none; never crashes on any tree the
/// parser can produce.
/// - Parameter tasks: runs the function bodies' checks (each independent of the others once
///   the declarations are known); the diagnostics are the same whatever it runs them on.
public func check(_ syntax: ProgramSyntax, file: SourceFile, tasks: TaskRunner = runSequentially) -> SemaResult {
    let checker = Checker(file: file)
    let program = checker.run(syntax, tasks: tasks)
    let checkedFunctions = checker.checkedFunctions
    // Names and types are checked in one walk, and an expression that failed to resolve has
    // the type `.error`, which silences what would follow from it: so both phases' errors are
    // reported together (one run shows a misspelt name and an unrelated type error).
    let early = checker.symbolErrors.items.map { $0.coded("name") } + checker.typeErrors.items.map { $0.coded("type") }
    if !early.isEmpty {
        return SemaResult(program: nil, diagnostics: sorted(early), checkedFunctions: checkedFunctions)
    }
    guard let program else {
        return SemaResult(program: nil, diagnostics: [], checkedFunctions: checkedFunctions)
    }
    let initErrors = DefiniteInitialization.analyze(program, tasks: tasks)
    if !initErrors.isEmpty {
        return SemaResult(program: nil, diagnostics: sorted(initErrors.items).map { $0.coded("init") }, checkedFunctions: checkedFunctions)
    }
    return SemaResult(program: program, diagnostics: [], checkedFunctions: checkedFunctions)
}

private func sorted(_ items: [Diagnostic]) -> [Diagnostic] {
    items.enumerated().sorted { ($0.element.span.start, $0.offset) < ($1.element.span.start, $1.offset) }.map(\.element)
}

/// The post statement of a three-clause `for` and the scope it is checked in.
struct LoopPost {
    var post: Stmt
    var scope: Scope
}

/// Per-function checking state.
struct FunctionContext {
    var name: String
    var returnType: ZType
    var isScriptMain: Bool
}

/// Phases 2 and 3 in one walk: name resolution reports into `symbolErrors`, typing into
/// `typeErrors`; the phase order of §1 is applied by `check` when choosing what to report.
final class Checker {
    let file: SourceFile
    var symbolErrors = DiagnosticList()
    var typeErrors = DiagnosticList()

    var structs: [String: StructDef] = [:]
    var structOrder: [String] = []
    let global: Scope
    var functions: [FunctionDef] = []
    /// Redeclared functions: their bodies are still checked, but they are not compiled.
    var duplicateFunctions: [FunctionDef] = []
    var functionBodies: [ObjectIdentifier: [Stmt]] = [:]
    var externs: [ExternFunction] = []
    /// The user functions whose bodies `run` checked, the implicit script `main` included.
    var checkedFunctions: [FunctionDef] = []

    var scope: Scope
    var function: FunctionContext?
    var loopDepth = 0
    /// Per enclosing loop, innermost last: the post statement a `continue` runs first (`for`).
    var loopPosts: [LoopPost?] = []

    /// The standard library's scopes and state (Library.swift).
    let libraryScope: Scope
    let libraryInternal: Scope
    var library = LibraryState()

    init(file: SourceFile) {
        self.file = file
        self.libraryScope = Scope(parent: nil)
        self.libraryInternal = Scope(parent: libraryScope)
        self.global = Scope(parent: libraryScope, isGlobal: true)
        self.scope = global
        for builtin in Builtin.allCases {
            if builtin.isLibrary {
                _ = libraryScope.declare(builtin.rawValue, .builtin(builtin))
            } else {
                _ = global.declare(builtin.rawValue, .builtin(builtin))
                _ = libraryInternal.declare(builtin.rawValue, .builtin(builtin))
            }
        }
    }

    /// A checker for function bodies on another thread: it reads the declarations of `parent`
    /// (which no one changes while bodies are checked) and reports into lists of its own.
    private init(bodiesOf parent: Checker) {
        file = parent.file
        structs = parent.structs
        structOrder = parent.structOrder
        global = parent.global
        functions = parent.functions
        functionBodies = parent.functionBodies
        externs = parent.externs
        libraryScope = parent.libraryScope
        libraryInternal = parent.libraryInternal
        library = parent.library
        scope = parent.global
    }

    func symbolError(_ message: String, _ span: SourceSpan) { symbolErrors.error(message, at: span) }
    func typeError(_ message: String, _ span: SourceSpan) { typeErrors.error(message, at: span) }

    /// The whole program: hoisted declarations first, then bodies (as `tasks`), then the entry point.
    func run(_ syntax: ProgramSyntax, tasks: TaskRunner = runSequentially) -> TypedProgram? {
        declareLibrary()
        var declarations = Declarations()
        declarations.collect(syntax.statements, topLevel: true)
        declareStructs(declarations.structs)
        declareFunctions(declarations)
        checkStructContainment()

        let functionMode = !syntax.isExpression && declarations.topLevelFunctions > 0
        var main: FunctionDef?
        checkBodies(functions + duplicateFunctions, tasks: tasks)
        if functionMode {
            checkTopLevelStatementsInFunctionMode(syntax.statements)
            main = checkMain(declarations)
        } else {
            main = checkScriptMain(syntax)
        }
        let scriptMain = main.flatMap { functions.contains($0) ? nil : $0 }
        checkedFunctions = (functions + duplicateFunctions + (scriptMain.map { [$0] } ?? [])).filter { !$0.isLibrary }
        guard let main else { return nil }
        var allFunctions = functions.contains(main) ? functions : [main] + functions
        // The library functions the program reaches, after the user's (whose indices so stay).
        let reached = checkReachableLibrary(from: allFunctions)
        allFunctions += reached
        let structNames = reached.isEmpty ? structOrder.filter { !library.structNames.contains($0) } : structOrder
        return TypedProgram(file: file, structs: structNames.compactMap { structs[$0] }, functions: allFunctions,
                            externs: externs, main: main)
    }

    private func checkScriptMain(_ syntax: ProgramSyntax) -> FunctionDef? {
        if case .function(let def)? = global.local("main") {
            typeError(SemaMessages.mainNotTopLevel(), def.span)
        }
        let start = syntax.statements.first?.span ?? SourceSpan(start: 0, end: 0)
        function = FunctionContext(name: "main", returnType: .void, isScriptMain: true)
        scope = global
        let body = statements(syntax.statements, isExpressionUnit: syntax.isExpression)
        function = nil
        return FunctionDef(name: "main", parameters: [], returnType: .void, body: body, span: start, isScriptMain: true)
    }

    private func checkTopLevelStatementsInFunctionMode(_ statements: [Stmt]) {
        function = FunctionContext(name: "main", returnType: .void, isScriptMain: true)
        scope = global
        for s in statements {
            switch s {
            case .structDecl, .funcDecl, .externBlock: continue
            default:
                typeError(SemaMessages.topLevelStatement, s.span)
                _ = statement(s)
            }
        }
        function = nil
    }

    private func checkMain(_ declarations: Declarations) -> FunctionDef? {
        guard case .function(let main)? = global.local("main") else {
            typeError(SemaMessages.mainMissing, SourceSpan(start: 0, end: 0))
            return nil
        }
        if !declarations.topLevelFunctionNames.contains("main") {
            typeError(SemaMessages.mainNotTopLevel(), main.span)
        } else if !main.parameters.isEmpty || main.returnType != .void {
            typeError(SemaMessages.mainSignature, main.span)
        }
        return main
    }

    /// Checks the bodies, each with a checker of its own, and appends their diagnostics in the
    /// order of `defs`: the same lists a single checker would have made.
    private func checkBodies(_ defs: [FunctionDef], tasks: TaskRunner) {
        let reports = mapTasks(defs.count, tasks) { i in
            let body = Checker(bodiesOf: self)
            body.checkBody(of: defs[i])
            return (body.symbolErrors, body.typeErrors)
        }
        for (symbols, types) in reports {
            symbolErrors.append(contentsOf: symbols)
            typeErrors.append(contentsOf: types)
        }
    }

    /// Checks a function body in a fresh scope chain under the global scope.
    private func checkBody(of def: FunctionDef) {
        guard let body = functionBodies[ObjectIdentifier(def)] else { return }
        function = FunctionContext(name: def.name, returnType: def.returnType, isScriptMain: false)
        let parameterScope = Scope(parent: global)
        for p in def.parameters {
            _ = parameterScope.declare(p.name, .variable(p))
        }
        scope = Scope(parent: parameterScope)
        loopDepth = 0
        loopPosts = []
        def.body = statements(body)
        if def.returnType != .void, def.returnType != .error, !ControlFlow.terminates(def.body) {
            typeError(SemaMessages.missingReturn(def.name), def.span)
        }
        scope = global
        function = nil
    }
}
