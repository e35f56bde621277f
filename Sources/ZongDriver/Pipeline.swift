import Foundation
import W2C
import Wasm
import ZongCodegen
import ZongIR
import ZongSema
import ZongSyntax

/// Options that change what a compilation produces.
public struct CompileOptions: Sendable {
    public enum Bounds: String, Sendable { case check, guard_ = "guard" }
    public var optimization = "-O2"
    public var bounds: Bounds = .check
    public var debug = false
    public var keepTemps = false
    public var tstackSize = 1 << 20
    public var maxMemoryBytes: UInt64 = 2 << 30
    public var verbose = false
    /// Print nothing but errors (no progress lines).
    public var quiet = false
    /// Never free the program's trees (`keepUntilExit`): for a process that exits after the
    /// compilation, as the command line does; a library caller keeps the default.
    public var keepTreesUntilExit = false
    /// `--error-limit` (0: none): the front end stops after this many errors.
    public var errorLimit = 0
    /// `--cc-timeout`: each C compiler and linker run is stopped after this many seconds.
    public var ccTimeout: Double? = 600
    /// `--timeout` of run and bench: the program is stopped after this many seconds.
    public var programTimeout: Double?
    /// Passes of the IR pipeline switched off (`--disable-pass`).
    public var disabledPasses: [String] = []
    /// Where warnings go, and which (`-W…`); errors go to the Driver's output.
    public var diagnostics = DiagnosticOutput()
    public init() {}

    /// The IR optimizer's level: the C level's number (-O0 runs no pass).
    var irLevel: Int { Int(optimization.dropFirst(2)) ?? 2 }

    /// Everything that affects the native binary, for cache keys.
    var fingerprint: String {
        "\(optimization)|\(bounds.rawValue)|\(debug)|\(tstackSize)|\(maxMemoryBytes)|\(disabledPasses.sorted())"
    }
}

/// Why a compilation stopped: diagnostics (exit 1) or a problem outside the program (64+).
public enum CompileFailure: Error {
    case diagnostics([Diagnostic], SourceFile)
    case usage(UsageError)
}

/// The stages as one library call each: source -> checked program -> WASM -> C -> executable.
public struct Pipeline {
    public var options: CompileOptions
    public var timings = Timings()

    public init(options: CompileOptions) {
        self.options = options
    }

    /// - Parameter linkingRuntime: also reject externs the runtime cannot link (`RuntimeLinking`).
    public mutating func check(_ file: SourceFile, form: SourceForm = .program, linkingRuntime: Bool = true,
                               rewrite: (@Sendable (ProgramSyntax) -> ProgramSyntax)? = nil) throws(CompileFailure) -> TypedProgram {
        let result = FrontEnd.run(file, form: form, keepTrees: options.keepTreesUntilExit, errorLimit: options.errorLimit,
                                  linkingRuntime: linkingRuntime, rewrite: rewrite)
        timings.record("parse", result.parseSeconds)
        timings.record("check", result.checkSeconds)
        guard let program = result.program, result.diagnostics.isEmpty else {
            throw .diagnostics(result.diagnostics, file)
        }
        if let errors = options.diagnostics.handleWarnings(result.warnings, in: file) {
            throw .diagnostics(errors, file)
        }
        return program
    }

    public mutating func wasm(_ program: TypedProgram) throws(CompileFailure) -> WasmModule {
        var codegen = CodegenOptions()
        codegen.tstackSize = options.tstackSize
        // Declared as the module's memory maximum, so the interpreter stops at the same size as
        // the native runtime (which W2C also caps at maxMemoryBytes).
        codegen.maxMemoryBytes = options.maxMemoryBytes
        let module = try irModule(program, codegen)
        // The program's initial memory (data, tstack, first heap page) must fit under the
        // limit; otherwise the native runtime would refuse to start and wasmkit would ignore
        // the limit. Refused here, the same way in every mode.
        if let memory = module.memory, UInt64(memory.minimumPages) > options.maxMemoryBytes / 65536 {
            let needed = UInt64(memory.minimumPages) * 65536
            throw .usage(UsageError(
                "zong: error: --max-memory \(options.maxMemoryBytes) is below this program's initial memory: "
                    + "it needs at least \(needed) bytes (\(memory.minimumPages) pages of 64 KiB, with --tstack-size \(options.tstackSize))",
                exitStatus: ExitStatus.usage))
        }
        try checkLocalCounts(module, program)
        return module
    }

