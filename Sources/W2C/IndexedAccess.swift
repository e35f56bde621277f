import WasmParser

/// Element accesses behind an index check (W2C_DESIGN §7.2, beyond items 1-3).
///
/// Code that indexes an array checks `if (i >= n) <no way out>` and then accesses
/// `base + (u32)i * S` (Zong's slices, and any compiler's bounds-checked arrays). After such a
/// check `i < n` holds, so the access is in bounds whenever `base + n * S <= memory size`: a
/// test of values that do not change inside the loop. The access is written as
///
///     r = ZRT_FITS(base, n, S, ms) ? load_at(mb, (uint64_t)base + i * S + offset) : load(... checked ...);
///
/// Both arms are exact WebAssembly semantics (the checked arm is the ordinary access), so any
/// module translates correctly; but clang can move the loop-invariant test out of the loop
/// (the driver asks for non-trivial loop unswitching) and keep one loop with no memory checks.
///
/// Inside a loop the test compares with `ms_loop`, the memory size when the innermost loop was
/// entered, rather than `ms`, which a call refreshes: memory never shrinks, so `ms_loop` is never
/// above the real size, and the test stays loop-invariant in a loop that calls functions (clang
/// then unswitches it there too: nqueens 0.66 s -> 0.58 s, bytecode 1.04 s -> 0.75 s). A slice
/// allocated after the memory grew inside the loop takes the checked arm, which is exact.
///
/// Why the fast arm is in bounds: n <= (ms - base) / S gives base + n*S <= ms <= 2^32, and
/// i < n gives base + i*S + S <= ms; so neither the 32-bit product nor the sum wraps, and an
/// access of `offset + size <= S` bytes at base + i*S lies below ms. Since nothing wraps, the
/// fast arm computes the address in 64 bits from `i` itself: clang can then index with the
/// loop's own counter instead of keeping a second, 32-bit one and zero-extending it.
extension FunctionWriter {
    /// What the fall-through of an `if` whose arm cannot fall through knows, and the facts
    /// before the `if`, which are exactly the facts after its `end`.
    struct GuardState {
        var index: Int
        var bound: Int
        var slotSources: [SlotSource?]
        var checkedExtents: [Int: UInt64]
        var indexBounds: [Int: Int]
    }

    /// The source of the result of a comparison, from its operands' sources (before they pop).
    func compareSource(_ op: Instruction.Cmp) -> SlotSource? {
        guard op == .i64GeU, case .local(let i) = source(stack.count - 2), case .local(let n) = source(stack.count - 1),
              i != n else { return nil }
        return .atLeast(index: i, bound: n)
    }

    func binarySource(_ op: Instruction.Binary) -> SlotSource? {
        let a = source(stack.count - 2), b = source(stack.count - 1)
        switch op {
        case .i32Mul:
            if case .wrapped(let i) = a, case .constant(let s) = b, s > 0, s <= 1 << 16 { return .scaled(index: i, scale: s) }
            if case .constant(let s) = a, case .wrapped(let i) = b, s > 0, s <= 1 << 16 { return .scaled(index: i, scale: s) }
        case .i32Add:
            if case .local(let base) = a, let (i, s) = Self.scaledIndex(b) { return .element(base: base, index: i, scale: s) }
            if case .local(let base) = b, let (i, s) = Self.scaledIndex(a) { return .element(base: base, index: i, scale: s) }
        default:
            break
        }
        return nil
    }

    static func scaledIndex(_ s: SlotSource?) -> (Int, UInt32)? {
        switch s {
        case .wrapped(let i): (i, 1)
        case .scaled(let i, let scale): (i, scale)
        default: nil
        }
    }

    func conversionSource(_ op: Instruction.Conversion) -> SlotSource? {
        guard op == .i32WrapI64, case .local(let i) = source(stack.count - 1) else { return nil }
        return .wrapped(i)
    }

    /// At `if`: remembers what holds on its fall-through when the condition is `i >= n`.
    func guardState(condition: SlotSource?) -> GuardState? {
        guard ctx.options.boundsMode == .checked, case .atLeast(let i, let n) = condition else { return nil }
        return GuardState(index: i, bound: n, slotSources: slotSources, checkedExtents: checkedExtents,
                          indexBounds: indexBounds)
    }

    /// At `end`: the guard state of the closing frame when only its condition's false path
    /// reaches past it (an `if` without `else` whose arm ends in a trap or branch and which no
    /// branch targets).
    func closingGuard() -> GuardState? {
        guard let frame = frames.last, frame.kind == .if, frame.unreachable, !frame.labelUsed, !frame.deadEntry else { return nil }
        return frame.guardState
    }

    mutating func restore(_ g: GuardState) {
        slotSources = g.slotSources
        checkedExtents = g.checkedExtents
        indexBounds = g.indexBounds
        indexBounds[g.index] = g.bound
    }

    /// The fast arm of an element access: its test and its exact 64-bit effective address.
    struct FastElement {
        /// `ZRT_FITS(base, n, scale, ms)`, or with `ms_loop` inside a loop.
        var test: String
        /// The test reads `ms_loop`.
        var readsLoopSize: Bool
        /// `(uint64_t)base + i * scale + offset`.
        var address: String
    }

    /// The fast arm when the access at stack slot `depth` is an element access behind an index
    /// check and `offset + size` fits in one element; nil otherwise.
    func fastElement(depth: Int, offset: UInt64, size: UInt64) -> FastElement? {
        guard ctx.options.boundsMode == .checked, case .element(let base, let i, let scale) = source(depth),
              let n = indexBounds[i], offset + size <= UInt64(scale) else { return nil }
        let scaled = scale == 1 ? localCNames[i] : "\(localCNames[i]) * \(scale)u"
        let displaced = offset == 0 ? "" : " + \(offset)u"
        let loopSize = loopDepth > 0 && refreshesSize
        return FastElement(test: "ZRT_FITS(\(localCNames[base]), \(localCNames[n]), \(scale)u, \(loopSize ? "ms_loop" : "ms"))",
                           readsLoopSize: loopSize, address: "(uint64_t)\(localCNames[base]) + \(scaled)\(displaced)")
    }
}
