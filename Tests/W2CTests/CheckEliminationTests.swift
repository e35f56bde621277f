import Foundation
import Testing

@testable import W2C

/// Translator-side bounds-check elimination: only provably redundant checks go.
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct CheckEliminationTests {
    static let module = """
        (module
          (memory 1)
          (func $fields (export "_start") (param $p i32) (result i32)
            (i32.add (i32.load offset=8 (local.get $p)) (i32.load offset=4 (local.get $p)))
            (i32.store offset=2 (local.get $p) (i32.const 1))
            (i32.store offset=12 (local.get $p) (i32.const 1))
            (drop (i32.load (i32.const 100)))
            (drop (i32.load (i32.const 65534)))))
        """

    @Test func sameBaseSmallerExtentAndLowConstantsAreUnchecked() throws {
        let c = try translate(wasm: try Harness.assemble(Self.module))
        #expect(c.contains("si0 = zrt_i32_load(mb, ms, si0, 8u,"))
        #expect(c.contains("si1 = zrt_i32_load_nc(mb, si1, 4u);"))
        #expect(c.contains("zrt_i32_store_nc(mb, si1, 2u, si2);"))
        #expect(c.contains("zrt_i32_store(mb, ms, si1, 12u, si2,"))
        #expect(c.contains("si1 = zrt_i32_load_nc(mb, si1, 0u);"))
        #expect(c.contains("si1 = zrt_i32_load(mb, ms, si1, 0u,"))
        let guardPages = try translate(wasm: try Harness.assemble(Self.module), options: W2COptions(boundsMode: .guardPages))
        #expect(!guardPages.contains("_nc("))
    }

    @Test func factsDieWithWritesAndMerges() throws {
        let c = try translate(wasm: try Harness.assemble("""
            (module
              (memory 1)
              (func $f (param $p i32) (param $n i32)
                (drop (i32.load offset=8 (local.get $p)))
                (local.set $p (local.get $n))
                (drop (i32.load offset=4 (local.get $p)))
                (loop $l
                  (drop (i32.load (local.get $p)))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $l (local.get $n)))
                (drop (i32.load (local.get $p)))))
            """))
        #expect(!c.contains("_nc("), "\(c)")
    }

    @Test func runtimeBehaviourIsUnchanged() throws {
        let r = try Harness.execute(Harness.program("""
            (i32.store offset=8 (i32.const 1000) (i32.const 7))
            (call $print (call $sum (i32.const 1000)))
            (call $print (call $sum (i32.const 131064)))
            """, extra: """
            (func $sum (param $p i32) (result i32)
              (i32.add (i32.load offset=8 (local.get $p)) (i32.load offset=4 (local.get $p))))
            """))
        #expect(r.stdout == "7\n")
        #expect(r.stderr == "zong: runtime error: out of bounds memory access in function sum\n")
    }
}
