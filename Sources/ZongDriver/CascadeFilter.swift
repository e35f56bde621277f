import ZongSyntax

/// Which checker errors to show beside parse errors. A statement that failed to parse is
/// missing from the tree, so what it declared or did is missing too: a later use of its
/// variable would be "undefined", its function "unknown", `main` "missing", a value "used
/// before assignment". Such errors are noise; the rest are real and shown in the same run.
enum CascadeFilter {
    static func independent(_ semantic: [Diagnostic], of syntaxErrors: [Diagnostic], in program: ProgramSyntax,
                            file: SourceFile) -> [Diagnostic] {
        // Each top-level statement owns the text up to the next one (a failed statement is
        // gone from the tree, so its text falls to the statement before it).
        let starts = program.statements.map(\.span.start)
        func region(of offset: Int) -> Int {
            var r = -1
            for (i, s) in starts.enumerated() where s <= offset { r = i }
            return r
        }
        var firstError: [Int: Int] = [:]
        for e in syntaxErrors {
            let r = region(of: e.span.start)
            firstError[r] = min(firstError[r] ?? Int.max, e.span.start)
        }
        // On a huge input (junk stopped at the error limit) only the text up to the last
        // syntax error is read for declarations: lexing all of it would cost seconds.
        let end = file.bytes.count > 4 << 20 ? (syntaxErrors.map(\.span.end).max() ?? 0) + 1 : Int.max
        let declared = declaredNames(file, upTo: end)
        let statementStarts = nestedStarts(of: program.statements).sorted()
        let syntaxStarts = syntaxErrors.map(\.span.start).sorted()
        return semantic.filter { d in
            for prefix in ["undefined symbol '", "unknown function '", "missing function '"] {
                if let r = d.message.firstRange(of: prefix) {
                    // A name nobody declares anywhere is a real mistake wherever it is.
                    let name = d.message[r.upperBound...].prefix { $0 != "'" }
                    return !declared.contains(String(name))
                }
            }
            // In a statement with a parse error, what comes before the error is sure to be
            // unaffected (a missing return is reported at the function's name, before it).
            guard let cut = firstError[region(of: d.span.start)] else { return true }
            if d.message.hasPrefix("missing return") { return false }
            if d.span.start < cut { return true }
            // After it, so is a later statement that parsed whole: the failed statement's text
            // falls to the statement before it, which alone may be incomplete. Not a value
            // "used before assignment": the failed statement may have been the assignment.
            guard d.code != "init" else { return false }
            let before = countAtMost(d.span.start, in: statementStarts)
            let owner = before > 0 ? statementStarts[before - 1] : 0
            // No syntax error in (owner, d]: as many start at or before the owner as before d.
            return countAtMost(owner, in: syntaxStarts) == countAtMost(d.span.start, in: syntaxStarts)
        }
    }

    /// How many of the sorted `values` are at most `limit` (binary search: a huge input can
    /// have many statements and many diagnostics).
    private static func countAtMost(_ limit: Int, in values: [Int]) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] <= limit { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Where every statement that parsed starts, at every depth, in source order.
    private static func nestedStarts(of list: [Stmt]) -> [Int] {
        list.flatMap { [$0.span.start] + nestedStarts(of: $0.nestedStatements) }
    }

    /// Every name written after `var`, `func` or `struct`, or before `:=` or a parameter's
    /// `:`, anywhere in the text, parsed or not.
    private static func declaredNames(_ file: SourceFile, upTo end: Int) -> Set<String> {
        let tokens = tokenize(file, upTo: end)
        var names: Set<String> = []
        for (i, t) in tokens.enumerated().dropLast() {
            switch t.kind {
            case .keyword(.var), .keyword(.func), .keyword(.struct):
                let n = tokens[i + 1]
                if n.kind == .lowerIdent || n.kind == .upperIdent {
                    names.insert(String(decoding: file.bytes[n.span.start..<n.span.end], as: UTF8.self))
                }
            case .lowerIdent where [.colonAssign, .colon, .lowerIdent, .upperIdent].contains(tokens[i + 1].kind):
                names.insert(String(decoding: file.bytes[t.span.start..<t.span.end], as: UTF8.self))
            default:
                break
            }
        }
        return names
    }
}
