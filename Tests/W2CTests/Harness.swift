import Foundation
import Testing

@testable import W2C

/// Assembles WAT with wabt's wat2wasm, translates with W2C, builds with NativeBuild (the same
/// file as Sources/ZongDriver/NativeBuild.swift, linked into this test target), runs the result.
enum Harness {
    static let wat2wasm: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"] {
            let p = dir + "/wat2wasm"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    static var hasWat2wasm: Bool { wat2wasm != nil }
    static let skipMessage: Comment = "wat2wasm not found: install wabt (apt-get install wabt) to run the W2C tests"

    static let cacheDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("zong-w2c-test-cache").path

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("w2c-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// WAT text -> WASM bytes.
    static func assemble(_ wat: String, check: Bool = true) throws -> [UInt8] {
        guard let wat2wasm else { throw Failure(description: "wat2wasm not found") }
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try wat.write(toFile: dir + "/m.wat", atomically: true, encoding: .utf8)
        let r = try run(wat2wasm, args: ["--debug-names", dir + "/m.wat", "-o", dir + "/m.wasm"] + (check ? [] : ["--no-check"]))
        guard r.status == 0 else { throw Failure(description: "wat2wasm failed: \(r.stderr)") }
        return Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/m.wasm")))
    }

    /// WAT -> C -> executable; returns the executable's path.
    static func build(
        _ wat: String, options: W2COptions = .init(), sanitize: String? = nil, optimization: String = "-O2"
    ) throws -> String {
        let wasm = try assemble(wat)
        let c = try translate(wasm: wasm, options: options)
        return try buildC(c, sanitize: sanitize, optimization: optimization)
    }

    static func buildC(_ c: String, sanitize: String? = nil, optimization: String = "-O2") throws -> String {
        let dir = try tempDir()
        var native = NativeBuildOptions()
        native.warningsAsErrors = true
        native.sanitize = sanitize
        native.optimization = optimization
        native.cacheDirectory = cacheDirectory
        native.runtimeSources = runtimeCSources
        let exe = dir + "/prog"
        do {
            _ = try buildNativeExecutable(cSource: c, output: exe, options: native)
        } catch {
            try? c.write(toFile: dir + "/failed.c", atomically: true, encoding: .utf8)
            throw Failure(description: "\(error)\n(C kept in \(dir)/failed.c)")
        }
        return exe
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var signaled: Bool
    }

    /// Runs a process with an empty environment unless one is given; output goes through files
    /// so a big output cannot deadlock a pipe.
    static func run(_ path: String, args: [String] = [], stdin: String = "", env: [String: String] = [:]) throws -> Result {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outPath = dir + "/out", errPath = dir + "/err", inPath = dir + "/in"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data(stdin.utf8))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.environment = env
        p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        p.waitUntilExit()
        let out = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(), as: UTF8.self)
        let err = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(), as: UTF8.self)
        return Result(status: p.terminationStatus, stdout: out, stderr: err, signaled: p.terminationReason == .uncaughtSignal)
    }

    /// Build and run in one step.
    static func execute(
        _ wat: String, args: [String] = [], stdin: String = "", env: [String: String] = [:],
        options: W2COptions = .init(), sanitize: String? = nil
    ) throws -> Result {
        let exe = try build(wat, options: options, sanitize: sanitize)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: exe).deletingLastPathComponent().path) }
        return try run(exe, args: args, stdin: stdin, env: env)
    }

    /// A module prelude: WASI fd_write/proc_exit, a memory, and `$print_i64` / `$print_str`
    /// helpers writing decimal numbers and strings to stdout.
    static let prelude = """
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 2 10)
          ;; scratch: 0..15 iovec + nwritten, 16..63 digit buffer
          (func $write (param $ptr i32) (param $len i32)
            (i32.store (i32.const 0) (local.get $ptr))
            (i32.store (i32.const 4) (local.get $len))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
          (func $print_i64 (param $v i64)
            (local $p i32) (local $neg i32)
            (local.set $p (i32.const 63))
            (i32.store8 (local.get $p) (i32.const 10))
            (if (i64.lt_s (local.get $v) (i64.const 0))
              (then (local.set $neg (i32.const 1)) (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
            (loop $digits
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
              (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
              (br_if $digits (i64.ne (local.get $v) (i64.const 0))))
            (if (local.get $neg)
              (then (local.set $p (i32.sub (local.get $p) (i32.const 1))) (i32.store8 (local.get $p) (i32.const 45))))
            (call $write (local.get $p) (i32.sub (i32.const 64) (local.get $p))))
          (func $print (param $v i32) (call $print_i64 (i64.extend_i32_s (local.get $v))))
        """

    /// A module with the prelude and a `_start` whose body is `body`.
    static func program(_ body: String, extra: String = "") -> String {
        "(module\n\(prelude)\n\(extra)\n  (func (export \"_start\")\n\(body))\n)\n"
    }
}
