import DeskCore
import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// Regression tests on real applications under a real desktop (openbox, session and accessibility buses).
@Suite(.ownThread) struct CLIRealAppTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    @Test func locateWithinAClassFindsGalculatorsKeys() throws {
        let desktop = try DesktopSession.start(.openbox, screen: Size(width: 1280, height: 800))
        let home = NSTemporaryDirectory() + "deskpilot-home-\(UUID().uuidString)"
        // The folder goes after the desktop: the app writes its settings there until it is stopped.
        defer {
            desktop.stop()
            try? FileManager.default.removeItem(atPath: home)
        }
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        _ = try desktop.spawn(["galculator"], environment: ["HOME": home])
        let display = try X11Display(name: desktop.displayName)
        let deadline = Date().addingTimeInterval(30)
        var window: WindowInfo?
        while Date() < deadline, window == nil {
            window = display.windows().first { $0.className == "Galculator" && $0.frame != nil }
            usleep(100_000)
        }
        let galculator = try #require(window, "galculator never showed a window")
        // A mapped window is not yet a drawn one: wait until its keys can be read.
        let drawn = Date().addingTimeInterval(30)
        while try CLIRunner.run(["locate", "7", "--within", "class:Galculator", "--display", desktop.displayName]).status != 0,
              Date() < drawn {
            usleep(100_000)
        }
        for within in ["class:Galculator", "Galculator", galculator.hexID] {
            let r = try CLIRunner.run(["locate", "7", "--within", within, "--display", desktop.displayName, "--json"])
            #expect(r.status == 0, "--within \(within): \(r.stderr)")
            if let object = try? JSONSerialization.jsonObject(with: r.stdout) as? [String: Any],
               let point = object["point"] as? [String: Int], let x = point["x"], let y = point["y"] {
                #expect(galculator.rect.contains(Point(x: x, y: y)), "\(within): \(point) outside \(galculator.rect)")
            } else {
                Issue.record("--within \(within): no point in \(r.stdoutText)")
            }
        }
        let none = try CLIRunner.run(["locate", "7", "--within", "class:NoSuchApp", "--display", desktop.displayName])
        #expect(none.status == 1 && none.stderr.contains("no window matches 'class:NoSuchApp'"), "\(none.stderr)")
    }

    @Test func screenStableSeesThroughFeatherPadsBlinkingCaret() throws {
        let traces = NSTemporaryDirectory() + "deskpilot-fp-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: traces) }
        let r = try CLIRunner.run(["run", Self.fixture("featherpad-stable.yaml"), "--headless", "--trace-dir", traces],
                                  timeout: 120)
        #expect(r.status == 0, "\(r.stderr)\n\(r.stdoutText)")
    }
}
