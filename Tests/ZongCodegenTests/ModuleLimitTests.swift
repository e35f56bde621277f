import Foundation
import Testing
import Wasm
@testable import ZongCodegen
import ZongIR
import ZongSema
import ZongSyntax

/// Codegen in-process, from the program's IR after the -O2 passes (as `zong build` makes it):
/// the memory limit is declared in the module, so `memory.grow` fails at
/// the same size under every runtime and the program's own `out of memory` panic (message and
/// location from static data) is identical under the interpreter and natively.
@Suite struct ModuleLimitTests {
    static func checked(_ source: String, name: String) throws -> TypedProgram {
        let file = SourceFile(name: name, text: source)
        let parsed = parseProgram(file)
        try #require(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        let sema = check(parsed.program, file: file)
        try #require(sema.diagnostics.isEmpty, "\(sema.diagnostics)")
        return try #require(sema.program)
    }

    /// The module the pipeline makes: lowered to ZongIR, optimized at -O2, then generated.
    static func module(_ program: TypedProgram, options: CodegenOptions = .init()) throws -> WasmModule {
        var ir = IRLowering.lower(program)
        var passes = PassManager(level: 2)
        passes.verifyEachPass = true
        let problems = passes.run(&ir)
        try #require(problems.isEmpty, "\(problems)")
        return generateModule(fromIR: ir, program: program, options: options)
    }

    static let oom = """
        func main() {
            var s: I64[];
            print(5);
            loop {
                append(s&, s.length);
            }
        }
        """

    @Test func memoryMaximumFollowsTheOption() throws {
        let program = try Self.checked(Self.oom, name: "oom.zong")
        #expect(try Self.module(program).memory?.maximumPages == 65536)
        var options = CodegenOptions()
        options.maxMemoryBytes = 16 << 20
        #expect(try Self.module(program, options: options).memory?.maximumPages == 256)
        // A limit below what the module needs to start declares the minimum: still valid.
        options.maxMemoryBytes = 4096
        let tiny = try Self.module(program, options: options)
        let memory = try #require(tiny.memory)
        #expect(memory.maximumPages == memory.minimumPages)
    }

    @Test func outOfMemoryUnderTheInterpreter() throws {
        guard let wasmkit = ZongProcess.tool("wasmkit") ?? ZongProcess.tool("/opt/swift/usr/bin/wasmkit") else {
            print("note: wasmkit not found; skipping")
            return
        }
        let program = try Self.checked(Self.oom, name: "oom.zong")
        var options = CodegenOptions()
        options.maxMemoryBytes = 16 << 20
        let dir = ZongProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("oom.wasm").path
        try Data(Self.module(program, options: options).encode()).write(to: URL(fileURLWithPath: path))
        try Validator.validate(wasmPath: path)
        let result = try ZongProcess.run(wasmkit, ["run", path], timeout: 60)
        #expect(result.status == 2)
        #expect(result.stdoutText == "5\n")
        #expect(result.stderr == runtimeError("out of memory at oom.zong:5:9"))
        #expect(result.seconds < 20)
    }
}
