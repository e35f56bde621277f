import Wasm
import ZongIR
import ZongSema

/// The module for an optimized ZongIR program: the same imports, runtime built-ins, static
/// data, memory map and exports as the AST code generator, with every user function
/// translated from its IR by FunctionFromIR.
public func generateModule(fromIR ir: IRProgram, program: TypedProgram, options: CodegenOptions = .init()) -> WasmModule {
    ModuleGenerator(program, options).generate(from: ir)
}

extension ModuleGenerator {
    func generate(from ir: IRProgram) -> WasmModule {
        declareImports()
        var functions = Builtins(self).all()
        let firstUser = builtinBase + UInt32(Builtin.allCases.count)
        for f in ir.functions {
            functions.append(FunctionFromIR(self, ir, f, firstFunction: firstUser).generate())
        }
        stubUnusedBuiltins(&functions)
        return assemble(functions, mainIndex: firstUser + UInt32(ir.entry.index))
    }
}
