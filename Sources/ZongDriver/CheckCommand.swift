import ZongSyntax

public enum CheckCommand {
    /// `zong check FILE`: exit 0 and no output for a valid program, 1 with diagnostics otherwise.
    public static func run(path: String, form: SourceForm = .program, output: DiagnosticOutput) -> Int32 {
        let file: SourceFile
        do {
            file = try SourceLoading.load(path)
        } catch {
            writeStandardError(error.message + "\n")
            return error.exitStatus
        }
        let result = FrontEnd.run(file, form: form)
        guard result.diagnostics.isEmpty else {
            // Diagnostics nobody can read (stderr unwritable) are a failed output, not a result.
            return output.emit(result.diagnostics, in: file) ? ExitStatus.compileError : ExitStatus.cantCreate
        }
        return ExitStatus.success
    }
}
