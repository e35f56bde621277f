import ZongSyntax

public enum CheckCommand {
    /// `zong check FILE`: exit 0 and no output for a valid program, 1 with diagnostics otherwise.
    /// - Parameter keepTrees: never free the trees (`keepUntilExit`), for a process that exits
    ///   right after (a 100k-line program's took 70 ms to free).
    public static func run(path: String, form: SourceForm = .program, output: DiagnosticOutput,
                           keepTrees: Bool = false) -> Int32 {
        let file: SourceFile
        do {
            file = try SourceLoading.load(path)
        } catch {
            writeStandardError(error.message + "\n")
            return error.exitStatus
        }
        let result = FrontEnd.run(file, form: form, keepTrees: keepTrees, errorLimit: output.errorLimit)
        guard result.diagnostics.isEmpty else {
            // Diagnostics nobody can read (stderr unwritable) are a failed output, not a result.
            return output.emit(result.diagnostics, in: file) ? ExitStatus.compileError : ExitStatus.cantCreate
        }
        if let errors = output.handleWarnings(result.warnings, in: file) {
            return output.emit(errors, in: file) ? ExitStatus.compileError : ExitStatus.cantCreate
        }
        return ExitStatus.success
    }
}
