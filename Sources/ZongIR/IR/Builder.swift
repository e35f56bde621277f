/// Appends instructions to a function at a current block. Once the current block is
/// terminated, further instructions go to a fresh unreachable block (code after `return` or
/// `break`), which CFG simplification removes.
public struct Builder {
    public var function: IRFunction
    public private(set) var current: BlockID
    /// The location given to instructions emitted next.
    public var location: Location = .none
    private var terminated = false

    public init(_ function: IRFunction) {
        self.function = function
        if function.blocks.isEmpty {
            _ = self.function.addBlock()
        }
        current = IRFunction.entry
    }

    public mutating func newBlock(parameters: [IRType] = []) -> BlockID {
        let b = function.addBlock()
        function.blocks[b.index].parameters = parameters.map { function.newValue($0) }
        return b
    }

    /// Continues emitting at `block` (which must not be terminated yet).
    public mutating func position(at block: BlockID) {
        current = block
        terminated = false
    }

    public mutating func emit(_ op: Op, _ resultType: IRType?) -> Value? {
        ensureOpen()
        let result = resultType.map { function.newValue($0) }
        function.blocks[current.index].instructions.append(Instruction(result: result, op: op, location: location))
        return result
    }

    /// Emits an operation that produces a value.
    public mutating func value(_ op: Op, _ type: IRType) -> Value {
        ensureOpen()
        let result = function.newValue(type)
        function.blocks[current.index].instructions.append(Instruction(result: result, op: op, location: location))
        return result
    }

    /// Emits an operation without a result.
    public mutating func effect(_ op: Op) {
        _ = emit(op, nil)
    }

    public mutating func terminate(_ t: Terminator) {
        ensureOpen()
        function.blocks[current.index].terminator = t
        function.blocks[current.index].terminatorLocation = location
        terminated = true
    }

    public var isTerminated: Bool { terminated }

    public mutating func addSlot(_ name: String, size: Int, alignment: Int) -> SlotID {
        function.slots.append(Slot(name: name, size: max(size, 0), alignment: max(alignment, 1)))
        return SlotID(function.slots.count - 1)
    }

    public mutating func constant(_ type: IRType, _ bits: UInt64) -> Value {
        value(.constant(type, bits), type)
    }

    private mutating func ensureOpen() {
        if terminated {
            current = function.addBlock()
            terminated = false
        }
    }
}
