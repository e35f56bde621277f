/// bce: removes `check index i, n` where the branches that dominate it prove 0 <= i < n:
/// an unsigned `i < n`, or a signed `i < n` with i never negative (RangeFacts: constants,
/// guarded increments, loop induction). The common `loop { if i >= s.length { break; } …
/// s[i] … i = i + 1; }` then runs without a check per element. Checks it cannot prove stay,
/// with their messages and locations.
public struct EliminateBoundsChecks: FunctionPass {
    public var name: String { "bce" }
    public var summary: String { "remove index checks that dominating branches and induction prove" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        guard f.hasIndexCheck else { return }
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        let ranges = RangeFacts(f, flow, dominators)
        for b in flow.reversePostOrder {
            f.blocks[b.index].instructions.removeAll { inst in
                guard case .check(.index, let args) = inst.op, args.count == 2 else { return false }
                let (i, n) = (args[0], args[1])
                if ranges.less(i, n, signed: false, at: b) { return true }
                return ranges.less(i, n, signed: true, at: b) && ranges.nonNegative(i)
            }
        }
    }
}

extension IRFunction {
    /// Whether some instruction is a `check index` (a quick test before the analyses of the
    /// passes that only remove or version those).
    var hasIndexCheck: Bool {
        blocks.contains { b in
            b.instructions.contains { inst in
                if case .check(.index, _) = inst.op { return true }
                return false
            }
        }
    }
}
