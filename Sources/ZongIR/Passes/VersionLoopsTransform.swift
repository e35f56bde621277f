extension VersionLoops {
    /// Returns the copy's header.
    func version(_ f: inout IRFunction, _ loop: LoopInfo.Loop, _ plan: Plan, _ state: inout State) {
        let header = loop.header
        let exit = dedicatedExit(&f, loop, plan, &state)
        closeLoopValues(&f, loop, exit, &state)
        let (copyHeader, _) = cloneWithoutChecks(&f, loop, plan, exit)
        let outside = state.predecessors[header.index].filter { !loop.blocks.contains($0) }
        let preheader = HoistInvariants().preheader(&f, loop, outside)
        if preheader.index >= state.predecessors.count {
            state.added(preheader)
            state.predecessors[preheader.index] = outside
            state.predecessors[header.index] = state.predecessors[header.index].filter { loop.blocks.contains($0) } + [preheader]
        }
        guard case .branch(let entry) = f.blocks[preheader.index].terminator,
              plan.counterIndex < entry.arguments.count else { return }
        var b = Builder(f)
        b.position(at: preheader)
        b.location = f.blocks[preheader.index].terminatorLocation
        // Continue the preheader's instructions: the builder appends after them.
        let ok = test(&b, start: entry.arguments[plan.counterIndex], plan)
        b.terminate(.conditionalBranch(ok, then: Edge(copyHeader, entry.arguments), else: entry))
        f = b.function
    }

    /// The header's exit edge goes to a new block that only the loop (and later its copy)
    /// reaches.
    func dedicatedExit(_ f: inout IRFunction, _ loop: LoopInfo.Loop, _ plan: Plan, _ state: inout State) -> BlockID {
        let header = loop.header
        guard case .conditionalBranch(let c, let yes, let no) = f.blocks[header.index].terminator else { return header }
        let target = plan.exitEdgeIsThen ? yes : no
        let exit = f.addBlock()
        state.added(exit)
        state.predecessors[exit.index] = [header]
        state.predecessors[target.block.index] = state.predecessors[target.block.index].map { $0 == header ? exit : $0 }
        f.blocks[exit.index].terminator = .branch(target)
        f.blocks[exit.index].terminatorLocation = f.blocks[header.index].terminatorLocation
        f.blocks[header.index].terminator = plan.exitEdgeIsThen
            ? .conditionalBranch(c, then: Edge(exit), else: no) : .conditionalBranch(c, then: yes, else: Edge(exit))
        return exit
    }

    /// Values the loop defines and code after it uses become parameters of the exit block, so
    /// both copies of the loop can pass their own.
    func closeLoopValues(_ f: inout IRFunction, _ loop: LoopInfo.Loop, _ exit: BlockID, _ state: inout State) {
        var inLoop = Set<Value>()
        var userBlocks = Set<Int>()
        for b in loop.blocks {
            var defined = f.blocks[b.index].parameters
            for inst in f.blocks[b.index].instructions { if let r = inst.result { defined.append(r) } }
            inLoop.formUnion(defined)
            for v in defined { userBlocks.formUnion(state.users[v] ?? []) }
        }
        let outsideUsers = userBlocks.filter { !loop.blocks.contains(BlockID($0)) }.sorted()
        var used: [Value] = []
        var seen = Set<Value>()
        for bi in outsideUsers {
            let block = f.blocks[bi]
            let operands = block.instructions.flatMap(\.op.operands) + block.terminator.operands
            for v in operands where inLoop.contains(v) && seen.insert(v).inserted { used.append(v) }
        }
        if used.isEmpty { return }
        var map: [Value: Value] = [:]
        for v in used { map[v] = f.newValue(f.type(of: v) ?? .i32) }
        f.blocks[exit.index].parameters = used.compactMap { map[$0] }
        for bi in outsideUsers {
            for ii in f.blocks[bi].instructions.indices {
                f.blocks[bi].instructions[ii].op = f.blocks[bi].instructions[ii].op.mapOperands { map[$0] ?? $0 }
            }
            f.blocks[bi].terminator = f.blocks[bi].terminator.mapOperands { map[$0] ?? $0 }
        }
        for (old, new) in map {
            state.renamed[old] = new
            state.users[new] = Set(outsideUsers)
        }
        f.blocks[loop.header.index].terminator = f.blocks[loop.header.index].terminator.mapEdges {
            $0.block == exit ? Edge(exit, used) : $0
        }
    }

    /// A copy of the loop's blocks with fresh registers, its planned checks proven
    /// (`check proven-index`: they cannot fail there, and the back end shows W2C the fact).
    func cloneWithoutChecks(_ f: inout IRFunction, _ loop: LoopInfo.Loop, _ plan: Plan, _ exit: BlockID) -> (BlockID, [BlockID: BlockID]) {
        var blocks: [BlockID: BlockID] = [:]
        for b in loop.blocks.sorted() { blocks[b] = f.addBlock() }
        var values: [Value: Value] = [:]
        for b in loop.blocks {
            for p in f.blocks[b.index].parameters { values[p] = f.newValue(f.type(of: p) ?? .i32) }
            for inst in f.blocks[b.index].instructions {
                if let r = inst.result { values[r] = f.newValue(f.type(of: r) ?? .i32) }
            }
        }
        let dropped = Set(plan.checks.map { "\($0.block.index):\($0.index)" })
        func value(_ v: Value) -> Value { values[v] ?? v }
        for b in loop.blocks {
            let source = f.blocks[b.index]
            var copy = Block(parameters: source.parameters.map(value))
            for (i, inst) in source.instructions.enumerated() {
                var op = inst.op.mapOperands(value)
                if dropped.contains("\(b.index):\(i)"), case .check(.index, let args) = op { op = .check(.provenIndex, args) }
                if case .load(let t, let w, .slot(let s, let o)) = inst.op { op = .load(t, w, .slot(s, offset: o)) }
                copy.instructions.append(Instruction(result: inst.result.map(value), op: op, location: inst.location))
            }
            copy.terminator = source.terminator.mapOperands(value).mapEdges { e in
                Edge(blocks[e.block] ?? e.block, e.arguments)
            }
            copy.terminatorLocation = source.terminatorLocation
            if let target = blocks[b] { f.blocks[target.index] = copy }
        }
        return (blocks[loop.header] ?? loop.header, blocks)
    }

    /// i1: every planned check passes on every iteration.
    func test(_ b: inout Builder, start a: Value, _ plan: Plan) -> Value {
        let limit = b.constant(.i64, Self.bound)
        let negativeLimit = b.constant(.i64, UInt64(bitPattern: -Int64(Self.bound)))
        let zero = b.constant(.i64, 0)
        var conditions: [Value] = [
            b.value(.compare(.geS, .i64, a, zero), .i1),
            b.value(.compare(.leS, .i64, a, limit), .i1),
            b.value(.compare(.leS, .i64, plan.limit, limit), .i1),
        ]
        for check in plan.checks {
            var c = b.constant(.i64, UInt64(bitPattern: check.offset.constant))
            for (term, negated) in check.offset.terms {
                conditions.append(b.value(.compare(.leS, .i64, term, limit), .i1))
                conditions.append(b.value(.compare(.geS, .i64, term, negativeLimit), .i1))
                c = b.value(.binary(negated ? .sub : .add, .i64, c, term), .i64)
            }
            conditions.append(b.value(.compare(.leS, .i64, c, limit), .i1))
            conditions.append(b.value(.compare(.geS, .i64, c, negativeLimit), .i1))
            let first = b.value(.binary(.add, .i64, a, c), .i64)
            conditions.append(b.value(.compare(.geS, .i64, first, zero), .i1))
            let end = b.value(.binary(.add, .i64, plan.limit, c), .i64)
            conditions.append(b.value(.compare(.leS, .i64, end, check.length), .i1))
        }
        var all = b.value(.cast(.boolToI32, conditions[0]), .i32)
        for c in conditions.dropFirst() {
            all = b.value(.binary(.and, .i32, all, b.value(.cast(.boolToI32, c), .i32)), .i32)
        }
        return b.value(.cast(.i32ToBool, all), .i1)
    }
}
