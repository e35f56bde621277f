import Wasm

/// The runtime written in WASM: panics, integer formatting, output, the heap, `append` and
/// `read_line`. Each is an ordinary function of the module, named `zong.*`.
struct Builtins {
    let g: ModuleGenerator

    init(_ g: ModuleGenerator) { self.g = g }

    func all() -> [Function] {
        Builtin.allCases.map { b in
            switch b {
            case .panic: panic()
            case .panicIndex: panicIndex()
            case .format: format()
            case .printInteger: printInteger()
            case .write: write()
            case .printBytes: printBytes()
            case .alloc: alloc()
            case .appendSlot: appendSlot()
            case .stringCopy: stringCopy()
            case .readLine: readLine()
            case .growItems: growItems()
            }
        }
    }

    private func i32(_ v: Int) -> Instruction { .i32Const(Int32(truncatingIfNeeded: v)) }
    private func get(_ l: UInt32) -> Instruction { .localGet(l) }
    private func set(_ l: UInt32) -> Instruction { .localSet(l) }
    private func store32(_ offset: Int = 0) -> Instruction { .store(.i32Store, MemArg(align: 2, offset: UInt32(offset))) }
    private func load32(_ offset: Int = 0) -> Instruction { .load(.i32Load, MemArg(align: 2, offset: UInt32(offset))) }
    private func store64(_ offset: Int = 0) -> Instruction { .store(.i64Store, MemArg(align: 3, offset: UInt32(offset))) }
    private func load64(_ offset: Int = 0) -> Instruction { .load(.i64Load, MemArg(align: 3, offset: UInt32(offset))) }
    private func call(_ b: Builtin) -> Instruction { .call(g.builtin(b)) }

    /// Sets iovec `n` (in the scratch area) to the values the two instruction lists push.
    private func iovec(_ n: Int, base: [Instruction], length: [Instruction]) -> [Instruction] {
        [i32(g.map.iovecs + 8 * n)] + base + [store32()] + [i32(g.map.iovecs + 8 * n + 4)] + length + [store32()]
    }

    /// panic(message, length, site): `zong: runtime error: MESSAGE at FILE:LINE:COL\n` on fd 2
    /// with one fd_write, then proc_exit(2).
    private func panic() -> Function {
        let prefix = g.message("zong: runtime error: ")
        let at = g.message(" at ")
        let newline = g.message("\n")
        var b: [Instruction] = []
        b += iovec(0, base: [.i32Const(prefix.address)], length: [.i32Const(prefix.length)])
        b += iovec(1, base: [get(0)], length: [get(1)])
        b += iovec(2, base: [.i32Const(at.address)], length: [.i32Const(at.length)])
        b += iovec(3, base: [get(2), i32(4), .numeric(.i32Add)], length: [get(2), load32()])
        b += iovec(4, base: [.i32Const(newline.address)], length: [.i32Const(newline.length)])
        b += [i32(2), i32(g.map.iovecs), i32(5), i32(g.map.written), .call(Imports.fdWrite), .drop]
        b += [i32(2), .call(Imports.procExit), .unreachable]
        return Function(name: Builtin.panic.name, type: FunctionType([.i32, .i32, .i32], []), body: b,
                        marks: [])
    }

    /// panic_index(index, length, site): "index out of range [I] with length N".
    private func panicIndex() -> Function {
        let head = g.message("index out of range [")
        let middle = g.message("] with length ")
        let p: UInt32 = 3, start: UInt32 = 4, n: UInt32 = 5
        let numberEnd = g.map.number + 24
        var b: [Instruction] = [i32(g.map.message), set(p)]
        func append(_ text: (address: Int32, length: Int32)) {
            b += [get(p), .i32Const(text.address), .i32Const(text.length), .memoryCopy]
            b += [get(p), .i32Const(text.length), .numeric(.i32Add), set(p)]
        }
        func appendNumber(_ param: UInt32) {
            b += [get(param), i32(1), i32(numberEnd), call(.format), set(start)]
            b += [i32(numberEnd), get(start), .numeric(.i32Sub), set(n)]
            b += [get(p), get(start), get(n), .memoryCopy, get(p), get(n), .numeric(.i32Add), set(p)]
        }
        append(head)
        appendNumber(0)
        append(middle)
        appendNumber(1)
        b += [i32(g.map.message), get(p), i32(g.map.message), .numeric(.i32Sub), get(2), call(.panic), .unreachable]
        return Function(name: Builtin.panicIndex.name, type: FunctionType([.i64, .i64, .i32], []),
                        locals: [.i32, .i32, .i32], body: b)
    }

