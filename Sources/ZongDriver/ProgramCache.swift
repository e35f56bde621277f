import Foundation
import W2C

/// Native executables built by `zong run`, kept under the cache directory and keyed by the
/// module bytes, the build options, zong's version and runtime-c, so that running an unchanged
/// program again starts at once.
enum ProgramCache {
    /// The runtime objects' cache root (`zongCacheRoot`).
    static var root: String { zongCacheRoot() }

    static var directory: String { root + "/programs" }

    static func executable(for wasm: [UInt8], options: CompileOptions,
                           build: (String) throws(CompileFailure) -> Void) throws(CompileFailure) -> String {
        var key = Hash()
        key.add(wasm)
        key.add(Array(options.fingerprint.utf8))
        key.add(Array(ZongVersion.string.utf8))
        for name in runtimeCSources.keys.sorted() {
            key.add(Array(name.utf8))
            key.add(Array((runtimeCSources[name] ?? "").utf8))
        }
        let path = directory + "/" + key.hex
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        // An unusable cache directory is an error (73) rather than a silent uncached build, so
        // that a misconfigured XDG_CACHE_HOME is noticed instead of costing a full build per run.
        try ensure(directory)
        // Build beside the final name, then rename: concurrent runs never see a partial file.
        let partial = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        try build(partial)
        if rename(partial, path) != 0 {
            try? FileManager.default.removeItem(atPath: partial)
            if !FileManager.default.isExecutableFile(atPath: path) {
                throw .usage(UsageError("zong: error: cannot write to the cache \(directory)", exitStatus: ExitStatus.cantCreate))
            }
        }
        return path
    }

    static func ensure(_ path: String) throws(CompileFailure) {
        do {
            try makeDirectories(path, what: "cache directory")
        } catch {
            throw .usage(UsageError("zong: error: \(error) (set XDG_CACHE_HOME to a writable directory)", exitStatus: ExitStatus.cantCreate))
        }
    }

    /// FNV-1a over 64 bits, twice with different offsets: a cache key, not a security boundary.
    struct Hash {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        mutating func add(_ bytes: [UInt8]) {
            for byte in bytes {
                a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
                b = (b ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            a = (a ^ 0xff) &* 0x100_0000_01b3
        }
        var hex: String { String(a, radix: 16) + String(b, radix: 16) }
    }
}

/// Runs a native program with this process's stdin, stdout and stderr.
enum NativeProcess {
    static func run(_ path: String, arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        SignalForwarding.prepare()
        do {
            try process.run()
        } catch {
            writeStandardError("zong: error: cannot start \(path): \(error.localizedDescription)\n")
            return ExitStatus.unavailable
        }
        SignalForwarding.start(to: process.processIdentifier)
        process.waitUntilExit()
        SignalForwarding.stop()
        if process.terminationReason == .uncaughtSignal { return 128 + process.terminationStatus }
        return process.terminationStatus
    }
}
