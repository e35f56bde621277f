import ZongSyntax

// Sema's output and the only thing the back end reads (ZongIR's lowering; Codegen takes the
// externs and the file name). Every name is resolved, every expression has a concrete type,
// literals are range-checked bit patterns, auto-dereference is explicit, and call arguments
// are bound to parameters. Nothing here is `.integerLiteral` or `.error`.

/// A checked program.
public struct TypedProgram {
    public var file: SourceFile
    /// Every struct, in declaration order. Field types may name structs declared later;
    /// no struct contains itself by value (Sema rejects that).
    public var structs: [StructDef]
    /// Every function to compile: all user functions wherever they were declared (nested
    /// declarations are compiled as ordinary global functions), and in script mode the
    /// implicit `main` holding the top-level statements.
    public var functions: [FunctionDef]
    /// Functions declared in `extern` blocks, in source order (each becomes a WASM import).
    public var externs: [ExternFunction]
    /// The entry point: `main()` with no parameters and no result.
    public var main: FunctionDef

    public init(file: SourceFile, structs: [StructDef], functions: [FunctionDef], externs: [ExternFunction], main: FunctionDef) {
        self.file = file
        self.structs = structs
        self.functions = functions
        self.externs = externs
        self.main = main
    }
}

public struct StructDef: Sendable {
    public var name: String
    public var fields: [Field] { didSet { positions = Self.positions(of: fields) } }
    public var span: SourceSpan
    /// Field name to index: lookups stay O(1) however many fields a struct has.
    private var positions: [String: Int]

    /// The index of the field called `name`, if there is one.
    public func fieldIndex(named name: String) -> Int? { positions[name] }

    private static func positions(of fields: [Field]) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (i, f) in fields.enumerated() where positions[f.name] == nil { positions[f.name] = i }
        return positions
    }

    public struct Field: Sendable {
        public var name: String
        public var type: ZType
        public init(name: String, type: ZType) {
            self.name = name
            self.type = type
        }
    }

    public init(name: String, fields: [Field], span: SourceSpan) {
        self.name = name
        self.fields = fields
        self.span = span
        self.positions = Self.positions(of: fields)
    }
}

/// A parameter or `var` of one function. Identity is the object: two variables with the
/// same name (shadowing) are different objects.
public final class LocalVar: Hashable, CustomStringConvertible {
    public let name: String
    public let type: ZType
    public let isParameter: Bool
    /// True when `x&` appears anywhere for this declaration (it must then live in memory).
    public internal(set) var isAddressTaken: Bool
    public let span: SourceSpan

    public init(name: String, type: ZType, isParameter: Bool, isAddressTaken: Bool = false, span: SourceSpan) {
        self.name = name
        self.type = type
        self.isParameter = isParameter
        self.isAddressTaken = isAddressTaken
        self.span = span
    }

    public static func == (a: LocalVar, b: LocalVar) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
    public var description: String { "\(name): \(type)" }
}

public final class FunctionDef: Hashable {
    public let name: String
    public let parameters: [LocalVar]
    /// `.void` when the function has no return type.
    public let returnType: ZType
    public internal(set) var body: [TStmt]
    public let span: SourceSpan
    /// True for the implicit `main` of a script program.
    public let isScriptMain: Bool
    /// True for a function of the standard library (LibrarySource.swift). Its spans are offsets
    /// into the library's text, not into `TypedProgram.file`: they locate nothing for the user.
    public let isLibrary: Bool

    public init(name: String, parameters: [LocalVar], returnType: ZType, body: [TStmt], span: SourceSpan, isScriptMain: Bool = false,
                isLibrary: Bool = false) {
        self.isLibrary = isLibrary
        self.name = name
        self.parameters = parameters
        self.returnType = returnType
        self.body = body
        self.span = span
        self.isScriptMain = isScriptMain
    }

    public static func == (a: FunctionDef, b: FunctionDef) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

/// A function implemented by the host: a WASM import `module`.`name`.
public struct ExternFunction: Hashable, Sendable {
    public var module: String
    public var name: String
    public var parameterTypes: [ZType]
    public var parameterNames: [String]
    /// `.void` when it has no return type.
    public var returnType: ZType
    public var span: SourceSpan

    public init(module: String, name: String, parameterTypes: [ZType], parameterNames: [String], returnType: ZType, span: SourceSpan) {
        self.module = module
        self.name = name
        self.parameterTypes = parameterTypes
        self.parameterNames = parameterNames
        self.returnType = returnType
        self.span = span
    }
}

public enum Callee {
    case function(FunctionDef)
    /// Index into `TypedProgram.externs`.
    case external(Int)
}

public indirect enum TStmt {
    /// Evaluate for side effects; any value is discarded.
    case expression(TExpr)
    /// A `var` declaration, executed each time control reaches it. With no initializer:
    /// a struct is reset to all zero bytes and a slice to empty (length 0, capacity 0, items 0);
    /// a scalar is left as it is (definite-initialization analysis guarantees no read).
    case variable(LocalVar, initializer: TExpr?)
    /// `target = value`. `target` is an lvalue: `.local`, `.field`, `.index`, `.dereference`
    /// (at any nesting), or `.sliceLength` (shrinking only: a value outside 0...length panics
    /// with `slice length out of range`). The target's address is computed before `value`
    /// (LANGUAGE.md §10.2). Struct targets copy the whole struct.
    case assign(target: TExpr, value: TExpr, span: SourceSpan)
    /// `if c1 {…} else if c2 {…} else {…}`: conditions are Boolean; `elseBody` is nil when absent.
    case ifElse(branches: [(condition: TExpr, body: [TStmt])], elseBody: [TStmt]?)
    case loop(body: [TStmt])
    /// `break` / `continue` of the innermost enclosing loop.
    case breakLoop
    case continueLoop
    /// `return;` or `return e;` (in script `main`, `return;` ends the program).
    case returnValue(TExpr?, span: SourceSpan)
    /// A `{ … }` block statement (scoping is already resolved; this only groups).
    case block([TStmt])
}

public final class TExpr {
    public enum ArithmeticOp: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%" }
    public enum BitwiseOp: String, Sendable { case and = "&", or = "|", xor = "^", andNot = "&^" }
    public enum ShiftOp: String, Sendable { case left = "<<", right = ">>" }
    public enum ComparisonOp: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="
    }

