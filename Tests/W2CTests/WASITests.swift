import Foundation
import Testing

@testable import W2C

/// WASI preview1 as runtime-c implements it: results, errno values, guest pointer checks.
@Suite(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) struct WASITests {
    static let imports = """
        (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "clock_res_get" (func $clock_res_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
        """

    /// The prelude's imports must come first, so this module is spelled out.
    static func module(_ body: String, extra: String = "") -> String {
        let prelude = Harness.prelude
        let cut = prelude.range(of: "(memory")!.lowerBound
        return "(module\n\(prelude[..<cut])\(imports)\n\(prelude[cut...])\n\(extra)\n(func (export \"_start\") (local $i i32) (local $n i32)\n\(body))\n)"
    }

    /// Prints every string of a NUL-separated buffer at `buf` (`count` strings) on its own line.
    static let printStrings = """
        (func $print_strings (param $ptrs i32) (param $count i32) (local $s i32) (local $e i32)
          (block $done (loop $next
            (br_if $done (i32.eqz (local.get $count)))
            (local.set $s (i32.load (local.get $ptrs)))
            (local.set $e (local.get $s))
            (block $end (loop $scan
              (br_if $end (i32.eqz (i32.load8_u (local.get $e))))
              (local.set $e (i32.add (local.get $e) (i32.const 1)))
              (br $scan)))
            (i32.store8 (local.get $e) (i32.const 10))
            (call $write (local.get $s) (i32.add (i32.sub (local.get $e) (local.get $s)) (i32.const 1)))
            (local.set $ptrs (i32.add (local.get $ptrs) (i32.const 4)))
            (local.set $count (i32.sub (local.get $count) (i32.const 1)))
            (br $next))))
        """

    @Test func argsAndEnviron() throws {
        let wat = Self.module("""
            (call $print (call $args_sizes_get (i32.const 100) (i32.const 104)))
            (call $print (i32.load (i32.const 100)))
            (call $print (i32.load (i32.const 104)))
            (call $print (call $args_get (i32.const 200) (i32.const 1000)))
            (call $print_strings (i32.const 204) (i32.sub (i32.load (i32.const 100)) (i32.const 1)))
            (call $print (call $environ_sizes_get (i32.const 100) (i32.const 104)))
            (call $print (i32.load (i32.const 100)))
            (call $print (call $environ_get (i32.const 200) (i32.const 2000)))
            (call $print_strings (i32.const 200) (i32.load (i32.const 100)))
            (call $print (call $args_get (i32.const 200) (i32.const 131070)))
            (call $print (call $args_sizes_get (i32.const -1) (i32.const 104)))
            """, extra: Self.printStrings)
        let exe = try Harness.build(wat)
        let r = try Harness.run(exe, args: ["hello", "wörld"], env: ["ZONG_TEST": "1"])
        let progLen = exe.utf8.count + 1
        #expect(r.stdout == "0\n3\n\(progLen + 6 + 7)\n0\nhello\nwörld\n0\n1\n0\nZONG_TEST=1\n21\n21\n", "\(r.stderr)")
        #expect(r.status == 0)
    }

    @Test func readStdinAndWriteStderr() throws {
        let wat = Self.module("""
            (i32.store (i32.const 100) (i32.const 1000))
            (i32.store (i32.const 104) (i32.const 64))
            (call $print (call $fd_read (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 108)))
            (call $print (i32.load (i32.const 108)))
            (i32.store (i32.const 104) (i32.load (i32.const 108)))
            (call $print (call $fd_write (i32.const 2) (i32.const 100) (i32.const 1) (i32.const 108)))
            (call $print (i32.load (i32.const 108)))
            (call $print (call $fd_read (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 108)))
            (call $print (i32.load (i32.const 108)))
            """)
        let r = try Harness.execute(wat, stdin: "line one\n")
        #expect(r.stdout == "0\n9\n0\n9\n0\n0\n")
        #expect(r.stderr == "line one\n")
    }

    @Test func badPointersReturnEFAULT() throws {
        let wat = Self.module("""
            ;; iovec array outside memory
            (call $print (call $fd_write (i32.const 1) (i32.const -16) (i32.const 1) (i32.const 8)))
            ;; buffer outside memory
            (i32.store (i32.const 100) (i32.const 131000))
            (i32.store (i32.const 104) (i32.const 1000))
            (call $print (call $fd_write (i32.const 1) (i32.const 100) (i32.const 1) (i32.const 8)))
            ;; huge length wrapping around
            (i32.store (i32.const 100) (i32.const 16))
            (i32.store (i32.const 104) (i32.const -1))
            (call $print (call $fd_write (i32.const 1) (i32.const 100) (i32.const 1) (i32.const 8)))
            (call $print (call $fd_read (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 8)))
            ;; result pointer outside memory
            (i32.store (i32.const 104) (i32.const 1))
            (call $print (call $fd_write (i32.const 1) (i32.const 100) (i32.const 1) (i32.const 131072)))
            (call $print (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 131068)))
            (call $print (call $random_get (i32.const 131000) (i32.const 1000)))
            (call $print (call $fd_fdstat_get (i32.const 1) (i32.const -1)))
            (call $print (call $fd_seek (i32.const 1) (i64.const 0) (i32.const 0) (i32.const 131070)))
            (call $print (call $environ_get (i32.const -4) (i32.const 0)))
            """)
        let r = try Harness.execute(wat)
        #expect(r.stdout == Array(repeating: "21\n", count: 10).joined(), "\(r.stderr)")
        #expect(r.status == 0)
    }

