import Foundation
import ZongSyntax

/// A problem with the command line or the files it names: one clear line, exit status 64+.
public struct UsageError: Error, CustomStringConvertible {
    public var message: String
    public var exitStatus: Int32
    public init(_ message: String, exitStatus: Int32 = ExitStatus.usage) {
        self.message = message
        self.exitStatus = exitStatus
    }
    public var description: String { message }
}

/// Process exit statuses (ARCHITECTURE.md "The command line"; sysexits for usage errors).
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let compileError: Int32 = 1
    public static let runtimeError: Int32 = 2
    public static let usage: Int32 = 64
    public static let dataError: Int32 = 65
    public static let noInput: Int32 = 66
    public static let unavailable: Int32 = 69
    public static let software: Int32 = 70
    public static let cantCreate: Int32 = 73
    /// The C compiler or linker ran past `--cc-timeout` (EX_TEMPFAIL).
    public static let compilerTimeout: Int32 = 75
    /// The program ran past `--timeout` (run, bench), as coreutils' timeout(1) reports it.
    public static let programTimeout: Int32 = 124
}

public enum SourceLoading {
    /// The largest source accepted, in bytes (`--max-source-size`; 64 MiB by default).
    public static let defaultMaxSourceBytes = 64 << 20
    nonisolated(unsafe) public static var maxSourceBytes = defaultMaxSourceBytes

    /// Reads a `.zong` file, or standard input for `-`; a source over `maxSourceBytes` is a
    /// compile error at its start (exit 1), found without reading more than the limit.
    public static func load(_ path: String, requireExtension: Bool = true) throws(UsageError) -> SourceFile {
        if path == "-" {
            guard let bytes = try StandardStreams.readAll(0, limit: maxSourceBytes, name: "standard input") else {
                throw tooLarge("<stdin>")
            }
            return SourceFile(name: "<stdin>", bytes: withoutByteOrderMark(bytes))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UsageError("zong: error: no such file: \(path)", exitStatus: ExitStatus.noInput)
        }
        if isDirectory.boolValue {
            throw UsageError("zong: error: \(path) is a directory, not a .zong file", exitStatus: ExitStatus.noInput)
        }
        if requireExtension, !path.hasSuffix(".zong") {
            throw UsageError("zong: error: \(path) is not a .zong file (Zong source files end in .zong)", exitStatus: ExitStatus.usage)
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw UsageError("zong: error: cannot read \(path)", exitStatus: ExitStatus.noInput) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > maxSourceBytes {
            throw tooLarge(path)
        }
        let bytes: [UInt8]?
        do throws(UsageError) {
            bytes = try StandardStreams.readAll(fd, limit: maxSourceBytes, name: path)
        } catch {
            throw UsageError("zong: error: cannot read \(path)", exitStatus: ExitStatus.noInput)
        }
        guard let bytes else { throw tooLarge(path) }
        return SourceFile(name: path, bytes: withoutByteOrderMark(bytes))
    }

    static func tooLarge(_ name: String) -> UsageError {
        let limit = maxSourceBytes
        let shown = limit % (1 << 20) == 0 ? " (\(limit >> 20) MiB)" : ""
        return UsageError("\(name):1:1: error: the source is larger than the limit of \(limit) bytes\(shown); "
                          + "--max-source-size BYTES raises it", exitStatus: ExitStatus.compileError)
    }

    /// A leading UTF-8 byte order mark (EF BB BF), which some editors write, is not part of the
    /// program: dropped before lexing, so line 1's columns count from the first real character.
    static func withoutByteOrderMark(_ bytes: [UInt8]) -> [UInt8] {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }
}
