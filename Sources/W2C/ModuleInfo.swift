import WasmParser
import WasmTypes

/// Everything W2C needs from a module, decoded by WasmParser, with the parts outside the
/// supported feature set rejected up front.
struct ModuleInfo {
    struct ImportedFunction {
        var module: String
        var name: String
        var typeIndex: UInt32
    }

    struct GlobalInfo {
        var type: GlobalType
        /// `.nop` for an imported global.
        var initializer: Instruction
        /// (module, name) of an imported global.
        var imported: (module: String, name: String)? = nil
    }

    var types: [FunctionType] = []
    var imports: [ImportedFunction] = []
    /// Type index of every function, imports first.
    var functionTypeIndices: [UInt32] = []
    /// Imported tables first, like every index space.
    var tables: [TableType] = []
    /// (module, name) per imported table, by table index.
    var tableImports: [Int: (module: String, name: String)] = [:]
    var memory: Limits?
    /// (module, name) of an imported memory.
    var memoryImport: (module: String, name: String)?
    /// Imported globals come first in `globals`.
    var importedGlobalCount = 0
    var globals: [GlobalInfo] = []
    var exports: [Export] = []
    var start: UInt32?
    var elements: [ElementSegment] = []
    var data: [DataSegment] = []
    var dataCount: UInt32?
    var codes: [Code] = []
    /// Function, local and global names (empty without a well-formed `name` section).
    var names = NameSection()
    var lines: LineTable?
    /// By function index: the `zong.bounded-recursion` section's claims (BoundedRecursion.swift).
    var recursionClaims: [Int: RecursionBound] = [:]
    /// Functions that `ref.func` may name in code: those in element segments, exports and
    /// global initializers.
    var declaredFunctions = Set<UInt32>()
    /// Byte offset where each section that module-level validation looks at starts (its errors
    /// point there: the decoded entries carry no offsets of their own).
    var sectionOffsets = SectionOffsets()

    struct SectionOffsets {
        var imports = 0, globals = 0, exports = 0, start = 0, elements = 0, data = 0, end = 0
    }

    var importCount: Int { imports.count }
    var functionCount: Int { functionTypeIndices.count }

    func functionType(_ index: Int) -> FunctionType? {
        guard index >= 0, index < functionTypeIndices.count else { return nil }
        let t = Int(functionTypeIndices[index])
        return t < types.count ? types[t] : nil
    }

    static func decode(_ bytes: [UInt8]) throws(W2CError) -> ModuleInfo {
        var info = ModuleInfo()
        var parser = Parser(bytes: bytes, features: [.referenceTypes])
        var sawHeader = false
        var customSections: [CustomSection] = []
        while true {
            let sectionStart = parser.offset
            let payload: ParsingPayload?
            do {
                payload = try parser.parseNext()
            } catch {
                throw W2CError("malformed module: \(W2CError.parserMessage(error))", offset: W2CError.parserOffset(error) ?? parser.offset)
            }
            guard let payload else { break }
            let offset = parser.offset
            switch payload {
            case .header: sawHeader = true
            case .customSection(let section): customSections.append(section)
            case .typeSection(let groups):
                for group in groups {
                    for sub in group.types {
                        guard case .function(let ft) = sub.body else {
                            throw W2CError(W2CError.unsupported("GC types"), offset: offset)
                        }
                        info.types.append(ft)
                    }
                }
            case .importSection(let imports):
                info.sectionOffsets.imports = sectionStart
                for imp in imports {
                    switch imp.descriptor {
                    case .function(let typeIndex):
                        guard Int(typeIndex) < info.types.count else {
                            throw W2CError(W2CError.unknown("type", typeIndex), offset: offset)
                        }
                        info.imports.append(ImportedFunction(module: imp.module, name: imp.name, typeIndex: typeIndex))
                        info.functionTypeIndices.append(typeIndex)
                    case .global(let type):
                        guard ModuleContext.cType(type.valueType) != "void" else {
                            throw W2CError(W2CError.unsupported("globals of type \(ModuleContext.typeName(type.valueType))"), offset: offset)
                        }
                        info.globals.append(GlobalInfo(type: type, initializer: .nop, imported: (imp.module, imp.name)))
                        info.importedGlobalCount += 1
                    case .memory(let m):
                        try info.addMemory(m, offset: offset)
                        info.memoryImport = (imp.module, imp.name)
                    case .table(let t):
                        try info.addTable(t, offset: offset)
                        info.tableImports[info.tables.count - 1] = (imp.module, imp.name)
                    case .tag:
                        throw W2CError(W2CError.unsupported("exception handling"), offset: offset)
                    }
                }
            case .functionSection(let indices):
                for t in indices {
                    guard Int(t) < info.types.count else { throw W2CError(W2CError.unknown("type", t), offset: offset) }
                    info.functionTypeIndices.append(t)
                }
            case .tableSection(let tables):
                for table in tables {
                    guard table.initializer == nil else {
                        throw W2CError(W2CError.unsupported("tables with an initializer expression"), offset: offset)
                    }
                    try info.addTable(table.type, offset: offset)
                }
            case .memorySection(let memories):
                for m in memories { try info.addMemory(m.type, offset: offset) }
            case .globalSection(let globals):
                info.sectionOffsets.globals = sectionStart
                for g in globals {
                    let initializer = try constInstruction(g.initializer, type: g.type.valueType, offset: offset, globals: info.globals)
                    info.globals.append(GlobalInfo(type: g.type, initializer: initializer))
                }
            case .exportSection(let exports):
                info.exports = exports
                info.sectionOffsets.exports = sectionStart
            case .startSection(let index):
                info.start = index
                info.sectionOffsets.start = sectionStart
            case .elementSection(let elements):
                info.elements = elements
                info.sectionOffsets.elements = sectionStart
            case .codeSection(let codes): info.codes = codes
            case .dataSection(let data):
                info.data = data
                info.sectionOffsets.data = sectionStart
            case .dataCount(let count): info.dataCount = count
            case .tagSection: throw W2CError(W2CError.unsupported("exception handling"), offset: offset)
            }
        }
        guard sawHeader else { throw W2CError("malformed module: empty input", offset: 0) }
        info.sectionOffsets.end = parser.offset
        guard info.codes.count == info.functionCount - info.importCount else {
            throw W2CError("function and code section have inconsistent lengths", offset: parser.offset)
        }
        if let count = info.dataCount, Int(count) != info.data.count {
            throw W2CError("data count and data section have inconsistent lengths", offset: parser.offset)
        }
        for section in customSections {
            if section.name == "name" {
                info.names = NameSection(Array(section.bytes)) ?? NameSection()
            } else if section.name == "zong.lines" {
                info.lines = LineTable(payload: Array(section.bytes))
            } else if section.name == "zong.bounded-recursion" {
                info.recursionClaims = RecursionBound.decode(Array(section.bytes))
            }
        }
        try info.validateModuleLevel()
        for segment in info.elements {
            for expr in segment.initializer { if case .refFunc(let f) = expr.first { info.declaredFunctions.insert(f) } }
        }
        for e in info.exports { if case .function(let f) = e.descriptor { info.declaredFunctions.insert(f) } }
        for g in info.globals { if case .refFunc(let f) = g.initializer { info.declaredFunctions.insert(f) } }
        return info
    }

