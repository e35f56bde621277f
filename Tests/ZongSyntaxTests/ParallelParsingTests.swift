import Dispatch
import Testing
@testable import ZongSyntax

/// A large program is parsed in parts at once (ParallelParsing.swift): the tree must be the one
/// the whole-file parser builds, and any error must be reported as the whole-file parser does.
@Suite struct ParallelParsingTests {
    /// Runs the tasks on all cores (the driver uses threads with large stacks; these programs
    /// are shallow).
    static func concurrent(count: Int, task: (Int) -> Void) {
        withoutActuallyEscaping(task) { task in
            let shared = Shared(task)
            DispatchQueue.concurrentPerform(iterations: count) { shared.task($0) }
        }
    }

    private final class Shared: @unchecked Sendable {
        let task: (Int) -> Void
        init(_ task: @escaping (Int) -> Void) { self.task = task }
    }

    /// Every kind of top-level statement next to the `func`s where parts may be cut: structs,
    /// extern blocks, top-level `if`/`loop`/blocks/expressions (errors for Sema, not the parser),
    /// comments and strings that mention `func`.
    static func program(functions: Int) -> String {
        var text = "struct P(a: I64, b: I64);\n"
        for i in 0..<functions {
            switch i % 6 {
            case 0: text += "extern \"env\" { func ext\(i)(_ x: I64): I64; }\n"
            case 1: text += "if true { print(\(i)); } else { print(0); }\n"
            case 2: text += "/* func not_a_function() { } */\n// func neither\n"
            case 3: text += "loop { break; }\n{ print(\"func \(i) {\"); }\n"
            case 4: text += "var top\(i): I64 = \(i);\n"
            default: text += "struct Q\(i)(x: I32);\n"
            }
            text += """
                func f\(i)(_ s: I64[]*, _ k: I64): I64 {
                    var total: I64 = k;
                    var p: P = P(a: k, b: \(i));
                    loop {
                        if total >= (s*).length { break; }
                        total = total + (s*)[total] * \(i) - p.b;
                    }
                    return total % 1000 + p.a;
                }

                """
        }
        return text + "func main() { print(f1(nil, 1)); }\n"
    }

    @Test func sameTreeAsTheWholeFileParser() throws {
        let file = SourceFile(name: "t.zong", text: Self.program(functions: 400))
        #expect(file.bytes.count > ParallelParsing.minimumBytes)
        let whole = Parser(file).parseUnit(.program)
        let parts = try #require(parseInParts(file, tasks: Self.concurrent))
        #expect(parts.diagnostics.isEmpty)
        #expect(parts.program.statements.count == whole.statements.count)
        #expect(ASTDump.dump(parts.program) == ASTDump.dump(whole))
    }

    @Test func cutsOnlyBeforeTopLevelFuncAfterACompleteStatement() {
        let file = SourceFile(name: "t.zong", text: Self.program(functions: 400))
        var lexer = Lexer(file)
        var tokens: [Token] = []
        repeat { tokens.append(lexer.next()) } while tokens.last?.kind != .eof
        let parts = ParallelParsing.parts(tokens, count: 16)
        #expect(parts.count > 8)
        #expect(parts.first?.lowerBound == 0 && parts.last?.upperBound == tokens.count - 1)
        for (a, b) in zip(parts, parts.dropFirst()) {
            #expect(a.upperBound == b.lowerBound)
            #expect(tokens[b.lowerBound].kind == .keyword(.func))
            #expect([TokenKind.rightBrace, .semicolon].contains(tokens[b.lowerBound - 1].kind))
        }
    }

    @Test(arguments: [
        ("missing expression before a func", "var x: I64 = \n"),
        ("unclosed block", "{ print(1);\n"),
        ("stray closing brace", "}\n"),
        ("bad token", "var y: I64 = 1 @ 2;\n"),
        ("unterminated string", "print(\"never closed);\n"),
    ])
    func errorsAreReportedAsByTheWholeFileParser(_ what: String, _ insert: String) {
        let whole = Self.program(functions: 400)
        let marker = "\nfunc f200("
        let head = whole.split(separator: marker, maxSplits: 1, omittingEmptySubsequences: false)
        #expect(head.count == 2)
        let text = head[0] + "\n" + insert + marker.dropFirst() + (head.count > 1 ? head[1] : "")
        let file = SourceFile(name: "t.zong", text: text)
        #expect(parseInParts(file, tasks: Self.concurrent) == nil, "\(what)")
        let parser = Parser(file)
        _ = parser.parseUnit(.program)
        let expected = parser.allDiagnostics().map { "\($0.span.start) \($0.message)" }
        #expect(!expected.isEmpty)
        let result = parseProgram(file, tasks: Self.concurrent)
        #expect(result.diagnostics.map { "\($0.span.start) \($0.message)" } == expected, "\(what)")
    }
}
