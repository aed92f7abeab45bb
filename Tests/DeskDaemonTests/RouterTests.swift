import DeskConfig
import DeskCore
@testable import DeskDaemon
import Foundation
import Testing
import DeskTestSupport
import DeskTesting

/// The control API called directly (no socket): every route, status code and error, and jobs that run on
/// fake displays.
@Suite(.ownThread) struct RouterTests {
    static let twoSteps = """
        name: two-steps
        steps:
          - click: [10, 10]
          - type: "hi"
        """

    func post(_ h: DaemonHarness, _ target: String, _ object: [String: Any]) async -> DaemonResponse {
        await h.router.handle(.json("POST", target, object))
    }

    func get(_ h: DaemonHarness, _ target: String) async -> DaemonResponse {
        await h.router.handle(DaemonRequest(method: "GET", target: target))
    }

    @Test func healthAndInfo() async throws {
        let h = try DaemonHarness()
        try await withTeardown({ await h.stop() }) { () async throws in
            let health = await get(h, "/health")
            #expect(health.status.code == 200 && health.object["status"] as? String == "ok")
            let info = await get(h, "/info")
            #expect(info.status.code == 200)
            let displays = try #require(info.object["displays"] as? [[String: Any]])
            #expect(displays.first?["name"] as? String == ":91" && displays.first?["width"] as? Int == 320)
            #expect(info.object["policy_name"] as? String == "default")
            #expect((info.object["policy"] as? [String: Any])?["name"] as? String == "default")
            #expect(info.object["version"] as? String == "test")
        }
    }

    @Test func unknownRoutesAre404AndWrongMethods405WithAllow() async throws {
        let h = try DaemonHarness()
        try await withTeardown({ await h.stop() }) { () async throws in
            #expect(await get(h, "/nope").status.code == 404)
            #expect(await get(h, "/jobs/1/nope").status.code == 404)
            let wrong = await h.router.handle(DaemonRequest(method: "PUT", target: "/jobs"))
            #expect(wrong.status.code == 405)
            #expect(wrong.header("Allow") == "GET, POST")
            #expect(await h.router.handle(DaemonRequest(method: "POST", target: "/health")).status.code == 405)
            #expect(await get(h, "/jobs/99").status.code == 404)
            #expect(await h.router.handle(DaemonRequest(method: "DELETE", target: "/jobs/99")).status.code == 404)
            #expect(await post(h, "/jobs/99/confirm", ["approve": true]).status.code == 404)
        }
    }

    @Test func malformedJSONIs400WithTheParseError() async throws {
        let h = try DaemonHarness()
        try await withTeardown({ await h.stop() }) { () async throws in
            let r = await h.router.handle(DaemonRequest(method: "POST", target: "/jobs", body: Array("{\"goal\": ".utf8)))
            #expect(r.status.code == 400)
            #expect((r.object["error"] as? String)?.hasPrefix("malformed JSON") == true)
            let notObject = await h.router.handle(DaemonRequest(method: "POST", target: "/jobs", body: Array("[1]".utf8)))
            #expect(notObject.status.code == 400)
        }
    }

    @Test func malformedYAMLIs400WithFileLineAndColumn() async throws {
        let h = try DaemonHarness()
        try await withTeardown({ await h.stop() }) { () async throws in
            let r = await post(h, "/jobs", DaemonHarness.taskBody("name: x\nsteps:\n  - clik: [1, 2]\n"))
            #expect(r.status.code == 400)
            let message = try #require(r.object["error"] as? String)
            #expect(message.contains("test-task.yaml:3:"), "\(message)")
            let broken = await post(h, "/jobs", DaemonHarness.taskBody("name: [unclosed\n"))
            #expect(broken.status.code == 400)
        }
    }

