import Synchronization
import Wasm
import ZongSema
import ZongSyntax

public struct CodegenOptions: Sendable {
    /// Size of the tstack region in bytes (ARCHITECTURE.md default: 1 MiB).
    public var tstackSize: Int = 1 << 20
    /// The largest linear memory in bytes, declared as the memory's maximum so that every
    /// runtime (the interpreter too, not only W2C's native cap) fails `memory.grow` at the same
    /// size and the program panics `out of memory` identically. Default: all 4 GiB.
    public var maxMemoryBytes: UInt64 = 1 << 32
    /// The file name shown in panic locations and the line table; default: the program's file.
    public var fileName: String?
    public init() {}
}

/// Generates the WASI module for a checked program (ARCHITECTURE.md "One contract").
/// - Parameter tasks: runs the functions' generation (FunctionTask.swift); the module is the
///   same whatever it runs them on.
public func generateModule(_ program: TypedProgram, options: CodegenOptions = .init(),
                           tasks: TaskRunner = runSequentially) -> WasmModule {
    ModuleGenerator(program, options).generate(tasks: tasks)
}

/// The encoded module bytes.
public func generateWasm(_ program: TypedProgram, options: CodegenOptions = .init()) -> [UInt8] {
    generateModule(program, options: options).encode()
}

/// Indices of everything the generated code refers to.
enum Globals {
    static let stackPointer: UInt32 = 0
    static let stackLow: UInt32 = 1
    static let heapPointer: UInt32 = 2
    static let inputPosition: UInt32 = 3
    static let inputLength: UInt32 = 4
    /// Then the result registers, declared before any function is generated (StructResults.swift).
    static let firstResultRegister: UInt32 = 5
}

enum Imports {
    static let fdWrite: UInt32 = 0
    static let fdRead: UInt32 = 1
    static let procExit: UInt32 = 2
    static let count = 3
}

/// Built-in functions written in WASM, in the order they are placed after the imports.
enum Builtin: Int, CaseIterable {
    case panic, panicIndex, format, printInteger, write, printBytes, alloc, appendSlot, stringCopy, readLine, growItems

    var name: String {
        switch self {
        case .panic: "zong.panic"
        case .panicIndex: "zong.panic_index"
        case .format: "zong.format_integer"
        case .printInteger: "zong.print_integer"
        case .write: "zong.write"
        case .printBytes: "zong.print_bytes"
        case .alloc: "zong.alloc"
        case .appendSlot: "zong.append_slot"
        case .stringCopy: "zong.string"
        case .readLine: "zong.read_line"
        case .growItems: "zong.grow_items"
        }
    }
}

final class ModuleGenerator {
    let program: TypedProgram
    let options: CodegenOptions
    let layout: Layout
    var data: StaticData
    let map: MemoryMap
    let fileName: String
    /// Function index of each extern (imports after the WASI ones).
    var externIndex: [Int] = []
    var functionIndex: [ObjectIdentifier: UInt32] = [:]
    /// Per function: what its body does to its locals (computed once, before any function is
    /// generated, since callers need the callee's answer).
    var memoryRoots: [ObjectIdentifier: MemoryRoots] = [:]
    /// Memo of `leavesHeadersAlone` (AppendPromotion.swift), shared by the functions' tasks.
    let headerSafety = Mutex<[ObjectIdentifier: Bool]>([:])
    /// Per function: the struct/slice parameters a caller may pass without copying.
    var readOnlyParameters: [ObjectIdentifier: Set<Int>] = [:]
    /// Per function: the struct parameters passed one WASM parameter per field.
    var flattenedParameters: [ObjectIdentifier: Set<Int>] = [:]
    var imports: [Import] = []
    /// The globals that carry struct result fields, from `Globals.firstResultRegister` on, and
    /// their indices by field and type (StructResults.swift).
    var resultRegisters: [Global] = []
    var resultRegisterIndex: [Int: UInt32] = [:]
    /// Short clones of countdown functions, placed after the user functions (CountdownClone.swift).
    var clones: [Function] = []
    /// The clones' bounded self-recursion, for W2C's stack checks (BoundedRecursion in Wasm).
    var boundedRecursion: [BoundedRecursion] = []

