/// licm: computations whose operands do not change in a loop move to the loop's preheader
/// (the header's only predecessor outside the loop; one is made when there is none). Moved:
/// operations without effects, and loads whose address is invariant and that nothing in the
/// loop may write (AliasAnalysis). Zong addresses always point into memory, so a hoisted load
/// cannot fault where the loop would not have run; element loads, whose index a check guards,
/// stay. Checks and stores never move.
public struct HoistInvariants: FunctionPass {
    public var name: String { "licm" }
    public var summary: String { "move loop-invariant computations and loads out of loops" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        // One loop at a time, innermost first; the CFG changes when a preheader is added.
        var done: Set<BlockID> = []
        while true {
            let flow = ControlFlow(f)
            let dominators = Dominators(f, flow)
            let loops = LoopInfo(f, flow, dominators).loops
            guard let loop = loops.first(where: { !done.contains($0.header) }) else { return }
            done.insert(loop.header)
            hoist(&f, loop, flow)
        }
    }

    func hoist(_ f: inout IRFunction, _ loop: LoopInfo.Loop, _ flow: ControlFlow) {
        let outside = flow.predecessors[loop.header.index].filter { !loop.blocks.contains($0) }
        guard !outside.isEmpty else { return }
        let preheader = self.preheader(&f, loop, outside)
        var definedInLoop = Set<Value>()
        var writes: [Op] = []
        for b in loop.blocks {
            definedInLoop.formUnion(f.blocks[b.index].parameters)
            for inst in f.blocks[b.index].instructions {
                if let r = inst.result { definedInLoop.insert(r) }
                if inst.op.mayWrite { writes.append(inst.op) }
            }
        }
        let alias = AliasAnalysis(f)
        var hoisted: [Instruction] = []
        // Blocks in reverse post-order, so a definition is considered before its uses.
        let order = flow.reversePostOrder.filter { loop.blocks.contains($0) }
        var changed = true
        while changed {
            changed = false
            for b in order {
                var kept: [Instruction] = []
                for inst in f.blocks[b.index].instructions {
                    if let r = inst.result, canHoist(inst.op, definedInLoop, writes, alias) {
                        hoisted.append(inst)
                        definedInLoop.remove(r)
                        changed = true
                    } else {
                        kept.append(inst)
                    }
                }
                f.blocks[b.index].instructions = kept
            }
        }
        f.blocks[preheader.index].instructions += hoisted
    }

    func canHoist(_ op: Op, _ definedInLoop: Set<Value>, _ writes: [Op], _ alias: AliasAnalysis) -> Bool {
        guard op.operands.allSatisfy({ !definedInLoop.contains($0) }) else { return false }
        switch op {
        case .load(_, let w, let address):
            if case .memory(_, _, .elements) = address { return false }
            return !writes.contains { alias.mayClobber($0, address, w.bytes) }
        case .slotAddress:
            return false  // cheap, and keeping it next to its use helps nothing by moving
        default:
            return op.isPure
        }
    }

    /// The block before the header that every entry into the loop passes: the only outside
    /// predecessor when it branches only to the header, else a new block the outside edges
    /// are redirected to.
    func preheader(_ f: inout IRFunction, _ loop: LoopInfo.Loop, _ outside: [BlockID]) -> BlockID {
        if outside.count == 1, case .branch(let e) = f.blocks[outside[0].index].terminator, e.block == loop.header {
            return outside[0]
        }
        let header = loop.header
        let p = f.addBlock()
        let parameters = f.blocks[header.index].parameters.map { f.newValue(f.type(of: $0) ?? .i32) }
        f.blocks[p.index].parameters = parameters
        f.blocks[p.index].terminator = .branch(Edge(header, parameters))
        f.blocks[p.index].terminatorLocation = f.blocks[header.index].terminatorLocation
        for o in outside {
            f.blocks[o.index].terminator = f.blocks[o.index].terminator.mapEdges { $0.block == header ? Edge(p, $0.arguments) : $0 }
        }
        return p
    }
}