    @Test(arguments: [
        (["goal": "do it"] as [String: String], "endpoint"),
        (["goal": "a", "task_yaml": "name: x"], "exactly one"),
        (["task_yaml": "name: x", "colour": "red"], "unknown field"),
        (["goal": "   "], "must not be empty"),
    ])
    func badJobsAre400(body: [String: String], says: String) async throws {
        let h = try DaemonHarness()
        try await withTeardown({ await h.stop() }) { () async throws in
            let r = await post(h, "/jobs", body)
            #expect(r.status.code == 400)
            #expect((r.object["error"] as? String)?.contains(says) == true, "\(r.object)")
        }
    }

    @Test func aScriptedTaskRunsToSuccessWithItsTrace() async throws {
        let display = FakeDisplay(name: ":91")
        let h = try DaemonHarness(displays: [display])
        try await withTeardown({ await h.stop() }) { () async throws in
            let r = await post(h, "/jobs", DaemonHarness.taskBody(Self.twoSteps))
            #expect(r.status.code == 201)
            let id = try #require(r.object["id"] as? String)
            let done = try await h.waitFor(id, [.succeeded, .failed, .stopped])
            #expect(done.state == .succeeded, "\(done.reason ?? "")")
            #expect(done.exitCode == 0 && done.steps == 2 && done.display == ":91")
            #expect(display.desk.typed == "hi")
            let trace = try #require(done.traceDir)
            #expect(FileManager.default.fileExists(atPath: trace + "/trace.jsonl"))
            let list = await get(h, "/jobs")
            #expect((list.object["jobs"] as? [[String: Any]])?.count == 1)
            let one = await get(h, "/jobs/\(id)")
            #expect(one.object["state"] as? String == "succeeded")
            let active = await get(h, "/jobs?state=active")
            #expect((active.object["jobs"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test func answersToAJobThatWaitsForNothingAre409() async throws {
        let h = try DaemonHarness()
        try await withTeardown({ await h.stop() }) { () async throws in
            let id = try #require(await post(h, "/jobs", DaemonHarness.taskBody(Self.twoSteps)).object["id"] as? String)
            _ = try await h.waitFor(id, [.succeeded])
            #expect(await post(h, "/jobs/\(id)/confirm", ["approve": true]).status.code == 409)
            #expect(await post(h, "/jobs/\(id)/reply", ["text": "hello"]).status.code == 409)
            #expect(await post(h, "/jobs/\(id)/resume", [:]).status.code == 409)
            #expect(await post(h, "/jobs/\(id)/pause", [:]).status.code == 409)
            #expect(await post(h, "/jobs/\(id)/confirm", ["approve": "yes"]).status.code == 400)
            #expect(await post(h, "/jobs/\(id)/reply", ["text": ""]).status.code == 400)
            // Stopping an ended job changes nothing.
            let stop = await h.router.handle(DaemonRequest(method: "DELETE", target: "/jobs/\(id)"))
            #expect(stop.status.code == 200 && stop.object["state"] as? String == "succeeded")
        }
    }

    static let confirmPolicy = """
        name: confirm-typing
        confirm:
          - actions: [type]
            reason: typing needs a yes
        """

    @Test(arguments: [true, false])
    func aConfirmationGateIsAnsweredThroughTheAPI(approve: Bool) async throws {
        let display = FakeDisplay(name: ":91")
        let policy = try PolicyLoader.parse(yaml: Self.confirmPolicy, file: "confirm.yaml")
        let h = try DaemonHarness(displays: [display], policy: policy)
        try await withTeardown({ await h.stop() }) { () async throws in
            let id = try #require(await post(h, "/jobs", DaemonHarness.taskBody(Self.twoSteps)).object["id"] as? String)
            let waiting = try await h.waitFor(id, [.awaitingConfirmation])
            #expect(waiting.question?.contains("typing needs a yes") == true, "\(waiting.question ?? "nil")")
            let answer = await post(h, "/jobs/\(id)/confirm", ["approve": approve])
            #expect(answer.status.code == 200)
            let done = try await h.waitFor(id, [.succeeded, .failed, .stopped])
            if approve {
                #expect(done.state == .succeeded)
                #expect(display.desk.typed == "hi")
            } else {
                #expect(done.state == .failed && done.exitCode == 1)
                #expect(display.desk.typed == "")
            }
        }
    }

    @Test func pauseWaitsAtASafePointAndResumeGoesOn() async throws {
        let display = FakeDisplay(name: ":91")
        let h = try DaemonHarness(displays: [display])
        try await withTeardown({ await h.stop() }) { () async throws in
            // A wait long enough for the pause to land in it on a loaded machine.
            let yaml = "name: p\nsteps:\n  - wait: 2s\n  - click: [1, 1]\n  - click: [2, 2]\n"
            let id = try #require(await post(h, "/jobs", DaemonHarness.taskBody(yaml)).object["id"] as? String)
            _ = try await h.waitFor(id, [.running])
            // A running job is paused at once (200), also inside its wait.
            #expect(await post(h, "/jobs/\(id)/pause", [:]).status.code == 200)
            let paused = try await h.waitFor(id, [.paused])
            #expect(paused.state == .paused)
            // The job's own thread takes the pause inside the wait, releasing held input there.
            #expect(await waitUntil { display.desk.releases >= 1 })
            #expect(try #require(await h.service.queue.job(id)).currentState == .paused)
            #expect(display.desk.performed.filter { if case .click = $0 { return true } else { return false } }.count < 2)
            #expect(display.desk.releases >= 1)
            #expect(await post(h, "/jobs/\(id)/resume", [:]).status.code == 200)
            let done = try await h.waitFor(id, [.succeeded, .failed, .stopped])
            #expect(done.state == .succeeded)
        }
    }

    @Test func stoppingAJobMidTypingLeavesNoKeyDown() async throws {
        let display = FakeDisplay(name: ":91", typingDelay: 0.01)
        let h = try DaemonHarness(displays: [display])
        try await withTeardown({ await h.stop() }) { () async throws in
            let text = String(repeating: "abcdefghij", count: 50)
            let id = try #require(await post(h, "/jobs", DaemonHarness.taskBody("name: t\nsteps:\n  - type: \"\(text)\"\n"))
                .object["id"] as? String)
            let deadline = Date().addingTimeInterval(10)
            while display.desk.typed.count < 10 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
            let stop = await h.router.handle(DaemonRequest(method: "DELETE", target: "/jobs/\(id)"))
            #expect(stop.status.code == 200)
            #expect(stop.object["state"] as? String == "stopped")
            #expect(stop.object["exit_code"] as? Int == 130)
            #expect(display.desk.held.isEmpty)
            #expect(display.desk.typed.count < text.count)
            #expect(display.desk.releases >= 1)
        }
    }

