import Foundation
import W2C
import Wasm
import ZongCodegen
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
    public init() {}

    /// Everything that affects the native binary, for cache keys.
    var fingerprint: String {
        "\(optimization)|\(bounds.rawValue)|\(debug)|\(tstackSize)|\(maxMemoryBytes)"
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

    public mutating func check(_ file: SourceFile, form: SourceForm = .program) throws(CompileFailure) -> TypedProgram {
        let result = FrontEnd.run(file, form: form)
        timings.record("parse", result.parseSeconds)
        timings.record("check", result.checkSeconds)
        guard let program = result.program, result.diagnostics.isEmpty else {
            throw .diagnostics(result.diagnostics, file)
        }
        return program
    }

    public mutating func wasm(_ program: TypedProgram) -> WasmModule {
        var codegen = CodegenOptions()
        codegen.tstackSize = options.tstackSize
        // Declared as the module's memory maximum, so the interpreter stops at the same size as
        // the native runtime (which W2C also caps at maxMemoryBytes).
        codegen.maxMemoryBytes = options.maxMemoryBytes
        return timings.measure("codegen") { generateModule(program, options: codegen) }
    }

    public mutating func encode(_ module: WasmModule) -> [UInt8] {
        let bytes = module.encode()
        timings.size("wasm", bytes.count)
        return bytes
    }

    public mutating func c(_ wasm: [UInt8]) throws(CompileFailure) -> String {
        var w2c = W2COptions()
        w2c.boundsMode = options.bounds == .guard_ ? .guardPages : .checked
        w2c.debug = options.debug
        w2c.maxMemoryBytes = options.maxMemoryBytes
        let start = Date()
        do {
            let text = try translate(wasm: wasm, options: w2c)
            timings.record("w2c", Date().timeIntervalSince(start))
            timings.size("c", text.utf8.count)
            return text
        } catch {
            throw .usage(UsageError("zong: error: cannot translate the module to C: \(error)", exitStatus: ExitStatus.software))
        }
    }

    public mutating func native(_ c: String, output: String) throws(CompileFailure) {
        var build = NativeBuildOptions()
        build.optimization = options.optimization
        build.debug = options.debug
        build.keepTemps = options.keepTemps
        build.runtimeSources = runtimeCSources
        do {
            let report = try buildNativeExecutable(cSource: c, output: output, options: build)
            timings.record("cc", report.compileSeconds + report.runtimeSeconds)
            timings.record("link", report.linkSeconds)
            timings.size("executable", report.executableBytes)
            if let temps = report.tempDirectory { writeStandardError("zong: temporary files kept in \(temps)\n") }
        } catch {
            throw .usage(UsageError("zong: error: \(error)", exitStatus: ExitStatus.unavailable))
        }
    }

    /// Source file to a native executable at `output`.
    public mutating func build(_ file: SourceFile, form: SourceForm = .program, output: String,
                               emitC: String? = nil) throws(CompileFailure) {
        let program = try check(file, form: form)
        let bytes = encode(wasm(program))
        let text = try c(bytes)
        if let emitC { try Output.write(Array(text.utf8), to: emitC) }
        try native(text, output: output)
    }
}

/// Writing output files: a missing directory or unwritable path is one clear line.
enum Output {
    static func write(_ bytes: [UInt8], to path: String) throws(CompileFailure) {
        if path == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        try checkWritable(path)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw .usage(UsageError("zong: error: cannot write \(path)", exitStatus: ExitStatus.cantCreate))
        }
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
    }

    /// `dir/prog.zong` -> `prog` + suffix, in the current directory.
    static func defaultName(for source: String, suffix: String) -> String {
        let base = PathText.deletingExtension(PathText.lastComponent(source))
        return (base.isEmpty || source == "-" ? "a.out" : base) + suffix
    }
}
