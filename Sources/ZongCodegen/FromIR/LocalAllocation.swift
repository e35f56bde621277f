import Wasm
import ZongIR

/// Registers to WASM locals by linear scan over live intervals. Blocks are laid out in reverse
/// post-order; each register's interval runs from its first to its last position in that
/// layout where it is defined, read or live (live-in at a block's start, live-out at its end,
/// and, for a block parameter, the end of every predecessor, where the edge's copy writes it).
/// Two registers whose intervals are disjoint are never live at the same point, so they may
/// share a local. Intervals are closed, so a result never shares the local of an operand read
/// by the same instruction (an emitter may read its operands after writing its result).
///
/// Values the stack plan defers have no local; their operands are read wherever the deferred
/// value is (re)computed. The function's own parameters keep their WASM parameter locals.
/// Liveness is found per register by walking back from its uses to its definition, so the work
/// is the total length of the live ranges, and a function of 100,000 short-lived blocks needs
/// a few locals, not one per register.
struct LocalAllocation {
    /// Indexed by register id: the local, or nil for no local (deferred, undefined, parameter).
    private(set) var localOf: [UInt32?]
    /// The types of the locals added after the parameters.
    private(set) var localTypes: [ValueType] = []

    /// - Parameter unshared: a register that gets a local of its own, which no other shares.
    init(_ f: IRFunction, _ flow: ControlFlow, _ uses: DefUse, _ stack: StackPlan, parameterCount: Int, entryParameters: Set<Value>,
         unshared: Value? = nil) {
        let n = f.valueTypes.count
        localOf = [UInt32?](repeating: nil, count: n)
        let positions = Positions(f, flow)
        var first = [Int](repeating: Int.max, count: n)
        var last = [Int](repeating: -1, count: n)
        func touch(_ v: Value, _ p: Int) {
            guard v.id < n else { return }
            if p < first[v.id] { first[v.id] = p }
            if p > last[v.id] { last[v.id] = p }
        }
        // Uses, with deferred values standing for their operands, and where they occur.
        var useBlocks: [[Int]] = Array(repeating: [], count: n)
        func use(_ v: Value, block: Int, at p: Int, depth: Int = 0) {
            guard v.id < n else { return }
            if stack.deferred[v.id], depth < StackPlan.maximumDepth + 2, let inst = uses.instruction(v, in: f) {
                for o in inst.op.operands { use(o, block: block, at: p, depth: depth + 1) }
                return
            }
            touch(v, p)
            useBlocks[v.id].append(block)
        }
        for b in flow.reversePostOrder {
            let block = f.blocks[b.index]
            for p in block.parameters { touch(p, positions.start(b)) }
            for (i, inst) in block.instructions.enumerated() {
                if let r = inst.result, !stack.deferred[r.id] { touch(r, positions.instruction(b, i)) }
                // A deferred value's operands are read where it is used, not here.
                if let r = inst.result, stack.deferred[r.id] { continue }
                for o in inst.op.operands { use(o, block: b.index, at: positions.instruction(b, i)) }
            }
            for o in block.terminator.operands { use(o, block: b.index, at: positions.terminator(b)) }
            // Edge copies write the successors' parameters at this block's end.
            for e in block.terminator.successors {
                for p in f.blocks[e.block.index].parameters { touch(p, positions.end(b)) }
            }
        }
        // Live ranges across blocks: from each use's block back to the definition's.
        var definedIn = [Int](repeating: -1, count: n)
        for (id, d) in uses.definitions.enumerated() where id < n {
            switch d {
            case .parameter(let b, _)?: definedIn[id] = b.index
            case .instruction(let b, _)?: definedIn[id] = b.index
            case nil: break
            }
        }
        var liveInStamp = [Int](repeating: -1, count: f.blocks.count)
        var work: [Int] = []
        for id in 0..<n where definedIn[id] >= 0 && !useBlocks[id].isEmpty {
            for u in useBlocks[id] where u != definedIn[id] && liveInStamp[u] != id {
                liveInStamp[u] = id
                work.append(u)
            }
            while let b = work.popLast() {
                touch(Value(id), positions.start(BlockID(b)))
                for p in flow.predecessors[b] where flow.order[p.index] >= 0 {
                    touch(Value(id), positions.end(p))
                    if p.index != definedIn[id], liveInStamp[p.index] != id {
                        liveInStamp[p.index] = id
                        work.append(p.index)
                    }
                }
            }
        }
        if let u = unshared, u.id < n { first[u.id] = Int.max }
        assign(f, first, last, parameterCount: parameterCount, entryParameters: entryParameters, stack: stack)
        if let u = unshared, u.id < n {
            localOf[u.id] = UInt32(parameterCount + localTypes.count)
            localTypes.append(FunctionFromIR.valueType(f.valueTypes[u.id]))
        }
    }

    private mutating func assign(_ f: IRFunction, _ first: [Int], _ last: [Int], parameterCount: Int,
                                 entryParameters: Set<Value>, stack: StackPlan) {
        let candidates = (0..<first.count).filter {
            first[$0] != Int.max && !stack.deferred[$0] && !entryParameters.contains(Value($0))
        }.sorted { first[$0] < first[$1] }
        var free: [ValueType: [UInt32]] = [:]
        var active = EndHeap()
        for id in candidates {
            while let top = active.peek, top.end < first[id] {
                active.pop()
                free[top.type, default: []].append(top.local)
            }
            let t = FunctionFromIR.valueType(f.valueTypes[id])
            let local: UInt32
            if let l = free[t]?.popLast() {
                local = l
            } else {
                local = UInt32(parameterCount + localTypes.count)
                localTypes.append(t)
            }
            localOf[id] = local
            active.push((max(last[id], first[id]), local, t))
        }
    }
}

/// Positions in the reverse post-order layout: a block's start, its instructions, its
/// terminator, its end.
private struct Positions {
    var base: [Int]
    var count: [Int]

    init(_ f: IRFunction, _ flow: ControlFlow) {
        base = [Int](repeating: 0, count: f.blocks.count)
        count = f.blocks.map(\.instructions.count)
        var next = 0
        for b in flow.reversePostOrder {
            base[b.index] = next
            next += count[b.index] + 3
        }
    }

    func start(_ b: BlockID) -> Int { base[b.index] }
    func instruction(_ b: BlockID, _ i: Int) -> Int { base[b.index] + 1 + i }
    func terminator(_ b: BlockID) -> Int { base[b.index] + 1 + count[b.index] }
    func end(_ b: BlockID) -> Int { terminator(b) + 1 }
}

/// A binary min-heap of allocated intervals by end.
private struct EndHeap {
    private var items: [(end: Int, local: UInt32, type: ValueType)] = []

    var peek: (end: Int, local: UInt32, type: ValueType)? { items.first }

    mutating func push(_ x: (end: Int, local: UInt32, type: ValueType)) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].end < items[parent].end else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count, items[l].end < items[smallest].end { smallest = l }
            if r < items.count, items[r].end < items[smallest].end { smallest = r }
            if smallest == i { break }
            items.swapAt(i, smallest)
            i = smallest
        }
    }
}
