import Foundation
import Testing

@testable import W2C
import WasmParser
import WasmTypes

/// What hosts linking several modules rely on: import matching, the memory each module uses,
/// and the symbols it defines. The spec files linking and imports run the whole of it.
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct LinkingTests {
    static var hostOptions: W2COptions {
        var options = W2COptions()
        options.hostImports = true
        options.exportWrappers = true
        return options
    }

    @Test func importMatching() {
        let i32ToI32 = FunctionType(parameters: [.i32], results: [.i32])
        #expect(ExternType.function(i32ToI32).mismatch(importedAs: .function(i32ToI32)) == nil)
        #expect(ExternType.function(i32ToI32).mismatch(importedAs: .function(FunctionType(parameters: [.i32]))) != nil)
        let constant = GlobalType(mutability: .constant, valueType: .i32)
        let variable = GlobalType(mutability: .variable, valueType: .i32)
        #expect(ExternType.global(variable).mismatch(importedAs: .global(constant)) != nil)
        #expect(ExternType.global(constant).mismatch(importedAs: .global(GlobalType(mutability: .constant, valueType: .i64))) != nil)
        // A maximum is required when the import has one, and must be within it; minimums are
        // compared with the size at link time by the host.
        #expect(ExternType.memory(Limits(min: 1)).mismatch(importedAs: .memory(Limits(min: 5))) == nil)
        #expect(ExternType.memory(Limits(min: 1)).mismatch(importedAs: .memory(Limits(min: 1, max: 2))) != nil)
        #expect(ExternType.memory(Limits(min: 1, max: 3)).mismatch(importedAs: .memory(Limits(min: 1, max: 2))) != nil)
        #expect(ExternType.memory(Limits(min: 1, max: 2)).mismatch(importedAs: .memory(Limits(min: 0, max: 3))) == nil)
        let funcs = TableType(elementType: .funcRef, limits: Limits(min: 10, max: 20))
        #expect(ExternType.table(funcs).mismatch(importedAs: .table(TableType(elementType: .externRef, limits: Limits(min: 1)))) != nil)
        #expect(ExternType.table(funcs).mismatch(importedAs: .memory(Limits(min: 1))) != nil)
        #expect(ExternType.memory(Limits(min: 2)).linkMinimum == 2)
    }

    @Test func eachModuleHasItsOwnMemoryUnlessImported() throws {
        let own = try translate(wasm: Harness.assemble("(module (memory (export \"m\") 1 2) (func (export \"grow\") (result i32) (memory.grow (i32.const 1))))"),
                                options: Self.hostOptions)
        #expect(own.contains("\nzrt_memory zrt_memory0;"))
        #expect(own.contains("zrt_memory_new(&zrt_memory0, 1u, 2u, 0);"))
        #expect(own.contains("zrt_memory_grow(&zrt_memory0, "))
        #expect(!own.contains("zrt_mem."))
        let imported = try translate(wasm: Harness.assemble("(module (import \"a\" \"m\" (memory 1)) (func (export \"f\") (result i32) (i32.load (i32.const 0))))"),
                                     options: Self.hostOptions)
        #expect(imported.contains("extern zrt_memory zrt_import_a__m;"))
        #expect(imported.contains("= zrt_import_a__m.base;"))
        // A program (WASI) keeps runtime-c's zrt_mem, which the WASI functions use.
        let program = try translate(wasm: Harness.assemble(Harness.program("(call $print (i32.const 1))")))
        #expect(program.contains("zrt_mem_init(") && !program.contains("zrt_memory0"))
    }

    @Test func definedSymbolsAndExportSymbols() throws {
        let wasm = try Harness.assemble("""
            (module (import "a" "t" (table 1 funcref)) (memory (export "mem") 1) (table (export "t2") 1 funcref)
              (global (export "g") (mut i32) (i32.const 1)) (export "t" (table 0)) (func (export "f")))
            """)
        let info = try ModuleInfo.decode(wasm)
        let ctx = try ModuleContext(info: info, options: Self.hostOptions)
        let symbols = ctx.externalSymbols
        #expect(symbols.contains("zrt_module_init") && symbols.contains("zrt_memory0") && symbols.contains("zrt_table1"))
        #expect(symbols.contains("zrt_export_f") && !symbols.contains("zrt_table0"))
        #expect(ctx.exportSymbol(.table(0), name: "t") == "zrt_import_a__t")
        #expect(ctx.exportSymbol(.memory(0), name: "mem") == "zrt_memory0")
        #expect(info.hostImports.map(\.symbol) == ["zrt_import_a__t"])
    }

    @Test func oneImportNameAsTwoKindsIsRejected() throws {
        let wasm = try Harness.assemble("(module (import \"m\" \"x\" (func)) (import \"m\" \"x\" (global i32)))")
        #expect(throws: W2CError.self) { try translate(wasm: wasm, options: Self.hostOptions) }
        do {
            _ = try translate(wasm: wasm, options: Self.hostOptions)
        } catch {
            #expect(error.message.contains("as both a function and a global"), "\(error)")
        }
    }
}
