import WasmParser
import WasmTypes

/// Module-wide facts every function writer needs: C names, canonical type ids, which functions
/// can recurse, the tstack globals.
struct ModuleContext {
    let info: ModuleInfo
    let options: W2COptions
    /// C name per function index; imports map to the runtime's `zrt_wasi_*` functions.
    var functionCNames: [String] = []
    /// The name reported in traps: the name-section name, else the C name.
    var functionDisplayNames: [String] = []
    var globalCNames: [String] = []
    /// Per type index, the weak symbol whose address identifies the signature (see zong_rt.h).
    var typeSymbols: [String] = []
    var needsStackCheck: [Bool] = []
    /// The functions that get a bounded variant, by index (BoundedRecursion.swift).
    var recursionBounds: [Int: RecursionBound] = [:]
    /// C names reserved for bounded variants of the functions that claim a bound.
    var variantCNames: [Int: String] = [:]
    /// The `zrt_memory` the functions use: runtime-c's `zrt_mem`, except with `hostImports` in
    /// checked mode without WASI imports, where a memory is the module's own `zrt_memory0` or the
    /// imported memory's symbol, so several modules can live in one program.
    var memoryCName = "zrt_mem"
    /// `memoryCName` is runtime-c's `zrt_mem` (the generated C uses its short helpers).
    var usesProgramMemory: Bool { memoryCName == "zrt_mem" }
    var hasMemoryGrow = false
    var stackPointerGlobal: Int?
    var stackLowGlobal: Int?
    /// Whether the C needs `zrt_func_refs` (one funcref descriptor per function).
    var usesFuncRefs: Bool {
        !info.tables.isEmpty || !info.elements.isEmpty || usesRefFunc
            || info.globals.contains { if case .refFunc = $0.initializer { true } else { false } }
    }
    var usesRefFunc = false

    /// The WASI preview1 functions runtime-c provides, with their standard signatures.
    static let wasi: [String: FunctionType] = {
        let i = ValueType.i32, j = ValueType.i64
        return [
            "fd_write": FunctionType(parameters: [i, i, i, i], results: [i]),
            "fd_read": FunctionType(parameters: [i, i, i, i], results: [i]),
            "fd_close": FunctionType(parameters: [i], results: [i]),
            "fd_seek": FunctionType(parameters: [i, j, i, i], results: [i]),
            "fd_fdstat_get": FunctionType(parameters: [i, i], results: [i]),
            "fd_prestat_get": FunctionType(parameters: [i, i], results: [i]),
            "fd_prestat_dir_name": FunctionType(parameters: [i, i, i], results: [i]),
            "args_get": FunctionType(parameters: [i, i], results: [i]),
            "args_sizes_get": FunctionType(parameters: [i, i], results: [i]),
            "environ_get": FunctionType(parameters: [i, i], results: [i]),
            "environ_sizes_get": FunctionType(parameters: [i, i], results: [i]),
            "clock_time_get": FunctionType(parameters: [i, j, i], results: [i]),
            "clock_res_get": FunctionType(parameters: [i, i], results: [i]),
            "random_get": FunctionType(parameters: [i, i], results: [i]),
            "proc_exit": FunctionType(parameters: [i], results: []),
            "sched_yield": FunctionType(parameters: [], results: [i]),
            "poll_oneoff": FunctionType(parameters: [i, i, i, i], results: [i]),
            "fd_filestat_get": FunctionType(parameters: [i, i], results: [i]),
            "fd_fdstat_set_flags": FunctionType(parameters: [i, i], results: [i]),
            "fd_sync": FunctionType(parameters: [i], results: [i]),
            "fd_datasync": FunctionType(parameters: [i], results: [i]),
            "fd_tell": FunctionType(parameters: [i, i], results: [i]),
            "path_open": FunctionType(parameters: [i, i, i, i, i, j, j, i, i], results: [i]),
            "path_filestat_get": FunctionType(parameters: [i, i, i, i, i], results: [i]),
            "path_unlink_file": FunctionType(parameters: [i, i, i], results: [i]),
            "path_create_directory": FunctionType(parameters: [i, i, i], results: [i]),
            "path_remove_directory": FunctionType(parameters: [i, i, i], results: [i]),
            "path_rename": FunctionType(parameters: [i, i, i, i, i, i], results: [i]),
        ]
    }()

