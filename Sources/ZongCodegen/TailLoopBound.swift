import ZongSema

/// When a tail loop may run without its iteration limit (see TailRecursion.swift). The proof
/// is a countdown: some integer parameter `p` that nothing assigns is guarded by a top-level
/// `if p < K { …; return …; }` (or `p <= K`, `K > p`, `K >= p`, an `||` holding one of them, or
/// `p == 0` for an unsigned `p`), no tail site runs before that guard or inside it, and every
/// tail site passes `p - c` with a constant `c ≥ 1`.
///
/// Past the guard `p ≥ L` (L = K, or K + 1 for `<=`), so the next `p` is `p - c`, which cannot
/// wrap while `L - c` stays within p's type. Each iteration therefore lowers `p` by at least 1,
/// and `p` never drops below `L - c`: the loop runs at most `(p - L) / c + 1` times.
///
/// Finite is not enough, though: `f(0 - 1)` on a U64 counts down 2^64 times, which the
/// recursion it replaces would end with `stack overflow`. So the limit is dropped only while
/// the loop is short: when p's type cannot hold a start more than `maxIterations` steps above
/// L, always; otherwise when the activation starts with `p ≤ threshold`. A function with such
/// a threshold gets a second copy, its short clone (CountdownClone.swift), that loops without
/// the limit: the original tests `p` once on entry and hands a short countdown over to the
/// clone, whose own recursive calls `f(p - c)` stay short. A longer countdown keeps the limit
/// in the original and behaves exactly like the recursion.
struct TailCountdown {
    /// The counting parameter.
    var parameter: Int
    /// L: the least value of the parameter past the guard.
    var bound: Int
    /// Where the guard is in the function's top-level statements.
    var guardStatement: Int
    /// The largest start value that needs no limit, as the bit pattern of p's WASM local; nil
    /// when every value of the type qualifies.
    var threshold: UInt64?
    var type: IntegerType

    /// About the depth of plain recursion either engine allows, so that no program that would
    /// have ended with `stack overflow` runs on instead.
    static let maxIterations = 1 << 20
}

enum TailLoopBound {
    static func countdown(_ function: FunctionDef, written: Set<LocalVar>) -> TailCountdown? {
        for k in function.parameters.indices {
            let p = function.parameters[k]
            guard case .integer(let type) = p.type, !written.contains(p),
                  let (bound, step, guardStatement) = countsDown(function, parameter: k, type: type) else { continue }
            return TailCountdown(parameter: k, bound: bound, guardStatement: guardStatement,
                                 threshold: threshold(bound: bound, step: step, type), type: type)
        }
        return nil
    }

    /// The self-calls past the guard that pass `p - c` (`c ≥ 1`, no wrap): each starts a countdown
    /// below its caller's, so a short countdown's calls are short too. Also the smallest `c`
    /// among them, which bounds how deep they can nest.
    static func decreasingCalls(_ function: FunctionDef, _ countdown: TailCountdown) -> (calls: Set<ObjectIdentifier>, smallestStep: Int) {
        let k = countdown.parameter, p = function.parameters[k]
        var calls = Set<ObjectIdentifier>()
        var smallestStep = Int.max
        forEachNode(in: Array(function.body.dropFirst(countdown.guardStatement + 1))) { node in
            guard case .expression(let e) = node, case .call(.function(let callee), let args, let indices) = e.kind,
                  callee === function,
                  let c = decrement(args, indices, parameter: k, p, countdown.type),
                  case let (next, overflow) = countdown.bound.subtractingReportingOverflow(c), !overflow,
                  fits(next, countdown.type) else { return }
            calls.insert(ObjectIdentifier(e))
            smallestStep = min(smallestStep, c)
        }
        return (calls, smallestStep)
    }

    /// L + maxIterations * step as the bit pattern of a WASM local of `type` (narrow types are
    /// held sign- or zero-extended); nil when it lies past the type's maximum.
    private static func threshold(bound: Int, step: Int, _ type: IntegerType) -> UInt64? {
        let (span, o1) = UInt64(TailCountdown.maxIterations).multipliedReportingOverflow(by: UInt64(step))
        if type.isSigned {
            let (last, o2) = bound.addingReportingOverflow(Int(truncatingIfNeeded: span))
            guard !o1, span <= UInt64(Int.max), !o2, fits(last, type) else { return nil }
            return UInt64(bitPattern: Int64(last))
        }
        let (last, o2) = UInt64(bound).addingReportingOverflow(span)  // bound >= 0: it fits the type
        guard !o1, !o2, last <= type.maximum else { return nil }
        return last
    }

