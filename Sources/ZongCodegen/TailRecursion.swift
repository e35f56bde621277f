import Wasm
import ZongSema

/// Self-recursion in tail position becomes a loop: `return f(…)`, and the accumulator forms
/// `return a + f(…)`, `return f(…) + b` (also `*`), where `b` can neither trap nor have an
/// effect, so evaluating it before the recursion is unobservable. Wrapping `+` and `*` are
/// associative and commutative, so `a + f(x)` = `acc + a` carried into the next iteration.
///
/// The recursion stays bounded: after `tailIterationLimit` iterations an activation makes the
/// real call, so runaway recursion still exhausts the native stack (or the interpreter's) and
/// reports `stack overflow`, only later. Without the limit it would loop forever. C compilers
/// do the same transformation for C code; clang is kept from doing it to our C
/// (`-fno-optimize-sibling-calls`) because it has no such limit. A loop that provably counts
/// down to its end (TailLoopBound.swift) needs no limit.
struct TailRecursionPlan {
    /// The accumulating operator; nil when every tail site is a plain `return f(…)`.
    var op: TExpr.ArithmeticOp?
    /// When the loop provably ends soon enough to run without the iteration limit.
    var countdown: TailCountdown?

    static let tailIterationLimit: Int32 = 64

    /// A return value that continues the loop instead of calling.
    enum Site {
        case call([TExpr], [Int])
        /// `before op f(args)`: `before` is evaluated first, as in the source.
        case after(TExpr.ArithmeticOp, before: TExpr, [TExpr], [Int])
        /// `f(args) op pure`.
        case before(TExpr.ArithmeticOp, [TExpr], [Int], pure: TExpr)
    }

    /// The plan for `function`, or nil when it has no tail site or cannot loop: every parameter
    /// must be a plain scalar (reassigned per iteration) and every site must agree on `op`.
    static func plan(_ function: FunctionDef, written: Set<LocalVar>) -> TailRecursionPlan? {
        guard FunctionGenerator.isScalar(function.returnType),
              function.parameters.allSatisfy({ FunctionGenerator.isScalar($0.type) && !$0.isAddressTaken }) else { return nil }
        var sites = 0
        var ops: Set<TExpr.ArithmeticOp> = []
        forEachNode(in: function.body) { node in
            guard case .statement(.returnValue(let value?, _)) = node, let site = site(value, in: function) else { return }
            sites += 1
            switch site {
            case .call: break
            case .after(let op, _, _, _), .before(let op, _, _, _): ops.insert(op)
            }
        }
        guard sites > 0, ops.count <= 1 else { return nil }
        if !ops.isEmpty, function.returnType.integerType == nil { return nil }
        return TailRecursionPlan(op: ops.first, countdown: TailLoopBound.countdown(function, written: written))
    }

    static func site(_ value: TExpr, in function: FunctionDef) -> Site? {
        if let (args, indices) = selfCall(value, function) { return .call(args, indices) }
        guard case .arithmetic(let op, let a, let b) = value.kind, op == .add || op == .multiply else { return nil }
        if let (args, indices) = selfCall(b, function) { return .after(op, before: a, args, indices) }
        if let (args, indices) = selfCall(a, function), isPure(b) { return .before(op, args, indices, pure: b) }
        return nil
    }

    private static func selfCall(_ e: TExpr, _ function: FunctionDef) -> ([TExpr], [Int])? {
        guard case .call(.function(let callee), let args, let indices) = e.kind, callee === function else { return nil }
        return (args, indices)
    }

    /// No trap, no effect, no memory read: constants and scalar variables that live in WASM
    /// locals, combined with `+ - *` and negation.
    private static func isPure(_ e: TExpr) -> Bool {
        switch e.kind {
        case .integer, .boolean: true
        case .local(let v): FunctionGenerator.isScalar(v.type) && !v.isAddressTaken
        case .negate(let a): isPure(a)
        case .arithmetic(let op, let a, let b): op != .divide && op != .remainder && isPure(a) && isPure(b)
        default: false
        }
    }
}

extension FunctionGenerator {
    /// Opens the loop that tail sites branch back to; `acc` starts at the operator's identity.
    func beginTailLoop(_ plan: TailRecursionPlan) {
        let type = Layout.valueType(function.returnType) ?? .i64
        let acc = f.addLocal(type, name: "acc")
        if case .dispatching(let clone) = countdownRole, let countdown = plan.countdown {
            dispatchShortCountdown(countdown, to: clone)
        }
        // Without the limit: a countdown short for every start, or the short clone.
        let unlimited = plan.countdown != nil && (plan.countdown?.threshold == nil || countdownRole.isShortClone)
        let iterations = unlimited ? nil : f.addLocal(.i32, name: "tail_iterations")
        tailState = TailState(plan: plan, accumulator: acc, iterations: iterations)
        if plan.op == .multiply { f.emit([type == .i64 ? .i64Const(1) : .i32Const(1), .localSet(acc)]) }
        f.emit(.loop(.empty))
        labels.append(.tailLoop)
    }

    func endTailLoop() {
        guard tailState != nil else { return }
        f.emit(.end)
        labels.removeLast()
    }

