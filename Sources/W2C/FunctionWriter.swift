import WasmParser
import WasmTypes

/// Translates one function body: the type-stack pass (which also validates what it translates)
/// and the C text, in a single walk over the instructions.
///
/// The operand stack lives in typed C locals named by type letter and depth (`i0`, `j1`, `f2`,
/// `d3`), so every instruction is one C statement and clang turns the slots into SSA values.
/// Blocks and loops become labels reached by `goto`.
struct FunctionWriter {
    enum FrameKind { case function, block, loop, `if`, `else` }

    struct Frame {
        var kind: FrameKind
        var params: [ValueType]
        var results: [ValueType]
        /// Stack height at entry, below the block's parameters.
        var height: Int
        var label: String
        var labelUsed = false
        /// After an unconditional branch: the rest of the frame has a polymorphic stack.
        var unreachable = false
        /// Opened inside unreachable code: nothing of it is emitted, but its own stack is
        /// ordinary (not polymorphic) until an unconditional branch inside it.
        var deadEntry = false
        /// A loop's label line, filled at `end` if some branch used it.
        var labelLine: Int?
        /// An `if` written without braces, as gotos around its arms (see `maxBraceDepth`).
        var flat = false
        /// For `if (i >= n)`: what its fall-through knows (see IndexedAccess.swift).
        var guardState: GuardState?
        /// The bounds-check facts at entry and the locals written inside (DominatingFacts.swift).
        var entry: EntryFacts?
        /// What every branch to the label (and a finished `then` arm) knew, and how many did.
        var arriving: EntryFacts?
        var arrivals = 0
        var written: Set<Int> = []
        /// A loop: some branch inside leaves it (or returns).
        var exits = false
        /// A loop: `loopSizeReads` when it was entered (IndexedAccess.swift, `ms_loop`).
        var loopSizeReadsAtEntry = 0
    }

    /// C compilers limit bracket nesting (clang: 2048). Below this many open `if` braces an
    /// `if` is written as nested C; deeper ones as `if (!c) goto L_else;` ... `goto L;`
    /// `L_else:;` ... `L:;`, so the C nests no deeper whatever the WASM's depth.
    static let maxBraceDepth = 200
    /// Open braces of `if` frames written nested.
    var openBraces = 0

    let ctx: ModuleContext
    let index: Int
    let type: FunctionType
    var localTypes: [ValueType] = []
    var localCNames: [String] = []
    var stack: [ValueType] = []
    var frames: [Frame] = []
    var body = CWriter()
    /// Per type letter (`letters`): which stack depths have a declared slot, and the slot names.
    var slotUsed: [[Bool]] = Array(repeating: [], count: 7)
    var slotNames: [[String]] = Array(repeating: [], count: 7)
    static let letters: [Character] = ["i", "j", "f", "d", "r", "e", "x"]
    var labelCount = 0
    var offset = 0
    var usesMemory = false
    /// Guard-page mode: unchecked loads written so far, each folding its bits into `zrt_sink`,
    /// which loop heads, calls, traps and returns then hand to `ZRT_SINK_USE` (zong_rt.h).
    var guardLoads = 0
    var sinkUse: String { guardLoads > 0 ? "ZRT_SINK_USE(zrt_sink);" : "" }
    /// Open loops. Inside one, calls and traps do not use the sink (that would keep clang from
    /// versioning and vectorizing the loop): the loads stay before them anyway (a call may
    /// write memory, so a load whose value is needed later cannot move past it), and the sink
    /// is used at the loop's exits' returns, or at its head if it has no exit.
    var loopDepth = 0
    /// Fast arms written with `ms_loop`, the memory size when the innermost loop was entered.
    var loopSizeReads = 0

    /// A branch to `frames[target]`: every loop inside it has an exit.
    mutating func noteExits(beyond target: Int) {
        guard loopDepth > 0, target + 1 < frames.count else { return }
        for i in (target + 1)..<frames.count where frames[i].kind == .loop { frames[i].exits = true }
    }
    /// Writing the function's bounded variant: its self-calls make no stack check
    /// (BoundedRecursion.swift).
    let boundedVariant: Bool
    /// A native stack check has run on every path to here (see `checkStackBeforeCall`).
    var stackChecked = false
    /// Whether some call site checks the stack (with the comparison made once at entry,
    /// `stack_low`).
    var checksStackBeforeCalls = false
    /// Source location of the current instruction from `zong.lines`, and the one last written.
    var currentFile = -1, currentLine = 0
    var writtenFile = -1, writtenLine = 0
    var lineCursor = 0

    /// Bounds-check elimination (W2C_DESIGN §7.2, items 1-3). What an i32 slot is known to hold:
    /// The last four describe element accesses (see IndexedAccess.swift): `(u32)local`,
    /// `(u32)local * scale`, `base + (u32)index * scale`, and the comparison `index >=u bound`.
    enum SlotSource {
        case local(Int), constant(UInt32)
        case wrapped(Int), scaled(index: Int, scale: UInt32), element(base: Int, index: Int, scale: UInt32)
        case atLeast(index: Int, bound: Int)

        func mentions(_ l: Int) -> Bool {
            switch self {
            case .local(let i), .wrapped(let i), .scaled(let i, _): i == l
            case .element(let b, let i, _): b == l || i == l
            case .atLeast(let i, let n): i == l || n == l
            case .constant: false
            }
        }
    }
    var slotSources: [SlotSource?] = []
    /// Per local: the largest `offset + size` already checked for an address held in it, valid
    /// until the local is written or control flow merges. Memory never shrinks, so these facts
    /// survive calls and memory.grow.
    var checkedExtents: [Int: UInt64] = [:]
    /// Per local holding a copy of another local's value (`local.set x (local.get p)`): that
    /// local, while neither is written.
    var copyOrigins: [Int: Int] = [:]
    /// Per i64 local: a local it is known to be below (unsigned), from an index check.
    var indexBounds: [Int: Int] = [:]
    /// The open window of accesses sharing one bounds check (CheckWindows.swift).
    var checkWindow: CheckWindow?
    /// Per `loop` instruction, in order: the locals its body writes (from the translator's
    /// pre-pass); `loopsSeen` counts the loops met so far.
    var loopWrites: [Set<Int>] = []
    /// `block`, `loop` and `if` instructions seen, for the optimization budget.
    var blockCount = 0
    /// Set by `assemble` when the function is too large to optimize (`W2COptions.optimizedFunctionBudget`).
    private(set) var unoptimized: UnoptimizedFunction?
    var loopsSeen = 0

