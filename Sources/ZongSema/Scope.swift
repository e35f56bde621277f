import ZongSyntax

/// The predeclared functions (LANGUAGE.md §8).
enum Builtin: String, CaseIterable {
    case print
    case printBytes = "print_bytes"
    case readLine = "read_line"
    case append
}

/// What a lower-case name can denote.
enum Symbol {
    case variable(LocalVar)
    case function(FunctionDef)
    case external(Int)
    case builtin(Builtin)
}

/// One lexical scope (§5.1). The global scope holds built-ins, functions, extern functions and
/// top-level variables; function bodies chain to it but cannot see its variables.
final class Scope {
    let parent: Scope?
    private var symbols: [String: Symbol] = [:]

    init(parent: Scope?) {
        self.parent = parent
    }

    var isGlobal: Bool { parent == nil }

    /// Declares `name` here; false if this scope already has it.
    func declare(_ name: String, _ symbol: Symbol) -> Bool {
        guard symbols[name] == nil else { return false }
        symbols[name] = symbol
        return true
    }

    func local(_ name: String) -> Symbol? { symbols[name] }

    /// Innermost binding of `name`. From inside a function, top-level variables are invisible.
    func lookup(_ name: String, insideFunction: Bool) -> Symbol? {
        var scope: Scope? = self
        while let s = scope {
            if let found = s.symbols[name] {
                if s.isGlobal, insideFunction, case .variable = found { return nil }
                return found
            }
            scope = s.parent
        }
        return nil
    }
}
