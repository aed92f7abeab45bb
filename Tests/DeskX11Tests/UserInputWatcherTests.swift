import DeskCore
@testable import DeskX11
import Foundation
import Synchronization
import Testing
import DeskTestSupport

/// The XInput 2 raw-event watch on a real Xvfb. Xvfb has no physical devices, so what can be proven here is
/// the negative: the watcher sees XTest input (the counts rise) and never takes it for a person. The
/// positive — a real keyboard or mouse pausing the run — needs a real display: move the mouse during
/// `deskpilot agent … --display :0` and the run prints "paused: a person is using '<device>'".
@Suite("User input watcher", .ownThread)
struct UserInputWatcherTests {
    final class Calls: Sendable {
        private let list = Mutex<[String]>([])
        func add(_ s: String) { list.withLock { $0.append(s) } }
        var all: [String] { list.withLock { $0 } }
    }

    @Test func xtestInputIsSeenButNeverTakenForAPerson() throws {
        let session = try XvfbSession.start(screen: Size(width: 640, height: 480))
        defer { session.stop() }
        let calls = Calls()
        let watcher = try UserInputWatcher(displayName: session.displayName) { calls.add($0) }
        defer { watcher.stop() }

        let devices = watcher.knownDevices
        let xtest = devices.filter { UserInputClassifier.isXTestDevice(name: $0.name) }
        #expect(xtest.count == 2, "devices: \(devices)")
        #expect(xtest.allSatisfy { !UserInputClassifier.isPerson(sourceID: $0.id, devices: devices) })
        // Xvfb also lists "Xvfb mouse" and "Xvfb keyboard": devices with nothing behind them, which never
        // send an event (they would count as a person if they did).

        let injector = try InputInjector(display: try X11Display(name: session.displayName))
        try injector.move(to: Point(x: 100, y: 100))
        try injector.click(at: Point(x: 200, y: 150))
        try injector.key("ctrl+shift+a")
        try injector.type("hello")
        try injector.scroll(.down, notches: 2)
        injector.display.sync()

        // Motion, 2 scroll clicks + 1 click, and at least 8 key presses arrived as injected events.
        let end = Date().addingTimeInterval(5)
        while watcher.counts.injected < 12 && Date() < end { usleep(10_000) }
        #expect(watcher.counts.injected >= 12)
        #expect(watcher.counts.person == 0)
        #expect(calls.all.isEmpty)
    }

    @Test func aRunPausesAtTheNextActionAndResumes() throws {
        // The pause mechanism the watcher drives, with a fake person (the flag is set as the watcher would).
        let pause = PauseFlag()
        let stop = StopFlag()
        final class Recorder: ActionPerformer, Sendable {
            private let performed = Mutex<[ScreenAction]>([])
            var done: [ScreenAction] { performed.withLock { $0 } }
            func perform(_ action: ScreenAction) throws { performed.withLock { $0.append(action) } }
            func focus(window: UInt) throws {}
            func releaseAll() {}
        }
        let inner = Recorder()
        let performer = PausingPerformer(inner, pause: pause, stop: stop)
        try performer.perform(.move(to: Point(x: 1, y: 1)))
        #expect(pause.pause("a person is using 'USB mouse'"))
        #expect(!pause.pause("again"))
        let finished = DispatchSemaphore(value: 0)
        Thread {
            try? performer.perform(.move(to: Point(x: 2, y: 2)))
            finished.signal()
        }.start()
        #expect(finished.wait(timeout: .now() + 0.3) == .timedOut)
        #expect(inner.done.count == 1)
        #expect(pause.resume())
        #expect(finished.wait(timeout: .now() + 5) == .success)
        #expect(inner.done.count == 2)

        // A stop ends a pause.
        pause.pause("again")
        stop.request("kill hotkey")
        #expect(throws: StoppedError.self) { try performer.perform(.move(to: Point(x: 3, y: 3))) }
        #expect(inner.done.count == 2)
    }
}
