import Foundation
import ZongSema
import ZongSyntax

/// The front end as one step: source text to a checked program or the diagnostics of the
/// first failing phase (LANGUAGE.md §1).
public struct FrontEndResult {
    public var file: SourceFile
    public var program: TypedProgram?
    public var diagnostics: [Diagnostic]
    public var parseSeconds: Double
    public var checkSeconds: Double
    /// Warnings of a program without errors (`Warnings.find`), before any `-W` option.
    public var warnings: [Diagnostic] = []
}

public enum FrontEnd {
    /// Parses and checks on a thread with a large stack, so that input nested up to the
    /// parser's limit can never overflow the compiler's own stack.
    /// - Parameters:
    ///   - keepTrees: never free the syntax and typed trees (see `keepUntilExit`).
    ///   - errorLimit: lexing and parsing stop after this many errors (0: never), see
    ///     `DiagnosticOutput.errorLimit`.
    ///   - linkingRuntime: also reject externs the runtime cannot link (`RuntimeLinking`).
    ///   - rewrite: applied to the tree when it parsed without errors, before checking.
    public static func run(_ file: SourceFile, form: SourceForm = .program, keepTrees: Bool = false,
                           errorLimit: Int = 0, linkingRuntime: Bool = true, rewrite: (@Sendable (ProgramSyntax) -> ProgramSyntax)? = nil) -> FrontEndResult {
        onLargeStack {
            let t0 = Date()
            var parsed = parseProgram(file, form: form, errorLimit: errorLimit)
            if let rewrite, parsed.diagnostics.isEmpty { parsed.program = rewrite(parsed.program) }
            if keepTrees { keepUntilExit(parsed) }
            let t1 = Date()
            let syntaxErrors = SyntaxHints.explain(parsed.diagnostics, in: file)
            // After parse errors the statements that parsed are still checked, so one run
            // reports both phases; errors the failed statements could explain are dropped.
            let checked = check(parsed.program, file: file, tasks: runOnLargeStacks)
            if keepTrees { keepUntilExit(checked) }
            var semantic = checked.diagnostics
            if !syntaxErrors.isEmpty { semantic = CascadeFilter.independent(semantic, of: syntaxErrors, in: parsed.program, file: file) }
            semantic = SemanticHints.explain(semantic, in: parsed.program, file: file)
            if linkingRuntime, syntaxErrors.isEmpty, let program = checked.program { semantic += RuntimeLinking.problems(program) }
            let all = syntaxErrors + semantic
            let program = syntaxErrors.isEmpty && semantic.isEmpty ? checked.program : nil
            let warnings = program.map { Warnings.find($0, syntax: parsed.program) } ?? []
            return FrontEndResult(file: file, program: program,
                                  diagnostics: syntaxErrors.isEmpty ? all : inSourceOrder(all),
                                  parseSeconds: t1.timeIntervalSince(t0), checkSeconds: Date().timeIntervalSince(t1),
                                  warnings: warnings)
        }
    }
}

/// Stable: at one position, the order given (syntax before semantic) stays.
func inSourceOrder(_ list: [Diagnostic]) -> [Diagnostic] {
    list.enumerated().sorted { ($0.element.span.start, $0.offset) < ($1.element.span.start, $1.offset) }.map(\.element)
}

/// Leaks `value` on purpose. A compiler process exits right after its compilation, and freeing
/// a large program's trees node by node is pure overhead on the critical path (the 100k-line
/// program's trees took ~13% of all instructions to free); clang's `-disable-free` does the same.
func keepUntilExit<T>(_ value: T) {
    _ = Unmanaged.passRetained(KeptValue(value))
}

private final class KeptValue<T> {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Runs `body` on a thread with a 512 MiB stack and waits for its result.
func onLargeStack<T>(_ body: @escaping () -> T) -> T {
    let box = ResultBox<T>(body)
    let thread = Thread {
        CrashHandler.prepareThread()
        box.value = box.body()
        box.done.signal()
    }
    thread.stackSize = 512 << 20
    thread.start()
    box.done.wait()
    guard let value = box.value else { preconditionFailure("internal error: large-stack task produced no value") }
    return value
}

/// Spreads independent tasks over the machine's cores (ZongSyntax's `TaskRunner`): the calling
/// thread and one helper per extra core, each helper with the front end's large stack, take the
/// next task until none is left (the calling thread keeps its own stack: the front end's for
/// checking, the main thread's for encoding, as before). Fewer than 16 tasks (hello
/// world's 11 functions) run on the calling thread alone: starting a thread costs more.
func runOnLargeStacks(count: Int, task: (Int) -> Void) {
    let helpers = min(ProcessInfo.processInfo.activeProcessorCount, 8) - 1
    guard helpers > 0, count >= 16 else {
        for i in 0..<count { task(i) }
        return
    }
    withoutActuallyEscaping(task) { task in
        let queue = TaskQueue(count: count, task: task)
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<helpers {
            let thread = Thread {
                CrashHandler.prepareThread()
                queue.drain()
                finished.signal()
            }
            thread.stackSize = 512 << 20
            thread.start()
        }
        queue.drain()
        for _ in 0..<helpers { finished.wait() }
        // The helpers' Thread objects may outlive this call; `task` must not.
        queue.finish()
    }
}

/// Spreads independent tasks over the cores with Dispatch's thread pool: no thread to start,
/// for work run many times over (each IR pass over the functions), on the pool's own stacks.
func runOnThreadPool(count: Int, task: (Int) -> Void) {
    guard count > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else {
        for i in 0..<count { task(i) }
        return
    }
    withoutActuallyEscaping(task) { task in
        let shared = UncheckedSendableTask(task)
        DispatchQueue.concurrentPerform(iterations: count) { shared.task($0) }
    }
}

/// Hands the task to the pool's threads, which only call it (`runOnThreadPool`).
private struct UncheckedSendableTask: @unchecked Sendable {
    let task: (Int) -> Void
    init(_ task: @escaping (Int) -> Void) { self.task = task }
}

/// The next task index, shared by the threads of `runOnLargeStacks`; `task` only reads what
/// it shares and writes results of its own index.
private final class TaskQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    private var task: ((Int) -> Void)?

    init(count: Int, task: @escaping (Int) -> Void) {
        self.count = count
        self.task = task
    }

    func drain() {
        while true {
            lock.lock()
            let i = next
            next += 1
            let task = self.task
            lock.unlock()
            guard i < count, let task else { return }
            task(i)
        }
    }

    /// Drops the task once every thread has stopped taking tasks.
    func finish() {
        lock.lock()
        task = nil
        lock.unlock()
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    let body: () -> T
    var value: T?
    init(_ body: @escaping () -> T) { self.body = body }
    let done = DispatchSemaphore(value: 0)
}
