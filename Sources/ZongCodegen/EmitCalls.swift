import Wasm
import ZongSema
import ZongSyntax

extension FunctionGenerator {
    /// Arguments are evaluated once, left to right in source order, then passed in parameter
    /// order (LANGUAGE.md §7.10). A struct/slice result comes back through a slot of this frame.
    /// A struct result returned as fields (StructResults.swift) is stored in a fresh slot unless
    /// `keepFields`, when the fields stay on the stack.
    /// `target` replaces the callee's index (a call to a short clone, CountdownClone.swift).
    func call(_ callee: Callee, _ arguments: [TExpr], _ indices: [Int], _ type: ZType, keepFields: Bool = false,
              target override: UInt32? = nil) {
        let target: UInt32
        var resultSlot: Int?
        var resultFields = false
        var readOnly: Set<Int> = []
        var flattened: Set<Int> = []
        switch callee {
        case .function(let def):
            target = override ?? g.functionIndex[ObjectIdentifier(def)] ?? 0
            readOnly = g.readOnlyParameters[ObjectIdentifier(def)] ?? []
            flattened = g.flattenedParameters[ObjectIdentifier(def)] ?? []
            if g.resultFields(type) != nil {
                resultFields = true
            } else if Layout.isAggregate(type) {
                resultSlot = slot(layout.size(type))
            }
        case .external(let i):
            target = UInt32(g.externIndex[i])
        }
        if indices == Array(arguments.indices) {
            if let r = resultSlot { pushSlotAddress(r) }
            for (k, a) in arguments.enumerated() {
                if flattened.contains(k) { pushFields(a) } else { argument(a, shared: readOnly.contains(k)) }
            }
        } else {
            var inParameterOrder = [[UInt32]](repeating: [], count: arguments.count)
            for (k, a) in arguments.enumerated() {
                var types: [ValueType] = []
                if flattened.contains(indices[k]), case .structure(let name) = a.type {
                    pushFields(a)
                    types = (g.program.structDef(name)?.fields ?? []).compactMap { Layout.valueType($0.type) }
                } else {
                    argument(a, shared: readOnly.contains(indices[k]))
                    types = [Layout.valueType(a.type) ?? .i32]
                }
                let temps = types.map { temp($0) }
                for t in temps.reversed() { f.emit(.localSet(t)) }
                inParameterOrder[indices[k]] = temps
            }
            if let r = resultSlot { pushSlotAddress(r) }
            for t in inParameterOrder.joined() { f.emit(.localGet(t)) }
        }
        f.emit(.call(target))
        if let r = resultSlot { pushSlotAddress(r) }
        if resultFields {
            readResultRegisters(type)
            if !keepFields { spillFields(type) }
        }
    }

    /// A struct/slice argument is passed as the address of a copy the callee owns; a fresh
    /// temporary needs no second copy, nor does a variable nothing can change during the call
    /// passed to a parameter the callee only reads (`shared`, see ParameterCopies.swift).
    private func argument(_ a: TExpr, shared: Bool) {
        guard Layout.isAggregate(a.type), !isFreshTemporary(a), !(shared && isUnaliasedLocal(a)) else {
            expression(a)
            return
        }
        let size = layout.size(a.type)
        let copy = slot(size)
        pushSlotAddress(copy)
        expression(a)
        copyAggregate(a.type)
        pushSlotAddress(copy)
    }

    private func isUnaliasedLocal(_ e: TExpr) -> Bool {
        guard case .local(let v) = e.kind else { return false }
        return !v.isAddressTaken && !memoryRoots.addressed.contains(v)
    }

    private func isFreshTemporary(_ e: TExpr) -> Bool {
        if registerStruct(e) != nil { return true }  // passed as a fresh spill slot
        switch e.kind {
        case .call, .construct, .emptySlice, .string, .readLine: return true
        default: return false
        }
    }

    /// Stores the fields of `S(f: v, …)` at the address in local `address` (default: the frame
    /// pointer) plus `base`, in source order.
    func constructFields(_ name: String, _ fields: [(index: Int, value: TExpr)], base: Int, address: UInt32? = nil) {
        for field in fields {
            let type = g.program.structDef(name)?.fields[field.index].type ?? .void
            f.emit(.localGet(address ?? f.framePointer))
            store(offset: base + layout.fieldOffset(name, field.index), type: type, value: field.value)
        }
    }

