/// Facts about registers that hold where a block runs: the comparisons its dominating
/// conditional branches decided, and which i64 registers are never negative.
public struct RangeFacts {
    public struct Fact: Hashable {
        public var op: CompareOp
        public var a: Value
        public var b: Value
    }

    let f: IRFunction
    let uses: DefUse

    public init(_ f: IRFunction) {
        self.f = f
        uses = DefUse(f)
    }

    /// The fact a branch establishes on its `then` (true) or `else` side.
    public func fact(of condition: Value, taken: Bool) -> Fact? {
        guard case .compare(let op, _, let a, let b)? = uses.instruction(condition, in: f)?.op else { return nil }
        return Fact(op: taken ? op : Self.negation(op), a: a, b: b)
    }

    static func negation(_ op: CompareOp) -> CompareOp {
        switch op {
        case .eq: .ne
        case .ne: .eq
        case .ltS: .geS
        case .geS: .ltS
        case .gtS: .leS
        case .leS: .gtS
        case .ltU: .geU
        case .geU: .ltU
        case .gtU: .leU
        case .leU: .gtU
        }
    }

    /// Whether `facts` prove a < b (signed or unsigned as asked).
    public static func less(_ a: Value, _ b: Value, signed: Bool, _ facts: Set<Fact>) -> Bool {
        signed ? facts.contains(Fact(op: .ltS, a: a, b: b)) || facts.contains(Fact(op: .gtS, a: b, b: a))
            : facts.contains(Fact(op: .ltU, a: a, b: b)) || facts.contains(Fact(op: .gtU, a: b, b: a))
    }

    /// Whether `v` (i64) is never negative: a non-negative constant; `x + 1` where x is never
    /// negative and a signed `x < y` guards the addition (so it cannot overflow); a block
    /// parameter all of whose incoming values are never negative (assumed while checking
    /// them: induction over the loop's iterations); or a fact `v >= 0` / `v > c`, c >= -1.
    public func nonNegative(_ v: Value, factsAt: (Value) -> Set<Fact>) -> Bool {
        var assumed: Set<Value> = []
        return nonNegative(v, &assumed, factsAt, depth: 0)
    }

    private func nonNegative(_ v: Value, _ assumed: inout Set<Value>, _ factsAt: (Value) -> Set<Fact>, depth: Int) -> Bool {
        if assumed.contains(v) { return true }
        if depth > 32 { return false }
        guard v.id < uses.definitions.count, let definition = uses.definitions[v.id] else { return false }
        switch definition {
        case .instruction:
            guard let op = uses.instruction(v, in: f)?.op else { return false }
            switch op {
            case .constant(.i64, let bits):
                return Int64(bitPattern: bits) >= 0
            case .cast(.extendU, _):
                return true
            case .binary(.add, .i64, let x, let one) where uses.constant(one, in: f) == 1:
                let facts = factsAt(v)
                let guarded = facts.contains { ($0.op == .ltS && $0.a == x) || ($0.op == .gtS && $0.b == x) }
                return guarded && nonNegative(x, &assumed, factsAt, depth: depth + 1)
            case .load(.i64, _, let address):
                // The only i64 field of a slice header is its length, which fits memory.
                if case .memory(_, _, .header) = address { return true }
                return false
            default:
                return false
            }
        case .parameter(let block, let index):
            if block == IRFunction.entry { return false }
            assumed.insert(v)
            for b in f.blocks {
                for e in b.terminator.successors where e.block == block && index < e.arguments.count {
                    if !nonNegative(e.arguments[index], &assumed, factsAt, depth: depth + 1) {
                        assumed.remove(v)
                        return false
                    }
                }
            }
            return true
        }
    }
}
