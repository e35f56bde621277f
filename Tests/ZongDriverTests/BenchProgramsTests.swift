import Foundation
import Testing

/// The project's own benchmark programs (bench/, see bench/README.md): each one, shrunk to the
/// sizes in bench/sizes.small, is built by the real binary and must print
/// expected/NAME.small.out natively and interpreted; its hand-written C twin, built with clang
/// -O2 at the same sizes, must print it too. (`make bench` checks the full sizes.)
@Suite struct BenchProgramsTests {
    static let directory = ZongBinary.packageRoot.appendingPathComponent("bench")

    static func file(_ path: String) -> URL { directory.appendingPathComponent(path) }

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: file("zong").path)) ?? []
        return files.filter { $0.hasSuffix(".zong") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// NAME -> [(C macro, value)] from bench/sizes.small.
    static func smallSizes() throws -> [String: [(macro: String, value: String)]] {
        let text = try String(contentsOf: file("sizes.small"), encoding: .utf8)
        var sizes: [String: [(macro: String, value: String)]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.prefix { $0 != "#" }.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let name = fields.first else { continue }
            sizes[name] = fields.dropFirst().map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }
        }
        return sizes
    }

    /// The names of a program's parameter functions (`func param_n(): I64 { return 16; }`).
    static func parameters(_ source: String) -> [String] {
        source.matches(of: #/func param_([a-z0-9_]+)\(\): I64 \{ return ([0-9]+); \}/#).map { String($0.1) }
    }

    static func cCompiler() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let cc = env["CC"], !cc.isEmpty { return cc }
        let path = env["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/clang" } + ["/opt/swift/usr/bin/clang"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func theProgramsAreAllThere() throws {
        #expect(Self.names.count >= 10, "bench/zong has \(Self.names.count) programs")
        let sizes = try Self.smallSizes()
        #expect(Set(sizes.keys) == Set(Self.names), "bench/sizes.small lists \(sizes.keys.sorted()), bench/zong has \(Self.names)")
        let cFiles = try FileManager.default.contentsOfDirectory(atPath: Self.file("c").path).filter { $0.hasSuffix(".c") }
        #expect(Set(cFiles.map { String($0.dropLast(2)) }) == Set(Self.names), "every program has one C twin and no more")
        for name in Self.names {
            let source = try String(contentsOf: Self.file("zong/\(name).zong"), encoding: .utf8)
            let c = try String(contentsOf: Self.file("c/\(name).c"), encoding: .utf8)
            let parameters = Self.parameters(source)
            #expect(!parameters.isEmpty, "\(name).zong has no parameter functions")
            // Every parameter has a small size and a C macro of the same name, and vice versa.
            #expect(Set(parameters.map { $0.uppercased() }) == Set((sizes[name] ?? []).map(\.macro)),
                    "\(name): parameters \(parameters) against bench/sizes.small")
            for p in parameters {
                #expect(c.contains("#ifndef \(p.uppercased())\n#define \(p.uppercased()) "), "\(name).c has no macro \(p.uppercased())")
            }
            for suffix in [".out", ".small.out"] {
                let expected = try Data(contentsOf: Self.file("expected/\(name)\(suffix)"))
                #expect(expected.count > 1 && expected.last == 10, "expected/\(name)\(suffix) is empty or unterminated")
            }
        }
    }

    @Test(arguments: names)
    func smallSizePrintsTheExpectedOutput(_ name: String) throws {
        let sizes = try #require(try Self.smallSizes()[name], "\(name) has no line in bench/sizes.small")
        let expected = try String(contentsOf: Self.file("expected/\(name).small.out"), encoding: .utf8)
        var source = try String(contentsOf: Self.file("zong/\(name).zong"), encoding: .utf8)
        for (macro, value) in sizes {
            let function = "param_" + macro.lowercased()
            let pattern = "func \(function)\\(\\): I64 \\{ return [0-9]+; \\}"
            try #require(source.range(of: pattern, options: .regularExpression) != nil, "\(function) not found in \(name).zong")
            source = source.replacingOccurrences(of: pattern, with: "func \(function)(): I64 { return \(value); }",
                                                 options: .regularExpression)
        }
        let dir = ZongBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let zongSource = dir.appendingPathComponent("\(name).zong").path
        try source.write(toFile: zongSource, atomically: true, encoding: .utf8)

        let zongBinary = dir.appendingPathComponent("\(name)-zong").path
        let build = try ZongBinary.run(["build", zongSource, "-o", zongBinary])
        try #require(build.status == 0, "zong build \(name): \(build.stderr)")
        let native = try ZongBinary.runProgram(zongBinary, [])
        #expect(native.status == 0 && native.stderr.isEmpty, "\(name) native: status \(native.status), \(native.stderr)")
        #expect(native.stdoutText == expected, "\(name) native output differs from expected/\(name).small.out")

        let interpreted = try ZongBinary.run(["run", "--interp", zongSource])
        #expect(interpreted.status == 0 && interpreted.stderr.isEmpty,
                "\(name) interpreted: status \(interpreted.status), \(interpreted.stderr)")
        #expect(interpreted.stdoutText == expected, "\(name) interpreted output differs from expected/\(name).small.out")

        let cc = try #require(Self.cCompiler(), "no C compiler (CC or clang on PATH)")
        let cBinary = dir.appendingPathComponent("\(name)-c").path
        let cBuild = try ZongBinary.runProgram(cc, ["-O2", "-o", cBinary, Self.file("c/\(name).c").path]
            + sizes.map { "-D\($0.macro)=\($0.value)" })
        try #require(cBuild.status == 0, "\(cc) \(name).c: \(cBuild.stderr)")
        let twin = try ZongBinary.runProgram(cBinary, [])
        #expect(twin.status == 0, "\(name) C twin: status \(twin.status)")
        #expect(twin.stdoutText == expected, "\(name) C twin's output differs from expected/\(name).small.out")
    }
}
