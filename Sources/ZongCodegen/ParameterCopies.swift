import ZongSema

/// A struct or slice argument is passed as the address of a copy the callee owns (value
/// semantics). The copy is needed only if the callee could write its parameter or the caller's
/// variable could change during the call. When a parameter is never written or address-taken in
/// its function, and the argument is a local variable of the caller that nothing points into,
/// the callee reads the caller's variable in place.
struct MemoryRoots {
    /// Locals written through an assignment to themselves, a field or their length.
    var written: Set<LocalVar> = []
    /// Locals of which the address of the whole or of a field is taken.
    var addressed: Set<LocalVar> = []

    init(_ body: [TStmt]) {
        statements(body)
    }

    /// The local a place expression lives in (through fields), nil when it lives elsewhere
    /// (slice items on the heap, a pointee).
    static func root(_ e: TExpr) -> LocalVar? {
        switch e.kind {
        case .local(let v): v
        case .field(let base, _), .sliceLength(let base): root(base)
        default: nil
        }
    }

    private mutating func statements(_ body: [TStmt]) {
        for s in body { statement(s) }
    }

    private mutating func statement(_ s: TStmt) {
        switch s {
        case .expression(let e):
            expression(e)
        case .variable(_, let initializer):
            if let initializer { expression(initializer) }
        case .assign(let target, let value, _):
            if let v = Self.root(target) { written.insert(v) }
            expression(target)
            expression(value)
        case .ifElse(let branches, let elseBody):
            for b in branches {
                expression(b.condition)
                statements(b.body)
            }
            if let elseBody { statements(elseBody) }
        case .loop(let body), .block(let body):
            statements(body)
        case .returnValue(let value, _):
            if let value { expression(value) }
        case .breakLoop, .continueLoop:
            break
        }
    }

    private mutating func expression(_ e: TExpr) {
        switch e.kind {
        case .integer, .boolean, .local, .emptySlice, .readLine, .string:
            break
        case .addressOf(let a):
            if let v = Self.root(a) { addressed.insert(v) }
            expression(a)
        case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .logicalAnd(let a, let b),
             .logicalOr(let a, let b), .index(let a, let b), .append(let a, let b):
            expression(a)
            expression(b)
        case .negate(let a), .not(let a), .dereference(let a), .field(let a, _), .sliceLength(let a),
             .print(let a), .printBytes(let a):
            expression(a)
        case .call(_, let arguments, _):
            for a in arguments { expression(a) }
        case .construct(_, let fields):
            for field in fields { expression(field.value) }
        }
    }
}

extension ModuleGenerator {
    /// Indices of the struct/slice parameters of `f` that its body never writes nor addresses.
    static func readOnlyAggregateParameters(_ f: FunctionDef) -> Set<Int> {
        let roots = MemoryRoots(f.body)
        var result: Set<Int> = []
        for (i, p) in f.parameters.enumerated() where Layout.isAggregate(p.type) {
            if !roots.written.contains(p) && !roots.addressed.contains(p) { result.insert(i) }
        }
        return result
    }
}
