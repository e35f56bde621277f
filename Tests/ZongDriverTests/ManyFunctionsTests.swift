import Testing

/// Many functions through every stage, some of which run their tasks on several threads.
@Suite struct ManyFunctionsTests {
    /// Through the real binary, natively and interpreted: 40 functions (so checking and encoding
    /// run their tasks on several threads), each with a string literal, appends, an index and a
    /// struct result, then a panic whose location comes from the static data.
    @Test func manyFunctionsRunThroughTheBinary() throws {
        var source = "struct P(a: I64, b: I64);\n"
        for i in 0..<40 {
            source += """
                func mk\(i)(_ n: I64): P { return P(a: n, b: n * \(i)); }
                func f\(i)(_ n: I64): I64 {
                    var s: I64[];
                    var k: I64 = 0;
                    loop { if k >= n { break; } append(s&, k * \(i)); k = k + 1; }
                    print_bytes("f\(i)\\n");
                    return s[n - 1] + mk\(i)(n).b;
                }

                """
        }
        source += "func main() {\n"
        for i in 0..<40 { source += "    print(f\(i)(3));\n" }
        source += "    print(f7(0));\n}\n"
        let path = try ZongBinary.write(source)
        // f(i) prints its name, then s[2] + 3i = 2i + 3i; f7(0) panics in f7's return line.
        let expected = (0..<40).map { "f\($0)\n\(5 * $0)\n" }.joined() + "f7\n"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let f7ReturnLine = try #require(lines.firstIndex { $0.hasPrefix("func f7(") }) + 1 + 5
        for mode in [["run"], ["run", "--interp"]] {
            let r = try ZongBinary.run(mode + [path])
            #expect(String(decoding: r.stdout, as: UTF8.self) == expected, "\(mode)")
            #expect(r.status == 2, "\(mode): \(r.stderr)")
            #expect(r.stderr.hasPrefix("zong: runtime error: index out of range [-1] with length 0 at \(path):\(f7ReturnLine):"),
                    "\(mode): \(r.stderr)")
        }
    }
}
