import Testing
@testable import ZongSyntax

private func parse(_ text: String, _ form: SourceForm = .program) -> ParseResult {
    parseProgram(SourceFile(name: "t.zong", text: text), form: form)
}

private func expr(_ text: String) -> String {
    let result = parse(text, .expression)
    guard case .expression(let e)? = result.program.statements.first else { return "<none>" }
    return ASTDump.expression(e)
}

private func messages(_ text: String, _ form: SourceForm = .program) -> [String] {
    parse(text, form).diagnostics.map(\.message)
}

@Suite struct PrecedenceTests {
    /// The parses LANGUAGE.md §3.3 lists, including its deliberate surprises.
    @Test(arguments: [
        ("1 + 2 * 3 + 4", "(binary \"+\" (binary \"+\" 1 (binary \"*\" 2 3)) 4)"),
        ("x || y && z", "(binary \"||\" (var \"x\") (binary \"&&\" (var \"y\") (var \"z\")))"),
        ("x& + 1", "(binary \"+\" (unary \"&\" (var \"x\")) 1)"),
        ("x&*", "(unary \"*\" (unary \"&\" (var \"x\")))"),
        ("arr[0]&*", "(unary \"*\" (unary \"&\" (idx (var \"arr\") 0)))"),
        ("!f() == true", "(binary \"==\" (unary \"!\" (call (var \"f\"))) true)"),
        ("matrix[i][j]", "(idx (idx (var \"matrix\") (var \"i\")) (var \"j\"))"),
        ("p*.x", "(dot (unary \"*\" (var \"p\")) \"x\")"),
        ("a = b = c", "(binary \"=\" (var \"a\") (binary \"=\" (var \"b\") (var \"c\")))"),
        ("a * -b", "(binary \"-\" (unary \"*\" (var \"a\")) (var \"b\"))"),
        ("x * p*", "(unary \"*\" (binary \"*\" (var \"x\") (var \"p\")))"),
        ("!a + b", "(unary \"!\" (binary \"+\" (var \"a\") (var \"b\")))"),
        ("-a * b", "(unary \"-\" (binary \"*\" (var \"a\") (var \"b\")))"),
        ("-a + b", "(binary \"+\" (unary \"-\" (var \"a\")) (var \"b\"))"),
        ("ptr* * y + 6", "(binary \"+\" (binary \"*\" (unary \"*\" (var \"ptr\")) (var \"y\")) 6)"),
        ("Point(x: 1, y: 2)", "(call (type \"Point\") \"x\" 1 \"y\" 2)"),
        ("U8[]().length", "(dot (call (type \"U8[]\")) \"length\")"),
        ("(t*)[i]", "(idx (unary \"*\" (var \"t\")) (var \"i\"))"),
        ("007", "7"),
    ])
    func parsesAsSpecified(_ source: String, _ tree: String) {
        #expect(expr(source) == tree)
    }

    @Test func zongExprIgnoresTrailingTokens() {
        #expect(expr("print(1) garbage )") == "(call (var \"print\") 1)")
        #expect(messages("print(1) garbage )", .expression).isEmpty)
    }

    @Test func semicolonsAreOptionalTerminators() {
        let r = parse("print(1) print(2)\nvar n: I64 = 0")
        #expect(r.diagnostics.isEmpty)
        #expect(r.program.statements.count == 3)
    }
}

@Suite struct LexerTests {
    @Test func maximalMunchProducesUnusableTokens() {
        #expect(messages("a--b;") == ["unexpected token '--' in expression"])
        #expect(messages("x := 5;").contains("unexpected token ':=' in expression"))
    }

    /// Issue 20: `0x10` is one literal now (it used to be `0` then the identifier `x10`).
    @Test func hexAndBinaryLiterals() {
        #expect(expr("0x10") == "16")
        #expect(expr("0b1_01") == "5")
        #expect(expr("1_000") == "1000")
    }

    @Test func bitOperatorsHaveGoPrecedence() {
        #expect(expr("a | b & c") == "(binary \"|\" (var \"a\") (binary \"&\" (var \"b\") (var \"c\")))")
        #expect(expr("a + b << 2") == "(binary \"+\" (var \"a\") (binary \"<<\" (var \"b\") 2))")
        #expect(expr("a ^ b == c") == "(binary \"==\" (binary \"^\" (var \"a\") (var \"b\")) (var \"c\"))")
        #expect(expr("^a & b") == "(binary \"&\" (unary \"^\" (var \"a\")) (var \"b\"))")
        #expect(expr("a &^ b * c") == "(binary \"*\" (binary \"&^\" (var \"a\") (var \"b\")) (var \"c\"))")
    }

    /// Binary `&` is told apart from postfix address-of exactly as `*` is (§3.3).
    @Test func ampersandIsBinaryBeforeAnOperand() {
        #expect(expr("a & b") == "(binary \"&\" (var \"a\") (var \"b\"))")
        #expect(expr("a & 1") == "(binary \"&\" (var \"a\") 1)")
        #expect(expr("a & (b)") == "(binary \"&\" (var \"a\") (var \"b\"))")
        #expect(expr("x& + 1") == "(binary \"+\" (unary \"&\" (var \"x\")) 1)")
        #expect(expr("x&") == "(unary \"&\" (var \"x\"))")
        #expect(expr("x&*") == "(unary \"*\" (unary \"&\" (var \"x\")))")
    }

