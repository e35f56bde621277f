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
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        let ranges = RangeFacts(f)
        // Facts on entry to each reachable block: its dominator's, plus the branch into it
        // when it is the only way in.
        var factsAt = [Set<RangeFacts.Fact>](repeating: [], count: f.blocks.count)
        for b in dominators.preorder() {
            var facts: Set<RangeFacts.Fact> = []
            if let d = dominators.idom[b.index], d != b { facts = factsAt[d.index] }
            let preds = flow.predecessors[b.index]
            if preds.count == 1, case .conditionalBranch(let c, let yes, let no) = f.blocks[preds[0].index].terminator,
               yes.block != no.block, let fact = ranges.fact(of: c, taken: yes.block == b) {
                facts.insert(fact)
            }
            factsAt[b.index] = facts
        }
        var blockOf: [Int: Int] = [:]
        for (bi, block) in f.blocks.enumerated() {
            for inst in block.instructions { if let r = inst.result { blockOf[r.id] = bi } }
        }
        let factsOfValue: (Value) -> Set<RangeFacts.Fact> = { v in blockOf[v.id].map { factsAt[$0] } ?? [] }
        for b in flow.reversePostOrder {
            let facts = factsAt[b.index]
            f.blocks[b.index].instructions.removeAll { inst in
                guard case .check(.index, let args) = inst.op, args.count == 2 else { return false }
                let (i, n) = (args[0], args[1])
                if RangeFacts.less(i, n, signed: false, facts) { return true }
                return RangeFacts.less(i, n, signed: true, facts) && ranges.nonNegative(i, factsAt: factsOfValue)
            }
        }
    }
}
