import WasmParser
import WasmTypes

/// How the translated C is checked and annotated.
public struct W2COptions: Sendable {
    public enum BoundsMode: Sendable {
        /// Every load and store checks `addr + offset + size <= memory size` (the default).
        case checked
        /// No explicit checks: a 4 GiB + 4 GiB reservation and a SIGSEGV handler report faults.
        case guardPages
    }

    public var boundsMode: BoundsMode
    /// Emit `#line N "file"` directives from `zong.lines` instead of comments, so a debugger
    /// steps through the original source.
    public var debug: Bool
    /// Upper limit of the linear memory in bytes (the module's own maximum applies if lower).
    public var maxMemoryBytes: UInt64
    /// For test harnesses: every exported function also gets a non-static wrapper
    /// `zrt_export_<name>` (see `ModuleWriter.exportWrapperNames`).
    var exportWrappers = false
    /// For embedders and test harnesses: imports other than WASI become external C symbols
    /// (`CNames.importSymbol`) that the host defines: functions, globals (variables of the
    /// value's C type), tables (`zrt_table`) and memories (`zrt_memory`). Without WASI imports
    /// (which use runtime-c's `zrt_mem`) the module's own memory is `zrt_memory0`, so modules
    /// linked into one program keep their own. `ModuleContext.externalSymbols` lists what the
    /// module defines for others. Off: such a module is rejected with a clear error.
    var hostImports = false
    /// A function whose C has more than this many (variables × blocks) is compiled without
    /// optimization (`__attribute__((optnone))`): clang's scalar replacement is superlinear in
    /// that product (a 10,000-statement function took 55 s at -O1 or -O2, 1.6 s at -O0). 0: never.
    public var optimizedFunctionBudget = 25_000_000

    public init(boundsMode: BoundsMode = .checked, debug: Bool = false, maxMemoryBytes: UInt64 = 2 << 30) {
        self.boundsMode = boundsMode
        self.debug = debug
        self.maxMemoryBytes = maxMemoryBytes
    }
}

/// Translates a WebAssembly module (1.0, plus sign-extension, saturating truncation and bulk
/// memory copy/fill) to one C file to be compiled against runtime-c (`zong_rt.h`).
///
/// - Parameters:
///   - wasm: the module's bytes.
///   - options: bounds-check mode, `#line` directives, memory limit.
/// - Returns: the C source text.
/// - Throws: `W2CError` (with byte offset and function index where known) for a malformed or
///   invalid module, or one using a feature or import that W2C and runtime-c do not support.
public func translate(wasm: [UInt8], options: W2COptions = .init()) throws(W2CError) -> String {
    String(decoding: try translateToUTF8(wasm: wasm, options: options), as: UTF8.self)
}

/// `translate`, returning the C file's bytes (for a caller that writes them out: the text of a
/// large module is tens of megabytes, and a String costs a check and a copy of every byte).
public func translateToUTF8(wasm: [UInt8], options: W2COptions = .init()) throws(W2CError) -> [UInt8] {
    try translateModule(wasm: wasm, options: options).c
}

/// The C of a module, and what the translation had to give up.
public struct W2CTranslation: Sendable {
    public var c: [UInt8]
    /// The functions left unoptimized for their size (`W2COptions.optimizedFunctionBudget`).
    public var unoptimizedFunctions: [UnoptimizedFunction]
}

public struct UnoptimizedFunction: Sendable {
    public var name: String
    public var variables: Int
    public var blocks: Int
}

