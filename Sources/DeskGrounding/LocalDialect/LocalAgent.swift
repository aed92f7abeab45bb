import DeskCore
import Foundation
import Synchronization

/// Runs a ``LocalPlan`` the way the agent loop runs a model: given each new observation, it answers with
/// the actions for the next step, grounded on that screen with the local grounders.
///
/// The loop owns everything else (policy, input, settling, traces, limits): it calls ``next(frame:windows:)``
/// after every observation, executes `.act` actions through the policy engine, waits and observes again on
/// `.wait`, and ends the run on `.finished`. A step whose target is not on the screen throws
/// ``LocateFailure`` (exit status 1) naming the step and the closest texts seen; `wait for` gives up after
/// ``waitTimeout`` seconds the same way.
public final class LocalAgent: Sendable {
    public let plan: LocalPlan
    public let locator: any TextGrounder
    /// How long `wait for TEXT` waits before failing.
    public let waitTimeout: Double
    /// How often `wait for TEXT` looks again.
    public let pollInterval: Double
    /// The index of the next step to run.
    public var nextStep: Int { progress.withLock { $0.nextStep } }

    private struct Progress {
        var nextStep = 0
        var waitingSince: Double?
    }
    private let progress = Mutex(Progress())
    private let clock: @Sendable () -> Double

    /// - Parameter clock: monotonic seconds (injectable for tests).
    public init(plan: LocalPlan, locator: any TextGrounder, waitTimeout: Double = 10, pollInterval: Double = 0.25,
                clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.plan = plan
        self.locator = locator
        self.waitTimeout = waitTimeout
        self.pollInterval = pollInterval
        self.clock = clock
    }

    /// Parses `goal` and prepares to run it.
    public convenience init(goal: String, locator: any TextGrounder, waitTimeout: Double = 10) throws(LocalPlanError) {
        self.init(plan: try LocalPlan.parse(goal), locator: locator, waitTimeout: waitTimeout)
    }

    /// The decision for the current screen. `windows` are bottom to top.
    public func next(frame: Frame, windows: [WindowBox]) throws -> LocalDecision {
        try progress.withLock { try next(frame: frame, windows: windows, progress: &$0) }
    }

    /// ``next(frame:windows:)`` with the progress locked (the grounding it calls never calls back here).
    private func next(frame: Frame, windows: [WindowBox], progress: inout Progress) throws -> LocalDecision {
        while progress.nextStep < plan.steps.count {
            let index = progress.nextStep
            let step = plan.steps[index]
            switch step {
            case .waitFor(let text):
                if try find(text, in: frame, windows: windows, step: index, required: false) != nil {
                    progress.waitingSince = nil
                    progress.nextStep += 1
                    continue
                }
                let now = clock()
                let since = progress.waitingSince ?? now
                progress.waitingSince = since
                if now - since >= waitTimeout {
                    throw LocateFailure("step \(index + 1) (\(step)): '\(text)' did not appear within \(waitTimeout.formatted) s",
                                        closest: locator.closestTexts(to: text))
                }
                return .wait(seconds: pollInterval, step: index, thought: "waiting for '\(text)'")
            default:
                let actions = try actions(for: step, index: index, frame: frame, windows: windows)
                progress.nextStep += 1
                return .act(actions, step: index, thought: "step \(index + 1): \(step)")
            }
        }
        return .finished("done: \(plan.steps.map(\.description).joined(separator: ", "))")
    }

    /// The actions of one step on this screen.
    func actions(for step: LocalStep, index: Int, frame: Frame, windows: [WindowBox]) throws -> [ScreenAction] {
        func point(_ text: String) throws -> TextMatch {
            // `required: true` never returns nil.
            guard let m = try find(text, in: frame, windows: windows, step: index, required: true) else {
                throw LocateFailure("step \(index + 1) (\(step)): '\(text)' is not on the screen")
            }
            return m
        }
        switch step {
        case .click(let target, let button, let count):
            return [.click(at: try point(target).point, button: button, count: count)]
        case .type(let text, let field?):
            let label = try point(field)
            return [.click(at: FieldFinder.point(for: label, in: frame), button: .left, count: 1), .type(text: text)]
        case .type(let text, nil):
            return [.type(text: text)]
        case .press(let chord):
            return [.key(chord: chord)]
        case .scroll(let direction, let notches, let over):
            return [.scroll(at: try over.map { try point($0).point }, direction: direction, notches: notches)]
        case .drag(let from, let to):
            return [.drag(from: try point(from).point, to: try point(to).point, button: .left)]
        case .wait(let seconds):
            return [.wait(seconds: seconds)]
        case .waitFor:
            return []
        }
    }

    private func find(_ text: String, in frame: Frame, windows: [WindowBox], step: Int, required: Bool) throws -> TextMatch? {
        let found = try locator.locate(TextQuery(text), in: frame, windows: windows)
        if let best = found.first { return best }
        guard required else { return nil }
        throw LocateFailure("step \(step + 1) (\(plan.steps[step])): no text matching '\(text)' on the screen",
                            closest: locator.closestTexts(to: text))
    }
}
