import ZongSyntax

/// The predeclared functions (LANGUAGE.md §8).
enum Builtin: String, CaseIterable {
    case print
    case printBytes = "print_bytes"
    case readLine = "read_line"
    case append
    // Library built-ins (issue 20): any integer type, so not library functions; declared in the
    // library scope, so a user function of the same name shadows them.
    case printInt = "print_int"
    case eprint
    case eprintBytes = "eprint_bytes"
    case formatInt = "format_int"

    var isLibrary: Bool {
        switch self {
        case .print, .printBytes, .readLine, .append: false
        case .printInt, .eprint, .eprintBytes, .formatInt: true
        }
    }
}

/// What a lower-case name can denote.
enum Symbol {
    case variable(LocalVar)
    case function(FunctionDef)
    case external(Int)
    case builtin(Builtin)
    /// A WASI function the library declares (visible only to library bodies), by name.
    case libraryExternal(String)
}

/// One lexical scope (§5.1). The global scope holds built-ins, functions, extern functions and
/// top-level variables; function bodies chain to it but cannot see its variables.
final class Scope {
    let parent: Scope?
    private var symbols: [String: Symbol] = [:]

    init(parent: Scope?, isGlobal: Bool? = nil) {
        self.parent = parent
        self.isGlobal = isGlobal ?? (parent == nil)
    }

    /// The program's global scope (whose variables function bodies cannot see).
    let isGlobal: Bool

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