    /// `S(f: v, …)` in a fresh slot, fields stored in source order.
    func construct(_ name: String, _ fields: [(index: Int, value: TExpr)]) {
        let base = slot(layout.size(.structure(name)))
        constructFields(name, fields, base: base)
        pushSlotAddress(base)
    }

    func zeroHeader(_ offset: Int) {
        f.emit([.localGet(f.framePointer), .i64Const(0), .store(.i64Store, MemArg(align: 3, offset: UInt32(offset)))])
        f.emit([.localGet(f.framePointer), .i64Const(0), .store(.i64Store, MemArg(align: 3, offset: UInt32(offset + 8)))])
    }

    /// A string literal's value: a fresh heap copy of its bytes, so writes through one
    /// evaluation's slice never change another's (LANGUAGE.md §4.7).
    func string(_ bytes: [UInt8], _ span: SourceSpan) {
        let header = slot(Layout.sliceHeaderSize)
        if bytes.isEmpty {
            zeroHeader(header)
            pushSlotAddress(header)
            return
        }
        pushStatic(bytes)
        pushSlotAddress(header)
        pushSite(span)
        f.emit(.call(g.builtin(.stringCopy)))
    }

    func print(_ x: TExpr) {
        expression(x)
        var signed = false
        if case .integer(let t) = x.type {
            signed = t.isSigned
            if !t.is64Bit { f.emit(.numeric(t.isSigned ? .i64ExtendI32S : .i64ExtendI32U)) }
        } else {
            f.emit(.numeric(.i64ExtendI32U))
        }
        f.emit([.i32Const(signed ? 1 : 0), .call(g.builtin(.printInteger))])
    }

    /// A literal argument is written straight from static data: it cannot be written through.
    func printBytes(_ s: TExpr) {
        if case .string(let bytes) = s.kind {
            guard !bytes.isEmpty else { return }
            f.emit(.i32Const(1))
            pushStatic(bytes)
            f.emit(.call(g.builtin(.write)))
            return
        }
        expression(s)
        f.emit(.call(g.builtin(.printBytes)))
    }

    /// `append(p, v)`: p, then v, then the slot is made (LANGUAGE.md §10.2) and v stored in it.
    func append(_ target: TExpr, _ value: TExpr, _ span: SourceSpan) {
        let size = layout.size(value.type)
        let held = temp(Layout.valueType(value.type) ?? .i32)
        if let promoted = promotedSlice(target) {
            expression(value)
            f.emit(.localSet(held))
            promotedAppendSlot(promoted, elementSize: size, span)
        } else {
            let header = temp(.i32)
            expression(target)
            f.emit(.localSet(header))
            expression(value)
            f.emit(.localSet(held))
            appendSlot(header: header, elementSize: size, span)
        }
        f.emit(.localGet(held))
        if Layout.isAggregate(value.type) {
            copyAggregate(value.type)
        } else {
            f.emit(Layout.store(value.type, offset: 0))
        }
    }

    /// Pushes the address of the new last element of the slice whose header address is in
    /// local `header`.
    private func appendSlot(header: UInt32, elementSize size: Int, _ span: SourceSpan) {
        // The common case, room left (length < capacity), is inline: bump the length and store
        // at items + length * size. Only a full slice calls append_slot, which grows it.
        let length = temp(.i64)
        let mem64 = MemArg(align: 3, offset: 8), mem32 = MemArg(align: 2, offset: 4)
        f.emit([.localGet(header), .load(.i64Load, mem64), .localTee(length),
                .localGet(header), .load(.i32Load, mem32), .numeric(.i64ExtendI32U), .numeric(.i64LtU),
                .if(.value(.i32)),
                .localGet(header), .localGet(length), .i64Const(1), .numeric(.i64Add), .store(.i64Store, mem64),
                .localGet(header), .load(.i32Load, MemArg(align: 2, offset: 0)),
                .localGet(length), .numeric(.i32WrapI64)])
        if size != 1 { f.emit([.i32Const(Int32(size)), .numeric(.i32Mul)]) }
        f.emit([.numeric(.i32Add), .else,
                .localGet(header), .i32Const(Int32(size))])
        pushSite(span)
        f.emit([.call(g.builtin(.appendSlot)), .end])
    }
}
