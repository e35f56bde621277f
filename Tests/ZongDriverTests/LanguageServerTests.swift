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
