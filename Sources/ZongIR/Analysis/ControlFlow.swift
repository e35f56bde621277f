/// Predecessors and a reverse post-order of the blocks reachable from the entry.
public struct ControlFlow {
    public let predecessors: [[BlockID]]
    /// Reachable blocks, entry first, each block before its successors except along back edges.
    public let reversePostOrder: [BlockID]
    /// Position of each block in `reversePostOrder` (-1 when unreachable).
    public let order: [Int]

    public init(_ f: IRFunction) {
        let n = f.blocks.count
        // Each block's targets, read once: the search below looks at a block once per edge.
        var targets = [(first: Int, second: Int)](repeating: (-1, -1), count: n)
        var preds = [[BlockID]](repeating: [], count: n)
        for i in 0..<n {
            let (a, b) = f.blocks[i].terminator.successorBlocks
            let first = a.map(\.index).flatMap { $0 < n ? $0 : nil } ?? -1
            let second = b.map(\.index).flatMap { $0 < n ? $0 : nil } ?? -1
            targets[i] = (first, second)
            if first >= 0 { preds[first].append(BlockID(i)) }
            if second >= 0 { preds[second].append(BlockID(i)) }
        }
        predecessors = preds
        // Iterative depth-first search (functions may have tens of thousands of blocks).
        var visited = [Bool](repeating: false, count: n)
        var post: [BlockID] = []
        post.reserveCapacity(n)
        var stack: [(block: Int, next: Int)] = []
        if n > 0 {
            visited[0] = true
            stack.append((0, 0))
        }
        while let (b, next) = stack.last {
            let s = next == 0 ? targets[b].first : next == 1 ? targets[b].second : -1
            if next < 2 {
                stack[stack.count - 1].next = next + 1
                if s >= 0, !visited[s] {
                    visited[s] = true
                    stack.append((s, 0))
                }
            } else {
                post.append(BlockID(b))
                stack.removeLast()
            }
        }
        reversePostOrder = post.reversed()
        var order = [Int](repeating: -1, count: n)
        for (i, b) in reversePostOrder.enumerated() { order[b.index] = i }
        self.order = order
    }

    public func isReachable(_ b: BlockID) -> Bool { order[b.index] >= 0 }
}

/// The dominator tree (Cooper, Harvey and Kennedy's iterative algorithm over reverse
/// post-order: near-linear on the reducible graphs Zong produces).
public struct Dominators {
    /// Immediate dominator of each reachable block (the entry's is itself); nil if unreachable.
    public let idom: [BlockID?]
    public let children: [[BlockID]]
    private let flow: ControlFlow

    public init(_ f: IRFunction, _ flow: ControlFlow) {
        self.flow = flow
        var idom = [BlockID?](repeating: nil, count: f.blocks.count)
        if !f.blocks.isEmpty { idom[0] = IRFunction.entry }
        let order = flow.order
        func intersect(_ a: BlockID, _ b: BlockID) -> BlockID {
            var a = a, b = b
            while a != b {
                while order[a.index] > order[b.index] { a = idom[a.index] ?? IRFunction.entry }
                while order[b.index] > order[a.index] { b = idom[b.index] ?? IRFunction.entry }
            }
            return a
        }
        var changed = true
        while changed {
            changed = false
            for b in flow.reversePostOrder.dropFirst() {
                var newIdom: BlockID?
                for p in flow.predecessors[b.index] where idom[p.index] != nil {
                    newIdom = newIdom.map { intersect(p, $0) } ?? p
                }
                if let n = newIdom, idom[b.index] != n {
                    idom[b.index] = n
                    changed = true
                }
            }
        }
        self.idom = idom
        var children = [[BlockID]](repeating: [], count: f.blocks.count)
        for b in flow.reversePostOrder.dropFirst() {
            if let d = idom[b.index] { children[d.index].append(b) }
        }
        self.children = children
        (entered, exited) = Self.number(children, count: f.blocks.count)
    }

    /// Entry and exit times of an iterative depth-first walk of the tree (-1: unreachable).
    private let entered: [Int]
    private let exited: [Int]

    private static func number(_ children: [[BlockID]], count: Int) -> ([Int], [Int]) {
        var entered = [Int](repeating: -1, count: count)
        var exited = [Int](repeating: -1, count: count)
        guard count > 0 else { return (entered, exited) }
        var clock = 0
        var stack: [(BlockID, Int)] = [(IRFunction.entry, 0)]
        entered[0] = clock
        clock += 1
        while let (b, next) = stack.last {
            if next < children[b.index].count {
                stack[stack.count - 1].1 = next + 1
                let c = children[b.index][next]
                entered[c.index] = clock
                clock += 1
                stack.append((c, 0))
            } else {
                exited[b.index] = clock
                clock += 1
                stack.removeLast()
            }
        }
        return (entered, exited)
    }

    /// Whether `a` dominates `b` (both reachable): O(1), from the dominator tree's depth-first
    /// entry and exit numbers (a dominates b when b's interval lies within a's).
    public func dominates(_ a: BlockID, _ b: BlockID) -> Bool {
        guard a.index < entered.count, b.index < entered.count, entered[a.index] >= 0, entered[b.index] >= 0 else { return false }
        return entered[a.index] <= entered[b.index] && exited[b.index] <= exited[a.index]
    }

    /// Dominance frontiers (Cytron et al.), for placing block parameters.
    public func frontiers() -> [[BlockID]] {
        // Lists, not sets: `added[x] == b` says b is in x's frontier already (each b is
        // handled once), and each list is sorted at the end as the sets were.
        var df = [[BlockID]](repeating: [], count: idom.count)
        var added = [Int](repeating: -1, count: idom.count)
        for b in flow.reversePostOrder where flow.predecessors[b.index].count >= 2 {
            guard let bIdom = idom[b.index] else { continue }
            for p in flow.predecessors[b.index] where idom[p.index] != nil {
                var runner = p
                while runner != bIdom {
                    if added[runner.index] != b.index {
                        added[runner.index] = b.index
                        df[runner.index].append(b)
                    }
                    guard let up = idom[runner.index], up != runner else { break }
                    runner = up
                }
            }
        }
        for i in df.indices where df[i].count > 1 { df[i].sort() }
        return df
    }

    /// The reachable blocks in dominator-tree pre-order (iterative).
    public func preorder() -> [BlockID] {
        guard !idom.isEmpty else { return [] }
        var out: [BlockID] = []
        var stack = [IRFunction.entry]
        while let b = stack.popLast() {
            out.append(b)
            stack.append(contentsOf: children[b.index].reversed())
        }
        return out
    }
}
