import Foundation
import ZongFormat
import ZongSema
import ZongSyntax

/// `zong lsp`: a Language Server Protocol server over stdio (JSON-RPC with Content-Length
/// framing). No Swift LSP types package is among the allowed dependencies (sourcekit-lsp's
/// LanguageServerProtocol is not; the MCP SDK speaks another protocol), and the dozen messages
/// used here are small, so they are read and written as JSON objects with Foundation.
///
/// Diagnostics of every phase (the same as `zong check`, warnings included) are published
/// after a change once no further message has arrived for 100 ms; hover, definition,
/// references, document symbols, completion, rename and formatting answer from the latest text.
public final class LanguageServer {
    var documents: [String: Document] = [:]
    var dirty: [String] = []
    var warnings = WarningOptions()
    var shutdownRequested = false
    let input: FileHandle
    var buffer = Data()

    public init(warnings: WarningOptions = .init()) {
        self.warnings = warnings
        self.input = FileHandle.standardInput
    }

    /// Serves until `exit` or end of input; the exit status (0 after `shutdown`, else 1).
    public func run() -> Int32 {
        while true {
            // Debounce: publish only when the client has paused.
            if !dirty.isEmpty, !inputReady(timeoutMilliseconds: 100) { publishDirty() }
            guard let message = readMessage() else { return shutdownRequested ? 0 : 1 }
            if let method = message["method"] as? String, method == "exit" { return shutdownRequested ? 0 : 1 }
            handle(message)
        }
    }

    // MARK: transport

    func inputReady(timeoutMilliseconds: Int32) -> Bool {
        if buffer.count > 0, headerEnd() != nil { return true }
        var fds = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&fds, 1, timeoutMilliseconds) > 0
    }

    func headerEnd() -> Range<Data.Index>? { buffer.range(of: Data("\r\n\r\n".utf8)) }

    func readMessage() -> [String: Any]? {
        while true {
            if let end = headerEnd() {
                let header = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                var length = 0
                for line in header.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                length = max(0, min(length, 1 << 30))
                if buffer.count - (end.upperBound - buffer.startIndex) >= length {
                    let body = buffer[end.upperBound..<(end.upperBound + length)]
                    buffer = Data(buffer[(end.upperBound + length)...])
                    if let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] { return object }
                    send(["jsonrpc": "2.0", "id": NSNull(), "error": ["code": -32700, "message": "parse error"]])
                    continue
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    func send(_ message: [String: Any]) {
        guard let body = try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys]) else { return }
        var out = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        out.append(body)
        out.withUnsafeBytes { _ = StandardStreams.writeAll(1, $0) }
    }

    func respond(_ id: Any, _ result: Any) {
        send(["jsonrpc": "2.0", "id": id, "result": result])
    }

    func fail(_ id: Any, _ code: Int, _ message: String) {
        send(["jsonrpc": "2.0", "id": id, "error": ["code": code, "message": message]])
    }

    // MARK: dispatch

    func handle(_ message: [String: Any]) {
        let method = message["method"] as? String ?? ""
        let params = message["params"] as? [String: Any] ?? [:]
        let id = message["id"]
        let uri = (params["textDocument"] as? [String: Any])?["uri"] as? String ?? ""
        switch method {
        case "initialize":
            respond(id ?? NSNull(), [
                "capabilities": [
                    "textDocumentSync": ["openClose": true, "change": 1],
                    "hoverProvider": true, "definitionProvider": true, "referencesProvider": true,
                    "documentSymbolProvider": true, "documentFormattingProvider": true,
                    "renameProvider": ["prepareProvider": true],
                    "completionProvider": ["triggerCharacters": ["."]],
                ] as [String: Any],
                "serverInfo": ["name": "zong", "version": ZongVersion.string],
            ])
        case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration", "textDocument/didSave":
            break
        case "shutdown":
            shutdownRequested = true
            respond(id ?? NSNull(), NSNull())
        case "textDocument/didOpen":
            let item = params["textDocument"] as? [String: Any] ?? [:]
            open(uri, item["text"] as? String ?? "")
        case "textDocument/didChange":
            if let text = (params["contentChanges"] as? [[String: Any]])?.last?["text"] as? String { open(uri, text) }
        case "textDocument/didClose":
            documents[uri] = nil
            dirty.removeAll { $0 == uri }
            send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": ["uri": uri, "diagnostics": []]])
        default:
            guard let id else { return }
            guard let doc = documents[uri] else {
                if method.hasPrefix("textDocument/") { respond(id, NSNull()) } else { fail(id, -32601, "method not found: \(method)") }
                return
            }
            let position = params["position"] as? [String: Any]
            let offset = position.map { doc.offset(line: $0["line"] as? Int ?? 0, character: $0["character"] as? Int ?? 0) } ?? 0
            switch method {
            case "textDocument/hover": respond(id, doc.hover(at: offset) ?? NSNull())
            case "textDocument/definition": respond(id, doc.definition(at: offset, uri: uri) ?? NSNull())
            case "textDocument/references":
                let include = (params["context"] as? [String: Any])?["includeDeclaration"] as? Bool ?? true
                respond(id, doc.references(at: offset, uri: uri, includeDeclaration: include))
            case "textDocument/documentSymbol": respond(id, doc.symbols())
            case "textDocument/completion": respond(id, ["isIncomplete": false, "items": doc.completions(at: offset)])
            case "textDocument/prepareRename":
                respond(id, doc.renameTarget(at: offset).map { ["range": doc.range($0.span), "placeholder": $0.name] } ?? NSNull())
            case "textDocument/rename":
                let name = params["newName"] as? String ?? ""
                switch doc.rename(at: offset, to: name, uri: uri) {
                case .success(let edit): respond(id, edit)
                case .failure(let e): fail(id, -32602, e.message)
                }
            case "textDocument/formatting":
                if let edits = doc.formatting() { respond(id, edits) } else { fail(id, -32603, "the file has syntax errors; not formatted") }
            default:
                fail(id, -32601, "method not found: \(method)")
            }
        }
    }

    func open(_ uri: String, _ text: String) {
        let name = URL(string: uri)?.lastPathComponent ?? uri
        documents[uri] = Document(name: name, text: text)
        if !dirty.contains(uri) { dirty.append(uri) }
    }

    func publishDirty() {
        for uri in dirty {
            guard let doc = documents[uri] else { continue }
            send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                  "params": ["uri": uri, "diagnostics": doc.diagnostics(warnings: warnings, uri: uri)] as [String: Any]])
        }
        dirty = []
    }
}

