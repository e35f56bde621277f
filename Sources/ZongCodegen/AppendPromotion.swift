import Wasm
import ZongSema
import ZongSyntax

/// A loop that appends to a slice variable keeps that slice's header (items, capacity, length)
/// in WASM locals while it runs, and writes the length back once when it exits.
///
/// Otherwise every `append(s&, v)` reads the length its predecessor has just stored, a chain
/// through memory that clang cannot break: to it, the element store may alias the header.
/// Zong's memory is typed, so only a header write can change a header: an `append`, an
/// aggregate or length assignment, or a call that may do one. The header is promoted when the
/// loop body does none of these except appends to slice variables at fixed addresses, never
/// returns, reads no aggregate through a pointer (which might point at `s`), names `s` only as
/// the target of its appends and does not declare it. It may call functions that, through
/// all their calls, touch no header but their own variables' (`leavesHeadersAlone`). The only code that reads the header in
/// memory meanwhile is `append_slot`, which gets the current length first.
extension FunctionGenerator {
    /// A slice header held in locals; `header` is its address.
    struct PromotedSlice {
        var header: UInt32
        var items: UInt32
        var capacity: UInt32
        var length: UInt32
    }

    /// Before a loop: loads the header of every slice the body may keep in locals; returns the
    /// variables promoted here (not those an enclosing loop already holds).
    func promoteAppendedSlices(_ body: [TStmt]) -> [LocalVar] {
        let scan = AppendLoopScan(body, allowsReturn: false) { g.leavesHeadersAlone($0) }
        guard scan.promotable else { return [] }
        var promoted: [LocalVar] = []
        for (v, place) in scan.appended where promotedSlices[v] == nil && scan.mentions[v] == scan.appendCounts[v]
            && !scan.declared.contains(v) {
            // Typed memory: no other variable's header shares this one's address.
            guard parameterAddress[v] != nil || slotOffset[v] != nil else { continue }
            let slice = PromotedSlice(header: temp(.i32), items: temp(.i32), capacity: temp(.i32), length: temp(.i64))
            materialize(address(of: place))
            f.emit(.localSet(slice.header))
            loadHeader(slice)
            promotedSlices[v] = slice
            promoted.append(v)
        }
        return promoted
    }

    /// After the loop: the length goes back to memory (items and capacity never left it).
    func writeBackPromotedSlices(_ vars: [LocalVar]) {
        for v in vars {
            guard let slice = promotedSlices.removeValue(forKey: v) else { continue }
            f.emit([.localGet(slice.header), .localGet(slice.length), .store(.i64Store, MemArg(align: 3, offset: 8))])
        }
    }

    /// The header kept in locals for the target of `append(target, …)`, if any.
    func promotedSlice(_ target: TExpr) -> PromotedSlice? {
        guard !promotedSlices.isEmpty, case .addressOf(let place) = target.kind, case .local(let v) = place.kind else { return nil }
        return promotedSlices[v]
    }

    /// Pushes the address of the new last element of a promoted slice: inline while there is
    /// room, else through `append_slot` with the header in memory brought up to date first.
    func promotedAppendSlot(_ slice: PromotedSlice, elementSize size: Int, _ span: SourceSpan) {
        f.emit([.localGet(slice.length), .localGet(slice.capacity), .numeric(.i64ExtendI32U), .numeric(.i64LtU),
                .if(.value(.i32)),
                .localGet(slice.items), .localGet(slice.length), .numeric(.i32WrapI64)])
        if size != 1 { f.emit([.i32Const(Int32(size)), .numeric(.i32Mul)]) }
        f.emit([.numeric(.i32Add),
                .localGet(slice.length), .i64Const(1), .numeric(.i64Add), .localSet(slice.length),
                .else,
                .localGet(slice.header), .localGet(slice.length), .store(.i64Store, MemArg(align: 3, offset: 8)),
                .localGet(slice.header), .i32Const(Int32(size))])
        pushSite(span)
        f.emit(.call(g.builtin(.appendSlot)))
        loadHeader(slice)
        f.emit(.end)
    }

