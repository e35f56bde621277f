import Foundation
import Testing
import ZongFormat
import ZongSyntax

func formatted(_ s: String) -> String? {
    if case .success(let t) = Formatter.format(s) { return t }
    return nil
}

/// The three properties of `zong fmt` on one text that parses: the result parses to the same
/// tree with the same tokens, keeps every comment, and is its own formatting.
func expectFormatProperties(_ source: String, _ name: String, comments: [String] = [],
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let original = parseProgram(SourceFile(name: name, text: source))
    guard original.diagnostics.isEmpty else { return }
    guard let once = formatted(source) else {
        Issue.record("\(name): the formatter refused a file that parses", sourceLocation: sourceLocation)
        return
    }
    let reparsed = parseProgram(SourceFile(name: name, text: once))
    #expect(reparsed.diagnostics.isEmpty, "\(name): formatted text does not parse:\n\(once)", sourceLocation: sourceLocation)
    #expect(ASTDump.dump(reparsed.program) == ASTDump.dump(original.program), "\(name): meaning changed:\n\(source)\n---\n\(once)",
            sourceLocation: sourceLocation)
    let kinds = { (s: String) -> [String] in
        let f = SourceFile(name: name, text: s)
        return tokenize(f).map { "\($0.kind.name) " + String(decoding: f.bytes[$0.span.start..<$0.span.end], as: UTF8.self) }
    }
    #expect(kinds(once) == kinds(source), "\(name): tokens changed", sourceLocation: sourceLocation)
    #expect(formatted(once) == once, "\(name): not idempotent:\n\(once)\n---\n\(formatted(once) ?? "")", sourceLocation: sourceLocation)
    for c in comments {
        #expect(once.contains(c), "\(name): lost comment \(c)", sourceLocation: sourceLocation)
    }
    #expect(!once.contains(" \n") && once.hasSuffix("\n") && !once.hasSuffix("\n\n") && !once.contains("\n\n\n"),
            "\(name): stray whitespace", sourceLocation: sourceLocation)
}

@Suite struct FormatterTests {
    @Test(arguments: [
        ("func main(){var x:I64=1+2*3;print( x )}", "func main() { var x: I64 = 1 + 2 * 3; print(x) }\n"),
        // `*=` is one token (compound assignment), so the pointer type needs a space before `=`.
        ("func main() {\nvar p:I64* =x&\nprint(p*+1)\n}", "func main() {\n    var p: I64* = x&\n    print(p* + 1)\n}\n"),
        ("var a:I64=- -1\nprint(a - -1)", "var a: I64 = - -1\nprint(a - -1)\n"),
        ("var m:U64=^a&^0xFF<<2^ ^b;m+=1", "var m: U64 = ^a &^ 0xFF << 2 ^ ^b; m += 1\n"),
        ("if !a&&b{print(1)}else{print(2)}", "if !a && b { print(1) } else { print(2) }\n"),
        ("struct P( x:I64,y:U8[] ) ;", "struct P(x: I64, y: U8[]);\n"),
        ("var s:U8[]=U8[]( );append( s&,1 )", "var s: U8[] = U8[](); append(s&, 1)\n"),
        ("func f( _ a:I64 ):I64*{return a&}", "func f(_ a: I64): I64* { return a& }\n"),
        ("print(p*.x)\nprint(arr[0]&*)", "print(p*.x)\nprint(arr[0]&*)\n"),
        ("loop{\n\n\nbreak\n\n}", "loop {\n    break\n}\n"),
        ("\n\n// c\nprint(1)   // t\n\n\n\nprint(2)\n\n", "// c\nprint(1) // t\n\nprint(2)\n"),
        ("func main() {\n\tprint(f(1,\n\t\t2))\n}", "func main() {\n    print(f(1,\n        2))\n}\n"),
        ("func main() { if x {\nprint(1) } }", "func main() {\n    if x {\n        print(1)\n    }\n}\n"),
        ("func main() {\n  a := 1\n}", nil),
    ] as [(String, String?)])
    func layout(_ input: String, _ expected: String?) {
        #expect(formatted(input) == expected, "\(input)")
    }

