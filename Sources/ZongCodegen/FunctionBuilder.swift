import Wasm
import ZongSema
import ZongSyntax

/// Accumulates one WASM function: instructions, locals, source marks and the tstack frame.
final class FunctionBuilder {
    let name: String
    var parameters: [ValueType]
    var results: [ValueType]
    private(set) var locals: [ValueType] = []
    var localNames: [Int: String] = [:]
    var code: [Instruction] = []
    var marks: [SourceMark] = []
    /// Placeholders for static-data addresses: instruction index and the task's request
    /// (FunctionTask.swift).
    private(set) var dataUses: [(instruction: Int, request: Int)] = []
    private var lastLine = -1

    /// Bytes of tstack frame used so far (slots are 8-byte aligned).
    private(set) var frameSize = 0
    /// The local holding the frame base, created on first use.
    private var framePointerLocal: UInt32?

    init(name: String, parameters: [ValueType], results: [ValueType]) {
        self.name = name
        self.parameters = parameters
        self.results = results
    }

    func emit(_ i: Instruction) { code.append(i) }
    func emit(_ list: [Instruction]) { code += list }

    /// Pushes the address of a static-data request, filled in when the module is linked.
    func emitAddress(of request: Int) {
        dataUses.append((code.count, request))
        code.append(.i32Const(0))
    }

    /// Locals of variables whose scope has ended, by type, for later declarations to reuse.
    private var reusable: [ValueType: [UInt32]] = [:]

    /// A local for a variable: one freed by an ended scope if there is one of type `t`, else a
    /// new one. A function of 100,000 sequential blocks then needs a handful of locals, not
    /// 100,000 (above what WASM engines accept, and more than the C compiler can optimize).
    func variableLocal(_ t: ValueType, name: String) -> UInt32 {
        if let index = reusable[t]?.popLast() { return index }
        return addLocal(t, name: name)
    }

    /// `index`'s variable is out of scope: a later declaration may take the local.
    func release(_ index: UInt32, type t: ValueType) {
        reusable[t, default: []].append(index)
    }

    func addLocal(_ t: ValueType, name: String? = nil) -> UInt32 {
        let index = parameters.count + locals.count
        locals.append(t)
        if let name { localNames[index] = name }
        return UInt32(index)
    }

    func mark(line: Int, column: Int) {
        guard line != lastLine else { return }
        lastLine = line
        marks.append(SourceMark(instruction: code.count, file: 0, line: line, column: column))
    }

    /// Reserves `size` bytes in the frame; returns the slot's offset from the frame base.
    func allocateSlot(_ size: Int) -> Int {
        let offset = frameSize
        frameSize += max(8, (size + 7) / 8 * 8)
        return offset
    }

    var framePointer: UInt32 {
        if let fp = framePointerLocal { return fp }
        let fp = addLocal(.i32, name: "fp")
        framePointerLocal = fp
        return fp
    }

    var hasFrame: Bool { frameSize > 0 }

    /// Positions where the frame must be released (before each `return`); the frame's size is
    /// only known at the end, so they are filled in by `finish`.
    /// In increasing order: code only grows at its end.
    private var epilogueSites: [Int] = []

    func emitEpilogue() {
        epilogueSites.append(code.count)
        code.append(.nop)
    }

    /// Puts `prologue` first and `epilogue` at every recorded site, remapping the source marks
    /// and data placeholders (`prologueDataUses`: the prologue's own, by index in `prologue`).
    func finish(prologue: [Instruction], prologueDataUses: [(instruction: Int, request: Int)] = [], epilogue: [Instruction]) {
        var result = prologue
        result.reserveCapacity(prologue.count + code.count + epilogueSites.count * epilogue.count)
        var newIndex = [Int](repeating: 0, count: code.count + 1)
        var nextSite = 0
        for (i, instruction) in code.enumerated() {
            newIndex[i] = result.count
            if nextSite < epilogueSites.count, epilogueSites[nextSite] == i {
                result += epilogue
                nextSite += 1
            } else {
                result.append(instruction)
            }
        }
        newIndex[code.count] = result.count
        for i in marks.indices { marks[i].instruction = newIndex[min(marks[i].instruction, code.count)] }
        dataUses = prologueDataUses + dataUses.map { (newIndex[$0.instruction], $0.request) }
        code = result
        epilogueSites = []
    }

    func build() -> GeneratedFunction {
        GeneratedFunction(
            function: Function(name: name, type: FunctionType(parameters, results), locals: locals, localNames: localNames,
                               body: code, marks: marks),
            dataUses: dataUses)
    }
}
