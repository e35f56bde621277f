import ArgumentParser
import ZongDriver

struct EmitIR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit-ir", abstract: "Write the program in ZongIR's text form, after the optimizer's passes.",
        discussion: """
            Examples:
              zong emit-ir prog.zong -o -                   the IR after the -O2 pipeline
              zong emit-ir prog.zong -O0 -o -               the IR as lowered, before any pass
              zong emit-ir prog.zong --dump-after promote-slots -o -
              zong emit-ir prog.zong --disable-pass cse --dump-after all -o -
              zong emit-ir --print-passes
            """)
    @Argument(help: "The .zong source file.") var file: String?
    @Option(name: .short, help: ArgumentHelp("Output file ('-' for stdout).", valueName: "path")) var output: String?
    @Option(name: .customLong("opt"), help: ArgumentHelp("Optimization level: 0, 1, 2 or 3 (also -O0 … -O3).", valueName: "level"))
    var level: Int = 2
    @Option(name: .customLong("disable-pass"), help: ArgumentHelp("Skip this pass (repeatable).", valueName: "name"))
    var disabledPasses: [String] = []
    @Option(name: .customLong("dump-after"), help: ArgumentHelp("Also print the IR after this pass, or after every pass with 'all' (repeatable).", valueName: "name"))
    var dumpAfter: [String] = []
    @Flag(name: .customLong("print-passes"), help: "List the passes and each level's pipeline.") var printPasses = false
    @Flag(name: .customLong("verify-each"), help: "Run the IR verifier after every pass.") var verifyEach = false
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard (0...3).contains(level) else { throw ValidationError("the optimization level must be 0, 1, 2 or 3 (got \(level))") }
        if file == nil && !printPasses { throw ValidationError("missing the .zong source file") }
    }

    func run() throws {
        if printPasses {
            print(Driver.passList(), terminator: "")
            return
        }
        var ir = IROptions()
        ir.level = level
        ir.disabledPasses = disabledPasses
        ir.dumpAfter = dumpAfter
        ir.verifyEachPass = verifyEach
        var options = CompileOptions()
        options.verbose = common.verbose
        options.quiet = common.quiet
        throw ExitCode(driver(common, options).emitIR(path: file ?? "", output: output, ir: ir))
    }
}
