import Testing

@testable import W2C
import Wasm

/// The `name` section reader: what a well-formed section names, and that a malformed one is
/// ignored as a whole.
@Suite struct NameSectionTests {
    static func leb(_ v: Int) -> [UInt8] { Wasm.LEB128.unsigned(UInt64(v)) }
    static func name(_ s: String) -> [UInt8] { leb(s.utf8.count) + Array(s.utf8) }
    static func nameMap(_ entries: [(Int, String)]) -> [UInt8] {
        leb(entries.count) + entries.flatMap { leb($0.0) + name($0.1) }
    }
    static func subsection(_ id: UInt8, _ content: [UInt8]) -> [UInt8] { [id] + leb(content.count) + content }

    static let wellFormed: [UInt8] =
        subsection(0, name("module"))
        + subsection(1, nameMap([(0, "main"), (2, "π"), (0, "start")]))
        + subsection(2, leb(2) + leb(0) + nameMap([(0, "a"), (1, "total")]) + leb(2) + nameMap([(1, "n")]))
        + subsection(4, nameMap([(0, "type")]))
        + subsection(7, nameMap([(0, "__stack_pointer")]))

    @Test func readsFunctionLocalAndGlobalNames() throws {
        let names = try #require(NameSection(Self.wellFormed))
        #expect(names.functions == [0: "start", 2: "π"])  // a later entry replaces an earlier one
        #expect(names.globals == [0: "__stack_pointer"])
        #expect(names.locals(of: 0) == [0: "a", 1: "total"])
        #expect(names.locals(of: 2) == [1: "n"])
        #expect(names.locals(of: 1).isEmpty)
    }

    @Test func malformedSectionsAreIgnored() {
        let cases: [(String, [UInt8])] = [
            ("subsection longer than the section", [1] + Self.leb(50) + Self.nameMap([(0, "f")])),
            ("entries past the subsection's end", Self.subsection(1, Self.leb(3) + Self.leb(0) + Self.name("f"))),
            ("bytes left in a subsection", Self.subsection(7, Self.nameMap([(0, "g")]) + [0])),
            ("name not UTF-8", Self.subsection(1, Self.leb(1) + Self.leb(0) + Self.leb(2) + [0xC3, 0x28])),
            ("local name not UTF-8", Self.subsection(2, Self.leb(1) + Self.leb(0) + Self.leb(1) + Self.leb(0) + Self.leb(1) + [0xFF])),
            ("index over 32 bits", Self.subsection(1, Self.leb(1) + Self.leb(1 << 33) + Self.name("f"))),
            ("truncated number", [1, 0x80]),
        ]
        for (what, payload) in cases {
            #expect(NameSection(Self.wellFormed + payload) == nil, "\(what)")
        }
        #expect(NameSection([]) != nil)
    }

    @Test(.enabled(if: Harness.hasWat2wasm, Harness.skipMessage)) func localNamesNameCLocals() throws {
        let wasm = try Harness.assemble("""
            (module
              (func $sum (export "_start") (param $first i32) (local $total i32) (local i64)
                (local.set $total (local.get $first))))
            """)
        let c = try translate(wasm: wasm)
        #expect(c.contains("static void zong_sum(uint32_t p_first) {"))
        #expect(c.contains("uint32_t l_total = 0;"))
        #expect(c.contains("uint64_t l2 = 0;"))
    }
}
