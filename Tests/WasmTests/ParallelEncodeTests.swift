import Dispatch
import Testing
@testable import Wasm

/// Function bodies may be encoded at once on several threads; the module's bytes and the
/// marks' offsets must be those of one thread.
@Suite struct ParallelEncodeTests {
    private final class Shared: @unchecked Sendable {
        let task: (Int) -> Void
        init(_ task: @escaping (Int) -> Void) { self.task = task }
    }

    static func concurrent(count: Int, task: (Int) -> Void) {
        withoutActuallyEscaping(task) { task in
            let shared = Shared(task)
            DispatchQueue.concurrentPerform(iterations: count) { shared.task($0) }
        }
    }

    @Test func sameBytesAndMarks() {
        var m = WasmModule()
        m.functions = (0..<300).map { i in
            var body: [Instruction] = []
            for k in 0..<(i % 17 + 1) {
                body += [.localGet(0), .i64Const(Int64(k * i)), .numeric(.i64Add), .localSet(0)]
            }
            body += [.localGet(0)]
            let marks = stride(from: 0, to: body.count, by: 4).map { SourceMark(instruction: $0, file: 0, line: i + $0, column: 1) }
            return Function(name: "f\(i)", type: FunctionType([.i64], [.i64]), localNames: [0: "x\(i)"], body: body, marks: marks)
        }
        m.lineTableName = "zong.lines"
        m.lineTableFiles = ["t.zong"]
        let sequential = m.encodeWithMarks()
        #expect(sequential.marks.count > 600)
        for _ in 0..<3 {
            let parallel = m.encodeWithMarks(tasks: Self.concurrent)
            #expect(parallel.bytes == sequential.bytes)
            #expect(parallel.marks.map(\.offset) == sequential.marks.map(\.offset))
        }
    }
}
