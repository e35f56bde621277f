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

/// Loops as a nest: each block's innermost loop and each loop's parent (used to place the
/// blocks a loop exits to after the loop, and to find innermost loops).
public struct LoopNest {
    /// Innermost loops first, as `LoopInfo` orders them.
    public let loops: [LoopInfo.Loop]
    public let blocksOfHeader: [BlockID: Set<BlockID>]
    /// Header of the innermost loop containing each block.
    private var innermost: [BlockID?]
    /// Header of the loop that immediately contains each loop (by header).
    private var parent: [BlockID: BlockID] = [:]
    /// Headers of loops that hold another loop.
    private var outerHeaders: Set<BlockID> = []

    public init(_ f: IRFunction, _ flow: ControlFlow, _ dominators: Dominators) {
        let loops = LoopInfo(f, flow, dominators).loops
        self.loops = loops
        var blocksOfHeader: [BlockID: Set<BlockID>] = [:]
        var innermost = [BlockID?](repeating: nil, count: f.blocks.count)
        for loop in loops {
            blocksOfHeader[loop.header] = loop.blocks
            for b in loop.blocks where innermost[b.index] == nil { innermost[b.index] = loop.header }
        }
        self.blocksOfHeader = blocksOfHeader
        self.innermost = innermost
        // A loop's parent is the innermost loop around its header's dominator that also holds
        // the header (headers in reverse post-order, so outer loops are known first).
        for header in loops.map(\.header).sorted(by: { flow.order[$0.index] < flow.order[$1.index] }) {
            guard let d = dominators.idom[header.index], d != header else { continue }
            var candidate = innermost[d.index]
            while let c = candidate, !(blocksOfHeader[c]?.contains(header) ?? false) { candidate = parent[c] }
            if let c = candidate { parent[header] = c }
        }
        outerHeaders = Set(parent.values)
    }

    /// Whether the loop headed by `header` holds no other loop.
    public func isInnermost(_ header: BlockID) -> Bool { !outerHeaders.contains(header) }

    /// Whether `b` lies outside a loop that contains `a` (an edge from `a` to `b` leaves it).
    public func isOutsideLoops(of a: BlockID, _ b: BlockID) -> Bool {
        guard let h = innermost[a.index] else { return false }
        return !(blocksOfHeader[h]?.contains(b) ?? true)
    }

    /// Where block `b` is placed: its immediate dominator, moved out to the header of every
    /// loop around it that does not contain `b`.
    public func placement(of b: BlockID, dominator: BlockID) -> BlockID {
        var p = dominator
        var loop = innermost[p.index]
        while let h = loop, !(blocksOfHeader[h]?.contains(b) ?? true) {
            p = h
            loop = parent[h]
        }
        return p
    }
}