    /// The most locals a function may have: engines stop there (V8 and wasmkit at 50,000),
    /// and the C compiler could not optimize such a function anyway.
    static let maxLocals = 50_000

    /// A function needing more locals than `maxLocals` (that many scalar variables in scope at
    /// once; variables of scopes that ended share locals) is a compile error at its declaration.
    func checkLocalCounts(_ module: WasmModule, _ program: TypedProgram) throws(CompileFailure) {
        var list: [Diagnostic] = []
        for f in module.functions where f.type.parameters.count + f.locals.count > Self.maxLocals {
            // Each IR function, so each WASM function, has its source function's name.
            let name = f.name
            let def = program.functions.first { $0.name == name }
            let count = Timings.grouped(f.type.parameters.count + f.locals.count)
            list.append(Diagnostic("function '\(name)' needs \(count) local variables at once, more than the "
                                   + "\(Timings.grouped(Self.maxLocals)) supported; split it into smaller functions",
                                   at: def?.span ?? SourceSpan(start: 0, end: 0)))
        }
        if !list.isEmpty { throw .diagnostics(list, program.file) }
    }

    /// Typed AST -> ZongIR -> the level's passes -> WASM. A pass that breaks the verifier is an
    /// internal error naming the pass (the verifier runs after each pass with --verbose).
    mutating func irModule(_ program: TypedProgram, _ codegen: CodegenOptions) throws(CompileFailure) -> WasmModule {
        var ir = timings.measure("lower to IR") { IRLowering.lower(program, tasks: runOnLargeStacks) }
        var manager = PassManager(level: options.irLevel)
        manager.disabled = Set(options.disabledPasses)
        manager.verifyEachPass = options.verbose
        manager.tasks = runOnThreadPool
        let problems = manager.run(&ir)
        for (name, seconds) in manager.timings { timings.record("pass \(name)", seconds) }
        if !problems.isEmpty {
            throw .usage(UsageError("zong: internal error: the IR verifier failed:\n" + problems.prefix(20).joined(separator: "\n"),
                                    exitStatus: ExitStatus.software))
        }
        let lowered = ir
        return timings.measure("codegen from IR") { generateModule(fromIR: lowered, program: program, options: codegen, tasks: runOnThreadPool) }
    }

    public mutating func encode(_ module: WasmModule) -> [UInt8] {
        // The module is a tree too: freeing a large one took longer than encoding it.
        if options.keepTreesUntilExit { keepUntilExit(module) }
        let bytes = timings.measure("encode") { module.encode(tasks: runOnLargeStacks) }
        timings.size("wasm", bytes.count)
        return bytes
    }

    public mutating func c(_ wasm: [UInt8]) throws(CompileFailure) -> String {
        String(decoding: try cBytes(wasm), as: UTF8.self)
    }

    /// `c`, as the file's bytes (for writing them out as they are).
    public mutating func cBytes(_ wasm: [UInt8]) throws(CompileFailure) -> [UInt8] {
        do {
            return try translate(wasm)
        } catch {
            throw .usage(UsageError("zong: error: cannot translate the module to C: \(error)", exitStatus: ExitStatus.software))
        }
    }

