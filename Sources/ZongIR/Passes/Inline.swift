/// inline: a call of a small function is replaced by a copy of the callee's blocks, so the
/// caller's passes see through it (struct arguments and results then live in the caller's
/// slots, which slot-addresses and promote-slots turn into registers). A callee qualifies when
/// it is not the entry point, not the caller itself, and has at most `budget` instructions, or
/// at most `singleCallBudget` when the program calls it from one place only (the copy then
/// replaces the only call; clang drops the uncalled original from the C). Each run inlines one
/// level, so recursion cannot unfold without bound, and a caller stops growing once it reaches
/// `callerLimit` instructions.
public struct Inline: FunctionPass {
    public var name: String { "inline" }
    public var summary: String { "copy small callees into their callers (size budget)" }
    public var readsOtherFunctions: Bool { true }
    public var budget = 60
    public var singleCallBudget = 1000
    public var callerLimit = 4000
    /// For each function, whether exactly one call in the program names it (`prepared`).
    var calledOnce: [Bool] = []
    public init() {}

    /// Counts every function's call sites once per run of the pass over the program.
    public func prepared(for program: IRProgram) -> any FunctionPass {
        var counts = [Int](repeating: 0, count: program.functions.count)
        for f in program.functions {
            for b in f.blocks {
                for inst in b.instructions {
                    if case .call(let id, _) = inst.op, id.index >= 0, id.index < counts.count { counts[id.index] += 1 }
                }
            }
        }
        var copy = self
        copy.calledOnce = counts.map { $0 == 1 }
        return copy
    }

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        // The caller's own code: its blocks, and the continuation blocks that receive the rest
        // of a block after an inlined call. Copied callee blocks are not scanned again.
        var work = Array(f.blocks.indices.reversed())
        var size = f.instructionCount  // kept up to date, not recounted per call
        while let b = work.popLast() {
            for i in f.blocks[b].instructions.indices {
                if size < callerLimit, case .call(let id, let args) = f.blocks[b].instructions[i].op,
                   id.index < program.functions.count, qualifies(program.functions[id.index], id, caller: f) {
                    let callee = program.functions[id.index]
                    let continuation = inline(&f, block: b, index: i, callee: callee, arguments: args)
                    size += callee.instructionCount + 1
                    work.append(continuation.index)
                    break
                }
            }
        }
    }

    func qualifies(_ callee: IRFunction, _ id: FunctionID, caller: IRFunction) -> Bool {
        // Library code keeps its own frame so its errors keep naming it.
        // The size last: counted only up to the budget (it is asked at every call site).
        let limit = id.index < calledOnce.count && calledOnce[id.index] ? singleCallBudget : budget
        return !callee.isEntryPoint && !callee.isLibrary && !callee.blocks.isEmpty && callee.name != caller.name
            && callee.instructionCount(upTo: limit + 1) <= limit
    }

    /// Returns the continuation block.
    @discardableResult
    func inline(_ f: inout IRFunction, block b: Int, index i: Int, callee: IRFunction, arguments: [Value]) -> BlockID {
        let call = f.blocks[b].instructions[i]
        // The continuation: what followed the call; the call's result becomes its parameter.
        let continuation = f.addBlock()
        f.blocks[continuation.index].parameters = call.result.map { [$0] } ?? []
        // The block keeps a copy of what precedes the call; the rest moves to the continuation
        // in place. (Copying the rest instead cost the block's length per inlined call: a block
        // of many calls was quadratic, as the continuation is scanned for the next call.)
        var rest = f.blocks[b].instructions
        f.blocks[b].instructions = Array(rest[..<i])
        rest.removeSubrange(...i)
        f.blocks[continuation.index].instructions = rest
        f.blocks[continuation.index].terminator = f.blocks[b].terminator
        f.blocks[continuation.index].terminatorLocation = f.blocks[b].terminatorLocation

        // The caller's register for each of the callee's, by id: the arguments for the entry
        // parameters, fresh ones for the rest.
        var values = [Value?](repeating: nil, count: callee.valueTypes.count)
        for (p, a) in zip(callee.blocks[0].parameters, arguments) where p.id >= 0 && p.id < values.count { values[p.id] = a }
        for id in callee.valueTypes.indices where values[id] == nil {
            values[id] = f.newValue(callee.valueTypes[id])
        }
        let firstBlock = f.blocks.count
        let firstSlot = f.slots.count
        f.slots += callee.slots.map { Slot(name: "\(callee.name).\($0.name)", size: $0.size, alignment: $0.alignment) }
        for _ in callee.blocks { _ = f.addBlock() }
        func value(_ v: Value) -> Value { v.id >= 0 && v.id < values.count ? values[v.id] ?? v : v }
        func block(_ x: BlockID) -> BlockID { BlockID(firstBlock + x.index) }
        func address(_ a: Address) -> Address {
            switch a {
            case .slot(let s, let o): .slot(SlotID(firstSlot + s.index), offset: o)
            case .memory(let v, let o, let r): .memory(value(v), offset: o, region: r)
            }
        }
        for (k, source) in callee.blocks.enumerated() {
            var copy = Block()
            copy.parameters = k == 0 ? [] : source.parameters.map(value)
            for inst in source.instructions {
                if case .check(.tstack, _) = inst.op { continue }  // the caller's frame holds the slots
                let op: Op
                switch inst.op {
                case .slotAddress(let s): op = .slotAddress(SlotID(firstSlot + s.index))
                case .load(let t, let w, let a): op = .load(t, w, address(a))
                case .store(let w, let a, let v): op = .store(w, address(a), value(v))
                default: op = inst.op.mapOperands(value)
                }
                copy.instructions.append(Instruction(result: inst.result.map(value), op: op, location: inst.location))
            }
            switch source.terminator {
            case .returnValue(let v):
                copy.terminator = .branch(Edge(continuation, v.map { [value($0)] } ?? []))
            default:
                copy.terminator = source.terminator.mapOperands(value).mapEdges { Edge(block($0.block), $0.arguments) }
            }
            copy.terminatorLocation = source.terminatorLocation
            f.blocks[firstBlock + k] = copy
        }
        f.blocks[b].terminator = .branch(Edge(block(IRFunction.entry)))
        f.blocks[b].terminatorLocation = call.location
        return continuation
    }
}