    /// The most entries a table may have (runtime-c's ZRT_TABLE_CAP).
    static let tableCap = 1 << 24

    mutating func addTable(_ t: TableType, offset: Int) throws(W2CError) {
        guard t.elementType == .funcRef || t.elementType == .externRef else {
            throw W2CError(W2CError.unsupported("tables of type \(t.elementType)"), offset: offset)
        }
        guard t.limits.min <= UInt64(Self.tableCap) else {
            throw W2CError(W2CError.unsupported("tables of more than \(Self.tableCap) entries"), offset: offset)
        }
        if let max = t.limits.max, max < t.limits.min {
            throw W2CError("size minimum must not be greater than maximum", offset: offset)
        }
        tables.append(t)
    }

    mutating func addMemory(_ m: Limits, offset: Int) throws(W2CError) {
        if memory != nil { throw W2CError(W2CError.unsupported("more than one memory"), offset: offset) }
        if m.isMemory64 || m.shared {
            throw W2CError(W2CError.unsupported("memory64 or shared memory"), offset: offset)
        }
        if let max = m.max, max < m.min {
            throw W2CError("memory size minimum (\(m.min) pages) must not be greater than its maximum (\(max) pages)", offset: offset)
        }
        if m.min > 65536 || (m.max ?? 0) > 65536 {
            throw W2CError("memory size must be at most 65536 pages (4 GiB)", offset: offset)
        }
        memory = m
    }

    /// A constant expression: exactly one constant of the right type, or `global.get` of an
    /// imported immutable global of that type (among `globals`), then `end`.
    static func constInstruction(_ expr: ConstExpression, type: ValueType, offset: Int, globals: [GlobalInfo]) throws(W2CError) -> Instruction {
        guard expr.count == 2, case .end = expr[1] else {
            throw W2CError(W2CError.unsupported("constant expressions other than a single constant"), offset: offset)
        }
        let ok: Bool
        switch (expr[0], type) {
        case (.i32Const, .i32), (.i64Const, .i64), (.f32Const, .f32), (.f64Const, .f64): ok = true
        case (.refNull(let heap), .ref(let r)): ok = r.isNullable && heap == r.heapType
        case (.refFunc, .ref(let r)): ok = r.heapType == .funcRef
        case (.globalGet(let g), _):
            guard Int(g) < globals.count, globals[Int(g)].imported != nil else {
                throw W2CError(W2CError.unknown("global", g) + " in a constant expression (only imported globals)", offset: offset)
            }
            guard globals[Int(g)].type.mutability == .constant else {
                throw W2CError("constant expression required: global.get of mutable global \(g)", offset: offset)
            }
            ok = globals[Int(g)].type.valueType == type
        default: ok = false
        }
        guard ok else { throw W2CError("type mismatch in constant expression", offset: offset) }
        return expr[0]
    }

