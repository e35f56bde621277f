/// Command-line spellings that swift-argument-parser cannot express directly.
public enum ZongArguments {
    /// Options whose value is a number: a negative value (`--max-memory -5`) would otherwise be
    /// read as an option and reported as a missing value; joined as `--max-memory=-5` it reaches
    /// the range check and its message.
    static let numericOptions: Set<String> = ["--max-memory", "--tstack-size", "--runs", "--warmup", "--opt"]

    /// The subcommands that take `--opt`: only for these is `-ON` spelled `--opt N` (for the
    /// others, `check -O2` would be reported as an unknown `--opt`, which the user never typed).
    static let optimizingSubcommands: Set<String> = ["build", "run", "eval", "emit-c", "w2c", "bench"]

    /// `-O0`…`-O3` become `--opt N`; `--bounds=check` style already works.
    public static func normalized(_ arguments: [String]) -> [String] {
        let optimizing = arguments.first.map(optimizingSubcommands.contains) ?? false
        var out: [String] = []
        var afterTerminator = false
        var index = 0
        while index < arguments.count {
            let a = arguments[index]
            index += 1
            if afterTerminator {
                out.append(a)
                continue
            }
            if a == "--" { afterTerminator = true }
            if numericOptions.contains(a), index < arguments.count, arguments[index].count > 1,
               arguments[index].hasPrefix("-"), arguments[index].dropFirst().allSatisfy(\.isNumber) {
                out.append(a + "=" + arguments[index])
                index += 1
            } else if a.count > 2, a.hasPrefix("-W"), !a.hasPrefix("-W=") {
                // -Wunused-variable, -Wno-unused-variable, -Werror (cc's spellings).
                out += ["--warning", String(a.dropFirst(2))]
            } else if optimizing, a.count == 3, a.hasPrefix("-O"), let level = Int(a.dropFirst(2)) {
                out += ["--opt", String(level)]
            } else {
                out.append(a)
            }
        }
        return out
    }
}
