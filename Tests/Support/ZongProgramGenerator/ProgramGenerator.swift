/// Random, valid, terminating Zong programs for differential testing of the optimizer: every
/// integer type with its wrapping, division and remainder by values that may be zero, shifts
/// and conversions, nested loops with break and continue, calls with named arguments in any
/// order, structs, pointers to locals, slices and append. Deterministic for a seed. A program
/// may stop on a runtime error (a zero divisor, an index out of range); it must do so the same
/// way under every configuration.
public struct ProgramGenerator {
    var rng: SplitMix
    var lines: [String] = []
    var indent = 1
    var scopes: [[(name: String, type: String)]] = []
    var counter = 0
    var functions: [(name: String, parameters: [(String, String)], result: String)] = []
    var loopDepth = 0

    static let types = ["I8", "I16", "I32", "I64", "U8", "U16", "U32", "U64"]

    public init(seed: UInt64) {
        rng = SplitMix(state: seed)
    }

    public static func program(seed: UInt64) -> String {
        var g = ProgramGenerator(seed: seed)
        return g.generate()
    }

    mutating func generate() -> String {
        var out = ["struct P(a: I64, b: I32, c: U8);", ""]
        for i in 0..<rng.below(4) {
            out += function("f\(i)")
            out.append("")
        }
        lines = []
        indent = 1
        scopes = [[]]
        out.append("func main() {")
        for _ in 0..<(6 + rng.below(10)) { statement(depth: 0) }
        printAll()
        out += lines
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    mutating func function(_ name: String) -> [String] {
        let parameters = (0..<(1 + rng.below(3))).map { ("p\($0)", pick(Self.types)) }
        let result = pick(Self.types)
        lines = []
        indent = 1
        scopes = [parameters.map { (name: $0.0, type: $0.1) }]
        for _ in 0..<(2 + rng.below(5)) { statement(depth: 1) }
        emit("return \(expression(result, depth: 0));")
        let header = "func \(name)(" + parameters.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "): \(result) {"
        functions.append((name, parameters, result))
        return [header] + lines + ["}"]
    }

    // MARK: Statements

    mutating func statement(depth: Int) {
        switch rng.below(depth >= 2 ? 6 : 10) {
        case 0, 1: declare()
        case 2, 3: assign()
        case 4: emit("print(\(variable(pick(Self.types)) ?? "7"));")  // a bare literal prints as I64
        case 5: structs()
        case 6: pointer()
        case 7: slice()
        case 8: ifElse(depth)
        default: loop(depth)
        }
    }

    mutating func declare() {
        let t = pick(Self.types)
        let name = fresh("v")
        emit("var \(name): \(t) = \(expression(t, depth: 0));")
        scopes[scopes.count - 1].append((name, t))
    }

    mutating func assign() {
        let t = pick(Self.types)
        guard let v = writable(t) else { return declare() }
        emit("\(v) = \(expression(t, depth: 0));")
    }

    mutating func structs() {
        let name = fresh("s")
        emit("var \(name): P = P(a: \(expression("I64", depth: 1)), b: \(expression("I32", depth: 1)), c: \(expression("U8", depth: 1)));")
        emit("\(name).b = \(name).b + \(expression("I32", depth: 1));")
        emit("print(\(name).a); print(\(name).b); print(\(name).c);")
    }

    mutating func pointer() {
        let t = pick(Self.types)
        guard let v = writable(t) else { return declare() }
        let p = fresh("q")
        emit("var \(p): \(t)* = \(v)&;")
        emit("\(p)* = \(p)* + \(expression(t, depth: 1));")
        emit("print(\(v));")
    }

    mutating func slice() {
        let s = fresh("a")
        emit("var \(s): I64[];")
        let n = 1 + rng.below(5)
        for _ in 0..<n { emit("append(\(s)&, \(expression("I64", depth: 1)));") }
        // Sometimes out of range on purpose: the error must be the same everywhere.
        let index = rng.below(8) == 0 ? "\(n)" : "\(rng.below(n))"
        emit("\(s)[\(index)] = \(s)[\(rng.below(n))] + \(s).length;")
        emit("print(\(s)[\(index)]);")
    }

    mutating func ifElse(_ depth: Int) {
        emit("if \(condition()) {")
        block(depth + 1)
        if rng.below(2) == 0 {
            emit("} else {")
            block(depth + 1)
        }
        emit("}")
    }

    mutating func loop(_ depth: Int) {
        let i = fresh("i")
        emit("var \(i): I64 = 0;")
        emit("loop {")
        indent += 1
        emit("\(i) = \(i) + 1;")
        emit("if \(i) > \(1 + rng.below(5)) { break; }")
        loopDepth += 1
        scopes.append([(i, "I64")])
        if rng.below(3) == 0 { emit("if \(condition()) { continue; }") }
        for _ in 0..<(1 + rng.below(3)) { statement(depth: depth + 1) }
        if rng.below(4) == 0 { emit("if \(condition()) { break; }") }
        scopes.removeLast()
        loopDepth -= 1
        indent -= 1
        emit("}")
    }

    mutating func block(_ depth: Int) {
        indent += 1
        scopes.append([])
        for _ in 0..<(1 + rng.below(3)) { statement(depth: depth) }
        scopes.removeLast()
        indent -= 1
    }

    mutating func printAll() {
        for scope in scopes {
            for v in scope { emit("print(\(v.name));") }
        }
    }

    // MARK: Expressions

    /// Every operator has a variable on one side, so no expression is all literals (which Sema
    /// would fold and range-check at compile time).
    mutating func expression(_ t: String, depth: Int) -> String {
        guard depth < 3, let v = variable(t) else { return variableOrLiteral(t) }
        switch rng.below(12) {
        case 0, 1, 2: return variableOrLiteral(t)
        case 3, 4: return "(\(v) \(pick(["+", "-", "*"])) \(expression(t, depth: depth + 1)))"
        case 5: return "(\(expression(t, depth: depth + 1)) \(pick(["/", "%"])) \(v))"
        case 6: return "(\(v) \(pick(["&", "|", "^", "&^"])) \(expression(t, depth: depth + 1)))"
        case 7:
            let count = variable(pick(Self.types)) ?? String(rng.below(70))
            return "(\(v) \(pick(["<<", ">>"])) \(count))"
        case 8:
            guard let from = variable(pick(Self.types.filter { $0 != t })) else { return v }
            return "\(t)(\(from))"
        case 9:
            if let f = functions.filter({ $0.result == t }).randomElement(using: &rng) {
                let args = f.parameters.map { "\($0.0): \(expression($0.1, depth: depth + 1))" }
                return "\(f.name)(\(shuffled(args).joined(separator: ", ")))"
            }
            return v
        case 10:
            // Parenthesized: after a binary `*` or `&`, a bare `^` would make them postfix.
            return t.hasPrefix("I") ? "(0 - \(v))" : "(^\(v))"
        default:
            return "(\(v) + \(literal(t)))"
        }
    }

    mutating func condition() -> String {
        let t = pick(Self.types)
        guard let v = variable(t) else { return pick(["true", "false"]) }
        let c = "\(v) \(pick(["==", "!=", "<", ">", "<=", ">="])) \(expression(t, depth: 2))"
        switch rng.below(4) {
        case 0: return variable("I64").map { "\(c) && \($0) > 0" } ?? c
        case 1: return variable("I32").map { "!(\(c)) || \($0) == 1" } ?? c
        default: return c
        }
    }

    mutating func variableOrLiteral(_ t: String) -> String {
        if rng.below(3) != 0, let v = variable(t) { return v }
        return literal(t)
    }

    mutating func literal(_ t: String) -> String {
        let signed = t.hasPrefix("I")
        let bits = Int(t.dropFirst()) ?? 64
        switch rng.below(6) {
        case 0: return "0"
        case 1: return "1"
        case 2: return signed ? "(-1)" : "\(bits >= 64 ? "18446744073709551615" : String((UInt64(1) << UInt64(bits)) - 1))"
        case 3:
            let max = signed ? (UInt64(1) << UInt64(bits - 1)) - 1 : (bits >= 64 ? UInt64.max : (UInt64(1) << UInt64(bits)) - 1)
            return String(max)
        default: return String(rng.below(100))
        }
    }

    /// A variable the program may change: not a loop counter (`i…`), so every loop ends.
    func writable(_ t: String) -> String? {
        scopes.flatMap { $0 }.filter { $0.type == t && !$0.name.hasPrefix("i") }.last?.name
    }

    func variable(_ t: String) -> String? {
        let all = scopes.flatMap { $0 }.filter { $0.type == t }
        return all.last?.name
    }

    // MARK: Helpers

    mutating func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    mutating func emit(_ line: String) {
        lines.append(String(repeating: "    ", count: indent) + line)
    }

    mutating func pick<T>(_ options: [T]) -> T {
        options[rng.below(options.count)]
    }

    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, rng.below(i + 1)) }
        return a
    }
}

/// A small, fast, seedable generator (SplitMix64), so a failing seed reproduces exactly.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int {
        n <= 1 ? 0 : Int(next() % UInt64(n))
    }
}
