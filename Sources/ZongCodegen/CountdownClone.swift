import Wasm
import ZongSema

/// A tail loop whose countdown may be long keeps its iteration limit, and with it a test per
/// activation of whether the countdown is short (TailLoopBound.swift). For doubly recursive
/// functions like `fib` that test is a tenth of the time. So such a function gets a second copy,
/// its short clone: the original tests once on entry and calls the clone when the countdown is
/// short; the clone loops without the limit and sends its own decreasing recursive calls
/// (`f(p - c)` past the guard) straight back to itself, since they are shorter still.
/// The clone keeps the function's name, so a trap inside it reads the same.
enum CountdownRole {
    /// No clone: the function loops on its own, with the limit unless every countdown is short.
    case alone
    /// The original; short countdowns go to the clone with this index.
    case dispatching(to: UInt32)
    /// The clone, with its own index and the calls that stay in it.
    case shortClone(index: UInt32, calls: Set<ObjectIdentifier>)

    var isShortClone: Bool {
        if case .shortClone = self { return true }
        return false
    }
}

extension FunctionGenerator {
    /// Generates `function`'s short clone into `task.clone` when its plan has a countdown
    /// threshold; returns the clone's (provisional) index, or nil when there is none.
    static func shortClone(_ g: ModuleGenerator, _ task: FunctionTask, _ plan: TailRecursionPlan) -> UInt32? {
        guard let countdown = plan.countdown, countdown.threshold != nil else { return nil }
        let function = task.function
        let index = task.provisionalCloneIndex
        let decreasing = TailLoopBound.decreasingCalls(function, countdown)
        let role = CountdownRole.shortClone(index: index, calls: decreasing.calls)
        let generator = FunctionGenerator(g, task, tailPlan: plan, role: role)
        let clone = generator.generate()
        if generator.f.hasFrame { return nil }
        task.clone = clone
        // The clone calls itself only past the guard (p >= L), always with p - c for some c >= the
        // smallest step, and its loop only lowers p: W2C may check the stack once for it all.
        if !decreasing.calls.isEmpty, let parameter = generator.localIndex[function.parameters[countdown.parameter]] {
            task.cloneRecursion = BoundedRecursion(
                function: index, parameter: parameter, isSigned: countdown.type.isSigned,
                bound: Int64(countdown.bound), step: UInt64(decreasing.smallestStep))
        }
        return index
    }

    /// The clone's own index for a self-call the clone keeps.
    func shortCloneTarget(_ call: TExpr) -> UInt32? {
        guard case .shortClone(let index, let calls) = countdownRole, calls.contains(ObjectIdentifier(call)) else { return nil }
        return index
    }
}
