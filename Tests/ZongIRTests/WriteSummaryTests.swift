import Testing
import ZongIR

/// `WriteSummary` answers exactly what asking `AliasAnalysis.mayClobber` of every write would,
/// for every load of functions that write slots, escaped slots, slice elements and headers,
/// memory through pointers, and call.
@Suite struct WriteSummaryTests {
    static let source = """
        struct P(a: I64, b: I64);
        func bump(p: I64*) { p* = p* + 1; }
        func fill(s: I64[]*, q: P*): I64 {
            var x: I64 = 1;
            var t: I64 = q*.a;
            append(s, x);
            (s*)[0] = t + (s*).length;
            q*.b = (s*)[0];
            bump(p: x&);
            return x + q*.a + q*.b + (s*)[0];
        }
        func clear(s: I64[]*, q: P*) {
            var i: I64 = 0;
            loop { if i >= (s*).length { break; } (s*)[i] = q*.a; i = i + 1; }
            q*.b = (s*).length;
        }
        func main() { var s: I64[]; var p: P = P(a: 1, b: 2); print(fill(s: s&, q: p&)); clear(s: s&, q: p&); }
        """

    @Test func agreesWithAliasAnalysisOnEveryLoad() throws {
        var outcomes: Set<Bool> = []
        for level in [0, 1, 2] {
            var program = try lowered(Self.source)
            var manager = PassManager(level: level)
            _ = manager.run(&program)
            for f in program.functions {
                let alias = AliasAnalysis(f)
                let ops = f.blocks.flatMap { $0.instructions.map(\.op) }
                let writes = ops.filter(\.mayWrite)
                var summary = WriteSummary(alias)
                writes.forEach { summary.add($0) }
                for case .load(_, let w, let address) in ops {
                    let expected = writes.contains { alias.mayClobber($0, address, w.bytes) }
                    outcomes.insert(expected)
                    #expect(summary.mayClobber(address, w.bytes) == expected, "-O\(level) \(f.name): \(address)")
                }
            }
        }
        #expect(outcomes == [true, false], "the program must have clobbered and unclobbered loads")
    }
}
