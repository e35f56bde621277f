import Foundation
import Testing
@testable import W2C

/// Set W2C_DUMP=file.wat to print the C for a WAT file (a debugging aid; passes otherwise).
@Test func dumpIfRequested() throws {
    guard let path = ProcessInfo.processInfo.environment["W2C_DUMP"] else { return }
    let wat = try String(contentsOfFile: path, encoding: .utf8)
    let c = try translate(wasm: try Harness.assemble(wat))
    try c.write(toFile: path + ".c", atomically: true, encoding: .utf8)
}

/// Set W2C_REPORT=1 to print hello-world build timings (cold runtime cache, then cached).
@Test func buildReportIfRequested() throws {
    guard ProcessInfo.processInfo.environment["W2C_REPORT"] != nil else { return }
    let wasm = try Harness.assemble(Harness.program("(call $write (i32.const 1000) (i32.const 14))", extra: "(data (i32.const 1000) \"Hello, world!\\n\")"))
    let t0 = Date()
    let c = try translate(wasm: wasm)
    let translateSeconds = Date().timeIntervalSince(t0)
    let dir = try Harness.tempDir()
    var options = NativeBuildOptions()
    options.cacheDirectory = dir + "/cache"
    options.runtimeSources = runtimeCSources
    for round in ["cold", "cached"] {
        let t = Date()
        let r = try buildNativeExecutable(cSource: c, output: dir + "/hello", options: options)
        print("\(round): total \(Date().timeIntervalSince(t)) s; runtime \(r.runtimeSeconds) compile \(r.compileSeconds) link \(r.linkSeconds); C \(r.cSourceBytes) B, binary \(r.executableBytes) B; translate \(translateSeconds) s")
    }
    print(try Harness.run(dir + "/hello").stdout)
}
