import WasmParser
import WasmTypes

/// Turns WasmParser's visitor callbacks back into `Instruction` values, for the instructions W2C
/// translates: WebAssembly 1.0, sign-extension, saturating truncation, bulk memory and table
/// operations, and reference types (funcref, externref). Any other instruction leaves
/// `instruction` nil, which the caller reports as unsupported.
struct InstructionReader: InstructionVisitor {
    typealias VisitorError = Never
    var binaryOffset: Int = 0
    var instruction: Instruction?

    mutating func visitUnreachable() { instruction = .unreachable }
    mutating func visitNop() { instruction = .nop }
    mutating func visitBlock(blockType: BlockType) { instruction = .block(blockType: blockType) }
    mutating func visitLoop(blockType: BlockType) { instruction = .loop(blockType: blockType) }
    mutating func visitIf(blockType: BlockType) { instruction = .if(blockType: blockType) }
    mutating func visitElse() { instruction = .else }
    mutating func visitEnd() { instruction = .end }
    mutating func visitBr(relativeDepth: UInt32) { instruction = .br(relativeDepth: relativeDepth) }
    mutating func visitBrIf(relativeDepth: UInt32) { instruction = .brIf(relativeDepth: relativeDepth) }
    mutating func visitBrTable(targets: BrTable) { instruction = .brTable(targets: targets) }
    mutating func visitReturn() { instruction = .return }
    mutating func visitCall(functionIndex: UInt32) { instruction = .call(functionIndex: functionIndex) }
    mutating func visitCallIndirect(typeIndex: UInt32, tableIndex: UInt32) {
        instruction = .callIndirect(typeIndex: typeIndex, tableIndex: tableIndex)
    }
    mutating func visitDrop() { instruction = .drop }
    mutating func visitSelect() { instruction = .select }
    mutating func visitTypedSelect(type: ValueType) { instruction = .typedSelect(type: type) }
    mutating func visitLocalGet(localIndex: UInt32) { instruction = .localGet(localIndex: localIndex) }
    mutating func visitLocalSet(localIndex: UInt32) { instruction = .localSet(localIndex: localIndex) }
    mutating func visitLocalTee(localIndex: UInt32) { instruction = .localTee(localIndex: localIndex) }
    mutating func visitGlobalGet(globalIndex: UInt32) { instruction = .globalGet(globalIndex: globalIndex) }
    mutating func visitGlobalSet(globalIndex: UInt32) { instruction = .globalSet(globalIndex: globalIndex) }
    mutating func visitLoad(_ load: Instruction.Load, memarg: MemArg) { instruction = .load(load, memarg: memarg) }
    mutating func visitStore(_ store: Instruction.Store, memarg: MemArg) { instruction = .store(store, memarg: memarg) }
    mutating func visitMemorySize(memory: UInt32) { instruction = .memorySize(memory: memory) }
    mutating func visitMemoryGrow(memory: UInt32) { instruction = .memoryGrow(memory: memory) }
    mutating func visitI32Const(value: Int32) { instruction = .i32Const(value: value) }
    mutating func visitI64Const(value: Int64) { instruction = .i64Const(value: value) }
    mutating func visitF32Const(value: IEEE754.Float32) { instruction = .f32Const(value: value) }
    mutating func visitF64Const(value: IEEE754.Float64) { instruction = .f64Const(value: value) }
    mutating func visitI32Eqz() { instruction = .i32Eqz }
    mutating func visitI64Eqz() { instruction = .i64Eqz }
    mutating func visitCmp(_ cmp: Instruction.Cmp) { instruction = .cmp(cmp) }
    mutating func visitUnary(_ unary: Instruction.Unary) { instruction = .unary(unary) }
    mutating func visitBinary(_ binary: Instruction.Binary) { instruction = .binary(binary) }
    mutating func visitConversion(_ conversion: Instruction.Conversion) { instruction = .conversion(conversion) }
    mutating func visitMemoryInit(dataIndex: UInt32, memory: UInt32) {
        instruction = .memoryInit(dataIndex: dataIndex, memory: memory)
    }
    mutating func visitDataDrop(dataIndex: UInt32) { instruction = .dataDrop(dataIndex: dataIndex) }
    mutating func visitMemoryCopy(dstMem: UInt32, srcMem: UInt32) { instruction = .memoryCopy(dstMem: dstMem, srcMem: srcMem) }
    mutating func visitMemoryFill(memory: UInt32) { instruction = .memoryFill(memory: memory) }
    mutating func visitRefNull(type: HeapType) { instruction = .refNull(type: type) }
    mutating func visitRefIsNull() { instruction = .refIsNull }
    mutating func visitRefFunc(functionIndex: UInt32) { instruction = .refFunc(functionIndex: functionIndex) }
    mutating func visitTableInit(elemIndex: UInt32, table: UInt32) { instruction = .tableInit(elemIndex: elemIndex, table: table) }
    mutating func visitElemDrop(elemIndex: UInt32) { instruction = .elemDrop(elemIndex: elemIndex) }
    mutating func visitTableCopy(dstTable: UInt32, srcTable: UInt32) { instruction = .tableCopy(dstTable: dstTable, srcTable: srcTable) }
    mutating func visitTableFill(table: UInt32) { instruction = .tableFill(table: table) }
    mutating func visitTableGet(table: UInt32) { instruction = .tableGet(table: table) }
    mutating func visitTableSet(table: UInt32) { instruction = .tableSet(table: table) }
    mutating func visitTableGrow(table: UInt32) { instruction = .tableGrow(table: table) }
    mutating func visitTableSize(table: UInt32) { instruction = .tableSize(table: table) }
}
