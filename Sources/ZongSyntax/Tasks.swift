/// Runs `count` independent tasks, perhaps several at once on other threads, and returns when
/// all are done. Each task writes only its own results; the caller decides the threads (and
/// their stack size: checking and code generation recurse as deep as the parser allows).
/// The passes that take one give the same result whatever it runs the tasks on.
public typealias TaskRunner = (_ count: Int, _ task: (Int) -> Void) -> Void

/// Runs the tasks one after another on the calling thread.
public func runSequentially(count: Int, task: (Int) -> Void) {
    for i in 0..<count { task(i) }
}

/// `(0..<count).map(body)`, the calls run by `tasks`: each result goes to its own slot.
public func mapTasks<T>(_ count: Int, _ tasks: TaskRunner, _ body: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    withoutActuallyEscaping(body) { body in
        results.withUnsafeMutableBufferPointer { slots in
            tasks(count) { slots[$0] = body($0) }
        }
    }
    return results.compactMap { $0 }  // every task runs: one result per index
}
