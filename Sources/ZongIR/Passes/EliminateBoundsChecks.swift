/// bce: removes `check index i, n` where what dominates it proves 0 <= i < n:
/// - a branch fact: an unsigned `i < n`, or a signed `i < n` with i never negative
///   (RangeFacts: constants, guarded increments, loop induction, slice lengths);
/// - a bound on a neighbour: i = x + ci and a dominating `x + cx < n` (unsigned, or signed
///   with cx <= 0), or `x + cx <= n` (signed, cx <= 0), with ci <= cx (ci < cx for `<=`) and
///   x + ci never negative. A dominating check `check index x + cx, n` counts as the fact
///   `x + cx < n` (unsigned) from the instruction after it on.
/// The common `loop { if i >= s.length { break; } … s[i] … i = i + 1; }` then runs without a
/// check per element, and so do `s[j - 1]` after `s[j]` and `b[j - 1]` in `j = 1; loop { if
/// j > b.length { break; } … }`. Checks it cannot prove stay, with their messages and locations.
public struct EliminateBoundsChecks: FunctionPass {
    public var name: String { "bce" }
    public var summary: String { "remove index checks that dominating branches, checks and induction prove" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        guard f.hasIndexCheck else { return }
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        let ranges = RangeFacts(f, flow, dominators)
        let bounds = NeighbourBounds(f, flow, ranges)
        var checked = CheckedIndices()
        for b in flow.reversePostOrder {
            var kept: [Instruction] = []
            let instructions = f.blocks[b.index].instructions
            for (position, inst) in instructions.enumerated() {
                guard case .check(.index, let args) = inst.op, args.count == 2 else {
                    kept.append(inst)
                    continue
                }
                let (i, n) = (args[0], args[1])
                let proven = ranges.less(i, n, signed: false, at: b)
                    || (ranges.less(i, n, signed: true, at: b) && ranges.nonNegative(i))
                if !proven {
                    if bounds.proves(i, n, at: b, checked: checked, dominators) {
                        // W2C drops its own bounds test of an element access right after an
                        // index check; the proof stays as that hint while an access follows.
                        if Self.accessFollows(i, instructions[(position + 1)...], ranges.uses) {
                            var hint = inst
                            hint.op = .check(.provenIndex, args)
                            kept.append(hint)
                        }
                    } else {
                        kept.append(inst)
                    }
                }
                // A check that stays traps unless i < n; a proven one holds anyway.
                checked.record(i, base: bounds.offsets.offset(i).0, n, in: b)
            }
            f.blocks[b.index].instructions = kept
        }
    }
}

extension EliminateBoundsChecks {
    /// Whether a used element address with index `i` comes later in the block before another
    /// check of `i` (which would serve as its hint instead).
    static func accessFollows(_ i: Value, _ rest: ArraySlice<Instruction>, _ uses: DefUse) -> Bool {
        for inst in rest {
            switch inst.op {
            case .elementAddress(_, i, _):
                if let r = inst.result, r.id < uses.useCounts.count, uses.useCounts[r.id] > 0 { return true }
            case .check(.index, let args), .check(.provenIndex, let args):
                if args.first == i { return false }
            default:
                break
            }
        }
        return false
    }
}

/// The indices checked so far (in reverse post-order), by the length they were checked against
/// and the register they are an offset from.
struct CheckedIndices {
    struct Key: Hashable {
        var length: Value
        var base: Value
    }
    var byKey: [Key: [(block: BlockID, index: Value)]] = [:]

    mutating func record(_ i: Value, base: Value, _ n: Value, in b: BlockID) {
        byKey[Key(length: n, base: base), default: []].append((b, i))
    }
}

/// bce's neighbour rule: an index a constant below one known to be in range.
struct NeighbourBounds {
    let ranges: RangeFacts
    let offsets: IndexOffsets
    /// Branch facts by their bound n: `x < n` (unsigned or signed) and `x <= n` (signed),
    /// with the blocks that establish them.
    var facts: [Value: [(x: Value, kind: Kind, block: BlockID)]] = [:]

    enum Kind { case lessUnsigned, lessSigned, atMostSigned }

    init(_ f: IRFunction, _ flow: ControlFlow, _ ranges: RangeFacts) {
        self.ranges = ranges
        offsets = IndexOffsets(f, ranges.uses)
        for (fact, blocks) in ranges.establishedIn {
            let entry: (Value, Value, Kind)? = switch fact.op {
            case .ltU: (fact.a, fact.b, .lessUnsigned)
            case .gtU: (fact.b, fact.a, .lessUnsigned)
            case .ltS: (fact.a, fact.b, .lessSigned)
            case .gtS: (fact.b, fact.a, .lessSigned)
            case .leS: (fact.a, fact.b, .atMostSigned)
            case .geS: (fact.b, fact.a, .atMostSigned)
            default: nil
            }
            guard let (x, n, kind) = entry else { continue }
            for b in blocks { facts[n, default: []].append((x, kind, b)) }
        }
    }

    func proves(_ i: Value, _ n: Value, at b: BlockID, checked: CheckedIndices, _ dominators: Dominators) -> Bool {
        let (base, ci) = offsets.offset(i)
        func covers(_ x: Value, _ kind: Kind) -> Bool {
            let (xBase, cx) = offsets.offset(x)
            guard xBase == base else { return false }
            switch kind {
            case .lessUnsigned: return ci <= cx
            case .lessSigned: return ci <= cx && cx <= 0
            case .atMostSigned: return ci < cx && cx <= 0
            }
        }
        var covered = (facts[n] ?? []).prefix(32).contains { dominators.dominates($0.block, b) && covers($0.x, $0.kind) }
        // Checks recorded so far sit in blocks that dominate b or come earlier in b, or in
        // blocks that do not dominate b at all. The latest few are enough (and keep this
        // linear in long blocks).
        if !covered {
            covered = (checked.byKey[CheckedIndices.Key(length: n, base: base)] ?? []).suffix(16)
                .contains { dominators.dominates($0.block, b) && covers($0.index, .lessUnsigned) }
        }
        // base + ci >= 0 (and so base + cx >= 0): both sums are exact, and i <= x.
        if base == IndexOffsets.none { return covered && ci >= 0 }
        return covered && ranges.atLeast(base, max(0, -ci))
    }
}

extension IRFunction {
    /// Whether some instruction is a `check index` (a quick test before the analyses of the
    /// passes that only remove or version those).
    var hasIndexCheck: Bool {
        blocks.contains { b in
            b.instructions.contains { inst in
                if case .check(.index, _) = inst.op { return true }
                return false
            }
        }
    }
}
