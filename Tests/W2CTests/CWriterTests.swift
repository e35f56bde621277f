import Testing

@testable import W2C

/// The C text buffer: lines, indentation, placeholders, growth, and value semantics.
@Suite struct CWriterTests {
    static func text(_ w: CWriter) -> String {
        var out: [UInt8] = []
        w.render(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func linesPlaceholdersAndNumbers() {
        var w = CWriter()
        w.line("a;")
        let first = w.placeholder()
        w.indent = 1
        w.line("b;")
        let dropped = w.placeholder()
        w.put(-42)
        w.lit(" ")
        w.put(UInt64.max)
        w.byte(10)
        w.fill(first, "L1:;")
        _ = dropped
        #expect(Self.text(w) == "a;\nL1:;\n    b;\n-42 18446744073709551615\n")
    }

    @Test func copiesAreIndependentAndLargeTextGrows() {
        var a = CWriter()
        a.line("shared")
        var b = a
        b.line("only b")
        a.line(String(repeating: "x", count: 10_000))
        #expect(Self.text(b) == "shared\nonly b\n")
        #expect(Self.text(a) == "shared\n" + String(repeating: "x", count: 10_000) + "\n")
        var c = CWriter()
        c.append(a)
        c.append(b)
        #expect(Self.text(c) == Self.text(a) + Self.text(b))
        #expect(c.count == a.count + b.count)
    }

    @Test func storageAppendsItsOwnBytesAcrossAGrowth() {
        let s = TextStorage(capacity: 4)
        s.append(UInt8(ascii: "a"))
        Array("bcd".utf8).withUnsafeBufferPointer { s.append($0) }
        s.withBytes { s.append($0) }  // needs twice the capacity: the old buffer is freed after the copy
        #expect(s.withBytes { String(decoding: $0, as: UTF8.self) } == "abcdabcd")
    }
}