struct RenameError: Error { var message: String }

/// One open document: its text, analysed lazily.
final class Document {
    let file: SourceFile
    let text: String
    private var lineStarts: [Int] = [0]
    private(set) lazy var parsed = parseProgram(file)
    private(set) lazy var index = SymbolIndex(parsed.program)
    private(set) lazy var tokens = tokenize(file)
    /// The function bodies as far as they type-check (on the front end's large stack, as a
    /// deeply nested program needs).
    private(set) lazy var checkedFunctions: [FunctionDef] = {
        let (program, file) = (parsed.program, file)
        return onLargeStack { check(program, file: file).checkedFunctions }
    }()

    init(name: String, text: String) {
        self.text = text
        self.file = SourceFile(name: name, text: text)
        for (i, b) in file.bytes.enumerated() where b == UInt8(ascii: "\n") { lineStarts.append(i + 1) }
    }

    // MARK: positions (LSP counts UTF-16 code units)

    func offset(line: Int, character: Int) -> Int {
        guard line < lineStarts.count else { return file.bytes.count }
        let start = lineStarts[max(line, 0)]
        var units = 0
        var i = start
        let bytes = file.bytes
        while i < bytes.count, bytes[i] != UInt8(ascii: "\n"), units < character {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            units += length == 4 ? 2 : 1
            i += length
        }
        return min(i, bytes.count)
    }

    func position(_ offset: Int) -> [String: Int] {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        let end = min(max(offset, start), file.bytes.count)
        let units = String(decoding: file.bytes[start..<end], as: UTF8.self).utf16.count
        return ["line": lo, "character": units]
    }