    @Test func aQueuedJobStopsAtOnce() async throws {
        let h = try DaemonHarness()
        try await withTeardown({ await h.stop() }) { () async throws in
            let first = try #require(await post(h, "/jobs", DaemonHarness.taskBody("name: a\nsteps:\n  - wait: 2s\n"))
                .object["id"] as? String)
            let second = await post(h, "/jobs", DaemonHarness.taskBody(Self.twoSteps))
            let id = try #require(second.object["id"] as? String)
            #expect(second.object["state"] as? String == "queued" && second.object["queue_position"] as? Int == 1)
            let stop = await h.router.handle(DaemonRequest(method: "DELETE", target: "/jobs/\(id)"))
            #expect(stop.object["state"] as? String == "stopped")
            _ = await h.router.handle(DaemonRequest(method: "DELETE", target: "/jobs/\(first)"))
        }
    }

    @Test func twoJobsOnATwoDisplayPoolRunInParallelAndAThirdWaits() async throws {
        let displays = [FakeDisplay(name: ":91"), FakeDisplay(name: ":92")]
        let h = try DaemonHarness(displays: displays)
        try await withTeardown({ await h.stop() }) { () async throws in
            let yaml = "name: w\nsteps:\n  - wait: 1500ms\n"
            var ids: [String] = []
            for _ in 0..<3 {
                ids.append(try #require(await post(h, "/jobs", DaemonHarness.taskBody(yaml)).object["id"] as? String))
            }
            let a = try await h.waitFor(ids[0], [.running])
            let b = try await h.waitFor(ids[1], [.running])
            #expect(Set([a.display, b.display]) == [":91", ":92"])
            let third = try #require(await h.service.queue.job(ids[2])).snapshot()
            #expect(third.state == .queued && third.queuePosition == 1)
            let done = try await h.waitFor(ids[2], [.succeeded], timeout: 30)
            #expect(done.state == .succeeded)
            let first = try #require(await h.service.queue.job(ids[0]))
            let firstEnd = try #require(first.snapshot().endedAt)
            let thirdStart = try #require(done.startedAt)
            #expect(thirdStart >= firstEnd.addingTimeInterval(-0.05))
        }
    }

    @Test func screenshotIsAPNG() async throws {
        let h = try DaemonHarness()
        try await withTeardown({ await h.stop() }) { () async throws in
            let r = await get(h, "/screenshot")
            #expect(r.status.code == 200 && r.header("Content-Type") == "image/png")
            #expect(Array(r.bodyBytes.prefix(8)) == FakeCodec.signature)
            #expect(await get(h, "/screenshot?display=:5").status.code == 404)
        }
    }

    @Test func directActionsPassThePolicy() async throws {
        let display = FakeDisplay(name: ":91")
        let h = try DaemonHarness(displays: [display])
        try await withTeardown({ await h.stop() }) { () async throws in
            let click = await post(h, "/actions", ["action": "click", "x": 5, "y": 6])
            #expect(click.status.code == 200 && click.object["executed"] as? Bool == true)
            #expect(display.desk.performed.first == .click(at: Point(x: 5, y: 6), button: .left, count: 1))
            let denied = await post(h, "/actions", ["action": "key", "keys": "ctrl+alt+delete"])
            #expect(denied.status.code == 403 && denied.object["decision"] as? String == "deny")
            #expect(display.desk.performed.count == 1)
            #expect(await post(h, "/actions", ["action": "click", "x": 5000, "y": 6]).status.code == 400)
            #expect(await post(h, "/actions", ["action": "teleport"]).status.code == 400)
        }
    }

    @Test func directActionsWaitForNoJob() async throws {
        let h = try DaemonHarness()
        try await withTeardown({ await h.stop() }) { () async throws in
            let id = try #require(await post(h, "/jobs", DaemonHarness.taskBody("name: a\nsteps:\n  - wait: 1s\n"))
                .object["id"] as? String)
            _ = try await h.waitFor(id, [.running])
            #expect(await post(h, "/actions", ["action": "click", "x": 5, "y": 6]).status.code == 409)
            _ = try await h.waitFor(id, [.succeeded])
            #expect(await post(h, "/actions", ["action": "click", "x": 5, "y": 6]).status.code == 200)
        }
    }

    @Test func aConfirmDecisionIsADenialForDirectActions() async throws {
        let policy = try PolicyLoader.parse(yaml: Self.confirmPolicy, file: "confirm.yaml")
        let display = FakeDisplay(name: ":91")
        let h = try DaemonHarness(displays: [display], policy: policy)
        try await withTeardown({ await h.stop() }) { () async throws in
            let r = await post(h, "/actions", ["action": "type", "text": "secret"])
            #expect(r.status.code == 403 && r.object["executed"] as? Bool == false)
            #expect((r.object["reason"] as? String)?.contains("nobody can confirm") == true)
            #expect(display.desk.typed.isEmpty)
        }
    }
}