/// `translateToUTF8`, with what the translation reports beside the C.
public func translateModule(wasm: [UInt8], options: W2COptions = .init()) throws(W2CError) -> W2CTranslation {
    let info = try ModuleInfo.decode(wasm)

    // Pre-pass, one task per function: the call graph (for the native stack check) and whether
    // memory can grow.
    let count = info.codes.count
    let scans = parallelMap(count: count) { i -> Result<CodeScan, W2CError> in
        Result { () throws(W2CError) in try CodeScan(info.codes[i], function: info.importCount + i) }
    }
    var ctx = try ModuleContext(info: info, options: options)
    var calls: [[Int]] = Array(repeating: [], count: info.functionCount)
    var callsIndirect = Array(repeating: false, count: info.functionCount)
    for i in 0..<count {
        let scan = try scans[i].get()
        let f = info.importCount + i
        calls[f] = scan.calls.filter { $0 < info.functionCount }
        callsIndirect[f] = scan.callsIndirect
        if scan.growsMemory { ctx.hasMemoryGrow = true }
        if scan.usesRefFunc { ctx.usesRefFunc = true }
    }
    // An imported memory, or an exported one when the host may call back, can grow behind the
    // module's back.
    let exportsMemory = info.exports.contains { if case .memory = $0.descriptor { true } else { false } }
    if info.memoryImport != nil || (exportsMemory && options.hostImports) { ctx.hasMemoryGrow = true }
    ctx.computeRecursion(calls: calls, callsIndirect: callsIndirect)
    ctx.computeRecursionBounds(calls: calls, callsIndirect: callsIndirect)

    // The bodies are independent (each writer reads the shared context and fills its own
    // buffer), so they are written on all cores; the first error in function order wins, as in
    // a sequential loop. Each bounded variant follows its function.
    var jobs: [(code: Int, bounded: Bool)] = []
    for i in 0..<count {
        jobs.append((i, false))
        if ctx.recursionBounds[info.importCount + i] != nil { jobs.append((i, true)) }
    }
    let written = parallelMap(count: jobs.count) { [ctx, info, scans, jobs] k -> Result<(CWriter, UnoptimizedFunction?), W2CError> in
        let i = jobs[k].code
        var writer = FunctionWriter(ctx: ctx, index: info.importCount + i, boundedVariant: jobs[k].bounded)
        if case .success(let scan) = scans[i] { writer.loopWrites = scan.loopWrites }
        return Result { () throws(W2CError) in
            let c = try writer.write(code: info.codes[i])
            return (c, writer.unoptimized)
        }
    }
    let functions = try written.map { result throws(W2CError) in try result.get() }
    let c = try ModuleWriter(ctx: ctx).write(functions: functions.map(\.0))
    return W2CTranslation(c: c, unoptimizedFunctions: functions.compactMap(\.1))
}

/// What the pre-pass learns from one function body.
private struct CodeScan {
    var calls: [Int] = []
    var callsIndirect = false
    var growsMemory = false
    var usesRefFunc = false
    /// Per `loop` instruction, in order: the locals its body writes (DominatingFacts.swift).
    var loopWrites: [Set<Int>] = []

    init() {}

    init(_ code: Code, function f: Int) throws(W2CError) {
        var parser = ExpressionParser(code: code)
        var reader = InstructionReader()
        // Per open block, loop or if: whether it is a loop; and the open loops' indices in
        // loopWrites, innermost last.
        var openIsLoop: [Bool] = []
        var openLoops: [Int] = []
        while true {
            let offset = parser.offset
            let visit: ExpressionParser.Visit?
            do {
                visit = try parser.parse()
            } catch {
                throw W2CError("malformed code: \(W2CError.parserMessage(error))", offset: offset, functionIndex: f)
            }
            guard let visit else { break }
            reader.instruction = nil
            visit(visitor: &reader)
            switch reader.instruction {
            case .call(let callee): calls.append(Int(callee))
            case .callIndirect: callsIndirect = true
            case .memoryGrow: growsMemory = true
            case .refFunc: usesRefFunc = true
            case .block, .if: openIsLoop.append(false)
            case .loop:
                openIsLoop.append(true)
                openLoops.append(loopWrites.count)
                loopWrites.append([])
            case .end:
                // A loop's writes are writes of the loop around it.
                if openIsLoop.popLast() == true, let loop = openLoops.popLast(), let outer = openLoops.last {
                    loopWrites[outer].formUnion(loopWrites[loop])
                }
            case .localSet(let l), .localTee(let l):
                if let loop = openLoops.last { loopWrites[loop].insert(Int(l)) }
            default: break
            }
        }
    }
}
