/// When tail-calls may drop its real-call budget: the loop provably counts a parameter down to
/// a guard and so ends by itself. The function must start with `if p < L` (or `p <= L`;
/// signed, L a constant) whose other branch is the only way to every tail call, and every tail
/// call must pass `p - c` for a constant c >= 1 in that parameter. Each iteration then starts
/// with p >= L and ends with p - c, which cannot wrap, so a loop entered with
/// p <= L + `shortCountdown` runs at most that many iterations plus one.
///
/// Such a countdown gets a second copy of the loop without the budget, entered when the
/// argument is that close to the guard; a longer countdown (`f(0 - 1)` on an I64 parameter
/// would take 2^63 iterations) keeps the budget, so it still ends in `stack overflow` as the
/// recursion would, instead of running for years.
struct Countdown {
    static let shortCountdown: Int64 = 1 << 20

    /// The counted parameter's index and the last argument that takes the short loop.
    var parameter: Int
    var threshold: Int64
    var type: IRType

    static func find(_ f: IRFunction, _ sites: [TailCallsToLoops.Site]) -> Countdown? {
        guard !f.blocks.isEmpty, case .conditionalBranch(let c, let small, let rest) = f.blocks[0].terminator,
              small.block != rest.block, rest.block.index != 0 else { return nil }
        let uses = DefUse(f)
        let parameters = f.blocks[0].parameters
        guard case .compare(let op, let t, let p, let bound)? = uses.instruction(c, in: f)?.op,
              op == .ltS || op == .leS, t == .i64 || t == .i32,
              let k = parameters.firstIndex(of: p), let bits = uses.constant(bound, in: f) else { return nil }
        let limit: Int64 = t == .i64 ? 1 << 40 : 1 << 28
        var guardValue = t == .i64 ? Int64(bitPattern: bits) : Int64(Int32(truncatingIfNeeded: bits))
        if op == .leS { guardValue += 1 }  // p <= L exits: the loop runs while p >= L + 1
        guard guardValue > -limit, guardValue < limit else { return nil }
        // The rest branch is the only way into the tail calls.
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        guard flow.predecessors[rest.block.index] == [IRFunction.entry], rest.arguments.isEmpty else { return nil }
        for site in sites {
            guard site.block != 0, dominators.dominates(rest.block, BlockID(site.block)), k < site.arguments.count,
                  case .binary(.sub, t, p, let step)? = uses.instruction(site.arguments[k], in: f)?.op,
                  let stepBits = uses.constant(step, in: f) else { return nil }
            let stepValue = t == .i64 ? Int64(bitPattern: stepBits) : Int64(Int32(truncatingIfNeeded: stepBits))
            guard stepValue >= 1, stepValue <= shortCountdown else { return nil }
        }
        return Countdown(parameter: k, threshold: guardValue + shortCountdown, type: t)
    }

    /// Copies the loop (every block but the entry) with each tail call jumping back without
    /// the budget, and enters the copy from the entry when the counter is at most `threshold`.
    /// The copy's budget parameter and real calls become dead; dce and simplify-cfg remove them.
    func addShortLoop(_ f: inout IRFunction, header: BlockID, loops: [(site: Int, jump: BlockID, call: BlockID)], interval: Value,
                      counter: Value, arguments: [Value]) {
        let original = f.blocks.indices.filter { $0 != 0 }
        var blocks: [Int: BlockID] = [:]
        for b in original { blocks[b] = f.addBlock() }
        var values: [Value: Value] = [:]
        for b in original {
            for p in f.blocks[b].parameters { values[p] = f.newValue(f.type(of: p) ?? .i32) }
            for inst in f.blocks[b].instructions {
                if let r = inst.result { values[r] = f.newValue(f.type(of: r) ?? .i32) }
            }
        }
        func value(_ v: Value) -> Value { values[v] ?? v }
        func block(_ b: BlockID) -> BlockID { blocks[b.index] ?? b }
        for b in original {
            let source = f.blocks[b]
            var copy = Block(parameters: source.parameters.map(value))
            copy.instructions = source.instructions.map {
                Instruction(result: $0.result.map(value), op: $0.op.mapOperands(value), location: $0.location)
            }
            copy.terminator = source.terminator.mapOperands(value).mapEdges { Edge(block($0.block), $0.arguments) }
            copy.terminatorLocation = source.terminatorLocation
            f.blocks[block(BlockID(b)).index] = copy
        }
        for (site, jump, _) in loops {
            let copiedJump = block(jump)
            f.blocks[block(BlockID(site)).index].terminator = .branch(Edge(copiedJump, []))
            if case .branch(let e) = f.blocks[copiedJump.index].terminator, !e.arguments.isEmpty {
                f.blocks[copiedJump.index].terminator = .branch(Edge(e.block, e.arguments.dropLast() + [interval]))
            }
        }
        let location = f.blocks[0].terminatorLocation
        let bits = type == .i64 ? UInt64(bitPattern: threshold) : UInt64(UInt32(truncatingIfNeeded: threshold))
        let bound = f.appendConstant(in: IRFunction.entry, type, bits)
        let short = f.newValue(.i1)
        f.blocks[0].instructions.append(Instruction(result: short, op: .compare(.leS, type, counter, bound), location: location))
        f.blocks[0].terminator = .conditionalBranch(short, then: Edge(block(header), arguments), else: Edge(header, arguments))
    }
}
