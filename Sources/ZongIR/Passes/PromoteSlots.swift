/// promote-slots (mem2reg): a slot whose address is never taken is touched only by direct
/// loads and stores, so each of its cells (an offset and width: a scalar local, one struct
/// field, one slice-header field) can live in registers. Block parameters are placed at the
/// iterated dominance frontier of the blocks that store to the cell (Cytron et al.) and
/// loads are renamed along the dominator tree. A cell read before any store (Sema proves
/// this never matters) reads zero.
public struct PromoteSlots: FunctionPass {
    public var name: String { "promote-slots" }
    public var summary: String { "keep non-escaping locals, struct fields and slice headers in registers" }
    public init() {}

    struct Cell: Hashable {
        var slot: Int
        var offset: Int
    }

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        let cells = promotableCells(f)
        if cells.isEmpty { return }
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        let parameters = placeParameters(&f, cells, flow, dominators)
        rename(&f, cells, parameters, flow, dominators)
    }

    /// Cells of non-escaping slots whose every access agrees on width and register type and
    /// overlaps no other cell of the slot.
    func promotableCells(_ f: IRFunction) -> [Cell: IRType] {
        let escaping = escapingSlots(f)
        var cells: [Cell: (type: IRType, bytes: Int)] = [:]
        var rejected: Set<Int> = escaping.reduce(into: []) { $0.insert($1.index) }
        for b in f.blocks {
            for inst in b.instructions {
                let access: (SlotID, Int, IRType, Int)?
                switch inst.op {
                case .load(let t, let w, .slot(let s, let o)): access = (s, o, t, w.bytes)
                case .store(let w, .slot(let s, let o), let v): access = (s, o, f.type(of: v) ?? .i32, w.bytes)
                default: access = nil
                }
                guard let (s, o, t, bytes) = access, !rejected.contains(s.index) else { continue }
                let cell = Cell(slot: s.index, offset: o)
                if let known = cells[cell], known != (t, bytes) { rejected.insert(s.index) }
                cells[cell] = (t, bytes)
            }
        }
        // Overlapping cells of one slot (e.g. a wide and a narrow access) stay in memory.
        var bySlot: [Int: [(Int, Int)]] = [:]
        for (c, v) in cells { bySlot[c.slot, default: []].append((c.offset, v.bytes)) }
        for (slot, ranges) in bySlot {
            let sorted = ranges.sorted { $0.0 < $1.0 }
            for (a, b) in zip(sorted, sorted.dropFirst()) where a.0 + a.1 > b.0 { rejected.insert(slot) }
        }
        var out: [Cell: IRType] = [:]
        for (c, v) in cells where !rejected.contains(c.slot) { out[c] = v.type }
        return out
    }

    /// The block parameter of each cell in each block that needs one.
    func placeParameters(_ f: inout IRFunction, _ cells: [Cell: IRType], _ flow: ControlFlow,
                         _ dominators: Dominators) -> [Int: [(Cell, Value)]] {
        var storeBlocks: [Cell: Set<Int>] = [:]
        for (bi, b) in f.blocks.enumerated() where flow.isReachable(BlockID(bi)) {
            for inst in b.instructions {
                if case .store(_, .slot(let s, let o), _) = inst.op {
                    let c = Cell(slot: s.index, offset: o)
                    if cells[c] != nil { storeBlocks[c, default: []].insert(bi) }
                }
            }
        }
        let frontiers = dominators.frontiers()
        var parameters: [Int: [(Cell, Value)]] = [:]
        // Per block, the last cell (by number k) placed there and queued there: stamps, not a
        // set per cell.
        var placedFor = [Int](repeating: -1, count: f.blocks.count)
        var queuedFor = [Int](repeating: -1, count: f.blocks.count)
        for (k, cell) in cells.keys.sorted(by: { ($0.slot, $0.offset) < ($1.slot, $1.offset) }).enumerated() {
            guard let type = cells[cell] else { continue }
            // Sorted: the order parameters are placed in numbers their registers.
            var work = (storeBlocks[cell] ?? []).sorted()
            for b in work { queuedFor[b] = k }
            while let b = work.popLast() {
                for d in frontiers[b] where placedFor[d.index] != k && d != IRFunction.entry {
                    placedFor[d.index] = k
                    let p = f.newValue(type)
                    f.blocks[d.index].parameters.append(p)
                    parameters[d.index, default: []].append((cell, p))
                    if queuedFor[d.index] != k {
                        queuedFor[d.index] = k
                        work.append(d.index)
                    }
                }
            }
        }
        return parameters
    }

    /// Renames along the dominator tree (iterative depth-first walk): `current` holds each
    /// cell's value where the walk is, and an undo log restores it when the walk leaves a
    /// subtree, so every load and edge costs O(1) whatever the tree's depth.
    func rename(_ f: inout IRFunction, _ cells: [Cell: IRType], _ parameters: [Int: [(Cell, Value)]],
                _ flow: ControlFlow, _ dominators: Dominators) {
        var replacements: [Value: Value] = [:]
        var zeros: [IRType: Value] = [:]
        var entryConstants: [Instruction] = []
        func zero(_ t: IRType) -> Value {
            if let z = zeros[t] { return z }
            let v = f.newValue(t)
            entryConstants.append(Instruction(result: v, op: .constant(t, 0), location: .none))
            zeros[t] = v
            return v
        }
        // Cells by dense index (one look-up per load or store), so the values where the walk
        // is, the undo log and each block's parameters are arrays.
        var index: [Cell: Int] = [:]
        var types: [IRType] = []
        index.reserveCapacity(cells.count)
        for (cell, type) in cells {
            index[cell] = types.count
            types.append(type)
        }
        var blockParameters = [[(cell: Int, value: Value)]](repeating: [], count: f.blocks.count)
        for (b, list) in parameters where b < blockParameters.count {
            blockParameters[b] = list.compactMap { c, p in index[c].map { ($0, p) } }
        }
        var current = [Value?](repeating: nil, count: types.count)
        var undo: [(Int, Value?)] = []
        func set(_ c: Int, _ v: Value) {
            undo.append((c, current[c]))
            current[c] = v
        }
        func value(_ c: Int) -> Value { current[c] ?? zero(types[c]) }
        func enter(_ b: BlockID) {
            for (c, p) in blockParameters[b.index] { set(c, p) }
            var kept: [Instruction] = []
            kept.reserveCapacity(f.blocks[b.index].instructions.count)
            for inst in f.blocks[b.index].instructions {
                let promoted: Int?
                switch inst.op {
                case .load(_, _, .slot(let s, let o)), .store(_, .slot(let s, let o), _):
                    promoted = index[Cell(slot: s.index, offset: o)]
                default:
                    promoted = nil
                }
                guard let c = promoted else {
                    kept.append(inst)
                    continue
                }
                if case .store(_, _, let v) = inst.op {
                    set(c, v)
                } else if let r = inst.result {
                    replacements[r] = value(c)
                }
            }
            f.blocks[b.index].instructions = kept
            // Edges pass each target parameter's cell value at the end of this block.
            f.blocks[b.index].terminator = f.blocks[b.index].terminator.mapEdges { edge in
                guard edge.block.index < blockParameters.count, !blockParameters[edge.block.index].isEmpty else { return edge }
                var e = edge
                for (c, _) in blockParameters[edge.block.index] { e.arguments.append(value(c)) }
                return e
            }
        }
        guard !f.blocks.isEmpty else { return }
        var stack: [(block: BlockID, child: Int, undoMark: Int)] = []
        stack.append((IRFunction.entry, 0, undo.count))
        enter(IRFunction.entry)
        while let top = stack.last {
            let children = dominators.children[top.block.index]
            if top.child < children.count {
                stack[stack.count - 1].child += 1
                let c = children[top.child]
                stack.append((c, 0, undo.count))
                enter(c)
            } else {
                while undo.count > top.undoMark, let (c, old) = undo.popLast() { current[c] = old }
                stack.removeLast()
            }
        }
        // Unreachable blocks keep their edges' arity right (simplify-cfg drops them later).
        for bi in f.blocks.indices where !flow.isReachable(BlockID(bi)) {
            f.blocks[bi].terminator = f.blocks[bi].terminator.mapEdges { edge in
                guard edge.block.index < blockParameters.count, !blockParameters[edge.block.index].isEmpty else { return edge }
                var e = edge
                for (c, _) in blockParameters[edge.block.index] { e.arguments.append(zero(types[c])) }
                return e
            }
        }
        f.blocks[0].instructions.insert(contentsOf: entryConstants, at: 0)
        f.replaceUses(replacements)
    }
}
