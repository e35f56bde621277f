// The zong command line: argument parsing only; every subcommand is one call into ZongDriver.
import ArgumentParser
import Foundation
import ZongDriver


struct Zong: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zong",
        abstract: "Compile Zong programs to static native executables (Zong -> WASM -> C -> ELF).",
        version: ZongVersion.string,
        subcommands: [Check.self],
        helpNames: [.short, .long, .customLong("help", withSingleDash: false)]
    )
}

/// Options shared by every command that reports diagnostics.
struct DiagnosticOptions: ParsableArguments {
    @Option(name: .long, help: "Diagnostics as 'text' (clang style) or 'json' (one object per line).")
    var diagnosticsFormat: DiagnosticFormat = .text

    var output: DiagnosticOutput { DiagnosticOutput(format: diagnosticsFormat) }
}

extension DiagnosticFormat: ExpressibleByArgument {}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and type-check a program; print diagnostics, produce nothing.",
        discussion: "Example: zong check prog.zong   (use '-' to read the program from standard input)")

    @Argument(help: "The .zong source file, or '-' for standard input.")
    var file: String

    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        throw ExitCode(CheckCommand.run(path: file, output: diagnostics.output))
    }
}

Zong.main()
