// NativeBuild: C source (from W2C) + runtime-c -> one static native executable.
//
// Finds clang, builds runtime-c once into objects cached under ~/.cache/zong (keyed by a hash of
// the runtime sources, the compiler and the flags), compiles the program's C and links it
// `-static`. Self-contained with ChildProcess.swift and Interruption.swift: imports only Foundation,
// so it can be reused and tested alone (W2CTests links the three files).
import Foundation

/// How to compile and link the C that W2C writes.
public struct NativeBuildOptions: Sendable {
    /// Optimization flag for the program's C (the runtime is always -O2).
    public var optimization: String = "-O2"
    /// Compile with -g (pair with W2C's `debug` option for `#line` directives).
    public var debug: Bool = false
    /// Keep the temporary directory (C file, object) and report its path.
    public var keepTemps: Bool = false
    /// The C compiler; nil = `$CC`, else `clang` on PATH, else beside the Swift toolchain.
    public var cc: String?
    /// Extra flags for compiling the program's C.
    public var extraFlags: [String] = []
    /// Compile the program's C with -Wall -Wextra -Werror.
    public var warningsAsErrors: Bool = false
    /// e.g. "undefined,address": builds the runtime and program with sanitizers and links
    /// dynamically (sanitizer runtimes do not link statically).
    public var sanitize: String?
    /// Link with -static (ignored with `sanitize`).
    public var staticLink: Bool = true
    /// The runtime-c sources, file name -> contents (e.g. W2C's `runtimeCSources`). Empty: look
    /// for a runtime-c directory ($ZONG_RUNTIME_DIR, beside the executable, ../share/zong, or the
    /// source tree this file was built from).
    public var runtimeSources: [String: String] = [:]
    /// Where runtime objects are cached; nil = $XDG_CACHE_HOME/zong or ~/.cache/zong.
    public var cacheDirectory: String?
    /// Each C compiler or linker run is stopped after this many seconds (nil: no limit).
    public var timeout: Double?

    public init() {}
}

/// What a build did and how long it took.
public struct NativeBuildReport: Sendable {
    public var compiler: String
    /// True when the runtime objects came from the cache.
    public var runtimeCached: Bool
    public var runtimeSeconds: Double
    public var compileSeconds: Double
    public var linkSeconds: Double
    public var cSourceBytes: Int
    public var executableBytes: Int
    public var runtimeDirectory: String
    /// The kept temporary directory, when `keepTemps` was set.
    public var tempDirectory: String?
    public var commands: [[String]]
}

public struct NativeBuildError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for the exit status: a missing tool (69), the compiler rejecting the
    /// generated C (70: a bug in zong), or a file or directory that cannot be written (73).
    public enum Kind: Sendable { case toolMissing, compilerFailed, cannotWrite, timedOut }
    public let message: String
    public let kind: Kind
    public init(_ message: String, kind: Kind = .toolMissing) {
        self.message = message
        self.kind = kind
    }
    public var description: String { message }
}

/// `mkdir -p` that reports why it failed in one line (Foundation's error is a long
/// NSCocoaErrorDomain description).
func makeDirectories(_ path: String, what: String) throws(NativeBuildError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    if let slash = trimmed.lastIndex(of: "/"), slash != trimmed.startIndex {
        try makeDirectories(String(trimmed[..<slash]), what: what)
    }
    if mkdir(path, 0o777) != 0, errno != EEXIST {
        throw NativeBuildError("cannot create \(what) \(path): \(String(cString: strerror(errno)))", kind: .cannotWrite)
    }
    if !(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
        throw NativeBuildError("cannot create \(what) \(path): a file of that name is in the way", kind: .cannotWrite)
    }
}

