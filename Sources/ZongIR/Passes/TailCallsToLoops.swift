/// tail-calls: a function that calls itself and returns that call's result (`return f(…)`),
/// or the call's result combined with a value computed before it by an associative and
/// commutative operation (`return x + f(…)`, `return f(…) * k`: add, mul, and, or, xor on
/// i32/i64, exact under wrapping), jumps back to its start instead. The combined values go
/// into an accumulator that every other `return v` applies (`return acc op v`), so fib's
/// `fib(n - 1) + fib(n - 2)` keeps one real call and loops for the other.
///
/// Every `realCallInterval`-th iteration makes a real call instead of jumping, so the
/// recursion still grows the native stack, slowly: a runaway recursion ends in `stack
/// overflow` as it would without the pass (natively and interpreted) instead of looping
/// forever, while deep finite recursion needs 1/64 of the stack. The budget is the header's
/// last parameter (`IRFunction.realCallBudget`); W2C's bounded variant of a function whose
/// recursion RecursionBound proves bounded reads it as 1 and makes no real calls, since it
/// runs only where the stack has room for the whole recursion.
///
/// The body moves from the entry block to a loop header whose parameters replace the
/// function's; the entry keeps only the tstack check. Only for functions without slots
/// (after promotion), so no argument can point into a frame that the next iteration reuses,
/// and without a hidden result address.
public struct TailCallsToLoops: FunctionPass {
    public var name: String { "tail-calls" }
    public var summary: String { "turn self tail calls (and accumulating ones) into loops" }
    public init() {}

    public static let realCallInterval: UInt64 = 64

