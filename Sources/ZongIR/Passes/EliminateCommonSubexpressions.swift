/// cse: an operation without effects computed again where an identical one dominates it
/// reuses the first result (value numbering scoped by the dominator tree). Within one block a
/// load reuses an identical earlier load, or the value an earlier store of the same width put
/// at the same address, when nothing in between could write memory. A check dominated by an
/// identical check is removed: it cannot fail where the first passed.
public struct EliminateCommonSubexpressions: FunctionPass {
    public var name: String { "cse" }
    public var summary: String { "reuse the result of an identical dominating computation" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        let alias = AliasAnalysis(f)
        var replacements: [Value: Value] = [:]
        var available: [Op: Value] = [:]
        available.reserveCapacity(f.instructionCount)  // no rehashing as the walk goes deeper
        // Iterative dominator-tree walk; each frame undoes its block's entries on exit.
        var stack: [(block: BlockID, entered: Bool)] = [(IRFunction.entry, false)]
        var added: [[Op]] = []
        func resolve(_ v: Value) -> Value {
            var v = v
            while let r = replacements[v] { v = r }
            return v
        }
        while let (b, entered) = stack.popLast() {
            if entered {
                for op in added.removeLast() { available[op] = nil }
                continue
            }
            stack.append((b, true))
            var mine: [Op] = []
            var loads: [Op: Value] = [:]
            var kept: [Instruction] = []
            for var inst in f.blocks[b.index].instructions {
                // (Rebuilding an operation allocates its operand list: only once there is
                // something to replace.)
                if !replacements.isEmpty { inst.op = inst.op.mapOperands(resolve) }
                if inst.op.mayWrite, !loads.isEmpty {
                    let op = inst.op
                    loads = loads.filter { key, _ in
                        guard case .load(_, let w, let address) = key else { return false }
                        return !alias.mayClobber(op, address, w.bytes)
                    }
                }
                if case .store(let w, let address, let v) = inst.op, let t = f.type(of: v), w.bytes >= 4 || t == .i1 {
                    // A later load of exactly these bytes into the same register type reads v.
                    loads[.load(t, w, address)] = v
                }
                guard let r = inst.result else {
                    // A check identical to one that dominates it has already passed.
                    if case .check(let c, _) = inst.op, c != .tstack {
                        // One hash for the lookup and the insertion (a check's entry is always -1).
                        if available.updateValue(Value(-1), forKey: inst.op) != nil { continue }
                        mine.append(inst.op)
                    }
                    kept.append(inst)
                    continue
                }
                if case .load = inst.op {
                    if let earlier = loads.updateValue(r, forKey: inst.op) {
                        loads[inst.op] = earlier
                        replacements[r] = earlier
                        continue
                    }
                } else if inst.op.isPure, !isSlotAddress(inst.op) {
                    // Insert first: one hash when the operation is new, the common case.
                    if let earlier = available.updateValue(r, forKey: inst.op) {
                        available[inst.op] = earlier
                        replacements[r] = earlier
                        continue
                    }
                    mine.append(inst.op)
                }
                kept.append(inst)
            }
            f.blocks[b.index].instructions = kept
            added.append(mine)
            for child in dominators.children[b.index].reversed() { stack.append((child, false)) }
        }
        f.replaceUses(replacements)
    }

    func isSlotAddress(_ op: Op) -> Bool {
        if case .slotAddress = op { return true }
        return false
    }
}
