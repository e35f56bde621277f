import Foundation
import Testing
import WasmParser

@testable import W2C
import Wasm

/// C names from the name section, source lines from `zong.lines`, the embedded runtime.
@Suite struct NamesAndLinesTests {
    @Test func sanitizeAndDedupe() {
        #expect(CNames.sanitize("quicksort") == "quicksort")
        #expect(CNames.sanitize("a.b-c d") == "a_b_c_d")
        #expect(CNames.sanitize("π") == "_")
        var d = CNames.Deduper()
        #expect(d.unique("zong_f") == "zong_f")
        #expect(d.unique("zong_f") == "zong_f_1")
        #expect(d.unique("zong_f") == "zong_f_2")
        #expect(CNames.stringLiteral("a\"b\\c?\n") == "\"a\\\"b\\\\c\\?\\012\"")
        #expect(CNames.commentSafe("x*/y") == "x*_/y")
    }

    @Test(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) func functionNames() throws {
        let wasm = try Harness.assemble("""
            (module
              (func $main (export "_start") (call $quick.sort) (call $a.b) (call 3) (call $a_b))
              (func $quick.sort)
              (func $a.b)
              (func)
              (func $a_b))
            """)
        let c = try translate(wasm: wasm)
        #expect(c.contains("static void zong_main(void) {"))
        #expect(c.contains("static void zong_quick_sort(void) {"))
        #expect(c.contains("static void zong_a_b(void) {"))
        #expect(c.contains("static void f3(void) {"))
        #expect(c.contains("static void zong_a_b_1(void) {"))
        #expect(c.contains("\"quick.sort\","))
        #expect(c.contains("void zrt_module_start(void) {\n    zong_main();\n}"))
    }

    /// Faults are named by code sections, not by function addresses: a function whose address
    /// is taken keeps clang from inlining it into its only caller.
    @Test(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) func functionsSitInTheirOwnCodeSections() throws {
        let wasm = try Harness.assemble("""
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (func $main (export "_start") (call $once))
              (func $once))
            """)
        let c = try translate(wasm: wasm)
        #expect(c.contains("ZRT_CODE_OF(1) static void zong_main(void) {"))
        #expect(c.contains("ZRT_CODE_OF(2) static void zong_once(void) {"))
        #expect(c.contains("const zrt_code_range zrt_func_code[] = {\n    {0, 0},\n    ZRT_CODE_RANGE(1),\n    ZRT_CODE_RANGE(2),\n};"))
        #expect(c.contains("ZRT_CODE_OF(1) void zrt_module_start(void) {"))
        #expect(!c.contains("(void (*)(void))"))
    }

    /// A module's instruction offsets (module-absolute), per defined function.
    static func instructionOffsets(_ wasm: [UInt8]) throws -> [[Int]] {
        let info = try ModuleInfo.decode(wasm)
        var result: [[Int]] = []
        for code in info.codes {
            var parser = ExpressionParser(code: code)
            var offsets: [Int] = []
            while true {
                let offset = parser.offset
                guard try parser.parse() != nil else { break }
                offsets.append(offset)
            }
            result.append(offsets)
        }
        return result
    }

    static func leb(_ v: Int) -> [UInt8] { Wasm.LEB128.unsigned(UInt64(v)) }

    /// Appends a `zong.lines` section: files, then (offset, file, line, column) entries.
    static func withLines(_ wasm: [UInt8], files: [String], entries: [(Int, Int, Int, Int)]) -> [UInt8] {
        var payload = leb(1) + leb(files.count)
        for f in files { payload += leb(f.utf8.count) + Array(f.utf8) }
        payload += leb(entries.count)
        for e in entries { payload += leb(e.0) + leb(e.1) + leb(e.2) + leb(e.3) }
        let name = Array("zong.lines".utf8)
        let content = leb(name.count) + name + payload
        return wasm + [0] + leb(content.count) + content
    }

    static let divider = Harness.program("(call $print (call $divide (i32.const 7) (i32.const 0)))", extra: """
        (func $divide (param $a i32) (param $b i32) (result i32)
          (local.get $a)
          (local.get $b)
          (i32.div_s))
        """)

    @Test(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) func lineCommentsAndTrapLocation() throws {
        let wasm = try Harness.assemble(Self.divider)
        let offsets = try Self.instructionOffsets(wasm)
        let divide = offsets[3]  // write, print_i64, print, divide: local.get, local.get, div, end
        let lined = Self.withLines(wasm, files: ["prog.zong", "lib.zong"],
                                   entries: [(divide[0], 0, 11, 3), (divide[2], 0, 12, 9), (divide[3], 1, 40, 1)])
        let c = try translate(wasm: lined)
        #expect(c.contains("    /* prog.zong:11 */\n    si0 = p_a;\n    si1 = p_b;\n    /* prog.zong:12 */\n    si0 = zrt_i32_div_s(si0, si1,"))
        #expect(c.contains("/* lib.zong:40 */"))
        #expect(c.contains("\"prog.zong\","))
        let debug = try translate(wasm: lined, options: W2COptions(debug: true))
        #expect(debug.contains("#line 12 \"prog.zong\"\n"))
        #expect(!debug.contains("/* prog.zong:12 */"))

        let exe = try Harness.buildC(c)
        let r = try Harness.run(exe)
        #expect(r.stderr == "zong: runtime error: integer divide by zero in function divide at prog.zong:12\n")
        #expect(r.status == 2)
        let exeDebug = try Harness.buildC(debug)
        #expect(try Harness.run(exeDebug).stderr.hasSuffix("at prog.zong:12\n"))
    }

    @Test(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) func malformedLineTablesAreIgnored() throws {
        let wasm = try Harness.assemble(Self.divider)
        let plain = try translate(wasm: wasm)
        for bad in [
            Self.withLines(wasm, files: ["p.zong"], entries: [(100, 5, 1, 1)]),  // file index out of range
            Self.withLines(wasm, files: ["p.zong"], entries: [(200, 0, 1, 1), (100, 0, 2, 1)]),  // unsorted
            wasm + [0, 12, 10] + Array("zong.lines".utf8) + [7],  // unknown version
            wasm + [0, 14, 10] + Array("zong.lines".utf8) + [1, 5, 0xff],  // truncated
        ] {
            #expect(try translate(wasm: bad) == plain)
        }
    }

    @Test func embeddedRuntimeMatchesRuntimeDirectory() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../runtime-c").standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".c") || $0.hasSuffix(".h") }
        #expect(Set(names) == Set(runtimeCSources.keys), "run: sh runtime-c/embed.sh")
        for name in names {
            let disk = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            #expect(runtimeCSources[name].map { $0 + "\n" } == disk, "\(name) is stale: run sh runtime-c/embed.sh")
        }
    }
}
