import Foundation
import ZongSyntax

/// A transformation of one function. Passes are general: each keeps the program's meaning
/// on every input, never looks for a particular program's shape, and leaves valid IR (the
/// verifier runs after each pass when `verifyEachPass` is on).
public protocol FunctionPass: Sendable {
    /// The name used by `--disable-pass`, `--dump-after` and `--print-passes`.
    var name: String { get }
    /// One line for `--print-passes`.
    var summary: String { get }
    func run(_ f: inout IRFunction, in program: IRProgram)
    /// Whether the pass reads other functions' bodies from `program` (inlining): then it runs
    /// on one function at a time, callees first; every other pass runs on all at once.
    var readsOtherFunctions: Bool { get }
    /// The pass as it runs over `program`: a pass may first compute what it needs of the
    /// whole program (once per run, not once per function).
    func prepared(for program: IRProgram) -> any FunctionPass
}

extension FunctionPass {
    public var readsOtherFunctions: Bool { false }
    public func prepared(for program: IRProgram) -> any FunctionPass { self }
}

/// The named, ordered pipeline of each optimization level and the hooks around it.
public struct PassManager {
    public static let allPasses: [any FunctionPass] = [
        PromoteSlots(), FoldConstants(), PropagateCopies(), EliminateDeadCode(), ThreadJumps(), SimplifyCFG(),
        EliminateCommonSubexpressions(), Inline(), ForwardSlotAddresses(), HoistInvariants(), CarryStoredElements(), EliminateBoundsChecks(), VersionLoops(), UnrollLoops(), TailCallsToLoops(),
    ]

    /// Pass names in order for `-O level` (0 runs none: the naive IR as lowered).
    public static func pipeline(forLevel level: Int) -> [String] {
        let cleanup = ["fold-constants", "copy-prop", "dce", "thread-jumps", "simplify-cfg"]
        switch level {
        case ..<1: return []
        case 1: return ["promote-slots"] + cleanup + ["tail-calls"]
        default:
            return ["promote-slots"] + cleanup + ["tail-calls", "inline", "slot-addresses", "dce", "promote-slots"] + cleanup
                + ["cse", "licm", "cse", "carry-stores", "bce", "loop-versioning", "cse"] + cleanup + ["unroll", "simplify-cfg"]
        }
    }

    public static func pass(named name: String) -> (any FunctionPass)? {
        allPasses.first { $0.name == name }
    }

    public var pipeline: [String]
    public var disabled: Set<String> = []
    public var verifyEachPass = false
    /// Runs the functions of a pass that reads no other function's body (ZongSyntax's
    /// TaskRunner: the driver spreads them over the cores); the result is the same either way.
    public var tasks: TaskRunner = runSequentially
    /// Called after each pass that ran with its name and the program as it left the pass.
    public var afterPass: ((String, IRProgram) -> Void)?
    /// Seconds spent in each pass, summed over its runs, in pipeline order of first run.
    public private(set) var timings: [(name: String, seconds: Double)] = []

    public init(level: Int) {
        pipeline = Self.pipeline(forLevel: level)
    }

    public init(pipeline: [String]) {
        self.pipeline = pipeline
    }

    /// Function indices with every callee before its callers (depth-first post-order of the
    /// call graph; a recursive cycle is broken where the search re-enters it), so a caller
    /// inlines callees that are already optimized.
    static func calleesFirst(_ program: IRProgram) -> [Int] {
        var state = [UInt8](repeating: 0, count: program.functions.count)  // 0 new, 1 open, 2 done
        var order: [Int] = []
        for root in program.functions.indices where state[root] == 0 {
            var stack: [(function: Int, callees: [Int], next: Int)] = []
            func open(_ i: Int) {
                state[i] = 1
                var callees: [Int] = []
                for b in program.functions[i].blocks {
                    for inst in b.instructions {
                        if case .call(let id, _) = inst.op, id.index < program.functions.count { callees.append(id.index) }
                    }
                }
                stack.append((i, callees, 0))
            }
            open(root)
            while let top = stack.last {
                if top.next < top.callees.count {
                    stack[stack.count - 1].next += 1
                    let c = top.callees[top.next]
                    if state[c] == 0 { open(c) }
                } else {
                    state[top.function] = 2
                    order.append(top.function)
                    stack.removeLast()
                }
            }
        }
        return order
    }

    /// Runs a pass that reads no other function's body on every function at once, each changed
    /// where it is (the program it sees holds the functions' signatures only, so no body has a
    /// second reference that would make the pass copy it).
    func runInPlace(_ pass: any FunctionPass, _ program: inout IRProgram) {
        var bodies = program.functions
        program.functions = []
        let shell = IRProgram(fileName: program.fileName, functions: bodies.map(\.signature), externs: program.externs,
                              strings: program.strings, entry: program.entry)
        bodies.withUnsafeMutableBufferPointer { functions in
            tasks(functions.count) { pass.run(&functions[$0], in: shell) }
        }
        program.functions = bodies
    }

    /// Names in `names` that are not passes (for a located command-line error).
    public static func unknown(_ names: [String]) -> [String] {
        names.filter { pass(named: $0) == nil }
    }

    /// Runs the pipeline. Returns the verifier's problems (with the pass that caused them)
    /// when `verifyEachPass` is on and a pass broke the IR, and stops there: the program is as
    /// that pass left it. (No copy of the program is kept: one that shares the functions would
    /// make every pass copy what it changes.)
    public mutating func run(_ program: inout IRProgram) -> [String] {
        timings = []
        var seconds: [String: Double] = [:]
        var order: [String] = []
        for name in pipeline where !disabled.contains(name) {
            guard let named = Self.pass(named: name) else { continue }
            let start = DispatchTime.now().uptimeNanoseconds
            let pass = named.prepared(for: program)
            if pass.readsOtherFunctions {
                for i in Self.calleesFirst(program) {
                    // Taken out while it changes (no second reference to copy its body for);
                    // the program meanwhile holds its signature, which no pass inlines.
                    var f = program.functions[i]
                    program.functions[i] = f.signature
                    pass.run(&f, in: program)
                    program.functions[i] = f
                }
            } else {
                runInPlace(pass, &program)
            }
            if seconds[name] == nil { order.append(name) }
            seconds[name, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if verifyEachPass {
                let problems = IRVerifier.verify(program)
                if !problems.isEmpty { return problems.map { "after \(name): \($0)" } }
            }
            afterPass?(name, program)
        }
        timings = order.map { ($0, seconds[$0] ?? 0) }
        return []
    }
}
