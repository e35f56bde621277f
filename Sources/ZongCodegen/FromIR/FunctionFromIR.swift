import Wasm
import ZongIR

/// One IR function to one WASM function. Every register is a WASM local (W2C's C compiler
/// allocates the machine registers); block parameters are locals set on each edge (all
/// arguments pushed, then stored in reverse, which is a parallel copy). Slots form the tstack
/// frame: the prologue reserves it, checking for overflow, and every return releases it.
/// Structured control flow comes from the dominator tree (StructuredControl.swift).
final class FunctionFromIR {
    let g: ModuleGenerator
    let ir: IRProgram
    let f: IRFunction
    let firstFunction: UInt32
    let flow: ControlFlow
    let dominators: Dominators
    let uses: DefUse
    let stack: StackPlan

    var code: [Wasm.Instruction] = []
    var locals: [ValueType] = []
    var localNames: [Int: String] = [:]
    var marks: [SourceMark] = []
    var lastLine = -1
    var lastMark: Location?
    var localOf: [UInt32]
    var slotOffset: [Int] = []
    var frameSize = 0
    var framePointer: UInt32 = 0
    /// Enclosing WASM labels, innermost last (StructuredControl.swift).
    var labels: [Label] = []
    var isLoopHeader: [Bool]
    var isMergeNode: [Bool]
    /// Each block's children in the placement tree (StructuredControl.swift).
    var placementChildren: [[BlockID]]
    var loopBlocks: [BlockID: Set<BlockID>] = [:]
    /// The local holding `TailCallsToLoops.realCallBudget`, for the bounded-recursion section.
    private(set) var budgetLocal: UInt32?
    /// The static data the code refers to, in the order it was asked for, each with the
    /// position of its `i32.const` placeholder in `code`. Functions are generated in parallel;
    /// ModuleGenerator settles the requests afterwards in function order (the interning order
    /// decides the addresses).
    private(set) var dataRequests: [(request: DataRequest, position: Int)] = []

    enum Label: Equatable {
        case loop(BlockID)
        case block(BlockID)
        case ifElse
    }

    init(_ g: ModuleGenerator, _ ir: IRProgram, _ f: IRFunction, firstFunction: UInt32) {
        self.g = g
        self.ir = ir
        self.f = f
        self.firstFunction = firstFunction
        flow = ControlFlow(f)
        dominators = Dominators(f, flow)
        uses = DefUse(f)
        stack = StackPlan(f, uses)
        localOf = [UInt32](repeating: 0, count: f.valueTypes.count)
        isLoopHeader = [Bool](repeating: false, count: f.blocks.count)
        isMergeNode = [Bool](repeating: false, count: f.blocks.count)
        placementChildren = [[BlockID]](repeating: [], count: f.blocks.count)
    }

    static func valueType(_ t: IRType) -> ValueType { t == .i64 ? .i64 : .i32 }

    var parameterCount: Int { f.parameterTypes.count }

    func addLocal(_ t: ValueType, name: String? = nil) -> UInt32 {
        let index = parameterCount + locals.count
        locals.append(t)
        if let name { localNames[index] = name }
        return UInt32(index)
    }

    func generate() -> Function {
        let entryParameters = f.blocks.first?.parameters ?? []
        for (i, p) in entryParameters.enumerated() { localOf[p.id] = UInt32(i) }
        allocateLocals(entryParameters: Set(entryParameters))
        layOutFrame()
        classifyBlocks()
        mark(f.location)
        if frameSize > 0 { prologue() }
        emitStructured(from: IRFunction.entry)
        if f.resultType != nil { code.append(.unreachable) }
        let results = f.resultType.map { [Self.valueType($0)] } ?? []
        return Function(name: f.name, type: FunctionType(f.parameterTypes.map(Self.valueType), results), locals: locals,
                        localNames: localNames, body: code, marks: marks)
    }

    // MARK: Locals

    /// Registers to locals (LocalAllocation.swift); the entry block's parameters are the
    /// function's WASM parameters.
    func allocateLocals(entryParameters: Set<Value>) {
        // The real-call budget gets a local of its own, which W2C may then read as 1.
        let budget = TailCallsToLoops.realCallBudget(f).flatMap { entryParameters.contains($0) ? nil : $0 }
        let allocation = LocalAllocation(f, flow, uses, stack, parameterCount: parameterCount, entryParameters: entryParameters,
                                         unshared: budget)
        for (id, local) in allocation.localOf.enumerated() {
            if let local { localOf[id] = local }
        }
        locals += allocation.localTypes
        if let budget {
            budgetLocal = localOf[budget.id]
            localNames[Int(localOf[budget.id])] = "budget"
        }
    }

