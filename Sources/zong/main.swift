// The zong command line: argument parsing only; every subcommand is one call into ZongDriver.
import ArgumentParser
import Foundation
import ZongDriver

struct Zong: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zong",
        abstract: "Compile Zong programs to static native executables (Zong -> WASM -> C -> ELF).",
        discussion: """
            Examples:
              zong run hello.zong              build (cached) and run natively
              zong run --interp hello.zong     run the WebAssembly module under wasmkit
              zong build prog.zong -o prog     one static executable
              zong check prog.zong             diagnostics only
            """,
        version: ZongVersion.string,
        subcommands: [Check.self, Build.self, Run.self, Eval.self, EmitWasm.self, EmitC.self, W2CCommand.self, Bench.self]
    )
}

extension DiagnosticFormat: ExpressibleByArgument {}
extension CompileOptions.Bounds: ExpressibleByArgument {}

/// Options shared by every command that reports diagnostics.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Diagnostics as 'text' (clang style) or 'json' (one object per line).")
    var diagnosticsFormat: DiagnosticFormat = .text

    @Flag(name: .shortAndLong, help: "Print each phase's time and the output sizes.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false
}

/// Options that change the generated program.
struct CodeOptions: ParsableArguments {
    @Flag(name: .customShort("O", allowingJoined: true), help: .hidden)
    var unused = false

    @Option(name: .customLong("opt"), help: "C optimization level: 0, 1, 2 or 3 (also -O0 … -O3).")
    var level: Int = 2

    @Option(name: .long, help: "Memory safety: 'check' (explicit bounds checks) or 'guard' (guard pages).")
    var bounds: CompileOptions.Bounds = .check

    @Flag(name: .long, help: "Debug info: #line directives so gdb steps through Zong source.")
    var debug = false

    @Option(name: .long, help: "Size of the tstack (structs, addressed locals) in bytes.")
    var tstackSize: Int = 1 << 20

    @Option(name: .long, help: "Largest linear memory in bytes.")
    var maxMemory: UInt64 = 2 << 30

    func compileOptions(_ common: CommonOptions, keepTemps: Bool = false) -> CompileOptions {
        var o = CompileOptions()
        o.optimization = "-O\(min(max(level, 0), 3))"
        o.bounds = bounds
        o.debug = debug
        o.keepTemps = keepTemps
        o.tstackSize = tstackSize
        o.maxMemoryBytes = maxMemory
        o.verbose = common.verbose
        return o
    }
}

func driver(_ common: CommonOptions, _ options: CompileOptions = .init()) -> Driver {
    var d = Driver(options: options, diagnostics: DiagnosticOutput(format: common.diagnosticsFormat))
    d.quiet = common.quiet
    return d
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and type-check a program; print diagnostics, produce nothing.",
        discussion: "Example: zong check prog.zong   ('-' reads the program from standard input)")
    @Argument(help: "The .zong source file, or '-' for standard input.") var file: String
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(CheckCommand.run(path: file, output: DiagnosticOutput(format: common.diagnosticsFormat)))
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile a program to one static native executable.",
        discussion: "Example: zong build prog.zong -o prog -O2")
    @Argument(help: "The .zong source file.") var file: String
    @Option(name: .short, help: "The executable to write (default: the source name without .zong).") var output: String?
    @Option(name: .long, help: "Also write the generated C to this file.") var emitC: String?
    @Flag(name: .long, help: "Keep the temporary C and object files.") var keepTemps = false
    @OptionGroup var code: CodeOptions
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(driver(common, code.compileOptions(common, keepTemps: keepTemps)).build(path: file, output: output, emitC: emitC))
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build (cached) and run a program natively, or interpreted with --interp.",
        discussion: "Example: zong run prog.zong -- arg1 arg2   (stdin, stdout, stderr and the exit status pass through)")
    @Argument(help: "The .zong source file.") var file: String
    @Flag(name: .long, help: "Run the WebAssembly module under the wasmkit interpreter.") var interp = false
    @Argument(parsing: .postTerminator, help: "Arguments for the program.") var arguments: [String] = []
    @OptionGroup var code: CodeOptions
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(driver(common, code.compileOptions(common)).run(path: file, interpret: interp, arguments: arguments))
    }
}

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a snippet: statements (or one expression) as a script program.",
        discussion: "Example: zong eval 'print(6 * 7)'")
    @Argument(help: "Zong statements or an expression.") var code: String
    @Flag(name: .long, help: "Run under the wasmkit interpreter.") var interp = false
    @OptionGroup var options: CodeOptions
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(driver(common, options.compileOptions(common)).eval(code: code, interpret: interp, arguments: []))
    }
}

struct EmitWasm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit-wasm", abstract: "Write the program's WebAssembly module.",
        discussion: "Example: zong emit-wasm prog.zong -o prog.wasm")
    @Argument(help: "The .zong source file.") var file: String
    @Option(name: .short, help: "Output file ('-' for stdout).") var output: String?
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(driver(common).emitWasm(path: file, output: output))
    }
}

struct EmitC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit-c", abstract: "Write the C that W2C produces for a program, for reading.",
        discussion: "Example: zong emit-c prog.zong -o prog.c")
    @Argument(help: "The .zong source file.") var file: String
    @Option(name: .short, help: "Output file ('-' for stdout).") var output: String?
    @OptionGroup var code: CodeOptions
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(driver(common, code.compileOptions(common)).emitC(path: file, output: output))
    }
}

struct W2CCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "w2c", abstract: "Translate any WebAssembly MVP module to C (the translator alone).",
        discussion: "Example: zong w2c module.wasm -o module.c")
    @Argument(help: "The .wasm module.") var module: String
    @Option(name: .short, help: "Output file ('-' for stdout).") var output: String?
    @OptionGroup var code: CodeOptions
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(driver(common, code.compileOptions(common)).w2c(path: module, output: output))
    }
}

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build natively and as a module, run both, and compare their times and memory.",
        discussion: """
            Runs the native executable and the WebAssembly module (under wasmkit) alternately, \
            --warmup times unmeasured and then --runs times each, with the same standard input; \
            both must succeed and print the same bytes (otherwise: an error, exit status 1). \
            Wall time is measured from spawn to exit, CPU time and peak memory come from the \
            child's rusage.

            Examples:
              zong bench prog.zong
              zong bench prog.zong --runs 20 --warmup 3 -O3
              zong bench wordcount.zong --input big.txt --json
            """)
    @Argument(help: "The .zong source file.") var file: String
    @Option(name: .long, help: "Measured runs of each form.") var runs: Int = 10
    @Option(name: .long, help: "Unmeasured warm-up runs of each form.") var warmup: Int = 1
    @Option(name: .long, help: "Standard input for every run (default: /dev/null).") var input: String?
    @Flag(name: .long, help: "Print the results as JSON.") var json = false
    @Argument(parsing: .postTerminator, help: "Arguments for the program.") var arguments: [String] = []
    @OptionGroup var code: CodeOptions
    @OptionGroup var common: CommonOptions
    func run() throws {
        var options = BenchOptions()
        options.runs = runs
        options.warmup = warmup
        options.input = input
        options.json = json
        options.arguments = arguments
        throw ExitCode(driver(common, code.compileOptions(common)).bench(path: file, bench: options))
    }
}

Zong.main(ZongArguments.normalized(Array(CommandLine.arguments.dropFirst())))
