import DeskConfig
import DeskCore
import Foundation
import Testing
import DeskTestSupport
@testable import DeskDaemon

/// The daemon's `--policy` is a floor, not a default (issue 15, item 4): `serve --policy strict`, then
/// `POST /jobs` with `"policy": "permissive"` must not run ctrl+q; a job's policy only tightens.
@Suite("Daemon policy floor", .ownThread)
struct PolicyFloorTests {
    static func plan(floor: String, body: [String: Any]) throws -> JobPlan {
        let policy = try PolicyLoader.load(nameOrPath: floor)
        let settings = DaemonSettings(policyName: floor, policy: policy, traceDir: nil, version: "test", environment: [:])
        let data = try JSONSerialization.data(withJSONObject: body)
        let plan = try JobRequestParser(settings: settings).plan(from: [UInt8](data))
        // Only the policy is looked at: the job's scratch folder goes now, or it outlives the test.
        plan.scratch?.remove()
        return plan
    }

    static func verdict(_ policy: Policy, _ action: ScreenAction) -> PolicyDecision.Verdict {
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        let window = PolicyWindow(id: 7, className: "Gedit", instanceName: "gedit", title: "notes")
        return engine.evaluate(action, context: PolicyContext(now: 1, step: 1, focusedWindow: window,
                                                              windowsAtPoints: [window])).verdict
    }

    @Test func aJobCannotLoosenTheDaemonsPolicy() throws {
        let task = "steps:\n  - key: ctrl+q\n"
        let loose = try Self.plan(floor: "strict", body: ["task_yaml": task, "policy": "permissive"])
        #expect(Self.verdict(loose.policy, .key(chord: "ctrl+q")) == .deny)
        #expect(loose.policy.onViolation == .abort)
        #expect(loose.policyName.contains("strict"))
        // The task's own `policy:` is no way around it either.
        let own = try Self.plan(floor: "strict", body: ["task_yaml": "policy: permissive\n" + task])
        #expect(Self.verdict(own.policy, .key(chord: "ctrl+q")) == .deny)
        // Without a floor's objection the job's own rules still apply on top.
        let tighter = try Self.plan(floor: "permissive", body: ["task_yaml": task, "policy": "strict"])
        #expect(Self.verdict(tighter.policy, .key(chord: "ctrl+q")) == .deny)
        let plain = try Self.plan(floor: "permissive", body: ["task_yaml": task])
        #expect(Self.verdict(plain.policy, .key(chord: "ctrl+q")) == .allow)
    }
}
