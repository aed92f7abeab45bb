import DeskCore
import DeskGrounding
import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// The `local` dialect drives the fixture app: every step grounded by OCR on the real screen, executed by
/// XTest, checked in the fixture's event log.
@Suite("Local dialect end to end", .serialized, .ownThread)
struct LocalDialectEndToEndTests {
    @Test func drivesTheFixtureApp() throws {
        let desktop = try GroundingDesktop(screen: Size(width: 1024, height: 768))
        let log = NSTemporaryDirectory() + "deskpilot-grounding-fixture-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let fixturePath = LabelScene.binDirectory.appendingPathComponent("deskpilot-fixture").path
        let fixture = try ChildProcess.spawn([fixturePath, "--log", log, "--geometry", "800x600+40+40",
                                              "--buttons", "OK,Cancel,Save,Open"],
                                             environment: desktop.session.environment())
        defer { fixture.terminate(grace: 1) }
        try waitFor(in: log, "\"ready\"")

        let injector = try InputInjector(display: desktop.display)
        defer { injector.releaseAll() }
        let agent = try LocalAgent(goal: "click Save, then type 'hello world' and press ctrl+s, wait for hello world",
                                   locator: TextLocator())
        var finished = false
        for _ in 0..<20 {
            let decision = try agent.next(frame: try desktop.capture(), windows: desktop.windows())
            switch decision {
            case .act(let actions, _, _):
                for action in actions { try injector.perform(action) }
                // The next observation must show the answer: once the fixture logged a mark, it handled
                // every event the actions sent and its drawing reached the server.
                try FixtureMark.wait(pid: fixture.pid, log: log)
            case .wait:
                // The agent waits for the screen to change; the only thing that changes it here is the
                // fixture, and after a mark it has drawn all it will.
                try FixtureMark.wait(pid: fixture.pid, log: log)
            case .finished:
                finished = true
            }
            if finished { break }
        }
        #expect(finished)
        let events = try String(contentsOfFile: log, encoding: .utf8)
        #expect(events.contains("\"type\":\"clicked\"") && events.contains("\"label\":\"Save\""))
        #expect(events.contains("\"value\":\"hello world\""))
        #expect(events.split(separator: "\n").contains { $0.contains("\"key_press\"") && $0.contains("\"name\":\"s\"") && Self.hasControl($0) })
    }

    @Test func aMissingTargetFailsNamingTheStepAndWhatWasSeen() throws {
        let desktop = try GroundingDesktop(screen: Size(width: 1024, height: 768))
        let labels = try LabelScene.start(scene: 5, seed: 4, on: desktop.session, geometry: "600x200+10+10", targets: 3)
        defer { labels.stop() }
        let agent = try LocalAgent(goal: "click Xylophone", locator: TextLocator())
        do {
            _ = try agent.next(frame: try desktop.capture(), windows: desktop.windows())
            Issue.record("expected a LocateFailure")
        } catch let failure as LocateFailure {
            #expect(failure.description.contains("step 1"))
            #expect(failure.exitStatus == .failure)
        }
    }

    /// The fixture logs the X state mask; Control is bit 2.
    static func hasControl(_ line: Substring) -> Bool {
        guard let range = line.range(of: "\"state\":") else { return false }
        let digits = line[range.upperBound...].prefix { $0.isNumber }
        return (Int(digits) ?? 0) & 4 != 0
    }

    private func waitFor(in path: String, _ marker: String, timeout: Double = 15) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains(marker) { return }
            usleep(20_000)
        }
        throw EnvironmentError("the fixture did not log \(marker) within \(timeout) s")
    }
}