    /// W2C on `wasm` with these options, timed; its error as it is (for `zong w2c`, where the
    /// module is the user's input).
    public mutating func translate(_ wasm: [UInt8]) throws(W2CError) -> [UInt8] {
        var w2c = W2COptions()
        w2c.boundsMode = options.bounds == .guard_ ? .guardPages : .checked
        w2c.debug = options.debug
        w2c.maxMemoryBytes = options.maxMemoryBytes
        let start = Date()
        let translation = try translateModule(wasm: wasm, options: w2c)
        timings.record("w2c", Date().timeIntervalSince(start))
        timings.size("c", translation.c.count)
        if options.verbose {
            for f in translation.unoptimizedFunctions {
                writeStandardError("zong: note: function \(f.name) is too large to optimize (\(Timings.grouped(f.variables)) variables, "
                                   + "\(Timings.grouped(f.blocks)) blocks): its C is compiled without optimization\n")
            }
        }
        return translation.c
    }

    public mutating func native(_ c: String, output: String) throws(CompileFailure) {
        var build = NativeBuildOptions()
        build.optimization = options.optimization
        build.debug = options.debug
        build.keepTemps = options.keepTemps
        build.runtimeSources = runtimeCSources
        build.timeout = options.ccTimeout
        // The linker replaces its output file; an output that is a symlink or a special file
        // (`-o /dev/null`, `-o link`) is written through instead, like every other output: link
        // into a scratch directory, then copy the executable's bytes to the path. `-o -` is
        // standard output, as for every other writer (the linker was given `-` itself, and the
        // executable went into its captured output: lost, with exit status 0).
        let direct = output != "-" && Output.isPlainFileOrMissing(output)
        let scratch = direct ? nil : Scratch.directory()
        defer { if let scratch { Scratch.remove(scratch) } }
        // The C compiler is the longest step of a large build: say that it has started.
        if options.verbose { writeStandardError("zong: compiling \(Timings.grouped(c.utf8.count)) bytes of C with \(options.optimization)\n") }
        do {
            let report = try buildNativeExecutable(cSource: c, output: scratch.map { $0 + "/program" } ?? output, options: build)
            timings.record("cc", report.compileSeconds + report.runtimeSeconds)
            timings.record("link", report.linkSeconds)
            timings.size("executable", report.executableBytes)
            if let temps = report.tempDirectory { writeStandardError("zong: temporary files kept in \(temps)\n") }
        } catch let error as NativeBuildError {
            let status = switch error.kind {
            case .toolMissing: ExitStatus.unavailable
            case .compilerFailed: ExitStatus.software
            case .cannotWrite: ExitStatus.cantCreate
            case .timedOut: ExitStatus.compilerTimeout
            }
            throw .usage(UsageError("zong: error: \(error)", exitStatus: status))
        } catch {
            throw .usage(UsageError("zong: error: cannot write temporary files: \(error.localizedDescription)", exitStatus: ExitStatus.cantCreate))
        }
        if let scratch {
            guard let bytes = FileManager.default.contents(atPath: scratch + "/program") else {
                throw Output.cannotWrite(output, EIO)
            }
            try Output.write(Array(bytes), to: output, mode: 0o777)
            // A regular file written through a link keeps its mode: make it executable.
            var st = stat()
            if stat(output, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
                let mode = st.st_mode & 0o7777
                chmod(output, mode | ((mode & 0o444) >> 2))
            }
        }
    }

    /// Source file to a native executable at `output`.
    public mutating func build(_ file: SourceFile, form: SourceForm = .program, output: String,
                               emitC: String? = nil) throws(CompileFailure) {
        let program = try check(file, form: form)
        let module = try wasm(program)
        let bytes = encode(module)
        let text = try c(bytes)
        if let emitC { try Output.write(Array(text.utf8), to: emitC) }
        try native(text, output: output)
    }
}

