import Wasm
import ZongSema
import ZongSyntax

/// Index checks in counted loops. A loop of the shape
///
///     loop { if i >= n { break; } …; i = i + c; }     (or `i > m`, `n <= i`, `m < i`)
///
/// whose body indexes slices with `i` itself checks `i < length` on every iteration, and clang
/// cannot drop the check (the C's arithmetic wraps, and nothing there says `i` stays small).
/// But one test before the loop decides every check at once: if `0 <= i`, `0 <= n` and
/// `n <= length` for each such slice, then every `s[i]` the body evaluates has `0 <= i < n`
/// (`i` only grows, by a constant up to 2^16 or a loop-invariant step the test bounds to
/// 0...2^32, so it cannot wrap on the way).
/// So the loop is written twice under that test: a fast copy without those checks, and the
/// original for every other case (where an index may fail and must panic at its own place).
///
/// The fast copy's exit test is unsigned, `i >=u n` (the same as the signed one once both are
/// non-negative): that is the `if (i >= n) <branch out>` W2C reads as an index check, so its
/// memory accesses get the same loop-invariant bounds test as checked ones (IndexedAccess.swift).
///
/// Only innermost loops are copied, so code grows at most twofold; the headers of the slices
/// must be loaded before the loop (SliceHeaderHoisting.swift), which also means the body cannot
/// change a slice's length.
extension FunctionGenerator {
    /// A loop the fast copy applies to.
    struct CountedLoop {
        /// The loop counter, a register local of type I64.
        var counter: LocalVar
        /// The exclusive bound when `inclusive` is false (`i >= n`), the inclusive one (`i > m`)
        /// otherwise; pure and unchanged by the body.
        var bound: TExpr
        var inclusive: Bool
        /// The increment when it is not a small constant; the guard then requires
        /// `0 <= step <= 2^32`, so that `i + step` cannot wrap either.
        var variableStep: TExpr?
        /// The exit test's source position.
        var exitSpan: SourceSpan
        /// The body after the exit test.
        var rest: [TStmt]
        /// The slices indexed by `counter` whose headers are in locals.
        var slices: [HeaderKey]
    }

    /// The fast copy's shortcut: `s[counter]` needs no index check for these slices.
    struct UncheckedIndex {
        var counter: LocalVar
        var slices: Set<HeaderKey>
    }

    /// The counted loop `body` is, if it indexes a cached slice with its counter.
    func countedLoop(_ body: [TStmt]) -> CountedLoop? {
        guard let first = body.first, case .ifElse(let branches, nil) = first, branches.count == 1,
              branches[0].body.count == 1, case .breakLoop = branches[0].body[0],
              let (counter, bound, inclusive) = exitTest(branches[0].condition),
              let last = body.last, let step = increment(last, of: counter) else { return nil }
        let rest = Array(body.dropFirst())
        var writesCounter = 0, nested = false, boundChanges = false
        let boundLocals = locals(of: bound).union(step.map { locals(of: $0) } ?? [])
        var slices: [HeaderKey] = []
        forEachNode(in: rest) { node in
            switch node {
            case .statement(.loop):
                nested = true
            case .statement(.assign(let target, _, _)):
                guard case .local(let v) = target.kind else { break }
                if v == counter { writesCounter += 1 }
                if boundLocals.contains(v) { boundChanges = true }
            case .statement(.variable(let v, _)):
                if boundLocals.contains(v) || v == counter { boundChanges = true }
            case .expression(let e):
                if case .index(let slice, let index) = e.kind, case .local(let v) = index.kind, v == counter,
                   let key = headerKey(slice), headerCache[key] != nil, !slices.contains(key) {
                    slices.append(key)
                }
            default:
                break
            }
        }
        guard writesCounter == 1, !nested, !boundChanges, !slices.isEmpty else { return nil }
        return CountedLoop(counter: counter, bound: bound, inclusive: inclusive, variableStep: step,
                           exitSpan: branches[0].condition.span, rest: rest, slices: slices)
    }

    /// `i >= n`, `n <= i` (exclusive bound n) or `i > m`, `m < i` (inclusive bound m), with `i`
    /// a register I64 and the bound pure.
    private func exitTest(_ condition: TExpr) -> (LocalVar, TExpr, Bool)? {
        guard case .comparison(let op, let a, let b) = condition.kind else { return nil }
        let counterFirst: (TExpr, TExpr, Bool)?
        switch op {
        case .greaterOrEqual: counterFirst = (a, b, false)
        case .greater: counterFirst = (a, b, true)
        case .lessOrEqual: counterFirst = (b, a, false)
        case .less: counterFirst = (b, a, true)
        default: counterFirst = nil
        }
        guard let (i, bound, inclusive) = counterFirst, case .local(let v) = i.kind, v.type == .integer(.i64),
              localIndex[v] != nil, isPureBound(bound), !locals(of: bound).contains(v) else { return nil }
        return (v, bound, inclusive)
    }

