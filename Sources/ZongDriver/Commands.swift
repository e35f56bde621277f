import Foundation
import W2C
import Wasm
import ZongSema
import ZongSyntax

/// One function per subcommand; each returns the process exit status.
public struct Driver {
    public var options: CompileOptions
    public var diagnostics: DiagnosticOutput
    public var quiet = false

    public init(options: CompileOptions = .init(), diagnostics: DiagnosticOutput = .init()) {
        self.options = options
        self.diagnostics = diagnostics
    }

    /// Runs `body`, turning failures into their messages and exit statuses.
    func reporting(_ pipeline: inout Pipeline, _ body: (inout Pipeline) throws(CompileFailure) -> Int32) -> Int32 {
        defer { if options.verbose { writeStandardError(pipeline.timings.report) } }
        do {
            return try body(&pipeline)
        } catch {
            switch error {
            case .diagnostics(let list, let file):
                // Diagnostics that cannot be written (stderr unwritable) are a failed output.
                return diagnostics.emit(list, in: file) ? ExitStatus.compileError : ExitStatus.cantCreate
            case .usage(let usage):
                writeStandardError(usage.message + "\n")
                return usage.exitStatus
            }
        }
    }

    func load(_ path: String) throws(CompileFailure) -> SourceFile {
        do {
            return try SourceLoading.load(path)
        } catch {
            throw .usage(error)
        }
    }

    /// `zong build FILE [-o NAME]`: one static executable.
    public func build(path: String, output: String?, emitC: String?) -> Int32 {
        var pipeline = Pipeline(options: options)
        return reporting(&pipeline) { p throws(CompileFailure) in
            let file = try load(path)
            let target = output ?? Output.defaultName(for: path, suffix: "")
            try Output.checkWritable(target)
            try Output.refuseOverwriting(input: path, output: target)
            if let emitC {
                try Output.checkWritable(emitC)
                try Output.refuseOverwriting(input: path, output: emitC)
                try Output.refuseOverwriting(input: target, output: emitC, what: "executable")
                if emitC == target || Output.sameName(emitC, target) {
                    throw .usage(UsageError("zong: error: --emit-c and -o name the same file \(target)", exitStatus: ExitStatus.usage))
                }
            }
            try p.build(file, output: target, emitC: emitC)
            return ExitStatus.success
        }
    }

    /// `zong emit-wasm FILE [-o out.wasm]`.
    public func emitWasm(path: String, output: String?) -> Int32 {
        var pipeline = Pipeline(options: options)
        return reporting(&pipeline) { p throws(CompileFailure) in
            let file = try load(path)
            let target = output ?? Output.defaultName(for: path, suffix: ".wasm")
            try Output.refuseOverwriting(input: path, output: target)
            let bytes = try p.encode(p.wasm(p.check(file, linkingRuntime: false)))
            try Output.write(bytes, to: target)
            return ExitStatus.success
        }
    }

    /// `zong emit-c FILE [-o out.c]`.
    public func emitC(path: String, output: String?) -> Int32 {
        var pipeline = Pipeline(options: options)
        return reporting(&pipeline) { p throws(CompileFailure) in
            let file = try load(path)
            let target = output ?? Output.defaultName(for: path, suffix: ".c")
            try Output.refuseOverwriting(input: path, output: target)
            let text = try p.cBytes(p.encode(p.wasm(p.check(file))))
            try Output.write(text, to: target)
            return ExitStatus.success
        }
    }

    /// `zong w2c MODULE.wasm [-o out.c]`: the translator alone, on any module.
    public func w2c(path: String, output: String?) -> Int32 {
        var pipeline = Pipeline(options: options)
        return reporting(&pipeline) { p throws(CompileFailure) in
            let defaultName = path == "-" ? Output.defaultName(for: path, suffix: ".c")
                : PathText.deletingExtension(PathText.lastComponent(path)) + ".c"
            let target = output ?? defaultName
            try Output.refuseOverwriting(input: path, output: target)
            let data: [UInt8]
            if path == "-" {
                do throws(UsageError) { data = try StandardStreams.readStandardInput() } catch { throw .usage(error) }
            } else {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                      let contents = FileManager.default.contents(atPath: path) else {
                    throw .usage(UsageError("zong: error: cannot read \(path)", exitStatus: ExitStatus.noInput))
                }
                data = Array(contents)
            }
            guard data.starts(with: [0x00, 0x61, 0x73, 0x6d]) else {
                throw .usage(UsageError("zong: error: \(path) is not a WebAssembly module (it does not start with \\0asm)",
                                        exitStatus: ExitStatus.dataError))
            }
            let text: [UInt8]
            do throws(W2CError) {
                text = try p.translate(data)
            } catch {
                // Here the module is the user's input: one W2C cannot translate is a compile
                // error (1) with its byte offset, not an internal error (70) as for a module zong
                // generated itself.
                throw .usage(UsageError("zong w2c: error: \(error)", exitStatus: ExitStatus.compileError))
            }
            try Output.write(text, to: target)
            return ExitStatus.success
        }
    }

