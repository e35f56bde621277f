import Testing
@testable import Wasm

/// Splits a module into (section id, payload), checking the header and the section sizes.
func sections(_ bytes: [UInt8]) -> [(id: UInt8, payload: [UInt8])] {
    guard bytes.count >= 8, Array(bytes[0..<8]) == [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00] else { return [] }
    var result: [(UInt8, [UInt8])] = []
    var i = 8
    while i < bytes.count {
        let id = bytes[i]
        i += 1
        let size = readUnsigned(bytes, &i)
        guard i + size <= bytes.count else { return [] }
        result.append((id, Array(bytes[i..<i + size])))
        i += size
    }
    return result
}

func readUnsigned(_ bytes: [UInt8], _ i: inout Int) -> Int {
    var value = 0, shift = 0
    while i < bytes.count {
        let b = bytes[i]
        i += 1
        value |= Int(b & 0x7F) << shift
        shift += 7
        if b & 0x80 == 0 { break }
    }
    return value
}

/// The name of a custom section payload, and the rest.
func customName(_ payload: [UInt8]) -> (String, [UInt8]) {
    var i = 0
    let n = readUnsigned(payload, &i)
    return (String(decoding: payload[i..<i + n], as: UTF8.self), Array(payload[(i + n)...]))
}

let instructionCases: [(Instruction, [UInt8])] = [
        (Instruction.memoryCopy, [UInt8(0xFC), 0x0A, 0x00, 0x00]),
        (.memoryFill, [0xFC, 0x0B, 0x00]),
        (.memorySize, [0x3F, 0x00]),
        (.memoryGrow, [0x40, 0x00]),
        (.numeric(.i32Extend8S), [0xC0]),
        (.numeric(.i64Extend32S), [0xC4]),
        (.numeric(.i64DivU), [0x80]),
        (.numeric(.i32WrapI64), [0xA7]),
        (.load(.i64Load, MemArg(align: 3, offset: 8)), [0x29, 0x03, 0x08]),
        (.store(.i32Store8, MemArg(align: 0, offset: 200)), [0x3A, 0x00, 0xC8, 0x01]),
        (.brTable([0, 2], 1), [0x0E, 0x02, 0x00, 0x02, 0x01]),
        (.block(.value(.i64)), [0x02, 0x7E]),
        (.if(.empty), [0x04, 0x40]),
        (.i32Const(-1), [0x41, 0x7F]),
        (.i64Const(Int64.min), [0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F]),
        (.globalSet(3), [0x24, 0x03]),
        (.call(130), [0x10, 0x82, 0x01]),
]

struct EncoderTests {
    /// (func (export "f") (result i32) i32.const 42), with its name section.
    @Test func tinyModuleHasExactBytes() throws {
        var m = WasmModule()
        m.functions = [Function(name: "f", type: FunctionType([], [.i32]), body: [.i32Const(42)])]
        m.exports = [Export(name: "f", kind: .function, index: 0)]
        let expected: [UInt8] = [
            0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,            // type: [] -> [i32]
            0x03, 0x02, 0x01, 0x00,                              // function 0 has type 0
            0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,            // export "f" func 0
            0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2A, 0x0B,      // code: no locals, i32.const 42, end
            0x00, 0x0B, 0x04, 0x6E, 0x61, 0x6D, 0x65,            // custom "name"
            0x01, 0x04, 0x01, 0x00, 0x01, 0x66,                  //   function names: 0 "f"
        ]
        let bytes = m.encode()
        #expect(bytes == expected)
        try Validator.expectValid(bytes)
    }

    @Test func sectionsAppearInSpecOrder() throws {
        let bytes = sampleModule().encode()
        let ids = sections(bytes).map(\.id)
        #expect(ids == [1, 2, 3, 5, 6, 7, 10, 11, 0, 0, 0])
        let customs = sections(bytes).filter { $0.id == 0 }.map { customName($0.payload).0 }
        #expect(customs == ["producers.note", "zong.lines", "name"])
        try Validator.expectValid(bytes)
    }

    @Test func identicalSignaturesShareOneType() {
        let bytes = sampleModule().encode()
        guard let types = sections(bytes).first(where: { $0.id == 1 }) else {
            Issue.record("no type section")
            return
        }
        // proc_exit (i32)->(), "run" ()->() and "twice" (i32,i64)->(i64): 3 types for 4 functions.
        #expect(types.payload.first == 3)
    }

    @Test func localsAreRunLengthEncoded() {
        let f = Function(name: "f", type: FunctionType([.i32], []), locals: [.i32, .i32, .i64, .i32])
        #expect(WasmModule.encodeBody(f).bytes == [0x03, 0x02, 0x7F, 0x01, 0x7E, 0x01, 0x7F, 0x0B])
    }

    @Test(arguments: instructionCases)
    func instructionEncoding(instruction: Instruction, bytes: [UInt8]) {
        var out: [UInt8] = []
        InstructionEncoder.encode(instruction, into: &out)
        #expect(out == bytes)
    }

