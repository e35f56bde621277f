import Wasm
import ZongIR
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

/// Indices of everything the generated code refers to.
enum Globals {
    static let stackPointer: UInt32 = 0
    static let stackLow: UInt32 = 1
    static let heapPointer: UInt32 = 2
    static let inputPosition: UInt32 = 3
    static let inputLength: UInt32 = 4
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

/// The module around the functions FunctionFromIR translates: imports, the runtime built-ins,
/// static data, the memory map, globals and exports (FromIR/ModuleFromIR.swift).
final class ModuleGenerator {
    let program: TypedProgram
    let options: CodegenOptions
    var data: StaticData
    let map: MemoryMap
    let fileName: String
    /// Function index of each extern (imports after the WASI ones).
    var externIndex: [Int] = []
    var imports: [Import] = []
    /// The functions whose self-recursion is bounded, for W2C's stack checks (BoundedRecursion
    /// in Wasm).
    var boundedRecursion: [BoundedRecursion] = []

    init(_ program: TypedProgram, _ options: CodegenOptions) {
        self.program = program
        self.options = options
        let tstack = max(4096, (options.tstackSize + 15) / 16 * 16)
        var data = StaticData(base: MemoryMap.nullPageEnd + tstack)
        self.map = MemoryMap(tstackSize: tstack, data: &data)
        self.data = data
        self.fileName = options.fileName ?? program.file.name
    }

    var builtinBase: UInt32 { UInt32(imports.count) }

    func builtin(_ b: Builtin) -> UInt32 { builtinBase + UInt32(b.rawValue) }

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
        ]
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

    /// The address and length of `text`'s bytes in static data (stored once).
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

/// The WASM type an extern function is imported with (ORIGINAL_WASM_ABI.md §4): the registers
/// ZongIR's lowering passes its arguments and result in (`DataLayout.passingType`), as WASM types.
public func importType(of ext: ExternFunction) -> FunctionType {
    let type = { (t: ZType) in DataLayout.passingType(t).map(FunctionFromIR.valueType) }
    return FunctionType(ext.parameterTypes.compactMap(type), type(ext.returnType).map { [$0] } ?? [])
}