    init(info: ModuleInfo, options: W2COptions) throws(W2CError) {
        self.info = info
        self.options = options
        var dedupe = CNames.Deduper()
        if !options.hostImports {
            let other = info.globals.compactMap(\.imported).first ?? info.memoryImport ?? info.tableImports.sorted(by: { $0.key < $1.key }).first?.value
            if let (module, name) = other {
                throw W2CError("unsupported import \(module).\(name): the runtime provides only WASI preview1 functions", offset: info.sectionOffsets.imports)
            }
        }
        // The same host import may appear twice: one C symbol, which needs one C type.
        var hostSymbols: [String: FunctionType] = [:]
        for (i, imp) in info.imports.enumerated() {
            guard imp.module == "wasi_snapshot_preview1", let expected = Self.wasi[imp.name] else {
                if options.hostImports {
                    let symbol = CNames.importSymbol(imp.module, imp.name)
                    let t = info.types[Int(imp.typeIndex)]
                    if let seen = hostSymbols[symbol] {
                        guard seen == t else {
                            throw W2CError(W2CError.unsupported("import \(imp.module).\(imp.name) with two different types"), offset: info.sectionOffsets.imports)
                        }
                    } else {
                        hostSymbols[symbol] = t
                        _ = dedupe.unique(symbol)
                    }
                    functionCNames.append(symbol)
                    functionDisplayNames.append(info.names.functions[UInt32(i)] ?? imp.name)
                    continue
                }
                throw W2CError("unsupported import \(imp.module).\(imp.name): the runtime provides only WASI preview1 functions", offset: info.sectionOffsets.imports)
            }
            guard info.types[Int(imp.typeIndex)] == expected else {
                throw W2CError("import \(imp.module).\(imp.name) has type \(Self.describe(info.types[Int(imp.typeIndex)])), expected \(Self.describe(expected))", offset: info.sectionOffsets.imports)
            }
            functionCNames.append(dedupe.unique("zrt_wasi_\(imp.name)"))
            functionDisplayNames.append(info.names.functions[UInt32(i)] ?? imp.name)
        }
        for i in info.importCount..<info.functionCount {
            if let name = info.names.functions[UInt32(i)], !name.isEmpty {
                functionCNames.append(dedupe.unique("zong_" + CNames.sanitize(name)))
                functionDisplayNames.append(name)
            } else {
                let c = dedupe.unique("f\(i)")
                functionCNames.append(c)
                functionDisplayNames.append(c)
            }
            if info.recursionClaims[i] != nil { variantCNames[i] = dedupe.unique(functionCNames[i] + "_bounded") }
        }
        var globalDedupe = CNames.Deduper()
        for i in info.globals.indices {
            if let (module, name) = info.globals[i].imported {
                let symbol = CNames.importSymbol(module, name)
                if let j = globalCNames.firstIndex(of: symbol) {
                    guard info.globals[j].type.valueType == info.globals[i].type.valueType else {
                        throw W2CError(W2CError.unsupported("import \(module).\(name) with two different types"), offset: info.sectionOffsets.imports)
                    }
                    globalCNames.append(symbol)
                } else {
                    globalCNames.append(globalDedupe.unique(symbol))
                }
            } else if let name = info.names.globals[UInt32(i)], !name.isEmpty {
                globalCNames.append(globalDedupe.unique("g_" + CNames.sanitize(name)))
            } else {
                globalCNames.append(globalDedupe.unique("g\(i)"))
            }
        }
        try Self.checkImportKinds(info)
        let importsWASI = info.imports.contains { $0.module == "wasi_snapshot_preview1" }
        if options.hostImports, options.boundsMode == .checked, !importsWASI, info.memory != nil {
            memoryCName = info.memoryImport.map { CNames.importSymbol($0.module, $0.name) } ?? "zrt_memory0"
        }
        typeSymbols = info.types.map(Self.typeSymbol)
        for e in info.exports {
            if case .global(let g) = e.descriptor {
                let global = info.globals[Int(g)]
                if e.name == "__stack_pointer", global.type.valueType == .i32, global.type.mutability == .variable {
                    stackPointerGlobal = Int(g)
                }
                if e.name == "__stack_low", global.type.valueType == .i32, global.type.mutability == .constant {
                    stackLowGlobal = Int(g)
                }
            }
        }
        if stackPointerGlobal == nil {
            for (g, name) in info.names.globals where name == "__stack_pointer" && Int(g) < info.globals.count {
                if info.globals[Int(g)].type.valueType == .i32, info.globals[Int(g)].type.mutability == .variable {
                    stackPointerGlobal = Int(g)
                }
            }
        }
        needsStackCheck = Array(repeating: false, count: info.functionCount)
    }

    /// Host imports are C symbols named after (module, name): one name imported as two kinds
    /// would be two C declarations of one symbol.
    static func checkImportKinds(_ info: ModuleInfo) throws(W2CError) {
        var kinds: [String: String] = [:]
        var all = info.imports.filter { $0.module != "wasi_snapshot_preview1" }.map { ($0.module, $0.name, "function") }
        all += info.globals.compactMap(\.imported).map { ($0.module, $0.name, "global") }
        all += info.tableImports.sorted { $0.key < $1.key }.map { ($0.value.module, $0.value.name, "table") }
        if let m = info.memoryImport { all.append((m.module, m.name, "memory")) }
        for (module, name, kind) in all {
            let symbol = CNames.importSymbol(module, name)
            if let seen = kinds[symbol], seen != kind {
                throw W2CError(W2CError.unsupported("import \(module).\(name) as both a \(seen) and a \(kind)"), offset: info.sectionOffsets.imports)
            }
            kinds[symbol] = kind
        }
    }

    static func typeSymbol(_ t: FunctionType) -> String {
        "zrt_type_" + String(t.parameters.map(typeLetter)) + "_" + String(t.results.map(typeLetter))
    }