    @Test func compoundAssignmentAndFor() {
        #expect(expr("x += 1") == "(binary \"+=\" (var \"x\") 1)")
        #expect(expr("x <<= y &^= 2") == "(binary \"<<=\" (var \"x\") (binary \"&^=\" (var \"y\") 2))")
        #expect(messages("for var i: I64 = 0; i < 3; i += 1 { print(i); }").isEmpty)
        #expect(messages("for x { }").isEmpty)
        #expect(messages("for { break; }").isEmpty)
        #expect(messages("for ; ; { break; }").isEmpty)
        #expect(messages("for var i: I64 = 0 { }") == ["expected ';' in for clauses"])
        #expect(messages("for x; y { }") == ["expected ';' in for clauses"])
        #expect(messages("for x print(1);") == ["expected '{' after for clauses"])
    }

    @Test func unterminatedStringPointsAtOpeningQuote() {
        let r = parse("print(\"abc")
        #expect(r.diagnostics.first?.message == "unterminated string literal")
        #expect(r.diagnostics.first?.span.start == 6)
    }

    /// The original read past its buffer here.
    @Test func trailingBackslashIsAnUnterminatedString() {
        #expect(messages("print(\"abc\\").contains("unterminated string literal"))
    }

    /// The original reported escapes twice when its parser looked ahead.
    @Test func eachBadEscapeIsReportedOnce() {
        #expect(messages("f(x \"a\\tb\")") .filter { $0.hasPrefix("unsupported escape") } == [
            "unsupported escape sequence '\\t' in string literal",
        ])
    }

    @Test func nonASCIIIsReportedOncePerLiteral() {
        #expect(messages("print_bytes(\"héé\");").filter { $0.hasPrefix("non-ASCII") }.count == 1)
    }

    @Test func characterLiteralsAreRejectedAndParsingTerminates() {
        #expect(messages("var c: U8 = 'a';").contains("unexpected token 'CHAR' in expression"))
        #expect(messages("var c: U8 = 'a;").contains("unterminated character literal"))
    }

    @Test func unterminatedBlockCommentIsAnError() {
        #expect(messages("print(1); /* never closed") == ["unterminated block comment"])
    }

    /// A block open at the end of input is an error (§3.7) that keeps what the block holds, so
    /// the checker and the language server still see a function being typed.
    @Test func aBlockOpenAtTheEndKeepsItsStatements() {
        let result = parse("func main() {\n    var x: I64 = 1\n    loop {\n        print(x)\n")
        #expect(result.diagnostics.map(\.message) == ["expected '}' at end of block", "expected '}' at end of block"])
        guard case .funcDecl(let f)? = result.program.statements.first else {
            Issue.record("the function is gone: \(result.program.statements)")
            return
        }
        #expect(f.body?.count == 2)
        #expect(f.body?.last?.nestedStatements.count == 1)
    }

    @Test func blockCommentsDoNotNest() {
        #expect(messages("/* a /* b */ print(1);").isEmpty)
    }

    @Test func unexpectedCharacterThenIllegalToken() {
        #expect(messages("print(@invalid)", .expression) == [
            "unexpected character '@'", "unexpected token 'ILLEGAL' in expression",
        ])
    }

    @Test func integerLiteralsAreExactUpTo64Bits() {
        #expect(messages("print(18446744073709551615)").isEmpty)
        #expect(messages("print(18446744073709551616)") == ["integer literal 18446744073709551616 is too large"])
    }
}

@Suite struct RecoveryTests {
    /// LANGUAGE.md §3.6: the exact messages of the conformance inputs.
    @Test func externWithoutBraceGivesThreeMessages() {
        #expect(messages("extern \"test_module\"\nfunc bad_func(): I32;") == [
            "expected '{' after extern module name", "expected '{' for function body",
            "unexpected token ';' in expression",
        ])
    }

    @Test func oneTypoDoesNotHideTheRest() {
        let m = messages("func main() {\n var x: I64 = ;\n print(1 +);\n var y I64;\n}")
        #expect(m.count == 3)
    }

    /// The original accepted these silently (§3.7).
    @Test(arguments: [
        "if true print(1);", "if true { } else print(1);", "loop print(1);", "func f(1) {}",
        "func main() { print(1);", "func main() { print(p.); }", "func main() { print(a[1); }",
        "struct P(X I64);",
    ])
    func silentFailuresOfTheOriginalAreErrors(_ source: String) {
        #expect(!messages(source).isEmpty)
    }

    /// The original looped forever on these (§3.8).
    @Test(arguments: ["}", "var x: I64 = 1 | ;", "x := 5;", "var c: U8 = 'a';", "struct P(X: I64);",
                      "func f(a: I64 {}", ")", "]", ",", ":", "^", "...", "a &^ ;", "x += ;", "for ; x"])
    func strayTokensTerminate(_ source: String) {
        #expect(!messages(source).isEmpty)
    }
}
