/// loop-versioning: an innermost counted loop `j = a; loop { if j >= n { break; } …; j = j + 1 }`
/// (or `n <= j` exiting, `j < n` or `n > j` continuing) whose body has index checks
/// `check index j + c, len` (c and len unchanged by the loop) gets a second copy whose checks
/// are proven (`check proven-index`), entered when one test before the loop proves that every
/// iteration's index lies in [0, len). Otherwise the original loop runs, checks and messages
/// intact. The test: 0 <= a, n and every c within ±2^40 (so nothing overflows), a + c >= 0 and
/// n + c <= len; j then runs over [a, n) and each index over [a + c, n + c).
///
/// Inclusive tests (`j > n`) are left alone: with W2C's fast arms the unversioned loop measured
/// faster (editdist 0.81 s against 0.90 s versioned; again with clang unswitching all four of
/// its fast-arm tests, 0.66 s against 0.98 s, since the two copies then share that budget and
/// the copy's `proven-index` hints cost what the checks cost).
public struct VersionLoops: FunctionPass {
    public var name: String { "loop-versioning" }
    public var summary: String { "copy counted loops without index checks, behind one test before the loop" }
    public init() {}

    static let bound: UInt64 = 1 << 40

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        // Every plan needs an index check (bce has usually proved them all): no analysis then.
        guard f.hasIndexCheck else { return }
        // One analysis for the whole function: innermost loops are disjoint, so each plan
        // stays true while others are versioned. They are versioned in reverse post-order
        // (a loop whose values a later one uses goes first), with the predecessors, the users
        // of each register and the renaming done so far kept up to date by hand.
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        let nest = LoopNest(f, flow, dominators)
        let uses = DefUse(f)
        let innermost = nest.loops.filter { nest.isInnermost($0.header) }
            .sorted { flow.order[$0.header.index] < flow.order[$1.header.index] }
        let plans = innermost.compactMap { l in plan(f, l, uses).map { (l, $0) } }
        if plans.isEmpty { return }
        var state = State(f, flow)
        var size = f.instructionCount
        for (loop, plan) in plans where size < 20_000 {
            size += loop.blocks.reduce(0) { $0 + f.blocks[$1.index].instructions.count + 1 } + 8 * plan.checks.count + 8
            version(&f, loop, plan.renamed(state.renamed), &state)
        }
    }

    /// What versioning changes that later loops' versioning must see.
    struct State {
        var predecessors: [[BlockID]]
        /// The blocks that use each register (in instructions, terminators or edge arguments).
        var users: [Value: Set<Int>]
        /// Loop values replaced by the exit block's parameters, for the plans made before.
        var renamed: [Value: Value] = [:]
        /// The bits of each constant register (registers are defined once, so this stays true).
        var constants: [Value: UInt64] = [:]

        init(_ f: IRFunction, _ flow: ControlFlow) {
            predecessors = flow.predecessors
            var users: [Value: Set<Int>] = [:]
            for (bi, b) in f.blocks.enumerated() {
                for inst in b.instructions {
                    for v in inst.op.operands { users[v, default: []].insert(bi) }
                    if case .constant(_, let bits) = inst.op, let r = inst.result { constants[r] = bits }
                }
                for v in b.terminator.operands { users[v, default: []].insert(bi) }
            }
            self.users = users
        }

        mutating func added(_ b: BlockID) {
            while predecessors.count <= b.index { predecessors.append([]) }
        }
    }

    struct Plan {
        var counter: Value  // j, a header parameter
        var counterIndex: Int
        var limit: Value  // n
        var exitEdgeIsThen: Bool
        var checks: [(block: BlockID, index: Int, offset: Affine, length: Value)]

        func renamed(_ map: [Value: Value]) -> Plan {
            if map.isEmpty { return self }
            var p = self
            p.limit = map[limit] ?? limit
            p.checks = checks.map { c in
                var offset = c.offset
                offset.terms = offset.terms.map { (map[$0.0] ?? $0.0, $0.negated) }
                return (c.block, c.index, offset, map[c.length] ?? c.length)
            }
            return p
        }
    }

    /// An index as j plus an invariant part: the constant and the invariant registers added
    /// or subtracted.
    struct Affine {
        var constant: Int64 = 0
        var terms: [(Value, negated: Bool)] = []
    }

    func plan(_ f: IRFunction, _ loop: LoopInfo.Loop, _ uses: DefUse) -> Plan? {
        let header = loop.header
        // One latch, one exit: the header's test.
        guard loop.latches.count == 1, case .conditionalBranch(let c, let yes, let no) = f.blocks[header.index].terminator,
              loop.blocks.contains(yes.block) != loop.blocks.contains(no.block) else { return nil }
        for b in loop.blocks where b != header {
            if f.blocks[b.index].terminator.successors.contains(where: { !loop.blocks.contains($0.block) }) { return nil }
        }
        let exitIsThen = !loop.blocks.contains(yes.block)
        guard case .compare(let op, .i64, let left, let right)? = uses.instruction(c, in: f)?.op,
              let (j, n) = Self.counterTest(op, left, right, exitIsThen: exitIsThen, header: f.blocks[header.index]) else { return nil }
        var inLoop = Set<Value>()
        for b in loop.blocks {
            inLoop.formUnion(f.blocks[b.index].parameters)
            for inst in f.blocks[b.index].instructions { if let r = inst.result { inLoop.insert(r) } }
        }
        guard !inLoop.contains(n), let ji = f.blocks[header.index].parameters.firstIndex(of: j) else { return nil }
        // The latch passes j + 1.
        guard let latchEdge = f.blocks[loop.latches[0].index].terminator.successors.first(where: { $0.block == header }),
              ji < latchEdge.arguments.count,
              case .binary(.add, .i64, let x, let one)? = uses.instruction(latchEdge.arguments[ji], in: f)?.op,
              x == j, uses.constant(one, in: f) == 1 else { return nil }
        var checks: [(BlockID, Int, Affine, Value)] = []
        // Blocks in index order: the checks' order decides the test's instructions.
        for b in loop.blocks.sorted() where b != header {
            for (i, inst) in f.blocks[b.index].instructions.enumerated() {
                guard case .check(.index, let args) = inst.op, args.count == 2, !inLoop.contains(args[1]),
                      let affine = affine(args[0], j, inLoop, uses, f, depth: 0) else { continue }
                checks.append((b, i, affine, args[1]))
            }
        }
        if checks.isEmpty { return nil }
        return Plan(counter: j, counterIndex: ji, limit: n, exitEdgeIsThen: exitIsThen, checks: checks)
    }

    /// The counter and the limit of a header test that exits (or continues) once the counter, a
    /// header parameter, reaches the limit: `j >= n` or `n <= j` on the exit edge, `j < n` or
    /// `n > j` on the continue edge.
    static func counterTest(_ op: CompareOp, _ left: Value, _ right: Value, exitIsThen: Bool, header: Block) -> (Value, Value)? {
        let leftIsCounter = header.parameters.contains(left)
        let (j, n) = leftIsCounter ? (left, right) : (right, left)
        guard header.parameters.contains(j) else { return nil }
        // The comparison as "j OP n".
        let normal: CompareOp
        switch (op, leftIsCounter) {
        case (_, true): normal = op
        case (.geS, false): normal = .leS
        case (.gtS, false): normal = .ltS
        case (.leS, false): normal = .geS
        case (.ltS, false): normal = .gtS
        default: return nil
        }
        switch (normal, exitIsThen) {
        case (.geS, true), (.ltS, false): return (j, n)
        default: return nil
        }
    }

    func affine(_ v: Value, _ j: Value, _ inLoop: Set<Value>, _ uses: DefUse, _ f: IRFunction, depth: Int) -> Affine? {
        if v == j { return Affine() }
        guard depth < 8, case .binary(let op, .i64, let a, let b)? = uses.instruction(v, in: f)?.op, op == .add || op == .sub else { return nil }
        func invariantTerm(_ x: Value, negated: Bool) -> Affine? {
            guard !inLoop.contains(x) else { return nil }
            if let k = uses.constant(x, in: f) {
                let s = Int64(bitPattern: k)
                guard s > -(1 << 40), s < 1 << 40 else { return nil }
                return Affine(constant: negated ? -s : s)
            }
            return Affine(constant: 0, terms: [(x, negated)])
        }
        if var left = affine(a, j, inLoop, uses, f, depth: depth + 1), let right = invariantTerm(b, negated: op == .sub) {
            left.constant += right.constant
            left.terms += right.terms
            return left
        }
        if op == .add, var right = affine(b, j, inLoop, uses, f, depth: depth + 1), let left = invariantTerm(a, negated: false) {
            right.constant += left.constant
            right.terms += left.terms
            return right
        }
        return nil
    }
}
