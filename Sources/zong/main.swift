// The zong command line: argument parsing only; every subcommand is one call into ZongDriver.
import ArgumentParser
import Foundation
import ZongDriver
import ZongIR

struct Zong: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zong",
        abstract: "Compile Zong programs to static native executables (Zong -> WASM -> C -> ELF).",
        discussion: """
            Examples:
              zong run hello.zong                  build (cached) and run natively
              zong run --interp hello.zong         run the WebAssembly module under wasmkit
              zong build prog.zong -o prog -O3     one static executable
              zong check prog.zong                 diagnostics only
              zong fmt prog.zong                   rewrite in the canonical layout
              zong emit-c prog.zong -o prog.c      the C that W2C writes, for reading
              zong eval 'print(6 * 7)'             a snippet
              zong bench prog.zong --runs 20       native vs interpreted, side by side

            'zong help SUBCOMMAND' shows a subcommand's options and examples.
            Exit status: 0 success, 1 compile error, 2 runtime error in the program,
            64 usage, 65 bad input data, 66 missing input, 69 missing tool (C compiler,
            wasmkit), 70 internal error, 73 cannot write output, 75 C compiler time
            limit (--cc-timeout), 124 program time limit (--timeout), 128+N signal N.
            Shell completion: zong --generate-completion-script bash|zsh|fish
            """,
        version: ZongVersion.string,
        subcommands: [Check.self, Fmt.self, Lsp.self, Build.self, Run.self, Eval.self, EmitWasm.self, EmitIR.self, EmitC.self, W2CCommand.self, Bench.self, Cache.self]
    )
}

extension DiagnosticFormat: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}
extension CompileOptions.Bounds: ExpressibleByArgument {}

/// Options shared by every command that reports diagnostics.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Diagnostics as 'text' (clang style) or 'json' (one object per line).")
    var diagnosticsFormat: DiagnosticFormat = .text

    @Option(name: .long, help: ArgumentHelp("Colour in diagnostics: 'auto' (on a terminal, unless NO_COLOR is non-empty or TERM=dumb), 'always' or 'never'.", valueName: "when"))
    var color: ColorChoice = .auto

    /// `-Wname`, `-Wno-name`, `-Werror` (rewritten to `--warning NAME` by `ZongArguments`).
    @Option(name: .customLong("warning"), help: ArgumentHelp(
        "Warnings: -W<name> turns one on, -Wno-<name> off, -Werror makes them errors, -Wnone silences all. Names: unused-variable, unused-parameter, unreachable-code, dangling-address, tautological-compare.",
        valueName: "name"))
    var warning: [String] = []

    var diagnosticOutput: DiagnosticOutput {
        SourceLoading.maxSourceBytes = maxSourceSize
        var o = DiagnosticOutput(format: diagnosticsFormat, color: color, errorLimit: errorLimit)
        if case .success(let w) = WarningOptions.parse(warning) { o.warnings = w }
        o.quiet = quiet
        return o
    }

    @Flag(name: .shortAndLong, help: "Print each phase's time and the output sizes.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Stop after this many errors (0: no limit).", valueName: "n"))
    var errorLimit: Int = DiagnosticOutput.defaultErrorLimit

    @Option(name: .long, help: ArgumentHelp("Largest source file accepted (default 64 MiB).", valueName: "bytes"))
    var maxSourceSize: Int = SourceLoading.defaultMaxSourceBytes

    func validate() throws {
        if verbose && quiet { throw ValidationError("--quiet and --verbose cannot be used together") }
        guard errorLimit >= 0 else { throw ValidationError("--error-limit must be 0 (no limit) or a positive number (got \(errorLimit))") }
        guard maxSourceSize > 0 else { throw ValidationError("--max-source-size must be a positive number of bytes (got \(maxSourceSize))") }
        if case .failure(let e) = WarningOptions.parse(warning) { throw ValidationError(e.message) }
    }
}

/// Options that change the generated program.
struct CodeOptions: ParsableArguments {
    /// A bare `-O` (the level-less spelling of cc): refused in `validate`, since its meaning
    /// differs between compilers (cc: -O1) and zong documents only -O0 … -O3.
    @Flag(name: .customShort("O", allowingJoined: true), help: .hidden)
    var bareO = false

