import DeskCore
@testable import DeskDaemon
import DeskX11
import Foundation
import Testing
import DeskTestSupport
import DeskTesting

/// Jobs against a real Xvfb: a stop in the middle of typing leaves no key down on the X server.
@Suite(.ownThread) struct XvfbJobTests {
    @Test func stoppingAJobMidTypingLeavesNoKeyDownOnTheServer() async throws {
        let display = try await onThread { try XvfbTestDisplay() }
        let h = try DaemonHarness(displays: [display])
        try await withTeardown({ await h.stop() }) { () async throws in
            // Shifted and unshifted letters, so modifiers are pressed too.
            let text = String(repeating: "aBcDeFgHiJ", count: 400)
            let created = await h.router.handle(.json("POST", "/jobs", DaemonHarness.taskBody("name: t\nsteps:\n  - type: \"\(text)\"\n")))
            let id = try #require(created.object["id"] as? String)
            _ = try await h.waitFor(id, [.running])
            // Stop it in the middle of the typing: once a few pieces reached the server.
            #expect(await waitUntil { display.typedPieces >= 3 })
            let stop = await h.router.handle(DaemonRequest(method: "DELETE", target: "/jobs/\(id)"))
            #expect(stop.status.code == 200)
            #expect(stop.object["state"] as? String == "stopped" && stop.object["exit_code"] as? Int == 130, "\(stop.object)")
            display.x.sync()
            #expect(display.x.pressedKeycodes().isEmpty)
            #expect(display.x.pressedButtons().isEmpty)
            // The display is free for the next job.
            let next = await h.router.handle(.json("POST", "/jobs", DaemonHarness.taskBody("name: n\nsteps:\n  - click: [5, 5]\n")))
            let nextID = try #require(next.object["id"] as? String)
            #expect(try await h.waitFor(nextID, [.succeeded, .failed]).state == .succeeded)
        }
    }
}
