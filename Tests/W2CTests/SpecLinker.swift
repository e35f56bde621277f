import Foundation

@testable import W2C
import WasmParser
import WasmTypes

/// The modules of one .wast file as one program: each module instance is translated once and
/// compiled with its external symbols renamed apart (prefix `m<k>_`); an import is bound by
/// renaming its C symbol to the exporter's, so modules share the very memories, tables and
/// globals they import. Import matching follows the spec (W2C's `ExternType.mismatch`).
struct SpecProgram {
    struct Instance {
        var line: Int
        var prefix: String
        /// The expected trap of an assert_uninstantiable module (nil: a plain `module`).
        var trap: String?
        var info: ModuleInfo?
        var ctx: ModuleContext?
        var c = ""
        /// Why the module is not in the program (a skip reason for the commands on it).
        var problem: String?
        /// Import symbol -> the C symbol it names in the program.
        var bindings: [String: String] = [:]
        /// Conditions on imported tables' and memories' sizes, checked before instantiation.
        var checks: [SizeCheck] = []
        /// Instances it imports from, which must have been instantiated.
        var dependencies = Set<Int>()
    }

    /// A table or memory import's minimum, compared with the current size at link time.
    struct SizeCheck {
        var symbol: String
        var isMemory: Bool
        var minimum: UInt64
        var cType: String { isMemory ? "zrt_memory" : "zrt_table" }
        var condition: String { "\(symbol).\(isMemory ? "pages" : "size") >= \(minimum)u" }
    }

    enum Step {
        case instantiate(Int)
        /// An assert_unlinkable module that only a size check can reject.
        case unlinkable(line: Int, checks: [SizeCheck])
        case assertion(SpecSuite.Assertion, Int)
    }

    enum Link {
        case bound(symbol: String, check: SizeCheck?, dependency: Int?)
        case unlinkable(String)
        /// Linkable, but the exporter is not in the program: the reason it is skipped.
        case missing(String)
    }

    let dir: String
    var instances: [Instance] = []
    /// Registered module names -> instance.
    var registry: [String: Int] = [:]
    var steps: [Step] = []

    init(dir: String) { self.dir = dir }

    static var options: W2COptions {
        var options = W2COptions()
        options.exportWrappers = true
        options.hostImports = true
        return options
    }

    /// spectest's host module: print functions, constant globals, a table and a memory, shared
    /// by every module of the file (defined in the harness under their import symbols).
    static let spectest: [String: ExternType] = {
        func print(_ p: [ValueType]) -> ExternType { .function(FunctionType(parameters: p, results: [])) }
        func global(_ t: ValueType) -> ExternType { .global(GlobalType(mutability: .constant, valueType: t)) }
        return [
            "print": print([]), "print_i32": print([.i32]), "print_i64": print([.i64]), "print_f32": print([.f32]),
            "print_f64": print([.f64]), "print_i32_f32": print([.i32, .f32]), "print_f64_f64": print([.f64, .f64]),
            "global_i32": global(.i32), "global_i64": global(.i64), "global_f32": global(.f32), "global_f64": global(.f64),
            "table": .table(TableType(elementType: .funcRef, limits: Limits(min: 10, max: 20))),
            "memory": .memory(Limits(min: 1, max: 2)),
        ]
    }()

    static let spectestValues = ["global_i32": "666u", "global_i64": "UINT64_C(666)", "global_f32": "666.6f", "global_f64": "666.6"]

    /// A `module` or `assert_uninstantiable` command; returns the instance index.
    mutating func instantiate(file: String, line: Int, trap: String? = nil, outcome: inout SpecSuite.Outcome) -> Int {
        let k = instances.count
        var instance = Instance(line: line, prefix: "m\(k)_", trap: trap)
        do {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
            let info = try ModuleInfo.decode(bytes)
            instance.info = info
            instance.ctx = try ModuleContext(info: info, options: Self.options)
            for imp in info.hostImports {
                switch link(imp) {
                case .bound(let symbol, let check, let dependency):
                    instance.bindings[imp.symbol] = symbol
                    if let check { instance.checks.append(check) }
                    if let dependency { instance.dependencies.insert(dependency) }
                case .unlinkable(let why):
                    outcome.failures.append("line \(line): import \(imp.module).\(imp.name) does not link: \(why)")
                    instance.problem = instance.problem ?? "a module that does not link"
                case .missing(let why):
                    instance.problem = instance.problem ?? why
                }
            }
            if instance.problem == nil { instance.c = try translate(wasm: bytes, options: Self.options) }
        } catch {
            var reason = "\(error)"
            if let r = reason.range(of: " (function") ?? reason.range(of: " (at byte") { reason = String(reason[..<r.lowerBound]) }
            instance.problem = "module not translated: \(reason)"
        }
        if let problem = instance.problem {
            if trap != nil { outcome.skip(problem) }
        } else {
            steps.append(.instantiate(k))
        }
        instances.append(instance)
        return k
    }