    /// `zong run FILE [--interp] [-- args]`: native (built once into a cache) or interpreted.
    /// - Parameter directories: with `interpret`, the host directories the program may open files
    /// in (default: "/" and ".", what a native run sees).
    public func run(path: String, interpret: Bool, arguments: [String], directories: [String] = Interpreter.defaultDirectories) -> Int32 {
        var pipeline = Pipeline(options: options)
        return reporting(&pipeline) { p throws(CompileFailure) in
            let file = try load(path)
            return try execute(file, form: .program, interpret: interpret, arguments: arguments, directories: directories, &p)
        }
    }

    /// `zong eval CODE`: a statement list (or one expression, as a `zong-expr` test) as a script.
    public func eval(code: String, interpret: Bool, arguments: [String]) -> Int32 {
        var pipeline = Pipeline(options: options)
        return reporting(&pipeline) { p throws(CompileFailure) in
            let file = SourceFile(name: "<eval>", text: code)
            // A snippet that is not a valid statement list is read the way a zong-expr test is:
            // one expression, the rest ignored (LANGUAGE.md §1.1). When it is neither, the
            // statement reading's errors are shown if the snippet reads as statements up to a
            // later point (`var x: I64 = @;` is a bad statement, not a bad expression).
            let asProgram = parseProgram(file, form: .program)
            var form: SourceForm = asProgram.diagnostics.isEmpty ? .program : .expression
            if form == .expression {
                let asExpression = parseProgram(file, form: .expression)
                if let e = asExpression.diagnostics.first, let s = asProgram.diagnostics.first,
                   s.span.start > e.span.start {
                    form = .program
                }
            }
            // A snippet ending in an expression with a value prints it (`zong eval '6 * 7'`):
            // the first printing form that type-checks is run; none does for a void call or an
            // assignment, which run as they are.
            let parsed = form == .program ? asProgram : parseProgram(file, form: .expression)
            if parsed.diagnostics.isEmpty, EvalValue.endsInExpression(parsed.program) {
                for printing in EvalValue.Printing.allCases {
                    var attempt = Pipeline(options: p.options)
                    if let program = try? attempt.check(file, form: form, rewrite: { EvalValue.print($0, as: printing) }) {
                        p.timings = attempt.timings
                        return try execute(program, interpret: interpret, arguments: arguments, &p)
                    }
                }
            }
            return try execute(file, form: form, interpret: interpret, arguments: arguments, &p)
        }
    }

    private func execute(_ file: SourceFile, form: SourceForm, interpret: Bool, arguments: [String],
                         directories: [String] = Interpreter.defaultDirectories,
                         _ p: inout Pipeline) throws(CompileFailure) -> Int32 {
        try execute(p.check(file, form: form), interpret: interpret, arguments: arguments, directories: directories, &p)
    }

    private func execute(_ program: TypedProgram, interpret: Bool, arguments: [String],
                         directories: [String] = Interpreter.defaultDirectories,
                         _ p: inout Pipeline) throws(CompileFailure) -> Int32 {
        let module = try p.wasm(program)
        let bytes = p.encode(module)
        if interpret {
            let dir = Scratch.directory()
            defer { Scratch.remove(dir) }
            let path = dir + "/program.wasm"
            try Output.write(bytes, to: path)
            do {
                return try Interpreter.run(modulePath: path, arguments: arguments, directories: directories,
                                           functionName: module.functionName, timeout: options.programTimeout)
            } catch {
                throw .usage(error)
            }
        }
        let executable = try ProgramCache.executable(for: bytes, options: options) { output throws(CompileFailure) in
            let text = try p.c(bytes)
            try p.native(text, output: output)
        }
        return NativeProcess.run(executable, arguments: arguments, timeout: options.programTimeout)
    }
}

/// Temporary directories for one command, removed by `remove` or, if a signal stops zong,
/// by `Interruption`.
enum Scratch {
    static func directory() -> String {
        let path = NSTemporaryDirectory() + "zong-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        Interruption.removeIfStopped(path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        Interruption.forget(path)
    }
}
