import WasmParser

/// One bounds check for several accesses from the same base (W2C_DESIGN.md §7.2, item 6).
///
/// After a checked access from the address in local `base`, a later access from the same local
/// with a larger `offset + size` needs its own check. Inside a window in which nothing
/// observable can happen (no store, call, global write, trap or control flow: only locals,
/// constants, non-trapping arithmetic and loads), the first check may cover the largest extent
/// instead: when a later access would be out of bounds, trapping at the first access instead
/// is indistinguishable, since nothing between them had an effect. A placeholder line before
/// the first access receives the widened check; that access keeps its own (now redundant,
/// which clang folds away), and the later ones are written unchecked. A window with a single
/// access leaves the output as it was.
struct CheckWindow {
    /// The local holding the address.
    var base: Int
    /// The line before the first access that receives the widened check.
    var placeholder: Int
    /// The largest `offset + size` the check covers.
    var extent: UInt64
    /// The trap arguments of the first access (function index, location).
    var site: String
}

extension FunctionWriter {
    /// Whether `instruction` can run inside a check window: it has no effect that a trap before
    /// it would hide, and cannot trap itself (a load checks its own window or ends it).
    static func keepsCheckWindow(_ instruction: Instruction) -> Bool {
        switch instruction {
        case .nop, .drop, .select, .typedSelect, .localGet, .localSet, .localTee, .globalGet,
             .i32Const, .i64Const, .f32Const, .f64Const, .load, .i32Eqz, .i64Eqz, .cmp, .unary:
            return true
        case .binary(let op):
            switch op {
            case .i32DivS, .i32DivU, .i32RemS, .i32RemU, .i64DivS, .i64DivU, .i64RemS, .i64RemU: return false
            default: return true
            }
        case .conversion(let op):
            switch op {
            case .i32WrapI64, .i64ExtendI32S, .i64ExtendI32U: return true
            default: return false
            }
        default:
            return false
        }
    }

    /// An access of extent `extent` from local `base`, not covered by an earlier check: true
    /// when the open window's check now covers it (widened if needed).
    mutating func coveredByCheckWindow(base: Int, extent: UInt64) -> Bool {
        guard var window = checkWindow, window.base == base, !dead else { return false }
        if extent > window.extent {
            window.extent = extent
            body.fill(window.placeholder, body.indentation
                + "ZRT_CHECK(ms, (uint64_t)\(localCNames[base]), UINT64_C(\(extent)), \(window.site));")
            checkWindow = window
        }
        return true
    }

    /// A checked access of extent `extent` from local `base` is about to be written: a window
    /// opens at it.
    mutating func openCheckWindow(base: Int, extent: UInt64) {
        guard !dead else { checkWindow = nil; return }
        checkWindow = CheckWindow(base: base, placeholder: body.placeholder(), extent: extent, site: "\(index), \(loc)")
    }
}
