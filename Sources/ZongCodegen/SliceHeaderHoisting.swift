import Wasm
import ZongSema

/// Loops over slices re-read the 16-byte header (items, length) on every `s[i]` and `s.length`.
/// Linear memory is one array to clang, so any store in the loop may alias the header and the
/// loads stay in the loop. Zong's memory is typed, though: an element store can never write a
/// slice header. So when a loop body cannot write any header (no `append`, no
/// aggregate assignment or declaration, no length assignment, no calls but to functions that
/// leave their callers' headers alone), the headers of the slices it indexes are loaded once
/// before the loop into WASM locals, and the loop body uses those.
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
        let scan = LoopScan(body) { g.leavesHeadersAlone($0) }
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

    init(_ body: [TStmt], callIsSafe: (FunctionDef) -> Bool) {
        forEachNode(in: body) { node in
            switch node {
            case .statement(.variable(let v, _)):
                declared.insert(v)
                if Layout.isAggregate(v.type) { mayWriteHeaders = true }
            case .statement(.assign(let target, _, _)):
                if Layout.isAggregate(target.type) { mayWriteHeaders = true }
                if case .sliceLength = target.kind { mayWriteHeaders = true }
                if case .local(let v) = target.kind { assigned.insert(v) }
            case .expression(let e):
                switch e.kind {
                case .call(.function(let callee), _, _): if !callIsSafe(callee) { mayWriteHeaders = true }
                case .call, .append: mayWriteHeaders = true
                case .sliceLength(let slice), .index(let slice, _): indexedSlices.append(slice)
                default: break
                }
            default:
                break
            }
        }
    }
}
