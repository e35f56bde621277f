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
