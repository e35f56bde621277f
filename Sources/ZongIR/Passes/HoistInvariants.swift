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
        // Every loop gets its preheader first, so one analysis of the final CFG serves all
        // loops (hoisting moves instructions, never edges): linear in the function's size
        // times its loop depth, however many loops it has.
        var flow = ControlFlow(f)
        var dominators = Dominators(f, flow)
        var loops = LoopInfo(f, flow, dominators).loops
        var added = false
        for loop in loops {
            let outside = flow.predecessors[loop.header.index].filter { !loop.blocks.contains($0) }
            guard !outside.isEmpty else { continue }
            let before = f.blocks.count
            _ = preheader(&f, loop, outside)
            added = added || f.blocks.count != before
        }
        if added {
            flow = ControlFlow(f)
            dominators = Dominators(f, flow)
            loops = LoopInfo(f, flow, dominators).loops
        }
        let alias = AliasAnalysis(f)
        // Constants, for divisions that may move (once per function: linear).
        var constants: [Value: UInt64] = [:]
        for b in f.blocks {
            for inst in b.instructions {
                if case .constant(_, let bits) = inst.op, let r = inst.result { constants[r] = bits }
            }
        }
        for loop in loops {  // innermost first: what leaves an inner loop may leave its parent
            let outside = flow.predecessors[loop.header.index].filter { !loop.blocks.contains($0) }
            guard outside.count == 1, case .branch(let e) = f.blocks[outside[0].index].terminator,
                  e.block == loop.header else { continue }
            hoist(&f, loop, into: outside[0], flow, alias, constants)
        }
    }

    func hoist(_ f: inout IRFunction, _ loop: LoopInfo.Loop, into preheader: BlockID, _ flow: ControlFlow, _ alias: AliasAnalysis,
               _ constants: [Value: UInt64]) {
        var definedInLoop = Set<Value>()
        var writes = WriteSummary(alias)
        for b in loop.blocks {
            definedInLoop.formUnion(f.blocks[b.index].parameters)
            for inst in f.blocks[b.index].instructions {
                if let r = inst.result { definedInLoop.insert(r) }
                if inst.op.mayWrite { writes.add(inst.op) }
            }
        }
        var hoisted: [Instruction] = []
        // Blocks in reverse post-order, so a definition is considered before its uses.
        let order = loop.blocks.filter(flow.isReachable).sorted { flow.order[$0.index] < flow.order[$1.index] }
        var changed = true
        while changed {
            changed = false
            for b in order {
                var kept: [Instruction] = []
                for inst in f.blocks[b.index].instructions {
                    if let r = inst.result, canHoist(inst.op, definedInLoop, writes),
                       inst.op.isSafeToSpeculate(constant: { constants[$0] }) {
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

    func canHoist(_ op: Op, _ definedInLoop: Set<Value>, _ writes: WriteSummary) -> Bool {
        guard op.operands.allSatisfy({ !definedInLoop.contains($0) }) else { return false }
        switch op {
        case .load(_, let w, let address):
            if case .memory(_, _, .elements) = address { return false }
            return !writes.mayClobber(address, w.bytes)
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
