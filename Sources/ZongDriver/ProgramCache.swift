import Foundation
import W2C

/// Native executables built by `zong run`, kept under the cache directory and keyed by the
/// module bytes, the build options, zong's version and runtime-c, so that running an unchanged
/// program again starts at once.
///
/// An entry cannot poison later runs: it is written beside its final name and renamed into
/// place (the checksum file first), and its checksum (size and hash of the executable) is
/// checked on every use; an entry that fails the check (truncated, emptied, overwritten) is
/// removed and rebuilt, with a note under `--verbose`. Entries over the size cap
/// (`ZONG_CACHE_MAX_BYTES`, 1 GiB by default) are evicted least recently used first (a hit
/// touches the entry).
public enum ProgramCache {
    /// The runtime objects' cache root (`zongCacheRoot`).
    static var root: String { zongCacheRoot() }

    static var directory: String { root + "/programs" }

    /// The programs' size cap in bytes.
    static var maxBytes: Int {
        if let text = ProcessInfo.processInfo.environment["ZONG_CACHE_MAX_BYTES"], let n = Int(text), n >= 0 { return n }
        return 1 << 30
    }

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
        if FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(atPath: path + ".sum") {
            if isIntact(path) {
                touch(path)
                return path
            }
            if options.verbose { writeStandardError("zong: the cached executable \(path) is damaged; rebuilding it\n") }
            unlink(path)
            unlink(path + ".sum")
        }
        // An unusable cache directory is an error (73) rather than a silent uncached build, so
        // that a misconfigured XDG_CACHE_HOME is noticed instead of costing a full build per run.
        try ensure(directory)
        // Build beside the final name, then rename: concurrent runs never see a partial file.
        let partial = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        let sumPartial = partial + ".sum"
        Interruption.removeIfStopped(partial)
        Interruption.removeIfStopped(sumPartial)
        defer {
            Interruption.forget(partial)
            Interruption.forget(sumPartial)
        }
        try build(partial)
        let sum = checksum(partial)
        guard let sum, FileManager.default.createFile(atPath: sumPartial, contents: Data(sum.utf8)),
              rename(sumPartial, path + ".sum") == 0, rename(partial, path) == 0
        else {
            unlink(partial)
            unlink(sumPartial)
            if isIntact(path) { return path }
            throw .usage(UsageError("zong: error: cannot write to the cache \(directory)", exitStatus: ExitStatus.cantCreate))
        }
        evict(keeping: path)
        return path
    }

    /// "SIZE HASH" of a file's bytes, or nil when it cannot be read.
    static func checksum(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var hash = Hash()
        data.withUnsafeBytes { raw in hash.add(raw.bindMemory(to: UInt8.self)) }
        return "\(data.count) \(hash.hex)\n"
    }

    /// The entry exists, is executable and matches its checksum file.
    static func isIntact(_ path: String) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: path),
              let recorded = FileManager.default.contents(atPath: path + ".sum"),
              let actual = checksum(path)
        else { return false }
        return String(decoding: recorded, as: UTF8.self) == actual
    }

    static func touch(_ path: String) {
        utimes(path, nil)
    }

    /// One entry: the executable and its checksum file.
    struct Entry {
        var path: String
        var bytes: Int
        var used: Date
    }

    static func entries() -> [Entry] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return [] }
        var result: [Entry] = []
        for name in names where !name.contains(".") {
            let path = directory + "/" + name
            guard let attributes = try? fm.attributesOfItem(atPath: path) else { continue }
            let size = (attributes[.size] as? Int) ?? 0
            let sumSize = ((try? fm.attributesOfItem(atPath: path + ".sum"))?[.size] as? Int) ?? 0
            result.append(Entry(path: path, bytes: size + sumSize, used: (attributes[.modificationDate] as? Date) ?? .distantPast))
        }
        return result
    }

    /// Removes the least recently used entries until the rest fit under the cap (`keeping`,
    /// the entry just built, stays).
    static func evict(keeping: String) {
        let cap = maxBytes
        var all = entries().sorted { $0.used < $1.used }
        var total = all.reduce(0) { $0 + $1.bytes }
        while total > cap, let oldest = all.first {
            all.removeFirst()
            if oldest.path == keeping { continue }
            unlink(oldest.path)
            unlink(oldest.path + ".sum")
            total -= oldest.bytes
        }
    }

    /// `zong cache info`.
    public static func info() -> String {
        let fm = FileManager.default
        let programs = entries()
        let programBytes = programs.reduce(0) { $0 + $1.bytes }
        let others = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).filter { $0 != "programs" }.sorted()
        var otherBytes = 0
        for name in others { otherBytes += directorySize(root + "/" + name) }
        return """
            cache directory: \(root)
            programs: \(programs.count) executables, \(programBytes) bytes (cap \(maxBytes) bytes, ZONG_CACHE_MAX_BYTES; least recently used evicted first)
            runtime objects and tools: \(others.count) entries, \(otherBytes) bytes
            total: \(programBytes + otherBytes) bytes

            """
    }

    /// `zong cache clean`: removes everything under the cache directory.
    public static func clean() -> Int32 {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDirectory) else { return ExitStatus.success }
        guard isDirectory.boolValue, (try? fm.removeItem(atPath: root)) != nil else {
            writeStandardError("zong: error: cannot remove the cache \(root)\n")
            return ExitStatus.cantCreate
        }
        return ExitStatus.success
    }

    static func directorySize(_ path: String) -> Int {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: path) else { return 0 }
        var total = 0
        for case let name as String in walker {
            total += ((try? fm.attributesOfItem(atPath: path + "/" + name))?[.size] as? Int) ?? 0
        }
        return total
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
            bytes.withUnsafeBufferPointer { add($0) }
        }
        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
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
    /// The message for a program stopped by `--timeout`.
    static func timeoutMessage(_ seconds: Double) -> String {
        "zong: error: the program ran longer than the limit of \(Watchdog.shown(seconds)) s (--timeout SECONDS); stopped\n"
    }

    static func run(_ path: String, arguments: [String], timeout: Double? = nil) -> Int32 {
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
        let watchdog = Watchdog(pid: process.processIdentifier, seconds: timeout)
        process.waitUntilExit()
        SignalForwarding.stop()
        if watchdog?.finish() == true {
            writeStandardError(timeoutMessage(timeout ?? 0))
            return ExitStatus.programTimeout
        }
        if process.terminationReason == .uncaughtSignal { return 128 + process.terminationStatus }
        return process.terminationStatus
    }
}
