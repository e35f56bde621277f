import Foundation
import Testing

@testable import W2C
import WasmParser
import WasmTypes

/// The WebAssembly spec suite (pinned at /work/shared/wasm-testsuite or $WASM_TESTSUITE): each
/// `.wast` goes through wast2json; each module is translated (with exported wrappers), compiled
/// with -O2 -Wall -Wextra -Werror, and driven by a generated C harness that checks
/// assert_return (bit-exact, NaN classes), assert_trap (the trap's kind), assert_exhaustion and
/// assert_uninstantiable. Binary assert_invalid / assert_malformed modules must be rejected.
/// Modules using what W2C does not support (spectest imports, reference types, multi-value
/// functions) are counted as skipped.
enum SpecSuite {
    static let directory: String? = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["WASM_TESTSUITE"] { candidates.append(env) }
        candidates.append("/work/shared/wasm-testsuite")
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/wasm-testsuite").standardized.path)
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/i32.wast") }
    }()
    static let wast2json: String? = ["/usr/bin/wast2json", "/usr/local/bin/wast2json"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { directory != nil && wast2json != nil && Harness.hasWat2wasm }

    struct Outcome: CustomStringConvertible {
        var passed = 0
        /// Of `passed`: binary assert_invalid / assert_malformed modules rejected.
        var rejected = 0
        var skipped: Int { skipReasons.values.reduce(0, +) }
        /// Why assertions were skipped, with counts.
        var skipReasons: [String: Int] = [:]
        var failures: [String] = []
        var description: String {
            var text = "\(passed) passed (\(rejected) rejections), \(failures.count) failed, \(skipped) skipped"
            if !skipReasons.isEmpty {
                text += " (" + skipReasons.sorted { $0.value > $1.value }.map { "\($0.value): \($0.key)" }.joined(separator: "; ") + ")"
            }
            return text
        }
        mutating func skip(_ reason: String, _ n: Int = 1) {
            if n > 0 { skipReasons[reason, default: 0] += n }
        }
    }

    struct Value {
        var type: String
        var value: String?
    }

    enum Expectation {
        case values([Value])
        case trap(String)
        case exhaustion
        case action
    }

    struct Assertion {
        var line: Int
        var field: String
        var args: [Value]
        var expect: Expectation
        /// A `get` of an exported global rather than an `invoke`.
        var isGet = false
        /// The group of the module it acts on, when that is a registered module linked into
        /// another group's executable (nil: the group's own module).
        var target: Int? = nil
    }

    /// One module instance and the commands run against it, in one executable.
    struct Group {
        var file: String
        var line: Int
        var uninstantiable: Bool
        var assertions: [Assertion] = []
        /// Registered module names visible when this module was instantiated -> group index.
        var registry: [String: Int] = [:]
        /// Registered groups this module imports from.
        var linksTo = Set<Int>()
        /// Has a memory, a table or a mutable global: state another module can observe.
        var stateful = false
        /// The assertions on this module in file order, before any moved to a linking group.
        var allAssertions: [Assertion] = []
    }

    /// spectest's host module: print functions, globals, a table and a memory.
    static let spectestGlobals: [String: (String, String)] = [
        "global_i32": ("uint32_t", "666u"), "global_i64": ("uint64_t", "UINT64_C(666)"),
        "global_f32": ("float", "666.6f"), "global_f64": ("double", "666.6"),
    ]

    static func values(_ any: Any?) -> [Value] {
        ((any as? [[String: Any]]) ?? []).map { Value(type: $0["type"] as? String ?? "", value: $0["value"] as? String) }
    }

    static func run(_ name: String) throws -> Outcome {
        guard let directory, let wast2json else { throw Harness.Failure(description: "spec suite not available") }
        let dir = try Harness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let conv = try Harness.run(wast2json, args: [directory + "/" + name + ".wast", "-o", dir + "/t.json"], env: ["PATH": "/usr/bin:/bin"])
        guard conv.status == 0 else { throw Harness.Failure(description: "wast2json: \(conv.stderr)") }
        // Foundation's JSON reader drops a raw U+FEFF inside strings (names.wast exports one):
        // escape it first.
        var raw = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/t.json")))
        var escaped: [UInt8] = []
        escaped.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            if raw[k] == 0xEF, k + 2 < raw.count, raw[k + 1] == 0xBB, raw[k + 2] == 0xBF {
                escaped += Array("\\ufeff".utf8)
                k += 3
            } else {
                escaped.append(raw[k])
                k += 1
            }
        }
        raw = escaped
        let json = try JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any]
        let commands = (json?["commands"] as? [[String: Any]]) ?? []

        var outcome = Outcome()
        var groups: [Group] = []
        var current: Int?
        var named: [String: Int] = [:]
        var registry: [String: Int] = [:]
        var hostOptions = W2COptions()
        hostOptions.hostImports = true
        for c in commands {
            let type = c["type"] as? String ?? ""
            let line = c["line"] as? Int ?? 0
            switch type {
            case "module":
                groups.append(Group(file: c["filename"] as? String ?? "", line: line, uninstantiable: false, registry: registry))
                current = groups.count - 1
                if let name = c["name"] as? String { named[name] = groups.count - 1 }
            case "register":
                let target = (c["name"] as? String).flatMap { named[$0] } ?? current
                if let target, let as_ = c["as"] as? String { registry[as_] = target } else { outcome.skip("register of an unknown module") }
            case "assert_uninstantiable":
                groups.append(Group(file: c["filename"] as? String ?? "", line: line, uninstantiable: true, registry: registry))
            case "assert_invalid", "assert_malformed":
                guard c["module_type"] as? String == "binary", let file = c["filename"] as? String else {
                    outcome.skip("\(type) in text form")
                    continue
                }
                // With host imports allowed, so that a rejection comes from validation, not
                // from an import the runtime lacks.
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
                if (try? translate(wasm: bytes, options: hostOptions)) == nil {
                    outcome.passed += 1
                    outcome.rejected += 1
                } else {
                    outcome.failures.append("line \(line): accepted an invalid module (\(c["text"] as? String ?? ""))")
                }
            case "assert_return", "assert_trap", "assert_exhaustion", "action":
                let action = c["action"] as? [String: Any]
                let kind = action?["type"] as? String
                let target = (action?["module"] as? String).map { named[$0] } ?? current
                guard let g = target, let field = action?["field"] as? String, kind == "invoke" || kind == "get" else {
                    outcome.skip("\(type) of \(kind ?? "?") on an unknown module")
                    continue
                }
                let expect: Expectation
                switch type {
                case "assert_return": expect = .values(values(c["expected"]))
                case "assert_trap": expect = .trap(c["text"] as? String ?? "")
                case "assert_exhaustion": expect = .exhaustion
                default: expect = .action
                }
                groups[g].assertions.append(Assertion(line: line, field: field, args: values(action?["args"]), expect: expect,
                                                      isGet: kind == "get"))
            default:
                outcome.skip(type)
            }
        }
        // State is shared through linking: once a group that imports from registered module R
        // is instantiated, later commands on R run in that group's executable (where R is
        // linked), and R's earlier commands are replayed there first.
        for b in groups.indices {
            guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: dir + "/" + groups[b].file)),
                let info = try? ModuleInfo.decode(Array(bytes))
            else { continue }
            var modules = info.imports.map(\.module) + info.globals.compactMap { $0.imported?.module } + info.tableImports.values.map(\.module)
            if let m = info.memoryImport { modules.append(m.module) }
            groups[b].linksTo = Set(modules.compactMap { groups[b].registry[$0] })
            groups[b].stateful = info.memory != nil || !info.tables.isEmpty || info.globals.contains { $0.type.mutability == .variable }
        }
        for r in groups.indices {
            groups[r].allAssertions = groups[r].assertions
            var keep: [Assertion] = []
            for a in groups[r].assertions {
                if let b = groups.indices.last(where: { groups[$0].linksTo.contains(r) && groups[$0].line < a.line }) {
                    var moved = a
                    moved.target = r
                    groups[b].assertions.append(moved)
                } else {
                    keep.append(a)
                }
            }
            groups[r].assertions = keep
        }
        for i in groups.indices { groups[i].assertions.sort { $0.line < $1.line } }
        // Each executable holds one linking group and what it links. Where two executables
        // link the same stateful module, one cannot see the other's effects: such commands
        // are skipped rather than run against diverged state.
        for p in groups.indices {
            let observed = groups[p].linksTo.union([p]).filter { groups[$0].stateful }
            let earlier = groups.indices.contains { l in
                l != p && groups[l].line < groups[p].line && !groups[l].linksTo.intersection(groups[p].linksTo.filter { groups[$0].stateful }).isEmpty
            }
            var keep: [Assertion] = []
            for a in groups[p].assertions {
                let later = groups.indices.contains { l in
                    l != p && groups[l].line > groups[p].line && groups[l].line < a.line && !groups[l].linksTo.intersection(observed).isEmpty
                }
                if earlier || later {
                    outcome.skip("state shared with a module linked in another executable")
                } else {
                    keep.append(a)
                }
            }
            groups[p].assertions = keep
        }
        for (i, group) in groups.enumerated() {
            try runGroup(group, index: i, groups: groups, dir: dir, outcome: &outcome)
        }
        return outcome
    }

    /// A reference argument: null is NULL; `ref.extern N` is the host pointer N + 1.
    static func cReference(_ v: Value) -> String {
        guard let s = v.value, s != "null", let n = UInt64(s) else { return "((void *)0)" }
        return "((void *)(uintptr_t)UINT64_C(\(n + 1)))"
    }

    static func cValue(_ v: Value) -> String {
        let s = v.value ?? "0"
        switch v.type {
        case "externref", "funcref": return cReference(v)
        case "i32": return "\(s)u"
        case "i64": return "UINT64_C(\(s))"
        case "f32": return "zrt_f32_from_bits(\(s)u)"
        default: return "zrt_f64_from_bits(UINT64_C(\(s)))"
        }
    }

    static func check(_ v: Value, _ r: String) -> String {
        let s = v.value ?? "0"
        let bits = v.type == "f32" ? "zrt_f32_bits(\(r))" : v.type == "f64" ? "zrt_f64_bits(\(r))" : r
        switch (v.type, s) {
        case ("externref", _), ("funcref", "null"): return "\(r) == \(cReference(v))"
        case ("funcref", _): return "\(r) != 0"
        case ("f32", "nan:canonical"): return "(\(bits) & 0x7fffffffu) == 0x7fc00000u"
        case ("f32", "nan:arithmetic"): return "(\(bits) & 0x7fc00000u) == 0x7fc00000u"
        case ("f64", "nan:canonical"): return "(\(bits) & UINT64_C(0x7fffffffffffffff)) == UINT64_C(0x7ff8000000000000)"
        case ("f64", "nan:arithmetic"): return "(\(bits) & UINT64_C(0x7ff8000000000000)) == UINT64_C(0x7ff8000000000000)"
        case ("i32", _), ("f32", _): return "\(bits) == \(s)u"
        default: return "\(bits) == UINT64_C(\(s))"
        }
    }

    /// A module translated for the harness: export wrappers, imports as host symbols.
    static func load(_ group: Group, dir: String) throws -> (String, ModuleInfo) {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + group.file)))
        var options = W2COptions()
        options.exportWrappers = true
        options.hostImports = true
        return (try translate(wasm: bytes, options: options), try ModuleInfo.decode(bytes))
    }

    static func signature(_ name: String, _ t: FunctionType) -> String {
        let params = t.parameters.enumerated().map { "\(ModuleContext.cType($0.element)) a\($0.offset)" }
        return "\(ModuleContext.cReturnType(t)) \(name)(\(params.isEmpty ? "void" : params.joined(separator: ", ")))"
    }

    /// The host side of a group's imports: spectest, and registered modules linked into the
    /// same executable (their non-static symbols renamed with a prefix). Throws the reason when
    /// an import cannot be provided.
    struct Host {
        var definitions = ""
        var defined = Set<String>()
        var preInit: [String] = []
        /// (group index, C source, prefix, renamed symbols)
        var linked: [(Int, String, String, [String])] = []
        /// Per linked group: C names of its exported globals and tables that an import binds
        /// to (renamed to the import's symbol instead of the group's prefix).
        var renames: [Int: [String: String]] = [:]
        var memories = 0
        var spectestMemory = false

        mutating func typedef(_ t: FunctionType) {
            if t.results.count > 1, defined.insert(ModuleContext.tupleName(t.results)).inserted {
                definitions += ModuleContext.tupleTypedef(t.results) + "\n"
            }
        }

        mutating func provide(_ info: ModuleInfo, group: Group, groups: [Group], dir: String, main: Bool) throws {
            if info.memory != nil, info.memoryImport == nil { memories += 1 }
            for (f, imp) in info.imports.enumerated() where imp.module != "wasi_snapshot_preview1" {
                let t = info.types[Int(imp.typeIndex)]
                let symbol = CNames.importSymbol(imp.module, imp.name)
                typedef(t)
                if imp.module == "spectest" {
                    guard imp.name.hasPrefix("print"), t.results.isEmpty else { throw Harness.Failure(description: "unlinkable spectest.\(imp.name)") }
                    if defined.insert(symbol).inserted {
                        let uses = t.parameters.indices.map { "(void)a\($0); " }.joined()
                        definitions += SpecSuite.signature(symbol, t) + " { \(uses)}\n"
                    }
                    continue
                }
                guard main, let r = group.registry[imp.module] else {
                    throw Harness.Failure(description: "imports \(imp.module).\(imp.name), which no registered module provides")
                }
                let (prefix, rInfo) = try link(r, groups: groups, dir: dir)
                guard let (rf, wrapper) = ModuleWriter.exportWrapperNames(rInfo)[Array(imp.name.utf8)], rInfo.functionType(rf) == t else {
                    throw Harness.Failure(description: "unlinkable \(imp.module).\(imp.name)")
                }
                _ = f
                if defined.insert(symbol).inserted {
                    let args = t.parameters.indices.map { "a\($0)" }.joined(separator: ", ")
                    definitions += SpecSuite.signature(prefix + wrapper, t) + ";\n"
                    definitions += SpecSuite.signature(symbol, t) + " { \(t.results.isEmpty ? "" : "return ")\(prefix + wrapper)(\(args)); }\n"
                }
            }
            for g in info.globals {
                guard let (module, name) = g.imported else { continue }
                if main, let r = group.registry[module] {
                    try bind(r, name, symbol: CNames.importSymbol(module, name), groups: groups, dir: dir) { rInfo, ctx, descriptor throws -> String in
                        guard case .global(let i) = descriptor, rInfo.globals[Int(i)].imported == nil,
                            rInfo.globals[Int(i)].type == g.type
                        else { throw Harness.Failure(description: "unlinkable global \(module).\(name)") }
                        return ctx.globalCNames[Int(i)]
                    }
                    continue
                }
                guard module == "spectest", let (ctype, value) = SpecSuite.spectestGlobals[name],
                    ctype == ModuleContext.cType(g.type.valueType), g.type.mutability == .constant
                else { throw Harness.Failure(description: "imports global \(module).\(name)") }
                let symbol = CNames.importSymbol(module, name)
                if defined.insert(symbol).inserted { definitions += "\(ctype) \(symbol) = \(value);\n" }
            }
            for (t, (module, name)) in info.tableImports.sorted(by: { $0.key < $1.key }) {
                if main, let r = group.registry[module] {
                    try bind(r, name, symbol: CNames.importSymbol(module, name), groups: groups, dir: dir) { rInfo, _, descriptor throws -> String in
                        guard case .table(let i) = descriptor, rInfo.tableImports[Int(i)] == nil,
                            rInfo.tables[Int(i)].elementType == info.tables[t].elementType
                        else { throw Harness.Failure(description: "unlinkable table \(module).\(name)") }
                        return "zrt_table\(i)"
                    }
                    continue
                }
                guard module == "spectest", name == "table" else { throw Harness.Failure(description: "imports table \(module).\(name)") }
                let symbol = CNames.importSymbol(module, name)
                if defined.insert(symbol).inserted {
                    definitions += "zrt_table \(symbol);\n"
                    preInit.append("zrt_table_new(&\(symbol), 10, 20);")
                }
            }
            if let (module, name) = info.memoryImport {
                if module == "spectest", name == "memory" {
                    if !spectestMemory { memories += 1 }
                    spectestMemory = true
                } else if main, let r = group.registry[module] {
                    let (_, rInfo) = try link(r, groups: groups, dir: dir)
                    guard rInfo.memory != nil, rInfo.exports.contains(where: { $0.name == name }) else {
                        throw Harness.Failure(description: "unlinkable memory \(module).\(name)")
                    }
                } else {
                    throw Harness.Failure(description: "imports memory \(module).\(name)")
                }
            }
            if memories > 1 { throw Harness.Failure(description: "two modules with their own memory in one process") }
        }

        /// Binds an import of `r`'s export `name` to the C name `target` picks for it.
        mutating func bind(_ r: Int, _ name: String, symbol: String, groups: [Group], dir: String,
                           _ target: (ModuleInfo, ModuleContext, ExportDescriptor) throws -> String) throws {
            let (_, rInfo) = try link(r, groups: groups, dir: dir)
            var options = W2COptions()
            options.hostImports = true
            options.exportWrappers = true
            guard let export = rInfo.exports.first(where: { Array($0.name.utf8) == Array(name.utf8) }) else {
                throw Harness.Failure(description: "unlinkable: no export \(name)")
            }
            let cName = try target(rInfo, try ModuleContext(info: rInfo, options: options), export.descriptor)
            renames[r, default: [:]][cName] = symbol
        }

        /// Links registered group `r` into this executable once; returns its symbol prefix.
        mutating func link(_ r: Int, groups: [Group], dir: String) throws -> (String, ModuleInfo) {
            let prefix = "r\(r)_"
            let (c, info) = try SpecSuite.load(groups[r], dir: dir)
            if !linked.contains(where: { $0.0 == r }) {
                try provide(info, group: groups[r], groups: groups, dir: dir, main: false)
                var symbols = ["zrt_func_names", "zrt_func_count", "zrt_func_addrs", "zrt_file_names", "zrt_file_count",
                               "zrt_module_init", "zrt_module_start"]
                symbols += ModuleWriter.exportWrapperNames(info).values.map(\.1)
                symbols += ModuleWriter.globalExportWrapperNames(info).values.map(\.1)
                var options = W2COptions()
                options.hostImports = true
                options.exportWrappers = true
                let ctx = try ModuleContext(info: info, options: options)
                for e in info.exports {
                    switch e.descriptor {
                    case .global(let g) where info.globals[Int(g)].imported == nil: symbols.append(ctx.globalCNames[Int(g)])
                    case .table(let t) where info.tableImports[Int(t)] == nil: symbols.append("zrt_table\(t)")
                    default: break
                    }
                }
                linked.append((r, c, prefix, symbols))
                definitions += "void \(prefix)zrt_module_init(void);\n"
            }
            return (prefix, info)
        }
    }

    static func runGroup(_ group: Group, index: Int, groups: [Group], dir: String, outcome: inout Outcome) throws {
        let total = group.assertions.count + (group.uninstantiable ? 1 : 0)
        let c: String
        let info: ModuleInfo
        do {
            (c, info) = try load(group, dir: dir)
        } catch {
            var reason = "\(error)"
            if let r = reason.range(of: " (function") ?? reason.range(of: " (at byte") { reason = String(reason[..<r.lowerBound]) }
            outcome.skip("module not translated: \(reason)", total)
            return
        }
        var host = Host()
        do {
            try host.provide(info, group: group, groups: groups, dir: dir, main: true)
        } catch {
            outcome.skip("imports not provided: \(error)", total)
            return
        }
        // Export wrappers by target: nil = this module, else a linked group (prefixed names).
        var targets: [Int?: (String, ModuleInfo)] = [nil: ("", info)]
        for r in group.linksTo {
            if let (prefix, rInfo) = try? host.link(r, groups: groups, dir: dir) { targets[r] = (prefix, rInfo) }
        }
        var harness = """
            #include "zong_rt.h"
            #include <setjmp.h>
            #include <stdio.h>
            #include <string.h>
            uintptr_t zrt_stack_limit;
            int zrt_argc;
            char **zrt_argv;
            char **zrt_envp;
            static jmp_buf jb;
            static volatile int kind = -1;
            static int passed;
            static void hook(zrt_trap_kind k) { kind = (int)k; longjmp(jb, 1); }
            static void fail(int line, const char *why) { printf("FAIL line %d: %s\\n", line, why); }
            static int trap_is(const char *expected) {
                const char *got = zrt_trap_text((zrt_trap_kind)kind);
                size_t n = strlen(got) < strlen(expected) ? strlen(got) : strlen(expected);
                return strncmp(got, expected, n) == 0 || (kind == ZRT_TRAP_UNDEFINED_ELEMENT && strstr(expected, "undefined element"))
                    || (kind == ZRT_TRAP_UNINITIALIZED_ELEMENT && strstr(expected, "uninitialized element"));
            }

            """
        harness += host.definitions
        var declared = host.defined
        var chunks: [String] = []
        var body = ""
        var count = 0
        var runnable = 0
        /// The wrapper to call for an assertion and its type, declared in the harness.
        func resolve(_ a: Assertion) -> (FunctionType, String)? {
            guard let (prefix, tInfo) = targets[a.target] else { return nil }
            let t: FunctionType
            let cName: String
            if a.isGet {
                guard let (g, name) = ModuleWriter.globalExportWrapperNames(tInfo)[Array(a.field.utf8)] else { return nil }
                t = FunctionType(parameters: [], results: [tInfo.globals[g].type.valueType])
                cName = prefix + name
            } else {
                guard let (f, name) = ModuleWriter.exportWrapperNames(tInfo)[Array(a.field.utf8)], let ft = tInfo.functionType(f),
                    ft.parameters.count == a.args.count
                else { return nil }
                t = ft
                cName = prefix + name
            }
            if t.results.count > 1, declared.insert(ModuleContext.tupleName(t.results)).inserted {
                harness += ModuleContext.tupleTypedef(t.results) + "\n"
            }
            if declared.insert(cName).inserted {
                let params = t.parameters.isEmpty ? "void" : t.parameters.map(ModuleContext.cType).joined(separator: ", ")
                harness += "\(ModuleContext.cReturnType(t)) \(cName)(\(params));\n"
            }
            return (t, cName)
        }
        // Commands on linked modules before this one was instantiated, replayed for their state.
        var replay = ""
        for (r, _, _, _) in host.linked {
            for a in groups[r].allAssertions where a.line < group.line {
                if let (_, cName) = resolve(Assertion(line: a.line, field: a.field, args: a.args, expect: a.expect, isGet: a.isGet, target: r)) {
                    replay += "        if (setjmp(jb) == 0) { \(cName)(\(a.args.map(cValue).joined(separator: ", "))); }\n"
                }
            }
        }
        for a in group.assertions {
            guard let (t, cName) = resolve(a) else {
                outcome.skip("no exported function or global \(a.field) with \(a.args.count) parameters")
                continue
            }
            runnable += 1
            let call = "\(cName)(\(a.args.map(cValue).joined(separator: ", ")))"
            let l = a.line
            switch a.expect {
            case .values(let expected):
                if expected.count != t.results.count {
                    body += "    fail(\(l), \"expected \(expected.count) results, the function has \(t.results.count)\");\n"
                } else if let v = expected.first {
                    let checks = expected.count == 1 ? check(v, "r")
                        : expected.enumerated().map { "(" + check($0.element, "r.v\($0.offset)") + ")" }.joined(separator: " && ")
                    body += "    if (setjmp(jb) == 0) { \(ModuleContext.cReturnType(t)) r = \(call); if (\(checks)) passed++; else fail(\(l), \"wrong result\"); } else fail(\(l), \"unexpected trap\");\n"
                } else {
                    body += "    if (setjmp(jb) == 0) { \(call); passed++; } else fail(\(l), \"unexpected trap\");\n"
                }
            case .action:
                body += "    if (setjmp(jb) == 0) { \(call); passed++; } else fail(\(l), \"unexpected trap\");\n"
            case .trap(let text):
                let lit = CNames.stringLiteral(text)
                body += "    if (setjmp(jb) == 0) { \(call); fail(\(l), \"no trap\"); } else if (trap_is(\(lit))) passed++; else fail(\(l), \"wrong trap kind\");\n"
            case .exhaustion:
                body += "    if (setjmp(jb) == 0) { \(call); fail(\(l), \"no trap\"); } else if (kind == ZRT_TRAP_STACK_OVERFLOW) passed++; else fail(\(l), \"wrong trap kind\");\n"
            }
            count += 1
            if count % 200 == 0 {
                chunks.append(body)
                body = ""
            }
        }
        chunks.append(body)
        for (i, chunk) in chunks.enumerated() {
            harness += "static void chunk\(i)(void) {\n\(chunk)}\n"
        }
        harness += """
            int main(void) {
                char here;
                zrt_stack_limit = (uintptr_t)&here - ((uintptr_t)6 << 20);
                zrt_trap_hook = hook;
                static volatile int init_trapped = 0;
                if (setjmp(jb) == 0) {

            """
        for line in host.preInit { harness += "        \(line)\n" }
        if host.spectestMemory { harness += "        zrt_mem_init(1, 2, 0);\n" }
        for (_, _, prefix, _) in host.linked { harness += "        \(prefix)zrt_module_init();\n" }
        harness += """
                } else {
                    printf("LINKED MODULE INIT TRAP\\n");
                    return 0;
                }

            """
        harness += replay
        harness += """
                if (setjmp(jb) == 0) zrt_module_init(); else { init_trapped = 1; printf("INIT TRAP\\n"); }
                if (init_trapped && !\(group.uninstantiable ? 1 : 0)) { printf("RESULT %d\\n", passed); return 0; }

            """
        for i in chunks.indices { harness += "    chunk\(i)();\n" }
        harness += "    printf(\"RESULT %d\\n\", passed);\n    return 0;\n}\n"

        let gdir = dir + "/g\(index)"
        try FileManager.default.createDirectory(atPath: gdir, withIntermediateDirectories: true)
        try c.write(toFile: gdir + "/module.c", atomically: true, encoding: .utf8)
        var sources: [(String, [String])] = [("module", ["-O2", "-Wall", "-Wextra", "-Werror"]), ("harness", ["-O0", "-w"])]
        for (r, rc, prefix, symbols) in host.linked {
            try rc.write(toFile: gdir + "/r\(r).c", atomically: true, encoding: .utf8)
            let renames = host.renames[r] ?? [:]
            sources.append(("r\(r)", ["-O1", "-Wall", "-Wextra", "-Werror"] + symbols.map { "-D\($0)=\(renames[$0] ?? prefix + $0)" }))
        }
        try harness.write(toFile: gdir + "/harness.c", atomically: true, encoding: .utf8)
        let rt = try runtime.get()
        let cc = try findCCompiler()[0]
        let objects = try FileManager.default.contentsOfDirectory(atPath: rt).filter { $0.hasSuffix(".o") && $0 != "start.o" }.map { rt + "/" + $0 }
        let flags = ["-std=c11", "-fno-optimize-sibling-calls", "-frounding-math", "-fno-math-errno", "-ffp-contract=off", "-I", rt]
        for (src, extra) in sources {
            let r = try Harness.run(cc, args: flags + extra + ["-c", gdir + "/\(src).c", "-o", gdir + "/\(src).o"], env: ["PATH": "/usr/bin:/bin"])
            guard r.status == 0 else {
                outcome.failures.append("line \(group.line): \(src).c does not compile: \(r.stderr.prefix(1500))")
                return
            }
        }
        let link = try Harness.run(cc, args: sources.map { gdir + "/\($0.0).o" } + objects + ["-lm", "-lpthread", "-o", gdir + "/run"], env: ["PATH": "/usr/bin:/bin"])
        guard link.status == 0 else {
            outcome.failures.append("line \(group.line): link failed: \(link.stderr.prefix(1500))")
            return
        }
        let r = try Harness.run(gdir + "/run")
        let out = r.stdout
        if out.contains("LINKED MODULE INIT TRAP") {
            outcome.failures.append("line \(group.line): a linked module's instantiation trapped")
            return
        }
        if group.uninstantiable {
            if out.contains("INIT TRAP") { outcome.passed += 1 } else { outcome.failures.append("line \(group.line): instantiation did not trap") }
        } else if out.contains("INIT TRAP") {
            outcome.failures.append("line \(group.line): instantiation trapped")
            return
        }
        for l in out.split(separator: "\n") where l.hasPrefix("FAIL") { outcome.failures.append(String(l)) }
        if let result = out.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }), let n = Int(result.dropFirst(7)) {
            outcome.passed += n
        } else {
            outcome.failures.append("line \(group.line): harness crashed (status \(r.status)): \(r.stderr.prefix(500)) \(out.suffix(300))")
        }
    }

    /// A runtime build (objects + headers) from NativeBuild's cache.
    static let runtime = Result { try runtimeDirectory() }

    static func runtimeDirectory() throws -> String {
        var options = NativeBuildOptions()
        options.cacheDirectory = Harness.cacheDirectory
        options.runtimeSources = runtimeCSources
        let dir = try Harness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let empty = try translate(wasm: [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])
        return try buildNativeExecutable(cSource: empty, output: dir + "/probe", options: options).runtimeDirectory
    }
}

