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
}

public enum SourceLoading {
    /// Reads a `.zong` file, or standard input for `-`.
    public static func load(_ path: String, requireExtension: Bool = true) throws(UsageError) -> SourceFile {
        if path == "-" {
            return SourceFile(name: "<stdin>", bytes: withoutByteOrderMark(try StandardStreams.readStandardInput()))
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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("zong: error: cannot read \(path)", exitStatus: ExitStatus.noInput)
        }
        return SourceFile(name: path, bytes: withoutByteOrderMark(Array(data)))
    }

    /// A leading UTF-8 byte order mark (EF BB BF), which some editors write, is not part of the
    /// program: dropped before lexing, so line 1's columns count from the first real character.
    static func withoutByteOrderMark(_ bytes: [UInt8]) -> [UInt8] {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }
}
