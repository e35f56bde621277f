import Wasm
import ZongIR

/// Which registers stay on the WASM operand stack instead of a local: a value is computed
/// where it is used, as part of its user's expression tree, rather than set into a local and
/// read back. This gives W2C (and the interpreter) the expression shapes it reads best: an
/// element access `base + wrap(i) * size` feeding its load is what W2C turns into an
/// unchecked fast arm, and a comparison feeding its branch becomes the C `if`.
///
/// Moving a definition later is safe when it cannot observe or cause anything between its
/// place and its use:
/// - constants are re-emitted at every use (any block, any number of uses);
/// - a pure instruction that cannot trap (arithmetic but for division by a non-constant,
///   comparisons, casts, address arithmetic) with one use later in its own block, read once
///   by its user's code;
/// - address arithmetic (`elemaddr`, `offset`, `slotaddr`) at each use, in any block (its
///   operands keep their locals);
/// - a load under the same conditions, when every instruction between it and the place where
///   it is finally computed is of the first kind (no store, call, check or other load).
/// Trees are at most `maximumDepth` deep, so emitting one cannot exhaust the compiler's stack.
struct StackPlan {
    static let maximumDepth = 64

    /// Indexed by register id: computed at its use, with no local.
    private(set) var deferred: [Bool]
    /// Indexed by register id: the instruction index in its block where a deferred value and
    /// its operands are finally read (the terminator is `instructions.count`); planning only.
    private var readAt: [Int]

    init(_ f: IRFunction, _ uses: DefUse) {
        let n = f.valueTypes.count
        deferred = [Bool](repeating: false, count: n)
        readAt = [Int](repeating: -1, count: n)
        var depth = [Int](repeating: 0, count: n)
        var users = SingleUsers(count: n)
        for (bi, b) in f.blocks.enumerated() {
            plan(b, bi, f, uses, &depth, &users)
        }
    }

    /// The one reader of each register read once, by register id, as the block and position
    /// (instruction index, or the instruction count for the terminator) it was recorded at.
    private struct SingleUsers {
        var block: [Int]
        var position: [Int]
        init(count: Int) {
            block = [Int](repeating: -1, count: count)
            position = [Int](repeating: 0, count: count)
        }
        func user(_ id: Int, in b: Int) -> Int? { block[id] == b ? position[id] : nil }
        mutating func record(_ id: Int, in b: Int, at p: Int) { (block[id], position[id]) = (b, p) }
    }

    private mutating func plan(_ b: Block, _ bi: Int, _ f: IRFunction, _ uses: DefUse, _ depth: inout [Int],
                               _ users: inout SingleUsers) {
        let n = deferred.count
        let count = b.instructions.count
        // The first position at or after i that is not quiet (count when none is).
        var nextLoud = [Int](repeating: count, count: count + 1)
        for i in stride(from: count - 1, through: 0, by: -1) {
            nextLoud[i] = Self.isQuiet(b.instructions[i].op, f, uses) ? nextLoud[i + 1] : i
        }
        // Addresses are recomputed at every use, so W2C sees each access's `base + wrap(i) *
        // size`; their operands then keep their locals (a dedicated one when a use is in
        // another block: an SSA operand still holds its value wherever its user's definition
        // dominates).
        var recomputed = [Bool](repeating: false, count: count)
        var addresses = Set<Int>()
        for (i, inst) in b.instructions.enumerated() {
            guard let r = inst.result, r.id < n, Self.isAddress(inst.op) else { continue }
            recomputed[i] = true
            addresses.insert(r.id)
        }
        // Where each address defined here is used in this block (the terminator is position
        // `count`); other values need only their single reader.
        var positions = [Int: [Int]]()
        if !addresses.isEmpty {
            for (i, inst) in b.instructions.enumerated() {
                for v in inst.op.operands where addresses.contains(v.id) { positions[v.id, default: []].append(i) }
            }
            for v in b.terminator.operands where addresses.contains(v.id) { positions[v.id, default: []].append(count) }
        }
        // The single reader of each value read once (looked up for values defined here).
        for (i, inst) in b.instructions.enumerated() where !recomputed[i] && Self.readsOperandsOnce(inst.op, f, uses) {
            for v in inst.op.operands where v.id < n && uses.useCounts[v.id] == 1 { users.record(v.id, in: bi, at: i) }
        }
        for v in b.terminator.operands where v.id < n && uses.useCounts[v.id] == 1 { users.record(v.id, in: bi, at: count) }
        // Where a use at position u is finally read: a deferred user is computed where it is read.
        func finalPosition(_ u: Int) -> Int {
            guard u < count, let r = b.instructions[u].result, deferred[r.id] else { return u }
            return readAt[r.id]
        }
        for i in stride(from: count - 1, through: 0, by: -1) {
            let inst = b.instructions[i]
            guard let r = inst.result, r.id < n else { continue }
            if case .constant = inst.op {
                deferred[r.id] = true
                continue
            }
            if recomputed[i] {
                let reads = positions[r.id] ?? []
                guard reads.allSatisfy({ $0 > i }) else { continue }
                deferred[r.id] = true
                readAt[r.id] = reads.map(finalPosition).max() ?? i
                continue
            }
            guard let u = users.user(r.id, in: bi), u > i else { continue }
            let userResult = u < count ? b.instructions[u].result : nil
            let treeDepth = userResult.map { deferred[$0.id] ? depth[$0.id] + 1 : 1 } ?? 1
            let position = finalPosition(u)
            guard treeDepth <= Self.maximumDepth else { continue }
            let movable: Bool
            if Self.isQuiet(inst.op, f, uses) {
                movable = true
            } else if case .load = inst.op {
                movable = nextLoud[i + 1] >= position
            } else {
                movable = false
            }
            guard movable else { continue }
            deferred[r.id] = true
            readAt[r.id] = position
            depth[r.id] = treeDepth
        }
    }

    /// Address arithmetic: cheap enough to recompute at each of several uses.
    static func isAddress(_ op: Op) -> Bool {
        switch op {
        case .elementAddress, .offset, .slotAddress: true
        default: false
        }
    }

    /// Pure and unable to trap: may be computed anywhere its operands are available.
    static func isQuiet(_ op: Op, _ f: IRFunction, _ uses: DefUse) -> Bool {
        switch op {
        case .constant, .compare, .cast, .not, .select, .slotAddress, .offset, .elementAddress:
            return true
        case .binary:
            // Division by a constant other than 0 and -1 is one WASM instruction that cannot
            // trap; anything else is emitted with a test (divS) or may trap.
            return op.isSafeToSpeculate { uses.constant($0, in: f) }
        default:
            return false
        }
    }

    /// The emitter reads each operand of this operation exactly once, in operand order.
    static func readsOperandsOnce(_ op: Op, _ f: IRFunction, _ uses: DefUse) -> Bool {
        switch op {
        case .check, .constant, .slotAddress:
            return false
        case .binary(let o, _, _, _) where o == .divS:
            return isQuiet(op, f, uses)
        case .builtin(let b, _):
            if case .string = b { return false }
            return true
        default:
            return true
        }
    }
}
