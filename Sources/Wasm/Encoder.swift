/// WasmModule -> bytes, section by section in the order the spec requires.
/// > Note: https://webassembly.github.io/spec/core/binary/modules.html#binary-module
extension WasmModule {
    /// Runs `count` independent tasks, perhaps at once, and returns when all are done (the same
    /// shape as the front end's `TaskRunner`, which this module does not know).
    public typealias BodyTasks = (_ count: Int, _ task: (Int) -> Void) -> Void

    /// Runs the tasks one after another (the default).
    public static func inOrder(count: Int, task: (Int) -> Void) {
        for i in 0..<count { task(i) }
    }

    /// - Parameter tasks: encodes the function bodies, which are independent (a caller's thread
    ///   pool; the bytes are the same whatever runs them).
    public func encode(tasks: BodyTasks = inOrder) -> [UInt8] {
        encodeWithMarks(tasks: tasks).bytes
    }

    /// The module's bytes and, for every source mark of every function, the absolute offset in
    /// those bytes of the first byte of the marked instruction (sorted by offset).
    public func encodeWithMarks(tasks: BodyTasks = inOrder) -> (bytes: [UInt8], marks: [(offset: Int, mark: SourceMark)]) {
        var types: [FunctionType] = []
        var typeIndex: [FunctionType: Int] = [:]
        func index(of t: FunctionType) -> Int {
            if let i = typeIndex[t] { return i }
            typeIndex[t] = types.count
            types.append(t)
            return types.count - 1
        }
        let importTypes = imports.map { index(of: $0.type) }
        let functionTypes = functions.map { index(of: $0.type) }

        var out: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        section(1, &out) { s in
            vector(types, &s) { t, s in
                s.append(0x60)
                vector(t.parameters, &s) { v, o in o.append(v.rawValue) }
                vector(t.results, &s) { v, o in o.append(v.rawValue) }
            }
        }
        if !imports.isEmpty {
            section(2, &out) { s in
                vector(Array(imports.indices), &s) { i, s in
                    name(imports[i].module, &s)
                    name(imports[i].name, &s)
                    s.append(0x00)
                    LEB128.unsigned(UInt64(importTypes[i]), into: &s)
                }
            }
        }
        if !functions.isEmpty {
            section(3, &out) { s in vector(functionTypes, &s) { LEB128.unsigned(UInt64($0), into: &$1) } }
        }
        if let memory {
            section(5, &out) { s in
                s.append(1)
                if let max = memory.maximumPages {
                    s.append(1)
                    LEB128.unsigned(UInt64(memory.minimumPages), into: &s)
                    LEB128.unsigned(UInt64(max), into: &s)
                } else {
                    s.append(0)
                    LEB128.unsigned(UInt64(memory.minimumPages), into: &s)
                }
            }
        }
        if !globals.isEmpty {
            section(6, &out) { s in
                vector(globals, &s) { g, s in
                    s.append(g.type.rawValue)
                    s.append(g.mutable ? 1 : 0)
                    if g.type == .i64 {
                        s.append(0x42)
                        LEB128.signed(g.initial, into: &s)
                    } else {
                        s.append(0x41)
                        LEB128.signed(Int64(Int32(truncatingIfNeeded: g.initial)), into: &s)
                    }
                    s.append(0x0B)
                }
            }
        }
        if !exports.isEmpty {
            section(7, &out) { s in
                vector(exports, &s) { e, s in
                    name(e.name, &s)
                    s.append(e.kind.rawValue)
                    LEB128.unsigned(UInt64(e.index), into: &s)
                }
            }
        }
        // No data count section: it is required only by memory.init/data.drop, never emitted.
        var markOffsets: [(offset: Int, mark: SourceMark)] = []
        if !functions.isEmpty {
            // The code section's absolute position is needed for the line table.
            var body: [UInt8] = []
            LEB128.unsigned(UInt64(functions.count), into: &body)
            var bodyStarts: [(start: Int, offsets: [Int])] = []
            var encodedBodies = [(bytes: [UInt8], instructionOffsets: [Int])](repeating: ([], []), count: functions.count)
            encodedBodies.withUnsafeMutableBufferPointer { slots in
                tasks(functions.count) { slots[$0] = Self.encodeBody(functions[$0]) }
            }
            for encoded in encodedBodies {
                var size: [UInt8] = []
                LEB128.unsigned(UInt64(encoded.bytes.count), into: &size)
                body += size
                bodyStarts.append((body.count, encoded.instructionOffsets))
                body += encoded.bytes
            }
            out.append(10)
            LEB128.unsigned(UInt64(body.count), into: &out)
            let base = out.count
            out += body
            for (f, start) in zip(functions, bodyStarts) {
                for m in f.marks where m.instruction < start.offsets.count {
                    markOffsets.append((base + start.start + start.offsets[m.instruction], m))
                }
            }
        }
        if !data.isEmpty {
            section(11, &out) { s in
                vector(data, &s) { d, s in
                    s.append(0x00)
                    s.append(0x41)
                    LEB128.signed(Int64(Int32(bitPattern: d.offset)), into: &s)
                    s.append(0x0B)
                    LEB128.unsigned(UInt64(d.bytes.count), into: &s)
                    s += d.bytes
                }
            }
        }
        for c in customSections {
            custom(c.name, c.payload, &out)
        }
        if let lineTableName {
            custom(lineTableName, LineTable.encode(files: lineTableFiles, marks: markOffsets), &out)
        }
        custom("name", nameSection(), &out)
        return (out, markOffsets.sorted { $0.offset < $1.offset })
    }

