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

    // MARK: input limits

    @Test func endlessStandardInputGetsTheSizeError() throws {
        let m = try Self.measure(["check", "-"], stdinPath: "/dev/zero")
        let err = String(decoding: m.stderr, as: UTF8.self)
        #expect(m.status == 1, "\(err)")
        #expect(err == "<stdin>:1:1: error: the source is larger than the limit of 67108864 bytes (64 MiB); --max-source-size BYTES raises it\n")
        #expect(m.peakMemoryBytes < 400 << 20, "peak \(m.peakMemoryBytes)")
        #expect(m.wallSeconds < 10)
    }

    @Test func hugeFilesGetTheSizeErrorWithoutBeingRead() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("huge.zong").path
        // 300 MB, sparse: the size alone decides.
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 300_000_000) == 0)
        let m = try Self.measure(["check", path])
        let err = String(decoding: m.stderr, as: UTF8.self)
        #expect(m.status == 1)
        #expect(err.hasPrefix("\(path):1:1: error: the source is larger than the limit"), "\(err)")
        #expect(m.peakMemoryBytes < 200 << 20 && m.wallSeconds < 5, "\(m.peakMemoryBytes) \(m.wallSeconds)")
        // The limit is configurable, both ways.
        let small = try ZongBinary.write("func main() { print(1); }\n")
        let r = try ZongBinary.run(["check", small, "--max-source-size", "10"])
        expectOneLine(r, status: 1, "\(small):1:1: error: the source is larger than the limit of 10 bytes; --max-source-size")
        #expect(try ZongBinary.run(["check", small, "--max-source-size", "100"]).status == 0)
        let zero = try ZongBinary.run(["check", small, "--max-source-size", "0"])
        #expect(zero.status == 64 && zero.stderr.contains("--max-source-size must be a positive number"), "\(zero.stderr)")
    }

    @Test func fiftyMegabytesOfJunkStopAtTheErrorLimit() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("junk.zong").path
        try Self.junk(50_000_000, seed: 19).write(to: URL(fileURLWithPath: path))
        for format in ["text", "json"] {
            let m = try Self.measure(["check", path, "--diagnostics-format", format])
            let err = String(decoding: m.stderr, as: UTF8.self)
            print("50 MB of junk, \(format): \(String(format: "%.2f", m.wallSeconds)) s, peak \(m.peakMemoryBytes >> 20) MiB")
            #expect(m.status == 1)
            #expect(m.wallSeconds < 5, "\(m.wallSeconds) s")
            #expect(m.peakMemoryBytes < 500 << 20, "peak \(m.peakMemoryBytes)")
            #expect(!Self.looksLikeACrash(err))
            let lines = err.split(separator: "\n")
            if format == "json" {
                #expect(lines.count == 51)
                #expect(lines.last?.contains("\"message\":\"too many errors emitted, stopping now (--error-limit 50)\"") == true, "\(lines.last ?? "")")
            } else {
                #expect(lines.last == "\(path): error: too many errors emitted, stopping now (--error-limit 50)")
                #expect(lines.filter { $0.hasPrefix(path + ":") && $0.contains(": error: ") }.count == 51)
            }
        }
        // --error-limit N, and 0 for none.
        let small = dir.appendingPathComponent("small.zong").path
        try Data("func main() { @ # $ ` @ # $ ` }\n".utf8).write(to: URL(fileURLWithPath: small))
        let three = try ZongBinary.run(["check", small, "--error-limit", "3"])
        #expect(three.stderr.hasSuffix("error: too many errors emitted, stopping now (--error-limit 3)\n"), "\(three.stderr)")
        #expect(three.stderr.components(separatedBy: ": error: ").count - 1 == 4)
        let all = try ZongBinary.run(["check", small, "--error-limit", "0"])
        #expect(!all.stderr.contains("too many errors"), "\(all.stderr)")
        #expect(all.stderr.components(separatedBy: ": error: ").count - 1 >= 8, "\(all.stderr)")
    }
}