    init(ctx: ModuleContext, index: Int, boundedVariant: Bool = false) {
        self.ctx = ctx
        self.index = index
        self.boundedVariant = boundedVariant
        self.type = ctx.info.functionType(index) ?? FunctionType(parameters: [])
    }

    func fail(_ message: String) -> W2CError {
        W2CError(message, offset: offset, functionIndex: index)
    }

    // MARK: - Driver

    /// Returns the complete C definition of the function.
    mutating func write(code: Code) throws(W2CError) -> CWriter {
        localTypes = type.parameters + code.locals
        for t in localTypes where ModuleContext.cType(t) == "void" {
            throw fail(W2CError.unsupported("locals of type \(ModuleContext.typeName(t))"))
        }
        let names = ctx.info.names.locals(of: UInt32(index))
        var dedupe = CNames.Deduper()
        for i in localTypes.indices {
            let isParam = i < type.parameters.count
            if let name = names[UInt32(i)], !name.isEmpty {
                localCNames.append(dedupe.unique((isParam ? "p_" : "l_") + CNames.sanitize(name)))
            } else {
                localCNames.append(dedupe.unique((isParam ? "p" : "l") + "\(i)"))
            }
        }
        frames = [Frame(kind: .function, params: [], results: type.results, height: 0, label: "")]
        body.indent = 1

        var parser = ExpressionParser(code: code)
        var reader = InstructionReader()
        if let lines = ctx.info.lines { lineCursor = lines.firstIndex(atOrAfter: parser.offset) }
        while true {
            offset = parser.offset
            let visit: ExpressionParser.Visit?
            do {
                visit = try parser.parse()
            } catch {
                throw fail("malformed code: \(W2CError.parserMessage(error))")
            }
            guard let visit else { break }
            guard !frames.isEmpty else { throw fail("instructions after the end of the function") }
            reader.instruction = nil
            visit(visitor: &reader)
            guard let instruction = reader.instruction else {
                throw fail(W2CError.unsupported("instruction at this offset (outside WebAssembly 1.0, sign-extension, saturating truncation and bulk memory)"))
            }
            advanceLine()
            try step(instruction)
        }
        guard frames.isEmpty else { throw fail("function body does not end with 'end'") }
        return assemble()
    }

    /// The function's header, declarations and prologue around the body.
    mutating func assemble() -> CWriter {
        var out = CWriter()
        let name = ctx.functionDisplayNames[index]
        if boundedVariant {
            out.line("/* function \(index): \(CNames.commentSafe(name)), bounded variant: calls itself without stack checks, */")
            out.line("/* entered only when the stack has room for all the recursion its argument allows */")
        } else {
            out.line("/* function \(index): \(CNames.commentSafe(name)) */")
        }
        let variables = localTypes.count + slotUsed.reduce(0) { $0 + $1.lazy.filter { $0 }.count }
        let budget = ctx.options.optimizedFunctionBudget
        if budget > 0, variables * max(blockCount, 1) > budget {
            unoptimized = UnoptimizedFunction(name: name, variables: variables, blocks: blockCount)
            out.line("/* too large to optimize in bounded time: \(variables) variables, \(blockCount) blocks */")
            out.line("__attribute__((optnone, noinline))")
        }
        out.line(signature() + " {")
        out.indent = 1
        for i in type.parameters.count..<localTypes.count {
            out.line("\(ModuleContext.cType(localTypes[i])) \(localCNames[i]) = 0;")
        }
        if boundedVariant, let l = ctx.recursionBounds[index]?.budgetLocal, l < localCNames.count {
            out.line("(void)\(localCNames[l]); /* the real-call budget: read as 1 here */")
        }
        for (k, t) in [ValueType.i32, .i64, .f32, .f64, .ref(.funcRef), .ref(.externRef)].enumerated() {
            // `T sL0 = 0, sL3 = 0, ...;`, eight names a line.
            let letter = UInt8(ascii: Self.letters[k].unicodeScalars.first!)
            var onLine = 0
            for depth in slotUsed[k].indices where slotUsed[k][depth] {
                if onLine == 0 {
                    out.appendIndent()
                    out.put(ModuleContext.cType(t))
                    out.byte(32)
                } else {
                    out.lit(", ")
                }
                out.byte(UInt8(ascii: "s"))
                out.byte(letter)
                out.put(depth)
                out.lit(" = 0")
                onLine += 1
                if onLine == 8 {
                    out.lit(";\n")
                    onLine = 0
                }
            }
            if onLine > 0 { out.lit(";\n") }
        }
        if usesMemory {
            let m = ctx.memoryCName
            out.line("uint8_t *const mb = \(m).base;")
            out.line(refreshesSize ? "uint64_t ms = \(m).size;" : "const uint64_t ms = \(m).size;")
            if loopSizeReads > 0 { out.line("uint64_t ms_loop = ms;") }
        }
        if checksStackBeforeCalls { out.line("const int stack_low = ZRT_STACK_LOW();") }
        if guardLoads > 0 { out.line("uint64_t zrt_sink = 0;") }
        if ctx.needsStackCheck[index], localTypes.count + slotNames.reduce(0, { $0 + $1.count }) > Self.largeFrameSlots {
            out.line("ZRT_STACK_CHECK(\(index));")
        }
        out.append(body)
        out.indent = 0
        out.line("}")
        return out
    }

    var refreshesSize: Bool { ctx.hasMemoryGrow }

    func signature() -> String {
        let params = type.parameters.indices.map { "\(ModuleContext.cType(type.parameters[$0])) \(localCNames[$0])" }
        let name = boundedVariant ? ctx.recursionBounds[index]?.variantCName ?? ctx.functionCNames[index] : ctx.functionCNames[index]
        // In its function's code section (zong_rt.h's ZRT_CODE_OF), which names the function of a fault.
        return "ZRT_CODE_OF(\(index)) static \(ModuleContext.cReturnType(type)) \(name)(\(params.isEmpty ? "void" : params.joined(separator: ", ")))"
    }

    // MARK: - Source lines