/// Compiles `cSource` with runtime-c into the executable `output`.
public func buildNativeExecutable(
    cSource: String, output: String, options: NativeBuildOptions = NativeBuildOptions()
) throws -> NativeBuildReport {
    let compiler = try findCCompiler(override: options.cc)
    var commands: [[String]] = []
    let fm = FileManager.default

    // 1. The runtime, from the cache or built now.
    let t0 = Date()
    let sources = try runtimeSources(options)
    var runtimeFlags = ["-std=c11", "-O2", "-fno-math-errno", "-ffp-contract=off", "-frounding-math"]
    if options.debug { runtimeFlags.append("-g") }
    if let s = options.sanitize { runtimeFlags += ["-fsanitize=\(s)", "-fno-omit-frame-pointer"] }
    let (runtimeDir, cached) = try cachedRuntime(
        sources: sources, compiler: compiler, flags: runtimeFlags, options: options, commands: &commands)
    let runtimeSeconds = Date().timeIntervalSince(t0)

    // 2. The program's C -> object.
    let temp = fm.temporaryDirectory.appendingPathComponent("zong-build-\(UUID().uuidString)").path
    // Registered before it exists: a signal between the two must not leave it behind.
    if !options.keepTemps { Interruption.removeIfStopped(temp) }
    defer {
        if !options.keepTemps {
            try? fm.removeItem(atPath: temp)
            Interruption.forget(temp)
        }
    }
    try fm.createDirectory(atPath: temp, withIntermediateDirectories: true)
    let cPath = temp + "/program.c", objPath = temp + "/program.o"
    try Data(cSource.utf8).write(to: URL(fileURLWithPath: cPath))
    // Every checked load and store carries a cold trap call, which clang counts against the
    // inlining budget: small helpers (struct arithmetic, accessors) then stay calls. A higher
    // threshold restores the inlining a hand-written C program would get (measured in
    // docs/performance.md). Unswitching moves the element fast arms' loop-invariant test out
    // of loops; the higher budget lets it take a whole partition loop with its inner scans,
    // not only the scans (quicksort: 2.26 -> 1.85 instructions vs C). At 200 a loop with four
    // slices kept three of its four tests inside (editdist: 0.89 s; 0.66 s at 1000, no program
    // slower, objects at most 15% larger).
    var compile = compiler + ["-std=c11", options.optimization, "-fno-optimize-sibling-calls", "-frounding-math",
                              "-fno-math-errno", "-ffp-contract=off", "-mllvm", "-inline-threshold=600",
                              "-mllvm", "-enable-nontrivial-unswitch", "-mllvm", "-unswitch-threshold=1000",
                              "-I", runtimeDir]
    if options.debug { compile.append("-g") }
    if options.warningsAsErrors { compile += ["-Wall", "-Wextra", "-Werror"] }
    if let s = options.sanitize { compile += ["-fsanitize=\(s)", "-fno-omit-frame-pointer"] }
    compile += options.extraFlags + ["-c", cPath, "-o", objPath]
    let t1 = Date()
    try runTool(compile, what: "compiling the C", failure: .compilerFailed, timeout: options.timeout)
    commands.append(compile)
    let compileSeconds = Date().timeIntervalSince(t1)

    // 3. Link.
    let objects = try fm.contentsOfDirectory(atPath: runtimeDir).filter { $0.hasSuffix(".o") }.sorted()
        .map { runtimeDir + "/" + $0 }
    var link = compiler + [objPath] + objects + ["-o", output]
    if let s = options.sanitize {
        link += ["-fsanitize=\(s)"]
    } else if options.staticLink {
        link.append("-static")
    }
    if options.debug { link.append("-g") }
    link += ["-lm", "-lpthread"]
    let t2 = Date()
    try runTool(link, what: "linking", failure: .compilerFailed, timeout: options.timeout)
    commands.append(link)
    let linkSeconds = Date().timeIntervalSince(t2)

    let size = (try? fm.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
    return NativeBuildReport(
        compiler: compiler.joined(separator: " "), runtimeCached: cached, runtimeSeconds: runtimeSeconds,
        compileSeconds: compileSeconds, linkSeconds: linkSeconds, cSourceBytes: cSource.utf8.count,
        executableBytes: size, runtimeDirectory: runtimeDir, tempDirectory: options.keepTemps ? temp : nil,
        commands: commands)
}

/// The C compiler command: `override`, else `$CC` (may carry arguments), else `clang` on PATH,
/// else the clang beside the Swift toolchain.
public func findCCompiler(override: String? = nil) throws -> [String] {
    let env = ProcessInfo.processInfo.environment
    if let cc = override ?? env["CC"], !cc.trimmingCharacters(in: .whitespaces).isEmpty {
        let parts = cc.split(separator: " ").map(String.init)
        if let first = parts.first, let path = findExecutable(first) { return [path] + parts.dropFirst() }
        throw NativeBuildError("C compiler '\(cc)' (from \(override != nil ? "--cc" : "CC")) not found")
    }
    if let path = findExecutable("clang") { return [path] }
    var candidates = ["/opt/swift/usr/bin/clang", "/usr/local/bin/clang", "/usr/bin/clang"]
    if let swift = findExecutable("swift") {
        let real = URL(fileURLWithPath: swift).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.insert(real.appendingPathComponent("clang").path, at: 0)
    }
    if let exe = Bundle.main.executablePath {
        let dir = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(dir.appendingPathComponent("clang").path)
    }
    for c in candidates where FileManager.default.isExecutableFile(atPath: c) { return [c] }
    throw NativeBuildError(
        "no C compiler found: zong needs clang and the C library for static linking "
            + "(Debian/Ubuntu: apt-get install clang libc6-dev), or set CC")
}

private func findExecutable(_ name: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

private func runtimeSources(_ options: NativeBuildOptions) throws -> [String: String] {
    if !options.runtimeSources.isEmpty { return options.runtimeSources }
    let fm = FileManager.default
    var dirs: [String] = []
    if let d = ProcessInfo.processInfo.environment["ZONG_RUNTIME_DIR"] { dirs.append(d) }
    if let exe = Bundle.main.executablePath {
        var dir = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
        dirs.append(dir.appendingPathComponent("runtime-c").path)
        dirs.append(dir.appendingPathComponent("../share/zong/runtime-c").standardized.path)
        for _ in 0..<6 {
            dir = dir.deletingLastPathComponent()
            dirs.append(dir.appendingPathComponent("runtime-c").path)
        }
    }
    dirs.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../runtime-c").standardized.path)
    for dir in dirs where fm.fileExists(atPath: dir + "/zong_rt.h") {
        var sources: [String: String] = [:]
        for name in try fm.contentsOfDirectory(atPath: dir) where name.hasSuffix(".c") || name.hasSuffix(".h") {
            sources[name] = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        }
        return sources
    }
    throw NativeBuildError("runtime-c not found (looked in: \(dirs.joined(separator: ", "))); set ZONG_RUNTIME_DIR")
}

/// FNV-1a, 64 bits: a cache key, not a security boundary.
private func fnv1a(_ parts: [String]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for part in parts {
        for b in part.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        h ^= 0xff
        h = h &* 0x100_0000_01b3
    }
    return String(h, radix: 16)
}

/// One line per object file in `dir`: name, size and hash of its bytes.
private func runtimeManifest(_ dir: String) -> String {
    let fm = FileManager.default
    let names = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".o") }.sorted()
    var text = ""
    for name in names {
        let data = fm.contents(atPath: dir + "/" + name) ?? Data()
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            for b in raw.bindMemory(to: UInt8.self) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        text += "\(name) \(data.count) \(String(h, radix: 16))\n"
    }
    return text
}

