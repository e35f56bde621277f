import Testing
import ZongIR
import ZongSema
import ZongSyntax

/// Source text -> checked program -> naive ZongIR, failing the test on any diagnostic.
func lowered(_ source: String) throws -> IRProgram {
    let file = SourceFile(name: "t.zong", text: source)
    let parsed = parseProgram(file)
    try #require(parsed.diagnostics.isEmpty, "\(parsed.diagnostics.map(\.message))")
    let sema = check(parsed.program, file: file)
    try #require(sema.diagnostics.isEmpty, "\(sema.diagnostics.map(\.message))")
    return IRLowering.lower(try #require(sema.program))
}

func output(_ program: IRProgram, stdin: String = "") -> String {
    let outcome = IRInterpreter.run(program, stdin: Array(stdin.utf8))
    return String(decoding: outcome.stdout, as: UTF8.self) + (outcome.runtimeError.map { "error: \($0)\n" } ?? "")
}
