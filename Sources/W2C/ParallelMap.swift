import Dispatch

/// `(0..<count).map(transform)`, with the calls spread over all cores. `transform` must only
/// read what it shares with other calls; each result goes to its own slot, so the order of the
/// results is that of the indices.
func parallelMap<T>(count: Int, _ transform: (Int) -> T) -> [T] {
    var results: [T?] = Array(repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { slots in
        guard let first = slots.baseAddress else { return }
        withoutActuallyEscaping(transform) { transform in
            let shared = UncheckedSendable((first, transform))
            DispatchQueue.concurrentPerform(iterations: count) { i in
                let (first, transform) = shared.value
                (first + i).pointee = transform(i)
            }
        }
    }
    return results.compactMap { $0 }
}

/// Hands values to worker threads that only read them (or write disjoint slots).
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
