import Foundation

@testable import W2C
import WasmParser
import WasmTypes

/// The C program of one .wast file: the modules' objects, spectest, and a harness whose `main`
/// runs the steps in file order (instantiations, size checks of assert_unlinkable, assertions),
/// catching traps with setjmp/longjmp through runtime-c's trap hook.
extension SpecProgram {
    static let preamble = """
        #include "zong_rt.h"
        #include <setjmp.h>
        #include <stdio.h>
        #include <string.h>
        uintptr_t zrt_stack_limit;
        int zrt_argc;
        char **zrt_argv;
        char **zrt_envp;
        /* What runtime-c reads for trap messages: every module's own copy is renamed apart. */
        const char *const zrt_func_names[] = {0};
        const uint32_t zrt_func_count = 0;
        const zrt_code_range zrt_func_code[] = {{0, 0}};
        const char *const zrt_file_names[] = {0};
        const uint32_t zrt_file_count = 0;
        static jmp_buf jb;
        static volatile int kind = -1;
        static int passed, unlinkable;
        static void hook(zrt_trap_kind k) { kind = (int)k; longjmp(jb, 1); }
        static void fail(int line, const char *why) { printf("FAIL line %d: %s\\n", line, why); }
        static int trap_is(const char *expected) {
            const char *got = zrt_trap_text((zrt_trap_kind)kind);
            size_t n = strlen(got) < strlen(expected) ? strlen(got) : strlen(expected);
            return strncmp(got, expected, n) == 0 || (kind == ZRT_TRAP_UNDEFINED_ELEMENT && strstr(expected, "undefined element"))
                || (kind == ZRT_TRAP_UNINITIALIZED_ELEMENT && strstr(expected, "uninitialized element"));
        }

        """

    /// Builds and runs the program; adds its passes and failures to `outcome`.
    func run(outcome: inout SpecSuite.Outcome) throws {
        guard !steps.isEmpty else { return }
        let (spectestText, spectestSetup) = Self.spectestDefinitions()
        var harness = Self.preamble + spectestText
        harness += "static int alive[\(instances.count)];\n"
        var declared = Set<String>()
        func declare(_ symbol: String, _ declaration: String) {
            if declared.insert(symbol).inserted { harness += declaration + "\n" }
        }
        func ready(_ instance: Instance) -> String {
            let conditions = instance.dependencies.sorted().map { "alive[\($0)]" } + instance.checks.map(\.condition)
            return conditions.isEmpty ? "1" : conditions.joined(separator: " && ")
        }
        var chunks: [String] = []
        var body = ""
        for step in steps {
            switch step {
            case .instantiate(let k):
                let instance = instances[k]
                let l = instance.line
                declare(instance.prefix + "zrt_module_init", "void \(instance.prefix)zrt_module_init(void);")
                for c in instance.checks { declare(c.symbol, "extern \(c.cType) \(c.symbol);") }
                let call = "\(instance.prefix)zrt_module_init()"
                let run: String
                if let trap = instance.trap {
                    run = "if (setjmp(jb) == 0) { \(call); fail(\(l), \"instantiation did not trap\"); } else if (trap_is(\(CNames.stringLiteral(trap)))) passed++; else fail(\(l), \"wrong trap kind\");"
                } else {
                    run = "if (setjmp(jb) == 0) { \(call); alive[\(k)] = 1; } else fail(\(l), \"instantiation trapped\");"
                }
                body += "    if (\(ready(instance))) { \(run) } else fail(\(l), \"not instantiated: an import is missing or too small\");\n"
            case .unlinkable(let l, let checks):
                for c in checks { declare(c.symbol, "extern \(c.cType) \(c.symbol);") }
                body += "    if (!(\(checks.map(\.condition).joined(separator: " && ")))) { passed++; unlinkable++; } else fail(\(l), \"linked a module whose imports do not match\");\n"
            case .assertion(let a, let k):
                guard let (t, cName) = wrapper(a, instances[k]) else {
                    outcome.skip("no exported function or global \(a.field) with \(a.args.count) parameters")
                    continue
                }
                if t.results.count > 1 { declare(ModuleContext.tupleName(t.results), ModuleContext.tupleTypedef(t.results)) }
                let params = t.parameters.isEmpty ? "void" : t.parameters.map(ModuleContext.cType).joined(separator: ", ")
                declare(cName, "\(ModuleContext.cReturnType(t)) \(cName)(\(params));")
                body += "    if (!alive[\(k)]) fail(\(a.line), \"module not instantiated\"); else " + Self.assertionText(a, t, cName)
            }
            if body.count > 40_000 {
                chunks.append(body)
                body = ""
            }
        }
        chunks.append(body)
        for (i, chunk) in chunks.enumerated() { harness += "static void chunk\(i)(void) {\n\(chunk)}\n" }
        harness += """
            int main(void) {
                char here;
                zrt_stack_limit = (uintptr_t)&here - ((uintptr_t)6 << 20);
                zrt_trap_hook = hook;

            """
        for line in spectestSetup { harness += "    \(line)\n" }
        for i in chunks.indices { harness += "    chunk\(i)();\n" }
        harness += "    printf(\"RESULT %d %d\\n\", passed, unlinkable);\n    return 0;\n}\n"
        try build(harness: harness, outcome: &outcome)
    }