    @Option(name: .customLong("opt"), help: ArgumentHelp("C optimization level: 0, 1, 2 or 3 (also -O0 … -O3); default 2, or 0 with --debug.", valueName: "level"))
    var level: Int?

    @Option(name: .long, help: "Memory safety: 'check' (explicit bounds checks) or 'guard' (guard pages).")
    var bounds: CompileOptions.Bounds = .check

    @Flag(name: .long, help: "Debug build: -O0 (unless a level is given), -g and #line directives, so gdb steps through Zong source line by line.")
    var debug = false

    @Option(name: .long, help: ArgumentHelp("Stop the C compiler or linker after this many seconds (0: no limit; exit status 75).", valueName: "seconds"))
    var ccTimeout: Double = 600

    @OptionGroup var module: ModuleOptions

    func validate() throws {
        if bareO { throw ValidationError("-O needs a level: -O0, -O1, -O2 or -O3") }
        guard ccTimeout >= 0, ccTimeout.isFinite else { throw ValidationError("--cc-timeout must be 0 (no limit) or a positive number of seconds") }
        if let level, !(0...3).contains(level) {
            throw ValidationError("the optimization level must be 0, 1, 2 or 3 (got \(level))")
        }
    }

    func compileOptions(_ common: CommonOptions, keepTemps: Bool = false) -> CompileOptions {
        var o = module.compileOptions(common)
        // --debug means -O0: no C optimization moves or merges code, so lines are exact.
        o.optimization = "-O\(min(max(level ?? (debug ? 0 : 2), 0), 3))"
        o.bounds = bounds
        o.debug = debug
        o.ccTimeout = ccTimeout > 0 ? ccTimeout : nil
        o.keepTemps = keepTemps
        return o
    }
}

/// The options that shape the WebAssembly module itself, so `emit-wasm` takes them too and
/// writes the module that `build` and `run` would use.
struct ModuleOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Size of the tstack (structs, addressed locals) in bytes; rounded up to a multiple of 16, at least 4096.", valueName: "bytes"))
    var tstackSize: Int = 1 << 20

    @Option(name: .long, help: ArgumentHelp("Largest linear memory in bytes (65536 to 4294967296).", valueName: "bytes"))
    var maxMemory: Int64 = 2 << 30

    @Option(name: .customLong("disable-pass"), help: ArgumentHelp("Skip this IR pass (repeatable; zong emit-ir --print-passes lists them).", valueName: "name"))
    var disabledPasses: [String] = []

    func validate() throws {
        guard tstackSize > 0 else { throw ValidationError("--tstack-size must be a positive number of bytes (got \(tstackSize))") }
        guard tstackSize <= 1 << 30 else {
            throw ValidationError("--tstack-size must be between 1 and 1073741824 bytes (got \(tstackSize))")
        }
        guard maxMemory > 0 else { throw ValidationError("--max-memory must be a positive number of bytes (got \(maxMemory))") }
        guard maxMemory >= 65536, maxMemory <= 1 << 32 else {
            throw ValidationError("--max-memory must be between 65536 and 4294967296 (got \(maxMemory))")
        }
        let unknown = PassManager.unknown(disabledPasses)
        if let name = unknown.first {
            throw ValidationError("no pass named '\(name)' (passes: \(PassManager.allPasses.map(\.name).joined(separator: ", ")))")
        }
    }

    func compileOptions(_ common: CommonOptions) -> CompileOptions {
        var o = CompileOptions()
        o.tstackSize = tstackSize
        o.maxMemoryBytes = UInt64(max(maxMemory, 0))
        o.disabledPasses = disabledPasses
        o.verbose = common.verbose
        o.quiet = common.quiet
        o.errorLimit = common.errorLimit
        o.keepTreesUntilExit = true
        o.diagnostics = common.diagnosticOutput
        return o
    }
}

func driver(_ common: CommonOptions, _ options: CompileOptions = .init()) -> Driver {
    var d = Driver(options: options, diagnostics: common.diagnosticOutput)
    d.quiet = common.quiet
    return d
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and type-check a program; print diagnostics, produce nothing.",
        discussion: """
            Exit status 0 and no output for a valid program; 1 with diagnostics on stderr.

            Examples:
              zong check prog.zong
              cat prog.zong | zong check -
              zong check prog.zong --diagnostics-format json
            """)
    @Argument(help: "The .zong source file, or '-' for standard input.") var file: String
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(CheckCommand.run(path: file, output: common.diagnosticOutput, keepTrees: true))
    }
}

struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rewrite source files in the one canonical layout (comments kept, meaning unchanged).",
        discussion: """
            Each file is rewritten in place when its layout differs; a directory means every .zong \
            file under it; '-' (or no file) formats standard input to standard output. A file with \
            syntax errors is left alone and its errors are reported (exit status 1). There are no \
            options for the layout: four spaces per level, one space around binary operators, the \
            author's line breaks with at most one blank line in a row.

            Examples:
              zong fmt prog.zong
              zong fmt --check Examples            lists unformatted files, exit status 1 if any
              cat prog.zong | zong fmt -
            """)
    @Argument(help: "Files or directories ('-' for standard input).") var files: [String] = []
    @Flag(name: .long, help: "Write nothing; list the files that are not formatted (exit status 1 if any).") var check = false
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(FormatCommand.run(paths: files, check: check, output: common.diagnosticOutput))
    }
}

struct Lsp: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the language server (LSP over standard input and output) for editors.",
        discussion: """
            Diagnostics of every phase while typing (with warnings; -W options apply), hover, go to \
            definition, references, document symbols, completion, rename of a local, and formatting \
            through zong fmt. Editors start it themselves: see editors/README.md.
            """)
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(LanguageServer(warnings: common.diagnosticOutput.warnings).run())
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile a program to one static native executable.",
        discussion: """
            Translates the program to WebAssembly, the module to C, and compiles and links the C \
            with the runtime into one static executable. Every safety check stays on at every level.

            Examples:
              zong build prog.zong                 writes ./prog
              zong build prog.zong -o bin/prog -O3
              zong build prog.zong --emit-c prog.c --keep-temps --verbose
              zong build prog.zong --bounds=guard --tstack-size 4194304
            """)
    @Argument(help: "The .zong source file.") var file: String
    @Option(name: .short, help: ArgumentHelp("The executable to write (default: the source name without .zong).", valueName: "path")) var output: String?
    @Option(name: .long, help: ArgumentHelp("Also write the generated C to this file.", valueName: "path")) var emitC: String?
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
        discussion: """
            stdin, stdout, stderr and the exit status pass through; a runtime error prints \
            'zong: runtime error: ...' and exits with 2. Native executables are cached under \
            ~/.cache/zong (or $XDG_CACHE_HOME/zong), so an unchanged program starts at once.

            Examples:
              zong run prog.zong
              zong run prog.zong < input.txt -- arg1 arg2
              zong run --interp prog.zong
              zong run --interp --dir data prog.zong -- data/input.txt

            A program opens files as a C program would: absolute paths and paths relative to \
            the current directory. Under --interp, --dir narrows that to the directories given \
            (paths are then relative to them, as the interpreter's WASI preopens).
            """)
    @Argument(help: "The .zong source file.") var file: String
    @Flag(name: .long, help: "Run the WebAssembly module under the wasmkit interpreter.") var interp = false
    @Option(name: .long, help: ArgumentHelp("Stop the program after this many seconds (exit status 124).", valueName: "seconds"))
    var timeout: Double?
    @Option(name: .long, help: "With --interp: a directory the program may open files in (repeatable; default: / and .).")
    var dir: [String] = []
    @Argument(parsing: .postTerminator, help: "Arguments for the program.") var arguments: [String] = []
    @OptionGroup var code: CodeOptions
    @OptionGroup var common: CommonOptions
    func validate() throws {
        if let timeout, !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout must be a positive number of seconds") }
    }
    func run() throws {
        var options = code.compileOptions(common)
        options.programTimeout = timeout
        throw ExitCode(driver(common, options).run(path: file, interpret: interp, arguments: arguments,
                                                   directories: dir.isEmpty ? Interpreter.defaultDirectories : dir))
    }
}

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a snippet: statements (or one expression) as a script program; print its value.",
        discussion: """
            Examples:
              zong eval '6 * 7'                         prints 42
              zong eval '3 < 4'                         prints true
              zong eval 'print(6 * 7)'
              zong eval 'var x: I64 = 5; print(x * x);'
              zong eval --interp '1 + 2 * 3'

            When the snippet ends with an expression whose value is an integer or a Boolean, \
            that value is printed (a Boolean as true or false).
            """)
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
        discussion: """
            Examples:
              zong emit-wasm prog.zong                 writes ./prog.wasm
              zong emit-wasm prog.zong -o - | wasm2wat -
              zong emit-wasm prog.zong --tstack-size 4194304 --max-memory 16777216
            """)
    @Argument(help: "The .zong source file.") var file: String
    @Option(name: .short, help: ArgumentHelp("Output file ('-' for stdout).", valueName: "path")) var output: String?
    @OptionGroup var module: ModuleOptions
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(driver(common, module.compileOptions(common)).emitWasm(path: file, output: output))
    }
}

