import DeskAgent
import DeskCore
import Foundation
import Synchronization

/// Runs single actions outside any job (`POST /actions`, the MCP tools), each through the policy engine.
///
/// There is nobody to ask, so a `confirm` decision is a denial whose reason says so. Each display keeps
/// one policy gate, so rate limits and typed-text rules see every direct action on it; the run limits
/// (`max_steps`, `max_duration`) do not apply to actions that belong to no run. Actions run on a thread of
/// their own: typing blocks for as long as it types.
public final class DirectActions: Sendable {
    /// What happened to one action.
    public struct Result: Sendable, Hashable, Codable {
        /// True when the input was injected.
        public var executed: Bool
        /// `allow`, `deny`, `denied_by_person` (a confirmation nobody could give).
        public var decision: String
        public var rule: String?
        public var reason: String
        public var action: String
        /// An input error, when the action was allowed but failed.
        public var error: String?

        enum CodingKeys: String, CodingKey { case executed, decision, rule, reason, action, error }
    }

    let policy: Policy
    let environment: [String: String]
    private let desks = Mutex<[String: (desktop: Desktop, gate: PolicyGate)]>([:])
    private let queue = DispatchQueue(label: "deskpilot.direct-actions")

    public init(policy: Policy, environment: [String: String] = ProcessInfo.processInfo.environment) {
        var unlimited = policy
        unlimited.limits.maxSteps = nil
        unlimited.limits.maxDuration = nil
        self.policy = unlimited
        self.environment = environment
    }

    /// Judges `action` and performs it on `display` when allowed; held keys are released afterwards, except
    /// after a `press`, whose key stays down until a `release` or the next other action has run.
    public func perform(_ action: ScreenAction, on display: any DaemonDisplay) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            queue.async {
                continuation.resume(with: Swift.Result { try self.performNow(action, on: display) })
            }
        }
    }

    private func performNow(_ action: ScreenAction, on display: any DaemonDisplay) throws -> Result {
        let (desktop, gate) = try desk(for: display)
        let check = try gate.check(action, step: 1)
        let description = PolicyGate.describe(action, redactor: policy.redactor())
        var result = Result(executed: false, decision: check.outcome.rawValue, rule: check.decision.rule,
                            reason: check.decision.reason, action: description)
        if check.decision.verdict == .confirm {
            result.decision = PolicyOutcome.deny.rawValue
            result.reason = "needs a person's confirmation (\(check.decision.reason)), and nobody can confirm a direct action"
        }
        guard check.runs else { return result }
        do {
            // A key held by an earlier `press` is let go before this action carries it somewhere refused
            // (the pointer to a refused window, a modifier making a refused chord).
            for refusal in gate.refusedHeldKeys(gate.heldKeyNames, before: action) {
                try desktop.performer.perform(.release(key: refusal.key))
                gate.recordExecuted(.release(key: refusal.key), context: check.context)
            }
            try desktop.performer.perform(action)
            result.executed = true
            gate.recordExecuted(action, context: check.context)
        } catch {
            result.error = "\(error)"
            // A broken connection must not stick: the next action opens fresh adapters.
            if (error as? any DeskError)?.exitStatus == .environment { forget(display.name) }
        }
        // A `press` holds its key for the next actions (shift+click); anything else ends with every key up.
        if case .press = action {} else {
            desktop.performer.releaseAll()
            for key in gate.heldKeyNames { gate.recordExecuted(.release(key: key), context: check.context) }
        }
        return result
    }

    private func desk(for display: any DaemonDisplay) throws -> (Desktop, PolicyGate) {
        // Held while the adapters are made, so one display never gets two (making them never calls back here).
        try desks.withLock { desks in
            if let desk = desks[display.name] { return desk }
            var env = environment
            env["DISPLAY"] = display.name
            let desktop = try display.makeDesktop(environment: env)
            let gate = PolicyGate(policy: policy, windows: desktop.windows, prompt: nil, autoApprove: false, dryRun: false)
            desks[display.name] = (desktop, gate)
            return (desktop, gate)
        }
    }

    /// Forgets the adapters of `display` (after it was reconnected).
    public func forget(_ display: String) {
        _ = desks.withLock { $0.removeValue(forKey: display) }
    }
}
