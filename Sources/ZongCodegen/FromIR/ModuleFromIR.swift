import Wasm
import ZongIR
import ZongSema

/// The WASI module for an optimized ZongIR program (ARCHITECTURE.md "One contract"): the
/// imports, runtime built-ins, static data, memory map and exports of ModuleGenerator, every
/// user function translated from its IR by FunctionFromIR, and the `zong.bounded-recursion`
/// section for the functions whose self-recursion ZongIR's RecursionBound proves bounded.
/// `program` supplies the externs and the file name.
public func generateModule(fromIR ir: IRProgram, program: TypedProgram, options: CodegenOptions = .init()) -> WasmModule {
    ModuleGenerator(program, options).generate(from: ir)
}

extension ModuleGenerator {
    func generate(from ir: IRProgram) -> WasmModule {
        declareImports()
        var functions = Builtins(self).all()
        let firstUser = builtinBase + UInt32(Builtin.allCases.count)
        for (i, f) in ir.functions.enumerated() {
            let writer = FunctionFromIR(self, ir, f, firstFunction: firstUser)
            functions.append(writer.generate())
            // W2C's contract for bounded self-recursion (BoundedRecursion in Wasm).
            if let r = RecursionBound.find(f, id: FunctionID(i)) {
                boundedRecursion.append(BoundedRecursion(function: firstUser + UInt32(i), parameter: UInt32(r.parameter), isSigned: true,
                                                         bound: r.bound, step: r.step, budgetLocal: writer.budgetLocal))
            }
        }
        stubUnusedBuiltins(&functions)
        return assemble(functions, mainIndex: firstUser + UInt32(ir.entry.index))
    }
}
