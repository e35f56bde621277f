import Wasm
import ZongSema

/// A struct variable lives in the tstack frame, so each field read or write is a bounds-checked
/// access to linear memory that clang must keep. A local struct variable of scalar fields whose
/// address (or a field's) is never taken is kept in WASM locals instead, one per field — the C
/// then has plain locals clang keeps in registers. It is spilled to a fresh frame slot only where
/// an address is needed (passing it, returning it, copying it into memory).
extension FunctionGenerator {
    /// The WASM locals of `v`'s fields when `v` is kept in registers, allocating them at first
    /// sight (its declaration); nil when `v` lives in memory.
    func registerFields(_ v: LocalVar) -> [UInt32]? {
        if let locals = fieldLocals[v] { return locals }
        guard !v.isParameter, !v.isAddressTaken, !memoryRoots.addressed.contains(v),
              case .structure(let name) = v.type, let def = g.program.structDef(name),
              !def.fields.isEmpty, def.fields.allSatisfy({ Self.isScalar($0.type) }) else { return nil }
        let locals = def.fields.map { f.addLocal(Layout.valueType($0.type) ?? .i32, name: "\(v.name).\($0.name)") }
        fieldLocals[v] = locals
        return locals
    }

    /// `v` if `e` is a register struct variable.
    func registerStruct(_ e: TExpr) -> (LocalVar, [UInt32])? {
        guard case .local(let v) = e.kind, case .structure = v.type, let locals = registerFields(v) else { return nil }
        return (v, locals)
    }

    static func isScalar(_ t: ZType) -> Bool {
        switch t {
        case .integer, .boolean, .pointer: true
        default: false
        }
    }

    /// The field types of a struct type, in field order (empty for any other type).
    func fieldTypes(_ type: ZType) -> [ZType] {
        guard case .structure(let name) = type, let def = g.program.structDef(name) else { return [] }
        return def.fields.map(\.type)
    }

    /// Copies the register struct into a fresh frame slot; returns the slot's offset.
    func spill(_ v: LocalVar, _ locals: [UInt32]) -> Int {
        let offset = slot(layout.size(v.type))
        storeFields(v.type, locals, address: f.framePointer, offset: offset)
        return offset
    }

    /// Stores the fields of a `type` value held in `locals` at the address in local `address`
    /// plus `offset`.
    func storeFields(_ type: ZType, _ locals: [UInt32], address: UInt32, offset: Int = 0) {
        guard case .structure(let name) = type else { return }
        for (k, t) in fieldTypes(type).enumerated() {
            f.emit([.localGet(address), .localGet(locals[k]), Layout.store(t, offset: offset + layout.fieldOffset(name, k))])
        }
    }

    /// `v = value` (or `var v: S = value`) for a register struct: every field value is computed
    /// (pushed) before any is set, so `v = S(x: v.y, y: v.x)` swaps.
    func assignRegisterStruct(_ v: LocalVar, _ locals: [UInt32], _ value: TExpr) {
        pushFields(value)
        for l in locals.reversed() { f.emit(.localSet(l)) }
    }

    func zeroRegisterStruct(_ v: LocalVar, _ locals: [UInt32]) {
        for (k, type) in fieldTypes(v.type).enumerated() {
            f.emit([Layout.valueType(type) == .i64 ? .i64Const(0) : .i32Const(0), .localSet(locals[k])])
        }
    }
}

/// Struct parameters of scalar fields whose address the callee never takes are passed as one
/// WASM parameter per field, and the callee keeps them as a register struct: no copy in memory
/// on either side of the call.
extension ModuleGenerator {
    /// The field types of parameter `p` when it is passed field by field (`roots`: its
    /// function's), else nil.
    func flattenedFields(_ p: LocalVar, _ roots: MemoryRoots) -> [ZType]? {
        guard case .structure(let name) = p.type, let def = program.structDef(name), !def.fields.isEmpty,
              def.fields.allSatisfy({ FunctionGenerator.isScalar($0.type) }), !p.isAddressTaken,
              !roots.addressed.contains(p) else { return nil }
        return def.fields.map(\.type)
    }

    func flattenedFields(_ p: LocalVar, of f: FunctionDef) -> [ZType]? {
        flattenedFields(p, memoryRoots[ObjectIdentifier(f)] ?? MemoryRoots(f.body))
    }
}

extension FunctionGenerator {
    /// Pushes the fields of the struct value `a` (a register struct, or any struct expression).
    func pushFields(_ a: TExpr) {
        if returnsFields(a) {
            callFields(a)
            return
        }
        if let (_, locals) = registerStruct(a) {
            for l in locals { f.emit(.localGet(l)) }
            return
        }
        if case .construct(_, let fields) = a.kind {
            // Fields are evaluated in source order but pushed in field order.
            var staged = [UInt32](repeating: 0, count: fields.count)
            for field in fields {
                expression(field.value)
                staged[field.index] = temp(Layout.valueType(field.value.type) ?? .i32)
                f.emit(.localSet(staged[field.index]))
            }
            for t in staged { f.emit(.localGet(t)) }
            return
        }
        guard case .structure(let name) = a.type else { return }
        let base = temp(.i32)
        expression(a)
        f.emit(.localSet(base))
        for (k, t) in fieldTypes(a.type).enumerated() {
            f.emit([.localGet(base), Layout.load(t, offset: layout.fieldOffset(name, k))])
        }
    }
}
