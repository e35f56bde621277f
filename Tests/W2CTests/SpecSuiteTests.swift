import Foundation
import Testing

@testable import W2C

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
        var skipped: Int { skipReasons.values.reduce(0, +) }
        /// Why assertions were skipped, with counts.
        var skipReasons: [String: Int] = [:]
        var failures: [String] = []
        var description: String {
            var text = "\(passed) passed, \(failures.count) failed, \(skipped) skipped"
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
    }

    struct Group {
        var file: String
        var line: Int
        var uninstantiable: Bool
        var assertions: [Assertion] = []
    }

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
        for c in commands {
            let type = c["type"] as? String ?? ""
            let line = c["line"] as? Int ?? 0
            switch type {
            case "module":
                groups.append(Group(file: c["filename"] as? String ?? "", line: line, uninstantiable: false))
                current = groups.count - 1
            case "assert_uninstantiable":
                groups.append(Group(file: c["filename"] as? String ?? "", line: line, uninstantiable: true))
            case "assert_invalid", "assert_malformed":
                guard c["module_type"] as? String == "binary", let file = c["filename"] as? String else {
                    outcome.skip("\(type) in text form")
                    continue
                }
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
                if (try? translate(wasm: bytes)) == nil {
                    outcome.passed += 1
                } else {
                    outcome.failures.append("line \(line): accepted an invalid module (\(c["text"] as? String ?? ""))")
                }
            case "assert_return", "assert_trap", "assert_exhaustion", "action":
                guard let g = current, let action = c["action"] as? [String: Any], action["type"] as? String == "invoke",
                    action["module"] == nil, let field = action["field"] as? String
                else {
                    let a = c["action"] as? [String: Any]
                    outcome.skip("\(type) of \(a?["type"] as? String ?? "?")\(a?["module"] != nil ? " on a named module" : "")")
                    continue
                }
                let expect: Expectation
                switch type {
                case "assert_return": expect = .values(values(c["expected"]))
                case "assert_trap": expect = .trap(c["text"] as? String ?? "")
                case "assert_exhaustion": expect = .exhaustion
                default: expect = .action
                }
                groups[g].assertions.append(Assertion(line: line, field: field, args: values(action["args"]), expect: expect))
            default:
                outcome.skip(type)
            }
        }
        for (i, group) in groups.enumerated() {
            try runGroup(group, index: i, dir: dir, outcome: &outcome)
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

    static func runGroup(_ group: Group, index: Int, dir: String, outcome: inout Outcome) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + group.file)))
        var options = W2COptions()
        options.exportWrappers = true
        let c: String
        let info: ModuleInfo
        do {
            c = try translate(wasm: bytes, options: options)
            info = try ModuleInfo.decode(bytes)
        } catch {
            var reason = "\(error)"
            if let r = reason.range(of: " (function") ?? reason.range(of: " (at byte") { reason = String(reason[..<r.lowerBound]) }
            outcome.skip("module not translated: \(reason)", group.assertions.count + (group.uninstantiable ? 1 : 0))
            return
        }
        let exports = ModuleWriter.exportWrapperNames(info)
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
        var declared = Set<String>()
        var chunks: [String] = []
        var body = ""
        var count = 0
        var runnable = 0
        for a in group.assertions {
            guard let (f, cName) = exports[Array(a.field.utf8)], let t = info.functionType(f), t.parameters.count == a.args.count else {
                outcome.skip("no exported function \(a.field) with \(a.args.count) parameters")
                continue
            }
            runnable += 1
            if t.results.count > 1, declared.insert(ModuleContext.tupleName(t.results)).inserted {
                harness += ModuleContext.tupleTypedef(t.results) + "\n"
            }
            if declared.insert(cName).inserted {
                let params = t.parameters.isEmpty ? "void" : t.parameters.map(ModuleContext.cType).joined(separator: ", ")
                harness += "\(ModuleContext.cReturnType(t)) \(cName)(\(params));\n"
            }
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
                if (setjmp(jb) != 0) { printf("INIT TRAP\\n"); printf("RESULT %d\\n", passed); return 0; }
                zrt_module_init();

            """
        for i in chunks.indices { harness += "    chunk\(i)();\n" }
        harness += "    printf(\"RESULT %d\\n\", passed);\n    return 0;\n}\n"

        let gdir = dir + "/g\(index)"
        try FileManager.default.createDirectory(atPath: gdir, withIntermediateDirectories: true)
        try c.write(toFile: gdir + "/module.c", atomically: true, encoding: .utf8)
        try harness.write(toFile: gdir + "/harness.c", atomically: true, encoding: .utf8)
        let rt = try runtime.get()
        let cc = try findCCompiler()[0]
        let objects = try FileManager.default.contentsOfDirectory(atPath: rt).filter { $0.hasSuffix(".o") && $0 != "start.o" }.map { rt + "/" + $0 }
        let flags = ["-std=c11", "-fno-optimize-sibling-calls", "-frounding-math", "-fno-math-errno", "-ffp-contract=off", "-I", rt]
        for (src, extra) in [("module", ["-O2", "-Wall", "-Wextra", "-Werror"]), ("harness", ["-O0", "-w"])] {
            let r = try Harness.run(cc, args: flags + extra + ["-c", gdir + "/\(src).c", "-o", gdir + "/\(src).o"], env: ["PATH": "/usr/bin:/bin"])
            guard r.status == 0 else {
                outcome.failures.append("line \(group.line): \(src).c does not compile: \(r.stderr.prefix(1500))")
                return
            }
        }
        let link = try Harness.run(cc, args: [gdir + "/module.o", gdir + "/harness.o"] + objects + ["-lm", "-lpthread", "-o", gdir + "/run"], env: ["PATH": "/usr/bin:/bin"])
        guard link.status == 0 else {
            outcome.failures.append("line \(group.line): link failed: \(link.stderr.prefix(1500))")
            return
        }
        let r = try Harness.run(gdir + "/run")
        let out = r.stdout
        if group.uninstantiable {
            if out.contains("INIT TRAP") { outcome.passed += 1 } else { outcome.failures.append("line \(group.line): instantiation did not trap") }
            return
        }
        if out.contains("INIT TRAP") {
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

    /// The default run (`swift test`): MVP integer, memory and control-flow files plus the
    /// validator's files, about a third of the full run's time. `ZONG_SPEC_FULL=1` (what
    /// `make spec-test` sets) runs every file; `ZONG_SPEC_FILES=a,b` runs the named ones.
    static let fastFiles = [
        "address", "binary", "binary-leb128", "block", "br", "br_if", "br_table", "call", "call_indirect", "const",
        "custom", "data", "elem", "endianness", "exports", "fac", "func", "global", "i32", "i64", "if", "int_exprs",
        "int_literals", "labels", "left-to-right", "load", "local_get", "local_set", "local_tee", "loop", "memory",
        "memory_grow", "memory_redundancy", "memory_size", "memory_trap", "names", "nop", "return", "select",
        "stack", "start", "store", "switch", "traps", "unreachable", "unreached-invalid", "unreached-valid", "unwind",
    ]

    static let files: [String] = {
        let env = ProcessInfo.processInfo.environment
        if let list = env["ZONG_SPEC_FILES"], !list.isEmpty { return list.split(separator: ",").map(String.init) }
        return env["ZONG_SPEC_FULL"] == "1" ? allFiles : fastFiles
    }()

    @Test(arguments: files) func specFile(_ name: String) throws {
        let outcome = try SpecSuite.run(name)
        print("spec \(name): \(outcome)")
        #expect(outcome.failures.isEmpty, "\(name): \(outcome)\n\(outcome.failures.prefix(15).joined(separator: "\n"))")
    }
}
