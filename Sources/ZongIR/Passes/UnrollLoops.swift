/// unroll: a small innermost loop gets a second copy of its body, so one trip round the back
/// edge runs two iterations. The copy keeps the header's exit test, so no trip count is needed
/// and every check and exit happens on the same iteration as before: the program does the
/// same operations in the same order. What changes is the shape the C compiler sees: a
/// longer straight-line body, in which it overlaps two iterations' work and turns a
/// loop-carried `select` chain (a running minimum) into predictable branches where that pays
/// (x86's cmov conversion weighs the gain per trip; one iteration's gain stays below its
/// threshold, two iterations' does not: editdist's two `min` steps, docs/performance.md).
///
/// It applies to an innermost loop when
/// - only the header leaves the loop, by one edge of its conditional branch (a `loop` whose
///   exit test comes first: `for`-like loops; a loop that also breaks or returns from its body
///   is left alone);
/// - the body holds no call (its cost would hide the gain) and at most `sizeLimit`
///   instructions, so code grows by a bounded amount per loop;
/// - the loop keeps a check that can fail. Each such check is one more way out of every
///   iteration, and C compilers do not unroll a loop with several exits. A loop whose only
///   exit is its test is theirs to unroll and vectorize with a trip count, which they do
///   better (a stencil's check-free versioned loop ran 0.54 s, 0.79 s copied here).
/// Values of the header used after the loop reach the code after it through one new exit
/// block, whose parameters both copies' headers pass.
public struct UnrollLoops: FunctionPass {
    public var name: String { "unroll" }
    public var summary: String { "copy a small innermost loop's body once, so a trip runs two iterations (each keeps its exit test)" }
    public init() {}

