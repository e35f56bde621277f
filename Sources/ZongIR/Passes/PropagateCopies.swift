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
            let incoming = IncomingValues(f)
            var replacements: [Value: Value] = [:]
            var removed: [Int: Set<Int>] = [:]
            for bi in f.blocks.indices where bi != 0 {
                for (pi, p) in f.blocks[bi].parameters.enumerated() {
                    if let v = incoming.onlyValue(bi, pi) {
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

/// For each block parameter, the one value other than itself that its incoming edges pass, if
/// there is exactly one: one state per parameter in a flat array, not a set of values.
struct IncomingValues {
    /// Offset of each block's parameters in `state`.
    private var base: [Int]
    /// -2: nothing but the parameter itself yet; -1: two or more values; else the value's id.
    private var state: [Int]

    init(_ f: IRFunction) {
        var base = [Int](repeating: 0, count: f.blocks.count + 1)
        for bi in f.blocks.indices { base[bi + 1] = base[bi] + f.blocks[bi].parameters.count }
        var state = [Int](repeating: -2, count: base[f.blocks.count])
        for bi in f.blocks.indices {
            for e in f.blocks[bi].terminator.successors where e.block.index < f.blocks.count {
                let parameters = f.blocks[e.block.index].parameters
                for (i, a) in e.arguments.enumerated() where i < parameters.count && a != parameters[i] {
                    let k = base[e.block.index] + i
                    if state[k] == -2 { state[k] = a.id } else if state[k] != a.id { state[k] = -1 }
                }
            }
        }
        self.base = base
        self.state = state
    }

    func onlyValue(_ b: Int, _ i: Int) -> Value? {
        let s = state[base[b] + i]
        return s >= 0 ? Value(s) : nil
    }
}
