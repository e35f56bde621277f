import Foundation
import Testing
import ZongIR

/// Every pass is linear or n·log n in function size: the -O2 pipeline over one generated
/// function of 20,000 statements (assignments, branches, counted loops over a slice with
/// affine indexes, calls of a small function, struct fields) takes at most about four times
/// as long as over 5,000 (a quadratic pass would take sixteen); the bound allows eight.
@Suite struct ScalingTests {
    static func program(statements n: Int) -> String {
        var body = """
                var s: I64[];
                append(s&, 1);
                append(s&, 2);
                append(s&, 3);
                var p: Pair = Pair(a: 1, b: 2);
                var x: I64 = 0;
                var y: I64 = 0;
                var i: I64 = 0;

            """
        // Each group is ten statements.
        for k in 0..<(n / 10) {
            body += "    x = x + \(k % 7) * y;\n"
            body += "    if x > \(k) { x = x - s[0]; } else { y = y + 1; }\n"
            body += "    y = 0;\n"
            body += "    loop { if y >= 2 { break; } y = y + 1; }\n"
            body += "    i = 0;\n"
            body += "    loop { if i >= s.length - 1 { break; } x = x + s[i + 1]; i = i + 1; }\n"
            body += "    p.a = add(a: p.b, b: x);\n"
            body += "    p.b = p.a % 1000;\n"
            body += "    x = x % 100000;\n"
            body += "    y = y + p.b;\n"
        }
        return """
            struct Pair(a: I64, b: I64);
            func add(a: I64, b: I64): I64 { return a + b; }
            func main() {
            \(body)    print(x + y);
            }

            """
    }

    static func seconds(statements n: Int) throws -> Double {
        var ir = try lowered(program(statements: n))
        var manager = PassManager(level: 2)
        let start = Date()
        _ = manager.run(&ir)
        let elapsed = Date().timeIntervalSince(start)
        #expect(IRVerifier.verify(ir).isEmpty)
        return elapsed
    }

    @Test func theO2PipelineScalesLinearly() throws {
        _ = try Self.seconds(statements: 1000)  // warm up
        let small = try Self.seconds(statements: 5000)
        let large = try Self.seconds(statements: 20000)
        print("ScalingTests: -O2 pipeline 5k statements \(small) s, 20k statements \(large) s")
        #expect(large < max(small, 0.05) * 8, "5k: \(small) s, 20k: \(large) s")
    }

    @Test func theOptimizedScalingProgramStillComputesTheSameResult() throws {
        let naive = try lowered(Self.program(statements: 500))
        var optimized = naive
        var manager = PassManager(level: 2)
        manager.verifyEachPass = true
        #expect(manager.run(&optimized).isEmpty)
        #expect(output(optimized) == output(naive))
        #expect(!output(naive).contains("error"))
    }
}
