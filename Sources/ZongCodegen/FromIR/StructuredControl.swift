import Wasm
import ZongIR

/// Structured control flow from a reducible CFG by the dominator tree (Ramsey, "Beyond
/// Relooper", 2022): a block that is the target of a back edge opens a `loop`; the dominator-
/// tree children of a block that have several forward predecessors (merge nodes) follow it,
/// each after the end of a WASM `block` that a branch to it leaves; any other forward target
/// is emitted in place, at its only branch.
extension FunctionFromIR {
    func classifyBlocks() {
        var forwardPredecessors = [Int](repeating: 0, count: f.blocks.count)
        for b in flow.reversePostOrder {
            for e in f.blocks[b.index].terminator.successors {
                if isBackward(b, e.block) {
                    isLoopHeader[e.block.index] = true
                } else {
                    forwardPredecessors[e.block.index] += 1
                }
            }
        }
        for i in f.blocks.indices { isMergeNode[i] = forwardPredecessors[i] >= 2 }
    }

    func isBackward(_ from: BlockID, _ to: BlockID) -> Bool {
        flow.order[to.index] <= flow.order[from.index]
    }

    func doTree(_ x: BlockID) {
        let merges = dominators.children[x.index].filter { isMergeNode[$0.index] }
            .sorted { flow.order[$0.index] > flow.order[$1.index] }
        if isLoopHeader[x.index] {
            code.append(.loop(.empty))
            labels.append(.loop(x))
            nodeWithin(x, merges[...])
            labels.removeLast()
            code.append(.end)
        } else {
            nodeWithin(x, merges[...])
        }
    }

    func nodeWithin(_ x: BlockID, _ merges: ArraySlice<BlockID>) {
        if let y = merges.first {
            code.append(.block(.empty))
            labels.append(.block(y))
            nodeWithin(x, merges.dropFirst())
            labels.removeLast()
            code.append(.end)
            doTree(y)
        } else {
            for inst in f.blocks[x.index].instructions { emit(inst) }
            terminator(x)
        }
    }

    func terminator(_ x: BlockID) {
        let block = f.blocks[x.index]
        mark(block.terminatorLocation)
        switch block.terminator {
        case .branch(let e):
            branch(from: x, e)
        case .conditionalBranch(let c, let yes, let no):
            get(c)
            code.append(.if(.empty))
            labels.append(.ifElse)
            branch(from: x, yes)
            code.append(.else)
            branch(from: x, no)
            labels.removeLast()
            code.append(.end)
        case .returnValue(let v):
            if let v { get(v) }
            epilogue()
            code.append(.return)
        case .unreachable:
            code.append(.unreachable)
        }
    }

    func branch(from x: BlockID, _ e: Edge) {
        passArguments(e)
        let target = e.block
        if isBackward(x, target) {
            br(to: .loop(target))
        } else if isMergeNode[target.index] {
            br(to: .block(target))
        } else {
            doTree(target)
        }
    }

    func br(to label: Label) {
        guard let index = labels.lastIndex(of: label) else {
            // Unreachable for the reducible graphs lowering produces; trap rather than
            // mistranslate if a pass ever breaks that.
            code.append(.unreachable)
            return
        }
        code.append(.br(UInt32(labels.count - 1 - index)))
    }
}