struct EmitC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit-c", abstract: "Write the C that W2C produces for a program, for reading.",
        discussion: """
            Examples:
              zong emit-c prog.zong                    writes ./prog.c
              zong emit-c prog.zong -o - | less
              zong emit-c prog.zong --bounds=guard -o prog.c
            """)
    @Argument(help: "The .zong source file.") var file: String
    @Option(name: .short, help: ArgumentHelp("Output file ('-' for stdout).", valueName: "path")) var output: String?
    @OptionGroup var code: CodeOptions
    @OptionGroup var common: CommonOptions
    func run() throws {
        throw ExitCode(driver(common, code.compileOptions(common)).emitC(path: file, output: output))
    }
}

struct W2CCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "w2c", abstract: "Translate any WebAssembly MVP module to C (the translator alone).",
        discussion: """
            Examples:
              zong w2c module.wasm                     writes ./module.c
              zong w2c module.wasm -o - | less
            """)
    @Argument(help: "The .wasm module.") var module: String
    @Option(name: .short, help: ArgumentHelp("Output file ('-' for stdout).", valueName: "path")) var output: String?
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
            both must succeed and print the same bytes (otherwise an error: exit status 2 when a run \
            fails, 1 when the outputs differ). \
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
    @Option(name: .long, help: ArgumentHelp("Standard input for every run (default: /dev/null).", valueName: "file")) var input: String?
    @Flag(name: .long, help: "Print the results as JSON.") var json = false
    @Option(name: .long, help: ArgumentHelp("Stop a run after this many seconds (exit status 124).", valueName: "seconds"))
    var timeout: Double?
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
        if let timeout, !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout must be a positive number of seconds") }
        var compile = code.compileOptions(common)
        compile.programTimeout = timeout
        throw ExitCode(driver(common, compile).bench(path: file, bench: options))
    }
}

struct Cache: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or clear zong's cache of built programs and runtime objects.",
        discussion: """
            The cache lives in $XDG_CACHE_HOME/zong (or ~/.cache/zong). Built programs are capped \
            at ZONG_CACHE_MAX_BYTES (default 1 GiB), least recently used evicted first; a damaged \
            entry is rebuilt on its next use.

            Examples:
              zong cache info
              zong cache clean
            """,
        subcommands: [CacheInfo.self, CacheClean.self])
}

struct CacheInfo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Print the cache's location, entries and size.")
    func run() throws {
        StandardStreams.writeAll(1, Array(ProgramCache.info().utf8))
    }
}

struct CacheClean: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clean", abstract: "Remove everything in the cache.")
    func run() throws {
        throw ExitCode(ProgramCache.clean())
    }
}

CrashHandler.install()
CrashHandler.crashIfRequestedForTesting()
StandardStreams.reserveClosedDescriptors()
// After the reservation: its pipe must not take a closed 0, 1 or 2.
Interruption.install()
MallocTuning.forCompilerProcess()
let arguments = ZongArguments.normalized(Array(CommandLine.arguments.dropFirst()))
if arguments.isEmpty {
    // No subcommand: the overview, on stderr since nothing was done, and a usage status.
    StandardStreams.writeAll(2, Array((Zong.helpMessage() + "\n").utf8))
    exit(ExitStatus.usage)
}
if arguments[0] == "help", arguments.count > 1 {
    let names = Zong.configuration.subcommands.map { $0._commandName }
    if !names.contains(arguments[1]) {
        StandardStreams.writeAll(2, Array("Error: unknown subcommand '\(arguments[1])' (one of: \(names.joined(separator: ", ")))\n".utf8))
        exit(ExitStatus.usage)
    }
}
Zong.main(arguments)
