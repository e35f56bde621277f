import ZongSema
import ZongSyntax

/// Typed AST -> ZongIR, deliberately naive (docs/ir.md "Lowering"): every local and parameter
/// lives in its own tstack slot, every aggregate is moved leaf by leaf, and every runtime check
/// of the language is an explicit `check` carrying its Zong location. The passes make it fast.
public enum IRLowering {
    public static func lower(_ program: TypedProgram) -> IRProgram {
        let layout = DataLayout(program)
        var ids: [ObjectIdentifier: FunctionID] = [:]
        for (i, f) in program.functions.enumerated() { ids[ObjectIdentifier(f)] = FunctionID(i) }
        var entry = ids[ObjectIdentifier(program.main)]
        var functions = program.functions
        if entry == nil {
            functions.append(program.main)
            entry = FunctionID(functions.count - 1)
            ids[ObjectIdentifier(program.main)] = entry
        }
        let externs = program.externs.map { e in
            IRExtern(module: e.module, name: e.name, parameterTypes: e.parameterTypes.compactMap(DataLayout.passingType),
                     resultType: DataLayout.passingType(e.returnType))
        }
        var context = LoweringContext(program: program, layout: layout, functionIDs: ids, signatures: [])
        context.signatures = functions.map { Signature($0, layout) }
        var lowered: [IRFunction] = []
        for (i, f) in functions.enumerated() {
            var fl = FunctionLowering(f, context: context, isEntry: FunctionID(i) == entry)
            lowered.append(fl.run())
            context.strings = fl.context.strings
            context.stringIndex = fl.context.stringIndex
        }
        return IRProgram(fileName: program.file.name, functions: lowered, externs: externs,
                         strings: context.strings, entry: entry ?? FunctionID(0))
    }
}

/// How a Zong function looks at the IR level: an aggregate argument travels as its leaves, one
/// register each (a slice as items, capacity, length), or as the address of a copy when it has
/// more than `DataLayout.maximumPassedLeaves`; an aggregate result through a hidden first
/// parameter. Leaves in registers need no tstack copy in the caller, and a callee that never
/// takes its parameter's address keeps them in registers (promote-slots).
struct Signature {
    var parameterTypes: [IRType]
    var resultType: IRType?
    var hasResultAddress: Bool

    init(_ f: FunctionDef, _ layout: DataLayout) {
        hasResultAddress = DataLayout.isAggregate(f.returnType)
        parameterTypes = (hasResultAddress ? [.ptr] : []) + f.parameters.flatMap { layout.passingTypes($0.type) }
        resultType = hasResultAddress ? nil : DataLayout.registerType(f.returnType)
    }
}

/// What all functions' lowerings share: layouts, the function table and the string pool.
struct LoweringContext {
    let program: TypedProgram
    let layout: DataLayout
    let functionIDs: [ObjectIdentifier: FunctionID]
    var signatures: [Signature]
    var strings: [[UInt8]] = []
    var stringIndex: [[UInt8]: Int] = [:]

    init(program: TypedProgram, layout: DataLayout, functionIDs: [ObjectIdentifier: FunctionID], signatures: [Signature]) {
        self.program = program
        self.layout = layout
        self.functionIDs = functionIDs
        self.signatures = signatures
    }

    /// Identical literals share one copy of their bytes (LANGUAGE.md §4.7).
    mutating func intern(_ bytes: [UInt8]) -> Int {
        if let i = stringIndex[bytes] { return i }
        strings.append(bytes)
        stringIndex[bytes] = strings.count - 1
        return strings.count - 1
    }
}
