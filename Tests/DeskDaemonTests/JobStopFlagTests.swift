import DeskCore
@testable import DeskDaemon
import Foundation
import Testing
import DeskTestSupport
import DeskTesting

/// Each daemon job waits on its own stop flag: stopping one of two running jobs ends its `wait` at once and
/// leaves the other running.
@Suite(.ownThread) struct JobStopFlagTests {
    @Test func stoppingOneOfTwoRunningJobsEndsOnlyItsWait() async throws {
        let h = try DaemonHarness(displays: [FakeDisplay(name: ":91"), FakeDisplay(name: ":92")])
        try await withTeardown({ await h.stop() }) { () async throws in
            let yaml = "name: w\nsteps:\n  - wait: 30s\n"
            var ids: [String] = []
            for _ in 0..<2 {
                let response = await h.router.handle(.json("POST", "/jobs", DaemonHarness.taskBody(yaml)))
                ids.append(try #require(response.object["id"] as? String))
            }
            _ = try await h.waitFor(ids[0], [.running])
            _ = try await h.waitFor(ids[1], [.running])
            _ = await h.router.handle(DaemonRequest(method: "DELETE", target: "/jobs/\(ids[0])"))
            let stopped = try await h.waitFor(ids[0], [.stopped, .failed, .succeeded], timeout: 10)
            #expect(stopped.state == .stopped)  // a 30 s wait that ran out would be .succeeded
            let other = try #require(await h.service.queue.job(ids[1])).snapshot()
            #expect(other.state == .running)
            #expect(StopFlag.shared.requested == nil)
            _ = await h.router.handle(DaemonRequest(method: "DELETE", target: "/jobs/\(ids[1])"))
            #expect(try await h.waitFor(ids[1], [.stopped], timeout: 10).state == .stopped)
        }
    }
}
