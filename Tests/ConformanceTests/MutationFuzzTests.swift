import Foundation
import Testing
import ZongDriver
import ZongSyntax

/// Mutates every conformance program (drop a token, duplicate one, swap neighbours, flip a byte)
/// and runs the front end on each mutant: it must either accept the program or report at least
/// one diagnostic, and never crash or hang.
@Suite struct MutationFuzzTests {
    @Test func mutantsNeverCrashTheFrontEnd() {
        let cases = ConformanceFiles.all
        guard !cases.isEmpty else {
            print("SKIP: no conformance programs to mutate")
            return
        }
        var random = Xorshift(seed: 2026)
        var mutants = 0
        let start = Date()
        for c in cases {
            let bytes = Array(c.source.utf8)
            let boundaries = tokenBoundaries(bytes)
            for _ in 0..<25 {
                let mutant = mutate(bytes, boundaries, &random)
                let result = FrontEnd.run(SourceFile(name: "m.zong", bytes: mutant),
                                          form: c.form == .expression ? .expression : .program)
                if result.program == nil {
                    #expect(!result.diagnostics.isEmpty, "rejected without a diagnostic: \(String(decoding: mutant, as: UTF8.self))")
                }
                mutants += 1
            }
        }
        #expect(mutants >= 4000)
        #expect(Date().timeIntervalSince(start) < 120)
    }

    /// Offsets where a run of word characters, a space run or a punctuation byte starts.
    private func tokenBoundaries(_ b: [UInt8]) -> [Int] {
        var result: [Int] = []
        var i = 0
        while i < b.count {
            result.append(i)
            let word = { (c: UInt8) in c == 95 || (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) }
            if word(b[i]) {
                while i < b.count, word(b[i]) { i += 1 }
            } else {
                i += 1
            }
        }
        result.append(b.count)
        return result
    }

    private func mutate(_ b: [UInt8], _ cuts: [Int], _ r: inout Xorshift) -> [UInt8] {
        guard cuts.count > 2 else { return b + [UInt8(r.next() % 256)] }
        let k = Int(r.next() % UInt64(cuts.count - 1))
        let token = Array(b[cuts[k]..<cuts[k + 1]])
        var out = b
        switch r.next() % 5 {
        case 0: out.removeSubrange(cuts[k]..<cuts[k + 1])
        case 1: out.insert(contentsOf: token, at: cuts[k])
        case 2:
            let j = Int(r.next() % UInt64(cuts.count - 1))
            out.insert(contentsOf: Array(b[cuts[j]..<cuts[j + 1]]), at: cuts[k])
        case 3:
            if !out.isEmpty { out[min(cuts[k], out.count - 1)] = UInt8(r.next() % 256) }
        default: out = Array(out[0..<cuts[k]])
        }
        return out
    }
}

struct Xorshift {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
