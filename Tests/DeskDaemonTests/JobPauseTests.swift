import DeskCore
@testable import DeskDaemon
import Foundation
import Testing
import DeskTestSupport
import DeskTesting

/// A paused job holds where it is — inside a `wait` too, whose time stands still — reports `paused` in its
/// snapshot and events, and goes on from there once resumed.
@Suite(.ownThread) struct JobPauseTests {
    func post(_ h: DaemonHarness, _ target: String, _ object: [String: Any] = [:]) async -> DaemonResponse {
        await h.router.handle(.json("POST", target, object))
    }

    func clicks(_ display: FakeDisplay) -> Int {
        display.desk.performed.filter { if case .click = $0 { return true } else { return false } }.count
    }

    /// Runs `yaml` as a job on the display `witness` (not the paused job's) and waits for it to succeed.
    /// How long "paused" must last is said by a witness, not by a clock: a job on another display runs
    /// alongside the paused one, so once it is done, as much time has passed as that work takes.
    func witness(_ h: DaemonHarness, on witness: String, _ yaml: String) async throws {
        let id = try #require(await post(h, "/jobs", DaemonHarness.taskBody(yaml, extra: ["display": witness]))
            .object["id"] as? String)
        #expect(try await h.waitFor(id, [.succeeded, .failed, .stopped], timeout: 60).state == .succeeded)
    }

    // The waits are long and the pauses come as soon as the job runs, so the tests hold on a loaded machine
    // (2 cores shared with builds): what they check is measured, not assumed.

    @Test func aPauseInsideAWaitHoldsTheWaitAndResumesWhereItWas() async throws {
        let display = FakeDisplay(name: ":94")
        let h = try DaemonHarness(displays: [display, FakeDisplay(name: ":84")])
        try await withTeardown({ await h.stop() }) { () async throws in
            let yaml = "name: p\nsteps:\n  - wait: 3s\n  - click: [1, 1]\n"
            let id = try #require(await post(h, "/jobs", DaemonHarness.taskBody(yaml, extra: ["display": ":94"]))
                .object["id"] as? String)
            _ = try await h.waitFor(id, [.running])
            let pause = await post(h, "/jobs/\(id)/pause")
            let pausedAt = Date()
            #expect(pause.status.code == 200)
            #expect(pause.object["state"] as? String == "paused")
            // Longer than the whole wait: the same wait, started later on another display, has ended, so a
            // wait that kept its clock would have ended by now.
            try await witness(h, on: ":84", "name: w\nsteps:\n  - wait: 3s\n")
            let job = try #require(await h.service.queue.job(id))
            #expect(job.currentState == .paused)
            #expect(clicks(display) == 0)
            // The pause released held input from the job's own thread, inside the wait.
            #expect(display.desk.releases >= 1)
            let resumedAt = Date()
            #expect(await post(h, "/jobs/\(id)/resume").status.code == 200)
            let done = try await h.waitFor(id, [.succeeded, .failed, .stopped], timeout: 30)
            #expect(done.state == .succeeded)
            #expect(clicks(display) == 1)
            // The wait's 3 s ran outside the pause: the job took at least 3 s plus the time it was paused.
            let started = try #require(done.startedAt), ended = try #require(done.endedAt)
            #expect(ended.timeIntervalSince(started) >= 3 + resumedAt.timeIntervalSince(pausedAt) - 0.2,
                    "\(ended.timeIntervalSince(started)) s in all, paused \(resumedAt.timeIntervalSince(pausedAt)) s")
            var states: [JobState] = []
            for await event in job.subscribe() where event.kind == .state { states.append(event.state ?? .queued) }
            #expect(states == [.running, .paused, .running])
        }
    }

    @Test func aPausedJobHoldsBetweenThePiecesOfALongType() async throws {
        let display = FakeDisplay(name: ":95", typingDelay: 0.01)
        let h = try DaemonHarness(displays: [display, FakeDisplay(name: ":85", typingDelay: 0.01)])
        try await withTeardown({ await h.stop() }) { () async throws in
            let text = String(repeating: "abcdefgh", count: 60)
            let id = try #require(await post(h, "/jobs", DaemonHarness.taskBody("name: t\nsteps:\n  - type: \"\(text)\"\n",
                                                                                 extra: ["display": ":95"]))
                .object["id"] as? String)
            while display.desk.typed.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            #expect(await post(h, "/jobs/\(id)/pause").status.code == 200)
            // The job holds at its next safe point, between two pieces, and releases its keys there.
            #expect(await waitUntil { display.desk.releases >= 1 })
            let typedWhilePaused = display.desk.typed.count
            // Meanwhile another job types 60 characters: time for fifteen more of this job's pieces.
            try await witness(h, on: ":85", "name: w\nsteps:\n  - type: \"\(String(repeating: "x", count: 60))\"\n")
            #expect(display.desk.typed.count == typedWhilePaused)
            #expect(typedWhilePaused < text.count)
            #expect(await post(h, "/jobs/\(id)/resume").status.code == 200)
            #expect(try await h.waitFor(id, [.succeeded, .failed, .stopped], timeout: 60).state == .succeeded)
            #expect(display.desk.typed == text)
        }
    }

    @Test func aQueuedJobPausedBeforeItStartsStartsPaused() async throws {
        let display = FakeDisplay(name: ":96")
        let h = try DaemonHarness(displays: [display, FakeDisplay(name: ":86")])
        try await withTeardown({ await h.stop() }) { () async throws in
            let on96 = ["display": ":96"]
            let first = try #require(await post(h, "/jobs", DaemonHarness.taskBody("name: a\nsteps:\n  - wait: 1s\n", extra: on96))
                .object["id"] as? String)
            let second = try #require(await post(h, "/jobs", DaemonHarness.taskBody("name: b\nsteps:\n  - click: [1, 1]\n", extra: on96))
                .object["id"] as? String)
            #expect(await post(h, "/jobs/\(second)/pause").status.code == 202)
            _ = try await h.waitFor(first, [.succeeded], timeout: 30)
            _ = try await h.waitFor(second, [.paused], timeout: 30)
            // The same job, started after it on another display, goes from start to its click and on to the end.
            try await witness(h, on: ":86", "name: w\nsteps:\n  - click: [1, 1]\n")
            #expect(clicks(display) == 0)
            #expect(await post(h, "/jobs/\(second)/resume").status.code == 200)
            #expect(try await h.waitFor(second, [.succeeded, .failed]).state == .succeeded)
            #expect(clicks(display) == 1)
        }
    }
}
