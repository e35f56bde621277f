import Testing
import ZongIR

/// The verifier rejects each kind of broken IR a pass could produce.
@Suite struct VerifierTests {
    func function(_ build: (inout Builder) -> Void) -> IRProgram {
        var b = Builder(IRFunction(name: "f", parameterTypes: [], resultType: nil, hasResultAddress: false,
                                   location: .none, isEntryPoint: true))
        build(&b)
        return IRProgram(fileName: "t", functions: [b.function], externs: [], strings: [], entry: FunctionID(0))
    }

    @Test func acceptsAWellFormedFunction() {
        let p = function { b in
            let x = b.constant(.i32, 1)
            let join = b.newBlock(parameters: [.i32])
            b.terminate(.branch(Edge(join, [x])))
            b.position(at: join)
            b.effect(.builtin(.print(bits: 32, signed: true), [b.function.blocks[join.index].parameters[0]]))
            b.terminate(.returnValue(nil))
        }
        #expect(IRVerifier.verify(p) == [])
    }

    @Test func rejectsAUseBeforeItsDefinition() {
        var p = function { b in
            let x = b.constant(.i32, 1)
            b.effect(.builtin(.print(bits: 32, signed: true), [x]))
            b.terminate(.returnValue(nil))
        }
        p.functions[0].blocks[0].instructions.swapAt(0, 1)
        #expect(IRVerifier.verify(p).contains { $0.contains("does not dominate") })
    }

    @Test func rejectsOperandsOfTheWrongType() {
        let p = function { b in
            let x = b.constant(.i32, 1)
            let y = b.constant(.i64, 1)
            _ = b.value(.binary(.add, .i32, x, y), .i32)
            b.terminate(.returnValue(nil))
        }
        #expect(IRVerifier.verify(p).contains { $0.contains("is i64, expected i32") })
    }

    @Test func rejectsEdgesThatDoNotMatchTheirTarget() {
        let p = function { b in
            let join = b.newBlock(parameters: [.i64])
            b.terminate(.branch(Edge(join)))
            b.position(at: join)
            b.terminate(.returnValue(nil))
        }
        #expect(IRVerifier.verify(p).contains { $0.contains("passes 0 arguments for 1 parameters") })
    }

    @Test func rejectsSlotAccessesOutsideTheSlot() {
        let p = function { b in
            let s = b.addSlot("x", size: 4, alignment: 4)
            let v = b.constant(.i64, 0)
            b.effect(.store(MemoryWidth(bytes: 8, signed: false), .slot(s, offset: 0), v))
            b.terminate(.returnValue(nil))
        }
        #expect(IRVerifier.verify(p).contains { $0.contains("outside the slot") })
    }

    @Test func rejectsAReturnOfTheWrongType() {
        let p = function { b in
            let v = b.constant(.i64, 0)
            b.terminate(.returnValue(v))
        }
        #expect(IRVerifier.verify(p).contains { $0.contains("return does not match") })
    }
}
