/// Which memory accesses may touch the same bytes, from what addresses say (Region) and
/// which slots escape. Sound for Zong: a slot without `slotaddr` is reached only by direct
/// slot accesses; a slice header field is reached only by header accesses (or through an
/// escaped slot); two accesses from one base register at disjoint offsets do not overlap.
public struct AliasAnalysis {
    let escaping: Set<SlotID>

    public init(_ f: IRFunction) {
        escaping = escapingSlots(f)
    }

    /// Whether an access of `bytes` at `a` and one of `otherBytes` at `b` may overlap.
    public func mayAlias(_ a: Address, _ bytes: Int, _ b: Address, _ otherBytes: Int) -> Bool {
        switch (a, b) {
        case (.slot(let s, let o), .slot(let t, let p)):
            return s == t && o < p + otherBytes && p < o + bytes
        case (.slot(let s, _), .memory), (.memory, .slot(let s, _)):
            return escaping.contains(s)
        case (.memory(let v, let o, let r), .memory(let w, let p, let q)):
            if (r == .header) != (q == .header) { return false }
            if v == w { return o < p + otherBytes && p < o + bytes }
            return true
        }
    }

    /// Whether `op` may write bytes that a load of `bytes` at `address` reads.
    public func mayClobber(_ op: Op, _ address: Address, _ bytes: Int) -> Bool {
        switch op {
        case .store(let w, let target, _):
            return mayAlias(target, w.bytes, address, bytes)
        case .call, .callExtern:
            // A callee reaches memory and escaped slots, never this function's other slots.
            if case .slot(let s, _) = address { return escaping.contains(s) }
            return true
        case .builtin(.readLine, _):
            if case .slot(let s, _) = address { return escaping.contains(s) }
            return true
        default:
            return false
        }
    }
}
