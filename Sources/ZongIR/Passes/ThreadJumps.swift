/// thread-jumps: an edge that passes a constant Boolean to a block that does nothing but branch
/// on it goes straight to the side that constant picks. `a && b && c` lowers to such blocks
/// (each operand's false edge passes `false` to the next test); threaded, the body of
/// `if a && b && c { … }` is reached only through the three tests, so what they compute and
/// check dominates it (cse can reuse `s[i + j]`'s address and check there), and the back end
/// writes one branch per operand instead of a Boolean merge tested again.
///
/// The block must have no instructions (unused constants aside), and its parameters may be used only in its own
/// terminator: a block it dominated may otherwise use them once the edge bypasses it.
public struct ThreadJumps: FunctionPass {
    public var name: String { "thread-jumps" }
    public var summary: String { "send an edge that passes a constant condition to the side that condition takes" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        // A merge's `false` constant is used by the edge out of it until that edge is threaded;
        // then the merge itself qualifies: a few rounds cover chains of `&&` and `||`.
        for _ in 0..<4 where threadOnce(&f) {}
    }

    func threadOnce(_ f: inout IRFunction) -> Bool {
        // Most functions have no block of the shape: no use counts needed then.
        guard f.blocks.indices.contains(where: { hasShape(f.blocks[$0], $0) }) else { return false }
        let uses = DefUse(f)
        let candidates = f.blocks.indices.map { isCandidate(f, $0, uses) }
        guard candidates.contains(true) else { return false }
        var changed = false
        for bi in f.blocks.indices {
            f.blocks[bi].terminator = f.blocks[bi].terminator.mapEdges { edge in
                var e = edge
                for _ in 0..<8 {
                    guard e.block.index != bi, candidates[e.block.index], let next = threaded(e, f, uses) else { break }
                    e = next
                    changed = true
                }
                return e
            }
        }
        return changed
    }

    /// A non-entry block with parameters and only constants that branches on a parameter.
    func hasShape(_ b: Block, _ bi: Int) -> Bool {
        guard bi != IRFunction.entry.index, !b.parameters.isEmpty, case .conditionalBranch(let c, _, _) = b.terminator,
              b.parameters.contains(c) else { return false }
        return b.instructions.allSatisfy { if case .constant = $0.op { true } else { false } }
    }

    /// A block with parameters and no instructions (but unused constants) that ends in a
    /// conditional branch on one of them, its parameters used nowhere but in that branch.
    func isCandidate(_ f: IRFunction, _ bi: Int, _ uses: DefUse) -> Bool {
        let b = f.blocks[bi]
        let onlyUnusedConstants = b.instructions.allSatisfy { inst in
            guard case .constant = inst.op, let r = inst.result, r.id < uses.useCounts.count else { return false }
            return uses.useCounts[r.id] == 0
        }
        guard bi != IRFunction.entry.index, onlyUnusedConstants, !b.parameters.isEmpty,
              case .conditionalBranch(let c, _, _) = b.terminator, b.parameters.contains(c) else { return false }
        let operands = b.terminator.operands
        return b.parameters.allSatisfy { p in
            p.id < uses.useCounts.count && uses.useCounts[p.id] == operands.filter { $0 == p }.count
        }
    }

    /// Where `e` leads when its target branches on a constant it receives.
    func threaded(_ e: Edge, _ f: IRFunction, _ uses: DefUse) -> Edge? {
        let target = f.blocks[e.block.index]
        guard case .conditionalBranch(let c, let yes, let no) = target.terminator,
              let k = target.parameters.firstIndex(of: c), k < e.arguments.count, target.parameters.count == e.arguments.count,
              case .constant(.i1, let bits)? = uses.instruction(e.arguments[k], in: f)?.op else { return nil }
        let taken = bits != 0 ? yes : no
        guard taken.block != e.block else { return nil }
        var map: [Value: Value] = [:]
        for (p, a) in zip(target.parameters, e.arguments) { map[p] = a }
        return Edge(taken.block, taken.arguments.map { map[$0] ?? $0 })
    }
}
