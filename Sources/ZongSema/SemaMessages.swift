/// Every Sema message, alphabetical by name. Texts are LANGUAGE.md §11.3–11.5; the ones
/// marked "new" are our wording for errors the original never diagnosed.
enum SemaMessages {
    static let assignmentAsValue = "assignment cannot be used as a value"  // new
    static let breakOutsideLoop = "break statement outside of loop"
    static let continueOutsideLoop = "continue statement outside of loop"
    static let invalidCall = "invalid function call"
    static let invalidAssignmentTarget = "left side of assignment must be a variable, field access, or dereferenced pointer"
    static let mainMissing = "missing function 'main'"  // new
    static let mainSignature = "function 'main' must have no parameters and no return type"  // new
    static let nodeTypeCallee = "NodeType must represent a struct or slice type"
    static let printArgumentCount = "print() function expects 1 argument"
    static let printBytesArgumentCount = "print_bytes() function expects 1 argument"
    static let readLineArgumentCount = "read_line() function expects no arguments"
    static let appendArgumentCount = "append() function expects 2 arguments"
    static let structNeedsNamedArguments = "struct initialization requires named parameters for all fields"
    static let topLevelStatement = "statements are not allowed at top level when functions are declared"  // new
    static let unsupportedNodeType = "unsupported expression type 'NodeType'"

    static func alreadyDeclared(_ what: String, _ name: String) -> String { "\(what) '\(name)' already declared" }
    static func appendNeedsSlicePointer(_ t: ZType) -> String { "append() first argument must be pointer to slice, got \(t)" }
    static func appendValueMismatch(_ v: ZType, _ e: ZType) -> String {
        "append() value type \(v) does not match slice element type \(e)"
    }
    static func callArgumentCount(_ expected: Int, _ got: Int) -> String {
        "function call expects \(expected) arguments, got \(got)"
    }
    static func callArgumentType(_ name: String, _ expected: ZType, _ got: ZType) -> String {
        "function call field '\(name)' expects type \(expected), got \(got)"
    }
    static func callDuplicateParameter(_ name: String) -> String { "function call has duplicate parameter '\(name)'" }
    static func callUnknownParameter(_ name: String) -> String { "function call has unknown parameter '\(name)'" }
    static func cannotAssign(_ value: ZType, _ target: ZType) -> String { "cannot assign \(value) to \(target)" }
    static func cannotConvert(_ value: String, _ type: ZType) -> String { "cannot convert integer \(value) to \(type)" }
    static func builtinArgumentCount(_ name: String, _ n: Int) -> String {  // new
        "\(name)() function expects \(n) argument\(n == 1 ? "" : "s")"
    }
    static func builtinArgumentType(_ name: String, _ t: ZType) -> String { "\(name)() cannot take a value of type \(t)" }  // new
    static func shiftCount(_ t: ZType) -> String { "shift count must be an integer, got \(t)" }  // new
    static func forCondition(_ t: ZType) -> String { "for condition must be Boolean, got \(t)" }  // new
    static func cannotConvertValue(_ from: ZType, _ to: ZType) -> String { "cannot convert value of type \(from) to \(to)" }  // new
    static func conversionArgumentCount(_ to: ZType) -> String { "conversion to \(to) expects 1 argument" }  // new
    static func cannotDereference(_ t: ZType) -> String { "cannot dereference non-pointer type \(t)" }
    static func cannotInitialize(_ variable: ZType, _ value: ZType) -> String {
        "cannot initialize variable of type \(variable) with value of type \(value)"
    }
    static func cannotPrint(_ t: ZType) -> String { "print() cannot print a value of type \(t)" }  // new
    static func cannotSubscript(_ t: ZType) -> String { "cannot subscript non-slice type \(t)" }
    static func containsItself(_ name: String) -> String { "struct '\(name)' contains itself" }  // new
    static func doesNotReturnValue(_ name: String) -> String { "function '\(name)' does not return a value" }  // new
    static func duplicateParameter(_ name: String, _ owner: String) -> String { "duplicate parameter '\(name)' in \(owner)" }
    static func elseIfCondition(_ t: ZType) -> String { "else-if condition must be Boolean, got \(t)" }
    static func emptySliceArguments(_ t: ZType) -> String { "empty slice constructor \(t)() takes no arguments" }  // new
    static func fieldOfNonStruct(_ t: ZType) -> String { "cannot access field of non-struct type \(t)" }
    static func functionAsValue(_ name: String) -> String { "function '\(name)' used as a value" }  // new
    static func ifCondition(_ t: ZType) -> String { "if condition must be Boolean, got \(t)" }
    static func logicalOperand(_ op: String, _ t: ZType) -> String {
        "logical operator '\(op)' requires Boolean left operand, got \(t)"
    }
    static func mainNotTopLevel() -> String { "function 'main' must be declared at top level" }  // new
    static func missingReturn(_ name: String) -> String { "missing return in function '\(name)'" }  // new
    static func missingReturnValue(_ name: String, _ t: ZType) -> String {
        "function '\(name)' must return a value of type \(t)"  // new
    }
    static func noField(_ owner: ZType, _ field: String) -> String { "struct \(owner) has no field named '\(field)'" }
    static func notOperand(_ t: ZType) -> String { "logical NOT operator requires Boolean operand, got \(t)" }
    static func operatorUndefined(_ op: String, _ t: ZType) -> String { "operator '\(op)' is not defined for \(t)" }  // new
    static func printBytesArgument(_ t: ZType) -> String { "print_bytes() expects a slice argument, got \(t)" }
    static func returnMismatch(_ got: ZType, _ expected: ZType) -> String {
        "cannot return \(got) from function returning \(expected)"  // new
    }
    static func returnValueFromVoid(_ name: String) -> String {
        "function '\(name)' has no return type and cannot return a value"  // new
    }
    static func sliceIndex(_ t: ZType) -> String { "slice index must be I64, got \(t)" }
    static func structDuplicateField(_ name: String) -> String { "struct initialization has duplicate field '\(name)'" }
    static func structFieldCount(_ expected: Int, _ got: Int) -> String {
        "struct initialization expects \(expected) fields, got \(got)"
    }
    static func structFieldType(_ name: String, _ expected: ZType, _ got: ZType) -> String {
        "struct initialization field '\(name)' expects type \(expected), got \(got)"
    }
    static func structMissingField(_ name: String) -> String { "struct initialization missing required field '\(name)'" }
    static func structUnknownField(_ name: String) -> String { "struct initialization has unknown field '\(name)'" }
    static func typeMismatch(_ l: ZType, _ r: ZType) -> String { "type mismatch in binary operation: \(l) vs \(r)" }
    static func unaryMinusOperand(_ t: ZType) -> String { "unary minus operator expects numeric operand, got \(t)" }
    static func undefinedSymbol(_ name: String) -> String { "undefined symbol '\(name)'" }
    static func unknownFunction(_ name: String) -> String { "unknown function '\(name)'" }
    static func usedBeforeAssignment(_ name: String) -> String { "variable '\(name)' used before assignment" }
    static func mayBeUsedBeforeAssignment(_ name: String) -> String { "variable '\(name)' may be used before assignment" }
}