    // MARK: Frame

    func layOutFrame() {
        var offset = 0
        for s in f.slots {
            let a = min(max(s.alignment, 1), 8)
            offset = (offset + a - 1) / a * a
            slotOffset.append(offset)
            offset += s.size
        }
        frameSize = (offset + 15) / 16 * 16
        if frameSize > 0 { framePointer = addLocal(.i32, name: "fp") }
    }

    /// sp < frame + 1024 (unsigned) means the frame does not fit: `tstack overflow` at the
    /// function's position.
    func prologue() {
        let size = Int32(clamping: frameSize)
        code += [.globalGet(Globals.stackPointer), .i32Const(size &+ Int32(MemoryMap.nullPageEnd)), .numeric(.i32LtU), .if(.empty)]
        appendMessage("tstack overflow")
        appendAddress(site(f.location))
        code += [.call(g.builtin(.panic)), .unreachable, .end,
                 .globalGet(Globals.stackPointer), .i32Const(size), .numeric(.i32Sub), .localTee(framePointer),
                 .globalSet(Globals.stackPointer)]
    }

    func epilogue() {
        guard frameSize > 0 else { return }
        code += [.localGet(framePointer), .i32Const(Int32(clamping: frameSize)), .numeric(.i32Add), .globalSet(Globals.stackPointer)]
    }

    // MARK: Positions

    func mark(_ l: Location) {
        guard !f.isLibrary, l.line > 0, l.line != lastLine else { return }
        lastLine = l.line
        lastMark = l
        marks.append(SourceMark(instruction: code.count, file: 0, line: l.line, column: l.column))
    }

    /// The static record `file:line:column` panics print.
    func site(_ l: Location) -> DataRequest {
        if f.isLibrary { return .record("\(f.name) (standard library)") }
        let line = l.line > 0 ? l.line : f.location.line
        let column = l.line > 0 ? l.column : f.location.column
        return .record("\(g.fileName):\(line):\(column)")
    }

    func panic(_ message: String, _ l: Location) {
        appendMessage(message)
        appendAddress(site(l))
        code += [.call(g.builtin(.panic)), .unreachable]
    }

    // MARK: Static data

    /// Asks for static data whose address goes into the `i32.const` at `position`.
    func request(_ r: DataRequest, at position: Int) { dataRequests.append((r, position)) }

    /// Appends the `i32.const` of `r`'s address (a placeholder until it is settled).
    func appendAddress(_ r: DataRequest) {
        request(r, at: code.count)
        code.append(.i32Const(0))
    }

    /// Appends a message's address and length, as the panic built-in takes them.
    func appendMessage(_ text: String) {
        let bytes = Array(text.utf8)
        appendAddress(.bytes(bytes))
        code.append(.i32Const(Int32(bytes.count)))
    }

    // MARK: Registers

    /// Pushes `v`: its local, or, for a value the stack plan defers, its computation.
    func get(_ v: Value) {
        guard v.id < stack.deferred.count, stack.deferred[v.id], let inst = uses.instruction(v, in: f) else {
            code.append(.localGet(localOf[v.id]))
            return
        }
        if case .load = inst.op {
            // A load can trap: it keeps its own line, and the user's line is restored after.
            let user = lastMark
            mark(inst.location)
            emitOperation(inst)
            if let user { mark(user) }
        } else {
            emitOperation(inst)
        }
    }
    func set(_ v: Value) { code.append(.localSet(localOf[v.id])) }
    func type(_ v: Value) -> IRType { f.type(of: v) ?? .i32 }

    /// An edge's arguments into its target's parameters, as one parallel copy.
    func passArguments(_ e: Edge) {
        let parameters = f.blocks[e.block.index].parameters
        let moves = zip(parameters, e.arguments).filter { localOf[$0.0.id] != localOf[$0.1.id] || stack.deferred[$0.1.id] }
        for (_, a) in moves { get(a) }
        for (p, _) in moves.reversed() { set(p) }
    }
}

/// Static data a function's code needs the address of (StaticData stores each once).
enum DataRequest {
    /// Plain bytes: a string literal or a panic message.
    case bytes([UInt8])
    /// A length-prefixed record: a panic location.
    case record(String)
}