    func range(_ span: SourceSpan) -> [String: Any] {
        ["start": position(span.start), "end": position(max(span.end, span.start))]
    }

    func location(_ span: SourceSpan, uri: String) -> [String: Any] { ["uri": uri, "range": range(span)] }

    // MARK: diagnostics

    func diagnostics(warnings: WarningOptions, uri: String) -> [[String: Any]] {
        let result = FrontEnd.run(file)
        var list = result.diagnostics
        if list.isEmpty { list = warnings.apply(result.warnings).map { warnings.asErrors ? WarningOptions.promoted($0) : $0 } }
        return list.map { d in
            var out: [String: Any] = [
                "range": range(d.span.end > d.span.start ? d.span : SourceSpan(start: d.span.start, end: min(d.span.start + 1, file.bytes.count))),
                "severity": d.severity == .error ? 1 : d.severity == .warning ? 2 : 3,
                "source": "zong", "message": d.message,
            ]
            if let code = d.code { out["code"] = code }
            if d.code == WarningKind.unusedVariable.rawValue || d.code == WarningKind.unusedParameter.rawValue
                || d.code == WarningKind.unreachableCode.rawValue {
                out["tags"] = [1]  // unnecessary
            }
            if !d.notes.isEmpty {
                out["relatedInformation"] = d.notes.map { ["location": location($0.span, uri: uri), "message": $0.message] }
            }
            if !d.fixIts.isEmpty {
                out["data"] = ["fixIts": d.fixIts.map { ["range": range($0.span), "newText": $0.replacement] }]
            }
            return out
        }
    }

    // MARK: navigation

    /// A name under the cursor answers with its declaration (`nameHover`), any other expression
    /// with its type as the checker found it (`expressionHover`), whitespace and comments with
    /// nothing (but the end of a name still counts as the name, where an editor's cursor sits).
    func hover(at offset: Int) -> [String: Any]? {
        if let r = index.reference(containing: offset) { return nameHover(r) }
        let onToken = token(at: offset) != nil
        if onToken, let typed = expressionHover(at: offset) { return typed }
        if let r = index.reference(at: offset) { return nameHover(r) }
        return onToken ? literalHover(at: offset) : nil
    }

    func nameHover(_ r: (span: SourceSpan, declaration: Int)) -> [String: Any] {
        let d = index.declarations[r.declaration]
        let code: String
        switch d.kind {
        case .variable: code = "var \(d.name): \(d.type.map { "\($0)" } ?? "?")"
        case .parameter: code = "\(d.name): \(d.type.map { "\($0)" } ?? "?")  // parameter of \(d.container ?? "?")"
        case .function: code = "func \(d.name)\(d.signature)"
        case .externFunction: code = "extern \"\(d.container ?? "")\" func \(d.name)\(d.signature)"
        case .struct: code = "struct \(d.name)\(d.signature)"
        case .field: code = "\(d.container ?? "?").\(d.name): \(d.type.map { "\($0)" } ?? "?")  // field"
        case .builtin: code = d.signature + "  // built-in"
        }
        return ["contents": ["kind": "markdown", "value": "```zong\n\(code)\n```"], "range": range(r.span)]
    }

    /// The token whose bytes contain `offset` (nil in whitespace and comments).
    func token(at offset: Int) -> Token? {
        tokens.first { $0.span.start <= offset && offset < $0.span.end }
    }

    /// The type of a literal under the cursor that the checker did not type (an integer literal
    /// is `Integer` until context fixes it), or of a built-in type's name.
    func literalHover(at offset: Int) -> [String: Any]? {
        guard let t = token(at: offset) else { return nil }
        let type: String
        switch t.kind {
        case .integer: type = "Integer (an integer literal; its context gives it a type)"
        case .string: type = "U8[]"
        case .keyword(.true), .keyword(.false): type = "Boolean"
        case .upperIdent where SymbolIndex.builtinTypes.contains(String(decoding: file.bytes[t.span.start..<t.span.end], as: UTF8.self)):
            type = "built-in type " + String(decoding: file.bytes[t.span.start..<t.span.end], as: UTF8.self)
        default: return nil
        }
        return ["contents": ["kind": "markdown", "value": "```zong\n\(type)\n```"], "range": range(t.span)]
    }