    /// format_integer(value, signed, end) -> start: decimal digits written backwards to end.
    private func format() -> Function {
        let negative: UInt32 = 3, p: UInt32 = 4, v: UInt32 = 5
        var b: [Instruction] = [get(2), set(p)]
        b += [get(1), get(0), .i64Const(0), .numeric(.i64LtS), .numeric(.i32And), set(negative)]
        b += [.i64Const(0), get(0), .numeric(.i64Sub), get(0), get(negative), .select, set(v)]
        b += [.loop(.empty)]
        b += [get(p), i32(1), .numeric(.i32Sub), set(p)]
        b += [get(p), get(v), .i64Const(10), .numeric(.i64RemU), .numeric(.i32WrapI64), i32(48), .numeric(.i32Add),
              .store(.i32Store8, MemArg(align: 0, offset: 0))]
        b += [get(v), .i64Const(10), .numeric(.i64DivU), .localTee(v), .i64Const(0), .numeric(.i64Ne), .brIf(0), .end]
        b += [get(negative), .if(.empty), get(p), i32(1), .numeric(.i32Sub), .localTee(p), i32(45),
              .store(.i32Store8, MemArg(align: 0, offset: 0)), .end]
        b += [get(p)]
        return Function(name: Builtin.format.name, type: FunctionType([.i64, .i32, .i32], [.i32]),
                        locals: [.i32, .i32, .i64], body: b)
    }

    /// print_integer(value, signed): the number and a newline on fd 1.
    private func printInteger() -> Function {
        let end = g.map.number + 24
        let start: UInt32 = 2
        let b: [Instruction] = [
            i32(end), i32(10), .store(.i32Store8, MemArg(align: 0, offset: 0)),
            get(0), get(1), i32(end), call(.format), set(start),
            i32(1), get(start), i32(end + 1), get(start), .numeric(.i32Sub), call(.write),
        ]
        return Function(name: Builtin.printInteger.name, type: FunctionType([.i64, .i32], []), locals: [.i32], body: b)
    }

    /// write(fd, pointer, length): all the bytes, retrying after partial writes.
    private func write() -> Function {
        let n: UInt32 = 3
        var b: [Instruction] = [.block(.empty), .loop(.empty)]
        b += [get(2), .numeric(.i32Eqz), .brIf(1)]
        b += iovec(0, base: [get(1)], length: [get(2)])
        b += [get(0), i32(g.map.iovecs), i32(1), i32(g.map.written), .call(Imports.fdWrite), .brIf(1)]
        b += [i32(g.map.written), load32(), .localTee(n), .numeric(.i32Eqz), .brIf(1)]
        b += [get(1), get(n), .numeric(.i32Add), set(1), get(2), get(n), .numeric(.i32Sub), set(2), .br(0)]
        b += [.end, .end]
        return Function(name: Builtin.write.name, type: FunctionType([.i32, .i32, .i32], []), locals: [.i32], body: b)
    }

    /// print_bytes(header): the slice's bytes on fd 1.
    private func printBytes() -> Function {
        let b: [Instruction] = [i32(1), get(0), load32(), get(0), load64(8), .numeric(.i32WrapI64), call(.write)]
        return Function(name: Builtin.printBytes.name, type: FunctionType([.i32], []), body: b)
    }

    private func outOfMemory(site: UInt32) -> [Instruction] {
        let m = g.message("out of memory")
        return [.i32Const(m.address), .i32Const(m.length), get(site), call(.panic)]
    }

    /// alloc(size, site) -> address: bump allocation, 8-aligned; grows memory geometrically;
    /// panics `out of memory` when the memory cannot grow.
    private func alloc() -> Function {
        let p: UInt32 = 2, end: UInt32 = 3, need: UInt32 = 4
        var b: [Instruction] = [.globalGet(Globals.heapPointer), i32(7), .numeric(.i32Add), i32(-8), .numeric(.i32And), set(p)]
        b += [get(p), .numeric(.i64ExtendI32U), get(0), .numeric(.i64ExtendI32U), .numeric(.i64Add), set(end)]
        b += [get(end), .i64Const(0xFFFF_0000), .numeric(.i64GtU), .if(.empty)] + outOfMemory(site: 1) + [.end]
        b += [get(end), .memorySize, .numeric(.i64ExtendI32U), .i64Const(16), .numeric(.i64Shl), .numeric(.i64GtU), .if(.empty)]
        b += [get(end), .memorySize, .numeric(.i64ExtendI32U), .i64Const(16), .numeric(.i64Shl), .numeric(.i64Sub),
              .i64Const(65535), .numeric(.i64Add), .i64Const(16), .numeric(.i64ShrU), .numeric(.i32WrapI64), set(need)]
        // Double the memory when possible (amortized O(1) growth), else grow by what is needed.
        b += [get(need), .memorySize, get(need), .memorySize, .numeric(.i32GtU), .select, .memoryGrow,
              i32(-1), .numeric(.i32Eq), .if(.empty)]
        b += [get(need), .memoryGrow, i32(-1), .numeric(.i32Eq), .if(.empty)] + outOfMemory(site: 1) + [.end]
        b += [.end, .end]
        b += [get(end), .numeric(.i32WrapI64), .globalSet(Globals.heapPointer), get(p)]
        return Function(name: Builtin.alloc.name, type: FunctionType([.i32, .i32], [.i32]), locals: [.i32, .i64, .i32], body: b)
    }

