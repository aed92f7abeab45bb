import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// Measures the smallest safe settle times of spare-key bindings (``InputOptions/bindSettle``,
/// ``InputOptions/rebindSettle``): types a text that needs many binding batches under `ru` with each candidate
/// value, idle and under load (extra X clients refetching the keymap on every change, plus busy CPU loops),
/// and counts strings that arrived wrong. Slow and load-dependent, so it only runs with
/// DESKPILOT_MEASURE_SETTLE=1; it prints the table and asserts that the defaults lost nothing.
@Suite("Typing settle measurement", .enabled(if: ProcessInfo.processInfo.environment["DESKPILOT_MEASURE_SETTLE"] == "1"), .ownThread)
struct TypingSettleMeasurement {
    static let text = "The quick brown fox jumps over the lazy dog; PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS 0123456789 ~|<>"

    @Test func measureSettleTimes() throws {
        let bed = try InputTestBed(layout: "ru")
        let trials = Int(ProcessInfo.processInfo.environment["DESKPILOT_MEASURE_TRIALS"] ?? "") ?? 8
        var lines: [String] = []
        var defaultLosses = 0
        for loaded in [false, true] {
            var load: [ChildProcess] = []
            var extra: [FixtureApp] = []
            if loaded {
                for i in 0..<8 {
                    extra.append(try FixtureApp(displayName: bed.session.displayName,
                                                geometry: Rect(x: 900, y: 10 + i * 20, width: 200, height: 100)))
                }
                for _ in 0..<2 { load.append(try ChildProcess.spawn(["sh", "-c", "while :; do :; done"])) }
            }
            defer { load.forEach { $0.terminate(grace: 0.2) } }
            try bed.injector.focus(bed.fixture.window)
            for (bind, rebind) in [(0.0, 0.0), (0.0, 0.001), (0.0, 0.002), (0.0, 0.005), (0.0, 0.01), (0.0, 0.03),
                                   (0.005, 0.0), (0.005, 0.03)] {
                var options = InputOptions()
                options.bindSettle = bind
                options.rebindSettle = rebind
                bed.injector.options = options
                var wrong = 0
                var elapsed = 0.0
                for _ in 0..<trials {
                    let start = Pause.now()
                    let got = try bed.typeAndRead(Self.text)
                    elapsed += Pause.now() - start
                    if got != Self.text { wrong += 1 }
                }
                if bind == InputOptions().bindSettle && rebind == InputOptions().rebindSettle { defaultLosses += wrong }
                lines.append(String(format: "%@ bind %4.1f ms rebind %4.1f ms: %d/%d wrong, %.0f ms per string",
                                    loaded ? "loaded" : "idle  ", bind * 1000, rebind * 1000, wrong, trials,
                                    elapsed / Double(trials) * 1000))
            }
            extra.forEach { $0.stop() }
        }
        print(lines.joined(separator: "\n"))
        #expect(defaultLosses == 0)
        #expect(try bed.leftovers() == [])
    }
}