    /// A descriptor that is not open is EBADF (8) even when there is nothing to read or write,
    /// as wasmkit and the kernel report it; it used to succeed with 0 bytes.
    @Test func badDescriptorsReturnEBADF() throws {
        let wat = Self.module("""
            (i32.store (i32.const 100) (i32.const 200))
            (i32.store (i32.const 104) (i32.const 1))
            (call $print (call $fd_write (i32.const 77) (i32.const 100) (i32.const 1) (i32.const 108)))
            (call $print (call $fd_write (i32.const 77) (i32.const 100) (i32.const 0) (i32.const 108)))
            (call $print (call $fd_write (i32.const -1) (i32.const 100) (i32.const 0) (i32.const 108)))
            (call $print (call $fd_read (i32.const 77) (i32.const 100) (i32.const 0) (i32.const 108)))
            (call $print (call $fd_write (i32.const 2) (i32.const 100) (i32.const 0) (i32.const 108)))
            (call $print (call $fd_write (i32.const 1) (i32.const 100) (i32.const 0) (i32.const 108)))
            """)
        let r = try Harness.execute(wat)
        #expect(r.stdout == "8\n8\n8\n8\n0\n0\n", "\(r.stderr)")
        #expect(r.status == 0)
    }

    @Test func clocksRandomFdsAndExit() throws {
        let wat = Self.module("""
            (call $print (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 100)))
            (call $print (i64.gt_u (i64.load (i32.const 100)) (i64.const 0)))
            (call $print (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 100)))
            (call $print (i64.gt_u (i64.load (i32.const 100)) (i64.const 1600000000000000000)))
            (call $print (call $clock_time_get (i32.const 99) (i64.const 1) (i32.const 100)))
            (call $print (call $clock_res_get (i32.const 1) (i32.const 100)))
            (call $print (call $random_get (i32.const 200) (i32.const 16)))
            (call $print (call $random_get (i32.const 216) (i32.const 16)))
            (call $print (i64.ne (i64.load (i32.const 200)) (i64.load (i32.const 216))))
            (call $print (call $fd_prestat_get (i32.const 3) (i32.const 100)))
            (call $print (call $fd_prestat_dir_name (i32.const 3) (i32.const 100) (i32.const 10)))
            (call $print (call $fd_fdstat_get (i32.const 1) (i32.const 100)))
            (call $print (i32.load8_u (i32.const 100)))
            (call $print (call $fd_close (i32.const 77)))
            (call $print (call $fd_seek (i32.const 77) (i64.const 0) (i32.const 0) (i32.const 100)))
            (call $print (call $fd_seek (i32.const 1) (i64.const 0) (i32.const 9) (i32.const 100)))
            (call $proc_exit (i32.const 7))
            (call $print (i32.const 999))
            """)
        let r = try Harness.execute(wat)
        // stdout is a regular file in the harness: filetype 4.
        // fd 3 is the preopened directory "/" (issue 20): prestat and its name succeed.
        #expect(r.stdout == "0\n1\n0\n1\n28\n0\n0\n0\n1\n0\n0\n0\n4\n8\n8\n28\n", "\(r.stderr)")
        #expect(r.status == 7)
    }

    @Test func aMillionLinesAreBuffered() throws {
        let wat = Harness.program("""
            (local $i i32)
            (loop $next
              (call $write (i32.const 1000) (i32.const 12))
              (local.tee $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $next (i32.lt_u (i32.const 1000000))))
            """, extra: "(data (i32.const 1000) \"hello world\\n\")")
        let exe = try Harness.build(wat)
        let start = Date()
        let r = try Harness.run(exe)
        let seconds = Date().timeIntervalSince(start)
        #expect(r.stdout.utf8.count == 12_000_000)
        #expect(r.stdout.hasPrefix("hello world\nhello world\n"))
        #expect(seconds < 2.0, "a million lines took \(seconds) s")
    }

    @Test func wasiUnderSanitizers() throws {
        let wat = Self.module("""
            (call $print (call $args_sizes_get (i32.const 100) (i32.const 104)))
            (call $print (call $fd_write (i32.const 1) (i32.const -16) (i32.const 1) (i32.const 8)))
            (call $print (call $random_get (i32.const 200) (i32.const 64)))
            """)
        let r = try Harness.execute(wat, sanitize: "undefined,address")
        #expect(r.stdout == "0\n21\n0\n", "\(r.stderr)")
        #expect(r.status == 0)
    }
}
