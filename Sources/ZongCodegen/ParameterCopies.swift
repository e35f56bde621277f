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
        forEachNode(in: body) { node in
            switch node {
            case .statement(.assign(let target, _, _)):
                if let v = Self.root(target) { written.insert(v) }
            case .expression(let e):
                if case .addressOf(let a) = e.kind, let v = Self.root(a) { addressed.insert(v) }
            default:
                break
            }
        }
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
}

extension ModuleGenerator {
    /// Indices of the struct/slice parameters of `f` that its body never writes nor addresses.
    static func readOnlyAggregateParameters(_ f: FunctionDef, _ roots: MemoryRoots) -> Set<Int> {
        var result: Set<Int> = []
        for (i, p) in f.parameters.enumerated() where Layout.isAggregate(p.type) {
            if !roots.written.contains(p) && !roots.addressed.contains(p) { result.insert(i) }
        }
        return result
    }
}