    /// `return value` inside a tail loop; false when there is no loop (the caller emits it).
    func tailReturn(_ value: TExpr) -> Bool {
        guard let state = tailState else { return false }
        guard let site = TailRecursionPlan.site(value, in: function) else {
            expression(value)
            combineAccumulator(state)
            return finishReturn()
        }
        let type = Layout.valueType(function.returnType) ?? .i64
        var operand: UInt32?
        var op: TExpr.ArithmeticOp?
        let args: [TExpr], indices: [Int]
        switch site {
        case .call(let a, let i):
            (args, indices) = (a, i)
        case .after(let o, let before, let a, let i):
            expression(before)
            operand = temp(type)
            f.emit(.localSet(operand ?? 0))
            (op, args, indices) = (o, a, i)
        case .before(let o, let a, let i, _):
            (op, args, indices) = (o, a, i)
        }
        let staged = stageArguments(args, indices)
        if case .before(_, _, _, let pure) = site {
            expression(pure)
            operand = temp(type)
            f.emit(.localSet(operand ?? 0))
        }
        guard let iterations = state.iterations else {
            continueTailLoop(state, operand: operand, op: op, staged: staged)
            return true
        }
        // Room for another iteration: fold the operand into acc, rebind the parameters, loop.
        f.emit([.localGet(iterations), .i32Const(TailRecursionPlan.tailIterationLimit), .numeric(.i32LtU), .if(.empty)])
        labels.append(.block)
        f.emit([.localGet(iterations), .i32Const(1), .numeric(.i32Add), .localSet(iterations)])
        continueTailLoop(state, operand: operand, op: op, staged: staged)
        labels.removeLast()
        f.emit(.end)
        // Otherwise the real call, so that runaway recursion still uses up the stack.
        if case .after = site, let operand { f.emit(.localGet(operand)) }
        for t in staged { f.emit(.localGet(t)) }
        f.emit(.call(g.functionIndex[ObjectIdentifier(function)] ?? 0))
        if case .before = site, let operand { f.emit(.localGet(operand)) }
        if let op { emitOperator(op) }
        combineAccumulator(state)
        return finishReturn()
    }

    /// Before the loop: a countdown of at most the threshold (TailLoopBound.swift) is the short
    /// clone's whole job (CountdownClone.swift); a longer one loops here, with the limit.
    private func dispatchShortCountdown(_ countdown: TailCountdown, to clone: UInt32) {
        let threshold = countdown.threshold ?? 0
        let p = localIndex[function.parameters[countdown.parameter]] ?? 0
        if countdown.type.is64Bit {
            f.emit([.localGet(p), .i64Const(Int64(bitPattern: threshold)),
                    .numeric(countdown.type.isSigned ? .i64LeS : .i64LeU)])
        } else {
            f.emit([.localGet(p), .i32Const(Int32(truncatingIfNeeded: threshold)),
                    .numeric(countdown.type.isSigned ? .i32LeS : .i32LeU)])
        }
        f.emit(.if(.empty))
        labels.append(.block)
        for p in function.parameters { f.emit(.localGet(localIndex[p] ?? 0)) }
        f.emit(.call(clone))
        _ = finishReturn()
        labels.removeLast()
        f.emit(.end)
    }

    /// Folds the operand into acc, rebinds the parameters and branches back to the loop head.
    private func continueTailLoop(_ state: TailState, operand: UInt32?, op: TExpr.ArithmeticOp?, staged: [UInt32]) {
        if let operand, let op {
            f.emit([.localGet(state.accumulator), .localGet(operand)])
            emitOperator(op)
            f.emit(.localSet(state.accumulator))
        }
        for (k, t) in staged.enumerated() { f.emit([.localGet(t), .localSet(localIndex[function.parameters[k]] ?? 0)]) }
        f.emit(.br(depth(of: .tailLoop)))
    }

    /// Arguments evaluated in source order into temporaries, returned in parameter order.
    private func stageArguments(_ args: [TExpr], _ indices: [Int]) -> [UInt32] {
        var staged = [UInt32](repeating: 0, count: args.count)
        for (k, a) in args.enumerated() {
            expression(a)
            let t = temp(Layout.valueType(a.type) ?? .i32)
            f.emit(.localSet(t))
            staged[indices[k]] = t
        }
        return staged
    }

    /// With the function's result on the stack: `acc op result`.
    private func combineAccumulator(_ state: TailState) {
        guard let op = state.plan.op else { return }
        f.emit(.localGet(state.accumulator))
        emitOperator(op)
    }

    private func emitOperator(_ op: TExpr.ArithmeticOp) {
        guard case .integer(let t) = function.returnType else { return }
        let wide = t.is64Bit
        f.emit(.numeric(op == .add ? (wide ? .i64Add : .i32Add) : (wide ? .i64Mul : .i32Mul)))
        normalize(t)
    }

    private func finishReturn() -> Bool {
        f.emitEpilogue()
        f.emit(.return)
        return true
    }
}

/// The loop of a function generated with a TailRecursionPlan.
struct TailState {
    var plan: TailRecursionPlan
    var accumulator: UInt32
    /// The iteration count, when the plan needs the limit.
    var iterations: UInt32?
}