    func definition(at offset: Int, uri: String) -> [String: Any]? {
        guard let r = index.reference(at: offset) else { return nil }
        let d = index.declarations[r.declaration]
        guard d.kind != .builtin else { return nil }
        return location(d.span, uri: uri)
    }

    func references(at offset: Int, uri: String, includeDeclaration: Bool) -> [[String: Any]] {
        guard let r = index.reference(at: offset) else { return [] }
        let d = index.declarations[r.declaration]
        return index.uses(of: r.declaration).filter { includeDeclaration || $0 != d.span }.map { location($0, uri: uri) }
    }

    func symbols() -> [[String: Any]] {
        var out: [[String: Any]] = []
        let functionKinds: Set<SymbolIndex.Kind> = [.function, .externFunction]
        for (i, d) in index.declarations.enumerated() where d.kind != .builtin && d.kind != .field && d.span.start >= 0 {
            guard d.kind == .struct || functionKinds.contains(d.kind) || (d.container == nil && d.kind == .variable) else { continue }
            var symbol: [String: Any] = [
                "name": d.name, "detail": d.kind == .variable ? "\(d.type.map { "\($0)" } ?? "")" : d.signature,
                "kind": d.kind == .struct ? 23 : d.kind == .variable ? 13 : 12,
                "range": range(d.extent.merged(with: d.span)), "selectionRange": range(d.span),
            ]
            if d.kind == .struct {
                symbol["children"] = index.declarations.filter { $0.kind == .field && $0.container == d.name }.map {
                    ["name": $0.name, "detail": "\($0.type.map { "\($0)" } ?? "")", "kind": 8,
                     "range": range($0.extent), "selectionRange": range($0.span)] as [String: Any]
                }
            }
            _ = i
            out.append(symbol)
        }
        return out
    }

    // MARK: completion

    func completions(at offset: Int) -> [[String: Any]] {
        // After `base.`: the fields of base's type.
        if let last = tokens.last(where: { $0.span.end <= offset }) {
            if last.kind == .dot { return fieldCompletions(before: last) }
            if last.kind == .lowerIdent, let dot = tokenBefore(last), dot.kind == .dot { return fieldCompletions(before: dot) }
        }
        var items: [[String: Any]] = []
        var seen = Set<String>()
        func add(_ label: String, _ kind: Int, _ detail: String) {
            guard seen.insert(label).inserted else { return }
            items.append(["label": label, "kind": kind, "detail": detail])
        }
        let scope = enclosingBraces(offset)
        for d in index.declarations.reversed() where (d.kind == .variable || d.kind == .parameter) && d.span.end <= offset {
            // Visible: declared before the cursor, in braces that are still open at the cursor.
            // (A parameter's scope is its function's body: the first brace after it.)
            let own = d.kind == .parameter ? tokens.first { $0.kind == .leftBrace && $0.span.start > d.span.start }?.span.start
                : enclosingBraces(d.span.start).first
            if let own, !scope.contains(own) { continue }
            add(d.name, 6, d.type.map { "\($0)" } ?? "")
        }
        for d in index.declarations where d.kind == .function || d.kind == .externFunction || d.kind == .builtin {
            add(d.name, 3, d.kind == .builtin ? d.signature : "func \(d.name)\(d.signature)")
        }
        for d in index.declarations where d.kind == .struct { add(d.name, 22, "struct \(d.name)\(d.signature)") }
        for t in SymbolIndex.builtinTypes { add(t, 25, "built-in type") }
        for k in ["var", "func", "struct", "if", "else", "loop", "break", "continue", "return", "extern", "true", "false"] {
            add(k, 14, "keyword")
        }
        return items
    }

    func tokenBefore(_ t: Token) -> Token? {
        guard let i = tokens.firstIndex(where: { $0.span.start == t.span.start }), i > 0 else { return nil }
        return tokens[i - 1]
    }

