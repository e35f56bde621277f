/// A WebAssembly 1.0 module (plus the sign-extension and bulk-memory operators), as data.
/// Nothing here knows about Zong. `encode()` produces the binary format.
/// > Note: https://webassembly.github.io/spec/core/binary/modules.html

public enum ValueType: UInt8, Hashable, Sendable {
    case i32 = 0x7F, i64 = 0x7E, f32 = 0x7D, f64 = 0x7C
}

public struct FunctionType: Hashable, Sendable {
    public var parameters: [ValueType]
    public var results: [ValueType]
    public init(_ parameters: [ValueType], _ results: [ValueType]) {
        self.parameters = parameters
        self.results = results
    }
}

public struct Import: Sendable {
    public var module: String
    public var name: String
    public var type: FunctionType
    public init(module: String, name: String, type: FunctionType) {
        self.module = module
        self.name = name
        self.type = type
    }
}

/// A source position attached to an instruction, for the line-table custom section.
public struct SourceMark: Sendable, Hashable {
    public var instruction: Int
    public var file: Int
    public var line: Int
    public var column: Int
    public init(instruction: Int, file: Int, line: Int, column: Int) {
        self.instruction = instruction
        self.file = file
        self.line = line
        self.column = column
    }
}

public struct Function: Sendable {
    public var name: String
    public var type: FunctionType
    /// Locals after the parameters.
    public var locals: [ValueType]
    /// Names of parameters and locals by local index (the name section's local map).
    public var localNames: [Int: String]
    /// The body, without the final `end` (the encoder adds it).
    public var body: [Instruction]
    public var marks: [SourceMark]

    public init(name: String, type: FunctionType, locals: [ValueType] = [], localNames: [Int: String] = [:],
                body: [Instruction] = [], marks: [SourceMark] = []) {
        self.name = name
        self.type = type
        self.locals = locals
        self.localNames = localNames
        self.body = body
        self.marks = marks
    }
}

public struct Global: Sendable {
    public var name: String
    public var type: ValueType
    public var mutable: Bool
    /// The constant initializer (i32 or i64 according to `type`).
    public var initial: Int64
    public init(name: String, type: ValueType, mutable: Bool, initial: Int64) {
        self.name = name
        self.type = type
        self.mutable = mutable
        self.initial = initial
    }
}

public struct Export: Sendable {
    public enum Kind: UInt8, Sendable { case function = 0, table = 1, memory = 2, global = 3 }
    public var name: String
    public var kind: Kind
    public var index: Int
    public init(name: String, kind: Kind, index: Int) {
        self.name = name
        self.kind = kind
        self.index = index
    }
}

public struct DataSegment: Sendable {
    public var offset: UInt32
    public var bytes: [UInt8]
    public init(offset: UInt32, bytes: [UInt8]) {
        self.offset = offset
        self.bytes = bytes
    }
}

public struct CustomSection: Sendable {
    public var name: String
    public var payload: [UInt8]
    public init(name: String, payload: [UInt8]) {
        self.name = name
        self.payload = payload
    }
}

public struct Memory: Sendable {
    public var minimumPages: UInt32
    public var maximumPages: UInt32?
    public init(minimumPages: UInt32, maximumPages: UInt32? = nil) {
        self.minimumPages = minimumPages
        self.maximumPages = maximumPages
    }
}

public struct WasmModule: Sendable {
    /// Function imports; they take the first function indices.
    public var imports: [Import] = []
    public var functions: [Function] = []
    public var memory: Memory?
    public var globals: [Global] = []
    public var exports: [Export] = []
    public var data: [DataSegment] = []
    /// Written after the data section, before `name`.
    public var customSections: [CustomSection] = []
    /// When set, the encoder writes the source marks of every function as a custom section of
    /// this name (format in `LineTable`), with these file names.
    public var lineTableName: String?
    public var lineTableFiles: [String] = []

    public init() {}

    /// The index of a defined function in the function index space.
    public func functionIndex(ofDefined i: Int) -> Int { imports.count + i }

    /// The name-section name of any function index (import or definition).
    public func functionName(_ index: Int) -> String? {
        if index < imports.count { return imports[index].name }
        let i = index - imports.count
        return i < functions.count ? functions[i].name : nil
    }
}
