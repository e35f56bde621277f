import Foundation
import Testing
import ZongDriver

/// Issue 19 through the real binary: bounded time and memory on hostile input, clean failure
/// on every input, and the last-resort handler.
@Suite(.serialized) struct ReliabilityTests {
    static func measure(_ arguments: [String], stdinPath: String? = nil) throws -> ProcessMeasurement {
        guard let zong = ZongBinary.executable else { throw ZongBinary.NotBuilt() }
        let scratch = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try MeasuredProcess.run([zong] + arguments, stdinPath: stdinPath, scratch: scratch.path,
                                       helper: try MeasuredProcess.helper())
    }

    static func looksLikeACrash(_ text: String) -> Bool {
        ["Fatal error", "Backtrac", "Stack dump", "Illegal instruction", "Segmentation", "NSCocoaErrorDomain", "*** Signal"]
            .contains { text.contains($0) }
    }

    /// Deterministic junk: random bytes, a third of them printable punctuation and letters.
    static func junk(_ count: Int, seed: UInt64) -> Data {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        let printable = Array("{}()[];:,.=+-*/<>!&|^%\"'abcXYZ019 \n\t_".utf8)
        for i in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let r = state >> 32
            bytes[i] = r % 3 == 0 ? printable[Int(r >> 8) % printable.count] : UInt8(truncatingIfNeeded: r >> 16)
        }
        return Data(bytes)
    }

    // MARK: last-resort handler

    @Test(arguments: ["trap", "segv", "overflow"]) func internalCrashIsOneMessageAndStatus70(_ kind: String) throws {
        let r = try ZongBinary.run(["check", "nothing.zong"], environment: ["ZONG_TEST_CRASH": kind])
        #expect(r.status == 70, "\(r.stderr)")
        #expect(r.stderr.contains("zong: internal error: the compiler crashed ("), "\(r.stderr)")
        #expect(r.stderr.contains("please report it"), "\(r.stderr)")
        #expect(!r.stderr.contains("Backtrac") && !r.stderr.contains("*** Signal"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count <= 3, "\(r.stderr)")
    }
}