    /// The standard `name` section: function names (subsection 1) and local names (2).
    /// > Note: https://webassembly.github.io/spec/core/appendix/custom.html#name-section
    private func nameSection() -> [UInt8] {
        var s: [UInt8] = []
        var functionNames: [UInt8] = []
        let all = imports.map(\.name) + functions.map(\.name)
        vector(Array(all.indices), &functionNames) { i, o in
            LEB128.unsigned(UInt64(i), into: &o)
            name(all[i], &o)
        }
        s.append(1)
        LEB128.unsigned(UInt64(functionNames.count), into: &s)
        s += functionNames
        var localNames: [UInt8] = []
        let named = functions.indices.filter { !functions[$0].localNames.isEmpty }
        if !named.isEmpty {
            vector(named, &localNames) { i, o in
                LEB128.unsigned(UInt64(imports.count + i), into: &o)
                let locals = functions[i].localNames.sorted { $0.key < $1.key }
                vector(locals, &o) { entry, o in
                    LEB128.unsigned(UInt64(entry.key), into: &o)
                    name(entry.value, &o)
                }
            }
            s.append(2)
            LEB128.unsigned(UInt64(localNames.count), into: &s)
            s += localNames
        }
        // Global names (subsection 7 of the extended name section, which wabt and WasmKit read),
        // so tools show `__stack_pointer` rather than a bare index.
        if !globals.isEmpty {
            var globalNames: [UInt8] = []
            vector(Array(globals.indices), &globalNames) { i, o in
                LEB128.unsigned(UInt64(i), into: &o)
                name(globals[i].name, &o)
            }
            s.append(7)
            LEB128.unsigned(UInt64(globalNames.count), into: &s)
            s += globalNames
        }
        return s
    }

    /// A function body (locals + code + `end`) and the offset of each instruction within it.
    static func encodeBody(_ f: Function) -> (bytes: [UInt8], instructionOffsets: [Int]) {
        var s: [UInt8] = []
        // Run-length encode the local types.
        var runs: [(count: Int, type: ValueType)] = []
        for t in f.locals {
            if let last = runs.last, last.type == t {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((1, t))
            }
        }
        vector(runs, &s) { r, s in
            LEB128.unsigned(UInt64(r.count), into: &s)
            s.append(r.type.rawValue)
        }
        var offsets: [Int] = []
        offsets.reserveCapacity(f.body.count)
        for instruction in f.body {
            offsets.append(s.count)
            InstructionEncoder.encode(instruction, into: &s)
        }
        s.append(0x0B)
        return (s, offsets)
    }
}

private func section(_ id: UInt8, _ out: inout [UInt8], _ fill: (inout [UInt8]) -> Void) {
    var payload: [UInt8] = []
    fill(&payload)
    out.append(id)
    LEB128.unsigned(UInt64(payload.count), into: &out)
    out += payload
}