    private func validateModuleLevel() throws(W2CError) {
        for g in globals {
            if case .refFunc(let f) = g.initializer, Int(f) >= functionCount { throw W2CError(W2CError.unknown("function", f), offset: sectionOffsets.globals) }
            if ModuleContext.cType(g.type.valueType) == "void" {
                throw W2CError(W2CError.unsupported("globals of type \(ModuleContext.typeName(g.type.valueType))"), offset: sectionOffsets.globals)
            }
        }
        for e in exports {
            switch e.descriptor {
            case .function(let i) where Int(i) >= functionCount: throw W2CError(W2CError.unknown("function", i), offset: sectionOffsets.exports)
            case .global(let i) where Int(i) >= globals.count: throw W2CError(W2CError.unknown("global", i), offset: sectionOffsets.exports)
            case .memory(let i) where i > 0 || memory == nil: throw W2CError(W2CError.unknown("memory", i), offset: sectionOffsets.exports)
            case .table(let i) where Int(i) >= tables.count: throw W2CError(W2CError.unknown("table", i), offset: sectionOffsets.exports)
            default: break
            }
        }
        // Byte-wise: Swift's String equality would merge canonically equivalent Unicode names.
        var seen = Set<[UInt8]>()
        for e in exports where !seen.insert(Array(e.name.utf8)).inserted {
            throw W2CError("duplicate export name '\(e.name)'", offset: sectionOffsets.exports)
        }
        if let start {
            guard Int(start) < functionCount else { throw W2CError(W2CError.unknown("function", start), offset: sectionOffsets.start) }
            guard let t = functionType(Int(start)), t.parameters.isEmpty, t.results.isEmpty else {
                throw W2CError("start function must have type [] -> []", offset: sectionOffsets.start)
            }
        }
        for segment in data {
            if case .active(let a) = segment {
                guard a.index == 0, memory != nil else { throw W2CError(W2CError.unknown("memory", a.index), offset: sectionOffsets.data) }
                _ = try Self.constInstruction(a.offset, type: .i32, offset: sectionOffsets.data, globals: globals)
            }
        }
        for segment in elements {
            guard segment.type == .funcRef || segment.type == .externRef else {
                throw W2CError(W2CError.unsupported("element segments of type \(segment.type)"), offset: sectionOffsets.elements)
            }
            if case .active(let table, let offset) = segment.mode {
                guard Int(table) < tables.count else { throw W2CError(W2CError.unknown("table", table), offset: sectionOffsets.elements) }
                guard tables[Int(table)].elementType == segment.type else {
                    throw W2CError(W2CError.expectedType("the table's element type", "another reference type", "element segment"), offset: sectionOffsets.elements)
                }
                _ = try Self.constInstruction(offset, type: .i32, offset: sectionOffsets.elements, globals: globals)
            }
            for expr in segment.initializer {
                guard let first = expr.first, expr.count == 1 || (expr.count == 2 && expr[1] == .end) else {
                    throw W2CError("malformed element expression", offset: sectionOffsets.elements)
                }
                switch first {
                case .refFunc(let f):
                    guard Int(f) < functionCount else { throw W2CError(W2CError.unknown("function", f), offset: sectionOffsets.elements) }
                    guard segment.type == .funcRef else {
                        throw W2CError(W2CError.expectedType("externref", "funcref", "element segment"), offset: sectionOffsets.elements)
                    }
                case .refNull(let heap):
                    guard heap == segment.type.heapType else {
                        throw W2CError(W2CError.expectedType("funcref", "a null reference of another type", "element segment"), offset: sectionOffsets.elements)
                    }
                default: throw W2CError("malformed element expression", offset: sectionOffsets.elements)
                }
            }
        }
    }
}

/// The `zong.lines` custom section: version 1; file names; entries (module offset of an
/// instruction, file, line, column) sorted by offset. Malformed input yields nil.
struct LineTable {
    struct Entry {
        var offset: Int
        var file: Int
        var line: Int
        var column: Int
    }

    var files: [String] = []
    var entries: [Entry] = []

    init?(payload: [UInt8]) {
        var reader = PayloadReader(bytes: payload)
        guard let version = reader.u32(), version == 1, let fileCount = reader.u32(), fileCount <= payload.count else { return nil }
        for _ in 0..<fileCount {
            guard let n = reader.u32(), let name = reader.take(n) else { return nil }
            files.append(String(decoding: name, as: UTF8.self))
        }
        guard let count = reader.u32(), count <= payload.count else { return nil }
        var last = -1
        for _ in 0..<count {
            guard let offset = reader.u32(), let file = reader.u32(), let line = reader.u32(), let column = reader.u32(),
                file < files.count, offset >= last, line < (1 << 24)
            else { return nil }
            last = offset
            entries.append(Entry(offset: offset, file: file, line: line, column: column))
        }
        if files.count > 255 { return nil }
    }

    /// Index of the first entry with offset >= `offset`.
    func firstIndex(atOrAfter offset: Int) -> Int {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].offset < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
