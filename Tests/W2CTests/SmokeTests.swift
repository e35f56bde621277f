import Testing
@testable import W2C

@Suite struct SmokeTests {
    @Test(.enabled(if: Harness.hasWat2wasm)) func fibPrints() throws {
        let r = try Harness.execute(Harness.program("""
            (call $print (call $fib (i32.const 20)))
            """, extra: """
            (func $fib (param $n i32) (result i32)
              (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
                (then (local.get $n))
                (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                               (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
            """))
        #expect(r.stdout == "6765\n")
        #expect(r.status == 0)
    }
}