    static func describe(_ t: FunctionType) -> String {
        "(\(t.parameters.map(typeName).joined(separator: ", "))) -> (\(t.results.map(typeName).joined(separator: ", ")))"
    }

    static func typeName(_ t: ValueType) -> String {
        switch t {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref(.funcRef): "funcref"
        case .ref(.externRef): "externref"
        case .ref: "ref"
        }
    }

    /// The C type of a value: funcref (a `zrt_funcref *`) and externref (an opaque host
    /// pointer) are both `zrt_ref` (`void *`); "void" marks a type W2C does not support.
    static func cType(_ t: ValueType) -> String {
        switch t {
        case .i32: "uint32_t"
        case .i64: "uint64_t"
        case .f32: "float"
        case .f64: "double"
        case .ref(.funcRef), .ref(.externRef): "zrt_ref"
        default: "void"
        }
    }

    static func isNumeric(_ t: ValueType) -> Bool {
        switch t {
        case .i32, .i64, .f32, .f64: true
        default: false
        }
    }

    static func isReference(_ t: ValueType) -> Bool { t == .ref(.funcRef) || t == .ref(.externRef) }

    /// C return type of a function type: void, the C type of its one result, or a struct of its
    /// results (`tupleName`).
    static func cReturnType(_ t: FunctionType) -> String {
        t.results.count > 1 ? tupleName(t.results) : t.results.first.map(cType) ?? "void"
    }

    /// The struct that carries several results: `zrt_results_` and a letter per value type
    /// (i32 i, i64 j, f32 f, f64 d); its fields are `v0`, `v1`, ...
    static func tupleName(_ types: [ValueType]) -> String {
        "zrt_results_" + String(types.map(typeLetter))
    }

    /// The C typedef of `tupleName(types)`.
    static func tupleTypedef(_ types: [ValueType]) -> String {
        let fields = types.enumerated().map { "\(cType($0.element)) v\($0.offset);" }.joined(separator: " ")
        return "typedef struct { \(fields) } \(tupleName(types));"
    }

    static func typeLetter(_ t: ValueType) -> Character {
        switch t {
        case .i32: "i"
        case .i64: "j"
        case .f32: "f"
        case .f64: "d"
        case .ref(.funcRef): "r"
        case .ref(.externRef): "e"
        default: "x"
        }
    }

    /// Computes `needsStackCheck`: functions on a cycle of the call graph, where a function that
    /// performs call_indirect may call every function in the table.
    mutating func computeRecursion(calls: [[Int]], callsIndirect: [Bool]) {
        // call_indirect can reach any function whose reference the module can make.
        let tableFunctions = info.declaredFunctions.map { Int($0) }.filter { $0 < info.functionCount }.sorted()
        let n = info.functionCount
        var edges: [[Int]] = Array(repeating: [], count: n)
        for f in info.importCount..<n {
            edges[f] = calls[f]
            if callsIndirect[f] { edges[f] += tableFunctions }
        }
        // Iterative Tarjan: no recursion in the translator, whatever the module's call depth.
        var index = Array(repeating: -1, count: n), low = Array(repeating: 0, count: n)
        var onStack = Array(repeating: false, count: n)
        var stack: [Int] = []
        var counter = 0
        for root in 0..<n where index[root] < 0 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = counter; low[root] = counter; counter += 1
            stack.append(root); onStack[root] = true
            while let (v, e) = work.last {
                if e < edges[v].count {
                    work[work.count - 1].edge += 1
                    let w = edges[v][e]
                    if w == v { needsStackCheck[v] = true }
                    if index[w] < 0 {
                        index[w] = counter; low[w] = counter; counter += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last { low[parent.node] = min(low[parent.node], low[v]) }
                    if low[v] == index[v] {
                        var component: [Int] = []
                        while let w = stack.popLast() {
                            onStack[w] = false
                            component.append(w)
                            if w == v { break }
                        }
                        if component.count > 1 { for w in component { needsStackCheck[w] = true } }
                    }
                }
            }
        }
        for f in 0..<info.importCount { needsStackCheck[f] = false }
    }
}

/// The imports runtime-c can link, for checks made before translating (the driver reports an
/// extern block naming anything else as a compile error at the extern function).
public enum RuntimeImports {
    /// Why runtime-c cannot provide `module.name` with these WASM value types (spelled `i32`,
    /// `i64`, …), or nil when it provides exactly that function.
    public static func problem(module: String, name: String, parameters: [String], results: [String]) -> String? {
        let signature = "(\(parameters.joined(separator: ", "))) -> (\(results.joined(separator: ", ")))"
        guard module == "wasi_snapshot_preview1", let expected = ModuleContext.wasi[name] else {
            return "the runtime provides only WASI preview1 functions (module \"wasi_snapshot_preview1\"), not \(module).\(name)"
        }
        let wanted = ModuleContext.describe(expected)
        return wanted == signature ? nil : "\(module).\(name) has type \(wanted), but this declaration gives it \(signature)"
    }
}