    /// The bound L past the guard, the smallest step and the guard's statement index, when the
    /// parameter counts down.
    private static func countsDown(_ function: FunctionDef, parameter k: Int, type: IntegerType) -> (Int, Int, Int)? {
        let p = function.parameters[k]
        var lowerBound: Int?
        var guardStatement = 0
        var sites = 0
        var smallestStep = Int.max
        for (index, statement) in function.body.enumerated() {
            if lowerBound == nil, let guarded = guardBound(statement, p, type) {
                if containsTailSite(guarded.body, function) { return nil }
                lowerBound = guarded.bound
                guardStatement = index
                continue
            }
            var allDecrease = true
            forEachNode(in: [statement]) { node in
                guard case .statement(.returnValue(let value?, _)) = node,
                      let site = TailRecursionPlan.site(value, in: function) else { return }
                sites += 1
                guard let bound = lowerBound, let c = decrement(of: site, parameter: k, p, type),
                      case let (next, overflow) = bound.subtractingReportingOverflow(c), !overflow,
                      fits(next, type) else {
                    allDecrease = false
                    return
                }
                smallestStep = min(smallestStep, c)
            }
            if !allDecrease { return nil }
        }
        guard sites > 0, let bound = lowerBound else { return nil }
        return (bound, smallestStep, guardStatement)
    }

    /// `if COND { …; return …; }` with no else, and the bound on `p` that holds after it.
    private static func guardBound(_ s: TStmt, _ p: LocalVar, _ type: IntegerType) -> (body: [TStmt], bound: Int)? {
        guard case .ifElse(let branches, nil) = s, branches.count == 1,
              case .returnValue? = branches[0].body.last,
              let bound = boundWhenFalse(branches[0].condition, p, type) else { return nil }
        return (branches[0].body, bound)
    }

    /// The least value `p` can have when `condition` is false.
    private static func boundWhenFalse(_ condition: TExpr, _ p: LocalVar, _ type: IntegerType) -> Int? {
        switch condition.kind {
        case .logicalOr(let a, let b):
            let bounds = [boundWhenFalse(a, p, type), boundWhenFalse(b, p, type)].compactMap { $0 }
            return bounds.max()
        case .comparison(let op, let a, let b):
            if isParameter(a, p), let k = constant(b, type) { return boundWhenFalse(op, k, type) }
            if isParameter(b, p), let k = constant(a, type) { return boundWhenFalse(op.mirrored, k, type) }
            return nil
        default:
            return nil
        }
    }

    /// The least `p` for which `p op k` is false.
    private static func boundWhenFalse(_ op: TExpr.ComparisonOp, _ k: Int, _ type: IntegerType) -> Int? {
        switch op {
        case .less: return k
        case .lessOrEqual: return k == Int.max ? nil : k + 1
        case .equal: return !type.isSigned && k == 0 ? 1 : nil
        default: return nil
        }
    }

    /// `c` when the site passes `p - c` for parameter `k`, with `c ≥ 1`.
    private static func decrement(of site: TailRecursionPlan.Site, parameter k: Int, _ p: LocalVar, _ type: IntegerType) -> Int? {
        switch site {
        case .call(let a, let i), .after(_, _, let a, let i), .before(_, let a, let i, _):
            return decrement(a, i, parameter: k, p, type)
        }
    }

    /// `c` when a call with these arguments passes `p - c` for parameter `k`, with `c ≥ 1`.
    private static func decrement(_ args: [TExpr], _ indices: [Int], parameter k: Int, _ p: LocalVar, _ type: IntegerType) -> Int? {
        guard let position = indices.firstIndex(of: k),
              case .arithmetic(.subtract, let base, let amount) = args[position].kind, isParameter(base, p),
              let c = constant(amount, type), c >= 1 else { return nil }
        return c
    }

    private static func containsTailSite(_ body: [TStmt], _ function: FunctionDef) -> Bool {
        var found = false
        forEachNode(in: body) { node in
            if case .statement(.returnValue(let value?, _)) = node, TailRecursionPlan.site(value, in: function) != nil {
                found = true
            }
        }
        return found
    }

    private static func isParameter(_ e: TExpr, _ p: LocalVar) -> Bool {
        if case .local(let v) = e.kind { return v === p }
        return false
    }

    /// An integer constant's value in `type` (its bit pattern read signed or unsigned).
    private static func constant(_ e: TExpr, _ type: IntegerType) -> Int? {
        guard case .integer(let bits) = e.kind else { return nil }
        if type.isSigned {
            let shift = UInt64(64 - type.bits)
            return Int(Int64(bitPattern: bits << shift) >> Int64(shift))
        }
        return Int(exactly: bits)
    }

    /// Whether `v` is a value of `type`.
    private static func fits(_ v: Int, _ type: IntegerType) -> Bool {
        if v < 0 { return type.minimum.negative && v.magnitude <= type.minimum.magnitude }
        return UInt64(v) <= type.maximum
    }
}

private extension TExpr.ComparisonOp {
    /// The operator with its operands swapped: `a < b` is `b > a`.
    var mirrored: TExpr.ComparisonOp {
        switch self {
        case .less: .greater
        case .greater: .less
        case .lessOrEqual: .greaterOrEqual
        case .greaterOrEqual: .lessOrEqual
        case .equal, .notEqual: self
        }
    }
}
