/// simplify-cfg: drops unreachable blocks, turns a conditional branch whose two edges are
/// identical into a branch, forwards edges through blocks that only branch on, and merges a
/// block into its single predecessor when that predecessor only branches to it. Blocks are
/// renumbered in reverse post-order, so the text form reads top to bottom.
public struct SimplifyCFG: FunctionPass {
    public var name: String { "simplify-cfg" }
    public var summary: String { "remove unreachable and empty blocks, merge straight-line chains" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        var changed = true
        for _ in 0..<4 where changed {
            // Unreachable predecessors would hide single-predecessor chains.
            removeUnreachable(&f)
            changed = sameTargetBranches(&f)
            changed = forwardEmptyBlocks(&f) || changed
            changed = mergeChains(&f) || changed
        }
        // Already in reverse post-order when the last round changed nothing.
        if changed { removeUnreachable(&f) }
    }

    func sameTargetBranches(_ f: inout IRFunction) -> Bool {
        var changed = false
        for bi in f.blocks.indices {
            if case .conditionalBranch(_, let a, let b) = f.blocks[bi].terminator, a == b {
                f.blocks[bi].terminator = .branch(a)
                changed = true
            }
        }
        return changed
    }

    /// An edge into a block that has no parameters and no instructions and only branches on can
    /// go to the final target directly (the values that branch passes are defined in blocks
    /// that dominate the forwarded block, hence every predecessor of it). A block with
    /// parameters is kept: blocks it dominates may use them.
    func forwardEmptyBlocks(_ f: inout IRFunction) -> Bool {
        var changed = false
        for bi in f.blocks.indices {
            f.blocks[bi].terminator = f.blocks[bi].terminator.mapEdges { edge in
                var e = edge
                var hops = 0
                while hops < 8, e.block.index != bi, let next = forwarded(e, f) {
                    e = next
                    hops += 1
                    changed = true
                }
                return e
            }
        }
        return changed
    }

    func forwarded(_ e: Edge, _ f: IRFunction) -> Edge? {
        let target = f.blocks[e.block.index]
        guard e.block != IRFunction.entry, target.parameters.isEmpty, target.instructions.isEmpty,
              case .branch(let out) = target.terminator, out.block != e.block else { return nil }
        return out
    }

    /// `a: …; br b` where `b` has no other predecessor: `b`'s instructions join `a`.
    func mergeChains(_ f: inout IRFunction) -> Bool {
        var changed = false
        var substitution: [Value: Value] = [:]
        var predecessorCount = [Int](repeating: 0, count: f.blocks.count)
        for b in f.blocks {
            for e in b.terminator.successors { predecessorCount[e.block.index] += 1 }
        }
        for bi in f.blocks.indices {
            while case .branch(let e) = f.blocks[bi].terminator, e.block.index != bi, e.block != IRFunction.entry,
                  predecessorCount[e.block.index] == 1 {
                let target = f.blocks[e.block.index]
                for (p, a) in zip(target.parameters, e.arguments) { substitution[p] = a }
                f.blocks[bi].instructions += target.instructions
                f.blocks[bi].terminator = target.terminator
                f.blocks[bi].terminatorLocation = target.terminatorLocation
                f.blocks[e.block.index] = Block(terminator: .unreachable)
                predecessorCount[e.block.index] = 0
                changed = true
            }
        }
        f.replaceUses(substitution)
        return changed
    }

    func removeUnreachable(_ f: inout IRFunction) {
        let flow = ControlFlow(f)
        let order = flow.reversePostOrder
        if order.count == f.blocks.count, order.enumerated().allSatisfy({ $0.offset == $0.element.index }) { return }
        var newIndex = [Int](repeating: -1, count: f.blocks.count)
        for (i, b) in order.enumerated() { newIndex[b.index] = i }
        f.blocks = order.map { b in
            var block = f.blocks[b.index]
            block.terminator = block.terminator.mapEdges { Edge(BlockID(newIndex[$0.block.index]), $0.arguments) }
            return block
        }
    }
}