    /// Every reported offset must point at the first byte of the marked instruction.
    @Test func markOffsetsPointAtMarkedInstructions() {
        let m = sampleModule()
        let (bytes, marks) = m.encodeWithMarks()
        #expect(marks.count == 3)
        #expect(marks.map(\.offset) == marks.map(\.offset).sorted())
        for (offset, mark) in marks {
            guard let function = m.functions.first(where: { $0.marks.contains(mark) }) else {
                Issue.record("mark \(mark) not found")
                continue
            }
            var expected: [UInt8] = []
            InstructionEncoder.encode(function.body[mark.instruction], into: &expected)
            #expect(Array(bytes[offset..<offset + expected.count]) == expected)
        }
        guard let lines = sections(bytes).map({ customName($0.payload) }).first(where: { $0.0 == "zong.lines" })?.1 else {
            Issue.record("no zong.lines")
            return
        }
        var expected: [UInt8] = [0x01, 0x01, 0x09] + Array("prog.zong".utf8) + [0x03]
        for (offset, mark) in marks {
            expected += LEB128.unsigned(UInt64(offset)) + [UInt8(mark.file), UInt8(mark.line), UInt8(mark.column)]
        }
        #expect(lines == expected)
    }

    @Test func nameSectionNamesFunctionsLocalsAndGlobals() {
        let bytes = sampleModule().encode()
        guard let payload = sections(bytes).map({ customName($0.payload) }).first(where: { $0.0 == "name" })?.1 else {
            Issue.record("no name section")
            return
        }
        var i = 0
        var subsections: [UInt8: [UInt8]] = [:]
        while i < payload.count {
            let id = payload[i]
            i += 1
            let size = readUnsigned(payload, &i)
            subsections[id] = Array(payload[i..<i + size])
            i += size
        }
        #expect(subsections.keys.sorted() == [1, 2, 7])
        let functionNames = subsections[1] ?? []
        // 4 functions: the import first.
        #expect(functionNames.first == 4)
        #expect(String(decoding: functionNames, as: UTF8.self).contains("proc_exit"))
        #expect(String(decoding: functionNames, as: UTF8.self).contains("zong.twice"))
        // Local names of function 2 ("twice"): 0 "n", 2 "tmp".
        #expect(subsections[2] == [0x01, 0x02, 0x02, 0x00, 0x01, 0x6E, 0x02, 0x03, 0x74, 0x6D, 0x70])
        #expect(subsections[7] == [0x01, 0x00, 0x0F] + Array("__stack_pointer".utf8))
    }

    /// One function of each instruction family, plus every kind of section.
    func sampleModule() -> WasmModule {
        var m = WasmModule()
        m.imports = [Import(module: "wasi_snapshot_preview1", name: "proc_exit", type: FunctionType([.i32], []))]
        m.memory = Memory(minimumPages: 1, maximumPages: 4)
        m.globals = [Global(name: "__stack_pointer", type: .i32, mutable: true, initial: 65536)]
        let run = Function(name: "run", type: FunctionType([], []), body: [
            .i32Const(0), .i32Const(7), .i32Const(16), .memoryFill,
            .i32Const(32), .i32Const(0), .i32Const(16), .memoryCopy,
            .globalGet(0), .i32Const(16), .numeric(.i32Sub), .globalSet(0),
            .block(.empty), .i32Const(1), .brTable([0], 0), .end,
            .i32Const(2), .call(0),
        ], marks: [SourceMark(instruction: 0, file: 0, line: 3, column: 5), SourceMark(instruction: 8, file: 0, line: 4, column: 1)])
        let twice = Function(name: "zong.twice", type: FunctionType([.i32, .i64], [.i64]), locals: [.i64],
                             localNames: [0: "n", 2: "tmp"], body: [
            .localGet(1), .localGet(1), .numeric(.i64Add), .localTee(2),
            .localGet(0), .numeric(.i32Extend8S), .load(.i64Load8S, MemArg(align: 0, offset: 4)), .numeric(.i64Add),
            .localGet(0), .numeric(.i32Eqz), .if(.value(.i64)), .i64Const(-1), .else, .i64Const(1), .end, .numeric(.i64Mul),
        ], marks: [SourceMark(instruction: 4, file: 0, line: 9, column: 2)])
        let other = Function(name: "other", type: FunctionType([.i32], []), body: [.localGet(0), .call(0)])
        m.functions = [run, twice, other]
        m.exports = [Export(name: "memory", kind: .memory, index: 0), Export(name: "_start", kind: .function, index: 1),
                     Export(name: "__stack_pointer", kind: .global, index: 0)]
        m.data = [DataSegment(offset: 1024, bytes: Array("hello".utf8))]
        m.customSections = [CustomSection(name: "producers.note", payload: [1, 2, 3])]
        m.lineTableName = "zong.lines"
        m.lineTableFiles = ["prog.zong"]
        return m
    }
}
