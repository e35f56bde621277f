import Testing
import ZongSema
import ZongSyntax

private func typed(_ text: String) -> TypedProgram? {
    let file = SourceFile(name: "t.zong", text: text)
    let parsed = parseProgram(file)
    guard parsed.diagnostics.isEmpty else { return nil }
    return check(parsed.program, file: file).program
}

/// The typed-AST shapes of issue 20's additions (what Codegen and the IR see).
@Suite struct LanguageAdditionsTests {
    private func mainBody(_ text: String) -> [TStmt] { typed(text)?.main.body ?? [] }

    @Test func conversionsAreConvertNodesOrConstants() throws {
        let body = mainBody("var x: I64 = 1; var a: U8 = U8(x); var b: U8 = U8(7); var c: I64 = I64(x);")
        #expect(body.count == 4)
        guard body.count == 4, case .variable(_, let a?) = body[1], case .variable(_, let b?) = body[2],
              case .variable(_, let c?) = body[3] else { return }
        if case .convert(let inner) = a.kind { #expect(inner.type == .integer(.i64)) } else { Issue.record("U8(x) is not .convert") }
        #expect(a.type == .integer(.u8))
        if case .integer(7) = b.kind {} else { Issue.record("U8(7) is not a constant") }
        if case .local = c.kind {} else { Issue.record("I64(x) of an I64 is not x itself") }
    }

    @Test func bitOperatorsAndShifts() {
        let body = mainBody("var x: U32 = 1; var n: U8 = 3; var a: U32 = x &^ 2; var b: U32 = x << n; var c: U32 = ^x;")
        guard body.count == 5, case .variable(_, let a?) = body[2], case .variable(_, let b?) = body[3],
              case .variable(_, let c?) = body[4] else {
            Issue.record("shape")
            return
        }
        if case .bitwise(.andNot, _, _) = a.kind {} else { Issue.record("&^") }
        if case .shift(.left, let v, let count) = b.kind {
            #expect(v.type == .integer(.u32) && count.type == .integer(.u8))
        } else { Issue.record("<<") }
        if case .complement = c.kind {} else { Issue.record("^x") }
    }

    /// `x += e` is `x = x + e`; a target with a call goes through one pointer variable.
    @Test func compoundAssignmentDesugars() {
        let body = mainBody("""
            func f(): I64 { return 0; }
            func main() { var x: I64 = 1; x += 2; var s: I64[]; append(s&, 1); s[f()] *= 3; }
            """)
        guard body.count == 5, case .assign(let t, let v, _) = body[1] else {
            Issue.record("shape")
            return
        }
        if case .local = t.kind, case .arithmetic(.add, _, _) = v.kind {} else { Issue.record("x += 2") }
        guard case .block(let inner) = body[4], inner.count == 2, case .variable(let p, let address?) = inner[0],
              case .assign(let target, _, _) = inner[1] else {
            Issue.record("s[f()] *= 3")
            return
        }
        #expect(p.type == .pointer(.integer(.i64)))
        if case .addressOf(let location) = address.kind, case .index = location.kind {} else { Issue.record("t = s[f()]&") }
        if case .dereference = target.kind {} else { Issue.record("t* = t* * 3") }
    }

    /// `for INIT; COND; POST {}` is `{ INIT; loop { if !COND { break; } BODY; POST } }`, and a
    /// `continue` in BODY is `{ POST; continue; }`.
    @Test func forDesugarsToLoop() {
        let body = mainBody("for var i: I64 = 0; i < 3; i += 1 { if i == 1 { continue; } print(i); }")
        guard body.count == 1, case .block(let outer) = body[0], outer.count == 2, case .variable = outer[0],
              case .loop(let loop) = outer[1], loop.count == 4 else {
            Issue.record("shape")
            return
        }
        if case .ifElse(let branches, nil) = loop[0], case .comparison(.greaterOrEqual, _, _) = branches[0].condition.kind,
           case .breakLoop = branches[0].body[0] {} else { Issue.record("exit test") }
        if case .ifElse(let branches, nil) = loop[1], case .block(let b) = branches[0].body[0], b.count == 2,
           case .assign = b[0], case .continueLoop = b[1] {} else { Issue.record("continue runs the post statement") }
        if case .assign = loop[3] {} else { Issue.record("post statement last") }
    }

    @Test func unusedLibraryIsNotCompiled() throws {
        let program = try #require(typed("func main() { print(1); }"))
        #expect(program.functions.count == 1)
        #expect(program.externs.isEmpty)
        #expect(program.structs.isEmpty)
    }

    @Test func reachedLibraryFunctionsFollowTheUsersFunctions() throws {
        let program = try #require(typed("func helper() {} func main() { var d: U8[]; print(read_file(\"x\", d&)); helper(); }"))
        let names = program.functions.map(\.name)
        #expect(Array(names.prefix(2)) == ["helper", "main"])
        #expect(names.contains("read_file") && names.contains("_zong_open"))
        #expect(!names.contains("write_file") && !names.contains("args"))
        #expect(program.externs.map(\.name).contains("path_open"))
        #expect(!program.externs.map(\.name).contains("args_get"))
    }

    @Test func everyLibraryFunctionChecksClean() {
        let file = SourceFile(name: "t.zong", text: """
            func main() {
                print_int(1); eprint(2); eprint(true); eprint_bytes("x"); var s: U8[] = format_int(3);
                var u: U64 = 4; print_int(u); s = format_int(u); eprint(u);
                var n: I64 = 0; print(parse_int("5", n&)); print(bytes_equal(s, s)); print(bytes_compare(s, s));
                print(args().length); var d: U8[]; print(read_file("a", d&)); print(write_file("a", d));
                print(append_file("a", d)); exit(0);
            }
            """)
        let parsed = parseProgram(file)
        #expect(parsed.diagnostics.isEmpty)
        #expect(check(parsed.program, file: file).diagnostics.map(\.message) == [])
    }
}
