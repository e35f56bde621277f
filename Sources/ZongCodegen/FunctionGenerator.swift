import Wasm
import ZongSema
import ZongSyntax

/// One Zong function to one WASM function. Scalars not address-taken are WASM locals; other
/// variables and all temporaries live in the function's tstack frame, whose size is known
/// statically: the prologue pushes it once (checking for overflow) and every return pops it.
final class FunctionGenerator {
    let g: ModuleGenerator
    /// Where this function's requests for static data and its short clone go.
    let task: FunctionTask
    let function: FunctionDef
    let f: FunctionBuilder
    /// WASM local of each register variable, or the frame slot of each memory variable.
    var localIndex: [LocalVar: UInt32] = [:]
    /// The locals declarations took in the open scopes, innermost last (`statements`).
    var scopeLocals: [(variable: LocalVar, index: UInt32, type: ValueType)] = []
    var slotOffset: [LocalVar: Int] = [:]
    /// For struct/slice parameters: the local holding the address of the callee's copy.
    var parameterAddress: [LocalVar: UInt32] = [:]
    var resultPointer: UInt32?
    /// Open control constructs, innermost last; loops record where `break`/`continue` go.
    var labels: [Label] = []
    /// Slice headers loaded before the enclosing loops (see SliceHeaderHoisting.swift).
    var headerCache: [HeaderKey: CachedHeader] = [:]
    /// Slice headers held in locals by the enclosing loops (see AppendPromotion.swift).
    var promotedSlices: [LocalVar: PromotedSlice] = [:]
    /// Inside the fast copy of a counted loop: the indexes that need no check (LoopVersioning.swift).
    var uncheckedIndex: UncheckedIndex?
    /// Which locals are written or have their address (or a field's) taken in this function.
    var memoryRoots: MemoryRoots { g.memoryRoots[ObjectIdentifier(function)] ?? MemoryRoots(function.body) }
    /// Struct variables kept in WASM locals, one per field (see RegisterStructs.swift).
    var fieldLocals: [LocalVar: [UInt32]] = [:]

    /// The loop that tail-recursive calls become (see TailRecursion.swift).
    var tailState: TailState?
    private let tailPlan: TailRecursionPlan?
    /// This function's part in a countdown split in two (see CountdownClone.swift).
    let countdownRole: CountdownRole

    enum Label {
        case block
        case loopBreak
        case loopContinue
        case tailLoop
    }

    /// A function with tail sites is generated as a loop unless it needs a tstack frame: an
    /// iteration would then reuse slots that pointers passed to the call may still refer to.
    /// The function (its short clone, if it gets one, goes to `task.clone`).
    static func generate(_ g: ModuleGenerator, _ task: FunctionTask) -> GeneratedFunction {
        let function = task.function
        let written = (g.memoryRoots[ObjectIdentifier(function)] ?? MemoryRoots(function.body)).written
        if let plan = TailRecursionPlan.plan(function, written: written) {
            let role = shortClone(g, task, plan).map { CountdownRole.dispatching(to: $0) } ?? .alone
            let looping = FunctionGenerator(g, task, tailPlan: plan, role: role)
            let result = looping.generate()
            if !looping.f.hasFrame { return result }
        }
        return FunctionGenerator(g, task, tailPlan: nil).generate()
    }

    init(_ g: ModuleGenerator, _ task: FunctionTask, tailPlan: TailRecursionPlan?, role: CountdownRole = .alone) {
        self.g = g
        self.task = task
        let function = task.function
        self.function = function
        self.tailPlan = tailPlan
        self.countdownRole = role
        let type = g.signature(function)
        self.f = FunctionBuilder(name: function.name, parameters: type.parameters, results: type.results)
    }

    var layout: Layout { g.layout }

    func generate() -> GeneratedFunction {
        var next: UInt32 = 0
        if Layout.isAggregate(function.returnType), g.resultFields(function.returnType) == nil {
            resultPointer = 0
            f.localNames[0] = "result"
            next = 1
        }
        var spills: [(LocalVar, UInt32)] = []
        for p in function.parameters {
            if let fields = g.flattenedFields(p, of: function), case .structure(let name) = p.type {
                let names = g.program.structDef(name)?.fields.map(\.name) ?? []
                fieldLocals[p] = fields.indices.map { next + UInt32($0) }
                for k in fields.indices { f.localNames[Int(next) + k] = "\(p.name).\(k < names.count ? names[k] : "")" }
                next += UInt32(fields.count)
                continue
            }
            f.localNames[Int(next)] = p.name
            if Layout.isAggregate(p.type) {
                parameterAddress[p] = next
            } else if p.isAddressTaken {
                spills.append((p, next))
            } else {
                localIndex[p] = next
            }
            next += 1
        }
        mark(function.span)
        for (p, index) in spills {
            let slot = f.allocateSlot(layout.size(p.type))
            slotOffset[p] = slot
            f.emit([.localGet(f.framePointer), .localGet(index), Layout.store(p.type, offset: slot)])
        }
        if let tailPlan { beginTailLoop(tailPlan) }
        statements(function.body)
        endTailLoop()
        // Falling off the end of a void function also releases the frame.
        f.emitEpilogue()
        if f.hasFrame {
            let (code, uses) = prologue()
            f.finish(prologue: code, prologueDataUses: uses, epilogue: epilogue())
        } else {
            f.finish(prologue: [], epilogue: epilogue())
        }
        if !f.results.isEmpty {
            // Unreachable: Sema guarantees a return on every path of a non-void function.
            f.emit(.unreachable)
        }
        return f.build()
    }

    /// sp < frame + 1024 (unsigned) means the frame does not fit: panic `tstack overflow`.
    /// Its code, and its data placeholders (the message's address, the site's).
    private func prologue() -> ([Instruction], [(instruction: Int, request: Int)]) {
        let size = Int32(f.frameSize)
        let message = Array("tstack overflow".utf8)
        var code: [Instruction] = [
            .globalGet(Globals.stackPointer), .i32Const(size &+ Int32(MemoryMap.nullPageEnd)), .numeric(.i32LtU), .if(.empty),
        ]
        var uses: [(instruction: Int, request: Int)] = []
        uses.append((code.count, task.request(.bytes(message))))
        code += [.i32Const(0), .i32Const(Int32(message.count))]
        uses.append((code.count, task.request(site(function.span))))
        code += [.i32Const(0), .call(g.builtin(.panic)), .end,
                 .globalGet(Globals.stackPointer), .i32Const(size), .numeric(.i32Sub), .localTee(f.framePointer),
                 .globalSet(Globals.stackPointer)]
        return (code, uses)
    }

    private func epilogue() -> [Instruction] {
        guard f.hasFrame else { return [] }
        return [.localGet(f.framePointer), .i32Const(Int32(f.frameSize)), .numeric(.i32Add), .globalSet(Globals.stackPointer)]
    }

    func mark(_ span: SourceSpan) {
        if function.isLibrary { return }  // its spans are not in the user's file
        let loc = g.program.file.location(of: span.start)
        f.mark(line: loc.line, column: loc.column)
    }

    // MARK: helpers used by statements and expressions

    func temp(_ t: ValueType) -> UInt32 { f.addLocal(t) }

    /// A fresh frame slot of `size` bytes; pushes nothing.
    func slot(_ size: Int) -> Int { f.allocateSlot(size) }

    /// Pushes the address fp + offset.
    func pushSlotAddress(_ offset: Int) {
        f.emit(.localGet(f.framePointer))
        if offset != 0 { f.emit([.i32Const(Int32(offset)), .numeric(.i32Add)]) }
    }
}