    /// append_slot(header, elementSize, site) -> address of the new last element. Capacity
    /// doubles when full (a string literal has capacity == length, so it is copied first).
    /// When the elements are the heap's last allocation, they grow in place: no copy, and the
    /// old array is not left behind (a slice built by appending uses its final size, not twice).
    private func appendSlot() -> Function {
        let len: UInt32 = 3, cap: UInt32 = 4, items: UInt32 = 5, newCap: UInt32 = 6, newItems: UInt32 = 7, bytes: UInt32 = 8
        let oldBytes: UInt32 = 9
        var b: [Instruction] = [get(0), load64(8), set(len), get(0), load32(4), set(cap), get(0), load32(), set(items)]
        b += [get(len), get(cap), .numeric(.i64ExtendI32U), .numeric(.i64GeU), .if(.empty)]
        b += [i32(4), get(cap), i32(1), .numeric(.i32Shl), get(cap), .numeric(.i32Eqz), .select, set(newCap)]
        b += [get(newCap), .numeric(.i64ExtendI32U), get(1), .numeric(.i64ExtendI32U), .numeric(.i64Mul), .localTee(bytes),
              .i64Const(0xFFFF_0000), .numeric(.i64GtU), get(cap), i32(0x4000_0000), .numeric(.i32GeU), .numeric(.i32Or),
              .if(.empty)] + outOfMemory(site: 2) + [.end]
        // At the heap pointer, itself 8-aligned, alloc returns the very next byte.
        b += [get(cap), get(1), .numeric(.i32Mul), set(oldBytes)]
        b += [get(items), get(oldBytes), .numeric(.i32Add), .globalGet(Globals.heapPointer), .numeric(.i32Eq),
              .globalGet(Globals.heapPointer), i32(7), .numeric(.i32And), .numeric(.i32Eqz), .numeric(.i32And),
              get(cap), i32(0), .numeric(.i32Ne), .numeric(.i32And), .if(.empty)]
        b += [get(bytes), .numeric(.i32WrapI64), get(oldBytes), .numeric(.i32Sub), get(2), call(.alloc), .drop,
              get(items), set(newItems), .else]
        b += [get(bytes), .numeric(.i32WrapI64), get(2), call(.alloc), set(newItems)]
        b += [get(newItems), get(items), get(len), .numeric(.i32WrapI64), get(1), .numeric(.i32Mul), .memoryCopy, .end]
        b += [get(0), get(newItems), store32(), get(0), get(newCap), store32(4), get(newItems), set(items), .end]
        b += [get(0), get(len), .i64Const(1), .numeric(.i64Add), store64(8)]
        b += [get(items), get(len), .numeric(.i32WrapI64), get(1), .numeric(.i32Mul), .numeric(.i32Add)]
        return Function(name: Builtin.appendSlot.name, type: FunctionType([.i32, .i32, .i32], [.i32]),
                        locals: [.i64, .i32, .i32, .i32, .i32, .i64, .i32], body: b)
    }

    /// grow_items(items, length, capacity, newCapacity, elementSize, site) -> items: room for
    /// `newCapacity` elements holding the first `length` (ZongIR's `grow`). Storage that is the
    /// heap's last allocation is extended in place, as in append_slot.
    private func growItems() -> Function {
        let items: UInt32 = 0, length: UInt32 = 1, capacity: UInt32 = 2, newCapacity: UInt32 = 3, size: UInt32 = 4, site: UInt32 = 5
        let bytes: UInt32 = 6, oldBytes: UInt32 = 7, newItems: UInt32 = 8
        var b: [Instruction] = [get(newCapacity), .numeric(.i64ExtendI32U), get(size), .numeric(.i64ExtendI32U), .numeric(.i64Mul),
                                .localTee(bytes), .i64Const(0xFFFF_0000), .numeric(.i64GtU),
                                get(newCapacity), .numeric(.i64ExtendI32U), get(length), .numeric(.i64LeU), .numeric(.i32Or),
                                .if(.empty)] + outOfMemory(site: site) + [.end]
        b += [get(capacity), get(size), .numeric(.i32Mul), set(oldBytes)]
        b += [get(items), get(oldBytes), .numeric(.i32Add), .globalGet(Globals.heapPointer), .numeric(.i32Eq),
              .globalGet(Globals.heapPointer), i32(7), .numeric(.i32And), .numeric(.i32Eqz), .numeric(.i32And),
              get(capacity), i32(0), .numeric(.i32Ne), .numeric(.i32And), .if(.empty)]
        b += [get(bytes), .numeric(.i32WrapI64), get(oldBytes), .numeric(.i32Sub), get(site), call(.alloc), .drop,
              get(items), .return, .end]
        b += [get(bytes), .numeric(.i32WrapI64), get(site), call(.alloc), .localTee(newItems), get(items),
              get(length), .numeric(.i32WrapI64), get(size), .numeric(.i32Mul), .memoryCopy, get(newItems)]
        return Function(name: Builtin.growItems.name, type: FunctionType([.i32, .i64, .i32, .i32, .i32, .i32], [.i32]),
                        locals: [.i64, .i32, .i32], body: b)
    }