    mutating func advanceLine() {
        guard offset >= nextLineOffset, let lines = ctx.info.lines else { return }
        while lineCursor < lines.entries.count, lines.entries[lineCursor].offset <= offset {
            currentFile = lines.entries[lineCursor].file
            currentLine = lines.entries[lineCursor].line
            lineCursor += 1
        }
        nextLineOffset = lineCursor < lines.entries.count ? lines.entries[lineCursor].offset : Int.max
    }

    /// The offset of the next `zong.lines` entry (`Int.max`: none), so that instructions
    /// before it skip `advanceLine`'s lookup.
    var nextLineOffset = Int.min

    /// The location argument of trap calls: 0 (unknown), the line, or ZLOC(file, line).
    var loc: String {
        guard currentLine > 0, currentFile >= 0 else { return "0" }
        return currentFile == 0 ? "\(currentLine)" : "ZLOC(\(currentFile), \(currentLine))"
    }

    /// Every statement goes through here, so a line comment (or `#line`) precedes the first
    /// statement of each source line.
    mutating func emit(_ text: String) {
        guard begin() else { return }
        body.put(text)
        body.byte(10)
    }

    /// Starts a statement written piecewise into `body` (line comment and indentation);
    /// false in unreachable code, where nothing is written. `end()` finishes the line.
    @inline(__always) mutating func begin() -> Bool {
        if dead { return false }
        beginLine()
        body.appendIndent()
        return true
    }

    @inline(__always) mutating func end() { body.byte(10) }

    /// Writes `loc` into the body.
    mutating func putLoc() {
        guard currentLine > 0, currentFile >= 0 else { body.byte(0x30); return }
        if currentFile == 0 {
            body.put(currentLine)
        } else {
            body.lit("ZLOC(")
            body.put(currentFile)
            body.lit(", ")
            body.put(currentLine)
            body.lit(")")
        }
    }

    mutating func beginLine() {
        if currentLine > 0, currentFile >= 0, currentFile != writtenFile || currentLine != writtenLine,
            let lines = ctx.info.lines
        {
            if fileTexts.count <= currentFile { fileTexts += repeatElement(nil, count: currentFile + 1 - fileTexts.count) }
            let text: String
            if let cached = fileTexts[currentFile] {
                text = cached
            } else {
                let file = lines.files[currentFile]
                text = ctx.options.debug ? CNames.stringLiteral(file) : CNames.commentSafe(file)
                fileTexts[currentFile] = text
            }
            if ctx.options.debug {
                body.lit("#line ")
                body.put(currentLine)
                body.byte(32)
                body.put(text)
            } else {
                body.appendIndent()
                body.lit("/* ")
                body.put(text)
                body.lit(":")
                body.put(currentLine)
                body.lit(" */")
            }
            body.byte(10)
            writtenFile = currentFile
            writtenLine = currentLine
        }
    }

    /// Per source file: its name as written in `#line` (debug) or in line comments.
    var fileTexts: [String?] = []

    // MARK: - Stack

    /// The type of a value popped from the polymorphic stack of unreachable code: it matches
    /// every type (W2C rejects reference types everywhere else, so this one is free).
    static let unknown = ValueType.ref(ReferenceType(isNullable: false, heapType: .abstract(.noneRef)))

    /// Whether code at this point is unreachable (then it is type-checked but not written).
    var dead: Bool { frames.last.map { $0.unreachable || $0.deadEntry } ?? false }

    static func letterIndex(_ t: ValueType) -> Int {
        switch t {
        case .i32: 0
        case .i64: 1
        case .f32: 2
        case .f64: 3
        case .ref(.funcRef): 4
        case .ref(.externRef): 5
        default: 6
        }
    }

    mutating func slot(_ depth: Int, _ t: ValueType) -> String {
        let k = Self.letterIndex(t)
        if depth < 0 { return "s\(Self.letters[k])\(depth)" }  // unreachable code only
        if slotNames[k].count <= depth {
            let letter = Self.letters[k]
            for d in slotNames[k].count...depth { slotNames[k].append("s\(letter)\(d)") }
        }
        if !dead, k < 6, t != Self.unknown {
            if slotUsed[k].count <= depth { slotUsed[k] += repeatElement(false, count: depth + 1 - slotUsed[k].count) }
            slotUsed[k][depth] = true
        }
        return slotNames[k][depth]
    }

    mutating func push(_ t: ValueType) -> String {
        stack.append(t)
        setSource(stack.count - 1, nil)
        return slot(stack.count - 1, t)
    }

    mutating func setSource(_ depth: Int, _ source: SlotSource?) {
        if slotSources.count <= depth {
            if source == nil { return }
            slotSources += repeatElement(nil, count: depth + 1 - slotSources.count)
        }
        slotSources[depth] = source
    }

    func source(_ depth: Int) -> SlotSource? {
        depth >= 0 && depth < slotSources.count ? slotSources[depth] : nil
    }

    mutating func pop(_ t: ValueType, _ what: String) throws(W2CError) -> String {
        guard let frame = frames.last else { throw fail(W2CError.stackUnderflow(what)) }
        if stack.count == frame.height, frame.unreachable { return "0" }
        guard stack.count > frame.height else { throw fail(W2CError.stackUnderflow(what)) }
        let top = stack.removeLast()
        guard top == t || top == Self.unknown || t == Self.unknown else {
            throw fail(W2CError.expectedType(ModuleContext.typeName(t), ModuleContext.typeName(top), what))
        }
        return slot(stack.count, t)
    }

    mutating func popAny(_ what: String) throws(W2CError) -> (ValueType, String) {
        guard let frame = frames.last else { throw fail(W2CError.stackUnderflow(what)) }
        if stack.count == frame.height, frame.unreachable { return (Self.unknown, "0") }
        guard stack.count > frame.height else { throw fail(W2CError.stackUnderflow(what)) }
        let top = stack.removeLast()
        return (top, slot(stack.count, top))
    }

    /// Pops values of `types` (last on top); returns their slots in order.
    mutating func pop(_ types: [ValueType], _ what: String) throws(W2CError) -> [String] {
        var names: [String] = []
        for t in types.reversed() { names.append(try pop(t, what)) }
        return names.reversed()
    }

    /// Checks that the top of the stack holds `types` without popping.
    mutating func checkTop(_ types: [ValueType], _ what: String) throws(W2CError) {
        let saved = stack
        _ = try pop(types, what)
        stack = saved
    }

