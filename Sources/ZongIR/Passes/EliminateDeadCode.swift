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
        // Definitions, to follow operands and edge arguments backwards from the roots.
        var definingOp: [Int: Op] = [:]
        var parameterPosition: [Int: (block: Int, index: Int)] = [:]
        for (bi, b) in f.blocks.enumerated() {
            for (pi, p) in b.parameters.enumerated() { parameterPosition[p.id] = (bi, pi) }
            for inst in b.instructions {
                if let r = inst.result { definingOp[r.id] = inst.op }
                if !inst.op.isPure || inst.result == nil { inst.op.operands.forEach(mark) }
            }
            if case .conditionalBranch(let c, _, _) = b.terminator { mark(c) }
            if case .returnValue(let v?) = b.terminator { mark(v) }
        }
        for p in f.blocks.first?.parameters ?? [] { mark(p) }
        var argumentsInto: [[[Value]]] = f.blocks.map { [[Value]](repeating: [], count: $0.parameters.count) }
        for b in f.blocks {
            for e in b.terminator.successors where e.block.index < argumentsInto.count {
                for (i, a) in e.arguments.enumerated() where i < argumentsInto[e.block.index].count {
                    argumentsInto[e.block.index][i].append(a)
                }
            }
        }
        while let v = work.popLast() {
            if let op = definingOp[v.id] { op.operands.forEach(mark) }
            if let (b, i) = parameterPosition[v.id] { argumentsInto[b][i].forEach(mark) }
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
