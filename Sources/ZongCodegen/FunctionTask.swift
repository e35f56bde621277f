import Wasm
import ZongSema
import ZongSyntax

/// One user function's generation, a task that may run on any thread beside the others
/// (ModuleGenerator.generate). The task shares nothing it writes: what would be shared is
/// requested here and settled by `ModuleGenerator.link` after every task is done, in function
/// order, so the module is the one a single thread would make.
/// - Static data (panic sites, messages, string literals): requested in order, its addresses
///   written over placeholder `i32.const 0`s whose places the function's builder records.
/// - A short clone (CountdownClone.swift): generated with a provisional index, unique to this
///   task, past every user function and at or above its final index; `link` renumbers the
///   calls to it, which only the function and the clone itself make.
final class FunctionTask {
    enum DataItem: Hashable {
        /// Bytes stored once (string literals, panic messages).
        case bytes([UInt8])
        /// A length-prefixed record (panic locations; StaticData.record).
        case record(String)
    }

    let function: FunctionDef
    /// The index the short clone gets until `link` gives it its final one.
    let provisionalCloneIndex: UInt32
    private(set) var data: [DataItem] = []

    /// Set by the generators of this task.
    var clone: GeneratedFunction?
    var cloneRecursion: BoundedRecursion?

    init(function: FunctionDef, provisionalCloneIndex: UInt32) {
        self.function = function
        self.provisionalCloneIndex = provisionalCloneIndex
    }

    /// The index in `data` of a new request (requests are never merged here: `link` interns).
    func request(_ item: DataItem) -> Int {
        data.append(item)
        return data.count - 1
    }
}

/// A generated function whose static-data addresses are still placeholders.
struct GeneratedFunction {
    var function: Function
    /// Per placeholder: its instruction's index in the body, and the task's data request.
    var dataUses: [(instruction: Int, request: Int)]

    /// Writes the addresses in, and renumbers calls from one function index to another.
    func linked(addresses: [Int32], renumbering: (from: UInt32, to: UInt32)?) -> Function {
        var result = function
        for (i, request) in dataUses { result.body[i] = .i32Const(addresses[request]) }
        if let (from, to) = renumbering, from != to {
            for i in result.body.indices {
                if case .call(from) = result.body[i] { result.body[i] = .call(to) }
            }
        }
        return result
    }
}

extension FunctionGenerator {
    /// Pushes the address of the record naming `span`'s source position (the panic functions'
    /// last argument).
    func pushSite(_ span: SourceSpan) {
        f.emitAddress(of: task.request(site(span)))
    }

    /// The record of `span`'s source position: `file:line:column`.
    func site(_ span: SourceSpan) -> FunctionTask.DataItem {
        // Library code has no place in the user's file: name the library function instead.
        if function.isLibrary { return .record("\(function.name) (standard library)") }
        let loc = g.program.file.location(of: span.start)
        return .record("\(g.fileName):\(loc.line):\(loc.column)")
    }

    /// Pushes the address and length of `bytes` in static data.
    func pushStatic(_ bytes: [UInt8]) {
        f.emitAddress(of: task.request(.bytes(bytes)))
        f.emit(.i32Const(Int32(bytes.count)))
    }

    /// Calls the panic function with `message` at `span`; nothing follows it.
    func emitPanic(_ message: String, _ span: SourceSpan) {
        pushStatic(Array(message.utf8))
        pushSite(span)
        f.emit([.call(g.builtin(.panic)), .unreachable])
    }
}
