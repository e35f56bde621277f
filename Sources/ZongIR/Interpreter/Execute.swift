extension IRInterpreter {
    /// One instruction's effect and result (0 when it has none).
    mutating func execute(_ inst: Instruction, _ f: IRFunction, _ frame: inout Frame) throws -> UInt64 {
        func reg(_ v: Value) -> UInt64 { frame.registers[v.id] }
        func address(_ a: Address) -> Int {
            switch a {
            case .slot(let s, let o): frame.slotBase[s.index] + o
            case .memory(let v, let o, _): Int(UInt32(truncatingIfNeeded: reg(v))) + o
            }
        }
        let at = inst.location
        switch inst.op {
        case .constant(_, let bits): return bits
        case .binary(let op, let t, let a, let b): return try Self.binary(op, t, reg(a), reg(b), at)
        case .compare(let op, let t, let a, let b): return Self.compare(op, t, reg(a), reg(b)) ? 1 : 0
        case .cast(let op, let a): return Self.cast(op, reg(a))
        case .not(let a): return reg(a) == 0 ? 1 : 0
        case .select(let c, let a, let b): return reg(c) != 0 ? reg(a) : reg(b)
        case .slotAddress(let s): return UInt64(frame.slotBase[s.index])
        case .offset(let a, let k): return UInt64(UInt32(truncatingIfNeeded: reg(a) &+ UInt64(bitPattern: Int64(k))))
        case .elementAddress(let a, let i, let scale):
            return UInt64(UInt32(truncatingIfNeeded: reg(a) &+ reg(i) &* UInt64(scale)))
        case .load(let t, let w, let a):
            let v = try read(address(a), w, at)
            return Self.fit(v, t)
        case .store(let w, let a, let v):
            try write(address(a), w, reg(v), at)
            return 0
        case .call(let id, let args):
            return try call(id, args.map(reg)) ?? 0
        case .callExtern(let e, _):
            throw Fault(message: "extern \(program.externs[e].module).\(program.externs[e].name) is not available to the IR interpreter", location: at)
        case .builtin(let op, let args):
            return try builtin(op, args.map(reg), at)
        case .check(.shiftCount, let args):
            guard let n = args.first else { return 0 }
            let negative = f.type(of: n) == .i64 ? Int64(bitPattern: reg(n)) < 0 : Int32(bitPattern: UInt32(truncatingIfNeeded: reg(n))) < 0
            if negative { throw Fault(message: "negative shift amount", location: at) }
            return 0
        case .check(let c, let args):
            try check(c, args.map(reg), at)
            return 0
        }
    }

    static func fit(_ v: UInt64, _ t: IRType) -> UInt64 {
        switch t {
        case .i64: v
        case .i1: v & 1
        default: v & 0xFFFF_FFFF
        }
    }

    static func binary(_ op: BinaryOp, _ t: IRType, _ a: UInt64, _ b: UInt64, _ at: Location) throws -> UInt64 {
        // WASM traps on a division by zero: reaching one means a pass moved it past the
        // `check divisor` that guards it, which the differential tests must see.
        if [.divS, .divU, .remS, .remU].contains(op), (t == .i64 ? b : b & 0xFFFF_FFFF) == 0 {
            throw Fault(message: "integer divide by zero trap (a division ran before its check)", location: at)
        }
        if t == .i64 { return binary64(op, a, b) }
        let x = UInt32(truncatingIfNeeded: a), y = UInt32(truncatingIfNeeded: b)
        let sx = Int32(bitPattern: x), sy = Int32(bitPattern: y)
        let r: UInt32
        switch op {
        case .add: r = x &+ y
        case .sub: r = x &- y
        case .mul: r = x &* y
        case .divS: r = y == 0 ? 0 : UInt32(bitPattern: sy == -1 ? 0 &- sx : sx / sy)
        case .divU: r = y == 0 ? 0 : x / y
        case .remS: r = y == 0 || sy == -1 ? 0 : UInt32(bitPattern: sx % sy)
        case .remU: r = y == 0 ? 0 : x % y
        case .and: r = x & y
        case .or: r = x | y
        case .xor: r = x ^ y
        case .shl: r = x << (y & 31)
        case .shrS: r = UInt32(bitPattern: sx >> Int32(y & 31))
        case .shrU: r = x >> (y & 31)
        }
        return UInt64(r)
    }

    static func binary64(_ op: BinaryOp, _ x: UInt64, _ y: UInt64) -> UInt64 {
        let sx = Int64(bitPattern: x), sy = Int64(bitPattern: y)
        switch op {
        case .add: return x &+ y
        case .sub: return x &- y
        case .mul: return x &* y
        case .divS: return y == 0 ? 0 : UInt64(bitPattern: sy == -1 ? 0 &- sx : sx / sy)
        case .divU: return y == 0 ? 0 : x / y
        case .remS: return y == 0 || sy == -1 ? 0 : UInt64(bitPattern: sx % sy)
        case .remU: return y == 0 ? 0 : x % y
        case .and: return x & y
        case .or: return x | y
        case .xor: return x ^ y
        case .shl: return x << (y & 63)
        case .shrS: return UInt64(bitPattern: sx >> Int64(y & 63))
        case .shrU: return x >> (y & 63)
        }
    }

    static func compare(_ op: CompareOp, _ t: IRType, _ a: UInt64, _ b: UInt64) -> Bool {
        let wide = t == .i64
        let sa = wide ? Int64(bitPattern: a) : Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: a)))
        let sb = wide ? Int64(bitPattern: b) : Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: b)))
        switch op {
        case .eq: return a == b
        case .ne: return a != b
        case .ltS: return sa < sb
        case .ltU: return a < b
        case .gtS: return sa > sb
        case .gtU: return a > b
        case .leS: return sa <= sb
        case .leU: return a <= b
        case .geS: return sa >= sb
        case .geU: return a >= b
        }
    }

    static func cast(_ op: CastOp, _ a: UInt64) -> UInt64 {
        let low = UInt32(truncatingIfNeeded: a)
        switch op {
        case .sext8: return UInt64(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: low))))
        case .sext16: return UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: low))))
        case .zext8: return UInt64(low & 0xFF)
        case .zext16: return UInt64(low & 0xFFFF)
        case .wrap, .ptrToI32: return UInt64(low)
        case .extendS: return UInt64(bitPattern: Int64(Int32(bitPattern: low)))
        case .extendU: return UInt64(low)
        case .boolToI32: return a & 1
        case .i32ToBool: return low != 0 ? 1 : 0
        }
    }

    mutating func check(_ c: Check, _ args: [UInt64], _ at: Location) throws {
        switch c {
        case .index:
            if args[0] >= args[1] {
                throw Fault(message: "index out of range [\(Int64(bitPattern: args[0]))] with length \(args[1])", location: at)
            }
        case .provenIndex:
            if args[0] >= args[1] { throw Fault(message: "unreachable executed (a proven index was out of range)", location: at) }
        case .sliceLength:
            if args[0] > args[1] { throw Fault(message: "slice length out of range", location: at) }
        case .divisor:
            if args[0] == 0 { throw Fault(message: "integer divide by zero", location: at) }
        case .shiftCount, .tstack:
            break
        }
    }

    mutating func builtin(_ op: BuiltinOp, _ args: [UInt64], _ at: Location) throws -> UInt64 {
        switch op {
        case .print(let bits, let signed):
            let v = args[0]
            let text: String
            if bits == 64 {
                text = signed ? String(Int64(bitPattern: v)) : String(v)
            } else {
                let low = UInt32(truncatingIfNeeded: v)
                text = signed ? String(Int32(bitPattern: low)) : String(low)
            }
            stdout += Array(text.utf8) + [10]
            return 0
        case .printBytes:
            let start = Int(UInt32(truncatingIfNeeded: args[0]))
            let count = Int(clamping: args[1])
            guard start + count <= memory.count else { throw Fault(message: "memory access out of bounds", location: at) }
            stdout += memory[start..<start + count]
            return 0
        case .readLine:
            var line: [UInt8] = []
            while inputPosition < stdin.count {
                line.append(stdin[inputPosition])
                inputPosition += 1
                if line.last == 10 { break }
            }
            let items = try allocate(line.count, at)
            memory.replaceSubrange(items..<items + line.count, with: line)
            let header = Int(UInt32(truncatingIfNeeded: args[0]))
            try write(header, MemoryWidth(bytes: 4, signed: false), UInt64(items), at)
            try write(header + 4, MemoryWidth(bytes: 4, signed: false), UInt64(line.count), at)
            try write(header + 8, MemoryWidth(bytes: 8, signed: false), UInt64(line.count), at)
            return 0
        case .grow(let size):
            let capacity = Int(UInt32(truncatingIfNeeded: args[3]))
            let length = Int(clamping: args[1])
            guard capacity > length else { throw Fault(message: "out of memory", location: at) }
            let items = try allocate(capacity * size, at)
            let old = Int(UInt32(truncatingIfNeeded: args[0]))
            let bytes = length * size
            if bytes > 0 { memory.replaceSubrange(items..<items + bytes, with: memory[old..<old + bytes]) }
            return UInt64(items)
        case .string(let index):
            let bytes = program.strings[index]
            let items = try allocate(bytes.count, at)
            memory.replaceSubrange(items..<items + bytes.count, with: bytes)
            return UInt64(items)
        }
    }
}