    /// string(data, length, header, site) -> header: a fresh heap copy of a literal's bytes.
    private func stringCopy() -> Function {
        let items: UInt32 = 4
        let b: [Instruction] = [
            get(1), get(3), call(.alloc), .localTee(items), get(0), get(1), .memoryCopy,
            get(2), get(items), store32(), get(2), get(1), store32(4), get(2), get(1), .numeric(.i64ExtendI32U), store64(8),
            get(2),
        ]
        return Function(name: Builtin.stringCopy.name, type: FunctionType([.i32, .i32, .i32, .i32], [.i32]),
                        locals: [.i32], body: b)
    }

    /// read_line(header, site): the next line of fd 0 including its newline, through a buffer
    /// in linear memory; empty at end of input. Any bytes, any length.
    private func readLine() -> Function {
        let items: UInt32 = 2, cap: UInt32 = 3, len: UInt32 = 4, i: UInt32 = 5, start: UInt32 = 6, chunk: UInt32 = 7
        let found: UInt32 = 8, newCap: UInt32 = 9, newItems: UInt32 = 10
        let input = g.map.input
        var b: [Instruction] = [.block(.empty), .loop(.empty)]                         // $done, $more
        // Refill the buffer when it is used up.
        b += [.globalGet(Globals.inputPosition), .globalGet(Globals.inputLength), .numeric(.i32GeU), .if(.empty)]
        b += iovec(0, base: [i32(input)], length: [i32(MemoryMap.inputSize)])
        b += [i32(0), i32(g.map.iovecs), i32(1), i32(g.map.written), .call(Imports.fdRead), .brIf(2)]
        b += [i32(g.map.written), load32(), .globalSet(Globals.inputLength), i32(0), .globalSet(Globals.inputPosition)]
        b += [.globalGet(Globals.inputLength), .numeric(.i32Eqz), .brIf(2), .end]
        // Scan for a newline.
        b += [.globalGet(Globals.inputPosition), .localTee(start), set(i)]
        b += [.block(.empty), .loop(.empty)]                                           // $scanned, $scan
        b += [get(i), .globalGet(Globals.inputLength), .numeric(.i32GeU), .brIf(1)]
        b += [get(i), .load(.i32Load8U, MemArg(align: 0, offset: UInt32(input))), i32(10), .numeric(.i32Eq)]
        b += [get(i), i32(1), .numeric(.i32Add), set(i), .if(.empty), i32(1), set(found), .br(2), .end, .br(0)]
        b += [.end, .end]
        b += [get(i), get(start), .numeric(.i32Sub), set(chunk)]
        // Grow the result geometrically.
        b += [get(len), get(chunk), .numeric(.i32Add), get(cap), .numeric(.i32GtU), .if(.empty)]
        b += [get(cap), i32(1), .numeric(.i32Shl), set(newCap)]
        b += [get(len), get(chunk), .numeric(.i32Add), get(newCap), get(len), get(chunk), .numeric(.i32Add), get(newCap),
              .numeric(.i32GtU), .select, set(newCap)]
        b += [get(newCap), i32(16), get(newCap), i32(16), .numeric(.i32GtU), .select, set(newCap)]
        b += [get(newCap), get(1), call(.alloc), set(newItems)]
        b += [get(newItems), get(items), get(len), .memoryCopy, get(newItems), set(items), get(newCap), set(cap), .end]
        b += [get(items), get(len), .numeric(.i32Add), i32(input), get(start), .numeric(.i32Add), get(chunk), .memoryCopy]
        b += [get(len), get(chunk), .numeric(.i32Add), set(len), get(i), .globalSet(Globals.inputPosition)]
        b += [get(found), .brIf(1), .br(0), .end, .end]
        b += [get(0), get(items), store32(), get(0), get(cap), store32(4), get(0), get(len), .numeric(.i64ExtendI32U), store64(8)]
        return Function(name: Builtin.readLine.name, type: FunctionType([.i32, .i32], []),
                        locals: Array(repeating: .i32, count: 9), body: b)
    }
}