    init(_ program: TypedProgram, _ options: CodegenOptions) {
        self.program = program
        self.options = options
        self.layout = Layout(program)
        let tstack = max(4096, (options.tstackSize + 15) / 16 * 16)
        var data = StaticData(base: MemoryMap.nullPageEnd + tstack)
        self.map = MemoryMap(tstackSize: tstack, data: &data)
        self.data = data
        self.fileName = options.fileName ?? program.file.name
    }

    var builtinBase: UInt32 { UInt32(imports.count) }

    func builtin(_ b: Builtin) -> UInt32 { builtinBase + UInt32(b.rawValue) }

    /// The index of the first short clone: after every user function.
    var firstCloneIndex: UInt32 {
        builtinBase + UInt32(Builtin.allCases.count + program.functions.count)
    }

    func generate(tasks: TaskRunner) -> WasmModule {
        declareImports()
        let firstUser = builtinBase + UInt32(Builtin.allCases.count)
        analyzeFunctions(tasks: tasks)
        for (i, f) in program.functions.enumerated() {
            functionIndex[ObjectIdentifier(f)] = firstUser + UInt32(i)
        }
        declareResultRegisters()
        var functions = Builtins(self).all()
        // From here until `link`, the generator is only read.
        let generated = program.functions.indices.map {
            FunctionTask(function: program.functions[$0], provisionalCloneIndex: firstCloneIndex + UInt32($0))
        }
        let mains = mapTasks(generated.count, tasks) { FunctionGenerator.generate(self, generated[$0]) }
        for (task, main) in zip(generated, mains) { link(task, main, into: &functions) }
        functions += clones
        stubUnusedBuiltins(&functions)
        let mainIndex = functionIndex[ObjectIdentifier(program.main)] ?? firstUser
        return assemble(functions, mainIndex: mainIndex)
    }

    /// The module around the generated functions: memory sized past the static data, the
    /// globals, exports, data segment and the W2C contract's custom sections.
    func assemble(_ functions: [Function], mainIndex: UInt32) -> WasmModule {
        var module = WasmModule()
        module.imports = imports
        module.functions = functions
        let heapStart = (data.end + 15) / 16 * 16
        let pages = UInt32((heapStart + 65536 + 65535) / 65536)
        let limit = UInt32(min(options.maxMemoryBytes / 65536, 65536))
        module.memory = Memory(minimumPages: pages, maximumPages: max(pages, limit))
        module.globals = [
            Global(name: "__stack_pointer", type: .i32, mutable: true, initial: Int64(map.stackTop)),
            Global(name: "__stack_low", type: .i32, mutable: false, initial: Int64(MemoryMap.nullPageEnd)),
            Global(name: "zong.heap", type: .i32, mutable: true, initial: Int64(heapStart)),
            Global(name: "zong.input_position", type: .i32, mutable: true, initial: 0),
            Global(name: "zong.input_length", type: .i32, mutable: true, initial: 0),
        ] + resultRegisters
        module.exports = [
            Export(name: "memory", kind: .memory, index: 0),
            Export(name: "_start", kind: .function, index: Int(mainIndex)),
            Export(name: "__stack_pointer", kind: .global, index: Int(Globals.stackPointer)),
            Export(name: "__stack_low", kind: .global, index: Int(Globals.stackLow)),
        ]
        // Memory starts zeroed, so the segment covers only the bytes from the first to the last
        // non-zero one (the input buffer and zeroed globals cost nothing in the module or the C).
        if let first = data.bytes.firstIndex(where: { $0 != 0 }),
           let last = data.bytes.lastIndex(where: { $0 != 0 }) {
            module.data = [DataSegment(offset: UInt32(data.base + first), bytes: Array(data.bytes[first...last]))]
        }
        if !boundedRecursion.isEmpty {
            module.customSections.append(CustomSection(name: BoundedRecursion.sectionName, payload: BoundedRecursion.encode(boundedRecursion)))
        }
        module.lineTableName = "zong.lines"
        module.lineTableFiles = [fileName]
        return module
    }

    func declareImports() {
        let wasi = "wasi_snapshot_preview1"
        imports = [
            Import(module: wasi, name: "fd_write", type: FunctionType([.i32, .i32, .i32, .i32], [.i32])),
            Import(module: wasi, name: "fd_read", type: FunctionType([.i32, .i32, .i32, .i32], [.i32])),
            Import(module: wasi, name: "proc_exit", type: FunctionType([.i32], [])),
        ]
        for ext in program.externs {
            let type = importType(of: ext)
            if let existing = imports.firstIndex(where: { $0.module == ext.module && $0.name == ext.name && $0.type == type }) {
                externIndex.append(existing)
            } else {
                externIndex.append(imports.count)
                imports.append(Import(module: ext.module, name: ext.name, type: type))
            }
        }
    }