/// zong's cache directory: $XDG_CACHE_HOME/zong (only an absolute value counts, as the XDG base
/// directory specification says), else ~/.cache/zong, else a per-user temporary directory.
func zongCacheRoot(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let x = env["XDG_CACHE_HOME"], x.hasPrefix("/") { return x + "/zong" }
    if let h = env["HOME"], !h.isEmpty { return h + "/.cache/zong" }
    return FileManager.default.temporaryDirectory.appendingPathComponent("zong-cache-\(getuid())").path
}

private func cachedRuntime(
    sources: [String: String], compiler: [String], flags: [String], options: NativeBuildOptions,
    commands: inout [[String]]
) throws -> (String, Bool) {
    let fm = FileManager.default
    let root = options.cacheDirectory ?? zongCacheRoot()
    var keyParts = compiler + flags
    for name in sources.keys.sorted() { keyParts += [name, sources[name] ?? ""] }
    let dir = root + "/runtime-" + fnv1a(keyParts)
    if fm.fileExists(atPath: dir + "/.complete") {
        // `.complete` lists every object's size and hash: a damaged cache (an object emptied
        // or truncated) is rebuilt instead of failing every later link.
        if let recorded = fm.contents(atPath: dir + "/.complete"), String(decoding: recorded, as: UTF8.self) == runtimeManifest(dir) {
            return (dir, true)
        }
        try? fm.removeItem(atPath: dir)
    }

    try makeDirectories(root, what: "cache directory")
    let staging = root + "/.staging-\(getpid())-\(UUID().uuidString)"
    Interruption.removeIfStopped(staging)
    defer {
        try? fm.removeItem(atPath: staging)
        Interruption.forget(staging)
    }
    try makeDirectories(staging, what: "cache directory")
    for (name, text) in sources {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: staging + "/" + name))
        } catch {
            throw NativeBuildError("cannot write to the cache directory \(root)", kind: .cannotWrite)
        }
    }
    let cFiles = sources.keys.filter { $0.hasSuffix(".c") }.sorted()
    for c in cFiles {
        let obj = staging + "/" + String(c.dropLast(2)) + ".o"
        let cmd = compiler + flags + ["-c", staging + "/" + c, "-o", obj]
        try runTool(cmd, what: "compiling runtime-c/\(c)", failure: .compilerFailed, timeout: options.timeout)
        commands.append(cmd)
    }
    _ = fm.createFile(atPath: staging + "/.complete", contents: Data(runtimeManifest(staging).utf8))
    do {
        try fm.moveItem(atPath: staging, toPath: dir)
    } catch {
        // Someone else finished first: use theirs.
        if !fm.fileExists(atPath: dir + "/.complete") {
            throw NativeBuildError("cannot write the runtime cache \(dir)", kind: .cannotWrite)
        }
    }
    return (dir, false)
}