    /// An assert_unlinkable command: some import must not match what the registry provides.
    mutating func checkUnlinkable(file: String, line: Int, outcome: inout SpecSuite.Outcome) {
        guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)), let info = try? ModuleInfo.decode(Array(bytes)) else {
            outcome.skip("assert_unlinkable of a module W2C does not decode")
            return
        }
        var checks: [SizeCheck] = []
        var missing: String?
        for imp in info.hostImports {
            switch link(imp) {
            case .unlinkable:
                outcome.passed += 1
                outcome.unlinkable += 1
                return
            case .missing(let why): missing = missing ?? why
            case .bound(_, let check, _): if let check { checks.append(check) }
            }
        }
        if let missing {
            outcome.skip(missing)
        } else if checks.isEmpty {
            outcome.failures.append("line \(line): every import matches, the test expects the module unlinkable")
        } else {
            steps.append(.unlinkable(line: line, checks: checks))
        }
    }

    /// Resolves an import against spectest and the registered instances.
    func link(_ imp: ModuleImport) -> Link {
        let quoted = "\(imp.module).\(imp.name)"
        if imp.module == "spectest" {
            guard let type = Self.spectest[imp.name] else { return .unlinkable("unknown import \(quoted)") }
            if let why = type.mismatch(importedAs: imp.type) { return .unlinkable(why) }
            return .bound(symbol: imp.symbol, check: Self.sizeCheck(imp.type, type, imp.symbol), dependency: nil)
        }
        guard let r = registry[imp.module] else { return .unlinkable("unknown import \(quoted)") }
        let exporter = instances[r]
        guard let info = exporter.info, let ctx = exporter.ctx else { return .missing(exporter.problem ?? "exporter not decoded") }
        guard let export = info.export(named: imp.name), let type = info.externType(export.descriptor) else {
            return .unlinkable("unknown import \(quoted)")
        }
        if let why = type.mismatch(importedAs: imp.type) { return .unlinkable(why) }
        if let problem = exporter.problem { return .missing(problem) }
        guard let own = ctx.exportSymbol(export.descriptor, name: imp.name) else { return .missing("export \(quoted) has no C symbol") }
        let symbol = exporter.bindings[own] ?? exporter.prefix + own
        return .bound(symbol: symbol, check: Self.sizeCheck(imp.type, type, symbol), dependency: r)
    }

    /// The check that a table or memory is at least as large as the import needs, unless the
    /// export's declared minimum already guarantees it.
    static func sizeCheck(_ imported: ExternType, _ exported: ExternType, _ symbol: String) -> SizeCheck? {
        guard let need = imported.linkMinimum, let have = exported.linkMinimum, need > have else { return nil }
        if case .memory = imported { return SizeCheck(symbol: symbol, isMemory: true, minimum: need) }
        return SizeCheck(symbol: symbol, isMemory: false, minimum: need)
    }

    /// C definitions of spectest, and the lines of `main` that create its table and memory.
    static func spectestDefinitions() -> (String, [String]) {
        var text = ""
        var setup: [String] = []
        for (name, type) in spectest.sorted(by: { $0.key < $1.key }) {
            let symbol = CNames.importSymbol("spectest", name)
            switch type {
            case .function(let t):
                let params = t.parameters.enumerated().map { "\(ModuleContext.cType($0.element)) a\($0.offset)" }
                let uses = t.parameters.indices.map { "(void)a\($0); " }.joined()
                text += "void \(symbol)(\(params.isEmpty ? "void" : params.joined(separator: ", "))) { \(uses)}\n"
            case .global(let g):
                text += "\(ModuleContext.cType(g.valueType)) \(symbol) = \(spectestValues[name] ?? "0");\n"
            case .table(let t):
                text += "zrt_table \(symbol);\n"
                setup.append("zrt_table_new(&\(symbol), \(t.limits.min)u, \(t.limits.max ?? 0)u);")
            case .memory(let m):
                text += "zrt_memory \(symbol);\n"
                setup.append("zrt_memory_new(&\(symbol), \(m.min)u, \(m.max ?? 0)u, 0);")
            }
        }
        return (text, setup)
    }
}
