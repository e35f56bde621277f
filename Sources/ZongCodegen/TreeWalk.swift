import ZongSema

/// A statement or an expression of a typed function body.
enum TypedNode {
    case statement(TStmt)
    case expression(TExpr)
}

/// Calls `visit` on every statement and expression of `body`, each before its children, in
/// source order. The analyses that decide where Codegen may take shortcuts (LoopScan,
/// MemoryRoots) are written on this one walk.
func forEachNode(in body: [TStmt], _ visit: (TypedNode) -> Void) {
    for s in body { walk(s, visit) }
}

private func walk(_ s: TStmt, _ visit: (TypedNode) -> Void) {
    visit(.statement(s))
    switch s {
    case .expression(let e):
        walk(e, visit)
    case .variable(_, let initializer):
        if let initializer { walk(initializer, visit) }
    case .assign(let target, let value, _):
        walk(target, visit)
        walk(value, visit)
    case .ifElse(let branches, let elseBody):
        for b in branches {
            walk(b.condition, visit)
            forEachNode(in: b.body, visit)
        }
        if let elseBody { forEachNode(in: elseBody, visit) }
    case .loop(let body), .block(let body):
        forEachNode(in: body, visit)
    case .returnValue(let value, _):
        if let value { walk(value, visit) }
    case .breakLoop, .continueLoop:
        break
    }
}

private func walk(_ e: TExpr, _ visit: (TypedNode) -> Void) {
    visit(.expression(e))
    switch e.kind {
    case .integer, .boolean, .local, .emptySlice, .readLine, .string:
        break
    case .arithmetic(_, let a, let b), .bitwise(_, let a, let b), .shift(_, let a, let b), .comparison(_, let a, let b), .logicalAnd(let a, let b),
         .logicalOr(let a, let b), .index(let a, let b), .append(let a, let b):
        walk(a, visit)
        walk(b, visit)
    case .negate(let a), .not(let a), .convert(let a), .complement(let a), .addressOf(let a), .dereference(let a), .field(let a, _),
         .sliceLength(let a), .print(let a), .printBytes(let a):
        walk(a, visit)
    case .call(_, let arguments, _):
        for a in arguments { walk(a, visit) }
    case .construct(_, let fields):
        for field in fields { walk(field.value, visit) }
    }
}
