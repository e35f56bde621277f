import Foundation
import Testing

/// Every runtime error kind (LANGUAGE.md §10.7, ARCHITECTURE.md "One contract"), natively and
/// under the interpreter: the exact message and source location on stderr, nothing else there,
/// exit status 2, and everything printed before the fault still on stdout.
struct Fault: Sendable, CustomTestStringConvertible {
    var name: String
    var source: String
    var options: [String] = []
    var stdin: [UInt8] = []
    /// What the program prints before it fails.
    var stdout: String
    var message: String
    /// The faulting construct: its first appearance (or the `occurrence`-th) in the source gives
    /// the reported location. nil for traps only the machine sees, reported `in function NAME`.
    var at: String?
    var occurrence = 1
    var inFunction: String?

    var testDescription: String { name }

    func expectedStderr(_ program: ZongProgram) -> String {
        if let at { return runtimeError("\(message) at \(program.location(of: at, occurrence: occurrence))") }
        return runtimeError("\(message) in function \(inFunction ?? "?")")
    }
}

/// A prefix that every fault program runs first, so the test sees that output printed before a
/// fault is flushed (natively stdout is buffered by runtime-c).
private let preamble = """
        print(11);
        print_bytes("before the fault\\n");
    """
private let preambleOutput = "11\nbefore the fault\n"

/// Structs of 64, 512 and 4096 bytes: frames big enough to exhaust the tstack quickly.
private let bigStructs = """
    struct S64(a: I64, b: I64, c: I64, d: I64, e: I64, f: I64, g: I64, h: I64);
    struct S512(a: S64, b: S64, c: S64, d: S64, e: S64, f: S64, g: S64, h: S64);
    struct S4K(a: S512, b: S512, c: S512, d: S512, e: S512, f: S512, g: S512, h: S512);

    """

