import W2C
import Wasm
import ZongCodegen
import ZongSema
import ZongSyntax

/// Extern functions the runtime cannot link are compile errors at their declarations, found
/// by `zong check` as by every command that builds or runs, natively or interpreted (W2C would
/// refuse the module, wasmkit would fail to instantiate it). Only `emit-wasm` skips this: its
/// module may be meant for another host.
enum RuntimeLinking {
    static func problems(_ program: TypedProgram) -> [Diagnostic] {
        // The text format's names, which are the cases' names.
        func names(_ types: [ValueType]) -> [String] { types.map { "\($0)" } }
        return program.externs.compactMap { ext in
            let type = importType(of: ext)
            guard let problem = RuntimeImports.problem(module: ext.module, name: ext.name, parameters: names(type.parameters),
                                                       results: names(type.results)) else { return nil }
            return Diagnostic("extern function '\(ext.name)' cannot be linked: \(problem)", at: ext.span, code: "link")
        }
    }
}
