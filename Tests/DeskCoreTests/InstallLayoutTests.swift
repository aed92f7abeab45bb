import DeskCore
import Testing

/// The binary finds its helpers and data from its install prefix, its build tree or the environment — never
/// from the current folder.
@Suite("install layout")
struct InstallLayoutTests {
    static let installed: Set<String> = ["/usr/lib/deskpilot", "/usr/share/deskpilot"]

    @Test func anInstallPrefixHoldsHelpersAndData() {
        let layout = InstallLayout.resolve(executable: "/usr/bin/deskpilot", environment: [:]) { Self.installed.contains($0) }
        #expect(layout.origin == .prefix)
        #expect(layout.helperDirectory == "/usr/lib/deskpilot")
        #expect(layout.examplesDirectory == "/usr/share/deskpilot/examples")
        #expect(layout.suiteDirectory == "/usr/share/deskpilot/suite")
        #expect(layout.policiesDirectory == "/usr/share/deskpilot/policies")

        let local = InstallLayout.resolve(executable: "/opt/dp/bin/deskpilot", environment: [:]) { $0 == "/opt/dp/lib/deskpilot" }
        #expect(local.helperDirectory == "/opt/dp/lib/deskpilot")
        #expect(local.examplesDirectory == nil, "no share folder, no data")
    }

    @Test func theFullExecutableUnderLibFindsThePrefixToo() {
        let layout = InstallLayout.resolve(executable: "/usr/lib/deskpilot/deskpilot-full", environment: [:]) {
            Self.installed.contains($0)
        }
        #expect(layout.origin == .prefix)
        #expect(layout.helperDirectory == "/usr/lib/deskpilot")
        #expect(layout.examplesDirectory == "/usr/share/deskpilot/examples")
        // Any other folder named deskpilot is not a prefix.
        let other = InstallLayout.resolve(executable: "/home/u/deskpilot/deskpilot-full", environment: [:]) { _ in true }
        #expect(other.origin == .beside)
    }

    @Test func theFrontFindsTheFullExecutableBesideItsHelpers() {
        let installed = InstallLayout.fullExecutable(front: "/usr/bin/deskpilot", environment: [:]) { Self.installed.contains($0) }
        #expect(installed == "/usr/lib/deskpilot/deskpilot-full")
        let built = InstallLayout.fullExecutable(front: "/src/dp/.build/debug/deskpilot", environment: [:]) { _ in false }
        #expect(built == "/src/dp/.build/debug/deskpilot-full")
        // DESKPILOT_LIBDIR points at test helpers, not at the full executable; DESKPILOT_FULL does.
        let helpersMoved = InstallLayout.fullExecutable(front: "/usr/bin/deskpilot", environment: ["DESKPILOT_LIBDIR": "/x"]) {
            Self.installed.contains($0)
        }
        #expect(helpersMoved == "/usr/lib/deskpilot/deskpilot-full")
        let overridden = InstallLayout.fullExecutable(front: "/usr/bin/deskpilot", environment: ["DESKPILOT_FULL": "/opt/full"]) {
            Self.installed.contains($0)
        }
        #expect(overridden == "/opt/full")
    }

    @Test func aBuildTreeFindsTheCheckoutAboveDotBuild() {
        let exists: (String) -> Bool = { ["/src/dp/Package.swift", "/src/dp/tasks/examples"].contains($0) }
        let layout = InstallLayout.resolve(executable: "/src/dp/.build/x86_64-unknown-linux-gnu/release/deskpilot",
                                           environment: [:], exists: exists)
        #expect(layout.origin == .buildTree)
        #expect(layout.helperDirectory == "/src/dp/.build/x86_64-unknown-linux-gnu/release")
        #expect(layout.examplesDirectory == "/src/dp/tasks/examples")
        #expect(layout.policiesDirectory == "/src/dp/policies")
        // A `.build` folder that is not a deskpilot checkout gives no data.
        let other = InstallLayout.resolve(executable: "/elsewhere/.build/debug/deskpilot", environment: [:], exists: exists)
        #expect(other.origin == .beside)
        #expect(other.helperDirectory == "/elsewhere/.build/debug")
        #expect(other.examplesDirectory == nil)
    }

    @Test func aCopiedBinaryLooksBesideItselfOnly() {
        // ~/.local/bin/deskpilot with no ~/.local/lib/deskpilot: nothing is taken from the current folder.
        let layout = InstallLayout.resolve(executable: "/home/u/.local/bin/deskpilot", environment: ["PWD": "/src/dp"]) {
            $0.hasPrefix("/src/dp")
        }
        #expect(layout.origin == .beside)
        #expect(layout.helperDirectory == "/home/u/.local/bin")
        #expect(layout.examplesDirectory == nil)
    }

    @Test func theEnvironmentOverridesEither() {
        let env = ["DESKPILOT_LIBDIR": "/x/helpers/", "DESKPILOT_DATADIR": "/x/data"]
        let layout = InstallLayout.resolve(executable: "/usr/bin/deskpilot", environment: env) { Self.installed.contains($0) }
        #expect(layout.origin == .environment)
        #expect(layout.helperDirectory == "/x/helpers")
        #expect(layout.examplesDirectory == "/x/data/examples")
        // Relative overrides would depend on the current folder: ignored.
        let relative = InstallLayout.resolve(executable: "/usr/bin/deskpilot", environment: ["DESKPILOT_LIBDIR": "lib"]) {
            Self.installed.contains($0)
        }
        #expect(relative.helperDirectory == "/usr/lib/deskpilot")
        #expect(relative.origin == .prefix)
    }

    @Test func tessdataIsLookedForInThePrefixFirst() {
        let found = TessdataLocation.find(language: "eng", environment: ["TESSDATA_PREFIX": "/t/"]) { $0 == "/t/tessdata/eng.traineddata" }
        #expect(found == "/t/tessdata")
        let debian = TessdataLocation.find(language: "eng", environment: [:]) {
            $0 == "/usr/share/tesseract-ocr/5/tessdata/eng.traineddata"
        }
        #expect(debian == "/usr/share/tesseract-ocr/5/tessdata")
        #expect(TessdataLocation.find(language: "deu", environment: [:]) { _ in false } == nil)
    }
}
