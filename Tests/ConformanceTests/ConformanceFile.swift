import Foundation
import Testing

/// One `## Test:` case of a conformance Markdown file (LANGUAGE.md §13). A heading followed by
/// several input/assertion pairs yields one case per pair ("title #2", …).
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    enum Form: Sendable { case program, expression }
    enum Expectation: Sendable {
        case execute(stdout: String)
        case compileError(lines: [String])
        /// The project's own addition (Tests/Conformance): the program compiles, then stops with
        /// a runtime error, exit status 2, natively and interpreted; every line of the block is
        /// a substring of its stderr.
        case runtimeError(lines: [String])
    }

    var file: String
    var title: String
    var form: Form
    var source: String
    var stdin: String
    var expectation: Expectation

    var testDescription: String { "\(file): \(title)" }

    /// The command line that runs the case with `flags`: `zong eval EXPR` for an expression,
    /// `zong run FILE` for a program (its source written to `sourcePath`).
    func invocation(_ flags: [String], sourcePath: String) -> [String] {
        form == .expression ? ["eval"] + flags + [source] : ["run"] + flags + [sourcePath]
    }
}

enum ConformanceFiles {
    /// `../shared/conformance` beside the repository, and the project's own `Tests/Conformance`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let sharedDirectory = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance")
    static let ownDirectory = packageRoot.appendingPathComponent("Tests/Conformance")

    static var sharedIsPresent: Bool { FileManager.default.fileExists(atPath: sharedDirectory.path) }

    static func cases(in directory: URL) -> [ConformanceCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted().flatMap { name -> [ConformanceCase] in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return [] }
            return parse(text, file: name)
        }
    }

    static var all: [ConformanceCase] { cases(in: sharedDirectory) + cases(in: ownDirectory) }

    static func parse(_ text: String, file: String) -> [ConformanceCase] {
        var cases: [ConformanceCase] = []
        var title = "(untitled)"
        var countForTitle = 0
        var pending: (form: ConformanceCase.Form, source: String, stdin: String)?
        let lines = text.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let line = lines[i]
            i += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") {
                let heading = trimmed.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                if heading.hasPrefix("Test: ") {
                    title = String(heading.dropFirst(6))
                    countForTitle = 0
                    pending = nil
                }
                continue
            }
            guard line.hasPrefix("```") else { continue }
            let tag = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            var body: [String] = []
            while i < lines.count, lines[i] != "```" {
                body.append(lines[i])
                i += 1
            }
            i += 1
            let content = body.joined(separator: "\n")
            let withoutTrailingNewlines = String(content.reversed().drop { $0 == "\n" }.reversed())
            switch tag {
            case "zong-program", "zong-expr":
                pending = (tag == "zong-expr" ? .expression : .program, withoutTrailingNewlines, "")
            case "input":
                pending?.stdin = body.isEmpty ? "" : content + "\n"
            case "execute", "compile-error", "runtime-error":
                guard let p = pending else { continue }
                countForTitle += 1
                let name = countForTitle == 1 ? title : "\(title) #\(countForTitle)"
                let nonEmpty = body.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let expectation: ConformanceCase.Expectation = switch tag {
                case "execute": .execute(stdout: withoutTrailingNewlines.isEmpty ? "" : withoutTrailingNewlines + "\n")
                case "runtime-error": .runtimeError(lines: nonEmpty)
                default: .compileError(lines: nonEmpty.map { $0.hasPrefix("error: ") ? String($0.dropFirst(7)) : $0 })
                }
                cases.append(ConformanceCase(file: file, title: name, form: p.form, source: p.source, stdin: p.stdin,
                                             expectation: expectation))
                pending = nil
            default:
                pending = nil  // `ast` and `wasm-locals` cases test the original's internals
            }
        }
        return cases
    }
}