    /// For a block or if opened here: checks the top holds `types`; in unreachable code the
    /// operands missing from the polymorphic stack are made explicit, so the new frame's
    /// height (`stack.count - types.count`) is never below the enclosing frame's.
    mutating func takeParameters(_ types: [ValueType], _ what: String) throws(W2CError) {
        try checkTop(types, what)
        guard let frame = frames.last, frame.unreachable else { return }
        let above = stack.count - frame.height
        if above >= 0, above < types.count { stack.insert(contentsOf: types[..<(types.count - above)], at: frame.height) }
    }

    /// Drops the values above `height` (none if the stack is already lower).
    mutating func truncateStack(to height: Int) {
        if height >= 0, height < stack.count { stack.removeSubrange(height...) }
    }

    mutating func markUnreachable() {
        guard !frames.isEmpty else { return }
        frames[frames.count - 1].unreachable = true
        truncateStack(to: frames[frames.count - 1].height)
    }

    func blockType(_ bt: BlockType) throws(W2CError) -> ([ValueType], [ValueType]) {
        switch bt {
        case .empty: return ([], [])
        case .type(let t):
            guard ModuleContext.cType(t) != "void" else { throw fail(W2CError.unsupported("block type \(ModuleContext.typeName(t))")) }
            return ([], [t])
        case .funcType(let i):
            guard Int(i) < ctx.info.types.count else { throw fail(W2CError.unknown("type", i)) }
            let t = ctx.info.types[Int(i)]
            return (t.parameters, t.results)
        }
    }

    mutating func newLabel() -> String {
        labelCount += 1
        return "L\(labelCount)"
    }

    // MARK: - Instructions