/// Writing output files: a missing directory or unwritable path is one clear line.
///
/// An existing output is written through, the way `cc -o` and a shell redirection do: opened
/// with O_TRUNC, following symlinks, so `-o /dev/null` stays a device and `-o link.c` keeps the
/// link (its target gets the text); only a missing path is created.
enum Output {
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o666) throws(CompileFailure) {
        if path == "-" {
            do throws(UsageError) { try StandardStreams.writeStandardOutput(bytes) } catch { throw .usage(error) }
            return
        }
        try checkWritable(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw cannotWrite(path, errno) }
        if let error = StandardStreams.writeAll(fd, bytes) {
            close(fd)
            throw cannotWrite(path, error)
        }
        guard close(fd) == 0 else { throw cannotWrite(path, errno) }
    }

    static func cannotWrite(_ path: String, _ error: Int32) -> CompileFailure {
        .usage(UsageError("zong: error: cannot write \(path): \(String(cString: strerror(error)))", exitStatus: ExitStatus.cantCreate))
    }

    static func checkWritable(_ path: String) throws(CompileFailure) {
        if path.isEmpty {
            throw .usage(UsageError("zong: error: empty output path", exitStatus: ExitStatus.usage))
        }
        let dir = PathText.directory(of: path)
        var isDirectory: ObjCBool = false
        if !dir.isEmpty, !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw .usage(UsageError("zong: error: cannot write \(path): directory \(dir) does not exist", exitStatus: ExitStatus.cantCreate))
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .usage(UsageError("zong: error: cannot write \(path): it is a directory", exitStatus: ExitStatus.cantCreate))
        }
        // A name too long for the file system (a component over NAME_MAX, or over PATH_MAX in
        // all) is refused now, not by the linker at the end (exit 70, "a bug in zong").
        // So is a name ending in `/` (open(2) says EISDIR; ld said "a bug in zong", exit 70).
        if path.hasSuffix("/") { throw cannotWrite(path, EISDIR) }
        var st = stat()
        if stat(path, &st) != 0, errno == ENAMETOOLONG { throw cannotWrite(path, ENAMETOOLONG) }
    }

    /// Refuses an output that is the input file itself (`zong build p.zong -o p.zong`, `-o ./p.zong`,
    /// an absolute path or a link to it, or the source `.zong` whose default output is `.zong`):
    /// compared by device and inode, so every spelling of the same file is caught.
    static func refuseOverwriting(input: String, output: String, what: String = "input") throws(CompileFailure) {
        guard input != "-", output != "-", !output.isEmpty else { return }
        var a = stat(), b = stat()
        guard stat(input, &a) == 0, stat(output, &b) == 0 else { return }
        if a.st_dev == b.st_dev, a.st_ino == b.st_ino {
            throw .usage(UsageError("zong: error: the output \(output) is the \(what) file \(input); choose another output name (-o)",
                                    exitStatus: ExitStatus.usage))
        }
    }

    /// Whether two output paths name the same file even when it does not exist yet (`./y` and
    /// `y`, `d/../y` and `y`): the directories resolved, then the last components compared.
    static func sameName(_ a: String, _ b: String) -> Bool {
        guard a != "-", b != "-" else { return a == b }
        func canonical(_ path: String) -> String {
            let dir = PathText.directory(of: path)
            guard let resolved = realpath(dir.isEmpty ? "." : dir, nil) else { return path }
            defer { free(resolved) }
            return String(cString: resolved) + "/" + PathText.lastComponent(path)
        }
        return canonical(a) == canonical(b)
    }

    /// Whether `path` is something `ld` would replace rather than write through: missing, or a
    /// regular file that is not a symlink.
    static func isPlainFileOrMissing(_ path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) == 0 else { return true }
        return (st.st_mode & S_IFMT) == S_IFREG
    }

    /// `dir/prog.zong` -> `prog` + suffix, in the current directory.
    static func defaultName(for source: String, suffix: String) -> String {
        let base = PathText.deletingExtension(PathText.lastComponent(source))
        return (base.isEmpty || source == "-" ? "a.out" : base) + suffix
    }
}