let faults: [Fault] = [
    Fault(name: "index read past the end", source: """
        func main() {
        \(preamble)
            var s: I64[] = I64[]();
            append(s&, 10);
            append(s&, 20);
            append(s&, 30);
            var i: I64 = 2;
            print(s[i]);
            i = i + 3;
            print(s[i]);
            print(99);
        }
        """, stdout: preambleOutput + "30\n", message: "index out of range [5] with length 3", at: "s[i]", occurrence: 2),
    Fault(name: "index write with a negative index", source: """
        func main() {
        \(preamble)
            var s: I64[] = I64[]();
            append(s&, 1);
            append(s&, 2);
            append(s&, 3);
            var j: I64 = 0 - 1;
            s[j] = 7;
        }
        """, stdout: preambleOutput, message: "index out of range [-1] with length 3", at: "s[j]"),
    Fault(name: "index 2^32 does not wrap to 0", source: """
        {
        \(preamble)
            var s: U8[] = "abc";
            var k: I64 = 4294967296;
            print(s[k]);
        }
        """, stdout: preambleOutput, message: "index out of range [4294967296] with length 3", at: "s[k]"),
    Fault(name: "address of an element of an empty slice", source: """
        func main() {
        \(preamble)
            var e: I32[];
            var p: I32* = e[0]&;
            print(p*);
        }
        """, stdout: preambleOutput, message: "index out of range [0] with length 0", at: "e[0]"),
    Fault(name: "index into a slice field through a pointer", source: """
        struct Bag(items: U16[], n: I64);
        func poke(b: Bag*, at: I64) {
            b.items[at] = 1;
        }
        func main() {
        \(preamble)
            var bag: Bag;
            append(bag.items&, 5);
            poke(b: bag&, at: 0);
            print(bag.items[0]);
            poke(b: bag&, at: 1);
        }
        """, stdout: preambleOutput + "1\n", message: "index out of range [1] with length 1", at: "b.items[at]"),
    Fault(name: "index through an auto-dereferenced slice pointer", source: """
        func get(p: I64[]*, i: I64): I64 {
            return p[i];
        }
        func main() {
        \(preamble)
            var s: I64[];
            append(s&, 4);
            append(s&, 5);
            print(get(p: s&, i: 1));
            s.length = 1;
            print(get(p: s&, i: 1));
        }
        """, stdout: preambleOutput + "5\n", message: "index out of range [1] with length 1", at: "p[i]"),
    Fault(name: "slice length grown through a slice pointer", source: """
        func main() {
        \(preamble)
            var s: I64[];
            append(s&, 4);
            var p: I64[]* = s&;
            p.length = 0;
            print(s.length);
            p.length = 1;
        }
        """, stdout: preambleOutput + "0\n", message: "slice length out of range", at: "p.length = 1"),
    Fault(name: "slice length grown past the length", source: """
        func main() {
        \(preamble)
            var s: I64[] = I64[]();
            append(s&, 1);
            append(s&, 2);
            append(s&, 3);
            s.length = 2;
            print(s.length);
            s.length = 3;
        }
        """, stdout: preambleOutput + "2\n", message: "slice length out of range", at: "s.length = 3"),
    Fault(name: "slice length set negative", source: """
        {
        \(preamble)
            var s: U8[] = "hello";
            var n: I64 = 0;
            s.length = n;
            print(s.length);
            n = n - 1;
            s.length = n;
        }
        """, stdout: preambleOutput + "0\n", message: "slice length out of range", at: "s.length = n", occurrence: 2),
    Fault(name: "I64 division by zero", source: """
        func main() {
        \(preamble)
            var a: I64 = 7;
            var b: I64 = 0;
            print(a / 7);
            print(a / b);
        }
        """, stdout: preambleOutput + "1\n", message: "integer divide by zero", at: "a / b"),
    Fault(name: "I32 remainder by zero", source: """
        {
        \(preamble)
            var a: I32 = 7;
            var b: I32 = 0;
            print(a % b);
        }
        """, stdout: preambleOutput, message: "integer divide by zero", at: "a % b"),
    Fault(name: "U8 division by a zero literal", source: """
        func main() {
        \(preamble)
            var a: U8 = 200;
            print(a / 0);
        }
        """, stdout: preambleOutput, message: "integer divide by zero", at: "a / 0"),
    Fault(name: "U64 remainder by zero from a call", source: """
        func zero(): U64 { return 0; }
        func main() {
        \(preamble)
            var a: U64 = 18446744073709551615;
            print(a % zero());
        }
        """, stdout: preambleOutput, message: "integer divide by zero", at: "a % zero()"),
    Fault(name: "I8 division by zero", source: """
        func main() {
        \(preamble)
            var a: I8 = -128;
            var b: I8 = 0;
            print(a / b);
        }
        """, stdout: preambleOutput, message: "integer divide by zero", at: "a / b"),
    // Each frame's variable has its address passed down the recursion, so no optimizer may
    // keep it out of the tstack frame.
    Fault(name: "tstack overflow from deep recursion (default 1 MiB tstack)", source: bigStructs + """
        func deep(n: I64, up: S4K*): I64 {
            var big: S4K;
            big.a.a.a = n;
            if n == 0 { return up.a.a.a; }
            return deep(n: n - 1, up: big&) + big.a.a.a;
        }
        func main() {
        \(preamble)
            var top: S4K;
            print(deep(n: 100, up: top&));
            print(deep(n: 1000000, up: top&));
        }
        """, stdout: preambleOutput + "5051\n", message: "tstack overflow", at: "deep(n: I64, up:"),
    Fault(name: "tstack overflow with --tstack-size", source: bigStructs + """
        func deep(n: I64, up: S64*): I64 {
            var b: S64 = S64(a: n, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0, h: 0);
            if n == 0 { return up.b; }
            return deep(n: n - 1, up: b&) + b.a;
        }
        func main() {
        \(preamble)
            var top: S64;
            print(deep(n: 10, up: top&));
            print(deep(n: 100000, up: top&));
        }
        """, options: ["--tstack-size", "8192"], stdout: preambleOutput + "55\n", message: "tstack overflow", at: "deep(n: I64, up:"),
    // Small frames: about 65,000 fit in the default tstack. The interpreter used to run out of
    // its own call stack first (wasmkit's default holds about 3,800 calls), reporting
    // "stack overflow" where the native program reported "tstack overflow".
    Fault(name: "tstack overflow from small frames, the same natively and interpreted", source: """
        struct Pair(a: I64, b: I64);
        func deep(n: I64, up: Pair*): I64 {
            var p: Pair = Pair(a: n, b: n);
            if n == 0 { return up.a; }
            return deep(n: n - 1, up: p&) + p.b;
        }
        func main() {
        \(preamble)
            var top: Pair;
            print(deep(n: 3, up: top&));
            print(deep(n: 100000000, up: top&));
        }
        """, stdout: preambleOutput + "7\n", message: "tstack overflow", at: "deep(n: I64, up:"),
    Fault(name: "a frame larger than the whole tstack", source: bigStructs + """
        struct Kept(p: S4K*);
        func huge() {
            var x: S4K;
            var y: S4K;
            x.a.a.a = 1;
            y = x;
            var kept: Kept[];
            // The addresses are stored in memory, so x and y live in the frame (8 KiB, more
            // than the smallest tstack, 4 KiB).
            append(kept&, Kept(p: x&));
            append(kept&, Kept(p: y&));
            print(kept[1].p.a.a.a);
        }
        func main() {
        \(preamble)
            huge();
        }
        """, options: ["--tstack-size", "1024"], stdout: preambleOutput, message: "tstack overflow", at: "huge()"),
    Fault(name: "native stack overflow from unbounded recursion", source: """
        func down(n: I64): I64 {
            return down(n: n + 1) + 1;
        }
        func main() {
        \(preamble)
            print(down(n: 0));
        }
        """, stdout: preambleOutput, message: "stack overflow", inFunction: "down"),
    Fault(name: "out of memory from append in a loop", source: """
        func main() {
        \(preamble)
            var s: I64[];
            loop {
                append(s&, s.length);
            }
        }
        """, options: ["--max-memory", "16777216"], stdout: preambleOutput, message: "out of memory", at: "append(s&"),
    Fault(name: "out of memory reading a 20 MB line", source: """
        func main() {
        \(preamble)
            var line: U8[] = read_line();
            print(line.length);
        }
        """, options: ["--max-memory", "16777216"], stdin: [UInt8](repeating: 97, count: 20 << 20),
        stdout: preambleOutput, message: "out of memory", at: "read_line()"),
]