    private func loadHeader(_ slice: PromotedSlice) {
        f.emit([.localGet(slice.header), .load(.i32Load, MemArg(align: 2, offset: 0)), .localSet(slice.items),
                .localGet(slice.header), .load(.i32Load, MemArg(align: 2, offset: 4)), .localSet(slice.capacity),
                .localGet(slice.header), .load(.i64Load, MemArg(align: 3, offset: 8)), .localSet(slice.length)])
    }
}

extension ModuleGenerator {
    /// Whether calling `function` can neither read nor write a header its caller holds in
    /// locals: it reaches memory outside its own variables only through scalars and elements.
    /// Recursion counts as unknown, so a cycle is never safe.
    func leavesHeadersAlone(_ function: FunctionDef) -> Bool {
        var open = Set<ObjectIdentifier>()
        return leavesHeadersAlone(function, &open)
    }

    /// `open`: the functions this question is inside. Meeting one again means recursion: every
    /// function on the way is in a cycle, so the answers remembered for them are final (and the
    /// same whichever thread asks first).
    private func leavesHeadersAlone(_ function: FunctionDef, _ open: inout Set<ObjectIdentifier>) -> Bool {
        let key = ObjectIdentifier(function)
        if let known = headerSafety.withLock({ $0[key] }) { return known }
        guard open.insert(key).inserted else { return false }
        let safe = AppendLoopScan(function.body, allowsReturn: true) { self.leavesHeadersAlone($0, &open) }.promotable
        open.remove(key)
        headerSafety.withLock { $0[key] = safe }
        return safe
    }
}

/// Whether a loop body (or a callee's body) lets appended slices keep their headers in
/// locals, and which ones.
private struct AppendLoopScan {
    /// False when the body may write a header other than by appending to a variable, or returns.
    var promotable = true
    /// Each slice variable appended to, with the place expression naming it, in source order.
    var appended: [(LocalVar, TExpr)] = []
    var appendCounts: [LocalVar: Int] = [:]
    /// How often each slice variable is named anywhere in the body.
    var mentions: [LocalVar: Int] = [:]
    var declared: Set<LocalVar> = []

    init(_ body: [TStmt], allowsReturn: Bool, callIsSafe: (FunctionDef) -> Bool) {
        forEachNode(in: body) { node in
            switch node {
            case .statement(.returnValue):
                if !allowsReturn { promotable = false }
            case .statement(let s):
                visit(s)
            case .expression(let e):
                if case .call(.function(let callee), _, _) = e.kind {
                    if !callIsSafe(callee) { promotable = false }
                } else {
                    visit(e)
                }
            }
        }
    }

    private mutating func visit(_ s: TStmt) {
        switch s {
        case .variable(let v, _):
            declared.insert(v)
        case .assign(let target, _, _):
            // A whole aggregate or a length written through a pointer may be a header.
            let writesHeaderSized: Bool
            if case .sliceLength = target.kind { writesHeaderSized = true } else { writesHeaderSized = Layout.isAggregate(target.type) }
            if writesHeaderSized, MemoryRoots.root(target) == nil { promotable = false }
        default:
            break
        }
    }

    private mutating func visit(_ e: TExpr) {
        switch e.kind {
        case .local(let v):
            // Only slices can be promoted; counting every scalar would cost a hash per name.
            if case .slice = v.type { mentions[v, default: 0] += 1 }
        case .call:
            promotable = false  // an extern
        case .dereference where Layout.isAggregate(e.type):
            promotable = false
        case .append(let target, _):
            guard case .addressOf(let place) = target.kind, case .local(let v) = place.kind else {
                promotable = false
                return
            }
            if appendCounts[v] == nil { appended.append((v, place)) }
            appendCounts[v, default: 0] += 1
        default:
            break
        }
    }
}
