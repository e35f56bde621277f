import Wasm
import ZongSema

/// Struct and slice values are copied and zeroed often (arguments, returns, assignments). A
/// `memory.copy` of 16 bytes is a call into the runtime once translated to C; loads and stores
/// of the fields' natural width are what clang can keep in registers and forward.
extension FunctionGenerator {
    /// Aggregates up to this size are copied field-width by field-width, larger ones in one op.
    static let inlineCopyLimit = 64

    /// With the destination and the source address on the stack: copies a value of `type`.
    func copyAggregate(_ type: ZType) {
        let size = layout.size(type)
        guard size <= Self.inlineCopyLimit else {
            f.emit([.i32Const(Int32(size)), .memoryCopy])
            return
        }
        let source = temp(.i32), destination = temp(.i32)
        f.emit([.localSet(source), .localSet(destination)])
        for (offset, width) in chunks(size: size, alignment: layout.alignment(type)) {
            let (load, store) = Self.copyOps(width)
            let m = MemArg(align: 0, offset: UInt32(offset))
            f.emit([.localGet(destination), .localGet(source), .load(load, m), .store(store, m)])
        }
    }

    /// With the destination address on the stack: zeroes a value of `type`.
    func zeroAggregate(_ type: ZType) {
        let size = layout.size(type)
        guard size <= Self.inlineCopyLimit else {
            f.emit([.i32Const(0), .i32Const(Int32(size)), .memoryFill])
            return
        }
        let destination = temp(.i32)
        f.emit(.localSet(destination))
        for (offset, width) in chunks(size: size, alignment: layout.alignment(type)) {
            let m = MemArg(align: 0, offset: UInt32(offset))
            let zero: Instruction = width == 8 ? .i64Const(0) : .i32Const(0)
            f.emit([.localGet(destination), zero, .store(Self.copyOps(width).store, m)])
        }
    }

    /// (offset, width) pieces covering `size` bytes, as wide as the alignment allows.
    private func chunks(size: Int, alignment: Int) -> [(Int, Int)] {
        var pieces: [(Int, Int)] = []
        var offset = 0
        var width = max(1, min(8, alignment))
        while offset < size {
            while offset + width > size { width /= 2 }
            pieces.append((offset, width))
            offset += width
        }
        return pieces
    }

    private static func copyOps(_ width: Int) -> (load: LoadOp, store: StoreOp) {
        switch width {
        case 8: (.i64Load, .i64Store)
        case 4: (.i32Load, .i32Store)
        case 2: (.i32Load16U, .i32Store16)
        default: (.i32Load8U, .i32Store8)
        }
    }
}
