// swift-tools-version:6.0
// zong: a compiler for the Zong language. Source -> WASM -> C -> one static native binary.
// Data flows one way: ZongSyntax -> ZongSema -> ZongIR -> ZongCodegen -> Wasm (bytes) -> W2C -> C.
import PackageDescription

/// Dynamic exclusivity checks cost ~20% of front-end time and ~2% of Codegen's and W2C's
/// (measured with callgrind) and buy nothing here: the passes that run on several threads
/// (checking, encoding) share no mutable state.
let fastSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "zong",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "zong", targets: ["zong"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
    ],
    targets: [
        // Source text, tokens, lexer, parser, AST, diagnostics and their renderer.
        .target(name: "ZongSyntax", swiftSettings: fastSettings),
        // Names, scopes, types, Integer literals, definite initialization -> TypedProgram.
        .target(name: "ZongSema", dependencies: ["ZongSyntax"], swiftSettings: fastSettings),
        // Typed AST -> ZongIR (CFG of basic blocks over typed registers), its verifier, text
        // form, analyses and the optimizer's named passes.
        .target(name: "ZongIR", dependencies: ["ZongSyntax", "ZongSema"], swiftSettings: fastSettings),
        // The WebAssembly module model and binary encoder. Knows nothing about Zong.
        .target(name: "Wasm", swiftSettings: fastSettings),
        // Optimized ZongIR -> WasmModule (locals, structured control, tstack frames, memory map,
        // static data, the runtime built-ins, panics).
        .target(name: "ZongCodegen", dependencies: ["ZongSyntax", "ZongSema", "ZongIR", "Wasm"], swiftSettings: fastSettings),
        // Any valid WASM MVP module (bytes) -> readable, sandboxed C. Knows nothing about Zong.
        .target(name: "W2C", dependencies: [.product(name: "WasmParser", package: "WasmKit")], swiftSettings: fastSettings),
        // `zong fmt`: the canonical layout of a source file (tokens and comments in, bytes out).
        .target(name: "ZongFormat", dependencies: ["ZongSyntax"]),
        // The pipeline as a library: one function per subcommand, toolchain, caching.
        .target(name: "ZongDriver", dependencies: ["ZongSyntax", "ZongSema", "ZongIR", "ZongCodegen", "Wasm", "W2C", "ZongFormat"]),
        // Command-line parsing only.
        .executableTarget(name: "zong", dependencies: [
            "ZongDriver",
            "ZongIR",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "ZongSyntaxTests", dependencies: ["ZongSyntax"]),
        .testTarget(name: "ZongSemaTests", dependencies: ["ZongSyntax", "ZongSema"]),
        // Random valid programs for the optimizer's differential tests (test support only).
        .target(name: "ZongProgramGenerator", path: "Tests/Support/ZongProgramGenerator"),
        .testTarget(name: "ZongIRTests", dependencies: ["ZongIR", "ZongSyntax", "ZongSema", "ZongProgramGenerator"]),
        .testTarget(name: "WasmTests", dependencies: ["Wasm"]),
        .testTarget(name: "ZongCodegenTests", dependencies: ["ZongSyntax", "ZongSema", "ZongIR", "ZongCodegen", "Wasm"]),
        .testTarget(name: "W2CTests", dependencies: ["W2C", "Wasm"]),
        .testTarget(name: "ZongFormatTests", dependencies: ["ZongFormat", "ZongSyntax"]),
        .testTarget(name: "ZongDriverTests", dependencies: ["ZongDriver", "ZongSyntax", "ZongSema"]),
        .testTarget(name: "ConformanceTests", dependencies: ["ZongDriver", "ZongSyntax", "ZongIR", "W2C", "ZongProgramGenerator"]),
    ]
)
