/// dce: removes instructions without effects whose results nobody uses, block parameters
/// nobody uses (and their arguments), and slots nobody touches (renumbering the rest), so
/// a function whose locals were all promoted has an empty frame (and no tstack check).
public struct EliminateDeadCode: FunctionPass {
    public var name: String { "dce" }
    public var summary: String { "remove unused pure instructions, block parameters and slots" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        removeDeadValues(&f)
        removeDeadSlots(&f)
        if f.slots.allSatisfy({ $0.size == 0 }) {
            // An empty frame always fits: its tstack check can never fail.
            for bi in f.blocks.indices {
                f.blocks[bi].instructions.removeAll { if case .check(.tstack, _) = $0.op { return true } else { return false } }
            }
        }
    }

    func removeDeadValues(_ f: inout IRFunction) {
        var live = [Bool](repeating: false, count: f.valueTypes.count)
        var work: [Value] = []
        func mark(_ v: Value) {
            if v.id < live.count, !live[v.id] {
                live[v.id] = true
                work.append(v)
            }
        }
        // Definitions by register id, to follow operands and edge arguments backwards from
        // the roots: the block (-1: none) and the instruction or parameter position.
        let n = f.valueTypes.count
        var definingBlock = [Int](repeating: -1, count: n)
        var definingIndex = [Int](repeating: 0, count: n)
        var isParameter = [Bool](repeating: false, count: n)
        for bi in f.blocks.indices {
            for (pi, p) in f.blocks[bi].parameters.enumerated() where p.id >= 0 && p.id < n {
                (definingBlock[p.id], definingIndex[p.id], isParameter[p.id]) = (bi, pi, true)
            }
            for (ii, inst) in f.blocks[bi].instructions.enumerated() {
                if let r = inst.result, r.id >= 0, r.id < n { (definingBlock[r.id], definingIndex[r.id], isParameter[r.id]) = (bi, ii, false) }
                if !inst.op.isPure || inst.result == nil { inst.op.operands.forEach(mark) }
            }
            if case .conditionalBranch(let c, _, _) = f.blocks[bi].terminator { mark(c) }
            if case .returnValue(let v?) = f.blocks[bi].terminator { mark(v) }
        }
        for p in f.blocks.first?.parameters ?? [] { mark(p) }
        let edges = EdgesInto(f)
        while let v = work.popLast() {
            guard v.id >= 0, v.id < n, definingBlock[v.id] >= 0 else { continue }
            let (b, i) = (definingBlock[v.id], definingIndex[v.id])
            if !isParameter[v.id] {
                f.blocks[b].instructions[i].op.operands.forEach(mark)
                continue
            }
            for edge in edges.into(b) {
                let arguments = edges.arguments(edge, f)
                if i < arguments.count { mark(arguments[i]) }
            }
        }
        var removed: [Int: Set<Int>] = [:]
        for (bi, b) in f.blocks.enumerated() where bi != 0 {
            for (pi, p) in b.parameters.enumerated() where !live[p.id] { removed[bi, default: []].insert(pi) }
        }
        removeParameters(&f, removed)
        for bi in f.blocks.indices {
            f.blocks[bi].instructions.removeAll { inst in
                guard let r = inst.result else { return false }
                return inst.op.isPure && !live[r.id]
            }
        }
    }

    func removeDeadSlots(_ f: inout IRFunction) {
        var used = [Bool](repeating: false, count: f.slots.count)
        for b in f.blocks {
            for inst in b.instructions {
                switch inst.op {
                case .slotAddress(let s): used[s.index] = true
                case .load(_, _, .slot(let s, _)), .store(_, .slot(let s, _), _): used[s.index] = true
                default: break
                }
            }
        }
        if used.allSatisfy({ $0 }) { return }
        var newIndex = [Int](repeating: -1, count: f.slots.count)
        var slots: [Slot] = []
        for (i, s) in f.slots.enumerated() where used[i] {
            newIndex[i] = slots.count
            slots.append(s)
        }
        f.slots = slots
        func map(_ a: Address) -> Address {
            if case .slot(let s, let o) = a { return .slot(SlotID(newIndex[s.index]), offset: o) }
            return a
        }
        for bi in f.blocks.indices {
            for ii in f.blocks[bi].instructions.indices {
                switch f.blocks[bi].instructions[ii].op {
                case .slotAddress(let s): f.blocks[bi].instructions[ii].op = .slotAddress(SlotID(newIndex[s.index]))
                case .load(let t, let w, let a): f.blocks[bi].instructions[ii].op = .load(t, w, map(a))
                case .store(let w, let a, let v): f.blocks[bi].instructions[ii].op = .store(w, map(a), v)
                default: break
                }
            }
        }
    }
}

/// The edges into each block as (source block, successor position), one flat list ordered by
/// target: what following a block parameter back to its arguments needs, without an array per
/// parameter.
struct EdgesInto {
    private var start: [Int]
    private var edges: [(source: Int, position: Int)]

    init(_ f: IRFunction) {
        let n = f.blocks.count
        var count = [Int](repeating: 0, count: n + 1)
        // Successor `position` (0 or 1) of block b, -1 for none.
        func target(_ b: Int, _ position: Int) -> Int {
            let (x, y) = f.blocks[b].terminator.successorBlocks
            let t = (position == 0 ? x : y)?.index ?? -1
            return t < n ? t : -1
        }
        for b in 0..<n {
            for position in 0..<2 where target(b, position) >= 0 { count[target(b, position) + 1] += 1 }
        }
        for t in 0..<n { count[t + 1] += count[t] }
        start = count
        var next = count
        edges = Array(repeating: (0, 0), count: count[n])
        for b in 0..<n {
            for position in 0..<2 {
                let t = target(b, position)
                guard t >= 0 else { continue }
                edges[next[t]] = (b, position)
                next[t] += 1
            }
        }
    }

    func into(_ b: Int) -> ArraySlice<(source: Int, position: Int)> { edges[start[b]..<start[b + 1]] }

    func arguments(_ e: (source: Int, position: Int), _ f: IRFunction) -> [Value] {
        switch f.blocks[e.source].terminator {
        case .branch(let edge): edge.arguments
        case .conditionalBranch(_, let yes, let no): e.position == 0 ? yes.arguments : no.arguments
        default: []
        }
    }
}
