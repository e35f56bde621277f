import Wasm
import ZongSema

/// Loops over slices re-read the 16-byte header (items, length) on every `s[i]` and `s.length`.
/// Linear memory is one array to clang, so any store in the loop may alias the header and the
/// loads stay in the loop. Zong's memory is typed, though: an element store can never write a
/// slice header. So when a loop body cannot write any header (no calls, no `append`, no
/// aggregate assignment or declaration, no length assignment), the headers of the slices it
/// indexes are loaded once before the loop into WASM locals, and the loop body uses those.
extension FunctionGenerator {
    /// A slice whose header address cannot change while the loop runs.
    enum HeaderKey: Hashable {
        /// `(p*)[i]` with `p` a register local (a pointer to a slice).
        case throughPointer(LocalVar)
        /// `s[i]` with `s` a slice variable or parameter (the header lives at a fixed address).
        case variable(LocalVar)
    }

    struct CachedHeader {
        var items: UInt32
        var length: UInt32
    }

    func headerKey(_ slice: TExpr) -> HeaderKey? {
        switch slice.kind {
        case .local(let v) where parameterAddress[v] != nil || slotOffset[v] != nil:
            return .variable(v)
        case .dereference(let pointer):
            if case .local(let p) = pointer.kind, localIndex[p] != nil { return .throughPointer(p) }
            return nil
        default:
            return nil
        }
    }

    /// Before a loop: loads the headers the body can use unchanged; returns the keys it added.
    func hoistSliceHeaders(_ body: [TStmt]) -> [HeaderKey] {
        var scan = LoopScan()
        scan.statements(body)
        guard !scan.mayWriteHeaders else { return [] }
        var added: [HeaderKey] = []
        for slice in scan.indexedSlices {
            guard let key = headerKey(slice), headerCache[key] == nil else { continue }
            switch key {
            case .throughPointer(let p), .variable(let p):
                if scan.assigned.contains(p) || scan.declared.contains(p) { continue }
            }
            let header = temp(.i32)
            materialize(address(of: slice))
            let cached = CachedHeader(items: temp(.i32), length: temp(.i64))
            f.emit([.localTee(header), .load(.i32Load, MemArg(align: 2, offset: 0)), .localSet(cached.items),
                    .localGet(header), .load(.i64Load, MemArg(align: 3, offset: 8)), .localSet(cached.length)])
            headerCache[key] = cached
            added.append(key)
        }
        return added
    }

    func cachedHeader(_ slice: TExpr) -> CachedHeader? {
        guard !headerCache.isEmpty, let key = headerKey(slice) else { return nil }
        return headerCache[key]
    }
}

/// What a loop body may do to slice headers, and which slices it indexes.
private struct LoopScan {
    var mayWriteHeaders = false
    var indexedSlices: [TExpr] = []
    var assigned: Set<LocalVar> = []
    var declared: Set<LocalVar> = []

    mutating func statements(_ body: [TStmt]) {
        for s in body where !mayWriteHeaders { statement(s) }
    }

    mutating func statement(_ s: TStmt) {
        switch s {
        case .expression(let e):
            expression(e)
        case .variable(let v, let initializer):
            declared.insert(v)
            if Layout.isAggregate(v.type) { mayWriteHeaders = true }
            if let initializer { expression(initializer) }
        case .assign(let target, let value, _):
            if Layout.isAggregate(target.type) { mayWriteHeaders = true }
            if case .sliceLength = target.kind { mayWriteHeaders = true }
            if case .local(let v) = target.kind { assigned.insert(v) }
            expression(target)
            expression(value)
        case .ifElse(let branches, let elseBody):
            for b in branches {
                expression(b.condition)
                statements(b.body)
            }
            if let elseBody { statements(elseBody) }
        case .loop(let body), .block(let body):
            statements(body)
        case .returnValue(let value, _):
            if let value { expression(value) }
        case .breakLoop, .continueLoop:
            break
        }
    }

    mutating func expression(_ e: TExpr) {
        switch e.kind {
        case .integer, .boolean, .local, .emptySlice, .readLine, .string:
            break
        case .call, .append:
            mayWriteHeaders = true
        case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .logicalAnd(let a, let b),
             .logicalOr(let a, let b):
            expression(a)
            expression(b)
        case .negate(let a), .not(let a), .addressOf(let a), .dereference(let a), .field(let a, _),
             .print(let a), .printBytes(let a):
            expression(a)
        case .sliceLength(let slice):
            indexedSlices.append(slice)
            expression(slice)
        case .index(let slice, let index):
            indexedSlices.append(slice)
            expression(slice)
            expression(index)
        case .construct(_, let fields):
            for field in fields { expression(field.value) }
        }
    }
}
