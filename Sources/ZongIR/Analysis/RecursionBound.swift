/// A proof that a function's self-recursion is bounded by one of its parameters, in the form
/// W2C reads from the `zong.bounded-recursion` section (`BoundedRecursion` in Wasm): an
/// activation entered with the parameter at v calls itself only when v >= `bound`, each time
/// with an argument at most v - `step`. W2C then checks the native stack once for the whole
/// depth instead of before every self-call.
///
/// The shape proved: a guard `x < L` (or `x <= L`, L a constant) whose other branch has no other
/// predecessor and leads to every self-call, each passing `x - c` (c >= 1 a constant), where x
/// is the parameter itself, or a loop header's parameter that starts as the parameter and is
/// passed `x - c` on every other edge, from blocks behind the guard too (what tail-calls makes
/// of `return f(n - 1) + f(n - 2)`). Then x never exceeds the parameter, decreases only while
/// x >= L (so it cannot wrap), and every call happens with v >= x >= L.
public struct RecursionBound: Equatable, Sendable {
    /// Index among the function's parameters (the entry block's).
    public var parameter: Int
    public var bound: Int64
    public var step: UInt64

    /// A guard `x < bound` whose other branch starts at `rest`; `parameter` is the index of
    /// the parameter x stands for.
    struct Guard {
        var rest: BlockID
        var x: Value
        var type: IRType
        var bound: Int64
        var parameter: Int

        /// Constants must lie within ±range, so that nothing near them wraps.
        static func range(_ t: IRType) -> Int64 { t == .i64 ? 1 << 40 : 1 << 28 }
    }

    public static func find(_ f: IRFunction, id: FunctionID) -> RecursionBound? {
        guard let entry = f.blocks.first else { return nil }
        let uses = DefUse(f)
        var calls: [(block: Int, arguments: [Value])] = []
        for (bi, b) in f.blocks.enumerated() {
            for inst in b.instructions {
                if case .call(let callee, let args) = inst.op, callee == id { calls.append((bi, args)) }
            }
        }
        if calls.isEmpty { return nil }
        let flow = ControlFlow(f)
        let dominators = Dominators(f, flow)
        // Every guard `x < L` on a value standing for a parameter (a copy of the loop, as
        // tail-calls makes for short countdowns, has its own).
        var guards: [Guard] = []
        for (bi, b) in f.blocks.enumerated() where flow.isReachable(BlockID(bi)) {
            guard case .conditionalBranch(let c, let small, let rest) = b.terminator, small.block != rest.block,
                  flow.predecessors[rest.block.index] == [BlockID(bi)],
                  case .compare(let op, let t, let x, let limit)? = uses.instruction(c, in: f)?.op,
                  op == .ltS || op == .leS, t == .i64 || t == .i32, let bits = uses.constant(limit, in: f) else { continue }
            var bound = t == .i64 ? Int64(bitPattern: bits) : Int64(Int32(truncatingIfNeeded: bits))
            if op == .leS { bound += 1 }
            guard bound > -Guard.range(t), bound < Guard.range(t) else { continue }
            var g = Guard(rest: rest.block, x: x, type: t, bound: bound, parameter: -1)
            guard let k = parameter(of: x, f, flow, { decrement($0, in: $1, behind: g) }) else { continue }
            g.parameter = k
            guards.append(g)
        }
        // x - c with a small constant c >= 1, in a block behind the guard on x.
        func decrement(_ v: Value, in block: Int, behind g: Guard) -> UInt64? {
            guard dominators.dominates(g.rest, BlockID(block)), case .binary(.sub, g.type, g.x, let k)? = uses.instruction(v, in: f)?.op,
                  let kb = uses.constant(k, in: f) else { return nil }
            let step = g.type == .i64 ? Int64(bitPattern: kb) : Int64(Int32(truncatingIfNeeded: kb))
            return step >= 1 && step < Guard.range(g.type) ? UInt64(step) : nil
        }
        for k in Set(guards.map(\.parameter)) where k < entry.parameters.count {
            var step = UInt64.max
            var bound = Int64.max
            for call in calls {
                guard k < call.arguments.count,
                      let (g, s) = guards.lazy.filter({ $0.parameter == k })
                          .compactMap({ g in decrement(call.arguments[k], in: call.block, behind: g).map { (g, $0) } }).first else {
                    step = 0
                    break
                }
                step = min(step, s)
                bound = min(bound, g.bound)
            }
            if step >= 1, step != UInt64.max {
                return RecursionBound(parameter: k, bound: bound, step: step)
            }
        }
        return nil
    }

    /// The parameter index x stands for: x is the entry block's parameter k, or a block
    /// parameter that receives parameter k itself or `x - c` on every edge.
    static func parameter(of x: Value, _ f: IRFunction, _ flow: ControlFlow, _ decrement: (Value, Int) -> UInt64?) -> Int? {
        let entryParameters = f.blocks[0].parameters
        if let k = entryParameters.firstIndex(of: x) { return k }
        guard let h = f.blocks.firstIndex(where: { $0.parameters.contains(x) }), h != 0,
              let i = f.blocks[h].parameters.firstIndex(of: x) else { return nil }
        var k: Int?
        for p in flow.predecessors[h] {
            for e in f.blocks[p.index].terminator.successors where e.block.index == h {
                guard i < e.arguments.count else { return nil }
                let a = e.arguments[i]
                if let j = entryParameters.firstIndex(of: a), k == nil || k == j {
                    k = j
                } else if decrement(a, p.index) == nil {
                    return nil
                }
            }
        }
        return k
    }
}