    /// The offsets of the `{` of every brace pair that contains `offset`, innermost first.
    func enclosingBraces(_ offset: Int) -> [Int] {
        var stack: [Int] = []
        for t in tokens {
            if t.span.start >= offset { break }
            if t.kind == .leftBrace { stack.append(t.span.start) }
            if t.kind == .rightBrace, !stack.isEmpty { stack.removeLast() }
        }
        return stack.reversed()
    }

    func fieldCompletions(before dot: Token) -> [[String: Any]] {
        // The expression before the dot: find a parsed expression ending there.
        guard let base = expression(endingAt: dot.span.start), let t = index.type(of: base) else { return [] }
        if t.isSlice && t.pointerDepth <= 1 { return [["label": "length", "kind": 5, "detail": "I64"]] }
        return index.declarations.filter { $0.kind == .field && $0.container == t.name }.map {
            ["label": $0.name, "kind": 5, "detail": $0.type.map { "\($0)" } ?? ""]
        }
    }

    /// The outermost parsed expression that ends at `end` (the base of a `.` being typed).
    func expression(endingAt end: Int) -> Expr? {
        var best: Expr?
        func visit(_ e: Expr) {
            if e.span.end == end, e.span.start < (best?.span.start ?? Int.max) { best = e }
            switch e.kind {
            case .binary(_, let l, let r), .assign(let l, let r), .index(let l, let r): visit(l); visit(r)
            case .prefix(_, let x), .addressOf(let x), .dereference(let x), .field(let x, _, _): visit(x)
            case .call(let c, let args): visit(c); args.forEach { visit($0.value) }
            default: break
            }
        }
        func walk(_ list: [Stmt]) {
            for s in list {
                switch s {
                case .funcDecl(let f): walk(f.body ?? [])
                case .varDecl(let v): if let e = v.initializer { visit(e) }
                case .ifStmt(let i):
                    for b in i.branches { visit(b.condition); walk(b.body) }
                    walk(i.elseBody ?? [])
                case .loop(let b, _), .block(let b, _): walk(b)
                case .returnStmt(let e, _): if let e { visit(e) }
                case .expression(let e): visit(e)
                default: break
                }
            }
        }
        walk(parsed.program.statements)
        if best != nil { return best }
        // While typing, `p.` does not parse: read the name before the dot from the tokens.
        if let name = tokens.last(where: { $0.span.end == end }), name.kind == .lowerIdent {
            let text = String(decoding: file.bytes[name.span.start..<name.span.end], as: UTF8.self)
            return Expr(.name(text), span: name.span)
        }
        return nil
    }

    // MARK: rename and formatting

    func renameTarget(at offset: Int) -> SymbolIndex.Declaration? {
        guard let r = index.reference(at: offset) else { return nil }
        let d = index.declarations[r.declaration]
        return d.kind == .variable || d.kind == .parameter ? SymbolIndex.Declaration(name: d.name, kind: d.kind, span: r.span, extent: d.extent, type: d.type, signature: "", container: d.container) : nil
    }

    func rename(at offset: Int, to name: String, uri: String) -> Result<[String: Any], RenameError> {
        guard let r = index.reference(at: offset), renameTarget(at: offset) != nil else {
            return .failure(RenameError(message: "only a local variable or parameter can be renamed here"))
        }
        let tokens = tokenize(SourceFile(name: "", text: name))
        guard tokens.count == 2, tokens[0].kind == .lowerIdent, tokens[0].span.end == name.utf8.count else {
            return .failure(RenameError(message: "'\(name)' is not a variable name (a lower-case identifier, not a keyword)"))
        }
        let edits = index.uses(of: r.declaration).map { ["range": range($0), "newText": name] as [String: Any] }
        return .success(["changes": [uri: edits]])
    }

    func formatting() -> [[String: Any]]? {
        guard case .success(let bytes) = Formatter.format(file) else { return nil }
        if bytes == file.bytes { return [] }
        return [["range": range(SourceSpan(start: 0, end: file.bytes.count)), "newText": String(decoding: bytes, as: UTF8.self)]]
    }
}
