extension IRFunction {
    /// Copies `blocks` into new blocks with fresh registers (allocated in the order given, so
    /// the result does not depend on a Set's order) and returns the block and register maps.
    /// Inside the copies, operands of copied registers are the copies'; `rewrite` may change
    /// each copied operation (given its source block and index); each edge of a copied
    /// terminator goes to `target(original target, block map)`.
    /// Loop passes use it: `loop-versioning` for its check-free copy, `unroll` for the second
    /// iteration.
    mutating func copyBlocks(_ blocks: [BlockID], rewrite: (BlockID, Int, Op) -> Op = { $2 },
                             target: (BlockID, [BlockID: BlockID]) -> BlockID) -> (blocks: [BlockID: BlockID], values: [Value: Value]) {
        var blockMap: [BlockID: BlockID] = [:]
        for b in blocks { blockMap[b] = addBlock() }
        var values: [Value: Value] = [:]
        for b in blocks {
            for p in self.blocks[b.index].parameters { values[p] = newValue(type(of: p) ?? .i32) }
            for inst in self.blocks[b.index].instructions {
                if let r = inst.result { values[r] = newValue(type(of: r) ?? .i32) }
            }
        }
        func value(_ v: Value) -> Value { values[v] ?? v }
        for b in blocks {
            guard let destination = blockMap[b] else { continue }
            let source = self.blocks[b.index]
            var copy = Block(parameters: source.parameters.map(value))
            copy.instructions = source.instructions.enumerated().map { i, inst in
                Instruction(result: inst.result.map(value), op: rewrite(b, i, inst.op.mapOperands(value)), location: inst.location)
            }
            copy.terminator = source.terminator.mapOperands(value).mapEdges { e in Edge(target(e.block, blockMap), e.arguments) }
            copy.terminatorLocation = source.terminatorLocation
            self.blocks[destination.index] = copy
        }
        return (blockMap, values)
    }
}