    public enum Kind {
        /// An integer constant: the two's-complement bit pattern of the value in `type`'s width
        /// (e.g. I8 -1 is 0xFFFF_FFFF_FFFF_FFFF, U8 255 is 0xFF). Already range-checked.
        case integer(UInt64)
        case boolean(Bool)
        /// A string literal: a `U8[]` whose bytes are these. Each evaluation must yield the
        /// original bytes even if an earlier evaluation's slice was written through
        /// (copy on evaluation, or share only when the value cannot be written through).
        case string([UInt8])
        case local(LocalVar)
        /// Operands and result have `type` (an integer type). Division/remainder by zero panic;
        /// MIN / -1 wraps to MIN (MIN % -1 is 0); results wrap to the type's width.
        case arithmetic(ArithmeticOp, TExpr, TExpr)
        /// Operands have the same type (integer, Boolean or pointer; ordering only for integers);
        /// unsigned types compare unsigned. Result Boolean.
        case comparison(ComparisonOp, TExpr, TExpr)
        /// Short-circuit.
        case logicalAnd(TExpr, TExpr)
        case logicalOr(TExpr, TExpr)
        /// `T(e)` (T = `type`, an integer type) of an integer-typed `e` of another type, Go's rule:
        /// the value is extended by the *source's* signedness, then truncated to T's width (so a
        /// narrow T is re-normalized: sign-extended if signed, zero-extended if unsigned). Never
        /// made for a literal (Sema range-checks it and gives `.integer`) or for T(e) where e
        /// already has type T (Sema gives `e` itself).
        case convert(TExpr)
        /// `a & b`, `a | b`, `a ^ b`, `a &^ b` (and-not: `a & ^b`): operands and result have `type`
        /// (an integer type). Never traps.
        case bitwise(BitwiseOp, TExpr, TExpr)
        /// `a << n`, `a >> n`: `a` and the result have `type` (an integer type); the count `n` has
        /// any integer type (evaluated after `a`). `>>` is arithmetic for signed types, logical
        /// for unsigned. A count >= the width of `type` gives 0 (`>>` of a negative signed value:
        /// -1), as in Go, not WASM's count modulo width; a negative count (only possible for a
        /// signed count type) panics `negative shift amount`, located at this expression.
        case shift(ShiftOp, TExpr, TExpr)
        /// `^e`: bitwise complement in the operand's integer type (`type`).
        case complement(TExpr)
        /// `0 - e`, wrapping in the operand's type.
        case negate(TExpr)
        case not(TExpr)
        /// `e&`. The operand is an lvalue (`.local`, `.field`, `.index`, `.dereference`), whose
        /// location is taken, or any other expression, whose value is stored in a fresh temporary
        /// cell (valid until the enclosing function returns).
        case addressOf(TExpr)
        /// `e*` with `e` pointer-typed; as an lvalue it designates the pointee.
        case dereference(TExpr)
        /// Field number `index` (into the struct's `fields`) of a struct-typed base. Access through
        /// a pointer is explicit: `.field(.dereference(p), i)`.
        case field(TExpr, index: Int)
        /// `s.length` (I64) of a slice-typed base (through a pointer: `.dereference`).
        case sliceLength(TExpr)
        /// `s[i]`: base slice-typed, index I64; panics `index out of range [i] with length n`.
        case index(TExpr, TExpr)
        /// A call. `arguments` are in source order and are evaluated exactly once, left to right;
        /// `parameterIndices[k]` is the parameter that `arguments[k]` binds (a permutation).
        case call(Callee, arguments: [TExpr], parameterIndices: [Int])
        /// `S(f: v, …)`: `fields` in source order (evaluated left to right) with the field index
        /// each value initializes; every field appears exactly once.
        case construct(structName: String, fields: [(index: Int, value: TExpr)])
        /// `T[]()`: an empty slice.
        case emptySlice
        /// `print(e)`: e is an integer type, Boolean (prints 1/0) or a pointer (unsigned address).
        case print(TExpr)
        /// `print_bytes(s)` with s of type U8[].
        case printBytes(TExpr)
        /// `read_line()`: the next line of stdin including its `\n`; empty at EOF. Fresh storage.
        case readLine
        /// `append(p, v)`: p has type `T[]*`, v has type T.
        case append(TExpr, TExpr)
    }

    public let kind: Kind
    /// The expression's type; `.void` for calls without a value and for the statement-like
    /// built-ins (print, print_bytes, append).
    public let type: ZType
    public let span: SourceSpan

    public init(_ kind: Kind, type: ZType, span: SourceSpan) {
        self.kind = kind
        self.type = type
        self.span = span
    }
}