@Suite(.enabled(if: SpecSuite.available, "the spec suite or wast2json is missing")) struct SpecSuiteTests {
    /// Every non-SIMD file of the pinned suite; each runnable assertion must pass.
    static let allFiles = [
        "address", "align", "binary", "binary-leb128", "block", "br", "br_if", "br_table", "bulk", "call",
        "call_indirect", "comments", "const", "conversions", "custom", "data", "elem", "endianness", "exports", "f32",
        "f32_bitwise", "f32_cmp", "f64", "f64_bitwise", "f64_cmp", "fac", "float_exprs", "float_literals",
        "float_memory", "float_misc", "forward", "func", "func_ptrs", "global", "i32", "i64", "if", "imports",
        "inline-module", "int_exprs", "int_literals", "labels", "left-to-right", "linking", "load", "local_get",
        "local_set", "local_tee", "loop", "memory", "memory_copy", "memory_fill", "memory_grow", "memory_init",
        "memory_redundancy", "memory_size", "memory_trap", "names", "nop", "ref_func", "ref_is_null", "ref_null",
        "return", "select", "skip-stack-guard-page", "stack", "start", "store", "switch", "table", "table-sub",
        "table_copy", "table_fill", "table_get", "table_grow", "table_init", "table_set", "table_size", "token",
        "tokens", "traps", "type", "unreachable", "unreached-invalid", "unreached-valid", "unwind",
        "utf8-custom-section-id", "utf8-import-field", "utf8-import-module", "utf8-invalid-encoding",
    ]

    /// The default run (`swift test`): the MVP integer, memory and control-flow files and the
    /// validator's unreachable-code file. `ZONG_SPEC_FULL=1` (what `make spec-test` sets) runs
    /// every file; `ZONG_SPEC_FILES=a,b` runs the named ones.
    static let fastFiles = [
        "address", "block", "br", "br_if", "br_table", "call", "call_indirect", "fac", "func", "i32", "i64", "if",
        "int_exprs", "labels", "left-to-right", "load", "local_tee", "loop", "memory", "memory_grow", "memory_trap",
        "return", "select", "store", "switch", "traps", "unreachable", "unreached-invalid", "unwind",
    ]

    static let files: [String] = {
        let env = ProcessInfo.processInfo.environment
        if let list = env["ZONG_SPEC_FILES"], !list.isEmpty { return list.split(separator: ",").map(String.init) }
        return env["ZONG_SPEC_FULL"] == "1" ? allFiles : fastFiles
    }()

    @Test(arguments: files) func specFile(_ name: String) throws {
        let start = Date()
        let outcome = try SpecSuite.run(name)
        print("spec \(name): \(outcome) [\(String(format: "%.1f", Date().timeIntervalSince(start))) s]")
        #expect(outcome.failures.isEmpty, "\(name): \(outcome)\n\(outcome.failures.prefix(15).joined(separator: "\n"))")
    }
}
