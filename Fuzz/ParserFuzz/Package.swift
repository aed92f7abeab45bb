// swift-tools-version:6.1
import PackageDescription

// The libFuzzer harness for deskpilot's model-answer parsers. A separate package so the main build
// never sees `-sanitize=fuzzer`. The root package exports no library products, so DeskCore and
// DeskModels are compiled here from symlinks to the root's sources (Sources/DeskCore, Sources/DeskModels).
// Build and run with scripts/fuzz-parser.sh.
let package = Package(
    name: "ParserFuzz",
    targets: [
        .target(name: "DeskCore"),
        .target(name: "DeskModels", dependencies: ["DeskCore"]),
        // libFuzzer supplies `main`; -parse-as-library keeps Swift from emitting another one.
        .executableTarget(name: "ParserFuzz", dependencies: ["DeskCore", "DeskModels"],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ],
    swiftLanguageModes: [.v6]
)
