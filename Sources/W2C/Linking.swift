import WasmParser
import WasmTypes

/// What a host needs to link several translated modules into one C program (with `hostImports`
/// and `exportWrappers`): each module's imports and exports as WebAssembly extern types, the
/// spec's rule for whether an export satisfies an import, and the C symbols involved. A host
/// binds an import by making its C symbol (`CNames.importSymbol`) name the exporter's symbol.
enum ExternType: Equatable {
    case function(FunctionType)
    case table(TableType)
    case memory(Limits)
    case global(GlobalType)

    var kind: String {
        switch self {
        case .function: "function"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        }
    }

    /// Why an export of type `self` cannot satisfy an import of type `imported` (nil: it can).
    /// Limits compare the export's declared maximum; the minimum of a table or memory is its
    /// size at link time, which the host compares (`linkMinimum`).
    func mismatch(importedAs imported: ExternType) -> String? {
        switch (imported, self) {
        case (.function(let i), .function(let e)):
            return i == e ? nil : "function has type \(ModuleContext.describe(e)), the import expects \(ModuleContext.describe(i))"
        case (.global(let i), .global(let e)):
            return i == e ? nil : "global has another type or mutability"
        case (.table(let i), .table(let e)):
            if i.elementType != e.elementType { return "table has another element type" }
            return Self.maximumMismatch(i.limits, e.limits)
        case (.memory(let i), .memory(let e)):
            return Self.maximumMismatch(i, e)
        default:
            return "the export is a \(kind), the import a \(imported.kind)"
        }
    }

    /// The size (entries or pages) a table or memory import needs at link time.
    var linkMinimum: UInt64? {
        switch self {
        case .table(let t): t.limits.min
        case .memory(let m): m.min
        default: nil
        }
    }

    private static func maximumMismatch(_ imported: Limits, _ exported: Limits) -> String? {
        guard let limit = imported.max else { return nil }
        guard let max = exported.max else { return "no maximum, the import expects at most \(limit)" }
        return max <= limit ? nil : "maximum \(max), the import expects at most \(limit)"
    }
}

/// One import of a module, with the C symbol the host must define or bind.
struct ModuleImport {
    var module: String
    var name: String
    var type: ExternType
    var symbol: String
}

extension ModuleInfo {
    /// Every import other than WASI functions (which runtime-c provides).
    var hostImports: [ModuleImport] {
        var result: [ModuleImport] = []
        for imp in imports where imp.module != "wasi_snapshot_preview1" {
            result.append(ModuleImport(module: imp.module, name: imp.name, type: .function(types[Int(imp.typeIndex)]),
                                       symbol: CNames.importSymbol(imp.module, imp.name)))
        }
        for g in globals {
            guard let (module, name) = g.imported else { continue }
            result.append(ModuleImport(module: module, name: name, type: .global(g.type), symbol: CNames.importSymbol(module, name)))
        }
        for (t, (module, name)) in tableImports.sorted(by: { $0.key < $1.key }) {
            result.append(ModuleImport(module: module, name: name, type: .table(tables[t]), symbol: CNames.importSymbol(module, name)))
        }
        if let (module, name) = memoryImport, let memory {
            result.append(ModuleImport(module: module, name: name, type: .memory(memory), symbol: CNames.importSymbol(module, name)))
        }
        return result
    }

    /// The export named `name` (UTF-8 bytes compared: names are not normalised).
    func export(named name: String) -> Export? {
        let bytes = Array(name.utf8)
        return exports.first { Array($0.name.utf8) == bytes }
    }

    /// The extern type of an export.
    func externType(_ descriptor: ExportDescriptor) -> ExternType? {
        switch descriptor {
        case .function(let f): return functionType(Int(f)).map { .function($0) }
        case .global(let g): return Int(g) < globals.count ? .global(globals[Int(g)].type) : nil
        case .table(let t): return Int(t) < tables.count ? .table(tables[Int(t)]) : nil
        case .memory: return memory.map { .memory($0) }
        case .tag: return nil
        }
    }
}

extension ModuleContext {
    /// The C symbol behind an export, with `hostImports` and `exportWrappers`: a function's
    /// wrapper, a global's variable, a table's `zrt_table`, the memory's `zrt_memory`. An
    /// exported import is its import symbol (the host resolves it to what that import binds).
    func exportSymbol(_ descriptor: ExportDescriptor, name: String) -> String? {
        switch descriptor {
        case .function: return ModuleWriter.exportWrapperNames(info)[Array(name.utf8)]?.1
        case .global(let g): return Int(g) < globalCNames.count ? globalCNames[Int(g)] : nil
        case .table(let t):
            guard Int(t) < info.tables.count else { return nil }
            if let (module, name) = info.tableImports[Int(t)] { return CNames.importSymbol(module, name) }
            return "zrt_table\(t)"
        case .memory: return usesProgramMemory ? nil : memoryCName
        case .tag: return nil
        }
    }

    /// The symbols with external linkage the module's C defines (with `exportWrappers`): the
    /// tables runtime-c reads, the entry points, export wrappers and exported globals, tables
    /// and memory. A host linking several modules renames them apart.
    var externalSymbols: [String] {
        var symbols = ["zrt_func_names", "zrt_func_count", "zrt_func_code", "zrt_file_names", "zrt_file_count",
                       "zrt_module_init", "zrt_module_start"]
        symbols += ModuleWriter.exportWrapperNames(info).values.map(\.1).sorted()
        symbols += ModuleWriter.globalExportWrapperNames(info).values.map(\.1).sorted()
        for e in info.exports {
            switch e.descriptor {
            case .global(let g) where Int(g) < info.globals.count && info.globals[Int(g)].imported == nil:
                symbols.append(globalCNames[Int(g)])
            case .table(let t) where Int(t) < info.tables.count && info.tableImports[Int(t)] == nil:
                symbols.append("zrt_table\(t)")
            case .memory where info.memoryImport == nil && !usesProgramMemory:
                symbols.append(memoryCName)
            default: break
            }
        }
        var seen = Set<String>()
        return symbols.filter { seen.insert($0).inserted }
    }
}
