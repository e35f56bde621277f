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

/// What a region of code (a loop body) may write, summarised so that asking whether a load
/// may be clobbered costs O(writes to the same base), not O(all writes): answers exactly what
/// asking `AliasAnalysis.mayClobber` of every write would.
public struct WriteSummary {
    let alias: AliasAnalysis
    /// A call, an extern call or `readLine`: reaches all memory and every escaped slot.
    var reachesAllMemory = false
    var slotWrites: [SlotID: [(offset: Int, bytes: Int)]] = [:]
    var escapedSlotWritten = false
    /// Stores through pointers, split by whether they write slice-header fields.
    var memoryWrites: [Bool: [Value: [(offset: Int, bytes: Int)]]] = [:]

    public init(_ alias: AliasAnalysis) {
        self.alias = alias
    }

    public mutating func add(_ op: Op) {
        switch op {
        case .store(let w, .slot(let s, let o), _):
            slotWrites[s, default: []].append((o, w.bytes))
            if alias.escaping.contains(s) { escapedSlotWritten = true }
        case .store(let w, .memory(let v, let o, let r), _):
            memoryWrites[r == .header, default: [:]][v, default: []].append((o, w.bytes))
        case .call, .callExtern, .builtin(.readLine, _):
            reachesAllMemory = true
        default:
            break
        }
    }

    public func mayClobber(_ address: Address, _ bytes: Int) -> Bool {
        switch address {
        case .slot(let s, let o):
            let escaped = alias.escaping.contains(s)
            if escaped && (reachesAllMemory || !memoryWrites.isEmpty) { return true }
            return slotWrites[s]?.contains { $0.offset < o + bytes && o < $0.offset + $0.bytes } ?? false
        case .memory(let v, let o, let r):
            if reachesAllMemory || escapedSlotWritten { return true }
            guard let byBase = memoryWrites[r == .header] else { return false }
            if byBase.count > 1 || (byBase.count == 1 && byBase[v] == nil) { return true }
            return byBase[v]?.contains { $0.offset < o + bytes && o < $0.offset + $0.bytes } ?? false
        }
    }
}
