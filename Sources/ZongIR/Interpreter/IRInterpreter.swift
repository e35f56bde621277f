/// Runs an IRProgram directly: the reference semantics of ZongIR, so the lowering and every
/// pass can be tested on real programs (the same program must print the same output with any
/// set of passes) independently of the WASM back end. Memory is one flat byte array laid out
/// like the module's (tstack, then heap); a step budget bounds every run.
public struct IRInterpreter {
    public struct Outcome: Equatable, Sendable {
        public var stdout: [UInt8]
        /// The runtime error message, when the run stopped on one.
        public var runtimeError: String?
    }

    public struct Limits: Sendable {
        public var steps = 50_000_000
        public var memoryBytes = 64 << 20
        public var tstackBytes = 1 << 20
        public var callDepth = 10_000
        public init() {}
    }

    let program: IRProgram
    let limits: Limits
    var memory: [UInt8]
    var tstackTop: Int
    let tstackEnd: Int
    var heapTop: Int
    var stdout: [UInt8] = []
    var stdin: [UInt8]
    var inputPosition = 0
    var steps = 0
    var depth = 0

    struct Fault: Error {
        var message: String
        var location: Location
        /// The library function it happened in.
        var library: String?
    }

    public static func run(_ program: IRProgram, stdin: [UInt8] = [], limits: Limits = Limits()) -> Outcome {
        var interpreter = IRInterpreter(program, stdin: stdin, limits: limits)
        do {
            _ = try interpreter.call(program.entry, [])
            return Outcome(stdout: interpreter.stdout, runtimeError: nil)
        } catch let fault as Fault {
            if let library = fault.library { return Outcome(stdout: interpreter.stdout, runtimeError: "\(fault.message) at \(library) (standard library)") }
            let at = fault.location.line > 0 ? " at \(program.fileName):\(fault.location.line):\(fault.location.column)" : ""
            return Outcome(stdout: interpreter.stdout, runtimeError: fault.message + at)
        } catch {
            return Outcome(stdout: interpreter.stdout, runtimeError: "\(error)")
        }
    }

    init(_ program: IRProgram, stdin: [UInt8], limits: Limits) {
        self.program = program
        self.limits = limits
        self.stdin = stdin
        // Address 0 stays unused so a zero pointer never aliases a slot.
        tstackTop = 64
        tstackEnd = 64 + limits.tstackBytes
        heapTop = tstackEnd
        memory = [UInt8](repeating: 0, count: tstackEnd + 4096)
    }

    // MARK: Memory

    func alignUp(_ n: Int, _ a: Int) -> Int { (n + a - 1) / a * a }

    mutating func allocate(_ bytes: Int, _ location: Location) throws -> Int {
        let start = alignUp(heapTop, 8)
        guard bytes >= 0, start + bytes <= limits.memoryBytes else { throw Fault(message: "out of memory", location: location) }
        heapTop = start + bytes
        if heapTop > memory.count {
            memory.append(contentsOf: [UInt8](repeating: 0, count: max(heapTop - memory.count, memory.count / 2)))
        }
        return start
    }

    func read(_ address: Int, _ width: MemoryWidth, _ location: Location) throws -> UInt64 {
        guard address >= 0, address + width.bytes <= memory.count else {
            throw Fault(message: "memory access out of bounds", location: location)
        }
        var v: UInt64 = 0
        for i in (0..<width.bytes).reversed() { v = v << 8 | UInt64(memory[address + i]) }
        if width.signed, width.bytes < 8 {
            let shift = UInt64(64 - width.bytes * 8)
            v = UInt64(bitPattern: Int64(bitPattern: v << shift) >> Int64(shift))
        }
        return v
    }

    mutating func write(_ address: Int, _ width: MemoryWidth, _ value: UInt64, _ location: Location) throws {
        guard address >= 0, address + width.bytes <= memory.count else {
            throw Fault(message: "memory access out of bounds", location: location)
        }
        var v = value
        for i in 0..<width.bytes {
            memory[address + i] = UInt8(truncatingIfNeeded: v)
            v >>= 8
        }
    }

    // MARK: Calls

    struct Frame {
        var registers: [UInt64]
        var slotBase: [Int]
    }

    mutating func call(_ id: FunctionID, _ arguments: [UInt64]) throws -> UInt64? {
        let f = program.functions[id.index]
        guard f.isLibrary else { return try run(f, arguments) }
        do {
            return try run(f, arguments)
        } catch var fault as Fault where fault.library == nil {
            fault.library = f.name
            throw fault
        }
    }

    mutating func run(_ f: IRFunction, _ arguments: [UInt64]) throws -> UInt64? {
        depth += 1
        defer { depth -= 1 }
        if depth > limits.callDepth { throw Fault(message: "stack overflow in \(f.name)", location: f.location) }
        let savedTop = tstackTop
        defer { tstackTop = savedTop }
        var frame = Frame(registers: [UInt64](repeating: 0, count: f.valueTypes.count), slotBase: [])
        var top = tstackTop
        for s in f.slots {
            top = alignUp(top, max(s.alignment, 1))
            frame.slotBase.append(top)
            top += s.size
        }
        let frameEnd = alignUp(top, 8)
        // The frame is reserved on entry; `check tstack` only reports that it does not fit.
        tstackTop = min(frameEnd, tstackEnd)
        for (p, a) in zip(f.blocks[0].parameters, arguments) { frame.registers[p.id] = a }
        var block = IRFunction.entry
        while true {
            let b = f.blocks[block.index]
            for inst in b.instructions {
                steps += 1
                if steps > limits.steps { throw Fault(message: "step limit exceeded", location: inst.location) }
                if case .check(.tstack, _) = inst.op {
                    if frameEnd > tstackEnd { throw Fault(message: "tstack overflow", location: inst.location) }
                    continue
                }
                let r = try execute(inst, f, &frame)
                if let result = inst.result { frame.registers[result.id] = r }
            }
            func reg(_ v: Value) -> UInt64 { frame.registers[v.id] }
            func follow(_ e: Edge) -> BlockID {
                let values = e.arguments.map(reg)
                for (p, v) in zip(f.blocks[e.block.index].parameters, values) { frame.registers[p.id] = v }
                return e.block
            }
            switch b.terminator {
            case .branch(let e): block = follow(e)
            case .conditionalBranch(let c, let t, let e): block = follow(reg(c) != 0 ? t : e)
            case .returnValue(let v): return v.map(reg)
            case .unreachable: throw Fault(message: "unreachable executed in \(f.name)", location: b.terminatorLocation)
            }
        }
    }
}
