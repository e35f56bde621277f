import Foundation
import Testing

@testable import W2C
import WasmParser
import WasmTypes

/// The WebAssembly spec suite (pinned at /work/shared/wasm-testsuite or $WASM_TESTSUITE): each
/// `.wast` goes through wast2json; its modules are translated (with export wrappers and host
/// imports), compiled with -O2 -Wall -Wextra -Werror and linked into one program per file, as
/// wasm2c's harness does, so registered modules share their state with the modules importing
/// them (SpecLinker.swift, SpecProgram.swift). A generated C `main` runs the commands in file order and checks
/// assert_return (bit-exact, NaN classes), assert_trap (the trap's kind), assert_exhaustion and
/// assert_uninstantiable. Binary assert_invalid / assert_malformed modules must be rejected;
/// assert_unlinkable modules must fail import matching. Modules using what W2C does
/// not support are counted as skipped, with the reason.
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
        /// Of `passed`: assert_unlinkable modules whose imports did not match.
        var unlinkable = 0
        /// Of `passed`: assertions run in the program (what wasm2c's harness counts).
        var run: Int { passed - rejected - unlinkable }
        var skipped: Int { skipReasons.values.reduce(0, +) }
        /// Why assertions were skipped, with counts.
        var skipReasons: [String: Int] = [:]
        var failures: [String] = []
        var description: String {
            var text = "\(passed) passed (\(run) run, \(rejected) rejections, \(unlinkable) unlinkable), \(failures.count) failed, \(skipped) skipped"
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
    }

    static func values(_ any: Any?) -> [Value] {
        ((any as? [[String: Any]]) ?? []).map { Value(type: $0["type"] as? String ?? "", value: $0["value"] as? String) }
    }

    /// wast2json's command list for `name`.wast, converted in `dir`.
    static func commands(_ name: String, dir: String) throws -> [[String: Any]] {
        guard let directory, let wast2json else { throw Harness.Failure(description: "spec suite not available") }
        let conv = try Harness.run(wast2json, args: [directory + "/" + name + ".wast", "-o", dir + "/t.json"], env: ["PATH": "/usr/bin:/bin"])
        guard conv.status == 0 else { throw Harness.Failure(description: "wast2json: \(conv.stderr)") }
        // Foundation's JSON reader drops a raw U+FEFF inside strings (names.wast exports one):
        // escape it first.
        let raw = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/t.json")))
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
        let json = try JSONSerialization.jsonObject(with: Data(escaped)) as? [String: Any]
        return (json?["commands"] as? [[String: Any]]) ?? []
    }

    static func run(_ name: String) throws -> Outcome {
        let dir = try Harness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var outcome = Outcome()
        var program = SpecProgram(dir: dir)
        var current: Int?
        var named: [String: Int] = [:]
        var hostOptions = W2COptions()
        hostOptions.hostImports = true
        for c in try commands(name, dir: dir) {
            let type = c["type"] as? String ?? ""
            let line = c["line"] as? Int ?? 0
            let file = c["filename"] as? String ?? ""
            switch type {
            case "module":
                current = program.instantiate(file: file, line: line, outcome: &outcome)
                if let name = c["name"] as? String { named[name] = current }
            case "assert_uninstantiable":
                _ = program.instantiate(file: file, line: line, trap: c["text"] as? String ?? "", outcome: &outcome)
            case "register":
                let target = (c["name"] as? String).flatMap { named[$0] } ?? current
                if let target, let as_ = c["as"] as? String { program.registry[as_] = target } else { outcome.skip("register of an unknown module") }
            case "assert_unlinkable":
                program.checkUnlinkable(file: file, line: line, outcome: &outcome)
            case "assert_invalid", "assert_malformed":
                guard c["module_type"] as? String == "binary" else {
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
                guard let k = target, let field = action?["field"] as? String, kind == "invoke" || kind == "get" else {
                    outcome.skip("\(type) of \(kind ?? "?") on an unknown module")
                    continue
                }
                if let problem = program.instances[k].problem {
                    outcome.skip(problem)
                    continue
                }
                let expect: Expectation
                switch type {
                case "assert_return": expect = .values(values(c["expected"]))
                case "assert_trap": expect = .trap(c["text"] as? String ?? "")
                case "assert_exhaustion": expect = .exhaustion
                default: expect = .action
                }
                program.steps.append(.assertion(Assertion(line: line, field: field, args: values(action?["args"]), expect: expect,
                                                          isGet: kind == "get"), k))
            default:
                outcome.skip(type)
            }
        }
        try program.run(outcome: &outcome)
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

    /// The default run (`swift test`): the MVP integer, memory and control-flow files, the
    /// validator's unreachable-code file, and linking and imports (modules sharing state). `ZONG_SPEC_FULL=1` (what `make spec-test` sets) runs
    /// every file; `ZONG_SPEC_FILES=a,b` runs the named ones.
    static let fastFiles = [
        "address", "block", "br", "br_if", "br_table", "call", "call_indirect", "fac", "func", "i32", "i64", "if",
        "imports", "int_exprs", "labels", "left-to-right", "linking", "load", "local_tee", "loop", "memory", "memory_grow", "memory_trap",
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
