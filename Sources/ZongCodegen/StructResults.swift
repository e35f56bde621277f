import Wasm
import ZongSema

/// A function whose result is a small struct of scalar fields returns its first field as the
/// WASM result and the others in "result register" globals, which the caller reads right after
/// the call, instead of storing the struct into a slot the caller passes. Globals are plain C
/// variables after W2C (no bounds check) that clang forwards once it inlines the callee.
/// (WASM multi-value would say it directly, but the module stays WebAssembly 1.0 plus
/// sign-extension and bulk memory, so every WASI runtime runs it.) Where the caller needs the
/// value in memory, it stores the fields into a fresh frame slot.
///
/// Nothing runs between the callee setting the globals and the caller reading them (the
/// callee sets them after evaluating every field, just before it returns), so recursion and
/// nested calls cannot clobber them.
extension ModuleGenerator {
    /// Structs of more fields than this are returned through memory.
    static let maxResultFields = 8

    /// The globals every function of the program needs, made before any is generated (they are
    /// generated at once): field k >= 1 of each struct returned as multiple values, by k, i32 first.
    func declareResultRegisters() {
        var needed = Set<Int>()  // 2k for an i32 field, 2k + 1 for an i64 one
        for f in program.functions {
            guard let fields = resultFields(f.returnType) else { continue }
            for k in fields.indices.dropFirst() { needed.insert(2 * k + (Layout.valueType(fields[k]) == .i64 ? 1 : 0)) }
        }
        for key in needed.sorted() {
            let type: ValueType = key % 2 == 1 ? .i64 : .i32
            resultRegisterIndex[key] = Globals.firstResultRegister + UInt32(resultRegisters.count)
            resultRegisters.append(Global(name: "zong.result\(key / 2).\(type == .i64 ? "i64" : "i32")", type: type, mutable: true, initial: 0))
        }
    }

    /// The global that carries field `k` (k >= 1) of a struct result, of WASM type `type`.
    /// (`declareResultRegisters` made every one a function uses; an index past the globals
    /// would make the module invalid rather than wrong.)
    func resultRegister(_ k: Int, _ type: ValueType) -> UInt32 {
        resultRegisterIndex[2 * k + (type == .i64 ? 1 : 0)] ?? Globals.firstResultRegister + UInt32(resultRegisters.count)
    }

    /// The field types of a struct result returned as multiple values, else nil.
    func resultFields(_ type: ZType) -> [ZType]? {
        guard case .structure(let name) = type, let def = program.structDef(name), !def.fields.isEmpty,
              def.fields.count <= Self.maxResultFields,
              def.fields.allSatisfy({ FunctionGenerator.isScalar($0.type) }) else { return nil }
        return def.fields.map(\.type)
    }
}

extension FunctionGenerator {
    /// True when `e` is a call whose struct result comes back as multiple values.
    func returnsFields(_ e: TExpr) -> Bool {
        guard case .call(.function, _, _) = e.kind else { return false }
        return g.resultFields(e.type) != nil
    }

    /// Emits the call `e` leaving its result fields on the stack, in field order.
    func callFields(_ e: TExpr) {
        guard case .call(let callee, let arguments, let indices) = e.kind else { return }
        call(callee, arguments, indices, e.type, keepFields: true)
    }

    /// Right after a call that returned a struct as fields: pushes the fields the result
    /// registers carry after the first (the WASM result).
    func readResultRegisters(_ type: ZType) {
        for (k, t) in (g.resultFields(type) ?? []).enumerated().dropFirst() {
            f.emit(.globalGet(g.resultRegister(k, Layout.valueType(t) ?? .i32)))
        }
    }

    /// With all fields of the function's struct result on the stack: moves every field but the
    /// first into the result registers, leaving the first as the WASM result.
    func setResultRegisters(_ type: ZType) {
        for (k, t) in (g.resultFields(type) ?? []).enumerated().dropFirst().reversed() {
            f.emit(.globalSet(g.resultRegister(k, Layout.valueType(t) ?? .i32)))
        }
    }

    /// With the fields of a `type` value on the stack: pops them into fresh locals, in field order.
    func popFields(_ type: ZType) -> [UInt32] {
        let locals = fieldTypes(type).map { temp(Layout.valueType($0) ?? .i32) }
        for l in locals.reversed() { f.emit(.localSet(l)) }
        return locals
    }

    /// With the fields of a `type` value on the stack: stores them in a fresh slot and pushes its
    /// address, for a consumer that needs the value in memory.
    func spillFields(_ type: ZType) {
        let locals = popFields(type)
        let offset = slot(layout.size(type))
        storeFields(type, locals, address: f.framePointer, offset: offset)
        pushSlotAddress(offset)
    }

    /// True when `e`'s fields can be pushed without building the struct in memory first: a
    /// register struct, a construction, or a call that returns fields.
    func producesFields(_ e: TExpr) -> Bool {
        guard g.resultFields(e.type) != nil else { return false }
        if case .construct = e.kind { return true }
        return returnsFields(e) || registerStruct(e) != nil
    }

    /// With a base address on the stack: stores `value`'s fields at base + offset. Every field
    /// is computed before any is stored, so `p*.v = V(x: p*.v.y, y: p*.v.x)` swaps.
    func storeProducedFields(offset: Int, value: TExpr) {
        let address = temp(.i32)
        f.emit(.localSet(address))
        pushFields(value)
        storeFields(value.type, popFields(value.type), address: address, offset: offset)
    }
}