private func custom(_ name: String, _ payload: [UInt8], _ out: inout [UInt8]) {
    section(0, &out) { s in
        Wasm.name(name, &s)
        s += payload
    }
}

func vector<T>(_ items: [T], _ out: inout [UInt8], _ each: (T, inout [UInt8]) -> Void) {
    LEB128.unsigned(UInt64(items.count), into: &out)
    for item in items { each(item, &out) }
}

func name(_ text: String, _ out: inout [UInt8]) {
    let bytes = Array(text.utf8)
    LEB128.unsigned(UInt64(bytes.count), into: &out)
    out += bytes
}

/// The `zong.lines`-style line table: u32 version (1); vec of file names; vec of entries, each
/// four u32 LEBs (absolute module offset of an instruction, file index, line, column), sorted
/// by offset. An entry applies from its instruction to the next entry.
public enum LineTable {
    public static func encode(files: [String], marks: [(offset: Int, mark: SourceMark)]) -> [UInt8] {
        var s: [UInt8] = []
        LEB128.unsigned(1, into: &s)
        vector(files, &s) { name($0, &$1) }
        let sorted = marks.sorted { $0.offset < $1.offset }
        vector(sorted, &s) { m, s in
            LEB128.unsigned(UInt64(m.offset), into: &s)
            LEB128.unsigned(UInt64(m.mark.file), into: &s)
            LEB128.unsigned(UInt64(m.mark.line), into: &s)
            LEB128.unsigned(UInt64(m.mark.column), into: &s)
        }
        return s
    }
}

enum InstructionEncoder {
    static func encode(_ i: Instruction, into s: inout [UInt8]) {
        switch i {
        case .unreachable: s.append(0x00)
        case .nop: s.append(0x01)
        case .block(let t): s.append(0x02); blockType(t, &s)
        case .loop(let t): s.append(0x03); blockType(t, &s)
        case .if(let t): s.append(0x04); blockType(t, &s)
        case .else: s.append(0x05)
        case .end: s.append(0x0B)
        case .br(let d): s.append(0x0C); LEB128.unsigned(UInt64(d), into: &s)
        case .brIf(let d): s.append(0x0D); LEB128.unsigned(UInt64(d), into: &s)
        case .brTable(let targets, let fallback):
            s.append(0x0E)
            vector(targets, &s) { LEB128.unsigned(UInt64($0), into: &$1) }
            LEB128.unsigned(UInt64(fallback), into: &s)
        case .return: s.append(0x0F)
        case .call(let f): s.append(0x10); LEB128.unsigned(UInt64(f), into: &s)
        case .drop: s.append(0x1A)
        case .select: s.append(0x1B)
        case .localGet(let x): s.append(0x20); LEB128.unsigned(UInt64(x), into: &s)
        case .localSet(let x): s.append(0x21); LEB128.unsigned(UInt64(x), into: &s)
        case .localTee(let x): s.append(0x22); LEB128.unsigned(UInt64(x), into: &s)
        case .globalGet(let x): s.append(0x23); LEB128.unsigned(UInt64(x), into: &s)
        case .globalSet(let x): s.append(0x24); LEB128.unsigned(UInt64(x), into: &s)
        case .load(let op, let m): s.append(op.rawValue); memarg(m, &s)
        case .store(let op, let m): s.append(op.rawValue); memarg(m, &s)
        case .memorySize: s += [0x3F, 0x00]
        case .memoryGrow: s += [0x40, 0x00]
        case .i32Const(let v): s.append(0x41); LEB128.signed(Int64(v), into: &s)
        case .i64Const(let v): s.append(0x42); LEB128.signed(v, into: &s)
        case .numeric(let op): s.append(op.rawValue)
        case .memoryCopy: s += [0xFC, 0x0A, 0x00, 0x00]
        case .memoryFill: s += [0xFC, 0x0B, 0x00]
        }
    }

    private static func blockType(_ t: BlockType, _ s: inout [UInt8]) {
        switch t {
        case .empty: s.append(0x40)
        case .value(let v): s.append(v.rawValue)
        }
    }

    private static func memarg(_ m: MemArg, _ s: inout [UInt8]) {
        LEB128.unsigned(UInt64(m.align), into: &s)
        LEB128.unsigned(UInt64(m.offset), into: &s)
    }
}