    /// Constants and register I64 locals under `+`, `-`, `*`: nothing that reads memory or traps.
    private func isPureBound(_ e: TExpr) -> Bool {
        guard e.type == .integer(.i64) else { return false }
        switch e.kind {
        case .integer: return true
        case .local(let v): return localIndex[v] != nil
        case .arithmetic(let op, let a, let b):
            return (op == .add || op == .subtract || op == .multiply) && isPureBound(a) && isPureBound(b)
        default: return false
        }
    }

    private func locals(of e: TExpr) -> Set<LocalVar> {
        var found: Set<LocalVar> = []
        forEachNode(in: [.expression(e)]) { node in
            if case .expression(let x) = node, case .local(let v) = x.kind { found.insert(v) }
        }
        return found
    }

    /// `i = i + step` or `i = step + i`: `.some(nil)` for a constant step 0...2^16 (so `i + c` stays
    /// below 2^32 + 2^16), `.some(step)` for a pure step the guard must bound, nil otherwise.
    private func increment(_ s: TStmt, of i: LocalVar) -> TExpr?? {
        guard case .assign(let target, let value, _) = s, case .local(let v) = target.kind, v == i,
              case .arithmetic(.add, let a, let b) = value.kind else { return nil }
        let step: TExpr
        if case .local(let x) = a.kind, x == i { step = b } else if case .local(let x) = b.kind, x == i { step = a } else { return nil }
        if case .integer(let c) = step.kind { return c <= 1 << 16 ? .some(nil) : nil }
        guard isPureBound(step), !locals(of: step).contains(i) else { return nil }
        return .some(step)
    }

    /// Writes `loop` as `if (guard) { fast copy } else { original }`.
    func versionedLoop(_ counted: CountedLoop, original body: [TStmt]) {
        guard let i = localIndex[counted.counter] else { return plainLoop(body) }
        mark(counted.exitSpan)
        let n = temp(.i64)
        expression(counted.bound)
        if counted.inclusive { f.emit([.i64Const(1), .numeric(.i64Add)]) }
        f.emit([.localSet(n),
                .localGet(i), .i64Const(0), .numeric(.i64GeS),
                .localGet(n), .i64Const(0), .numeric(.i64GeS), .numeric(.i32And)])
        if let step = counted.variableStep {
            let c = temp(.i64)
            expression(step)
            f.emit([.localTee(c), .i64Const(0), .numeric(.i64GeS), .numeric(.i32And),
                    .localGet(c), .i64Const(1 << 32), .numeric(.i64LeS), .numeric(.i32And)])
        }
        for key in counted.slices {
            guard let cached = headerCache[key] else { continue }
            f.emit([.localGet(n), .localGet(cached.length), .numeric(.i64LeS), .numeric(.i32And)])
        }
        f.emit(.if(.empty))
        labels.append(.block)
        let outer = uncheckedIndex
        uncheckedIndex = UncheckedIndex(counter: counted.counter, slices: Set(counted.slices))
        f.emit([.block(.empty), .loop(.empty)])
        labels += [.loopBreak, .loopContinue]
        mark(counted.exitSpan)
        f.emit([.localGet(i), .localGet(n), .numeric(.i64GeU), .if(.empty)])
        labels.append(.block)
        f.emit(.br(depth(of: .loopBreak)))
        labels.removeLast()
        f.emit(.end)
        statements(counted.rest)
        f.emit([.br(0), .end, .end])
        labels.removeLast(2)
        uncheckedIndex = outer
        f.emit(.else)
        plainLoop(body)
        f.emit(.end)
        labels.removeLast()
    }

    /// `block $break { loop $continue { body; br $continue } }`
    func plainLoop(_ body: [TStmt]) {
        f.emit([.block(.empty), .loop(.empty)])
        labels += [.loopBreak, .loopContinue]
        statements(body)
        f.emit([.br(0), .end, .end])
        labels.removeLast(2)
    }

    /// In the fast copy: the address of `s[counter]` without the index check, when it has one.
    func uncheckedElementAddress(_ slice: TExpr, _ index: TExpr, elementSize: Int) -> Bool {
        guard let unchecked = uncheckedIndex, case .local(let v) = index.kind, v == unchecked.counter,
              let i = localIndex[v], let key = headerKey(slice), unchecked.slices.contains(key),
              let cached = headerCache[key] else { return false }
        f.emit([.localGet(cached.items), .localGet(i), .numeric(.i32WrapI64)])
        if elementSize != 1 { f.emit([.i32Const(Int32(elementSize)), .numeric(.i32Mul)]) }
        f.emit(.numeric(.i32Add))
        return true
    }
}
