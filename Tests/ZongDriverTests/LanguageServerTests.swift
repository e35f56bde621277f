import Foundation
import Testing

/// `zong lsp` driven over JSON-RPC as an editor drives it: the real binary, framed messages on
/// its stdin and stdout, asserted answers for every feature.
final class LSPSession {
    let process = Process()
    let input = Pipe(), output = Pipe()
    var buffer = Data()
    var notifications: [[String: Any]] = []
    var nextID = 1

    init() throws {
        guard let zong = ZongBinary.executable else { throw ZongBinary.NotBuilt() }
        process.executableURL = URL(fileURLWithPath: zong)
        process.arguments = ["lsp"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Never hang a test run on a server that stopped answering.
        let p = process
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if p.isRunning { p.terminate() } }
    }

    func send(_ message: [String: Any]) {
        var m = message
        m["jsonrpc"] = "2.0"
        let body = (try? JSONSerialization.data(withJSONObject: m)) ?? Data()
        input.fileHandleForWriting.write(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    func receive() -> [String: Any]? {
        while true {
            if let end = buffer.range(of: Data("\r\n\r\n".utf8)) {
                let header = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                let length = Int(header.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
                if buffer.count - (end.upperBound - buffer.startIndex) >= length {
                    let body = buffer[end.upperBound..<(end.upperBound + length)]
                    buffer = Data(buffer[(end.upperBound + length)...])
                    return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                }
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    func request(_ method: String, _ params: Any) -> [String: Any]? {
        let id = nextID
        nextID += 1
        send(["id": id, "method": method, "params": params])
        while let m = receive() {
            if m["id"] as? Int == id { return m }
            notifications.append(m)
        }
        return nil
    }

    func notify(_ method: String, _ params: Any) { send(["method": method, "params": params]) }

    /// The next diagnostics published for `uri`.
    func diagnostics(_ uri: String) -> [[String: Any]]? {
        while true {
            if let i = notifications.firstIndex(where: { $0["method"] as? String == "textDocument/publishDiagnostics" }) {
                let n = notifications.remove(at: i)
                let params = n["params"] as? [String: Any] ?? [:]
                if params["uri"] as? String == uri { return params["diagnostics"] as? [[String: Any]] }
                continue
            }
            guard let m = receive() else { return nil }
            notifications.append(m)
        }
    }
}

@Suite struct LanguageServerTests {
    static let uri = "file:///work/p.zong"
    static let source = """
        struct Point(x: I64, y: I64)

        func norm(p: Point): I64 {
            return p.x * p.x + p.y * p.y
        }

        func main() {
            var pt: Point = Point(x: 3, y: 4)
            var total: I64 = norm(pt)
            print(total)
            print(pt.x)
        }

        """

    func position(_ line: Int, _ character: Int) -> [String: Any] {
        ["textDocument": ["uri": Self.uri], "position": ["line": line, "character": character]]
    }

    func result(_ m: [String: Any]?) -> Any? { m?["result"] }

    @Test func aWholeSession() throws {
        let s = try LSPSession()
        let initialize = s.request("initialize", ["processId": NSNull(), "rootUri": NSNull(), "capabilities": [:]] as [String: Any])
        let capabilities = (result(initialize) as? [String: Any])?["capabilities"] as? [String: Any] ?? [:]
        for feature in ["hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider",
                        "documentFormattingProvider", "renameProvider", "completionProvider"] {
            #expect(capabilities[feature] != nil, "\(feature)")
        }
        s.notify("initialized", [:] as [String: Any])
        s.notify("textDocument/didOpen", ["textDocument": ["uri": Self.uri, "languageId": "zong", "version": 1, "text": Self.source]])
        #expect(s.diagnostics(Self.uri)?.isEmpty == true)

        // Hover: a function's signature, a variable's type, a field.
        let hover = ((result(s.request("textDocument/hover", position(8, 22))) as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String
        #expect(hover == "```zong\nfunc norm(p: Point): I64\n```", "\(hover ?? "nil")")
        let varHover = ((result(s.request("textDocument/hover", position(9, 12))) as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String
        #expect(varHover?.contains("var total: I64") == true, "\(varHover ?? "nil")")
        let fieldHover = ((result(s.request("textDocument/hover", position(10, 13))) as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String
        #expect(fieldHover?.contains("Point.x: I64") == true, "\(fieldHover ?? "nil")")

        // Definition of `total` in print(total) is its var on line 8.
        let definition = result(s.request("textDocument/definition", position(9, 11))) as? [String: Any]
        let defStart = (definition?["range"] as? [String: Any])?["start"] as? [String: Int]
        #expect(defStart == ["line": 8, "character": 8], "\(String(describing: definition))")

        // References of `pt`: the declaration and two uses.
        let references = result(s.request("textDocument/references", position(7, 9).merging(["context": ["includeDeclaration": true]]) { a, _ in a })) as? [[String: Any]]
        #expect(references?.count == 3, "\(String(describing: references))")

        // Document symbols: the struct (with its fields) and both functions.
        let symbols = result(s.request("textDocument/documentSymbol", ["textDocument": ["uri": Self.uri]])) as? [[String: Any]] ?? []
        #expect(symbols.compactMap { $0["name"] as? String } == ["Point", "norm", "main"], "\(symbols)")
        #expect((symbols.first?["children"] as? [[String: Any]])?.count == 2)

        // Completion: locals, functions, built-ins in a body; fields after a dot.
        let items = ((result(s.request("textDocument/completion", position(9, 10))) as? [String: Any])?["items"] as? [[String: Any]] ?? [])
            .compactMap { $0["label"] as? String }
        for expected in ["total", "pt", "norm", "print", "append", "Point", "I64"] { #expect(items.contains(expected), "\(expected) in \(items)") }
        #expect(!items.contains("p"), "a parameter of another function is not visible")

        // Rename a local: every use.
        let rename = result(s.request("textDocument/rename", position(8, 9).merging(["newName": "sum"]) { a, _ in a })) as? [String: Any]
        let edits = (rename?["changes"] as? [String: Any])?[Self.uri] as? [[String: Any]]
        #expect(edits?.count == 2 && edits?.allSatisfy { $0["newText"] as? String == "sum" } == true, "\(String(describing: rename))")
        let badRename = s.request("textDocument/rename", position(8, 9).merging(["newName": "if"]) { a, _ in a })
        #expect(badRename?["error"] != nil)

        // Change: a misspelt name and a dot being typed; diagnostics come with the hint.
        let changed = Self.source.replacingOccurrences(of: "print(total)", with: "print(totl)").replacingOccurrences(of: "print(pt.x)", with: "print(pt.x)\n    pt.")
        s.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 2], "contentChanges": [["text": changed]]])
        let diagnostics = s.diagnostics(Self.uri) ?? []
        #expect(diagnostics.contains { ($0["message"] as? String) == "undefined symbol 'totl'" && ($0["severity"] as? Int) == 1 }, "\(diagnostics)")
        #expect(diagnostics.contains { d in ((d["relatedInformation"] as? [[String: Any]])?.first?["message"] as? String)?.contains("did you mean 'total'") == true })
        let fields = ((result(s.request("textDocument/completion", position(11, 7))) as? [String: Any])?["items"] as? [[String: Any]] ?? [])
            .compactMap { $0["label"] as? String }
        #expect(fields == ["x", "y"], "\(fields)")

        // Formatting: the whole document replaced by zong fmt's layout.
        let messy = "func main(){\nvar x:I64=1\nprint(x)}\n"
        s.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 3], "contentChanges": [["text": messy]]])
        let format = result(s.request("textDocument/formatting", ["textDocument": ["uri": Self.uri], "options": ["tabSize": 4, "insertSpaces": true]])) as? [[String: Any]]
        #expect(format?.first?["newText"] as? String == "func main() {\n    var x: I64 = 1\n    print(x)\n}\n", "\(String(describing: format))")
        // Warnings too, as severity 2.
        s.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 4], "contentChanges": [["text": "func main() {\n    var unused: I64 = 1\n}\n"]]])
        let warnings = s.diagnostics(Self.uri) ?? []
        #expect(warnings.contains { ($0["severity"] as? Int) == 2 && ($0["code"] as? String) == "unused-variable" }, "\(warnings)")

        #expect(s.request("shutdown", NSNull()) != nil)
        s.notify("exit", NSNull())
        s.process.waitUntilExit()
        #expect(s.process.terminationStatus == 0)
    }

    /// The Markdown of a hover at (line, character) of `uri`, nil for a null answer.
    func hoverText(_ s: LSPSession, _ uri: String, _ line: Int, _ character: Int) -> String? {
        let answer = s.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": line, "character": character]])
        return ((answer?["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String
    }

    func code(_ text: String) -> String { "```zong\n\(text)\n```" }

    /// Hover over any expression, not only names: the type Sema gave it, for the innermost
    /// expression under the cursor; nothing in whitespace or comments.
    @Test func hoverShowsTheTypeOfAnyExpression() throws {
        let uri = "file:///work/hover.zong"
        let source = """
            struct Point(x: I64, y: I64)

            func add(a: I64, b: I64): I64 {
                return a + b
            }

            func main() {
                var p: Point = Point(x: 3, y: 4)
                var q: Point* = p&
                var s: U8[] = "hello"
                var i: I64 = 1
                // a comment about add
                var total: I64 = add(a: p.x, b: q*.y) * (i + 2)
                var small: U8 = s[i] + 7
                var ok: Boolean = (total < 2) == !ok2()
                print(total)
            }

            func ok2(): Boolean { return true }

            """
        let s = try LSPSession()
        _ = s.request("initialize", ["capabilities": [:]] as [String: Any])
        s.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "zong", "version": 1, "text": source]])
        let cases: [(line: Int, character: Int, expected: String?, what: String)] = [
            (3, 13, "I64", "the + of a + b"),
            (12, 24, "I64", "the ( of a call add(a: …)"),
            (12, 29, "I64", "the . of a field access p.x"),
            (12, 37, "Point", "the * of a dereference q*"),
            (12, 44, "I64", "the ( of a parenthesised (i + 2)"),
            (12, 50, "I64", "the ) of a parenthesised (i + 2)"),
            (12, 49, "I64", "an integer literal given I64 by its context"),
            (12, 42, "I64", "the * of a multiplication"),
            (13, 21, "U8", "the [ of an index s[i]"),
            (13, 27, "U8", "a literal given U8 by its context"),
            (9, 20, "U8[]", "inside a string literal"),
            (8, 21, "Point*", "the & of an address-of p&"),
            (7, 24, "Point", "the ( of a struct construction"),
            (14, 34, "Boolean", "the == of a comparison"),
            (14, 37, "Boolean", "the ! of a not"),
            (15, 9, "void  // no value", "the ( of a call without a value"),
            // Names keep their declarations.
            (3, 11, "a: I64  // parameter of add", "a parameter"),
            (12, 21, "func add(a: I64, b: I64): I64", "a function's name in a call"),
            (12, 30, "Point.x: I64  // field", "a field's name"),
            // Nothing in whitespace, comments, blank lines, keywords or past the end.
            (11, 0, nil, "indentation"),
            (11, 8, nil, "inside a comment"),
            (1, 0, nil, "a blank line"),
            (12, 41, nil, "the space between ) and *"),
            (12, 4, nil, "the keyword var"),
            (40, 3, nil, "past the end of the file"),
        ]
        for c in cases {
            let answer = hoverText(s, uri, c.line, c.character)
            #expect(answer == c.expected.map(code), "\(c.what) at \(c.line):\(c.character): \(answer ?? "null")")
        }
        // The answer's range is the expression's (with the parentheses of a group).
        let group = s.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": 12, "character": 44]])
        let range = (group?["result"] as? [String: Any])?["range"] as? [String: Any]
        #expect(range?["start"] as? [String: Int] == ["line": 12, "character": 44], "\(String(describing: range))")
        #expect(range?["end"] as? [String: Int] == ["line": 12, "character": 51], "\(String(describing: range))")
        _ = s.request("shutdown", NSNull())
        s.notify("exit", NSNull())
    }

    /// A file that does not check answers for what did check and null elsewhere; no offset of
    /// it (every byte, in files with syntax and type errors, unterminated text) crashes the server.
    @Test func hoverInAFileWithErrors() throws {
        let uri = "file:///work/broken.zong"
        let source = """
            func broken(n: I64): I64 {
                var total: I64 = (n + 1
                var other: Boolean = n == 2
                print(undefinedThing + 1)
                return total * 2
            }

            func main() {
                var count: I64 = 3
                var flag: Boolean = count
                print(count - 1)
            }

            """
        let s = try LSPSession()
        _ = s.request("initialize", ["capabilities": [:]] as [String: Any])
        s.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "zong", "version": 1, "text": source]])
        #expect(hoverText(s, uri, 2, 27) == code("Boolean"), "n == 2 checked though the function has a parse error")
        #expect(hoverText(s, uri, 10, 16) == code("I64"), "count - 1 checked though main has a type error")
        #expect(hoverText(s, uri, 3, 25) == nil, "undefinedThing + 1 failed to check: no type")
        #expect(hoverText(s, uri, 1, 24) == nil, "(n + 1 did not parse")
        // A function still open at the end of the text (being typed) answers too.
        s.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": 2],
                                            "contentChanges": [["text": String(source.prefix(while: { $0 != "}" }))]]])
        #expect(hoverText(s, uri, 2, 27) == code("Boolean"), "n == 2 in a function left open")
        // Every position of it, and of the text cut off inside a string and inside a block.
        for text in [source, source.replacingOccurrences(of: "print(count - 1)", with: "var s: U8[] = \"unterminated"),
                     String(source.prefix(while: { $0 != "}" }))] {
            s.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": 2], "contentChanges": [["text": text]]])
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (line, text) in lines.enumerated() {
                for character in 0...(text.count + 1) { _ = hoverText(s, uri, line, character) }
            }
        }
        #expect(s.request("shutdown", NSNull())?["result"] != nil || s.process.isRunning, "the server survived every offset")
        s.notify("exit", NSNull())
        s.process.waitUntilExit()
        #expect(s.process.terminationStatus == 0)
    }

    /// Edits in quick succession: diagnostics once the typing stops, for the last text.
    @Test func diagnosticsAreDebounced() throws {
        let s = try LSPSession()
        _ = s.request("initialize", ["capabilities": [:]] as [String: Any])
        s.notify("textDocument/didOpen", ["textDocument": ["uri": Self.uri, "languageId": "zong", "version": 1, "text": "func main() {}\n"]])
        for v in 2..<20 {
            s.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": v],
                                                "contentChanges": [["text": "func main() { print(x\(v)) }\n"]]])
        }
        var last: [[String: Any]] = []
        var count = 0
        // Every publication is for a whole text; the final one is for the last.
        _ = s.request("textDocument/documentSymbol", ["textDocument": ["uri": Self.uri]])
        while let d = s.diagnostics(Self.uri) {
            count += 1
            last = d
            if (d.first?["message"] as? String) == "undefined symbol 'x19'" { break }
        }
        #expect(count < 5, "published \(count) times for 19 quick edits")
        #expect((last.first?["message"] as? String) == "undefined symbol 'x19'")
        _ = s.request("shutdown", NSNull())
        s.notify("exit", NSNull())
    }
}