@Suite struct RuntimeErrorTests {
    @Test(arguments: faults)
    func fault(_ fault: Fault) throws {
        let program = try ZongProgram(fault.source, fileName: "fault.zong")
        defer { program.remove() }
        try program.validateModule()
        let expected = fault.expectedStderr(program)
        for mode in Mode.allCases {
            let result = try program.run(mode, stdin: Data(fault.stdin), options: fault.options)
            #expect(result.status == 2, "\(mode): exit status")
            #expect(result.stdoutText == fault.stdout, "\(mode): stdout before the fault")
            #expect(result.stderr == expected, "\(mode): stderr")
        }
    }

    /// The location names the file the way it was given on the command line, like diagnostics.
    @Test(arguments: Mode.allCases)
    func locationUsesThePathAsGiven(_ mode: Mode) throws {
        let program = try ZongProgram("""
            {
                var s: U8[] = "xy";
                print(s[2]);
            }
            """, fileName: "nested/dir/where.zong")
        defer { program.remove() }
        let result = try program.run(mode)
        #expect(result.status == 2)
        #expect(result.stderr == runtimeError("index out of range [2] with length 2 at nested/dir/where.zong:3:11"))
    }

    /// A large amount of output before the fault: every byte reaches stdout, in order.
    @Test(arguments: Mode.allCases)
    func bufferedOutputIsFlushedBeforeTheReport(_ mode: Mode) throws {
        let program = try ZongProgram("""
            func main() {
                var i: I64 = 0;
                loop {
                    if i == 30000 { break; }
                    print(i);
                    i = i + 1;
                }
                var zero: I64 = 0;
                print(i / zero);
            }
            """, fileName: "flush.zong")
        defer { program.remove() }
        let result = try program.run(mode)
        #expect(result.status == 2)
        #expect(result.stderr == runtimeError("integer divide by zero at \(program.location(of: "i / zero"))"))
        let expected = (0..<30000).map { "\($0)\n" }.joined()
        #expect(result.stdoutText == expected)
    }
}
