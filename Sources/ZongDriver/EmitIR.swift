import ZongIR
import ZongSyntax

/// How `zong emit-ir` runs the optimizer: the level's pipeline, passes switched off, where to
/// print the IR in between.
public struct IROptions: Sendable {
    public var level = 2
    public var disabledPasses: [String] = []
    /// Print the IR after each of these passes (every run of it); "all" prints after every pass.
    public var dumpAfter: [String] = []
    /// Run the verifier after every pass (always on in the tests).
    public var verifyEachPass = false
    public init() {}
}

extension Driver {
    /// `zong emit-ir FILE [-o out.ir]`: the program in ZongIR's text form after the optimizer
    /// pipeline of the level (`-O0`: as lowered), with `--dump-after` snapshots before it.
    public func emitIR(path: String, output: String?, ir: IROptions) -> Int32 {
        let unknown = PassManager.unknown(ir.disabledPasses + ir.dumpAfter.filter { $0 != "all" })
        if let name = unknown.first {
            let names = PassManager.allPasses.map(\.name).joined(separator: ", ")
            writeStandardError("zong: error: no pass named '\(name)' (passes: \(names))\n")
            return ExitStatus.usage
        }
        var pipeline = Pipeline(options: options)
        return reporting(&pipeline) { p throws(CompileFailure) in
            let file = try load(path)
            let target = output ?? Output.defaultName(for: path, suffix: ".ir")
            try Output.refuseOverwriting(input: path, output: target)
            let typed = try p.check(file)
            var program = p.timings.measure("lower to IR") { IRLowering.lower(typed) }
            var text = ""
            var manager = PassManager(level: ir.level)
            manager.disabled = Set(ir.disabledPasses)
            manager.verifyEachPass = ir.verifyEachPass
            let dumpAll = ir.dumpAfter.contains("all")
            let dumped = Set(ir.dumpAfter)
            manager.afterPass = { name, program in
                if dumpAll || dumped.contains(name) { text += "; after \(name)\n" + IRPrinter.print(program) + "\n" }
            }
            let problems = manager.run(&program)
            for (name, seconds) in manager.timings { p.timings.record("pass \(name)", seconds) }
            if !problems.isEmpty {
                throw .usage(UsageError("zong: internal error: the IR verifier failed:\n" + problems.prefix(20).joined(separator: "\n"),
                                        exitStatus: ExitStatus.software))
            }
            text += IRPrinter.print(program)
            try Output.write(Array(text.utf8), to: target)
            return ExitStatus.success
        }
    }

    /// `zong emit-ir --print-passes`: each level's pipeline and what each pass does.
    public static func passList() -> String {
        var out = "passes:\n"
        for pass in PassManager.allPasses { out += "  \(pass.name.padding(toLength: 16, withPad: " ", startingAt: 0))\(pass.summary)\n" }
        for level in 0...3 {
            let names = PassManager.pipeline(forLevel: level)
            out += "-O\(level): \(names.isEmpty ? "(none: the IR as lowered)" : names.joined(separator: " "))\n"
        }
        return out
    }
}