    /// Unreachable code goes through the same path as live code, so it is validated the same
    /// way (with a polymorphic stack); `emit` drops its text.
    mutating func step(_ instruction: Instruction) throws(W2CError) {
        if checkWindow != nil, !Self.keepsCheckWindow(instruction) { checkWindow = nil }
        switch instruction {
        case .unreachable:
            if guardLoads > 0, loopDepth == 0 { emit(sinkUse) }
            emit("zrt_trap(ZRT_TRAP_UNREACHABLE, \(index), \(loc));")
            markUnreachable()
        case .nop:
            break
        case .block(let bt), .loop(let bt):
            blockCount += 1
            let (p, r) = try blockType(bt)
            try takeParameters(p, "block parameters")
            var frame = Frame(kind: .block, params: p, results: r, height: stack.count - p.count, label: newLabel())
            frame.deadEntry = dead
            if !dead { frame.entry = entryFacts(height: frame.height) }
            if case .loop = instruction {
                keepLoopInvariantFacts(height: frame.height)
                loopDepth += 1
                frame.kind = .loop
                frame.loopSizeReadsAtEntry = loopSizeReads
                if !dead { frame.labelLine = body.placeholder() }
            }
            frames.append(frame)
            body.indent += 1
        case .if(let bt):
            blockCount += 1
            let (p, r) = try blockType(bt)
            let guarding = dead ? nil : guardState(condition: source(stack.count - 1))
            let c = try pop(.i32, "if condition")
            try takeParameters(p, "if parameters")
            var frame = Frame(kind: .if, params: p, results: r, height: stack.count - p.count, label: newLabel(),
                              deadEntry: dead)
            frame.guardState = guarding
            if !dead { frame.entry = entryFacts(height: frame.height) }
            if !dead {
                if openBraces < Self.maxBraceDepth {
                    emit("if (\(c)) {")
                    openBraces += 1
                } else {
                    frame.flat = true
                    emit("if (!\(c)) goto \(frame.label)_else;")
                }
            }
            frames.append(frame)
            body.indent += 1
        case .else:
            if frames.last?.unreachable == false { noteArrival(at: frames.count - 1) }
            try emitElse()
            restoreEntryFacts(frames.last?.entry)
        case .end:
            let closing = frames.last
            let guarding = closingGuard()
            let arriving = guarding == nil ? factsArrivingAtEnd() : nil
            try emitEnd()
            if let guarding {
                restore(guarding)
            } else {
                restoreEntryFacts(closing?.entry, writtenInside: closing?.written ?? [], arriving: arriving)
            }
            propagateWrites(closing?.written ?? [])
        case .br(let depth):
            let target = try targetIndex(depth)
            try emitBranch(to: target)
            markUnreachable()
        case .brIf(let depth):
            let target = try targetIndex(depth)
            let c = try pop(.i32, "br_if condition")
            let types = branchTypes(target)
            // The operands stay on the stack, typed as the label's types (this matters on a
            // polymorphic stack, where they come from nowhere).
            _ = try pop(types, "br_if")
            for t in types { _ = push(t) }
            noteExits(beyond: target)
            noteArrival(at: target)
            if frames[target].kind == .function {
                emit("if (\(c)) \(returnStatement())")
            } else if types.isEmpty || frames[target].height == stack.count - types.count {
                if begin() {
                    body.lit("if (")
                    body.put(c)
                    body.lit(") goto ")
                    body.put(frames[target].label)
                    body.lit(";")
                    end()
                }
                if !dead { frames[target].labelUsed = true }
            } else {
                emit("if (\(c)) {")
                body.indent += 1
                try emitBranch(to: target)
                body.indent -= 1
                emit("}")
            }
        case .brTable(let targets):
            try emitBranchTable(targets)
        case .return:
            try emitBranch(to: 0)
            markUnreachable()
        case .call(let f):
            try emitCall(f)
        case .callIndirect(let typeIndex, let table):
            try emitCallIndirect(typeIndex: typeIndex, table: table)
        case .drop:
            _ = try popAny("drop")
        case .select:
            let c = try pop(.i32, "select condition")
            let (tb, b) = try popAny("select")
            let (ta, a) = try popAny("select")
            // Untyped select takes two operands of the same numeric type; on a polymorphic
            // stack either may be unknown, and then the other decides.
            for t in [ta, tb] where t != Self.unknown && !ModuleContext.isNumeric(t) {
                throw fail("type mismatch in select: operands must be numeric, found \(ModuleContext.typeName(t))")
            }
            guard ta == tb || ta == Self.unknown || tb == Self.unknown else {
                throw fail(W2CError.expectedType(ModuleContext.typeName(ta), ModuleContext.typeName(tb), "select"))
            }
            let t = ta == Self.unknown ? tb : ta
            _ = push(t)
            emit("\(a) = \(c) ? \(a) : \(b);")
        case .typedSelect(let t):
            guard ModuleContext.cType(t) != "void" else { throw fail(W2CError.unsupported("select of \(ModuleContext.typeName(t))")) }
            let c = try pop(.i32, "select condition")
            let b = try pop(t, "select")
            let a = try pop(t, "select")
            _ = push(t)
            emit("\(a) = \(c) ? \(a) : \(b);")
        case .localGet(let i) where boundedVariant && ctx.recursionBounds[index]?.budgetLocal == Int(i):
            // The real-call budget: the variant needs no real calls (BoundedRecursion.budgetLocal).
            _ = try local(i)
            let s = push(.i32)
            setSource(stack.count - 1, .constant(1))
            emit("\(s) = 1u;")
        case .localGet(let i):
            let l = try local(i)
            let s = push(localTypes[Int(i)])
            setSource(stack.count - 1, .local(Int(i)))
            emitCopy(to: s, from: l)
        case .localSet(let i):
            let l = try local(i)
            let copied = copiedLocal()
            let v = try pop(localTypes[Int(i)], "local.set")
            forgetLocal(Int(i))
            inheritFacts(Int(i), from: copied)
            emitCopy(to: l, from: v)
        case .localTee(let i):
            let l = try local(i)
            let copied = copiedLocal()
            let v = try pop(localTypes[Int(i)], "local.tee")
            forgetLocal(Int(i))
            inheritFacts(Int(i), from: copied)
            _ = push(localTypes[Int(i)])
            setSource(stack.count - 1, .local(Int(i)))
            emitCopy(to: l, from: v)
        case .globalGet(let g):
            guard Int(g) < ctx.info.globals.count else { throw fail(W2CError.unknown("global", g)) }
            let s = push(ctx.info.globals[Int(g)].type.valueType)
            emitCopy(to: s, from: ctx.globalCNames[Int(g)])
        case .globalSet(let g):
            guard Int(g) < ctx.info.globals.count else { throw fail(W2CError.unknown("global", g)) }
            let global = ctx.info.globals[Int(g)]
            guard global.type.mutability == .variable else { throw fail("global.set of immutable global \(g)") }
            let v = try pop(global.type.valueType, "global.set")
            if Int(g) == ctx.stackPointerGlobal, let low = ctx.stackLowGlobal {
                emit("if (ZRT_UNLIKELY(\(v) < \(ctx.globalCNames[low]))) zrt_trap(ZRT_TRAP_TSTACK_OVERFLOW, \(index), \(loc));")
            }
            emitCopy(to: ctx.globalCNames[Int(g)], from: v)
        case .load(let op, let memarg):
            try emitLoad(op, memarg)
        case .store(let op, let memarg):
            try emitStore(op, memarg)
        case .memorySize(let m):
            try requireMemory(m)
            let s = push(.i32)
            emit("\(s) = (uint32_t)(ms >> 16);")
        case .memoryGrow(let m):
            try requireMemory(m)
            let d = try pop(.i32, "memory.grow")
            _ = push(.i32)
            emit(ctx.usesProgramMemory ? "\(d) = zrt_mem_grow(\(d));" : "\(d) = zrt_memory_grow(&\(ctx.memoryCName), \(d));")
            emit("ms = \(ctx.memoryCName).size;")
        case .memoryFill(let m):
            try requireMemory(m)
            let args = try pop([.i32, .i32, .i32], "memory.fill")
            emit("zrt_memory_fill(mb, ms, \(args[0]), \(args[1]), \(args[2]), \(index), \(loc));")
        case .memoryCopy(let d, let s):
            try requireMemory(d)
            try requireMemory(s)
            let args = try pop([.i32, .i32, .i32], "memory.copy")
            emit("zrt_memory_copy(mb, ms, \(args[0]), \(args[1]), \(args[2]), \(index), \(loc));")
        case .memoryInit(let seg, let m):
            try requireMemory(m)
            try requireDataCount(seg)
            let args = try pop([.i32, .i32, .i32], "memory.init")
            emit("zrt_memory_init(mb, ms, zrt_data\(seg), zrt_data\(seg)_len, \(args[0]), \(args[1]), \(args[2]), \(index), \(loc));")
        case .dataDrop(let seg):
            try requireDataCount(seg)
            emit("zrt_data\(seg)_len = 0;")
        case .i32Const(let v):
            let s = push(.i32)
            setSource(stack.count - 1, .constant(UInt32(bitPattern: v)))
            if begin() {
                body.put(s)
                body.lit(" = ")
                body.put(UInt64(UInt32(bitPattern: v)))
                body.lit("u;")
                end()
            }
        case .i64Const(let v):
            let s = push(.i64)
            if begin() {
                body.put(s)
                body.lit(" = UINT64_C(")
                body.put(UInt64(bitPattern: v))
                body.lit(");")
                end()
            }
        case .f32Const(let v):
            let s = push(.f32)
            emit("\(s) = \(Self.f32Literal(v.bitPattern));")
        case .f64Const(let v):
            let s = push(.f64)
            emit("\(s) = \(Self.f64Literal(v.bitPattern));")
        case .refNull(let heap):
            let t = ValueType.ref(ReferenceType(isNullable: true, heapType: heap))
            guard ModuleContext.isReference(t) else { throw fail(W2CError.unsupported("ref.null of \(heap)")) }
            let s = push(t)
            emit("\(s) = 0;")
        case .refIsNull:
            let (t, a) = try popAny("ref.is_null")
            guard t == Self.unknown || ModuleContext.isReference(t) else {
                throw fail(W2CError.expectedType("a reference", ModuleContext.typeName(t), "ref.is_null"))
            }
            let r = push(.i32)
            emit("\(r) = \(a) == 0;")
        case .refFunc(let f):
            guard Int(f) < ctx.info.functionCount else { throw fail(W2CError.unknown("function", f)) }
            guard ctx.info.declaredFunctions.contains(f) else { throw fail("undeclared function reference \(f)") }
            let s = push(.ref(.funcRef))
            emit("\(s) = &zrt_func_refs[\(f)];")
        case .tableGet(let t):
            let type = try tableType(t)
            let i = try pop(.i32, "table.get")
            let r = push(type)
            emit("\(r) = zrt_table_get(zrt_tables[\(t)], \(i), \(index), \(loc));")
        case .tableSet(let t):
            let type = try tableType(t)
            let v = try pop(type, "table.set")
            let i = try pop(.i32, "table.set")
            emit("zrt_table_set(zrt_tables[\(t)], \(i), \(v), \(index), \(loc));")
        case .tableSize(let t):
            _ = try tableType(t)
            let r = push(.i32)
            emit("\(r) = zrt_tables[\(t)]->size;")
        case .tableGrow(let t):
            let type = try tableType(t)
            let n = try pop(.i32, "table.grow")
            let v = try pop(type, "table.grow")
            let r = push(.i32)
            emit("\(r) = zrt_table_grow(zrt_tables[\(t)], \(v), \(n));")
        case .tableFill(let t):
            let type = try tableType(t)
            let n = try pop(.i32, "table.fill")
            let v = try pop(type, "table.fill")
            let i = try pop(.i32, "table.fill")
            emit("zrt_table_fill(zrt_tables[\(t)], \(i), \(v), \(n), \(index), \(loc));")
        case .tableCopy(let d, let s):
            let dt = try tableType(d), st = try tableType(s)
            guard dt == st else { throw fail(W2CError.expectedType(ModuleContext.typeName(dt), ModuleContext.typeName(st), "table.copy")) }
            let args = try pop([.i32, .i32, .i32], "table.copy")
            emit("zrt_table_copy(zrt_tables[\(d)], zrt_tables[\(s)], \(args[0]), \(args[1]), \(args[2]), \(index), \(loc));")
        case .tableInit(let e, let t):
            let type = try tableType(t)
            guard Int(e) < ctx.info.elements.count else { throw fail(W2CError.unknown("elem segment", e)) }
            let segType = ValueType.ref(ctx.info.elements[Int(e)].type)
            guard segType == type else { throw fail(W2CError.expectedType(ModuleContext.typeName(type), ModuleContext.typeName(segType), "table.init")) }
            let args = try pop([.i32, .i32, .i32], "table.init")
            emit("zrt_table_init(zrt_tables[\(t)], zrt_elem\(e), zrt_elem\(e)_len, \(args[0]), \(args[1]), \(args[2]), \(index), \(loc));")
        case .elemDrop(let e):
            guard Int(e) < ctx.info.elements.count else { throw fail(W2CError.unknown("elem segment", e)) }
            emit("zrt_elem\(e)_len = 0;")
        case .i32Eqz:
            let a = try pop(.i32, "i32.eqz")
            let r = push(.i32)
            emit("\(r) = \(a) == 0;")
        case .i64Eqz:
            let a = try pop(.i64, "i64.eqz")
            let r = push(.i32)
            emit("\(r) = \(a) == 0;")
        case .cmp(let op):
            let derived = compareSource(op)
            try emitCompare(op)
            if let derived { setSource(stack.count - 1, derived) }
        case .unary(let op):
            try emitUnary(op)
        case .binary(let op):
            let derived = binarySource(op)
            try emitBinary(op)
            if let derived { setSource(stack.count - 1, derived) }
        case .conversion(let op):
            let derived = conversionSource(op)
            try emitConversion(op)
            if let derived { setSource(stack.count - 1, derived) }
        default:
            throw fail(W2CError.unsupported("instruction \(instruction)"))
        }
    }

