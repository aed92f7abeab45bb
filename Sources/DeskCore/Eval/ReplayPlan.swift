import Foundation

/// The steps `deskpilot replay` runs: every executed action of a recorded run, at the recorded screen
/// points, with the waits between them, so a task (or a model's answer to it) can be re-checked without the
/// model.
///
/// A recorded step with executed actions becomes one task step per action (`click` at the pixel the run
/// clicked, `type` of the recorded text, …). A step without actions — a scripted `wait`, `wait_for` or
/// `focus`, or a model step that acted on nothing — becomes the task file's own step when the trace is of a
/// scripted run of that task (step numbers then match the task's steps), else a pause as long as the
/// recorded one. Denied or failed actions are not replayed; terminal actions (`finished`, …) act on nothing.
public struct ReplayPlan: Sendable, Hashable {
    public var steps: [TaskStep]
    /// Recorded actions that were left out, each with why (a denied action, a terminal action).
    public var skipped: [String]
    /// True when the waits and focus steps came from the task file (a scripted run of it).
    public var usesTaskSteps: Bool

    /// The longest pause replay inserts for a recorded step it cannot re-create.
    public static let maximumPause = 30.0

    /// What the redactor writes in place of a secret.
    public static let redactionMarker = "[redacted]"

    /// The plan for `summary`; `task` is the task file the run used, if any (its current contents).
    ///
    /// Throws ``InputError`` naming the step for what cannot be replayed: an action kind the task runner
    /// cannot perform (`press`, `release`, `mouse_down`, `mouse_up`), a secret the trace does not keep, a
    /// trace that recorded no action at all.
    public static func make(summary: TraceSummary, task: TaskFile?) throws(InputError) -> ReplayPlan {
        let events = summary.steps
        let isModelRun = events.contains { $0.request != nil || $0.answer != nil || $0.parseError != nil }
        let taskSteps = task?.steps ?? []
        // Scripted traces number their steps exactly like the task's steps; check that before relying on it.
        let scripted = !isModelRun && !taskSteps.isEmpty && events.allSatisfy { e in
            guard e.step >= 1, e.step <= taskSteps.count else { return false }
            return e.actions.isEmpty || isActionKind(taskSteps[e.step - 1].kind)
        }
        var steps: [TaskStep] = []
        var skipped: [String] = []
        let endTime = summary.checks.first?.time ?? summary.end?.time
        for (i, event) in events.enumerated() {
            let original = scripted ? taskSteps[event.step - 1] : nil
            let executed = event.actions.filter { $0.executed && $0.action != nil }
            for a in event.actions where !(a.executed && a.action != nil) {
                skipped.append("step \(event.step): \(a.description) (\(a.decision.map { "\($0.verdict)" } ?? (a.error ?? "not executed")))")
            }
            if executed.isEmpty {
                if let original, !isActionKind(original.kind) {
                    steps.append(original)
                } else if event.actions.isEmpty {
                    let next = i + 1 < events.count ? events[i + 1].time : endTime
                    if let next {
                        let gap = min(maximumPause, max(0, next.timeIntervalSince(event.time)))
                        if gap >= 0.05 { steps.append(TaskStep(.wait(seconds: (gap * 1000).rounded() / 1000))) }
                    }
                }
                continue
            }
            for record in executed {
                guard let action = record.action else { continue }
                if action.isTerminal {
                    skipped.append("step \(event.step): \(record.description) (acts on nothing)")
                    continue
                }
                steps.append(try step(for: action, stepNumber: event.step, original: original))
            }
        }
        guard steps.contains(where: { isActionKind($0.kind) }) else {
            throw InputError("the trace records no executed action to replay")
        }
        return ReplayPlan(steps: steps, skipped: skipped, usesTaskSteps: scripted)
    }

    /// The task step that performs `action`.
    static func step(for action: ScreenAction, stepNumber n: Int, original: TaskStep?) throws(InputError) -> TaskStep {
        switch action {
        case .click(let at, let button, let count):
            guard let at else { throw InputError("step \(n): a click without a point cannot be replayed") }
            return TaskStep(.click(.at(at), button: button, count: count))
        case .move(let to):
            return TaskStep(.move(.at(to)))
        case .drag(let from, let to, let button):
            return TaskStep(.drag(from: .at(from), to: .at(to), button: button))
        case .scroll(let at, let direction, let notches):
            return TaskStep(.scroll(at.map { .at($0) }, direction: direction, notches: notches))
        case .key(let chord):
            do {
                return TaskStep(.key(try KeyChord.parse(chord)))
            } catch {
                throw InputError("step \(n): the recorded key chord '\(chord)' does not parse: \(error)")
            }
        case .type(let text):
            guard text.contains(redactionMarker) else { return TaskStep(.type(TaskText(text))) }
            // The trace keeps no secret: the task file still has it, when this step came from the file.
            if let original, case .type = original.kind { return original }
            throw InputError("step \(n): the typed text was redacted in the trace (a secret), so it cannot be replayed")
        case .wait(let seconds):
            return TaskStep(.wait(seconds: seconds))
        case .press, .release, .mouseDown, .mouseUp:
            throw InputError("step \(n): replaying '\(action.kind.rawValue)' (a held key or button) is not supported yet")
        case .finished, .callUser, .infeasible:
            throw InputError("step \(n): \(action.kind.rawValue) is not an input action")
        }
    }

    /// True for steps that inject input (the ones a trace records as actions).
    public static func isActionKind(_ kind: TaskStep.Kind) -> Bool {
        switch kind {
        case .click, .move, .drag, .scroll, .key, .type: true
        case .focus, .wait, .waitFor, .goal: false
        }
    }
}
