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
    let flow: ControlFlow
    let dominators: Dominators
    /// The blocks on entry to which each fact holds by the branch into them (a block whose
    /// only predecessor ends in a conditional branch on a comparison). A fact holds in every
    /// block such a block dominates.
    let establishedIn: [Fact: [BlockID]]
    /// For each register x, the blocks that establish a signed upper bound on it (x < y).
    let boundedAbove: [Value: [BlockID]]

    public init(_ f: IRFunction, _ flow: ControlFlow, _ dominators: Dominators) {
        self.f = f
        self.flow = flow
        self.dominators = dominators
        let uses = DefUse(f)
        self.uses = uses
        var establishedIn: [Fact: [BlockID]] = [:]
        var boundedAbove: [Value: [BlockID]] = [:]
        for b in flow.reversePostOrder {
            let preds = flow.predecessors[b.index]
            guard preds.count == 1, case .conditionalBranch(let c, let yes, let no) = f.blocks[preds[0].index].terminator,
                  yes.block != no.block, let fact = Self.fact(of: c, taken: yes.block == b, uses, f) else { continue }
            establishedIn[fact, default: []].append(b)
            if fact.op == .ltS { boundedAbove[fact.a, default: []].append(b) }
            if fact.op == .gtS { boundedAbove[fact.b, default: []].append(b) }
        }
        self.establishedIn = establishedIn
        self.boundedAbove = boundedAbove
    }

    /// Whether `fact` holds where `block` runs.
    public func holds(_ fact: Fact, at block: BlockID) -> Bool {
        establishedIn[fact]?.contains { dominators.dominates($0, block) } ?? false
    }

    /// The fact a branch establishes on its `then` (true) or `else` side.
    static func fact(of condition: Value, taken: Bool, _ uses: DefUse, _ f: IRFunction) -> Fact? {
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

    /// Whether the facts where `block` runs prove a < b (signed or unsigned as asked).
    public func less(_ a: Value, _ b: Value, signed: Bool, at block: BlockID) -> Bool {
        signed ? holds(Fact(op: .ltS, a: a, b: b), at: block) || holds(Fact(op: .gtS, a: b, b: a), at: block)
            : holds(Fact(op: .ltU, a: a, b: b), at: block) || holds(Fact(op: .gtU, a: b, b: a), at: block)
    }

    /// Whether `v` (i64) is never negative: a non-negative constant; `x + 1` where x is never
    /// negative and a signed `x < y` guards the addition (so it cannot overflow); a block
    /// parameter all of whose incoming values are never negative (assumed while checking
    /// them: induction over the loop's iterations); or a fact `v >= 0` / `v > c`, c >= -1.
    public func nonNegative(_ v: Value) -> Bool {
        var assumed: Set<Value> = []
        return nonNegative(v, &assumed, depth: 0)
    }

    private func nonNegative(_ v: Value, _ assumed: inout Set<Value>, depth: Int) -> Bool {
        if assumed.contains(v) { return true }
        if depth > 32 { return false }
        guard v.id < uses.definitions.count, let definition = uses.definitions[v.id] else { return false }
        switch definition {
        case .instruction(let block, _):
            guard let op = uses.instruction(v, in: f)?.op else { return false }
            switch op {
            case .constant(.i64, let bits):
                return Int64(bitPattern: bits) >= 0
            case .cast(.extendU, _):
                return true
            case .binary(.add, .i64, let x, let one) where uses.constant(one, in: f) == 1:
                let guarded = boundedAbove[x]?.contains { dominators.dominates($0, block) } ?? false
                return guarded && nonNegative(x, &assumed, depth: depth + 1)
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
            for p in flow.predecessors[block.index] {
                for e in f.blocks[p.index].terminator.successors where e.block == block && index < e.arguments.count {
                    if !nonNegative(e.arguments[index], &assumed, depth: depth + 1) {
                        assumed.remove(v)
                        return false
                    }
                }
            }
            return true
        }
    }
}