    /// At a control-flow merge (loop head, else, end) nothing is known about slots or locals.
    mutating func forgetFacts() {
        checkWindow = nil
        slotSources.removeAll(keepingCapacity: true)
        if !checkedExtents.isEmpty { checkedExtents = [:] }
        if !indexBounds.isEmpty { indexBounds = [:] }
        if !copyOrigins.isEmpty { copyOrigins = [:] }
    }

    /// `target = source;`, written straight into the buffer (the commonest statements).
    mutating func emitCopy(to target: String, from source: String) {
        guard begin() else { return }
        body.put(target)
        body.lit(" = ")
        body.put(source)
        body.lit(";")
        end()
    }

    /// A write of local `i`: facts about its old value go, and the frame records the write.
    mutating func forgetLocal(_ i: Int) {
        noteWrite(i)
        dropFacts(about: i)
    }

    /// The local whose current value the top stack slot holds unchanged, if any.
    func copiedLocal() -> Int? {
        guard !stack.isEmpty, case .local(let l) = source(stack.count - 1) else { return nil }
        return l
    }

    /// `local.set i` of a copy of local `source`: local `i` now holds the same value, so what is
    /// known about that value (checked extent, index bound) holds for `i` too, until either is
    /// written (Codegen copies pointers into temporaries before it stores through them).
    mutating func inheritFacts(_ i: Int, from source: Int?) {
        guard let source, source != i else { return }
        if let extent = knownExtent(source) { checkedExtents[i] = extent }
        if let bound = indexBounds[source], bound != i { indexBounds[i] = bound }
        copyOrigins[i] = copyOrigins[source] ?? source
    }

    /// A check of `extent` made through local `l` also covers the local `l` was copied from,
    /// while neither is written: a later copy of that local (in a loop that never writes it,
    /// say) starts out knowing it.
    mutating func recordChecked(_ l: Int, extent: UInt64) {
        checkedExtents[l] = max(checkedExtents[l] ?? 0, extent)
        if let origin = copyOrigins[l] { checkedExtents[origin] = max(checkedExtents[origin] ?? 0, extent) }
    }

    /// What is known about the extent checked for the value in local `l`.
    func knownExtent(_ l: Int) -> UInt64? {
        let own = checkedExtents[l], origin = copyOrigins[l].flatMap { checkedExtents[$0] }
        guard let own else { return origin }
        return max(own, origin ?? 0)
    }

    mutating func dropFacts(about i: Int) {
        if !checkedExtents.isEmpty { checkedExtents[i] = nil }
        if !copyOrigins.isEmpty {
            copyOrigins[i] = nil
            for (k, origin) in copyOrigins where origin == i { copyOrigins[k] = nil }
        }
        if checkWindow?.base == i { checkWindow = nil }
        if !indexBounds.isEmpty {
            indexBounds[i] = nil
            for (k, n) in indexBounds where n == i { indexBounds[k] = nil }
        }
        for depth in slotSources.indices {
            if slotSources[depth]?.mentions(i) == true { slotSources[depth] = nil }
        }
    }