    /// The WASM signature of a user function: struct/slice parameters are addresses of the
    /// callee's own copy; a struct/slice result is written through a hidden first parameter.
    func signature(_ f: FunctionDef) -> FunctionType {
        var params: [ValueType] = []
        for p in f.parameters {
            if let fields = flattenedFields(p, of: f) {
                params += fields.compactMap { Layout.valueType($0) }
            } else if let t = Layout.valueType(p.type) {
                params.append(t)
            }
        }
        var results: [ValueType] = []
        if let fields = resultFields(f.returnType) {
            results = fields.prefix(1).compactMap { Layout.valueType($0) }
        } else if Layout.isAggregate(f.returnType) {
            params.insert(.i32, at: 0)
        } else if let r = Layout.valueType(f.returnType) {
            results = [r]
        }
        return FunctionType(params, results)
    }

    /// What each function does to its locals, which callers need to know before any function is
    /// generated: one task per function.
    private func analyzeFunctions(tasks: TaskRunner) {
        let functions = program.functions
        let results = mapTasks(functions.count, tasks) { i in
            let f = functions[i]
            let roots = MemoryRoots(f.body)
            return (roots: roots, readOnly: Self.readOnlyAggregateParameters(f, roots),
                    flattened: Set(f.parameters.indices.filter { flattenedFields(f.parameters[$0], roots) != nil }))
        }
        for (f, result) in zip(functions, results) {
            let key = ObjectIdentifier(f)
            memoryRoots[key] = result.roots
            readOnlyParameters[key] = result.readOnly
            flattenedParameters[key] = result.flattened
        }
    }

    /// Adds a generated function (and its short clone) to the module: lays out the static data
    /// it asked for, fills in the addresses and gives the clone its final index.
    private func link(_ task: FunctionTask, _ main: GeneratedFunction, into functions: inout [Function]) {
        let addresses = task.data.map { item -> Int32 in
            switch item {
            case .bytes(let bytes): Int32(data.intern(bytes))
            case .record(let text): Int32(data.record(text))
            }
        }
        var renumbering: (from: UInt32, to: UInt32)?
        if let clone = task.clone {
            let index = firstCloneIndex + UInt32(clones.count)
            renumbering = (task.provisionalCloneIndex, index)
            clones.append(clone.linked(addresses: addresses, renumbering: renumbering))
            if var recursion = task.cloneRecursion {
                recursion.function = index
                boundedRecursion.append(recursion)
            }
        }
        functions.append(main.linked(addresses: addresses, renumbering: renumbering))
    }

    /// Static data for the built-ins, which are generated before the functions, on one thread.
    func message(_ text: String) -> (address: Int32, length: Int32) {
        let bytes = Array(text.utf8)
        return (Int32(data.intern(bytes)), Int32(bytes.count))
    }
}

extension ModuleGenerator {
    /// Built-ins no user function can reach keep their index (calls are numbered statically) but
    /// get the body `unreachable`: hello world then carries no integer formatting or read_line,
    /// and clang compiles less C.
    func stubUnusedBuiltins(_ functions: inout [Function]) {
        let base = Int(builtinBase), count = Builtin.allCases.count
        var used = Set<Int>()
        var pending: [Int] = Array(count..<functions.count)
        while let i = pending.popLast() {
            for case .call(let target) in functions[i].body {
                let b = Int(target) - base
                if b >= 0, b < count, used.insert(b).inserted { pending.append(b) }
            }
        }
        for b in 0..<count where !used.contains(b) {
            functions[b].body = [.unreachable]
            functions[b].locals = []
            functions[b].localNames = functions[b].localNames.filter { $0.key < functions[b].type.parameters.count }
            functions[b].marks = []
        }
    }
}

/// The WASM type an extern function is imported with (ORIGINAL_WASM_ABI.md §4).
public func importType(of ext: ExternFunction) -> FunctionType {
    FunctionType(ext.parameterTypes.compactMap(Layout.valueType), Layout.valueType(ext.returnType).map { [$0] } ?? [])
}
