import Foundation
import ZongFormat
import ZongSyntax

/// `zong fmt [--check] [FILES|DIRECTORIES|-]`: rewrites each file in the canonical layout
/// (directories: every `.zong` file under them); `-` or no file formats standard input to
/// standard output. `--check` writes nothing and lists the files that are not formatted.
public enum FormatCommand {
    public static func run(paths: [String], check: Bool, output: DiagnosticOutput) -> Int32 {
        var status = ExitStatus.success
        var files: [String] = []
        for p in paths.isEmpty ? ["-"] : paths {
            var isDirectory: ObjCBool = false
            if p != "-", FileManager.default.fileExists(atPath: p, isDirectory: &isDirectory), isDirectory.boolValue {
                let found = (FileManager.default.enumerator(atPath: p)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.hasSuffix(".zong") }.sorted()
                files += found.map { (p.hasSuffix("/") ? p : p + "/") + $0 }
            } else {
                files.append(p)
            }
        }
        for path in files {
            let file: SourceFile
            do {
                file = try SourceLoading.load(path)
            } catch {
                writeStandardError(error.message + "\n")
                status = max(status, error.exitStatus)
                continue
            }
            switch Formatter.format(file) {
            case .failure(.syntaxErrors(let list)):
                output.emit(list, in: file)
                writeStandardError("zong: error: \(path == "-" ? "<stdin>" : path) not formatted: it has syntax errors\n")
                status = max(status, ExitStatus.compileError)
            case .success(let formatted):
                if check {
                    if formatted != file.bytes {
                        _ = StandardStreams.writeAll(1, Array(((path == "-" ? "<stdin>" : path) + "\n").utf8))
                        status = max(status, ExitStatus.compileError)
                    }
                } else if path == "-" {
                    if StandardStreams.writeAll(1, formatted) != nil { return ExitStatus.cantCreate }
                } else if formatted != file.bytes {
                    do {
                        // Atomically (a failed write leaves the source whole), keeping its mode.
                        let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions]
                        try Data(formatted).write(to: URL(fileURLWithPath: path), options: .atomic)
                        if let mode { try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path) }
                    } catch {
                        writeStandardError("zong: error: cannot write \(path)\n")
                        status = max(status, ExitStatus.cantCreate)
                    }
                }
            }
        }
        return status
    }
}