    /// Whether an access of `size` bytes at `offset` from the address in stack slot `depth` is
    /// known to be in bounds; records the check it is about to make otherwise.
    /// A load opens a check window (CheckWindows.swift); a store may not, since a later widened
    /// check would then trap before the store's effect.
    mutating func provenInBounds(depth: Int, offset: UInt64, size: UInt64, opensWindow: Bool = true) -> Bool {
        guard ctx.options.boundsMode == .checked else { return false }
        let extent = offset + size
        switch source(depth) {
        case .constant(let c) where UInt64(c) + extent <= (ctx.info.memory?.min ?? 0) * 65536:
            return true
        case .local(let l):
            let known = knownExtent(l)
            if let known, known >= extent { return true }
            let covered = max(known ?? 0, extent)
            recordChecked(l, extent: covered)
            if coveredByCheckWindow(base: l, extent: extent) { return true }
            if opensWindow {
                openCheckWindow(base: l, extent: covered)
                return false
            }
        default:
            break
        }
        // This access is checked on its own and may trap: a window open before it ends.
        checkWindow = nil
        return false
    }

    mutating func local(_ i: UInt32) throws(W2CError) -> String {
        guard Int(i) < localTypes.count else { throw fail(W2CError.unknown("local", i)) }
        return localCNames[Int(i)]
    }

    mutating func requireMemory(_ m: UInt32) throws(W2CError) {
        guard m == 0, ctx.info.memory != nil else { throw fail(W2CError.unknown("memory", m)) }
        usesMemory = true
    }

    /// The element type of table `t`.
    func tableType(_ t: UInt32) throws(W2CError) -> ValueType {
        guard Int(t) < ctx.info.tables.count else { throw fail(W2CError.unknown("table", t)) }
        return .ref(ctx.info.tables[Int(t)].elementType)
    }

    func requireDataCount(_ seg: UInt32) throws(W2CError) {
        guard ctx.info.dataCount != nil else { throw fail("data count section required") }
        guard Int(seg) < ctx.info.data.count else { throw fail(W2CError.unknown("data segment", seg)) }
    }

    // MARK: - Control

    /// Index into `frames` of the branch target `depth` levels out.
    func targetIndex(_ depth: UInt32) throws(W2CError) -> Int {
        guard Int(depth) < frames.count else { throw fail("unknown label \(depth)") }
        return frames.count - 1 - Int(depth)
    }

    func branchTypes(_ target: Int) -> [ValueType] {
        let frame = frames[target]
        return frame.kind == .loop ? frame.params : frame.results
    }

    /// Copies the carried values into the target's slots, then jumps (or returns).
    mutating func emitBranch(to target: Int) throws(W2CError) {
        let types = branchTypes(target)
        try checkTop(types, "branch")
        noteExits(beyond: target)
        noteArrival(at: target)
        if frames[target].kind == .function {
            emit(returnStatement())
            return
        }
        let from = stack.count - types.count
        let to = frames[target].height
        if from != to {
            for (k, t) in types.enumerated() {
                emit("\(slot(to + k, t)) = \(slot(from + k, t));")
            }
        }
        if begin() {
            body.lit("goto ")
            body.put(frames[target].label)
            body.lit(";")
            end()
        }
        if !dead { frames[target].labelUsed = true }
    }

    mutating func emitBranchTable(_ table: BrTable) throws(W2CError) {
        let c = try pop(.i32, "br_table index")
        let defaultTarget = try targetIndex(table.defaultIndex)
        let types = branchTypes(defaultTarget)
        try checkTop(types, "br_table")
        var targets: [Int] = []
        for depth in table.labelIndices {
            let t = try targetIndex(depth)
            guard branchTypes(t).count == types.count else { throw fail("type mismatch in br_table: targets have different arities") }
            try checkTop(branchTypes(t), "br_table")
            targets.append(t)
        }
        emit("switch (\(c)) {")
        for (i, t) in targets.enumerated() {
            emit("case \(i)u:")
            body.indent += 1
            try emitBranch(to: t)
            body.indent -= 1
        }
        emit("default:")
        body.indent += 1
        try emitBranch(to: defaultTarget)
        body.indent -= 1
        emit("}")
        markUnreachable()
    }

    mutating func emitElse() throws(W2CError) {
        guard var frame = frames.last, frame.kind == .if else { throw fail("'else' without 'if'") }
        try checkEnd(frame, "if")
        if frame.flat {
            if !frame.unreachable {
                emit("goto \(frame.label);")
                frame.labelUsed = true
            }
            body.indent -= 1
            emitLabel(frame.label + "_else")
            body.indent += 1
        } else if !frame.deadEntry {
            body.indent -= 1
            body.line("} else {")
            body.indent += 1
        }
        truncateStack(to: frame.height)
        stack += frame.params
        frame.kind = .else
        frame.unreachable = false
        frames[frames.count - 1] = frame
    }

    /// At `else` or `end`: the stack holds exactly the frame's results above its height; in
    /// unreachable code, a suffix of them (the rest comes from the polymorphic stack).
    mutating func checkEnd(_ frame: Frame, _ what: String) throws(W2CError) {
        let types = frame.results, height = frame.height
        if frame.unreachable {
            let above = stack.count - height
            if above >= 0, above <= types.count,
                zip(stack[height...], types[(types.count - above)...]).allSatisfy({ $0 == $1 || $0 == Self.unknown })
            {
                return
            }
        } else if stack.count == height + types.count, Array(stack[height...]) == types {
            return
        }
        let found = stack.count >= height ? stack[height...].map(ModuleContext.typeName) : []
        throw fail("type mismatch at end of \(what): expected [\(types.map(ModuleContext.typeName).joined(separator: " "))], found [\(found.joined(separator: " "))]")
    }

