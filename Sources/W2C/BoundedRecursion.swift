import WasmParser
import WasmTypes

/// A function whose self-recursion a producer bounded by one of its parameters, from the
/// `zong.bounded-recursion` custom section (format and claim: `BoundedRecursion` in Wasm).
///
/// Such a function gets a second C definition, its bounded variant, whose calls to itself make
/// no stack check. Every other call to the function first asks whether the native stack has room
/// for the whole depth its argument allows (`ZRT_STACK_ROOM`) and takes the bounded variant if
/// so, the checked definition if not. The frame size is an estimate made to be generous; should
/// clang's frame still be larger, the stack's guard page stops the overrun and runtime-c's fault
/// handler reports `stack overflow` like the checks would.
struct RecursionBound {
    var parameter: Int
    var isSigned: Bool
    var bound: Int64
    var step: UInt64
    /// Read as 1 in the bounded variant (`BoundedRecursion.budgetLocal`).
    var budgetLocal: Int?
    /// Upper estimate of one activation's native frame, including whatever clang may inline.
    var frameBytes = 0
    /// The bounded variant's C name.
    var variantCName = ""

    /// The largest estimated frame that gets a variant: well inside the 64 KiB guard page below
    /// the stack, so that no frame can step over it.
    static let largestFrameBytes = 16 << 10

    /// Decodes the section's payload; a malformed section is ignored, as custom sections are.
    static func decode(_ payload: [UInt8]) -> [Int: RecursionBound] {
        var reader = PayloadReader(bytes: payload)
        guard let version = reader.u32(), version == 1 || version == 2, let count = reader.u32(), count <= payload.count else { return [:] }
        var bounds: [Int: RecursionBound] = [:]
        for _ in 0..<count {
            guard let function = reader.u32(), let parameter = reader.u32(),
                  let signed = reader.byte(), signed <= 1,
                  let bound = reader.signed(), let step = reader.unsigned(), step >= 1 else { return [:] }
            var budgetLocal: Int?
            if version == 2 {
                guard let b = reader.u32() else { return [:] }
                budgetLocal = b == 0 ? nil : b - 1
            }
            bounds[function] = RecursionBound(parameter: parameter, isSigned: signed == 1, bound: bound, step: step, budgetLocal: budgetLocal)
        }
        return reader.atEnd ? bounds : [:]
    }

    /// The C expression for how many activations may stack above one entered with `argument`
    /// (a C value of WASM type `type`) as the parameter.
    func callsDeep(_ argument: String, _ type: ValueType) -> String {
        let step = "UINT64_C(\(step))"
        if isSigned {
            let value = type == .i32 ? "(int64_t)(int32_t)\(argument)" : "(int64_t)\(argument)"
            let bound = bound == .min ? "INT64_MIN" : "INT64_C(\(bound))"
            return "zrt_calls_deep_signed(\(value), \(bound), \(step))"
        }
        let value = type == .i32 ? "(uint64_t)(uint32_t)\(argument)" : argument
        return "zrt_calls_deep_unsigned(\(value), UINT64_C(\(UInt64(bitPattern: bound))), \(step))"
    }
}

extension ModuleContext {
    /// Keeps the claimed bounds that W2C can act on: the function is defined and recursive, the
    /// parameter is an integer, and everything it calls other than itself lies on no cycle and
    /// calls directly, so its own frames are the only ones that pile up and the frame estimate
    /// can cover everything clang might inline into it.
    mutating func computeRecursionBounds(calls: [[Int]], callsIndirect: [Bool]) {
        for (f, claim) in info.recursionClaims.sorted(by: { $0.key < $1.key }) {
            guard f >= info.importCount, f < info.functionCount, needsStackCheck[f], let name = variantCNames[f],
                  let type = info.functionType(f), claim.parameter < type.parameters.count,
                  type.parameters[claim.parameter] == .i32 || type.parameters[claim.parameter] == .i64,
                  let frame = frameEstimate(f, calls: calls, callsIndirect: callsIndirect),
                  frame <= RecursionBound.largestFrameBytes else { continue }
            var bound = claim
            bound.frameBytes = frame
            bound.variantCName = name
            // A budget must be one of the function's own i32 locals, not a parameter.
            if let l = bound.budgetLocal {
                let locals = info.codes[f - info.importCount].locals
                let k = l - type.parameters.count
                if k < 0 || k >= locals.count || locals[k] != .i32 { bound.budgetLocal = nil }
            }
            recursionBounds[f] = bound
        }
    }

    /// 8 bytes per parameter, local and code byte (no instruction makes more than one value) of
    /// `f` and every function it reaches, plus room for saved registers and the return address;
    /// nil when it reaches a cycle other than `f`'s self-calls or an indirect call.
    private func frameEstimate(_ f: Int, calls: [[Int]], callsIndirect: [Bool]) -> Int? {
        var seen: Set<Int> = [f], work = [f], bytes = 128
        while let g = work.popLast() {
            if g < info.importCount { continue }
            if callsIndirect[g] { return nil }
            let code = info.codes[g - info.importCount]
            let parameters = info.functionType(g)?.parameters.count ?? 0
            bytes += 8 * (parameters + code.locals.count + code.expression.count)
            if bytes > RecursionBound.largestFrameBytes { return nil }
            for h in calls[g] where seen.insert(h).inserted {
                if needsStackCheck[h] { return nil }
                work.append(h)
            }
        }
        return bytes
    }
}

extension FunctionWriter {
    /// The C call of function `f` with `args`. A function with a bounded variant is called
    /// through a room test that picks the variant or the checked definition; the variant
    /// calls itself directly.
    func callText(_ f: Int, _ args: [String], _ type: FunctionType) -> String {
        let list = args.joined(separator: ", ")
        guard let bound = ctx.recursionBounds[f] else { return "\(ctx.functionCNames[f])(\(list))" }
        if boundedVariant && f == index { return "\(bound.variantCName)(\(list))" }
        let deeper = bound.callsDeep(args[bound.parameter], type.parameters[bound.parameter])
        let room = "ZRT_STACK_ROOM(\(deeper), \(bound.frameBytes)u)"
        return "(\(room) ? \(bound.variantCName)(\(list)) : \(ctx.functionCNames[f])(\(list)))"
    }
}
