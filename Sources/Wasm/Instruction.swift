/// The instructions the encoder supports: all MVP integer and control instructions, plus
/// sign extension and `memory.copy`/`memory.fill`.
public enum BlockType: Sendable, Hashable {
    case empty
    case value(ValueType)
}

public struct MemArg: Sendable, Hashable {
    /// log2 of the alignment.
    public var align: UInt32
    public var offset: UInt32
    public init(align: UInt32, offset: UInt32) {
        self.align = align
        self.offset = offset
    }
}

public enum Instruction: Sendable, Hashable {
    case unreachable, nop
    case block(BlockType), loop(BlockType), `if`(BlockType), `else`, end
    case br(UInt32), brIf(UInt32), brTable([UInt32], UInt32)
    case `return`
    case call(UInt32)
    case drop, select
    case localGet(UInt32), localSet(UInt32), localTee(UInt32)
    case globalGet(UInt32), globalSet(UInt32)
    /// Loads and stores by opcode (0x28…0x3E) with their memarg.
    case load(LoadOp, MemArg)
    case store(StoreOp, MemArg)
    case memorySize, memoryGrow
    case i32Const(Int32), i64Const(Int64)
    /// Any one-byte numeric instruction (comparisons, arithmetic, conversions, sign extension).
    case numeric(NumericOp)
    case memoryCopy, memoryFill
}

public enum LoadOp: UInt8, Sendable {
    case i32Load = 0x28, i64Load = 0x29
    case i32Load8S = 0x2C, i32Load8U = 0x2D, i32Load16S = 0x2E, i32Load16U = 0x2F
    case i64Load8S = 0x30, i64Load8U = 0x31, i64Load16S = 0x32, i64Load16U = 0x33, i64Load32S = 0x34, i64Load32U = 0x35
}

public enum StoreOp: UInt8, Sendable {
    case i32Store = 0x36, i64Store = 0x37
    case i32Store8 = 0x3A, i32Store16 = 0x3B, i64Store8 = 0x3C, i64Store16 = 0x3D, i64Store32 = 0x3E
}

public enum NumericOp: UInt8, Sendable {
    case i32Eqz = 0x45, i32Eq, i32Ne, i32LtS, i32LtU, i32GtS, i32GtU, i32LeS, i32LeU, i32GeS, i32GeU
    case i64Eqz = 0x50, i64Eq, i64Ne, i64LtS, i64LtU, i64GtS, i64GtU, i64LeS, i64LeU, i64GeS, i64GeU
    case i32Add = 0x6A, i32Sub, i32Mul, i32DivS, i32DivU, i32RemS, i32RemU, i32And, i32Or, i32Xor, i32Shl, i32ShrS, i32ShrU
    case i64Add = 0x7C, i64Sub, i64Mul, i64DivS, i64DivU, i64RemS, i64RemU, i64And, i64Or, i64Xor, i64Shl, i64ShrS, i64ShrU
    case i32WrapI64 = 0xA7
    case i64ExtendI32S = 0xAC, i64ExtendI32U = 0xAD
    case i32Extend8S = 0xC0, i32Extend16S, i64Extend8S, i64Extend16S, i64Extend32S
}
