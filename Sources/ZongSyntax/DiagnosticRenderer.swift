/// The one place diagnostics become text: `FILE:LINE:COL: error: MESSAGE`, the source line,
/// and a caret (with `~` under the rest of the span) — or one JSON object per line.
public struct DiagnosticRenderer {
    public enum Format: String, Sendable { case text, json }

    public var format: Format
    public var useColor: Bool
    /// At most this many diagnostics are shown (0: all); when there are more, a final line
    /// (or JSON object) says "too many errors emitted, stopping now", as clang's -ferror-limit.
    public var limit: Int

    /// The default error limit (`--error-limit`).
    public static let defaultLimit = 50
    public static let stoppingMessage = "too many errors emitted, stopping now"

    public init(format: Format = .text, useColor: Bool = false, limit: Int = DiagnosticRenderer.defaultLimit) {
        self.format = format
        self.useColor = useColor
        self.limit = limit
    }

    public func render(_ diagnostics: [Diagnostic], in file: SourceFile) -> String {
        var out = ""
        let shown = diagnostics.prefix(shownCount(diagnostics))
        for d in shown {
            out += format == .json ? json(d, file) + "\n" : text(d, file)
        }
        if shown.count < diagnostics.count {
            let note = "\(Self.stoppingMessage) (--error-limit \(limit))"
            if format == .json {
                let loc = file.location(of: diagnostics[shown.count].span.start)
                out += "{\"file\":\(jsonString(file.name)),\"line\":\(loc.line),\"column\":\(loc.column),"
                    + "\"endColumn\":\(loc.column + 1),\"severity\":\"error\",\"message\":\(jsonString(note))}\n"
            } else if useColor {
                out += "\u{1B}[1m\(file.name): \u{1B}[31merror:\u{1B}[0m\u{1B}[1m \(note)\u{1B}[0m\n"
            } else {
                out += "\(file.name): error: \(note)\n"
            }
        }
        return out
    }

    /// How many diagnostics to show: all of them up to the error after the `limit`-th. As with
    /// clang's -ferror-limit, only errors count; warnings never stop the output.
    private func shownCount(_ diagnostics: [Diagnostic]) -> Int {
        guard limit > 0 else { return diagnostics.count }
        var errors = 0
        for (i, d) in diagnostics.enumerated() where d.severity == .error {
            if errors == limit { return i }
            errors += 1
        }
        return diagnostics.count
    }

    /// Source lines longer than this many bytes are shown as a window around the caret.
    private static let maxShownLine = 160

    private func text(_ d: Diagnostic, _ file: SourceFile) -> String {
        // A warning names the option that controls it, as clang does.
        let flag = d.severity == .warning ? d.code.map { " [-W\($0)]" } ?? "" : ""
        var out = located(d.severity, d.message + flag, d.span, file)
        // A fix-it on the caret's line is shown under the caret, as clang does.
        for fix in d.fixIts where file.line(of: fix.span.start) == file.line(of: d.span.start) && !fix.replacement.contains("\n") {
            let line = file.lineText(file.line(of: fix.span.start))
            let before = line[line.startIndex..<min(max(fix.span.start, line.startIndex), line.endIndex)]
            let pad = String(before.filter { $0 & 0xC0 != 0x80 }.map { $0 == UInt8(ascii: "\t") ? "\t" : " " }.joined())
            out += useColor ? "\(pad)\u{1B}[32m\(fix.replacement)\u{1B}[0m\n" : "\(pad)\(fix.replacement)\n"
        }
        for note in d.notes {
            // A note about the line just shown needs only its header line.
            out += located(.note, note.message, note.span, file,
                           excerpt: file.line(of: note.span.start) != file.line(of: d.span.start))
        }
        return out
    }

    private func located(_ severity: Diagnostic.Severity, _ message: String, _ span: SourceSpan, _ file: SourceFile,
                         excerpt: Bool = true) -> String {
        let d = (message: message, span: span)
        let loc = file.location(of: d.span.start)
        if !excerpt {
            return useColor ? "\u{1B}[1m\(file.name):\(loc): \u{1B}[36mnote:\u{1B}[0m\u{1B}[1m \(message)\u{1B}[0m\n"
                : "\(file.name):\(loc): note: \(message)\n"
        }
        var line = file.lineText(loc.line)
        var prefix = ""
        var suffix = ""
        if line.count > Self.maxShownLine {
            let from = max(line.startIndex, min(d.span.start, line.endIndex) - Self.maxShownLine / 2)
            let to = min(line.endIndex, from + Self.maxShownLine)
            prefix = from > line.startIndex ? "..." : ""
            suffix = to < line.endIndex ? "..." : ""
            line = file.bytes[from..<to]
        }
        let lineStart = line.startIndex
        let caretStart = min(max(d.span.start, lineStart), line.endIndex)
        let caretEnd = min(max(d.span.end, caretStart + 1), max(line.endIndex, caretStart + 1))
        // Copy tabs from the source so the caret lines up however the terminal expands them.
        var pad = prefix.isEmpty ? "" : "   "
        var i = lineStart
        while i < caretStart {
            let b = line[i]
            if b & 0xC0 != 0x80 { pad += b == UInt8(ascii: "\t") ? "\t" : " " }
            i += 1
        }
        let width = max(1, SourceFile.columns(in: file.bytes[caretStart..<min(caretEnd, file.bytes.count)]))
        let marker = "^" + String(repeating: "~", count: min(width, Self.maxShownLine) - 1)
        let source = prefix + String(decoding: line.map { $0 < 0x20 && $0 != 0x09 ? UInt8(ascii: " ") : $0 }, as: UTF8.self) + suffix
        if useColor {
            let tint = severity == .error ? "31" : severity == .warning ? "35" : "36"
            return "\u{1B}[1m\(file.name):\(loc): \u{1B}[\(tint)m\(severity.rawValue):\u{1B}[0m\u{1B}[1m \(d.message)\u{1B}[0m\n"
                + "\(source)\n\(pad)\u{1B}[32m\(marker)\u{1B}[0m\n"
        }
        return "\(file.name):\(loc): \(severity.rawValue): \(d.message)\n\(source)\n\(pad)\(marker)\n"
    }

    /// One object: `file`, the start (`line`, `column`) and end (`endLine`, `endColumn`,
    /// exclusive; an empty span covers one column) of the span, `severity`, `code`, `message`,
    /// `notes` (each with its own range and message) and `fixIts` (a range and its replacement).
    private func json(_ d: Diagnostic, _ file: SourceFile) -> String {
        let notes = d.notes.map { "{" + range($0.span, file) + ",\"message\":\(jsonString($0.message))}" }
        let fixIts = d.fixIts.map { "{" + range($0.span, file) + ",\"replacement\":\(jsonString($0.replacement))}" }
        return "{\"file\":\(jsonString(file.name)),\(range(d.span, file)),\"severity\":\"\(d.severity.rawValue)\","
            + "\"code\":\(d.code.map(jsonString) ?? "null"),\"message\":\(jsonString(d.message)),"
            + "\"notes\":[\(notes.joined(separator: ","))],\"fixIts\":[\(fixIts.joined(separator: ","))]}"
    }

    private func range(_ span: SourceSpan, _ file: SourceFile) -> String {
        let loc = file.location(of: span.start)
        var end = file.location(of: span.end)
        if span.end <= span.start { end = SourceLocation(line: loc.line, column: loc.column + 1) }
        return "\"line\":\(loc.line),\"column\":\(loc.column),\"endLine\":\(end.line),\"endColumn\":\(end.column)"
    }

    private func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
