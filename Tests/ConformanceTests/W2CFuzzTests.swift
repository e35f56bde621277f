import Foundation
import Testing
import W2C
import ZongDriver
import ZongSyntax

/// Mutates valid modules (the Examples compiled to WASM, and modules from the WebAssembly spec
/// suite) with byte flips, truncations, insertions, deletions and LEB-sized splices, and hands
/// every mutant to W2C in-process: it must translate it or throw a W2CError, never trap. A few
/// mutants go through `zong w2c` too, which must exit 0 or 1 with a located message.
@Suite(.serialized) struct W2CFuzzTests {
    /// Valid modules to start from, smallest first; each translates cleanly.
    static let corpus: [(name: String, wasm: [UInt8])] = {
        var result: [(String, [UInt8])] = []
        let examples = ConformanceFiles.packageRoot.appendingPathComponent("Examples")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? [])
            .filter { $0.hasSuffix(".zong") }.sorted()
        for name in names {
            guard let data = FileManager.default.contents(atPath: examples.appendingPathComponent(name).path) else { continue }
            var pipeline = Pipeline(options: CompileOptions())
            guard let program = try? pipeline.check(SourceFile(name: name, bytes: Array(data))),
                  let module = try? pipeline.wasm(program)
            else { continue }
            result.append((name, pipeline.encode(module)))
        }
        result += specModules
        return result.filter { (try? translate(wasm: $0.1)) != nil }.sorted { $0.1.count < $1.1.count }
    }()

    /// The first modules of a few spec-suite files, through wabt's wast2json (none without it).
    static var specModules: [(String, [UInt8])] {
        guard let wast2json = ["/usr/bin/wast2json", "/usr/local/bin/wast2json"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else { return [] }
        let suite = ConformanceFiles.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/wasm-testsuite")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zong-w2c-fuzz-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var result: [(String, [UInt8])] = []
        for file in ["block", "call_indirect", "memory", "address", "loop", "if", "select", "local_tee", "bulk", "conversions", "global"] {
            let wast = suite.appendingPathComponent(file + ".wast")
            guard FileManager.default.fileExists(atPath: wast.path) else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: wast2json)
            process.arguments = [wast.path, "-o", dir.appendingPathComponent(file + ".json").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            for k in 0..<3 {
                let path = dir.appendingPathComponent("\(file).\(k).wasm").path
                if let data = FileManager.default.contents(atPath: path) { result.append(("\(file).\(k)", Array(data))) }
            }
        }
        return result
    }

    static func mutate(_ b: [UInt8], _ r: inout Xorshift) -> [UInt8] {
        var out = b
        let rounds = 1 + Int(r.next() % 3)
        for _ in 0..<rounds {
            guard !out.isEmpty else { return [UInt8(r.next() & 0xff)] }
            // Past the 8-byte header most of the time: a bad header is rejected at once.
            let at = out.count > 9 ? 8 + Int(r.next() % UInt64(out.count - 8)) : Int(r.next() % UInt64(out.count))
            switch r.next() % 8 {
            case 0: out[at] ^= UInt8(1 << (r.next() % 8))
            case 1: out[at] = UInt8(r.next() & 0xff)
            case 2: out = Array(out[..<at])
            case 3: out.insert(UInt8(r.next() & 0xff), at: at)
            case 4: out.remove(at: at)
            case 5: out[at] = [0x00, 0x7f, 0x80, 0xff, 0x40, 0x41, 0x0b, 0x02, 0x03, 0x04][Int(r.next() % 10)]
            case 6: out.insert(contentsOf: [0xff, 0xff, 0xff, 0xff, 0x0f], at: at)
            default:
                // Duplicate a short run elsewhere (code sequences, nested blocks).
                let length = min(1 + Int(r.next() % 16), out.count - at)
                let run = Array(out[at..<(at + length)])
                out.insert(contentsOf: run, at: Int(r.next() % UInt64(out.count)))
            }
        }
        return out
    }

    @Test func mutantsNeverCrashTheTranslator() {
        let corpusStart = Date()
        let corpus = Self.corpus
        print("W2C fuzz corpus: \(corpus.map { "\($0.name) \($0.wasm.count)" }), \(Date().timeIntervalSince(corpusStart)) s")
        #expect(corpus.count >= 10, "corpus: \(corpus.map(\.name))")
        var random = Xorshift(seed: 19)
        let start = Date()
        var mutants = 0, rejected = 0
        // Where a crash is investigated: ZONG_FUZZ_LAST=path writes each mutant there first.
        let last = ProcessInfo.processInfo.environment["ZONG_FUZZ_LAST"]
        // ZONG_FUZZ_COUNT mutants per module, or 3000 in all: spread over the corpus with the
        // remainder going to the first modules, so the total never falls short of 3000.
        let perModule = Int(ProcessInfo.processInfo.environment["ZONG_FUZZ_COUNT"] ?? "")
        let total = perModule.map { $0 * corpus.count } ?? 3000
        let modules = max(corpus.count, 1)
        for (k, (_, wasm)) in corpus.enumerated() {
            for _ in 0..<(total / modules + (k < total % modules ? 1 : 0)) {
                let mutant = Self.mutate(wasm, &random)
                if let last { _ = FileManager.default.createFile(atPath: last, contents: Data(mutant)) }
                do {
                    _ = try translate(wasm: mutant)
                } catch {
                    rejected += 1
                    #expect(!error.message.isEmpty)
                }
                mutants += 1
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("W2C fuzz: \(mutants) mutants of \(corpus.count) modules, \(rejected) rejected, \(String(format: "%.2f", seconds)) s")
        #expect(mutants >= total)
    }

    @Test func mutantsThroughTheBinaryExitCleanly() throws {
        guard ZongProcess.executable != nil else { return }
        let corpus = Self.corpus
        guard !corpus.isEmpty else { return }
        var random = Xorshift(seed: 7)
        let dir = ZongProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for k in 0..<12 {
            let mutant = Self.mutate(corpus[k % corpus.count].wasm, &random)
            let path = dir.appendingPathComponent("m\(k).wasm").path
            _ = FileManager.default.createFile(atPath: path, contents: Data(mutant))
            let r = try ZongProcess.run(["w2c", path, "-o", dir.appendingPathComponent("m\(k).c").path])
            #expect(r.status == 0 || r.status == 1, "exit \(r.status): \(r.stderr)")
            if r.status == 1 {
                #expect(r.stderr.hasPrefix("zong w2c: error: "), "\(r.stderr)")
                #expect(r.stderr.contains("byte offset"), "\(r.stderr)")
                #expect(!r.stderr.contains("internal error"), "\(r.stderr)")
            }
        }
    }
}