/// slot-addresses: a load or store through a pointer that is a known slot address
/// (`slotaddr $s`, possibly plus a constant offset) addresses the slot directly. Once no other
/// use of the pointer remains (dce removes it), the slot no longer escapes and promote-slots
/// can keep it in registers; after inlining this is how struct arguments and results stop
/// touching memory.
public struct ForwardSlotAddresses: FunctionPass {
    public var name: String { "slot-addresses" }
    public var summary: String { "address memory through known slot pointers as the slot itself" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        var known: [Value: (slot: SlotID, offset: Int)] = [:]
        for b in f.blocks {
            for inst in b.instructions {
                guard let r = inst.result else { continue }
                switch inst.op {
                case .slotAddress(let s): known[r] = (s, 0)
                case .offset(let base, let k):
                    if let (s, o) = known[base] { known[r] = (s, o + k) }
                default: break
                }
            }
        }
        if known.isEmpty { return }
        func forward(_ a: Address, _ bytes: Int) -> Address {
            guard case .memory(let v, let o, _) = a, let (s, base) = known[v], s.index < f.slots.count,
                  base + o >= 0, base + o + bytes <= f.slots[s.index].size else { return a }
            return .slot(s, offset: base + o)
        }
        for bi in f.blocks.indices {
            for ii in f.blocks[bi].instructions.indices {
                switch f.blocks[bi].instructions[ii].op {
                case .load(let t, let w, let a): f.blocks[bi].instructions[ii].op = .load(t, w, forward(a, w.bytes))
                case .store(let w, let a, let v): f.blocks[bi].instructions[ii].op = .store(w, forward(a, w.bytes), v)
                default: break
                }
            }
        }
    }
}
