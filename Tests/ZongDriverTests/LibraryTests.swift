import Foundation
import Testing

/// The standard library's effects that the conformance format cannot state (issue 20): exit
/// status, stderr, command-line arguments and the file system, natively and interpreted.
@Suite struct LibraryTests {
    enum Mode: String, CaseIterable, CustomTestStringConvertible {
        case native, interpreted
        var testDescription: String { rawValue }
        var flags: [String] { self == .interpreted ? ["--interp"] : [] }
    }

    private func run(_ source: String, _ mode: Mode, _ extra: [String] = [], arguments: [String] = [],
                     directory: URL? = nil) throws -> ZongBinary.Result {
        let path = try ZongBinary.write(source)
        return try ZongBinary.run(["run"] + mode.flags + extra + [path, "--"] + arguments, directory: directory)
    }

    @Test(arguments: Mode.allCases)
    func exitSetsTheStatusAfterFlushingOutput(_ mode: Mode) throws {
        let r = try run("func main() { print(1); print_int(2); exit(3); print(4); }", mode)
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stdoutText == "1\n2")
    }

    @Test(arguments: Mode.allCases)
    func eprintWritesToStandardError(_ mode: Mode) throws {
        let r = try run("""
            func main() {
                var u: U8 = 200;
                var i: I32 = -7;
                eprint(u);
                eprint(i);
                eprint(false);
                eprint_bytes("text");
                print(1);
            }
            """, mode)
        #expect(r.status == 0)
        #expect(r.stdoutText == "1\n")
        #expect(r.stderr == "200\n-7\n0\ntext")
    }

    @Test(arguments: Mode.allCases)
    func argumentsFollowTheProgramName(_ mode: Mode) throws {
        let r = try run("""
            func main() {
                var a: U8[][] = args();
                print(a.length);
                for var i: I64 = 1; i < a.length; i += 1 {
                    print_bytes(a[i]);
                    print_bytes("|");
                }
                print_bytes("\\n");
            }
            """, mode, arguments: ["one", "two words", ""])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText == "4\none|two words||\n")
    }

    @Test(arguments: Mode.allCases)
    func relativeAndAbsolutePathsResolveAsInC(_ mode: Mode) throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("relative\n".utf8).write(to: dir.appendingPathComponent("sub/in.txt"))
        let absolute = dir.appendingPathComponent("sub/in.txt").path
        let r = try run("""
            func main() {
                var a: U8[][] = args();
                var d: U8[];
                for var i: I64 = 1; i < a.length; i += 1 {
                    if read_file(a[i], d&) { print_bytes(d); } else { print(0); }
                }
                print(write_file("sub/out.txt", "written\\n"));
                print(append_file("sub/out.txt", "more\\n"));
            }
            """, mode, arguments: ["sub/in.txt", "./sub/in.txt", absolute, "sub/missing.txt", "sub"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText == "relative\nrelative\nrelative\n0\n0\n1\n1\n")
        let written = try String(contentsOf: dir.appendingPathComponent("sub/out.txt"), encoding: .utf8)
        #expect(written == "written\nmore\n")
    }

    /// `--dir` gives the interpreted program only the directories named.
    @Test func dirNarrowsWhatTheInterpretedProgramSees() throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: dir.appendingPathComponent("data/a.txt"))
        try Data("y\n".utf8).write(to: dir.appendingPathComponent("b.txt"))
        let r = try run("""
            func main() {
                var a: U8[][] = args();
                var d: U8[];
                for var i: I64 = 1; i < a.length; i += 1 { print(read_file(a[i], d&)); }
            }
            """, .interpreted, ["--dir", "data"], arguments: ["data/a.txt", "b.txt", dir.appendingPathComponent("b.txt").path],
            directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText == "1\n0\n0\n")
    }

    /// A runtime error inside library code names the library function, not a place in the
    /// user's file (the library's source positions are not the user's).
    @Test(arguments: Mode.allCases)
    func runtimeErrorInTheLibraryNamesTheFunction(_ mode: Mode) throws {
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(count: 3_000_000).write(to: dir.appendingPathComponent("big.bin"))
        let r = try run("func main() { var d: U8[]; print(read_file(\"big.bin\", d&)); }", mode,
                        ["--max-memory", "2000000"], directory: dir)
        #expect(r.status == 2)
        #expect(r.stderr == "zong: runtime error: out of memory at read_file (standard library)\n")
    }

    /// A program that uses no library function imports nothing new: only the three WASI
    /// functions every module has.
    @Test func unusedLibraryAddsNoImports() throws {
        let path = try ZongBinary.write("func main() { print(1); }")
        let wasm = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("p.wasm").path
        let r = try ZongBinary.run(["emit-wasm", path, "-o", wasm])
        #expect(r.status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: wasm))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("path_open"))
        #expect(!text.contains("_zong_"))
    }
}
