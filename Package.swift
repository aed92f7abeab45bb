// swift-tools-version:6.1
import PackageDescription

// Shared dependencies, named once (swift-nio style).
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let flyingFox: Target.Dependency = .product(name: "FlyingFox", package: "FlyingFox")
let mcp: Target.Dependency = .product(name: "MCP", package: "swift-sdk")

let package = Package(
    name: "deskpilot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "deskpilot", targets: ["deskpilot"]),
        .executable(name: "deskpilot-full", targets: ["deskpilot-full"]),
        .executable(name: "deskpilot-fixture", targets: ["deskpilot-fixture"]),
        .executable(name: "deskpilot-model-server", targets: ["deskpilot-model-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
    ],
    targets: [
        // C system libraries: each is imported by exactly one Swift module.
        .systemLibrary(
            name: "CX11", pkgConfig: "x11 xext xtst xrandr xfixes xdamage xi",
            providers: [.apt(["libx11-dev", "libxext-dev", "libxtst-dev", "libxrandr-dev",
                              "libxfixes-dev", "libxdamage-dev", "libxi-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // OpenBLAS, opened with dlopen at the first template match (libopenblas-dev for the header): linked, its
        // thread pool would start in every process.
        .target(name: "CBLAS", linkerSettings: [.linkedLibrary("dl")]),
        // Tesseract's C API, opened with dlopen at the first OCR (libtesseract-dev for the headers): linking it
        // would load it and what it brings into every process, about 13 ms of CPU per start.
        .target(name: "CTesseract", linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(name: "CAtspi", pkgConfig: "atspi-2", providers: [.apt(["libatspi2.0-dev"])]),
        // GTK3 for the C accessibility fixture only (a test instrument, like the Xlib fixture).
        .systemLibrary(name: "CGtk", pkgConfig: "gtk+-3.0", providers: [.apt(["libgtk-3-dev"])]),

        // Core: plain Swift, no C, no I/O.
        .target(name: "DeskCore"),

        // Platform modules.
        .target(name: "DeskX11", dependencies: ["DeskCore", "CX11"]),
        .target(name: "DeskImaging", dependencies: ["DeskCore", "CPNG", "CBLAS"]),
        .target(name: "DeskModels", dependencies: ["DeskCore"]),
        // Networking on its own: URLSession (FoundationNetworking, libcurl) only where a model is called.
        .target(name: "DeskModelsURLSession", dependencies: ["DeskModels"]),
        .target(name: "DeskConfig", dependencies: ["DeskCore", yams]),
        .target(name: "DeskGrounding", dependencies: ["DeskCore", "DeskImaging", "CTesseract"]),
        .target(name: "DeskAgent", dependencies: ["DeskCore", "DeskModels"]),
        .target(name: "DeskA11y", dependencies: ["DeskCore", "CAtspi"]),
        .target(name: "DeskDaemon", dependencies: ["DeskCore", "DeskAgent", "DeskConfig", "DeskModels", "DeskModelsURLSession",
                                                   flyingFox, mcp]),
        .target(name: "DeskTesting", dependencies: ["DeskCore", "DeskModels", flyingFox]),
        // Swift Testing traits shared by the test targets (the blocking tests' own threads); tests only.
        .target(name: "DeskTestSupport", dependencies: ["DeskCore"]),

        // The runtime wiring: the adapters that join the modules into a desktop, a run and a daemon display,
        // shared by the CLI, the daemon, MCP and the tests.
        .target(name: "DeskRuntime", dependencies: ["DeskCore", "DeskX11", "DeskImaging", "DeskAgent", "DeskModels", "DeskConfig"]),
        // OCR (Tesseract) adapters apart, so commands that never read text never link them.
        // OCR (Tesseract) and the accessibility tree (AT-SPI) adapters: the fused grounder's wiring.
        .target(name: "DeskRuntimeOCR", dependencies: ["DeskCore", "DeskX11", "DeskImaging", "DeskAgent", "DeskRuntime",
                                                       "DeskGrounding", "DeskA11y"]),
        // The daemon's X11 displays (and with them the daemon, MCP and networking), apart from the rest.
        .target(name: "DeskRuntimeDaemon", dependencies: ["DeskCore", "DeskX11", "DeskAgent", "DeskDaemon", "DeskGrounding",
                                                          "DeskRuntime", "DeskRuntimeOCR"]),

        // The commands that need only the display (act, screenshot, info, windows) and the way both executables
        // run a command: nothing here may depend on networking, the daemon, AT-SPI or OCR.
        .target(name: "DeskCLI", dependencies: ["DeskCore", "DeskX11", "DeskImaging", "DeskAgent", "DeskConfig", "DeskRuntime",
                                                argumentParser]),

        // Executables: argument parsing plus one call.
        // `deskpilot`, the light front: runs DeskCLI's commands and --version itself and execs deskpilot-full for
        // the rest, so those starts load Xlib, libpng and zlib only (issue 20's process boundary).
        .executableTarget(name: "deskpilot", dependencies: ["DeskCLI", "DeskCore", "DeskRuntime", argumentParser]),
        // The whole command tree (installed under /usr/lib/deskpilot/).
        .executableTarget(
            name: "deskpilot-full",
            dependencies: ["DeskCLI", "DeskCore", "DeskX11", "DeskImaging", "DeskModels", "DeskModelsURLSession", "DeskConfig",
                           "DeskAgent", "DeskGrounding", "DeskA11y", "DeskDaemon", "DeskRuntime", "DeskRuntimeOCR",
                           "DeskRuntimeDaemon", argumentParser]),
        // The fixture X client is plain C on Xlib: it is a test instrument, not part of the product.
        .executableTarget(
            name: "deskpilot-fixture",
            linkerSettings: [.linkedLibrary("X11")]),
        // Draws labelled targets in several fonts, sizes and colour schemes, for grounding tests.
        .executableTarget(
            name: "deskpilot-labels",
            linkerSettings: [.linkedLibrary("X11")]),
        // A GTK3 window of labelled widgets that logs its own geometry and clicks, for accessibility tests.
        .executableTarget(name: "deskpilot-gtk-fixture", dependencies: ["CGtk"]),
        .executableTarget(name: "deskpilot-model-server", dependencies: ["DeskTesting", argumentParser]),

        // Tests mirror modules one to one.
        .testTarget(name: "DeskCoreTests", dependencies: ["DeskCore"]),
        .testTarget(name: "DeskModelsTests", dependencies: ["DeskModels", "DeskModelsURLSession", "DeskTesting"]),
        .testTarget(name: "DeskConfigTests", dependencies: ["DeskConfig"]),
        .testTarget(name: "DeskImagingTests", dependencies: ["DeskImaging"]),
        .testTarget(name: "DeskX11Tests", dependencies: ["DeskX11", "DeskImaging", "DeskTestSupport"]),
        .testTarget(name: "DeskGroundingTests", dependencies: ["DeskGrounding", "DeskX11", "DeskImaging", "DeskTestSupport"]),
        .testTarget(name: "DeskDaemonTests", dependencies: ["DeskDaemon", "DeskTesting", "DeskX11", "DeskRuntime", "DeskTestSupport"]),
        .testTarget(name: "DeskAgentTests", dependencies: ["DeskAgent", "DeskModelsURLSession", "DeskTesting", "DeskRuntime", "DeskTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["DeskCore", "DeskX11", "DeskTestSupport"]),
        .testTarget(name: "DeskA11yTests", dependencies: ["DeskA11y", "DeskCore", "DeskX11", "DeskGrounding", "DeskTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
