/// The parse tree (LANGUAGE.md §3). Every node keeps its source span.

/// `Type = UPPER_IDENT { "[" "]" } { "*" }` (§3.2; slices of slices such as `U8[][]` since
/// issue 20, for `args()`).
public struct TypeSyntax: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// How many `[]` suffixes: 0 for `I64`, 1 for `U8[]`, 2 for `U8[][]`.
    public var sliceDepth: Int
    public var pointerDepth: Int
    public var span: SourceSpan
    public var isSlice: Bool { sliceDepth > 0 }
    public init(name: String, isSlice: Bool, pointerDepth: Int, span: SourceSpan) {
        self.init(name: name, sliceDepth: isSlice ? 1 : 0, pointerDepth: pointerDepth, span: span)
    }
    public init(name: String, sliceDepth: Int, pointerDepth: Int, span: SourceSpan) {
        self.name = name
        self.sliceDepth = sliceDepth
        self.pointerDepth = pointerDepth
        self.span = span
    }
    public var description: String {
        name + String(repeating: "[]", count: sliceDepth) + String(repeating: "*", count: pointerDepth)
    }
}

/// An integer literal's exact value: at most 2^64 - 1 (larger literals are a lexical error).
public struct IntegerLiteral: Sendable, Hashable {
    public var magnitude: UInt64
    /// The digits as written (for messages).
    public var digits: String
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="
    case and = "&&", or = "||"
    case bitAnd = "&", bitOr = "|", bitXor = "^", andNot = "&^", shiftLeft = "<<", shiftRight = ">>"
}

public enum PrefixOperator: String, Sendable {
    case negate = "-", not = "!", complement = "^"
}

public final class Expr: @unchecked Sendable {
    public enum Kind {
        case integer(IntegerLiteral)
        case boolean(Bool)
        case string([UInt8])
        case name(String)
        /// An upper-case name in expression position (`Point`, `U8[]`): only meaningful as a callee.
        case type(TypeSyntax)
        case binary(BinaryOperator, Expr, Expr)
        /// `a = b`, syntactically an expression (right-associative).
        case assign(Expr, Expr)
        /// `a op= b` (`+=` … `&^=`), at the level of `=`; valid only as a statement.
        case compoundAssign(BinaryOperator, Expr, Expr)
        case prefix(PrefixOperator, Expr)
        /// Postfix `e&`.
        case addressOf(Expr)
        /// Postfix `e*`.
        case dereference(Expr)
        case call(Expr, [Argument])
        case index(Expr, Expr)
        case field(Expr, name: String, nameSpan: SourceSpan)
        /// Stands in for an expression that failed to parse (phase 1 then has an error).
        case invalid
    }

    public let kind: Kind
    public let span: SourceSpan
    /// Height of this subtree; bounded by the parser's nesting limit so that later recursive
    /// passes cannot overflow the stack.
    public let depth: Int

    public init(_ kind: Kind, span: SourceSpan, depth: Int = 1) {
        self.kind = kind
        self.span = span
        self.depth = depth
    }
}

/// `[ LOWER_IDENT ":" ] Expr` (§3.5).
public struct Argument: @unchecked Sendable {
    public var label: String?
    public var labelSpan: SourceSpan?
    public var value: Expr
    public var span: SourceSpan { labelSpan.map { $0.merged(with: value.span) } ?? value.span }
}

public struct Parameter: Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var type: TypeSyntax
    /// Declared with the `_` marker.
    public var isPositional: Bool
}

public struct FieldDecl: Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var type: TypeSyntax
}

public struct StructDecl: Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var fields: [FieldDecl]
    public var span: SourceSpan
}

public struct FuncDecl: @unchecked Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var parameters: [Parameter]
    public var returnType: TypeSyntax?
    /// nil for a function declared in an `extern` block.
    public var body: [Stmt]?
    public var span: SourceSpan
}

public struct ExternBlock: @unchecked Sendable {
    public var module: String
    public var functions: [FuncDecl]
    public var span: SourceSpan
}

public struct VarDecl: @unchecked Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var type: TypeSyntax
    public var initializer: Expr?
    public var span: SourceSpan
}

public struct IfStmt: @unchecked Sendable {
    /// `if c {…}` then each `else if c {…}`, in order.
    public var branches: [(condition: Expr, body: [Stmt], span: SourceSpan)]
    public var elseBody: [Stmt]?
    public var span: SourceSpan
}

public struct ForStmt: @unchecked Sendable {
    public var initializer: Stmt?
    public var condition: Expr?
    public var post: Stmt?
    public var body: [Stmt]
    public var span: SourceSpan
}

public indirect enum Stmt: @unchecked Sendable {
    case structDecl(StructDecl)
    case funcDecl(FuncDecl)
    case externBlock(ExternBlock)
    case varDecl(VarDecl)
    case ifStmt(IfStmt)
    case loop([Stmt], span: SourceSpan)
    /// `for COND { … }` (`initializer` and `post` nil), `for INIT; COND; POST { … }` (each part
    /// optional; INIT is a `var` or an expression statement, POST an expression statement), or
    /// `for { … }` (no condition: forever).
    case forLoop(ForStmt)
    case breakStmt(SourceSpan)
    case continueStmt(SourceSpan)
    case returnStmt(Expr?, span: SourceSpan)
    case block([Stmt], span: SourceSpan)
    case expression(Expr)

    public var span: SourceSpan {
        switch self {
        case .structDecl(let d): d.span
        case .funcDecl(let d): d.span
        case .externBlock(let d): d.span
        case .varDecl(let d): d.span
        case .ifStmt(let d): d.span
        case .forLoop(let f): f.span
        case .loop(_, let s), .block(_, let s), .returnStmt(_, let s): s
        case .breakStmt(let s), .continueStmt(let s): s
        case .expression(let e): e.span
        }
    }

    /// The statements directly inside this one (a function's body, each branch of an `if`, a
    /// loop's body, a `for`'s clauses and body, a block), in source order. A compound
    /// statement's `span` covers its head only, so nesting is found through these.
    public var nestedStatements: [Stmt] {
        switch self {
        case .funcDecl(let d): d.body ?? []
        case .ifStmt(let i): i.branches.flatMap(\.body) + (i.elseBody ?? [])
        case .loop(let body, _), .block(let body, _): body
        case .forLoop(let f): [f.initializer, f.post].compactMap { $0 } + f.body
        case .structDecl, .externBlock, .varDecl, .breakStmt, .continueStmt, .returnStmt, .expression: []
        }
    }
}

/// A parsed compilation unit.
public struct ProgramSyntax: @unchecked Sendable {
    public var statements: [Stmt]
    /// True when the source was a `zong-expr` (one expression used as a statement).
    public var isExpression: Bool
}