    /// Instructions (terminators included) a loop may have to be copied.
    public static let sizeLimit = 48

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        guard Self.mayHaveLoopWithCheck(f) else { return }
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        let nest = LoopNest(f, flow, dominators)
        var plans: [Plan] = []
        for loop in nest.loops where nest.isInnermost(loop.header) {
            if let plan = plan(f, loop) { plans.append(plan) }
        }
        if plans.isEmpty { return }
        closeHeaderValues(&f, &plans)
        for plan in plans { unroll(&f, plan) }
    }

    /// A cheap test before any analysis: a loop needs a cycle, and every cycle has an edge to a
    /// block whose index is not above its source's; the loop also needs a check that can fail.
    static func mayHaveLoopWithCheck(_ f: IRFunction) -> Bool {
        var backward = false, check = false
        for (i, block) in f.blocks.enumerated() {
            if !backward {
                let (a, b) = block.terminator.successorBlocks
                backward = (a.map { $0.index <= i } ?? false) || (b.map { $0.index <= i } ?? false)
            }
            if !check {
                check = block.instructions.contains {
                    if case .check(let kind, _) = $0.op { kind != .provenIndex } else { false }
                }
            }
            if backward && check { return true }
        }
        return false
    }

    struct Plan {
        var header: BlockID
        var blocks: [BlockID]
        /// The header's edge out of the loop, and whether it is the branch's `then` side.
        var exit: Edge
        var exitIsThen: Bool
        /// Header values code outside the loop uses, and the new exit block's parameters for them.
        var live: [Value] = []
        var exitBlock = BlockID(0)
    }

    func plan(_ f: IRFunction, _ loop: LoopInfo.Loop) -> Plan? {
        let header = loop.header
        guard case .conditionalBranch(_, let yes, let no) = f.blocks[header.index].terminator else { return nil }
        let yesLeaves = !loop.blocks.contains(yes.block), noLeaves = !loop.blocks.contains(no.block)
        guard yesLeaves != noLeaves else { return nil }
        var size = 0
        var mayFail = false
        for b in loop.blocks {
            let block = f.blocks[b.index]
            size += block.instructions.count + 1
            guard size <= Self.sizeLimit else { return nil }
            for inst in block.instructions {
                switch inst.op {
                case .call, .callExtern, .builtin: return nil
                case .check(let kind, _): mayFail = mayFail || kind != .provenIndex
                default: break
                }
            }
            if b != header {
                for e in block.terminator.successors where !loop.blocks.contains(e.block) { return nil }
            }
        }
        guard mayFail else { return nil }
        return Plan(header: header, blocks: loop.blocks.sorted(),
                    exit: yesLeaves ? yes : no, exitIsThen: yesLeaves)
    }

    /// Gives every plan its exit block and routes the header values used outside its loop
    /// through that block's parameters. One walk over the function for all loops: only a
    /// header's values can be used outside, since only the header reaches the exit.
    func closeHeaderValues(_ f: inout IRFunction, _ plans: inout [Plan]) {
        var loopOfBlock = [Int](repeating: -1, count: f.blocks.count)
        var loopOfValue: [Value: Int] = [:]
        for (p, plan) in plans.enumerated() {
            for b in plan.blocks { loopOfBlock[b.index] = p }
            let header = f.blocks[plan.header.index]
            for v in header.parameters { loopOfValue[v] = p }
            for inst in header.instructions { if let r = inst.result { loopOfValue[r] = p } }
        }
        var used = [Set<Value>](repeating: [], count: plans.count)
        for (p, plan) in plans.enumerated() {
            for v in plan.exit.arguments where loopOfValue[v] == p { used[p].insert(v) }
        }
        var outsideUsers: [Int] = []
        for bi in f.blocks.indices {
            let block = f.blocks[bi]
            var uses = false
            func note(_ v: Value) {
                guard let p = loopOfValue[v], loopOfBlock[bi] != p else { return }
                used[p].insert(v)
                uses = true
            }
            for inst in block.instructions { inst.op.operands.forEach(note) }
            block.terminator.operands.forEach(note)
            if uses { outsideUsers.append(bi) }
        }
        var renamed: [Value: Value] = [:]
        for p in plans.indices {
            let live = used[p].sorted { $0.id < $1.id }
            let exitBlock = f.addBlock()
            var parameters: [Value] = []
            for v in live {
                let param = f.newValue(f.type(of: v) ?? .i32)
                parameters.append(param)
                renamed[v] = param
            }
            let exit = plans[p].exit
            f.blocks[exitBlock.index].parameters = parameters
            f.blocks[exitBlock.index].terminator = .branch(Edge(exit.block, exit.arguments.map { renamed[$0] ?? $0 }))
            f.blocks[exitBlock.index].terminatorLocation = f.blocks[plans[p].header.index].terminatorLocation
            plans[p].live = live
            plans[p].exitBlock = exitBlock
        }
        // The walk above ran before the exit blocks existed; none of them is in `outsideUsers`.
        for bi in outsideUsers {
            let p = loopOfBlock[bi]
            func rename(_ v: Value) -> Value {
                guard let q = loopOfValue[v], q != p else { return v }
                return renamed[v] ?? v
            }
            for ii in f.blocks[bi].instructions.indices {
                f.blocks[bi].instructions[ii].op = f.blocks[bi].instructions[ii].op.mapOperands(rename)
            }
            f.blocks[bi].terminator = f.blocks[bi].terminator.mapOperands(rename)
        }
    }

    /// Copies the loop's blocks with fresh registers. The original's back edges enter the
    /// copy's header and the copy's enter the original's; both headers leave through the exit
    /// block.
    func unroll(_ f: inout IRFunction, _ plan: Plan) {
        // Inside the copy, an edge to the header is a back edge: it returns to the original.
        let (blocks, values) = f.copyBlocks(plan.blocks, target: { b, copies in
            b == plan.header ? plan.header : copies[b] ?? b
        })
        guard let copyHeader = blocks[plan.header] else { return }
        for b in plan.blocks {
            f.blocks[b.index].terminator = f.blocks[b.index].terminator.mapEdges { e in
                e.block == plan.header ? Edge(copyHeader, e.arguments) : e
            }
        }
        leaveThroughExitBlock(&f, plan.header, plan, plan.live)
        leaveThroughExitBlock(&f, copyHeader, plan, plan.live.map { values[$0] ?? $0 })
    }

    func leaveThroughExitBlock(_ f: inout IRFunction, _ header: BlockID, _ plan: Plan, _ live: [Value]) {
        guard case .conditionalBranch(let c, let yes, let no) = f.blocks[header.index].terminator else { return }
        let exit = Edge(plan.exitBlock, live)
        f.blocks[header.index].terminator = plan.exitIsThen
            ? .conditionalBranch(c, then: exit, else: no) : .conditionalBranch(c, then: yes, else: exit)
    }
}
