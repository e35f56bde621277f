/// Command-line spellings that swift-argument-parser cannot express directly.
public enum ZongArguments {
    /// `-O0`…`-O3` become `--opt N`; `--bounds=check` style already works.
    public static func normalized(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var afterTerminator = false
        for a in arguments {
            if afterTerminator {
                out.append(a)
                continue
            }
            if a == "--" { afterTerminator = true }
            if a.count == 3, a.hasPrefix("-O"), let level = Int(a.dropFirst(2)) {
                out += ["--opt", String(level)]
            } else {
                out.append(a)
            }
        }
        return out
    }
}
