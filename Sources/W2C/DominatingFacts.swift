/// Bounds-check facts across control flow. What is known when a block, loop or if is entered
/// still holds at its `else` (the other arm starts from the same state) and after its `end` for
/// every local the frame does not write: every path to those points passes through the entry,
/// and memory never shrinks. Facts learned inside a frame are dropped at its `end`. At a loop
/// head, facts about the locals the loop never writes hold too.
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

    /// At `end`: the entry facts, less those about locals the frame wrote.
    mutating func restoreEntryFacts(_ facts: EntryFacts?, writtenInside written: Set<Int>) {
        restoreEntryFacts(facts)
        for l in written { dropFacts(about: l) }
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
