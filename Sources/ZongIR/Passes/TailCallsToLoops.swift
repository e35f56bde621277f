/// tail-calls: a function that calls itself and returns that call's result (`return f(…)`)
/// jumps back to its start instead, so deep tail recursion runs in constant stack. The body
/// moves from the entry block to a loop header whose parameters replace the function's; the
/// entry keeps only the tstack check. Only for functions without slots (after promotion), so
/// no argument can point into a frame that the next iteration reuses, and without a hidden
/// result address.
public struct TailCallsToLoops: FunctionPass {
    public var name: String { "tail-calls" }
    public var summary: String { "turn self tail calls into loops" }
    public init() {}

    public func run(_ f: inout IRFunction, in program: IRProgram) {
        guard f.slots.isEmpty, !f.hasResultAddress, !f.blocks.isEmpty else { return }
        func isSelf(_ id: FunctionID) -> Bool {
            id.index < program.functions.count && program.functions[id.index].name == f.name
                && program.functions[id.index].location == f.location && program.functions[id.index].parameterTypes == f.parameterTypes
        }
        var sites: [(block: Int, arguments: [Value])] = []
        for (bi, b) in f.blocks.enumerated() {
            guard let last = b.instructions.last, case .call(let id, let args) = last.op, isSelf(id),
                  case .returnValue(let r) = b.terminator, r == last.result else { continue }
            sites.append((bi, args))
        }
        if sites.isEmpty { return }
        let entryParameters = f.blocks[0].parameters
        let header = f.addBlock()
        let loopParameters = entryParameters.map { f.newValue(f.type(of: $0) ?? .i32) }
        f.blocks[header.index].parameters = loopParameters
        let isCheck: (Instruction) -> Bool = { if case .check(.tstack, _) = $0.op { return true } else { return false } }
        f.blocks[header.index].instructions = f.blocks[0].instructions.filter { !isCheck($0) }
        f.blocks[header.index].terminator = f.blocks[0].terminator
        f.blocks[header.index].terminatorLocation = f.blocks[0].terminatorLocation
        f.blocks[0].instructions = f.blocks[0].instructions.filter(isCheck)
        for (b, arguments) in sites {
            let target = b == 0 ? header.index : b
            let location = f.blocks[target].instructions.last?.location ?? .none
            f.blocks[target].instructions.removeLast()
            f.blocks[target].terminator = .branch(Edge(header, arguments))
            f.blocks[target].terminatorLocation = location
        }
        var map: [Value: Value] = [:]
        for (p, q) in zip(entryParameters, loopParameters) { map[p] = q }
        f.replaceUses(map)
        f.blocks[0].terminator = .branch(Edge(header, entryParameters))
    }
}
