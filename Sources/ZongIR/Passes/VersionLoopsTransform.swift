extension VersionLoops {
    /// Returns the copy's header.
    func version(_ f: inout IRFunction, _ loop: LoopInfo.Loop, _ plan: Plan, _ state: inout State) {
        let header = loop.header
        let exit = dedicatedExit(&f, loop, plan, &state)
        closeLoopValues(&f, loop, exit, &state)
        let copyHeader = cloneWithoutChecks(&f, loop, plan)
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
        let ok = test(&b, start: entry.arguments[plan.counterIndex], plan, &state.constants)
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
    func cloneWithoutChecks(_ f: inout IRFunction, _ loop: LoopInfo.Loop, _ plan: Plan) -> BlockID {
        let dropped = Set(plan.checks.map { "\($0.block.index):\($0.index)" })
        let (blocks, _) = f.copyBlocks(loop.blocks.sorted(), rewrite: { b, i, op in
            if dropped.contains("\(b.index):\(i)"), case .check(.index, let args) = op { return .check(.provenIndex, args) }
            return op
        }, target: { b, copies in copies[b] ?? b })
        return blocks[loop.header] ?? loop.header
    }

    /// i1: every planned check passes on every iteration. Each condition is written once, and
    /// not at all when constants decide it (the test runs on every entry to the loop: in a
    /// recursive function, on every call).
    func test(_ b: inout Builder, start a: Value, _ plan: Plan, _ constants: inout [Value: UInt64]) -> Value {
        var known = constants
        defer { constants = known }
        func constant(_ bits: UInt64) -> Value {
            let v = b.constant(.i64, bits)
            known[v] = bits
            return v
        }
        var sums: [[Int]: Value] = [:]
        func add(_ x: Value, _ y: Value, negated: Bool = false) -> Value {
            if let cy = known[y], cy == 0 { return x }
            if !negated, let cx = known[x], cx == 0 { return y }
            if let cx = known[x], let cy = known[y] { return constant(negated ? cx &- cy : cx &+ cy) }
            let key = [negated ? 1 : 0, x.id, y.id]
            if let sum = sums[key] { return sum }
            let sum = b.value(.binary(negated ? .sub : .add, .i64, x, y), .i64)
            sums[key] = sum
            return sum
        }
        var seen = Set<RangeFacts.Fact>()
        var conditions: [Value] = []
        func require(_ op: CompareOp, _ x: Value, _ y: Value) {
            if let cx = known[x], let cy = known[y], IRInterpreter.compare(op, .i64, cx, cy) { return }
            guard seen.insert(RangeFacts.Fact(op: op, a: x, b: y)).inserted else { return }
            conditions.append(b.value(.compare(op, .i64, x, y), .i1))
        }
        let limit = constant(Self.bound)
        let negativeLimit = constant(UInt64(bitPattern: -Int64(Self.bound)))
        let zero = constant(0)
        require(.geS, a, zero)
        require(.leS, a, limit)
        require(.leS, plan.limit, limit)
        for check in plan.checks {
            var c = constant(UInt64(bitPattern: check.offset.constant))
            for (term, negated) in check.offset.terms {
                require(.leS, term, limit)
                require(.geS, term, negativeLimit)
                c = add(c, term, negated: negated)
            }
            require(.leS, c, limit)
            require(.geS, c, negativeLimit)
            require(.geS, add(a, c), zero)
            require(.leS, add(plan.limit, c), check.length)
        }
        guard let first = conditions.first else { return b.constant(.i1, 1) }
        var all = b.value(.cast(.boolToI32, first), .i32)
        for c in conditions.dropFirst() {
            all = b.value(.binary(.and, .i32, all, b.value(.cast(.boolToI32, c), .i32)), .i32)
        }
        return b.value(.cast(.i32ToBool, all), .i1)
    }
}
