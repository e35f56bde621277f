import ZongSyntax

/// Phase 4: reads of scalar variables that may not have been assigned. Reproduces the
/// algorithm of LANGUAGE.md §9.2 exactly (it is what the conformance tests encode).
///
/// One state for the whole function, changed in place and journaled: a branch is analysed,
/// its changes read from the journal and undone, and only the variables some branch changed
/// are merged. So the work is proportional to the assignments, not to (statements × locals),
/// which copying and intersecting whole sets at every `if` would be.
enum DefiniteInitialization {
    /// - Parameter tasks: runs the functions' analyses, which are independent.
    static func analyze(_ program: TypedProgram, tasks: TaskRunner = runSequentially) -> DiagnosticList {
        let functions = program.functions
        let reports = mapTasks(functions.count, tasks) { i in
            let def = functions[i]
            var analyzer = Analyzer()
            for p in def.parameters { analyzer.state.set(p, .definite) }
            // The script body is "the program", a block (stop rule); a function body is not.
            analyzer.block(def.body, stopAfterJump: def.isScriptMain)
            return analyzer.errors
        }
        var errors = DiagnosticList()
        for report in reports { errors.append(contentsOf: report) }
        return errors
    }

    /// Where a variable stands at a program point (§9.2's "definitely" and "maybe" sets).
    enum Status {
        case unassigned, maybe, definite

        /// The status where two paths join.
        func merged(with other: Status) -> Status {
            if self == .definite && other == .definite { return .definite }
            return self == .unassigned && other == .unassigned ? .unassigned : .maybe
        }
    }

    /// The statuses at the current point, with an undo journal.
    struct State {
        private var statuses: [LocalVar: Status] = [:]
        private var journal: [(variable: LocalVar, previous: Status)] = []

        subscript(_ v: LocalVar) -> Status { statuses[v] ?? .unassigned }

        mutating func set(_ v: LocalVar, _ status: Status) {
            let previous = self[v]
            guard previous != status else { return }
            journal.append((v, previous))
            statuses[v] = status
        }

        var mark: Int { journal.count }

        /// Undoes every change since `mark` and returns the changed variables' statuses as they were
        /// just before the undo.
        mutating func rewind(to mark: Int) -> [LocalVar: Status] {
            var changed: [LocalVar: Status] = [:]
            while journal.count > mark, let last = journal.popLast() {
                if changed[last.variable] == nil { changed[last.variable] = self[last.variable] }
                statuses[last.variable] = last.previous
            }
            return changed
        }

        /// Joins two paths that both started here, given what each changed.
        mutating func join(_ a: [LocalVar: Status], _ b: [LocalVar: Status]) {
            for v in Set(a.keys).union(b.keys) {
                let here = self[v]
                set(v, (a[v] ?? here).merged(with: b[v] ?? here))
            }
        }
    }

    struct Analyzer {
        var errors = DiagnosticList()
        var state = State()

        mutating func block(_ body: [TStmt], stopAfterJump: Bool) {
            for s in body {
                statement(s)
                if stopAfterJump {
                    switch s {
                    case .breakLoop, .continueLoop, .returnValue: return
                    default: break
                    }
                }
            }
        }

        /// Runs `path` from the current state, then restores it; returns what the path changed.
        private mutating func explore(_ path: (inout Analyzer) -> Void) -> [LocalVar: Status] {
            let mark = state.mark
            path(&self)
            return state.rewind(to: mark)
        }

        private mutating func assign(_ v: LocalVar) { state.set(v, .definite) }

        private mutating func statement(_ s: TStmt) {
            switch s {
            case .expression(let e):
                use(e)
            case .variable(let v, let initializer):
                if let initializer {
                    use(initializer)
                    assign(v)
                } else if !isScalar(v.type) {
                    assign(v)
                }
            case .assign(let target, let value, _):
                use(value)
                if case .local(let v) = target.kind {
                    assign(v)
                } else {
                    use(target)
                }
            case .ifElse(let branches, let elseBody):
                ifChain(branches[...], elseBody)
            case .loop(let body):
                // The body may run zero times: join the state before it with the state after it.
                let inside = explore { $0.block(body, stopAfterJump: false) }
                state.join([:], inside)
            case .breakLoop, .continueLoop:
                break
            case .returnValue(let e, _):
                if let e { use(e) }
            case .block(let body):
                block(body, stopAfterJump: true)
            }
        }

        private mutating func ifChain(_ branches: ArraySlice<(condition: TExpr, body: [TStmt])>, _ elseBody: [TStmt]?) {
            guard let first = branches.first else {
                if let elseBody { block(elseBody, stopAfterJump: true) }
                return
            }
            use(first.condition)
            let taken = explore { $0.block(first.body, stopAfterJump: true) }
            let rest = branches.dropFirst()
            let other = rest.isEmpty && elseBody == nil ? [:] : explore { $0.ifChain(rest, elseBody) }
            state.join(taken, other)
        }

        private func isScalar(_ t: ZType) -> Bool {
            switch t {
            case .structure, .slice: false
            default: true
            }
        }

        /// Every variable read in `e`, left to right.
        private mutating func use(_ e: TExpr) {
            switch e.kind {
            case .local(let v):
                let status = state[v]
                guard isScalar(v.type), status != .definite else { return }
                let message = status == .maybe
                    ? SemaMessages.mayBeUsedBeforeAssignment(v.name) : SemaMessages.usedBeforeAssignment(v.name)
                errors.error(message, at: e.span)
            case .integer, .boolean, .string, .emptySlice, .readLine:
                break
            case .arithmetic(_, let a, let b), .bitwise(_, let a, let b), .shift(_, let a, let b), .comparison(_, let a, let b), .logicalAnd(let a, let b),
                 .logicalOr(let a, let b), .index(let a, let b), .append(let a, let b):
                use(a)
                use(b)
            case .negate(let a), .not(let a), .convert(let a), .complement(let a), .addressOf(let a), .dereference(let a), .field(let a, _),
                 .sliceLength(let a), .print(let a), .printBytes(let a):
                use(a)
            case .call(_, let arguments, _):
                for a in arguments { use(a) }
            case .construct(_, let fields):
                for f in fields { use(f.value) }
            }
        }
    }
}