    /// The C statement (without the leading `if`) that runs one assertion.
    static func assertionText(_ a: SpecSuite.Assertion, _ t: FunctionType, _ cName: String) -> String {
        let call = "\(cName)(\(a.args.map(SpecSuite.cValue).joined(separator: ", ")))"
        let l = a.line
        switch a.expect {
        case .values(let expected):
            if expected.count != t.results.count {
                return "fail(\(l), \"expected \(expected.count) results, the function has \(t.results.count)\");\n"
            } else if let v = expected.first {
                let checks = expected.count == 1 ? SpecSuite.check(v, "r")
                    : expected.enumerated().map { "(" + SpecSuite.check($0.element, "r.v\($0.offset)") + ")" }.joined(separator: " && ")
                return "if (setjmp(jb) == 0) { \(ModuleContext.cReturnType(t)) r = \(call); if (\(checks)) passed++; else fail(\(l), \"wrong result\"); } else fail(\(l), \"unexpected trap\");\n"
            }
            return "if (setjmp(jb) == 0) { \(call); passed++; } else fail(\(l), \"unexpected trap\");\n"
        case .action:
            return "if (setjmp(jb) == 0) { \(call); passed++; } else fail(\(l), \"unexpected trap\");\n"
        case .trap(let text):
            return "if (setjmp(jb) == 0) { \(call); fail(\(l), \"no trap\"); } else if (trap_is(\(CNames.stringLiteral(text)))) passed++; else fail(\(l), \"wrong trap kind\");\n"
        case .exhaustion:
            return "if (setjmp(jb) == 0) { \(call); fail(\(l), \"no trap\"); } else if (kind == ZRT_TRAP_STACK_OVERFLOW) passed++; else fail(\(l), \"wrong trap kind\");\n"
        }
    }

    /// The export wrapper an assertion calls (prefixed) and its type.
    func wrapper(_ a: SpecSuite.Assertion, _ instance: Instance) -> (FunctionType, String)? {
        guard let info = instance.info else { return nil }
        if a.isGet {
            guard let (g, name) = ModuleWriter.globalExportWrapperNames(info)[Array(a.field.utf8)] else { return nil }
            return (FunctionType(parameters: [], results: [info.globals[g].type.valueType]), instance.prefix + name)
        }
        guard let (f, name) = ModuleWriter.exportWrapperNames(info)[Array(a.field.utf8)], let t = info.functionType(f),
            t.parameters.count == a.args.count
        else { return nil }
        return (t, instance.prefix + name)
    }

    /// Compiles every module (renamed apart, imports bound) and the harness, links, runs.
    func build(harness: String, outcome: inout SpecSuite.Outcome) throws {
        let rt = try SpecSuite.runtime.get()
        let cc = try findCCompiler()[0]
        let flags = ["-std=c11", "-fno-optimize-sibling-calls", "-frounding-math", "-fno-math-errno", "-ffp-contract=off", "-I", rt]
        var sources: [(String, [String])] = [("harness", ["-O0", "-w"])]
        for (k, instance) in instances.enumerated() where instance.problem == nil {
            guard let ctx = instance.ctx else { continue }
            try instance.c.write(toFile: dir + "/m\(k).c", atomically: true, encoding: .utf8)
            var defines = ctx.externalSymbols.map { "-D\($0)=\(instance.prefix)\($0)" }
            defines += instance.bindings.filter { $0.key != $0.value }.sorted { $0.key < $1.key }.map { "-D\($0.key)=\($0.value)" }
            sources.append(("m\(k)", ["-O2", "-Wall", "-Wextra", "-Werror"] + defines))
        }
        try harness.write(toFile: dir + "/harness.c", atomically: true, encoding: .utf8)
        for (src, extra) in sources {
            let r = try Harness.run(cc, args: flags + extra + ["-c", dir + "/\(src).c", "-o", dir + "/\(src).o"], env: ["PATH": "/usr/bin:/bin"])
            guard r.status == 0 else {
                outcome.failures.append("\(src).c does not compile: \(r.stderr.prefix(1500))")
                return
            }
        }
        let objects = try FileManager.default.contentsOfDirectory(atPath: rt).filter { $0.hasSuffix(".o") && $0 != "start.o" }.map { rt + "/" + $0 }
        let link = try Harness.run(cc, args: sources.map { dir + "/\($0.0).o" } + objects + ["-lm", "-lpthread", "-o", dir + "/run"], env: ["PATH": "/usr/bin:/bin"])
        guard link.status == 0 else {
            outcome.failures.append("link failed: \(link.stderr.prefix(1500))")
            return
        }
        let r = try Harness.run(dir + "/run")
        let lines = r.stdout.split(separator: "\n")
        for l in lines where l.hasPrefix("FAIL") { outcome.failures.append(String(l)) }
        let result = lines.last { $0.hasPrefix("RESULT ") }.map { $0.split(separator: " ").compactMap { Int($0) } }
        if let result, result.count == 2 {
            outcome.passed += result[0]
            outcome.unlinkable += result[1]
        } else {
            outcome.failures.append("harness crashed (status \(r.status)): \(r.stderr.prefix(500)) \(r.stdout.suffix(300))")
        }
    }
}