    struct Site {
        var block: Int
        var callee: FunctionID
        var call: Instruction
        var arguments: [Value]
        /// The combining instruction and the value combined with the call's result.
        var combine: (instruction: Instruction, other: Value)?
    }

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        guard f.slots.isEmpty, !f.hasResultAddress, !f.blocks.isEmpty else { return }
        let sites = findSites(f, program)
        if sites.isEmpty { return }
        let ops = Set(sites.compactMap { site -> BinaryOp? in
            if case .binary(let op, _, _, _)? = site.combine?.instruction.op { return op }
            return nil
        })
        // One accumulator: every accumulating site must combine with the same operation.
        guard ops.count <= 1, let resultType = f.resultType ?? (ops.isEmpty ? .i32 : nil) else { return }
        let accumulate = ops.first
        rewrite(&f, sites, accumulate: accumulate, resultType: resultType)
    }

    func findSites(_ f: IRFunction, _ program: IRProgram) -> [Site] {
        func isSelf(_ id: FunctionID) -> Bool {
            id.index < program.functions.count && program.functions[id.index].name == f.name
                && program.functions[id.index].location == f.location && program.functions[id.index].parameterTypes == f.parameterTypes
        }
        let uses = DefUse(f)
        var sites: [Site] = []
        for (bi, b) in f.blocks.enumerated() {
            guard case .returnValue(let r) = b.terminator, let last = b.instructions.last else { continue }
            if case .call(let id, let args) = last.op, isSelf(id), r == last.result {
                sites.append(Site(block: bi, callee: id, call: last, arguments: args))
                continue
            }
            // `c = call self(args); r = op(x, c); ret r` with c used only there.
            guard b.instructions.count >= 2, let r, last.result == r,
                  case .binary(let op, let t, let a, let bOperand) = last.op, Self.isAccumulating(op), t == .i32 || t == .i64 else { continue }
            let call = b.instructions[b.instructions.count - 2]
            guard case .call(let id, let args) = call.op, isSelf(id), let c = call.result, uses.useCounts[c.id] == 1,
                  a == c || bOperand == c, a != bOperand else { continue }
            sites.append(Site(block: bi, callee: id, call: call, arguments: args, combine: (last, a == c ? bOperand : a)))
        }
        return sites
    }

    static func isAccumulating(_ op: BinaryOp) -> Bool {
        switch op {
        case .add, .mul, .and, .or, .xor: true
        default: false
        }
    }

    static func identity(_ op: BinaryOp, _ t: IRType) -> UInt64 {
        switch op {
        case .mul: 1
        case .and: t == .i64 ? UInt64.max : 0xFFFF_FFFF
        default: 0
        }
    }

    func rewrite(_ f: inout IRFunction, _ sites: [Site], accumulate: BinaryOp?, resultType: IRType) {
        let entryParameters = f.blocks[0].parameters
        let header = f.addBlock()
        let loopParameters = entryParameters.map { f.newValue(f.type(of: $0) ?? .i32) }
        let accumulator = accumulate.map { _ in f.newValue(resultType) }
        let budget = f.newValue(.i32)
        f.blocks[header.index].parameters = loopParameters + (accumulator.map { [$0] } ?? []) + [budget]
        let isCheck: (Instruction) -> Bool = { if case .check(.tstack, _) = $0.op { return true } else { return false } }
        f.blocks[header.index].instructions = f.blocks[0].instructions.filter { !isCheck($0) }
        f.blocks[header.index].terminator = f.blocks[0].terminator
        f.blocks[header.index].terminatorLocation = f.blocks[0].terminatorLocation
        f.blocks[0].instructions = f.blocks[0].instructions.filter(isCheck)
        var map: [Value: Value] = [:]
        for (p, q) in zip(entryParameters, loopParameters) { map[p] = q }

        // The other returns apply the accumulator; the sites' blocks now loop or call.
        let siteBlocks = Set(sites.map { $0.block == 0 ? header.index : $0.block })
        if let op = accumulate, let acc = accumulator {
            for bi in f.blocks.indices where bi != 0 && !siteBlocks.contains(bi) {
                guard case .returnValue(let v?) = f.blocks[bi].terminator else { continue }
                let location = f.blocks[bi].terminatorLocation
                let total = f.newValue(resultType)
                f.blocks[bi].instructions.append(Instruction(result: total, op: .binary(op, resultType, acc, v), location: location))
                f.blocks[bi].terminator = .returnValue(total)
            }
        }
        for site in sites {
            let b = site.block == 0 ? header.index : site.block
            let location = site.call.location
            f.blocks[b].instructions.removeLast(site.combine == nil ? 1 : 2)
            let jump = f.addBlock()
            let call = f.addBlock()
            var b0 = Builder(f)
            b0.location = location
            b0.position(at: BlockID(b))
            let zero = b0.constant(.i32, 0)
            let due = b0.value(.compare(.eq, .i32, budget, zero), .i1)
            b0.terminate(.conditionalBranch(due, then: Edge(call, []), else: Edge(jump, [])))
            // The loop: one iteration fewer before the next real call.
            b0.position(at: jump)
            let one = b0.constant(.i32, 1)
            let next = b0.value(.binary(.sub, .i32, budget, one), .i32)
            var carried = site.arguments
            if let op = accumulate, let acc = accumulator {
                let combined = site.combine.map { b0.value(.binary(op, resultType, acc, $0.other), resultType) } ?? acc
                carried.append(combined)
            }
            b0.terminate(.branch(Edge(header, carried + [next])))
            // The real call, with the accumulated part applied to its result.
            b0.position(at: call)
            guard let c = b0.emit(.call(site.callee, site.arguments), f.resultType) else {
                b0.terminate(.returnValue(nil))
                f = b0.function
                continue
            }
            var result = c
            if let op = accumulate, let acc = accumulator {
                if let combine = site.combine { result = b0.value(.binary(op, resultType, combine.other, result), resultType) }
                result = b0.value(.binary(op, resultType, acc, result), resultType)
            }
            b0.terminate(.returnValue(result))
            f = b0.function
        }
        f.replaceUses(map)
        let initial = accumulate.map { op -> [Value] in
            [f.appendConstant(in: IRFunction.entry, resultType, Self.identity(op, resultType))]
        } ?? []
        f.realCallBudget = budget
        let interval = f.appendConstant(in: IRFunction.entry, .i32, Self.realCallInterval)
        f.blocks[0].terminator = .branch(Edge(header, entryParameters + initial + [interval]))
    }

    /// The function's real-call budget if it still only decides between a real self-call and a
    /// jump back: a block parameter every read of which is `budget == c` (a branch's condition)
    /// or `budget - c` (passed back to that parameter only). Then any nonzero value it held would
    /// give the same results, which the back end tells W2C (`BoundedRecursion.budgetLocal`).
    public static func realCallBudget(_ f: IRFunction) -> Value? {
        guard let budget = f.realCallBudget, f.type(of: budget) == .i32,
              let home = f.blocks.indices.first(where: { f.blocks[$0].parameters.contains(budget) }),
              let position = f.blocks[home].parameters.firstIndex(of: budget) else { return nil }
        var conditions: Set<Value> = [], decrements: Set<Value> = []
        for b in f.blocks {
            for inst in b.instructions where inst.op.operands.contains(budget) {
                switch inst.op {
                case .compare(.eq, .i32, budget, _): if let r = inst.result { conditions.insert(r) }
                case .binary(.sub, .i32, budget, _): if let r = inst.result { decrements.insert(r) }
                default: return nil
                }
            }
        }
        for b in f.blocks {
            for inst in b.instructions where inst.op.operands.contains(where: { conditions.contains($0) || decrements.contains($0) }) {
                return nil
            }
            switch b.terminator {
            case .conditionalBranch(let c, let yes, let no):
                if c == budget || decrements.contains(c) { return nil }
                for e in [yes, no] where !passesOnlyBack(e) { return nil }
            case .branch(let e):
                if !passesOnlyBack(e) { return nil }
            default:
                if b.terminator.operands.contains(where: { $0 == budget || conditions.contains($0) || decrements.contains($0) }) { return nil }
            }
        }
        return budget

        // A budget or decrement travels only into the budget's own parameter.
        func passesOnlyBack(_ e: Edge) -> Bool {
            for (i, a) in e.arguments.enumerated() where a == budget || decrements.contains(a) || conditions.contains(a) {
                if conditions.contains(a) || e.block.index != home || i != position { return false }
            }
            return true
        }
    }
}

extension IRFunction {
    /// Appends `const` to a block and returns its register.
    mutating func appendConstant(in block: BlockID, _ t: IRType, _ bits: UInt64) -> Value {
        let v = newValue(t)
        blocks[block.index].instructions.append(Instruction(result: v, op: .constant(t, bits), location: location))
        return v
    }
}