    @Test func trailingCommentsAlign() {
        let input = "func main() {\n    f(1)  // one\n    ffff(22)   // two\n\n    g(3)  // alone\n}\n"
        #expect(formatted(input) == "func main() {\n    f(1)     // one\n    ffff(22) // two\n\n    g(3) // alone\n}\n")
    }

    @Test func commentsStayWhereTheyAre() {
        let input = "func main() { // why\n    /* block\n       comment */\n    print(1) /* inline */ print(2)\n    // before the brace\n}\n"
        #expect(formatted(input) == input)
    }

    /// Every program in the repository: the examples, the benchmarks, the conformance cases and
    /// the documentation's snippets.
    @Test func everyProgramInTheRepository() throws {
        let programs = RepositoryPrograms.all()
        #expect(programs.count > 150, "found \(programs.count)")
        for (name, text) in programs { expectFormatProperties(text, name) }
    }

    /// The examples and the benchmarks are formatted already (`zong fmt --check` would pass).
    @Test func examplesAreFormatted() throws {
        for (name, text) in RepositoryPrograms.files() {
            #expect(formatted(text) == text, "\(name) is not formatted: run zong fmt \(name)")
        }
    }

    @Test func generatedPrograms() {
        var generator = ProgramGenerator(seed: 0x5EED)
        var valid = 0
        var attempts = 0
        while valid < 1200, attempts < 20_000 {
            attempts += 1
            let (text, comments) = generator.program()
            guard parseProgram(SourceFile(name: "g.zong", text: text)).diagnostics.isEmpty else { continue }
            valid += 1
            expectFormatProperties(text, "generated #\(attempts)", comments: comments)
        }
        #expect(valid >= 1000, "only \(valid) of \(attempts) generated programs parse")
    }
}

enum RepositoryPrograms {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files() -> [(String, String)] {
        var out: [(String, String)] = []
        for dir in ["Examples", "bench/zong"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path)) ?? []
            for n in names.sorted() where n.hasSuffix(".zong") {
                if let t = try? String(contentsOf: root.appendingPathComponent(dir).appendingPathComponent(n), encoding: .utf8) {
                    out.append(("\(dir)/\(n)", t))
                }
            }
        }
        return out
    }

    /// Fenced ```zong… blocks of the Markdown files in `directory`.
    static func fences(in directory: URL) -> [(String, String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var out: [(String, String)] = []
        for n in names.sorted() where n.hasSuffix(".md") {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(n), encoding: .utf8) else { continue }
            var block: [Substring]?
            var index = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if block == nil, line.hasPrefix("```zong"), !line.hasPrefix("```zong-expr") {
                    block = []
                } else if block != nil, line.hasPrefix("```") {
                    index += 1
                    out.append(("\(n) #\(index)", block!.joined(separator: "\n") + "\n"))
                    block = nil
                } else if block != nil {
                    block!.append(line)
                }
            }
        }
        return out
    }

    static func all() -> [(String, String)] {
        files() + fences(in: root.deletingLastPathComponent().appendingPathComponent("shared/conformance"))
            + fences(in: root.appendingPathComponent("Tests/Conformance")) + fences(in: root.appendingPathComponent("docs"))
            + fences(in: root)
    }
}

/// Random programs that exercise every construct, written with random spacing, line breaks,
/// semicolons and comments (each comment with a unique text, so its survival can be checked).
struct ProgramGenerator {
    var state: UInt64
    var comments: [String] = []
    var depth = 0

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { pick(100) < percent }

    mutating func space() -> String {
        switch pick(20) {
        case 0, 1: return ""
        case 2: return "\n"
        case 3: return "\n\n\n"
        case 4: return "\t"
        case 5: return "   "
        case 6:
            let c = "/*c\(comments.count)*/"
            comments.append(c)
            return " \(c) "
        case 7:
            let c = "//c\(comments.count)"
            comments.append(c)
            return " \(c)\n"
        default: return " "
        }
    }

