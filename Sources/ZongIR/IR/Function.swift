/// A basic block: parameters (SSA's phis, as block arguments), straight-line instructions and
/// one terminator.
public struct Block: Hashable, Sendable {
    public var parameters: [Value]
    public var instructions: [Instruction]
    public var terminator: Terminator
    public var terminatorLocation: Location

    public init(parameters: [Value] = [], instructions: [Instruction] = [], terminator: Terminator = .unreachable,
                terminatorLocation: Location = .none) {
        self.parameters = parameters
        self.instructions = instructions
        self.terminator = terminator
        self.terminatorLocation = terminatorLocation
    }
}

/// A tstack slot: memory of the function's frame, for a local, a parameter copy or a
/// temporary. Its bytes are valid from function entry until return.
public struct Slot: Hashable, Sendable {
    public var name: String
    public var size: Int
    public var alignment: Int
    public init(name: String, size: Int, alignment: Int) {
        self.name = name
        self.size = size
        self.alignment = alignment
    }
}

/// One function as a control-flow graph. Block 0 is the entry; its parameters are the
/// function's parameters (struct and slice values arrive as the `ptr` of a copy the callee may
/// keep; a struct or slice result is written through a hidden first `ptr` parameter).
public struct IRFunction: Sendable {
    public var name: String
    public var parameterTypes: [IRType]
    public var resultType: IRType?
    /// True when parameter 0 is the hidden result address.
    public var hasResultAddress: Bool
    public var blocks: [Block]
    public var slots: [Slot]
    /// The type of every register, indexed by `Value.id`.
    public var valueTypes: [IRType]
    public var location: Location
    public var isEntryPoint: Bool
    /// A standard-library function: its instructions have no Zong location, and its runtime
    /// errors name the function (`at read_file (standard library)`).
    public var isLibrary = false
    /// The block parameter tail-calls keeps as its real-call budget, if it made one: it only
    /// decides whether a self-call is a real call or a jump (`TailCallsToLoops.realCallBudget`).
    public var realCallBudget: Value?
    /// The entry parameters that carry a slice's length: always in [0, 2^32], since a slice
    /// fits memory (range facts use this to bound loop counters).
    public var lengthParameters: [Int] = []

    public init(name: String, parameterTypes: [IRType], resultType: IRType?, hasResultAddress: Bool,
                location: Location, isEntryPoint: Bool) {
        self.name = name
        self.parameterTypes = parameterTypes
        self.resultType = resultType
        self.hasResultAddress = hasResultAddress
        self.blocks = []
        self.slots = []
        self.valueTypes = []
        self.location = location
        self.isEntryPoint = isEntryPoint
    }

    public static let entry = BlockID(0)

    /// The function without its body (no blocks, slots or registers): what a pass that reads no
    /// other function's body may see of the others.
    public var signature: IRFunction {
        var f = IRFunction(name: name, parameterTypes: parameterTypes, resultType: resultType, hasResultAddress: hasResultAddress,
                           location: location, isEntryPoint: isEntryPoint)
        f.isLibrary = isLibrary
        f.lengthParameters = lengthParameters
        return f
    }

    /// A fresh register of type `t`.
    public mutating func newValue(_ t: IRType) -> Value {
        valueTypes.append(t)
        return Value(valueTypes.count - 1)
    }

    public func type(of v: Value) -> IRType? {
        v.id >= 0 && v.id < valueTypes.count ? valueTypes[v.id] : nil
    }

    public mutating func addBlock() -> BlockID {
        blocks.append(Block())
        return BlockID(blocks.count - 1)
    }

    public subscript(_ b: BlockID) -> Block {
        get { blocks[b.index] }
        set { blocks[b.index] = newValue }
    }

    /// Number of instructions (the size measure of inlining budgets and complexity tests).
    public var instructionCount: Int {
        blocks.reduce(0) { $0 + $1.instructions.count + 1 }
    }

    /// `instructionCount`, or any number at least `limit` once the count reaches it (stops
    /// there: for size tests against a budget).
    public func instructionCount(upTo limit: Int) -> Int {
        var count = 0
        for b in blocks.indices where count < limit { count += blocks[b].instructions.count + 1 }
        return count
    }

    /// Replaces every use of a register by its image under `map` (applied repeatedly, so chains
    /// of replacements resolve). One walk over the function; each chain is followed once
    /// (path compression), so long chains cost no more than short ones. The map becomes an
    /// array indexed by register id first: the walk looks up every operand.
    public mutating func replaceUses(_ map: [Value: Value]) {
        if map.isEmpty { return }
        let n = valueTypes.count
        // next[id]: the register id replaces (-1: none); after resolving, the chain's end.
        var next = [Int](repeating: -1, count: n)
        for (k, v) in map where k != v {
            guard k.id >= 0, k.id < n else { return replaceUsesOutOfRange(map) }
            next[k.id] = v.id
        }
        func resolve(_ v: Value) -> Value {
            guard v.id >= 0, v.id < n, next[v.id] >= 0 else { return v }
            // The chain's end (a cycle, which no pass makes, stops after n steps).
            var end = next[v.id], steps = 0
            while end >= 0, end < n, next[end] >= 0, steps <= n {
                end = next[end]
                steps += 1
            }
            var x = v.id
            while x >= 0, x < n, next[x] >= 0, next[x] != end {
                let following = next[x]
                next[x] = end
                x = following
            }
            return Value(end)
        }
        for b in blocks.indices {
            for i in blocks[b].instructions.indices {
                blocks[b].instructions[i].op = blocks[b].instructions[i].op.mapOperands(resolve)
            }
            blocks[b].terminator = blocks[b].terminator.mapOperands(resolve)
        }
    }

    /// `replaceUses` for a map naming registers the function does not have (no pass makes
    /// one): the dictionary as it is.
    private mutating func replaceUsesOutOfRange(_ map: [Value: Value]) {
        var resolved: [Value: Value] = [:]
        func resolve(_ v: Value) -> Value {
            guard map[v] != nil else { return v }
            if let r = resolved[v] { return r }
            var chain: [Value] = []
            var x = v
            var seen: Set<Value> = []
            while let next = map[x], next != x, seen.insert(x).inserted {
                if let r = resolved[x] {
                    x = r
                    break
                }
                chain.append(x)
                x = next
            }
            for c in chain { resolved[c] = x }
            return x
        }
        for b in blocks.indices {
            for i in blocks[b].instructions.indices {
                blocks[b].instructions[i].op = blocks[b].instructions[i].op.mapOperands(resolve)
            }
            blocks[b].terminator = blocks[b].terminator.mapOperands(resolve)
        }
    }
}

/// An `extern` function as the IR calls it.
public struct IRExtern: Sendable, Hashable {
    public var module: String
    public var name: String
    public var parameterTypes: [IRType]
    public var resultType: IRType?
    public init(module: String, name: String, parameterTypes: [IRType], resultType: IRType?) {
        self.module = module
        self.name = name
        self.parameterTypes = parameterTypes
        self.resultType = resultType
    }
}

/// A whole program in ZongIR.
public struct IRProgram: Sendable {
    public var fileName: String
    public var functions: [IRFunction]
    public var externs: [IRExtern]
    /// String literal contents, referenced by `builtin string.N`.
    public var strings: [[UInt8]]
    /// The function `_start` runs.
    public var entry: FunctionID

    public init(fileName: String, functions: [IRFunction], externs: [IRExtern], strings: [[UInt8]], entry: FunctionID) {
        self.fileName = fileName
        self.functions = functions
        self.externs = externs
        self.strings = strings
        self.entry = entry
    }
}