private func runTool(_ command: [String], what: String, failure: NativeBuildError.Kind, timeout: Double? = nil) throws {
    let result: ChildProcess.Result
    do {
        result = try ChildProcess.run(command, timeout: timeout)
    } catch {
        throw NativeBuildError("cannot run \(command.first ?? ""): \(error)")
    }
    let data = result.output
    if result.timedOut {
        throw NativeBuildError("\(what) took longer than the limit of \(Watchdog.shown(timeout ?? 0)) s (--cc-timeout SECONDS); stopped",
                               kind: .timedOut)
    }
    guard result.exitStatus == 0 || result.signal != 0 else {
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("cannot find -lc") || text.contains("cannot find -lm") || text.contains("crt1.o") {
            // Not zong's fault: the machine lacks the C library's static archives.
            throw NativeBuildError("\(what) failed: static linking needs the C library's static archives "
                                   + "(Debian/Ubuntu: apt-get install libc6-dev)", kind: .toolMissing)
        }
        // The C is zong's own output (or its embedded runtime): a compiler that rejects it has
        // found a bug in zong. One line: the compiler's first error.
        let lines = text.split(separator: "\n").map(String.init)
        if let line = lines.first(where: { $0.contains("cannot open output file") }) {
            throw NativeBuildError("\(what) failed: \(line)", kind: .cannotWrite)
        }
        let first = lines.first { $0.contains("error:") } ?? lines.first ?? "status \(result.exitStatus)"
        throw NativeBuildError("\(what) failed: \(first) (this is a bug in zong; please report it)", kind: failure)
    }
    if result.signal != 0 {
        throw NativeBuildError("\(what) failed: \(command[0]) was killed by signal \(result.signal)", kind: failure)
    }
}

/// Stops a child that runs longer than its time limit: SIGTERM, then SIGKILL 2 s later; to its
/// whole process group with `group` (the child leads one of its own).
final class Watchdog: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var fired = false

    /// nil without a limit.
    init?(pid: pid_t, seconds: Double?, group: Bool = false) {
        guard let seconds, seconds > 0, pid > 0 else { return nil }
        let target = group ? -pid : pid
        let thread = Thread { [self] in
            if done.wait(timeout: .now() + seconds) == .timedOut {
                fired = true
                kill(target, SIGTERM)
                if done.wait(timeout: .now() + 2) == .timedOut { kill(target, SIGKILL) }
            }
            finished.signal()
        }
        thread.start()
    }

    /// After the child has exited: whether the limit stopped it.
    func finish() -> Bool {
        done.signal()
        finished.wait()
        return fired
    }

    static func shown(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e15 ? String(Int(seconds)) : String(seconds)
    }
}
