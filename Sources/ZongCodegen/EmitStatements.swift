import Wasm
import ZongSema
import ZongSyntax

extension FunctionGenerator {
    /// A list of statements is a scope: the locals its own declarations took are released
    /// at its end (a declaration sets its variable on every execution; reading one before
    /// that is a compile error, so nothing reads a reused local's old value).
    func statements(_ list: [TStmt]) {
        let outer = scopeLocals.count
        for s in list { statement(s) }
        while scopeLocals.count > outer, let (v, index, type) = scopeLocals.popLast() {
            localIndex[v] = nil
            f.release(index, type: type)
        }
    }

    func statement(_ s: TStmt) {
        switch s {
        case .expression(let e):
            mark(e.span)
            if returnsFields(e) {
                callFields(e)
                for _ in g.resultFields(e.type) ?? [] { f.emit(.drop) }
                return
            }
            expression(e)
            if Layout.valueType(e.type) != nil { f.emit(.drop) }
        case .variable(let v, let initializer):
            mark(v.span)
            variable(v, initializer)
        case .assign(let target, let value, let span):
            mark(span)
            assign(target, value, span)
        case .ifElse(let branches, let elseBody):
            ifChain(branches[...], elseBody)
        case .loop(let body):
            let hoisted = hoistSliceHeaders(body)
            let promoted = promoteAppendedSlices(body)
            if let counted = countedLoop(body) {
                versionedLoop(counted, original: body)
            } else {
                plainLoop(body)
            }
            writeBackPromotedSlices(promoted)
            for key in hoisted { headerCache[key] = nil }
        case .breakLoop:
            f.emit(.br(depth(of: .loopBreak)))
        case .continueLoop:
            f.emit(.br(depth(of: .loopContinue)))
        case .returnValue(let value, let span):
            mark(span)
            returnStatement(value)
        case .block(let body):
            statements(body)
        }
    }

    /// Branch depth of the innermost label of `kind`.
    func depth(of kind: Label) -> UInt32 {
        var d: UInt32 = 0
        for label in labels.reversed() {
            switch (label, kind) {
            case (.loopBreak, .loopBreak), (.loopContinue, .loopContinue), (.tailLoop, .tailLoop): return d
            default: d += 1
            }
        }
        return d
    }

    private func ifChain(_ branches: ArraySlice<(condition: TExpr, body: [TStmt])>, _ elseBody: [TStmt]?) {
        guard let first = branches.first else {
            if let elseBody { statements(elseBody) }
            return
        }
        mark(first.condition.span)
        expression(first.condition)
        f.emit(.if(.empty))
        labels.append(.block)
        statements(first.body)
        let rest = branches.dropFirst()
        if !rest.isEmpty || elseBody != nil {
            f.emit(.else)
            ifChain(rest, elseBody)
        }
        f.emit(.end)
        labels.removeLast()
    }

    private func variable(_ v: LocalVar, _ initializer: TExpr?) {
        if let locals = registerFields(v) {
            if let initializer {
                assignRegisterStruct(v, locals, initializer)
            } else {
                zeroRegisterStruct(v, locals)
            }
            return
        }
        if Layout.isAggregate(v.type) || v.isAddressTaken {
            let offset = slotOffset[v] ?? slot(layout.size(v.type))
            slotOffset[v] = offset
            if let initializer, !v.isAddressTaken, case .construct(let name, let fields) = initializer.kind {
                // Nothing can read the slot of a variable whose address is never taken while its
                // initializer runs, so `var v: S = S(…)` builds in place.
                constructFields(name, fields, base: offset)
            } else if let initializer {
                f.emit(.localGet(f.framePointer))
                store(offset: offset, type: v.type, value: initializer)
            } else if Layout.isAggregate(v.type) {
                // Every execution of the declaration resets the variable (LANGUAGE.md §5.5).
                pushSlotAddress(offset)
                zeroAggregate(v.type)
            }
            return
        }
        let index: UInt32
        if let existing = localIndex[v] {
            index = existing
        } else {
            let type = Layout.valueType(v.type) ?? .i32
            index = f.variableLocal(type, name: v.name)
            scopeLocals.append((v, index, type))
            localIndex[v] = index
        }
        if let initializer {
            expression(initializer)
            f.emit(.localSet(index))
        }
    }

    /// `target = value`: the target's address first, then the value (LANGUAGE.md §10.2).
    private func assign(_ target: TExpr, _ value: TExpr, _ span: SourceSpan) {
        if let (v, locals) = registerStruct(target) {
            assignRegisterStruct(v, locals, value)
            return
        }
        if case .field(let base, let index) = target.kind, let (_, locals) = registerStruct(base) {
            expression(value)
            f.emit(.localSet(locals[index]))
            return
        }
        switch target.kind {
        case .local(let v) where localIndex[v] != nil:
            expression(value)
            f.emit(.localSet(localIndex[v] ?? 0))
        case .sliceLength(let slice):
            assignLength(slice, value, span)
        default:
            let offset = address(of: target)
            store(offset: offset, type: target.type, value: value)
        }
    }

    /// `s.length = n` may only shrink: 0 <= n <= length, else `slice length out of range`.
    private func assignLength(_ slice: TExpr, _ value: TExpr, _ span: SourceSpan) {
        let header = temp(.i32)
        let n = temp(.i64)
        materialize(address(of: slice))
        f.emit(.localSet(header))
        expression(value)
        f.emit([.localTee(n), .localGet(header), .load(.i64Load, MemArg(align: 3, offset: 8)), .numeric(.i64GtU), .if(.empty)])
        emitPanic("slice length out of range", span)
        f.emit([.end, .localGet(header), .localGet(n), .store(.i64Store, MemArg(align: 3, offset: 8))])
    }

    private func returnStatement(_ value: TExpr?) {
        if let value, tailReturn(value) { return }
        if let value, g.resultFields(function.returnType) != nil {
            pushFields(value)
            setResultRegisters(value.type)
        } else if let value, let result = resultPointer, case .construct(let name, let fields) = value.kind {
            // `return S(…)` builds straight into the caller's slot, which nothing else can see.
            constructFields(name, fields, base: 0, address: result)
        } else if let value, let result = resultPointer, let (v, locals) = registerStruct(value) {
            // `return v` for a register struct: its fields straight into the caller's slot.
            storeFields(v.type, locals, address: result)
        } else if let value, let result = resultPointer {
            // Copy the struct/slice into the caller's slot before the frame is released.
            f.emit(.localGet(result))
            expression(value)
            copyAggregate(value.type)
        } else if let value {
            expression(value)
        }
        f.emitEpilogue()
        f.emit(.return)
    }
}