    mutating func join(_ parts: [String]) -> String {
        var out = ""
        for (i, p) in parts.enumerated() {
            if i > 0 { out += space() }
            out += p
        }
        return out
    }

    let names = ["a", "b", "count", "p", "s", "x_1", "_t"]
    let types = ["I64", "U8", "I32", "Boolean", "Point", "U8[]", "I64*", "Point**", "I64[]*"]
    let binary = ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "="]

    mutating func expression() -> String {
        depth += 1
        defer { depth -= 1 }
        if depth > 4 { return names[pick(names.count)] }
        switch pick(14) {
        case 0: return String(pick(1000))
        case 1: return names[pick(names.count)]
        case 2: return ["true", "false"][pick(2)]
        case 3: return "\"str\(pick(9))\\n\""
        case 4, 5: return join([expression(), binary[pick(binary.count)], expression()])
        case 6: return join(["-", expression()])
        case 7: return join(["!", expression()])
        case 8: return join([names[pick(names.count)], ["&", "*", "&*"][pick(3)]])
        case 9:
            var parts = [names[pick(names.count)], "("]
            for k in 0..<pick(3) {
                if k > 0 { parts.append(",") }
                if chance(50) { parts += [names[pick(names.count)], ":"] }
                parts.append(expression())
            }
            if chance(20) { parts.append(",") }
            return join(parts + [")"])
        case 10: return join([names[pick(names.count)], "[", expression(), "]"])
        case 11: return join([names[pick(names.count)], ".", names[pick(names.count)]])
        case 12: return join(["(", expression(), ")"])
        default: return chance(50) ? join(["Point", "(", "x", ":", expression(), ")"]) : join(["U8", "[", "]", "(", ")"])
        }
    }

    mutating func semicolon() -> String { chance(50) ? ";" : "" }

    mutating func block() -> String {
        var parts = ["{"]
        for _ in 0..<pick(4) { parts.append(statement()) }
        return join(parts + ["}"])
    }

    mutating func statement() -> String {
        depth += 1
        defer { depth -= 1 }
        if depth > 3 { return join([expression(), ";"]) }
        switch pick(10) {
        case 0: return join(["var", names[pick(names.count)], ":", types[pick(types.count)]] + (chance(60) ? ["=", expression()] : []) + [semicolon()])
        case 1:
            var parts = ["if", expression(), block()]
            if chance(40) { parts += ["else", "if", expression(), block()] }
            if chance(40) { parts += ["else", block()] }
            return join(parts)
        case 2: return join(["loop", block()])
        case 3: return join(["break", semicolon()])
        case 4: return chance(50) ? join(["return", ";"]) : join(["return", expression(), semicolon()])
        case 5: return block()
        default: return join([expression(), semicolon()])
        }
    }

    mutating func declaration() -> String {
        switch pick(4) {
        case 0: return join(["struct", "Point", "(", "x", ":", "I64", ",", "y", ":", types[pick(types.count)], ")", semicolon()])
        case 1:
            return join(["extern", "\"env\"", "{", "func", "ext", "(", "a", ":", "I32", ")", ":", "I32", ";", "}"])
        default:
            var parts = ["func", names[pick(names.count)], "("]
            for k in 0..<pick(3) {
                if k > 0 { parts.append(",") }
                if chance(30) { parts.append("_") }
                parts += [names[pick(names.count)], ":", types[pick(types.count)]]
            }
            parts.append(")")
            if chance(50) { parts += [":", types[pick(types.count)]] }
            return join(parts + [block()])
        }
    }

    mutating func program() -> (String, [String]) {
        comments = []
        var parts: [String] = []
        for _ in 0..<(1 + pick(4)) { parts.append(chance(60) ? declaration() : statement()) }
        return (space() + join(parts) + space(), comments)
    }
}