    mutating func emitEnd() throws(W2CError) {
        guard let frame = frames.last else { throw fail("unbalanced 'end'") }
        try checkEnd(frame, "block")
        frames.removeLast()
        if frame.kind == .loop { loopDepth -= 1 }
        if frame.kind == .if, frame.params != frame.results {
            throw fail("type mismatch: if without else must leave its parameters as results")
        }
        truncateStack(to: frame.height)
        stack += frame.results
        if frame.deadEntry {
            body.indent -= 1
            return
        }
        switch frame.kind {
        case .function:
            if !frame.unreachable, !frame.results.isEmpty { emit(returnStatement()) }
            else if !frame.unreachable, guardLoads > 0 { emit(sinkUse) }
        case .block:
            body.indent -= 1
            if frame.labelUsed { emitLabel(frame.label) }
        case .loop:
            body.indent -= 1
            guard let line = frame.labelLine else { break }
            // Entering the loop (not branching back) takes the memory size its fast arms use.
            let entry = loopSizeReads > frame.loopSizeReadsAtEntry ? body.indentation + "ms_loop = ms;" : nil
            if frame.labelUsed {
                // A loop without an exit must use the sink itself, or its dead loads go.
                let exitless = frame.unreachable && !frame.exits
                let label = body.indentation + "\(frame.label):;" + (guardLoads > 0 && exitless ? " " + sinkUse : "")
                body.fill(line, entry.map { $0 + "\n" + label } ?? label)
            } else if let entry {
                body.fill(line, entry)
            }
        case .if, .else:
            body.indent -= 1
            if frame.flat {
                if frame.kind == .if { emitLabel(frame.label + "_else") }
            } else {
                emit("}")
                openBraces -= 1
            }
            if frame.labelUsed { emitLabel(frame.label) }
        }
        for (k, t) in frame.results.enumerated() { _ = slot(frame.height + k, t) }
    }

    mutating func emitLabel(_ label: String) {
        body.line("\(label):;")
    }

    /// A function on a call-graph cycle checks the native stack before each call that can lead
    /// back into a cycle, not at entry: recursion still cannot pass the limit, and paths that
    /// make no such call (fib's base case) skip the check. A frame that never checks fits in the
    /// margin runtime-c leaves below the limit; a function with a frame too big for that margin
    /// also checks at entry.
    static let largeFrameSlots = 4096

    mutating func checkStackBeforeCall(to target: Int?) {
        guard ctx.needsStackCheck[index], !stackChecked, !(frames.last?.unreachable ?? true) else { return }
        if let target, !ctx.needsStackCheck[target] { return }
        emit("ZRT_STACK_TRAP_IF(stack_low, \(index));")
        checksStackBeforeCalls = true
        // At the top level of the body the check dominates every later instruction.
        if frames.count == 1 { stackChecked = true }
    }

    mutating func emitCall(_ f: UInt32) throws(W2CError) {
        guard Int(f) < ctx.info.functionCount, let ft = ctx.info.functionType(Int(f)) else {
            throw fail(W2CError.unknown("function", f))
        }
        // A bounded variant calls itself without a check (BoundedRecursion.swift).
        if !(boundedVariant && Int(f) == index) { checkStackBeforeCall(to: Int(f)) }
        let args = try pop(ft.parameters, "call")
        if guardLoads > 0, loopDepth == 0 || Int(f) < ctx.info.importCount { emit(sinkUse) }
        emitResults(of: callText(Int(f), args, ft), ft.results)
        // WASI functions never grow the memory; the module's own functions and a host's may.
        if Int(f) >= ctx.info.importCount || ctx.info.imports[Int(f)].module != "wasi_snapshot_preview1" { refreshSizeAfterCall() }
    }

    mutating func refreshSizeAfterCall() {
        if ctx.hasMemoryGrow, ctx.info.memory != nil {
            usesMemory = true
            emit("ms = \(ctx.memoryCName).size;")
        }
    }

    mutating func emitCallIndirect(typeIndex: UInt32, table: UInt32) throws(W2CError) {
        guard Int(table) < ctx.info.tables.count else {
            throw fail(ctx.info.tables.isEmpty ? W2CError.callIndirectWithoutTable() : W2CError.unknown("table", table))
        }
        guard ctx.info.tables[Int(table)].elementType == .funcRef else { throw fail("type mismatch: call_indirect through a table of externref") }
        guard Int(typeIndex) < ctx.info.types.count else { throw fail(W2CError.unknown("type", typeIndex)) }
        let ft = ctx.info.types[Int(typeIndex)]
        checkStackBeforeCall(to: nil)
        let i = try pop(.i32, "call_indirect index")
        let args = try pop(ft.parameters, "call_indirect")
        let params = ft.parameters.isEmpty ? "void" : ft.parameters.map(ModuleContext.cType).joined(separator: ", ")
        let fnType = "\(ModuleContext.cReturnType(ft)) (*)(\(params))"
        let lookup = "zrt_call_lookup(zrt_tables[\(table)], \(i), &\(ctx.typeSymbols[Int(typeIndex)]), \(index), \(loc))"
        if guardLoads > 0, loopDepth == 0 { emit(sinkUse) }
        emitResults(of: "((\(fnType))\(lookup))(\(args.joined(separator: ", ")))", ft.results)
        refreshSizeAfterCall()
    }

    /// A call statement whose results (none, one, or a `tupleName` struct) go to new slots.
    mutating func emitResults(of call: String, _ results: [ValueType]) {
        switch results.count {
        case 0:
            emit("\(call);")
        case 1:
            let s = push(results[0])
            emit("\(s) = \(call);")
        default:
            let slots = results.map { push($0) }
            emit("{")
            body.indent += 1
            emit("\(ModuleContext.tupleName(results)) r = \(call);")
            for (k, s) in slots.enumerated() { emit("\(s) = r.v\(k);") }
            body.indent -= 1
            emit("}")
        }
    }

    /// `return ...;` with the function's results from the top of the stack.
    mutating func returnStatement() -> String {
        let results = type.results
        let base = stack.count - results.count
        let statement: String
        switch results.count {
        case 0: statement = "return;"
        case 1: statement = "return \(slot(base, results[0]));"
        default:
            let values = results.enumerated().map { slot(base + $0.offset, $0.element) }
            statement = "return (\(ModuleContext.tupleName(results))){\(values.joined(separator: ", "))};"
        }
        return guardLoads > 0 ? "{ \(sinkUse) \(statement) }" : statement
    }

    // MARK: - Constants

    static func f32Literal(_ bits: UInt32) -> String {
        let f = Float(bitPattern: bits)
        guard f.isFinite else { return "zrt_f32_from_bits(0x\(String(bits, radix: 16))u)" }
        var text = "\(f)"
        if !text.contains(".") && !text.contains("e") { text += ".0" }
        return text + "f"
    }

    static func f64Literal(_ bits: UInt64) -> String {
        let d = Double(bitPattern: bits)
        guard d.isFinite else { return "zrt_f64_from_bits(UINT64_C(0x\(String(bits, radix: 16))))" }
        var text = "\(d)"
        if !text.contains(".") && !text.contains("e") { text += ".0" }
        return text
    }
}
