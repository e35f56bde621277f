import Foundation
import Testing

/// `zong fmt` through the real binary: in place, --check, standard input, directories, and a
/// file with syntax errors left alone.
@Suite struct FormatCommandTests {
    static let messy = "func main(){\nvar x:I64=1+2 // c\n\n\n\tprint( x )}\n"
    static let tidy = "func main() {\n    var x: I64 = 1 + 2 // c\n\n    print(x)\n}\n"

    @Test func inPlaceCheckAndStandardInput() throws {
        let dir = ZongBinary.temporaryDirectory()
        let file = dir.appendingPathComponent("m.zong")
        try Data(Self.messy.utf8).write(to: file)
        let check = try ZongBinary.run(["fmt", "--check", "m.zong"], directory: dir)
        #expect(check.status == 1 && check.stdoutText == "m.zong\n", "\(check.stdoutText) \(check.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.messy, "--check writes nothing")
        let run = try ZongBinary.run(["fmt", "m.zong"], directory: dir)
        #expect(run.status == 0 && run.stdout.isEmpty && run.stderr.isEmpty, "\(run.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.tidy)
        let again = try ZongBinary.run(["fmt", "--check", "m.zong"], directory: dir)
        #expect(again.status == 0 && again.stdout.isEmpty)
        let stdin = try ZongBinary.run(["fmt", "-"], stdin: Data(Self.messy.utf8))
        #expect(stdin.status == 0 && stdin.stdoutText == Self.tidy)
        let bare = try ZongBinary.run(["fmt"], stdin: Data(Self.messy.utf8))
        #expect(bare.status == 0 && bare.stdoutText == Self.tidy)
        // The formatted program still runs and prints the same.
        let ran = try ZongBinary.run(["run", "m.zong"], directory: dir)
        #expect(ran.stdoutText == "3\n")
    }

    @Test func syntaxErrorsAreRefused() throws {
        let dir = ZongBinary.temporaryDirectory()
        let bad = "func main() {\n  x := 1\n}\n"
        try Data(bad.utf8).write(to: dir.appendingPathComponent("bad.zong"))
        let r = try ZongBinary.run(["fmt", "bad.zong"], directory: dir)
        #expect(r.status == 1 && r.stderr.contains("bad.zong:2:5: error: unexpected token ':='")
                && r.stderr.contains("not formatted: it has syntax errors"), "\(r.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("bad.zong"), encoding: .utf8) == bad)
    }

    @Test func directoriesAndTheRepositoryExamples() throws {
        let dir = ZongBinary.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data(Self.messy.utf8).write(to: dir.appendingPathComponent("sub/a.zong"))
        try Data(Self.tidy.utf8).write(to: dir.appendingPathComponent("b.zong"))
        let check = try ZongBinary.run(["fmt", "--check", "."], directory: dir)
        #expect(check.status == 1 && check.stdoutText == "./sub/a.zong\n", "\(check.stdoutText)")
        let missing = try ZongBinary.run(["fmt", "nope.zong"], directory: dir)
        #expect(missing.status == 66)
        // Every example and benchmark is formatted (CI would run this check).
        for sub in ["Examples", "bench/zong"] {
            let r = try ZongBinary.run(["fmt", "--check", ZongBinary.packageRoot.appendingPathComponent(sub).path])
            #expect(r.status == 0 && r.stdout.isEmpty, "\(sub): run zong fmt on \(r.stdoutText)")
        }
    }
}
