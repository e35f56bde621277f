import ZongSema
import ZongSyntax

extension FunctionLowering {
    /// The address an lvalue designates (`.local`, `.field`, `.index`, `.dereference`); for
    /// any other expression, where its evaluated value was put.
    mutating func place(_ e: TExpr) -> Address {
        switch e.kind {
        case .local(let local):
            return .slot(slot(for: local), offset: 0)
        case .field(let base, let index):
            guard case .structure(let name) = base.type else { return aggregateAddress(base) }
            return aggregateAddress(base).adding(layout.fieldOffset(name, index))
        case .dereference(let pointer):
            let p = lower(pointer).value ?? b.constant(.ptr, 0)
            return .memory(p, offset: 0, region: .any)
        case .index(let base, let index):
            return element(base, index, e)
        default:
            let v = lower(e)
            if case .aggregate(let a) = v { return a }
            let temp = temporary(e.type, "tmp")
            if let r = v.value { storeScalar(e.type, r, to: .slot(temp, offset: 0)) }
            return .slot(temp, offset: 0)
        }
    }

    /// `s[i]`: the base's place, then the index, then the header's current items and length.
    mutating func element(_ base: TExpr, _ index: TExpr, _ e: TExpr) -> Address {
        let header = aggregateAddress(base)
        let i = lower(index).value ?? b.constant(.i64, 0)
        locate(e.span)
        let length = loadLeaf(header, DataLayout.lengthOffset, .i64)
        b.effect(.check(.index, [i, length]))
        let items = loadLeaf(header, DataLayout.itemsOffset, .ptr)
        let address = b.value(.elementAddress(items, i, scale: layout.size(e.type)), .ptr)
        return .memory(address, offset: 0, region: .elements)
    }

    /// `x&`: an lvalue's address, or a temporary holding any other value (valid until the
    /// function returns).
    mutating func addressOf(_ x: TExpr) -> Value {
        switch x.kind {
        case .local, .field, .dereference, .index:
            return materialize(place(x))
        default:
            let v = lower(x)
            let temp = temporary(x.type, "tmp")
            store(x.type, v, to: .slot(temp, offset: 0))
            return b.value(.slotAddress(temp), .ptr)
        }
    }

    /// An address as a pointer register.
    mutating func materialize(_ a: Address) -> Value {
        switch a {
        case .slot(let s, let offset):
            let base = b.value(.slotAddress(s), .ptr)
            return offset == 0 ? base : b.value(.offset(base, offset), .ptr)
        case .memory(let v, let offset, _):
            return offset == 0 ? v : b.value(.offset(v, offset), .ptr)
        }
    }
}
