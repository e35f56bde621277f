/// A statement or an expression of a typed function body.
public enum TypedNode {
    case statement(TStmt)
    case expression(TExpr)
}

/// Calls `visit` on every statement and expression of `body`, each before its children, in
/// source order. The language server's expression-at-offset query is written on this walk.
/// Inlinable so that its callers' closures are still specialized into it across modules.
@inlinable
public func forEachNode(in body: [TStmt], _ visit: (TypedNode) -> Void) {
    for s in body { walkTyped(s, visit) }
}

@usableFromInline
func walkTyped(_ s: TStmt, _ visit: (TypedNode) -> Void) {
    visit(.statement(s))
    switch s {
    case .expression(let e):
        walkTyped(e, visit)
    case .variable(_, let initializer):
        if let initializer { walkTyped(initializer, visit) }
    case .assign(let target, let value, _):
        walkTyped(target, visit)
        walkTyped(value, visit)
    case .ifElse(let branches, let elseBody):
        for b in branches {
            walkTyped(b.condition, visit)
            forEachNode(in: b.body, visit)
        }
        if let elseBody { forEachNode(in: elseBody, visit) }
    case .loop(let body), .block(let body):
        forEachNode(in: body, visit)
    case .returnValue(let value, _):
        if let value { walkTyped(value, visit) }
    case .breakLoop, .continueLoop:
        break
    }
}

@usableFromInline
func walkTyped(_ e: TExpr, _ visit: (TypedNode) -> Void) {
    visit(.expression(e))
    switch e.kind {
    case .integer, .boolean, .local, .emptySlice, .readLine, .string:
        break
    case .arithmetic(_, let a, let b), .bitwise(_, let a, let b), .shift(_, let a, let b), .comparison(_, let a, let b), .logicalAnd(let a, let b),
         .logicalOr(let a, let b), .index(let a, let b), .append(let a, let b):
        walkTyped(a, visit)
        walkTyped(b, visit)
    case .negate(let a), .not(let a), .convert(let a), .complement(let a), .addressOf(let a), .dereference(let a), .field(let a, _),
         .sliceLength(let a), .print(let a), .printBytes(let a):
        walkTyped(a, visit)
    case .call(_, let arguments, _):
        for a in arguments { walkTyped(a, visit) }
    case .construct(_, let fields):
        for field in fields { walkTyped(field.value, visit) }
    }
}
