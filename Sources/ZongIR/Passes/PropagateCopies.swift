/// copy-prop: a block parameter that receives the same value on every incoming edge (or
/// itself, around a loop) is that value: its uses are rewritten and it is removed from the
/// block and from every edge. Repeats until nothing changes, so chains of such parameters
/// (what promote-slots leaves at loop headers for cells a loop never writes) disappear.
public struct PropagateCopies: FunctionPass {
    public var name: String { "copy-prop" }
    public var summary: String { "replace block parameters that always receive one value by that value" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        var changed = true
        while changed {
            changed = false
            var incoming: [[Set<Value>]] = f.blocks.map { [Set<Value>](repeating: [], count: $0.parameters.count) }
            for b in f.blocks {
                for e in b.terminator.successors where e.block.index < f.blocks.count {
                    for (i, a) in e.arguments.enumerated() where i < incoming[e.block.index].count {
                        incoming[e.block.index][i].insert(a)
                    }
                }
            }
            var replacements: [Value: Value] = [:]
            var removed: [Int: Set<Int>] = [:]
            for (bi, block) in f.blocks.enumerated() where bi != 0 {
                for (pi, p) in block.parameters.enumerated() {
                    let others = incoming[bi][pi].subtracting([p])
                    if others.count == 1, let v = others.first {
                        replacements[p] = v
                        removed[bi, default: []].insert(pi)
                    }
                }
            }
            if replacements.isEmpty { break }
            changed = true
            removeParameters(&f, removed)
            f.replaceUses(replacements)
        }
    }
}

/// Removes the given parameter positions from blocks and the matching arguments from every
/// edge into them.
func removeParameters(_ f: inout IRFunction, _ removed: [Int: Set<Int>]) {
    for (bi, positions) in removed {
        f.blocks[bi].parameters = f.blocks[bi].parameters.enumerated().filter { !positions.contains($0.offset) }.map(\.element)
    }
    for bi in f.blocks.indices {
        f.blocks[bi].terminator = f.blocks[bi].terminator.mapEdges { e in
            guard let positions = removed[e.block.index] else { return e }
            return Edge(e.block, e.arguments.enumerated().filter { !positions.contains($0.offset) }.map(\.element))
        }
    }
}
