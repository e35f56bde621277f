import Foundation
import Testing

/// `read_line()` (LANGUAGE.md §8.3): the next line including its `\n`, byte-exact (a `\r` is
/// kept, any byte value passes), the last line without a newline as it is, empty at end of
/// input and after it; lines of any length, across the runtime's input buffer.
struct LineInput: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var testDescription: String { name }

    static let all: [LineInput] = {
        var long = [UInt8]()
        long.reserveCapacity(1_000_001)
        for i in 0..<1_000_000 {
            let b = UInt8(truncatingIfNeeded: i &* 7 &+ i / 256)
            long.append(b == 10 ? 11 : b)  // every byte value but the newline
        }
        var varied = [UInt8]()
        for length in 0..<300 {
            for k in 0..<length { varied.append(UInt8(truncatingIfNeeded: 32 + (k * 31 + length) % 200)) }
            varied.append(10)
        }
        return [
            LineInput(name: "empty input", bytes: []),
            LineInput(name: "one line without a trailing newline", bytes: Array("no newline here".utf8)),
            LineInput(name: "only a newline", bytes: [10]),
            LineInput(name: "several lines then EOF", bytes: Array("first\nsecond line\n\nthird\n".utf8)),
            LineInput(name: "CRLF kept byte-exact", bytes: Array("a\r\nbb\r\n\r\n\rc\r".utf8)),
            LineInput(name: "a 1 MB line, then a last line without newline", bytes: long + [10] + Array("tail".utf8)),
            LineInput(name: "300 lines of growing length across the input buffer", bytes: varied),
            LineInput(name: "lines of 4095, 4096 and 4097 bytes (the input buffer's size)",
                      bytes: [UInt8](repeating: 120, count: 4094) + [10] + [UInt8](repeating: 121, count: 4095) + [10]
                          + [UInt8](repeating: 122, count: 4096) + [10] + [UInt8](repeating: 13, count: 4096)),
            LineInput(name: "NUL and 0xFF bytes", bytes: [0, 255, 0, 10, 255, 13, 10, 0]),
        ]
    }()

    /// The program below prints, per line, its length and its bytes; then the line count and
    /// the length of two more reads after the end.
    var expectedOutput: Data {
        var out = Data()
        var count = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            if end < bytes.count { end += 1 }
            out += Data("\(end - start)\n".utf8)
            out += Data(bytes[start..<end])
            count += 1
            start = end
        }
        out += Data("\(count)\n0\n0\n".utf8)
        return out
    }
}

@Suite struct ReadLineTests {
    static let echo = """
        {
            var count: I64 = 0;
            loop {
                var line: U8[] = read_line();
                if line.length == 0 { break; }
                print(line.length);
                print_bytes(line);
                count = count + 1;
            }
            print(count);
            print(read_line().length);
            var again: U8[] = read_line();
            print(again.length);
        }
        """

    @Test(arguments: LineInput.all, Mode.allCases)
    func echo(_ input: LineInput, _ mode: Mode) throws {
        let program = try ZongProgram(Self.echo, fileName: "echo.zong")
        defer { program.remove() }
        if mode == .native, input.bytes.isEmpty { try program.validateModule() }
        let result = try program.run(mode, stdin: Data(input.bytes))
        #expect(result.status == 0, "\(result.stderr)")
        let expected = input.expectedOutput
        #expect(result.stdout.count == expected.count)
        if result.stdout != expected {
            let prefix = result.stdout.prefix(200)
            Issue.record("output differs; first bytes: \(Array(prefix))")
        }
    }

    /// Each call returns fresh storage: appending to one line (into its spare capacity) and
    /// writing into it never changes the next line, and the other way round.
    @Test(arguments: Mode.allCases)
    func linesAreIndependent(_ mode: Mode) throws {
        let program = try ZongProgram("""
            func main() {
                var a: U8[] = read_line();
                append(a&, 33);
                append(a&, 10);
                var b: U8[] = read_line();
                a[0] = 65;
                b[0] = 66;
                append(b&, 63);
                print_bytes(a);
                print_bytes(b);
                var c: U8[] = read_line();
                print(c.length);
            }
            """, fileName: "fresh.zong")
        defer { program.remove() }
        let result = try program.run(mode, stdin: Data("xyz\nuvw\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "Ayz\n!\nBvw\n?0\n")
    }
}
