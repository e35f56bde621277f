/// Where each register is defined and how often it is used.
public struct DefUse {
    public enum Definition: Hashable {
        case parameter(BlockID, index: Int)
        case instruction(BlockID, index: Int)
    }
    public private(set) var definitions: [Definition?]
    public private(set) var useCounts: [Int]

    public init(_ f: IRFunction) {
        definitions = .init(repeating: nil, count: f.valueTypes.count)
        useCounts = .init(repeating: 0, count: f.valueTypes.count)
        for (bi, b) in f.blocks.enumerated() {
            for (pi, p) in b.parameters.enumerated() where p.id < definitions.count {
                definitions[p.id] = .parameter(BlockID(bi), index: pi)
            }
            for (ii, inst) in b.instructions.enumerated() {
                if let r = inst.result, r.id < definitions.count { definitions[r.id] = .instruction(BlockID(bi), index: ii) }
                for v in inst.op.operands where v.id < useCounts.count { useCounts[v.id] += 1 }
            }
            for v in b.terminator.operands where v.id < useCounts.count { useCounts[v.id] += 1 }
        }
    }

    /// The instruction defining `v`, if an instruction does.
    public func instruction(_ v: Value, in f: IRFunction) -> Instruction? {
        guard v.id < definitions.count, case .instruction(let b, let i)? = definitions[v.id] else { return nil }
        return f.blocks[b.index].instructions[i]
    }

    /// The constant bits of `v`, if a `const` defines it.
    public func constant(_ v: Value, in f: IRFunction) -> UInt64? {
        if case .constant(_, let bits)? = instruction(v, in: f)?.op { return bits }
        return nil
    }
}

/// Which slots have their address taken (`slotaddr`): those may be reached through pointers;
/// all others are touched only by direct slot loads and stores.
public func escapingSlots(_ f: IRFunction) -> Set<SlotID> {
    var out: Set<SlotID> = []
    for b in f.blocks {
        for inst in b.instructions {
            if case .slotAddress(let s) = inst.op { out.insert(s) }
        }
    }
    return out
}
