import Testing
import ZongDriver
import ZongSyntax

/// Every conformance case through the front end: compile-error cases must report each expected
/// message (LANGUAGE.md §1), and every execute program must check clean.
@Suite struct FrontEndConformanceTests {
    @Test func sharedConformanceFolderIsPresent() {
        if !ConformanceFiles.sharedIsPresent {
            print("SKIP: \(ConformanceFiles.sharedDirectory.path) is absent; shared conformance cases not run")
        }
        #expect(ConformanceFiles.all.count > 0 || !ConformanceFiles.sharedIsPresent)
    }

    @Test(arguments: ConformanceFiles.all)
    func frontEnd(_ c: ConformanceCase) {
        let file = SourceFile(name: "test.zong", text: c.source)
        let result = FrontEnd.run(file, form: c.form == .expression ? .expression : .program)
        let messages = result.diagnostics.map(\.message)
        switch c.expectation {
        case .execute, .runtimeError:
            #expect(messages.isEmpty, "unexpected diagnostics: \(messages)")
        case .compileError(let expected):
            #expect(!messages.isEmpty, "expected a compile error, got none")
            for line in expected {
                #expect(messages.contains(line), "missing '\(line)'; got \(messages)")
            }
        }
    }
}
