import ZongSyntax

/// Phase 4: reads of scalar variables that may not have been assigned. Reproduces the
/// algorithm of LANGUAGE.md §9.2 exactly (it is what the conformance tests encode).
enum DefiniteInitialization {
    /// - Parameter tasks: runs the functions' analyses, which are independent.
    static func analyze(_ program: TypedProgram, tasks: TaskRunner = runSequentially) -> DiagnosticList {
        let functions = program.functions
        let reports = mapTasks(functions.count, tasks) { i in
            var analyzer = Analyzer()
            let def = functions[i]
            let state = State(definite: Set(def.parameters), maybe: [])
            // The script body is "the program", a block (stop rule); a function body is not.
            _ = analyzer.block(def.body, state, stopAfterJump: def.isScriptMain)
            return analyzer.errors
        }
        var errors = DiagnosticList()
        for report in reports { errors.append(contentsOf: report) }
        return errors
    }

    struct State {
        var definite: Set<LocalVar>
        var maybe: Set<LocalVar>

        func merged(with other: State) -> State {
            let definite = self.definite.intersection(other.definite)
            let maybe = self.definite.union(self.maybe).union(other.definite).union(other.maybe).subtracting(definite)
            return State(definite: definite, maybe: maybe)
        }

        mutating func assign(_ v: LocalVar) {
            definite.insert(v)
            maybe.remove(v)
        }
    }

    struct Analyzer {
        var errors = DiagnosticList()

        mutating func block(_ body: [TStmt], _ start: State, stopAfterJump: Bool) -> State {
            var state = start
            for s in body {
                state = statement(s, state)
                if stopAfterJump {
                    switch s {
                    case .breakLoop, .continueLoop, .returnValue: return state
                    default: break
                    }
                }
            }
            return state
        }

        private mutating func statement(_ s: TStmt, _ start: State) -> State {
            var state = start
            switch s {
            case .expression(let e):
                use(e, state)
            case .variable(let v, let initializer):
                if let initializer {
                    use(initializer, state)
                    state.assign(v)
                } else if !isScalar(v.type) {
                    state.assign(v)
                }
            case .assign(let target, let value, _):
                use(value, state)
                if case .local(let v) = target.kind {
                    state.assign(v)
                } else {
                    use(target, state)
                }
            case .ifElse(let branches, let elseBody):
                return ifChain(branches[...], elseBody, state)
            case .loop(let body):
                return start.merged(with: block(body, start, stopAfterJump: false))
            case .breakLoop, .continueLoop:
                break
            case .returnValue(let e, _):
                if let e { use(e, state) }
            case .block(let body):
                return block(body, state, stopAfterJump: true)
            }
            return state
        }

        private mutating func ifChain(_ branches: ArraySlice<(condition: TExpr, body: [TStmt])>, _ elseBody: [TStmt]?,
                                      _ start: State) -> State {
            guard let first = branches.first else {
                return elseBody.map { block($0, start, stopAfterJump: true) } ?? start
            }
            use(first.condition, start)
            let taken = block(first.body, start, stopAfterJump: true)
            let rest = branches.dropFirst()
            let other = rest.isEmpty && elseBody == nil ? start : ifChain(rest, elseBody, start)
            return taken.merged(with: other)
        }

        private func isScalar(_ t: ZType) -> Bool {
            switch t {
            case .structure, .slice: false
            default: true
            }
        }

        /// Every variable read in `e`, left to right.
        private mutating func use(_ e: TExpr, _ state: State) {
            switch e.kind {
            case .local(let v):
                guard isScalar(v.type), !state.definite.contains(v) else { return }
                let message = state.maybe.contains(v)
                    ? SemaMessages.mayBeUsedBeforeAssignment(v.name) : SemaMessages.usedBeforeAssignment(v.name)
                errors.error(message, at: e.span)
            case .integer, .boolean, .string, .emptySlice, .readLine:
                break
            case .arithmetic(_, let a, let b), .bitwise(_, let a, let b), .shift(_, let a, let b), .comparison(_, let a, let b), .logicalAnd(let a, let b),
                 .logicalOr(let a, let b), .index(let a, let b), .append(let a, let b):
                use(a, state)
                use(b, state)
            case .negate(let a), .not(let a), .convert(let a), .complement(let a), .addressOf(let a), .dereference(let a), .field(let a, _),
                 .sliceLength(let a), .print(let a), .printBytes(let a):
                use(a, state)
            case .call(_, let arguments, _):
                for a in arguments { use(a, state) }
            case .construct(_, let fields):
                for f in fields { use(f.value, state) }
            }
        }
    }
}
