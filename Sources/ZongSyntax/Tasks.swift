/// Runs `count` independent tasks, perhaps several at once on other threads, and returns when
/// all are done. Each task writes only its own results; the caller decides the threads (and
/// their stack size: checking and code generation recurse as deep as the parser allows).
/// The front end's passes take one and give the same result whatever it runs the tasks on.
public typealias TaskRunner = (_ count: Int, _ task: (Int) -> Void) -> Void

/// Runs the tasks one after another on the calling thread.
public func runSequentially(count: Int, task: (Int) -> Void) {
    for i in 0..<count { task(i) }
}
