import DeskAgent
import DeskConfig
import DeskCore
@testable import DeskDaemon
import Foundation
import Testing
import DeskTestSupport
import DeskTesting

/// Each job's own scratch folder and the `local` dialect, as the request parser and the queue handle them.
@Suite(.ownThread) struct JobScratchTests {
    func settings(local: (any LocalGoalPlanning)? = nil, environment: [String: String] = [:]) throws -> DaemonSettings {
        var env = ProcessInfo.processInfo.environment
        for key in ["DESKPILOT_ENDPOINT", "DESKPILOT_MODEL", "DESKPILOT_DIALECT"] { env.removeValue(forKey: key) }
        env["XDG_CONFIG_HOME"] = NSTemporaryDirectory() + "deskpilot-no-config"
        for (k, v) in environment { env[k] = v }
        return DaemonSettings(policyName: "default", policy: try PolicyLoader.load(nameOrPath: "default"), traceDir: nil, version: "test",
                              environment: env, localPlanning: local)
    }

    func body(_ object: [String: Any]) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object))
    }

    static let usesScratch = "name: s\nsteps:\n  - type: \"${env:DESKPILOT_SCRATCH}\"\n"

    @Test func eachPlanGetsItsOwnScratchFolderEvenWhenTheDaemonHasOne() throws {
        let parser = JobRequestParser(settings: try settings(environment: ["DESKPILOT_SCRATCH": "/tmp/shared-by-all"]))
        let a = try parser.plan(from: body(["task_yaml": Self.usesScratch]))
        let b = try parser.plan(from: body(["task_yaml": Self.usesScratch]))
        defer { a.scratch?.remove(); b.scratch?.remove() }
        let pathA = try #require(a.scratch?.path), pathB = try #require(b.scratch?.path)
        #expect(pathA != pathB)
        #expect(FileManager.default.fileExists(atPath: pathA))
        #expect(a.environment["DESKPILOT_SCRATCH"] == pathA)
        guard case .task(let task, _) = a.work, case .type(let typed) = task.steps.first?.kind else {
            Issue.record("not a type step")
            return
        }
        #expect(typed.resolved == pathA)
    }

    @Test func aRefusedRequestLeavesNoScratchFolder() throws {
        // A parent of its own: other tests of this process make and remove job folders meanwhile.
        let parent = NSTemporaryDirectory() + "deskpilot-scratch-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        var settings = try settings()
        settings.scratchParent = parent
        let parser = JobRequestParser(settings: settings)
        #expect(throws: APIError.self) { try parser.plan(from: body(["task_yaml": "name: x\nsteps:\n  - nonsense: 1\n"])) }
        #expect(throws: APIError.self) { try parser.plan(from: body(["goal": "click OK"])) }
        #expect(throws: APIError.self) { try parser.plan(from: body(["task_yaml": "name: x\nsteps:\n  - wait: 1s\n", "bogus": 1])) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == [])
        // An accepted one does make its folder there.
        let plan = try parser.plan(from: body(["task_yaml": Self.usesScratch]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).count == 1)
        plan.scratch?.remove()
    }

    @Test func aJobRemovesItsScratchFolderWhenItEnds() async throws {
        let display = FakeDisplay(name: ":97")
        let h = try DaemonHarness(displays: [display])
        try await withTeardown({ await h.stop() }) { () async throws in
            let created = await h.router.handle(.json("POST", "/jobs", DaemonHarness.taskBody(Self.usesScratch)))
            let id = try #require(created.object["id"] as? String)
            let job = try #require(await h.service.queue.job(id))
            let path = try #require(job.plan.scratch?.path)
            _ = try await h.waitFor(id, [.succeeded, .failed])
            #expect(display.desk.typed == path)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    /// Reads goals of the form `click X` only; plans nothing (the parser never runs a job).
    struct ClickOnly: LocalGoalPlanning {
        func check(goal: String) throws {
            guard goal.hasPrefix("click ") else { throw InputError("cannot understand '\(goal)'") }
        }
        func planner(for desktop: Desktop) throws -> @Sendable (String) throws -> any ScreenPlanner {
            throw EnvironmentError("not in this test")
        }
    }

    @Test func aLocalGoalNeedsNoEndpointAndIsReadBeforeItIsQueued() throws {
        let parser = JobRequestParser(settings: try settings(local: ClickOnly()))
        let plan = try parser.plan(from: body(["goal": "click OK", "dialect": "local"]))
        defer { plan.scratch?.remove() }
        #expect(plan.isLocal)
        #expect(plan.model?.endpoint == nil)
        do {
            _ = try parser.plan(from: body(["goal": "make tea", "dialect": "local"]))
            Issue.record("an unreadable local goal must be refused")
        } catch {
            let refusal = error as? APIError
            #expect(refusal?.status.code == 400)
            #expect(refusal?.message.contains("cannot understand 'make tea'") == true, "\(error)")
        }
        // A task's goal steps are read too, with their file:line.
        do {
            _ = try parser.plan(from: body(["task_yaml": "name: g\nsteps:\n  - goal: \"make tea\"\n", "task_name": "g.yaml",
                                            "dialect": "local"]))
            Issue.record("an unreadable goal step must be refused")
        } catch {
            #expect((error as? APIError)?.message.contains("g.yaml:3") == true, "\(error)")
        }
        // Without the daemon's local planning a goal still needs an endpoint.
        #expect(throws: APIError.self) {
            try JobRequestParser(settings: try settings()).plan(from: body(["goal": "click OK", "dialect": "local"]))
        }
    }
}
