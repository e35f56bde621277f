/// The natural loops of a function: for each block that is the target of a back edge (an
/// edge to a block that dominates its source), the blocks that reach the back edge without
/// passing the header. Zong's CFGs are reducible, so every cycle is such a loop.
public struct LoopInfo {
    public struct Loop {
        public var header: BlockID
        /// Every block of the loop, the header included.
        public var blocks: Set<BlockID>
        /// Sources of the back edges.
        public var latches: [BlockID]
    }

    /// Innermost loops first (fewer blocks first), so a pass can hoist level by level.
    public let loops: [Loop]

    public init(_ f: IRFunction, _ flow: ControlFlow, _ dominators: Dominators) {
        var byHeader: [BlockID: Loop] = [:]
        for b in flow.reversePostOrder {
            for e in f.blocks[b.index].terminator.successors where dominators.dominates(e.block, b) {
                var loop = byHeader[e.block] ?? Loop(header: e.block, blocks: [e.block], latches: [])
                loop.latches.append(b)
                var work = [b]
                while let x = work.popLast() {
                    if loop.blocks.insert(x).inserted {
                        work += flow.predecessors[x.index].filter(flow.isReachable)
                    }
                }
                byHeader[e.block] = loop
            }
        }
        loops = byHeader.values.sorted { ($0.blocks.count, $0.header.index) < ($1.blocks.count, $1.header.index) }
    }
}
