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
    /// For each register x, the signed upper bounds facts put on it (x < y, or x <= y when not
    /// strict) and the blocks that establish them.
    let upperBounds: [Value: [UpperBound]]

    struct UpperBound {
        var block: BlockID
        var value: Value
        var strict: Bool
    }

    public init(_ f: IRFunction, _ flow: ControlFlow, _ dominators: Dominators) {
        self.f = f
        self.flow = flow
        self.dominators = dominators
        let uses = DefUse(f)
        self.uses = uses
        var establishedIn: [Fact: [BlockID]] = [:]
        var upperBounds: [Value: [UpperBound]] = [:]
        for b in flow.reversePostOrder {
            let preds = flow.predecessors[b.index]
            guard preds.count == 1, case .conditionalBranch(let c, let yes, let no) = f.blocks[preds[0].index].terminator,
                  yes.block != no.block, let fact = Self.fact(of: c, taken: yes.block == b, uses, f) else { continue }
            establishedIn[fact, default: []].append(b)
            switch fact.op {
            case .ltS: upperBounds[fact.a, default: []].append(UpperBound(block: b, value: fact.b, strict: true))
            case .gtS: upperBounds[fact.b, default: []].append(UpperBound(block: b, value: fact.a, strict: true))
            case .leS: upperBounds[fact.a, default: []].append(UpperBound(block: b, value: fact.b, strict: false))
            case .geS: upperBounds[fact.b, default: []].append(UpperBound(block: b, value: fact.a, strict: false))
            default: break
            }
        }
        self.establishedIn = establishedIn
        self.upperBounds = upperBounds
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

    /// Whether `v` (i64) is never negative: `atLeast(v, 0)`.
    public func nonNegative(_ v: Value) -> Bool {
        atLeast(v, 0)
    }

    /// Whether `v` (i64) is at least `k` (signed), by its definition: a constant; a zero
    /// extension or a slice length (k <= 0); `x + c` (c > 0) where x >= k - c and a dominating
    /// upper bound keeps the addition from overflowing; `x - c` (c > 0) where x >= k + c; a
    /// block parameter all of whose incoming values are at least k (assumed while checking
    /// them: induction over the loop's iterations).
    public func atLeast(_ v: Value, _ k: Int64) -> Bool {
        guard k > -Self.small, k < Self.small else { return false }
        var assumed: [Value: Int64] = [:]
        var steps = 0
        return atLeast(v, k, &assumed, &steps)
    }

    /// Definitions one question may visit: merges of merges would otherwise be explored once
    /// per path.
    static let stepLimit = 200

    /// Constants and bounds this analysis adds stay below this, so its sums never overflow.
    static let small: Int64 = 1 << 40

    private func atLeast(_ v: Value, _ k: Int64, _ assumed: inout [Value: Int64], _ steps: inout Int) -> Bool {
        if let a = assumed[v], a >= k { return true }
        steps += 1
        if steps > Self.stepLimit { return false }
        guard v.id >= 0, v.id < uses.definitions.count, let definition = uses.definitions[v.id] else { return false }
        switch definition {
        case .instruction(let block, _):
            guard let op = uses.instruction(v, in: f)?.op else { return false }
            switch op {
            case .constant(.i64, let bits):
                return Int64(bitPattern: bits) >= k
            case .cast(.extendU, _):
                return k <= 0
            case .binary(.add, .i64, let x, let y):
                if let c = smallConstant(y), c > 0 {
                    return incrementCannotOverflow(x, by: c, at: block) && atLeast(x, k - c, &assumed, &steps)
                }
                if let c = smallConstant(x), c > 0 {
                    return incrementCannotOverflow(y, by: c, at: block) && atLeast(y, k - c, &assumed, &steps)
                }
                return false
            case .binary(.sub, .i64, let x, let y):
                // x >= k + c > 0 keeps x - c from wrapping.
                guard let c = smallConstant(y), c > 0, k + c > 0 else { return false }
                return atLeast(x, k + c, &assumed, &steps)
            case .load(.i64, _, let address):
                // The only i64 field of a slice header is its length, which fits memory.
                if case .memory(_, _, .header) = address { return k <= 0 }
                return false
            default:
                return false
            }
        case .parameter(let block, let index):
            if block == IRFunction.entry { return k <= 0 && f.lengthParameters.contains(index) }
            let before = assumed[v]
            assumed[v] = k
            for p in flow.predecessors[block.index] {
                for e in f.blocks[p.index].terminator.successors where e.block == block && index < e.arguments.count {
                    if !atLeast(e.arguments[index], k, &assumed, &steps) {
                        assumed[v] = before
                        return false
                    }
                }
            }
            return true
        }
    }

    /// The value of an i64 constant register within ±2^40 (`DefUse.smallConstant`).
    func smallConstant(_ v: Value) -> Int64? { uses.smallConstant(v, in: f) }

    /// Whether `x + c` (0 < c < 2^40) cannot overflow where `block` runs: a dominating fact
    /// `x < y` (c = 1), or `x <= y` / `x < y` with y a slice length or a constant far enough
    /// below the maximum.
    func incrementCannotOverflow(_ x: Value, by c: Int64, at block: BlockID) -> Bool {
        guard let bounds = upperBounds[x] else { return false }
        return bounds.contains { bound in
            guard dominators.dominates(bound.block, block) else { return false }
            if bound.strict && c == 1 { return true }
            if let k = uses.constant(bound.value, in: f) { return Int64(bitPattern: k) <= Int64.max - c }
            return isLength(bound.value)
        }
    }

    /// Whether `v` is a slice length (at most 2^32): a length parameter, a header load, or a
    /// block parameter that only ever receives lengths.
    public func isLength(_ v: Value) -> Bool {
        var assumed: Set<Value> = []
        var steps = 0
        return isLength(v, &assumed, &steps)
    }

    private func isLength(_ v: Value, _ assumed: inout Set<Value>, _ steps: inout Int) -> Bool {
        if assumed.contains(v) { return true }
        steps += 1
        if steps > Self.stepLimit { return false }
        guard v.id >= 0, v.id < uses.definitions.count, let definition = uses.definitions[v.id] else { return false }
        switch definition {
        case .instruction:
            if case .load(.i64, _, .memory(_, _, .header))? = uses.instruction(v, in: f)?.op { return true }
            return false
        case .parameter(let block, let index):
            if block == IRFunction.entry { return f.lengthParameters.contains(index) }
            assumed.insert(v)
            for p in flow.predecessors[block.index] {
                for e in f.blocks[p.index].terminator.successors where e.block == block && index < e.arguments.count {
                    if !isLength(e.arguments[index], &assumed, &steps) {
                        assumed.remove(v)
                        return false
                    }
                }
            }
            return true
        }
    }
}
