import Foundation
import Testing

/// Diagnostics a user can act on, through the real binary: every phase that can run reports in
/// one run, "did you mean" for misspelt names, hints for habits from Go, notes at declarations.
@Suite struct DiagnosticHintsTests {
    static func check(_ source: String, json: Bool = false) throws -> ZongBinary.Result {
        let dir = ZongBinary.temporaryDirectory()
        let path = dir.appendingPathComponent("p.zong").path
        try Data(source.utf8).write(to: URL(fileURLWithPath: path))
        return try ZongBinary.run(["check", "p.zong", "--color", "never"] + (json ? ["--diagnostics-format", "json"] : []), directory: dir)
    }

    /// The errors (not notes) of a run, as `LINE:COL: MESSAGE`.
    static func errors(_ r: ZongBinary.Result) -> [String] {
        r.stderr.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("p.zong:"), line.contains(": error: ") else { return nil }
            return String(line.dropFirst("p.zong:".count))
        }
    }

    @Test func parseAndCheckErrorsInOneRun() throws {
        let r = try Self.check("""
            func broken() {
                var a: I64 = (1 + ;
                print(a)
            }

            func main() {
                var count: I64 = 3
                print(cuont)
            }
            """)
        #expect(r.status == 1)
        // The parse error, and the undefined name in another function; not the cascade
        // (`a` is undefined only because its declaration failed to parse).
        #expect(Self.errors(r) == ["2:23: error: unexpected token ';' in expression", "8:11: error: undefined symbol 'cuont'"],
                "\(r.stderr)")
    }

    @Test func noCascadeFromAFailedDeclaration() throws {
        let r = try Self.check("""
            func main() {
                var total: I64 = @
                print(total)
                helper()
            }
            func helper( {
            }
            """)
        #expect(r.status == 1)
        #expect(!r.stderr.contains("undefined symbol 'total'") && !r.stderr.contains("undefined symbol 'helper'")
                && !r.stderr.contains("missing function"), "\(r.stderr)")
    }

    @Test(arguments: [
        ("func main() {\n    var count: I64 = 3\n    print(cuont)\n}\n", "did you mean 'count'? (variable declared here)", "count"),
        ("func area(width: I64): I64 { return widht }\nfunc main() {}\n", "did you mean 'width'? (parameter declared here)", "width"),
        ("func total(): I64 { return 1 }\nfunc main() { print(totl()) }\n", "did you mean 'total'? (function declared here)", "total"),
        ("func main() { prnt(1) }\n", "did you mean 'print'?", "print"),
        ("struct Point(x: I64)\nfunc main() { var p: Pont = Point(x: 1) }\n", "did you mean 'Point'? (struct declared here)", "Point"),
        ("struct Point(width: I64)\nfunc main() { var p: Point = Point(width: 1); print(p.widht) }\n", "did you mean 'width'? (field declared here)", "width"),
        ("func main() { var s: I64[] = I64[](); print(s.lenght) }\n", "did you mean 'length'?", "length"),
        ("func main() { var b: Bool = true }\n", "Zong spells this type 'Boolean'", "Boolean"),
    ])
    func didYouMean(_ source: String, _ note: String, _ replacement: String) throws {
        let r = try Self.check(source)
        #expect(r.status == 1)
        #expect(r.stderr.contains("note: \(note)"), "\(r.stderr)")
        let json = try Self.check(source, json: true)
        #expect(json.stderr.contains("\"replacement\":\"\(replacement)\""), "\(json.stderr)")
    }

    @Test(arguments: [
        ("func main() { x := 5 }\n", "Zong has no ':='; declare a variable with 'var x: TYPE = VALUE', or assign with 'x = VALUE'"),
        ("func f(n int) {}\nfunc main() {}\n", "write the type after a colon: 'n: I64'"),
        ("func main() { var n int = 1 }\n", "write the type after a colon: 'n: I64'"),
        ("func main() { var n: int = 1 }\n", "Zong spells this type 'I64'"),
        ("func main() { var n = 1 }\n", "a variable needs its type: 'var n: TYPE = VALUE' (Zong does not infer it)"),
        ("func main() { var x: I64 = 1; var p: I64* = &x }\n", "taking an address is a postfix operator in Zong: write 'x&'"),
        ("func main() { var x: I64 = 1; var p: I64* = x&; print(*p) }\n", "dereferencing is a postfix operator in Zong: write 'p*'"),
        ("func main() { var i: I64 = 0; i++ }\n", "Zong has no '++'; write 'i = i + 1'"),
        ("func f() int { return 1 }\nfunc main() {}\n", "a return type follows a colon: '): I64'"),
        ("func main() { var s: []I64 }\n", "slice types put '[]' after the element type: 'I64[]'"),
    ])
    func goHabits(_ source: String, _ note: String) throws {
        let r = try Self.check(source)
        #expect(r.status == 1)
        #expect(r.stderr.contains("note: \(note)"), "\(r.stderr)")
    }

    /// A fix-it for a Go habit, applied, gives a program that checks.
    @Test func fixItsApplyCleanly() throws {
        let source = "func f(n int): I64 { return n }\nfunc main() { var x: I64 = 1; var p: I64* = &x; print(f(n: p*)) }\n"
        var text = source
        for _ in 0..<3 {
            let r = try Self.check(text, json: true)
            if r.status == 0 { break }
            guard let line = r.stderr.split(separator: "\n").first,
                  let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let fix = (object["fixIts"] as? [[String: Any]])?.first,
                  let l = fix["line"] as? Int, let c = fix["column"] as? Int, let el = fix["endLine"] as? Int,
                  let ec = fix["endColumn"] as? Int, let replacement = fix["replacement"] as? String else {
                Issue.record("no fix-it: \(r.stderr)")
                return
            }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(l == el)
            let chars = Array(lines[l - 1])
            lines[l - 1] = String(chars[..<(c - 1)]) + replacement + String(chars[(ec - 1)...])
            text = lines.joined(separator: "\n")
        }
        let final = try Self.check(text)
        #expect(final.status == 0, "\(text)\n\(final.stderr)")
    }

    @Test func notesAtDeclarations() throws {
        let duplicate = try Self.check("func main() {\n    var n: I64 = 1\n    var n: I64 = 2\n}\n")
        #expect(duplicate.stderr.contains("p.zong:2:9: note: 'n' was first declared here"), "\(duplicate.stderr)")
        let unassigned = try Self.check("func main() {\n    var n: I64\n    print(n)\n}\n")
        #expect(unassigned.stderr.contains("p.zong:2:9: note: 'n' is declared here without a value"), "\(unassigned.stderr)")
        let call = try Self.check("func add(a: I64, b: I64): I64 { return a + b }\nfunc main() { print(add(a: 1)) }\n")
        #expect(call.stderr.contains("p.zong:1:6: note: 'add' is declared here"), "\(call.stderr)")
    }

    /// A file with a mix of mistakes gets all of them in one run, each with a useful message.
    @Test func aMixOfErrors() throws {
        let r = try Self.check("""
            struct Point(x: I64, y: I64)

            func length(p: Point): I64 {
                return p.x * p.x + p.y * p.y
            }

            func parse(n int): I64 {
                return n
            }

            func main() {
                var pt: Point = Point(x: 3, y: 4)
                total := 0
                print(lenght(p: pt))
            }
            """)
        let errors = Self.errors(r)
        #expect(errors.count == 3, "\(r.stderr)")
        #expect(r.stderr.contains("write the type after a colon: 'n: I64'"))
        #expect(r.stderr.contains("Zong has no ':='"))
        #expect(r.stderr.contains("did you mean 'length'?"), "\(r.stderr)")
    }

    /// A realistic program with one mistake of each kind: a parse error (and a type error after
    /// it in the same function), a misspelt name, a type mismatch, a wrong argument label, a
    /// missing return, an unknown field. One run reports every one, located, and exits 1.
    @Test func everyKindOfMistakeInOneRun() throws {
        let r = try Self.check("""
            // Inventory: a few helpers and a report.
            struct Item(name: U8[], count: I64, price: I64)

            func total(items: Item[]): I64 {
                var sum: I64 = 0
                var i: I64 = 0
                loop {
                    if i >= items.length { break }
                    sum = sum + items[i].count * items[i].price
                    i = i + 1
                }
                return sum
            }

            func discount(amount: I64, percent: I64): I64 {
                var cut: I64 = (amount * percent / 100
                var rounded: Boolean = amount / 10
                return amount - cut
            }

            func classify(amount: I64): I64 {
                if amount > 1000 {
                    return 2
                } else if amount > 100 {
                    return 1
                }
            }

            func main() {
                var items: Item[] = Item[]()
                append(items&, Item(name: "pen", count: 3, price: 2))
                append(items&, Item(name: "ink", count: 1, price: 9))
                var sum: I64 = total(items: items)
                print(summ)
                var flag: Boolean = sum + 1
                print(discount(amount: sum, percentage: 10))
                print(items[0].weight)
                print(classify(amount: sum))
            }
            """)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(Self.errors(r) == [
            "17:5: error: expected ')' after expression",
            "17:28: error: cannot initialize variable of type Boolean with value of type I64",
            "21:6: error: missing return in function 'classify'",
            "34:11: error: undefined symbol 'summ'",
            "35:25: error: cannot initialize variable of type Boolean with value of type I64",
            "36:33: error: function call has unknown parameter 'percentage'",
            "37:11: error: struct Item has no field named 'weight'",
        ], "\(r.stderr)")
        #expect(r.stderr.contains("p.zong:33:9: note: did you mean 'sum'? (variable declared here)"), "\(r.stderr)")
        // No cascade from the declaration that failed to parse: `cut` is not "undefined".
        #expect(!r.stderr.contains("'cut'"), "\(r.stderr)")
    }

    /// A function still open at the end of the file (an editor's usual state) is an error, and
    /// the statements it holds are still checked.
    @Test func aFunctionLeftOpenAtTheEndIsStillChecked() throws {
        let r = try Self.check("""
            func main() {
                var count: I64 = 3
                var ready: Boolean = count
                print(cuont)
                if count > 1 {
                    print(count)

            """)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(Self.errors(r) == [
            "1:13: error: expected '}' at end of block",
            "3:26: error: cannot initialize variable of type Boolean with value of type I64",
            "4:11: error: undefined symbol 'cuont'",
            "5:18: error: expected '}' at end of block",
        ], "\(r.stderr)")
    }
}
