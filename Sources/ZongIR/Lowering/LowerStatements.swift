import ZongSema
import ZongSyntax

extension FunctionLowering {
    mutating func lower(_ statements: [TStmt]) {
        for s in statements { lower(s) }
    }

    mutating func lower(_ statement: TStmt) {
        switch statement {
        case .expression(let e):
            _ = lower(e)
        case .variable(let local, let initializer):
            let slot = slot(for: local)
            if let initializer {
                let v = lower(initializer)
                locate(local.span)
                store(local.type, v, to: .slot(slot, offset: 0))
            } else if DataLayout.isAggregate(local.type) {
                locate(local.span)
                zero(local.type, at: .slot(slot, offset: 0))
            }
        case .assign(let target, let value, let span):
            assign(target, value, span)
        case .ifElse(let branches, let elseBody):
            lowerIf(branches, elseBody)
        case .loop(let body):
            lowerLoop(body)
        case .breakLoop:
            if let exit = loops.last?.exit { b.terminate(.branch(Edge(exit))) }
        case .continueLoop:
            if let header = loops.last?.header { b.terminate(.branch(Edge(header))) }
        case .returnValue(let value, let span):
            lowerReturn(value, span)
        case .block(let body):
            lower(body)
        }
    }

    mutating func assign(_ target: TExpr, _ value: TExpr, _ span: SourceSpan) {
        if case .sliceLength(let base) = target.kind {
            // Shrinking only: 0 <= new <= length (LANGUAGE.md §4.6).
            let header = aggregateAddress(base)
            let newLength = lower(value).value ?? b.constant(.i64, 0)
            locate(span)
            let length = loadLeaf(header, DataLayout.lengthOffset, .i64)
            b.effect(.check(.sliceLength, [newLength, length]))
            b.effect(.store(MemoryWidth(bytes: 8, signed: false), header.field(DataLayout.lengthOffset), newLength))
            return
        }
        // The target's address is computed before the value (LANGUAGE.md §10.2).
        let place = self.place(target)
        let v = lower(value)
        locate(span)
        store(target.type, v, to: place)
    }

    mutating func lowerIf(_ branches: [(condition: TExpr, body: [TStmt])], _ elseBody: [TStmt]?) {
        let join = b.newBlock()
        for (test, body) in branches {
            let c = condition(test)
            let then = b.newBlock()
            let next = b.newBlock()
            b.terminate(.conditionalBranch(c, then: Edge(then), else: Edge(next)))
            b.position(at: then)
            lower(body)
            if !b.isTerminated { b.terminate(.branch(Edge(join))) }
            b.position(at: next)
        }
        if let elseBody { lower(elseBody) }
        if !b.isTerminated { b.terminate(.branch(Edge(join))) }
        b.position(at: join)
    }

    mutating func lowerLoop(_ body: [TStmt]) {
        let header = b.newBlock()
        let exit = b.newBlock()
        b.terminate(.branch(Edge(header)))
        b.position(at: header)
        loops.append((header, exit))
        lower(body)
        loops.removeLast()
        if !b.isTerminated { b.terminate(.branch(Edge(header))) }
        b.position(at: exit)
    }

    mutating func lowerReturn(_ value: TExpr?, _ span: SourceSpan) {
        guard let value else {
            locate(span)
            return b.terminate(.returnValue(nil))
        }
        let v = lower(value)
        locate(span)
        switch v {
        case .aggregate(let from):
            if let resultAddress {
                copy(value.type, to: .memory(resultAddress, offset: 0, region: .any), from: from)
            }
            b.terminate(.returnValue(nil))
        case .scalar(let r):
            b.terminate(.returnValue(r))
        case .none:
            b.terminate(.returnValue(nil))
        }
    }

    /// A Boolean condition as an i1 register.
    mutating func condition(_ e: TExpr) -> Value {
        lower(e).value ?? b.constant(.i1, 0)
    }
}
