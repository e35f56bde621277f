/// Bounds-check facts across control flow. What is known when a block, loop or if is entered
/// still holds at its `else` (the other arm starts from the same state) and after its `end` for
/// every local the frame does not write: every path to those points passes through the entry,
/// and memory never shrinks. Facts learned inside a frame also hold after its `end` when every
/// way there knows them: each branch to the frame's label records what it knows, and the
/// `end` keeps what all of them (and the fall-through, and an `if`'s missing `else`) agree on.
/// A loop's `end` is reached only by falling through, so what the loop body knows last holds.
/// At a loop head, facts about the locals the loop never writes hold too.
extension FunctionWriter {
    struct EntryFacts {
        var slotSources: [SlotSource?]
        var checkedExtents: [Int: UInt64]
        var indexBounds: [Int: Int]
        var copyOrigins: [Int: Int]
    }

    /// The facts at the entry of a frame whose stack starts at `height` (slots at or above it
    /// belong to the frame and are overwritten inside).
    func entryFacts(height: Int) -> EntryFacts {
        EntryFacts(slotSources: Array(slotSources.prefix(height)), checkedExtents: checkedExtents,
                   indexBounds: indexBounds, copyOrigins: copyOrigins)
    }

    /// At `else`: the entry facts of the `if`.
    mutating func restoreEntryFacts(_ facts: EntryFacts?) {
        guard let facts else { return forgetFacts() }
        slotSources = facts.slotSources
        checkedExtents = facts.checkedExtents
        indexBounds = facts.indexBounds
        copyOrigins = facts.copyOrigins
    }

    /// At `end`: the entry facts, less those about locals the frame wrote, plus the facts every
    /// way to the end agrees on (`arriving`, nil when nothing is known about the ways).
    mutating func restoreEntryFacts(_ facts: EntryFacts?, writtenInside written: Set<Int>, arriving: EntryFacts? = nil) {
        restoreEntryFacts(facts)
        for l in written { dropFacts(about: l) }
        guard let arriving, facts != nil else { return }
        checkWindow = nil
        for (l, extent) in arriving.checkedExtents where extent > (checkedExtents[l] ?? 0) { checkedExtents[l] = extent }
        for (l, n) in arriving.indexBounds where indexBounds[l] == nil { indexBounds[l] = n }
        for (l, origin) in arriving.copyOrigins where copyOrigins[l] == nil { copyOrigins[l] = origin }
    }

    /// The facts now, for a branch or fall-through arriving at a frame's `end`.
    func arrivingFacts() -> EntryFacts {
        EntryFacts(slotSources: [], checkedExtents: checkedExtents, indexBounds: indexBounds, copyOrigins: copyOrigins)
    }

    /// Facts known on both ways to a point. Past `maximumMergedFacts` a side is not merged
    /// (the entry's facts still hold), so that merging stays cheap in huge functions.
    static func meet(_ a: EntryFacts?, _ b: EntryFacts) -> EntryFacts? {
        let size = b.checkedExtents.count + b.indexBounds.count + b.copyOrigins.count
        guard size <= maximumMergedFacts else { return nil }
        guard let a else { return b }
        var out = EntryFacts(slotSources: [], checkedExtents: [:], indexBounds: [:], copyOrigins: [:])
        for (l, e) in a.checkedExtents { if let f = b.checkedExtents[l] { out.checkedExtents[l] = min(e, f) } }
        for (l, n) in a.indexBounds where b.indexBounds[l] == n { out.indexBounds[l] = n }
        for (l, o) in a.copyOrigins where b.copyOrigins[l] == o { out.copyOrigins[l] = o }
        return out
    }

    static let maximumMergedFacts = 256

    /// A way to the end of `frames[target]` (a branch to a block's label, an arm's fall-through).
    mutating func noteArrival(at target: Int) {
        guard !dead, target < frames.count, frames[target].kind != .loop, frames[target].kind != .function else { return }
        let facts = arrivingFacts()
        if frames[target].arrivals == 0 {
            frames[target].arriving = Self.meet(nil, facts)
        } else if frames[target].arriving != nil {
            frames[target].arriving = Self.meet(frames[target].arriving, facts)
        }
        frames[target].arrivals += 1
    }

    /// At `end` of the innermost frame, before it closes: what every way to the end knows.
    mutating func factsArrivingAtEnd() -> EntryFacts? {
        guard let frame = frames.last, frame.entry != nil else { return nil }
        switch frame.kind {
        case .loop:
            return frame.unreachable ? nil : arrivingFacts()
        case .block, .else:
            var known = frame.arrivals == 0 ? nil : frame.arriving
            if frame.arrivals > 0, known == nil { return nil }
            if !frame.unreachable {
                known = Self.meet(frame.arrivals == 0 ? nil : known, arrivingFacts())
                if known == nil { return nil }
            }
            return known
        case .if:
            // No `else`: the false condition arrives with the entry's facts.
            guard let entry = frame.entry else { return nil }
            var known = frame.arrivals == 0 ? nil : frame.arriving
            if frame.arrivals > 0, known == nil { return nil }
            if !frame.unreachable {
                known = Self.meet(frame.arrivals == 0 ? nil : known, arrivingFacts())
                if known == nil { return nil }
            }
            return Self.meet(known, entry)
        case .function:
            return nil
        }
    }

    /// At a loop head, which back edges also reach: facts about locals the loop body never
    /// writes hold on every path (memory never shrinks); the rest go, and so do the slots from
    /// `height` up (the loop's parameters, which every back edge sets anew).
    mutating func keepLoopInvariantFacts(height: Int) {
        defer { loopsSeen += 1 }
        guard loopsSeen < loopWrites.count else { return forgetFacts() }
        checkWindow = nil
        if slotSources.count > height { slotSources.removeSubrange(max(0, height)...) }
        for l in loopWrites[loopsSeen] { dropFacts(about: l) }
    }

    /// Records a write of local `l` in the innermost frame.
    mutating func noteWrite(_ l: Int) {
        // The function's own frame has no `end` that restores facts: its writes are not needed.
        if frames.count > 1 { frames[frames.count - 1].written.insert(l) }
    }

    /// After `frames.removeLast()`: the closed frame's writes are writes of the enclosing one.
    mutating func propagateWrites(_ written: Set<Int>) {
        if !frames.isEmpty, !written.isEmpty { frames[frames.count - 1].written.formUnion(written) }
    }
}
