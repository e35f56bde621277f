import Wasm
import ZongIR

/// Structured control flow from a reducible CFG by the dominator tree (Ramsey, "Beyond
/// Relooper", 2022): a block that is the target of a back edge opens a `loop`; the children of
/// a block that have several forward predecessors (merge nodes) follow it, each after the end
/// of a WASM `block` that a branch to it leaves; any other forward target is emitted in place,
/// at its only branch.
///
/// One refinement keeps nesting flat: a block that a loop exits to is placed after that loop
/// (its `block` wraps the `loop`), as a child of the outermost loop header it is not inside,
/// instead of inside the loop under its dominator. Without it, every loop of a long function
/// would hold all the code after it, and nesting would grow with the function.
///
/// Emission uses an explicit work stack, not recursion, so a function of any length cannot
/// exhaust the compiler's stack.
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
        let nest = LoopNest(f, flow, dominators)
        loopBlocks = nest.blocksOfHeader
        for b in flow.reversePostOrder.dropFirst() {
            guard let idom = dominators.idom[b.index] else { continue }
            let parent = nest.placement(of: b, dominator: idom)
            placementChildren[parent.index].append(b)
            isMergeNode[b.index] = forwardPredecessors[b.index] >= 2 || nest.isOutsideLoops(of: idom, b)
        }
    }

    func isBackward(_ from: BlockID, _ to: BlockID) -> Bool {
        flow.order[to.index] <= flow.order[from.index]
    }

    /// One step of emission; composite steps push their parts (in reverse).
    enum Step {
        case tree(BlockID)
        case within(BlockID, ArraySlice<BlockID>)
        case body(BlockID)
        case branch(from: BlockID, Edge)
        case code(Wasm.Instruction)
        case open(Label)
        case close
    }

    func emitStructured(from entry: BlockID) {
        var work: [Step] = [.tree(entry)]
        func push(_ steps: [Step]) { work += steps.reversed() }
        while let step = work.popLast() {
            switch step {
            case .tree(let x):
                push(tree(x))
            case .within(let x, let merges):
                if let y = merges.first {
                    push([.code(.block(.empty)), .open(.block(y)), .within(x, merges.dropFirst()), .close, .code(.end), .tree(y)])
                } else {
                    push([.body(x)])
                }
            case .body(let x):
                for inst in f.blocks[x.index].instructions { emit(inst) }
                push(terminator(x))
            case .branch(let x, let e):
                passArguments(e)
                let target = e.block
                if isBackward(x, target) {
                    br(to: .loop(target))
                } else if isMergeNode[target.index] {
                    br(to: .block(target))
                } else {
                    push([.tree(target)])
                }
            case .code(let i):
                code.append(i)
            case .open(let l):
                labels.append(l)
            case .close:
                labels.removeLast()
            }
        }
    }

    /// A subtree: a loop header's merge children that lie outside its loop are wrapped around
    /// the `loop` and follow it; the others (and every merge child of a non-header) are inside.
    func tree(_ x: BlockID) -> [Step] {
        let merges = placementChildren[x.index].filter { isMergeNode[$0.index] }
            .sorted { flow.order[$0.index] > flow.order[$1.index] }
        guard isLoopHeader[x.index] else { return [.within(x, merges[...])] }
        let inLoop = loopBlocks[x] ?? [x]
        let inner = merges.filter { inLoop.contains($0) }
        let outer = merges.filter { !inLoop.contains($0) }
        var steps: [Step] = [.code(.loop(.empty)), .open(.loop(x)), .within(x, inner[...]), .close, .code(.end)]
        // Outermost first: the earliest-emitted follower is the innermost block.
        for y in outer.reversed() {
            steps = [.code(.block(.empty)), .open(.block(y))] + steps + [.close, .code(.end), .tree(y)]
        }
        return steps
    }

    func terminator(_ x: BlockID) -> [Step] {
        let block = f.blocks[x.index]
        mark(block.terminatorLocation)
        switch block.terminator {
        case .branch(let e):
            return [.branch(from: x, e)]
        case .conditionalBranch(let c, let yes, let no):
            get(c)
            return [.code(.if(.empty)), .open(.ifElse), .branch(from: x, yes), .code(.else), .branch(from: x, no), .close, .code(.end)]
        case .returnValue(let v):
            if let v { get(v) }
            epilogue()
            code.append(.return)
            return []
        case .unreachable:
            code.append(.unreachable)
            return []
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
