import ZongSema
import ZongSyntax

/// Typed AST -> ZongIR, deliberately naive (docs/ir.md "Lowering"): every local and parameter
/// lives in its own tstack slot, every aggregate is moved leaf by leaf, and every runtime check
/// of the language is an explicit `check` carrying its Zong location. The passes make it fast.
public enum IRLowering {
    /// Functions are lowered by `tasks` (perhaps at once), each with a string pool of its own;
    /// the pools are merged afterwards in function order, so the program's pool and every
    /// `string.N` are what lowering the functions one after another gives.
    public static func lower(_ program: TypedProgram, tasks: TaskRunner = runSequentially) -> IRProgram {
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
        let shared = context
        let results = mapTasks(functions.count, tasks) { i in
            var fl = FunctionLowering(functions[i], context: shared, isEntry: FunctionID(i) == entry)
            let f = fl.run()
            return (function: f, strings: fl.context.strings)
        }
        var lowered: [IRFunction] = []
        lowered.reserveCapacity(results.count)
        for var r in results {
            let global = r.strings.map { context.intern($0) }
            renumberStrings(&r.function, global)
            lowered.append(r.function)
        }
        return IRProgram(fileName: program.file.name, functions: lowered, externs: externs,
                         strings: context.strings, entry: entry ?? FunctionID(0))
    }

    /// `string.i` of a function's own pool becomes `string.global[i]` of the program's.
    static func renumberStrings(_ f: inout IRFunction, _ global: [Int]) {
        if global.enumerated().allSatisfy({ $0.offset == $0.element }) { return }
        for bi in f.blocks.indices {
            for ii in f.blocks[bi].instructions.indices {
                if case .builtin(.string(let i), let args) = f.blocks[bi].instructions[ii].op, i < global.count {
                    f.blocks[bi].instructions[ii].op = .builtin(.string(index: global[i]), args)
                }
            }
        }
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
    /// The parameters that carry a slice's length (`IRFunction.lengthParameters`).
    var lengthParameters: [Int] = []

    init(_ f: FunctionDef, _ layout: DataLayout) {
        hasResultAddress = DataLayout.isAggregate(f.returnType)
        parameterTypes = (hasResultAddress ? [.ptr] : []) + f.parameters.flatMap { layout.passingTypes($0.type) }
        resultType = hasResultAddress ? nil : DataLayout.registerType(f.returnType)
        var index = hasResultAddress ? 1 : 0
        for p in f.parameters {
            guard layout.passesLeaves(p.type) else {
                index += layout.passingTypes(p.type).count
                continue
            }
            for leaf in layout.leaves(p.type) {
                if leaf.isHeaderField, leaf.type == .i64 { lengthParameters.append(index) }
                index += 1
            }
        }
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
