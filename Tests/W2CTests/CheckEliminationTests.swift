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

    /// `if (i >= n) trap; access base + (u32)i * 8`: the element form of IndexedAccess.swift.
    static let elementFunctions = """
        (func $get (param $base i32) (param $i i64) (param $n i64) (result i64)
          (if (i64.ge_u (local.get $i) (local.get $n)) (then unreachable))
          (i64.load (i32.add (local.get $base) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 8)))))
        (func $put (param $base i32) (param $i i64) (param $n i64) (param $v i64)
          (if (i64.ge_u (local.get $i) (local.get $n)) (then unreachable))
          (i64.store (i32.add (local.get $base) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 8))) (local.get $v)))
        (func $getHigh (param $base i32) (param $i i64) (param $n i64) (result i64)
          (if (i64.ge_u (local.get $i) (local.get $n)) (then unreachable))
          (i64.load offset=8 (i32.add (local.get $base) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 16)))))
        (func $putHigh (param $base i32) (param $i i64) (param $n i64) (param $v i64)
          (if (i64.ge_u (local.get $i) (local.get $n)) (then unreachable))
          (i64.store offset=8 (i32.add (local.get $base) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 16))) (local.get $v)))
        """

    @Test func elementAccessBehindAnIndexCheckGetsTheFastArm() throws {
        let c = try translate(wasm: try Harness.assemble("(module (memory 1)\n\(Self.elementFunctions))"))
        // The fast arm addresses in 64 bits from the index itself (nothing wraps there).
        #expect(c.contains("= ZRT_LIKELY(ZRT_FITS(p_base, p_n, 8u, ms)) ? zrt_i64_load_at(mb, (uint64_t)p_base + p_i * 8u) : "), "\(c)")
        #expect(c.contains("if (ZRT_LIKELY(ZRT_FITS(p_base, p_n, 8u, ms))) zrt_i64_store_at(mb, (uint64_t)p_base + p_i * 8u, "), "\(c)")
        #expect(c.contains("? zrt_i64_load_at(mb, (uint64_t)p_base + p_i * 16u + 8u) : "), "\(c)")
        let guardPages = try translate(wasm: try Harness.assemble("(module (memory 1)\n\(Self.elementFunctions))"),
                                       options: W2COptions(boundsMode: .guardPages))
        #expect(!guardPages.contains("ZRT_FITS"))
    }

    /// The fact `i < n` needs an `if` whose arm cannot fall through, no `else`, no branch to its
    /// label, and neither local written before the access.
    @Test func noFastArmWithoutAProvenIndex() throws {
        let c = try translate(wasm: try Harness.assemble("""
            (module
              (memory 1)
              (func $written (param $b i32) (param $i i64) (param $n i64) (result i64)
                (if (i64.ge_u (local.get $i) (local.get $n)) (then unreachable))
                (local.set $i (i64.add (local.get $i) (i64.const 1)))
                (i64.load (i32.add (local.get $b) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 8)))))
              (func $boundWritten (param $b i32) (param $i i64) (param $n i64) (result i64)
                (if (i64.ge_u (local.get $i) (local.get $n)) (then unreachable))
                (local.set $n (i64.const 1000000))
                (i64.load (i32.add (local.get $b) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 8)))))
              (func $withElse (param $b i32) (param $i i64) (param $n i64) (result i64)
                (if (i64.ge_u (local.get $i) (local.get $n)) (then unreachable) (else nop))
                (i64.load (i32.add (local.get $b) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 8)))))
              (func $fallsOut (param $b i32) (param $i i64) (param $n i64) (result i64)
                (if (i64.ge_u (local.get $i) (local.get $n)) (then (br 0)))
                (i64.load (i32.add (local.get $b) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 8)))))
              (func $signed (param $b i32) (param $i i64) (param $n i64) (result i64)
                (if (i64.ge_s (local.get $i) (local.get $n)) (then unreachable))
                (i64.load (i32.add (local.get $b) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 8)))))
              (func $wide (param $b i32) (param $i i64) (param $n i64) (result i64)
                (if (i64.ge_u (local.get $i) (local.get $n)) (then unreachable))
                (i64.load offset=4 (i32.add (local.get $b) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 8))))))
            """))
        #expect(!c.contains("ZRT_FITS"), "\(c)")
    }

    /// The fast arm only runs when every element fits; otherwise the ordinary access decides,
    /// including 32-bit wrap-around of the address and out-of-bounds traps.
    @Test func elementAccessesKeepWebAssemblySemantics() throws {
        let r = try Harness.execute(Harness.program("""
            (call $put (i32.const 1024) (i64.const 3) (i64.const 10) (i64.const 42))
            (call $print_i64 (call $get (i32.const 1024) (i64.const 3) (i64.const 10)))
            ;; n elements from base would pass the end of memory, but element 5 is inside
            (call $put (i32.const 131000) (i64.const 5) (i64.const 1000) (i64.const 77))
            (call $print_i64 (call $get (i32.const 131000) (i64.const 5) (i64.const 1000)))
            ;; base + i * 8 wraps around to address 0
            (call $put (i32.const -8) (i64.const 1) (i64.const 10) (i64.const 99))
            (call $print_i64 (call $get (i32.const -8) (i64.const 1) (i64.const 10)))
            ;; the second half of 16-byte element 2 is 8-byte element 5
            (call $putHigh (i32.const 1024) (i64.const 2) (i64.const 10) (i64.const 55))
            (call $print_i64 (call $get (i32.const 1024) (i64.const 5) (i64.const 10)))
            (call $print_i64 (call $getHigh (i32.const 1024) (i64.const 2) (i64.const 10)))
            ;; past the end of memory
            (call $print_i64 (call $get (i32.const 131000) (i64.const 9) (i64.const 1000)))
            """, extra: Self.elementFunctions))
        #expect(r.stdout == "42\n77\n99\n55\n55\n")
        #expect(r.stderr == "zong: runtime error: out of bounds memory access in function get\n")
    }

    /// A loop that calls functions (which may grow memory) tests its fast arms against
    /// `ms_loop`, the size when the loop was entered: the test stays loop-invariant. An element
    /// in memory grown inside the loop takes the checked arm and is still read correctly.
    static let growingLoop = """
        (func $grow (drop (memory.grow (i32.const 1))))
        ;; sums elements [0, n) of base, growing the memory by a page before each read
        (func $sumGrowing (param $base i32) (param $n i64) (result i64)
          (local $i i64) (local $s i64)
          (block $done
            (loop $next
              (br_if $done (i64.ge_s (local.get $i) (local.get $n)))
              (call $grow)
              (if (i64.ge_u (local.get $i) (local.get $n)) (then unreachable))
              (local.set $s (i64.add (local.get $s)
                (i64.load (i32.add (local.get $base) (i32.mul (i32.wrap_i64 (local.get $i)) (i32.const 8))))))
              (local.set $i (i64.add (local.get $i) (i64.const 1)))
              (br $next)))
          (local.get $s))
        """

    @Test func fastArmsInALoopWithCallsUseTheSizeAtLoopEntry() throws {
        let c = try translate(wasm: try Harness.assemble(Harness.program("", extra: Self.growingLoop)))
        let sum = c.components(separatedBy: "/* function ").first { $0.contains(": sumGrowing */") } ?? ""
        #expect(sum.contains("uint64_t ms_loop = ms;"), "\(sum)")
        #expect(sum.contains("ms_loop = ms;\n") && sum.contains("ZRT_FITS(p_base, p_n, 8u, ms_loop)"), "\(sum)")
        // Re-entering through the back edge does not refresh it: the refresh comes before the label.
        let lines = sum.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let refresh = try #require(lines.lastIndex(of: "ms_loop = ms;"))
        #expect(refresh + 1 < lines.count && lines[refresh + 1].hasSuffix(":;"), "\(sum)")
        // Without calls or memory.grow the size never changes: no ms_loop.
        let plain = try translate(wasm: try Harness.assemble("(module (memory 1)\n\(Self.elementFunctions))"))
        #expect(!plain.contains("ms_loop"))
    }

    @Test func elementsInMemoryGrownInsideTheLoopAreReadExactly() throws {
        let r = try Harness.execute(Harness.program("""
            (i64.store (i32.const 1024) (i64.const 5))
            (i64.store (i32.const 1032) (i64.const 6))
            (call $print_i64 (call $sumGrowing (i32.const 1024) (i64.const 2)))
            ;; 2 pages to start with: 131072 and beyond exist only after the loop's first grow
            (call $print_i64 (call $sumGrowing (i32.const 131072) (i64.const 3)))
            ;; the last 8 bytes of 10 pages, but the memory has 2 + 2 + 3 + 1 = 8 pages at the read
            (call $print_i64 (call $sumGrowing (i32.const 655352) (i64.const 2)))
            """, extra: Self.growingLoop))
        #expect(r.stdout == "11\n0\n", "\(r.stderr)")
        #expect(r.stderr == "zong: runtime error: out of bounds memory access in function sumGrowing\n")
    }

    /// A check before a block, loop or if still covers accesses after its `end` (and in its
    /// `else`) when the frame does not write the local; a write anywhere inside, including on a
    /// path that branches out, ends it. A fact learned in the `then` arm is not used in `else`.
    @Test func factsFromBeforeAFrameHoldAfterItUnlessItWritesTheLocal() throws {
        let c = try translate(wasm: try Harness.assemble("""
            (module
              (memory 1)
              (func $afterIf (param $p i32) (param $c i32)
                (drop (i32.load offset=8 (local.get $p)))
                (if (local.get $c) (then (drop (i32.load offset=100 (local.get $c)))))
                (drop (i32.load offset=4 (local.get $p))))
              (func $inElse (param $p i32) (param $c i32)
                (drop (i32.load offset=8 (local.get $p)))
                (if (local.get $c)
                  (then (drop (i32.load offset=40 (local.get $p))))
                  (else (drop (i32.load offset=4 (local.get $p))) (drop (i32.load offset=40 (local.get $p))))))
              (func $afterLoop (param $p i32) (param $c i32)
                (drop (i32.load offset=8 (local.get $p)))
                (loop $l (local.set $c (i32.sub (local.get $c) (i32.const 1))) (br_if $l (local.get $c)))
                (drop (i32.load offset=4 (local.get $p))))
              (func $writtenOnABranchOut (param $p i32) (param $c i32)
                (drop (i32.load offset=8 (local.get $p)))
                (block $b
                  (if (local.get $c) (then (local.set $p (i32.const 65535)) (br $b))))
                (drop (i32.load offset=4 (local.get $p)))))
            """))
        let functions = c.components(separatedBy: "/* function ")
        func body(_ name: String) -> String { functions.first { $0.contains(": \(name) */") } ?? "" }
        #expect(body("afterIf").contains("zrt_i32_load_nc(mb, si0, 4u)"), "\(body("afterIf"))")
        #expect(body("inElse").contains("zrt_i32_load_nc(mb, si0, 4u)"), "\(body("inElse"))")
        #expect(body("inElse").components(separatedBy: "zrt_i32_load(mb, ms, si0, 40u").count == 3, "\(body("inElse"))")
        #expect(body("afterLoop").contains("zrt_i32_load_nc(mb, si0, 4u)"), "\(body("afterLoop"))")
        #expect(!body("writtenOnABranchOut").contains("_nc("), "\(body("writtenOnABranchOut"))")
    }

    /// A fact learned inside a frame holds after its `end` when every way there knows it: both
    /// arms of an if (the smaller extent), a branch out and the fall-through, the last part of a
    /// loop body. One way without the fact (a branch before the check, an if without else) is
    /// enough to lose it.
    @Test func factsLearnedInsideAFrameHoldAfterItWhenEveryWayThereKnowsThem() throws {
        let c = try translate(wasm: try Harness.assemble("""
            (module
              (memory 1)
              (func $bothArms (param $p i32) (param $c i32)
                (if (local.get $c)
                  (then (drop (i32.load offset=8 (local.get $p))))
                  (else (drop (i32.load offset=12 (local.get $p)))))
                (drop (i32.load offset=4 (local.get $p))))
              (func $branchAndFallThrough (param $p i32) (param $c i32)
                (block $b
                  (drop (i32.load offset=8 (local.get $p)))
                  (br_if $b (local.get $c))
                  (drop (i32.load offset=16 (local.get $p))))
                (drop (i32.load offset=4 (local.get $p))))
              (func $afterLoopBody (param $p i32) (param $c i32)
                (loop $l
                  (drop (i32.load offset=8 (local.get $p)))
                  (local.set $c (i32.sub (local.get $c) (i32.const 1)))
                  (br_if $l (local.get $c)))
                (drop (i32.load offset=4 (local.get $p))))
              (func $branchBeforeTheCheck (param $p i32) (param $c i32)
                (block $b
                  (br_if $b (local.get $c))
                  (drop (i32.load offset=8 (local.get $p))))
                (drop (i32.load offset=4 (local.get $p))))
              (func $ifWithoutElse (param $p i32) (param $c i32)
                (if (local.get $c) (then (drop (i32.load offset=8 (local.get $p)))))
                (drop (i32.load offset=4 (local.get $p))))
              (func $writtenAfterTheBranch (param $p i32) (param $c i32)
                (block $b
                  (drop (i32.load offset=8 (local.get $p)))
                  (br_if $b (local.get $c))
                  (local.set $p (i32.const 65535)))
                (drop (i32.load offset=4 (local.get $p)))))
            """))
        let functions = c.components(separatedBy: "/* function ")
        func body(_ name: String) -> String { functions.first { $0.contains(": \(name) */") } ?? "" }
        for name in ["bothArms", "branchAndFallThrough", "afterLoopBody"] {
            #expect(body(name).contains("zrt_i32_load_nc(mb, si0, 4u)"), "\(name): \(body(name))")
        }
        for name in ["branchBeforeTheCheck", "ifWithoutElse", "writtenAfterTheBranch"] {
            #expect(body(name).contains("zrt_i32_load(mb, ms, si0, 4u"), "\(name): \(body(name))")
        }
    }

    /// Loads from one base with nothing observable between them share the first one's check,
    /// widened to the largest extent (CheckWindows.swift).
    @Test func loadsInAWindowShareOneWidenedCheck() throws {
        let c = try translate(wasm: try Harness.assemble("""
            (module
              (memory 1)
              (func $f (param $p i32) (result i64) (local $t i64)
                (local.set $t (i64.load (local.get $p)))
                (local.set $t (i64.add (local.get $t) (i64.load offset=8 (local.get $p))))
                (i64.add (local.get $t) (i64.load offset=32 (local.get $p)))))
            """))
        #expect(c.contains("ZRT_CHECK(ms, (uint64_t)p_p, UINT64_C(40), 0, "), "\(c)")
        #expect(c.contains("zrt_i64_load_nc(mb, si1, 8u)") && c.contains("zrt_i64_load_nc(mb, si1, 32u)"), "\(c)")
    }

    /// A store, call, division, global write, branch, write of the base or checked access from
    /// another address ends the window: a widened check would trap before their effect (or
    /// their own trap).
    @Test func windowsEndAtEverythingObservable() throws {
        for between in ["(i32.store (i32.const 0) (i32.const 1))", "(call $g)", "(drop (i32.div_s (local.get $p) (local.get $p)))",
                        "(global.set $h (i32.const 1))", "(block (br_if 0 (local.get $p)))", "(local.set $p (i32.const 8))",
                        "(drop (i32.load (i32.add (local.get $p) (i32.const 4))))"] {
            let c = try translate(wasm: try Harness.assemble("""
                (module
                  (memory 1)
                  (global $h (mut i32) (i32.const 0))
                  (func $g)
                  (func $f (param $p i32)
                    (drop (i32.load (local.get $p)))
                    \(between)
                    (drop (i32.load offset=8 (local.get $p)))))
                """))
            #expect(!c.contains("ZRT_CHECK("), "\(between): \(c)")
            #expect(c.contains("zrt_i32_load(mb, ms, si0, 8u, "), "\(between): \(c)")
        }
    }

    @Test func aWidenedCheckTrapsAsTheLaterAccessWould() throws {
        let r = try Harness.execute(Harness.program("""
            (call $print_i64 (call $sum (i32.const 1000)))
            (call $print_i64 (call $sum (i32.const 131000)))
            """, extra: """
            (func $sum (param $p i32) (result i64)
              (i64.add (i64.load (local.get $p)) (i64.load offset=100 (local.get $p))))
            """))
        #expect(r.stdout == "0\n")
        #expect(r.stderr == "zong: runtime error: out of bounds memory access in function sum\n")
        let printed = try Harness.execute(Harness.program("""
            (drop (call $twice (i32.const 131000)))
            """, extra: """
            (func $twice (param $p i32) (result i64)
              (drop (i64.load (local.get $p)))
              (call $print_i64 (i64.const 5))
              (i64.load offset=100 (local.get $p)))
            """))
        #expect(printed.stdout == "5\n", "the call between the loads ran before the trap")
        #expect(printed.stderr == "zong: runtime error: out of bounds memory access in function twice\n")
    }

    /// A check made through a copy of a local covers the local too, and facts about locals a
    /// loop never writes hold inside it.
    @Test func factsFollowCopiesAndSurviveLoopsThatDoNotWriteTheLocal() throws {
        let c = try translate(wasm: try Harness.assemble("""
            (module
              (memory 1)
              (func $invariant (param $p i32) (param $n i32) (local $t i32)
                (local.set $t (local.get $p))
                (drop (i32.load offset=8 (local.get $t)))
                (loop $l
                  (local.set $t (local.get $p))
                  (drop (i32.load offset=4 (local.get $t)))
                  (drop (i32.load offset=8 (local.get $p)))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $l (local.get $n))))
              (func $written (param $p i32) (param $n i32)
                (drop (i32.load offset=8 (local.get $p)))
                (loop $l
                  (drop (i32.load offset=4 (local.get $p)))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $l (local.get $n)))))
            """))
        // [prototypes, the first definition, the second definition]
        let parts = c.components(separatedBy: "static void zong_written(uint32_t")
        #expect(parts.count == 3, "\(c)")
        let invariant = parts.dropLast().last ?? ""
        #expect(invariant.components(separatedBy: "_nc(").count == 3, "\(c)")
        let written = parts.last ?? ""
        #expect(!written.contains("_nc("), "\(written)")
    }
}
