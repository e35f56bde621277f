/// carry-stores: in a loop whose counter j steps by one, a load of element `s[j + c - 1]` reads
/// what the previous iteration stored to `s[j + c]`; it becomes a header parameter carrying that
/// stored value, so the value stays in a register instead of travelling through memory (a
/// store-to-load round trip on the loop's critical path). `cur[j] = f(cur[j - 1], …)` in
/// dynamic programming, prefix sums and recurrences take this shape.
///
/// It applies when
/// - s is the same register in both, defined outside the loop, with one element size;
/// - the store writes the full width of a register the load reads back unchanged (i32 in 4
///   bytes, i64 in 8, a pointer in 4), and its block runs on every iteration (it dominates the
///   only latch);
/// - nothing else in the loop may write the loaded element (AliasAnalysis: only stores to
///   slots that do not escape, no calls);
/// - the first iteration's value is known: the block before the loop stores that element,
///   `s[j0 + c - 1]`, and nothing after that store may overwrite it.
/// The loads' index checks stay where they are, so every fault happens as before.
public struct CarryStoredElements: FunctionPass {
    public var name: String { "carry-stores" }
    public var summary: String { "keep the element a loop stores for the next iteration's load of it in a register" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        guard f.blocks.contains(where: { $0.instructions.contains { if case .store(_, .memory, _) = $0.op { true } else { false } } })
        else { return }
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        let loops = LoopInfo(f, flow, dominators).loops
        // Carrying a load adds header parameters and edge arguments only: the definitions
        // every plan reads stay where they were, so one DefUse serves all loops.
        let uses = DefUse(f)
        let alias = AliasAnalysis(f)
        var replaced: [Value: Value] = [:]
        var removed: Set<Value> = []
        for loop in loops {
            guard let plan = plan(f, loop, flow, dominators, uses, alias) else { continue }
            // The carried loads become one new header parameter.
            let carried = f.newValue(plan.type)
            f.blocks[loop.header.index].parameters.append(carried)
            f.blocks[plan.entry.index].terminator = f.blocks[plan.entry.index].terminator.mapEdges { e in
                e.block == loop.header ? Edge(e.block, e.arguments + [plan.initial]) : e
            }
            f.blocks[plan.latch.index].terminator = f.blocks[plan.latch.index].terminator.mapEdges { e in
                e.block == loop.header ? Edge(e.block, e.arguments + [plan.stored]) : e
            }
            for load in plan.loads {
                replaced[load] = carried
                removed.insert(load)
            }
        }
        if removed.isEmpty { return }
        for b in f.blocks.indices {
            f.blocks[b].instructions.removeAll { $0.result.map(removed.contains) ?? false }
        }
        f.replaceUses(replaced)
    }

    struct Plan {
        var type: IRType
        var entry: BlockID
        var latch: BlockID
        var initial: Value
        var stored: Value
        var loads: [Value]
    }

    func plan(_ f: IRFunction, _ loop: LoopInfo.Loop, _ flow: ControlFlow, _ dominators: Dominators, _ uses: DefUse,
              _ alias: AliasAnalysis) -> Plan? {
        let header = loop.header
        let outside = flow.predecessors[header.index].filter { !loop.blocks.contains($0) }
        guard loop.latches.count == 1, outside.count == 1, case .branch(let entryEdge) = f.blocks[outside[0].index].terminator,
              entryEdge.block == header else { return nil }
        let latch = loop.latches[0]
        guard case .branch(let latchEdge) = f.blocks[latch.index].terminator, latchEdge.block == header else { return nil }
        let parameters = f.blocks[header.index].parameters
        let offsets = IndexOffsets(f, uses)
        // The counter: a header parameter the latch passes as itself + 1.
        guard let ji = parameters.indices.first(where: { k in
            k < latchEdge.arguments.count && k < entryEdge.arguments.count
                && offsets.offset(latchEdge.arguments[k]) == (parameters[k], 1)
        }) else { return nil }
        let j = parameters[ji], j0 = entryEdge.arguments[ji]
        // The loop's writes: exactly one element store (in a block every iteration runs), the
        // rest stores to slots that do not escape, so none touches the element. Calls and
        // other writes rule the loop out.
        var store: (width: MemoryWidth, address: Address, value: Value)?
        var definedInLoop = Set<Value>(parameters)
        for b in loop.blocks {
            for inst in f.blocks[b.index].instructions {
                if let r = inst.result { definedInLoop.insert(r) }
                guard inst.op.mayWrite else { continue }
                guard case .store(let w, let address, let v) = inst.op else { return nil }
                if case .slot(let slot, _) = address {
                    if alias.escaping.contains(slot) { return nil }
                    continue
                }
                guard store == nil, dominators.dominates(b, latch) else { return nil }
                store = (w, address, v)
            }
        }
        guard let store, case .memory(let storeBase, 0, _) = store.address,
              case .elementAddress(let s, let storeIndex, let scale)? = uses.instruction(storeBase, in: f)?.op,
              !definedInLoop.contains(s), case let (base, c) = offsets.offset(storeIndex), base == j,
              let type = f.type(of: store.value), Self.isFullWidth(store.width, type) else { return nil }
        // The loads of s[j + c - 1].
        var loads: [Value] = []
        for b in loop.blocks {
            for inst in f.blocks[b.index].instructions {
                guard case .load(let t, let w, .memory(let base, 0, _)) = inst.op, t == type, w.bytes == store.width.bytes, let r = inst.result,
                      case .elementAddress(s, let index, scale)? = uses.instruction(base, in: f)?.op,
                      offsets.offset(index) == (j, c - 1) else { continue }
                loads.append(r)
            }
        }
        guard !loads.isEmpty, let initial = initialValue(f, before: outside[0], s, scale, store.width, type,
                                                         index: offsets.offset(j0), plus: c - 1, offsets, uses, alias)
        else { return nil }
        return Plan(type: type, entry: outside[0], latch: latch, initial: initial, stored: store.value, loads: loads)
    }

    /// The value the block before the loop stores to `s[j0 + k]` when nothing after that store
    /// in the block may write it.
    func initialValue(_ f: IRFunction, before block: BlockID, _ s: Value, _ scale: Int, _ width: MemoryWidth, _ type: IRType,
                      index j0: (Value, Int64), plus k: Int64, _ offsets: IndexOffsets, _ uses: DefUse,
                      _ alias: AliasAnalysis) -> Value? {
        let instructions = f.blocks[block.index].instructions
        for inst in instructions.reversed() where inst.op.mayWrite {
            guard case .store(let w, let address, let v) = inst.op else { return nil }
            if case .memory(let base, 0, _) = address, w.bytes == width.bytes, f.type(of: v) == type,
               case .elementAddress(s, let index, scale)? = uses.instruction(base, in: f)?.op,
               offsets.offset(index) == (j0.0, j0.1 + k) {
                return v
            }
            // An earlier store could still be the one; this one must not touch s's elements.
            guard case .slot = address, !alias.mayAlias(address, w.bytes, .memory(s, offset: 0, region: .elements), width.bytes)
            else { return nil }
        }
        return nil
    }

    /// Whether a store of `width` keeps every bit of a register of `type`, so that a load of
    /// the same width and type gives back the stored register.
    static func isFullWidth(_ width: MemoryWidth, _ type: IRType) -> Bool {
        switch type {
        case .i32, .ptr: width.bytes == 4
        case .i64: width.bytes == 8
        default: false
        }
    }
}
