import DeskAgent
import DeskCore
import Foundation
import Synchronization
import Testing
import DeskTestSupport

/// Settling: damage is a hint, the tile diff decides.
@Suite(.ownThread) struct LoopSettleTests {
    final class ScriptedWatcher: ChangeWatcher, Sendable {
        private let calls = Mutex<(armed: Int, quiet: [(Double, Double, Double)])>((0, []))
        var armed: Int { calls.withLock { $0.armed } }
        var quietCalls: [(Double, Double, Double)] { calls.withLock { $0.quiet } }
        let events: Int
        let changeResult: Bool
        init(events: Int, change: Bool = false) {
            self.events = events
            self.changeResult = change
        }
        func arm() { calls.withLock { $0.armed += 1 } }
        func waitForQuiet(quietWindow: Double, minimum: Double, maximum: Double) throws -> DamageSummary {
            calls.withLock { $0.quiet.append((quietWindow, minimum, maximum)) }
            return DamageSummary(events: events, waited: minimum, quiet: true)
        }
        func waitForChange(timeout: Double) throws -> Bool { changeResult }
    }

    @Test func damageWithoutPixelChangeIsNoChange() throws {
        let app = FakeApp()
        let watcher = ScriptedWatcher(events: 4)
        let settler = Settler(screen: app, watcher: watcher, codec: FakeCodec(),
                              options: SettleOptions(minimum: 0.1, maximum: 3, quietWindow: 0.05))
        let before = try app.capture()
        settler.arm()
        let result = try settler.settle(after: before)
        #expect(watcher.armed == 1)
        #expect(watcher.quietCalls.count == 1)
        #expect(watcher.quietCalls.first?.1 == 0.1 && watcher.quietCalls.first?.2 == 3)
        #expect(result.damage.events == 4)
        #expect(!result.changed)
    }

    @Test func pixelChangeIsConfirmed() throws {
        let app = FakeApp()
        let settler = Settler(screen: app, watcher: ScriptedWatcher(events: 1), codec: FakeCodec(), options: instantSettle)
        let before = try app.capture()
        try app.perform(.click(at: Point(x: 150, y: 120), button: .left, count: 1))
        let result = try settler.settle(after: before)
        #expect(result.changed)
        #expect(result.frame.pixels.first != before.pixels.first)
    }

    @Test func withoutAWatcherFramesAreCompared() throws {
        let app = FakeApp()
        let settler = Settler(screen: app, watcher: nil, codec: FakeCodec(), options: instantSettle)
        let before = try app.capture()
        #expect(try !settler.settle(after: before).changed)
        try app.perform(.type(text: "x"))
        #expect(try settler.settle(after: before).changed)
    }

    @Test func waitGivesUpAfterItsTimeoutWhenNothingChanges() throws {
        let app = FakeApp()
        let settler = Settler(screen: app, watcher: ScriptedWatcher(events: 0, change: false), codec: FakeCodec(),
                              options: instantSettle)
        let result = try settler.waitForChange(after: try app.capture(), timeout: 0.2)
        #expect(!result.changed)
    }
}
