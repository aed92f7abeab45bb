import DeskCore

/// Rejects, before anything starts, what a task asks for that this build cannot do, so the mistake is a
/// usage error (exit 2) naming the file and line, not a failure halfway through a run.
public enum TaskValidator {
    /// Checks every goal a planner will get from `task` (its top-level goal when it is handed to the agent or
    /// has no steps, and each `goal` step) with `read`, which throws when it cannot read one; the error names
    /// the step's file:line.
    public static func checkGoals(of task: TaskFile, useAgent: Bool, with read: (String) throws -> Void) throws {
        if let goal = task.goal, useAgent || task.steps.isEmpty { try read(goal) }
        for step in task.steps {
            guard case .goal(let goal, _) = step.kind else { continue }
            do { try read(goal) } catch {
                throw InputError((step.source.map { "\($0): " } ?? "") + "\(error)")
            }
        }
    }

    /// - Parameters:
    ///   - hasModel: a model endpoint is configured (needed by `goal` steps and `--agent`).
    ///   - useAgent: the task's top-level goal will be handed to the agent instead of running its steps.
    ///   - canFindText: the run has a ``TextFinder`` (local OCR) for `text:` targets, text waits and
    ///     `screen_contains` checks.
    ///   - canFindElements: the run has an ``ElementFinder`` (the accessibility tree) for `element:` targets,
    ///     waits and checks.
    public static func validate(_ task: TaskFile, hasModel: Bool, useAgent: Bool,
                                canFindText: Bool = false, canFindElements: Bool = false) throws(InputError) {
        func at(_ source: SourceLocation?) -> String { source.map { "\($0): " } ?? "\(task.path ?? task.name): " }
        if useAgent {
            guard task.goal != nil else { throw InputError("\(at(nil))--agent needs a top-level 'goal:' in the task") }
            guard hasModel else { throw InputError("\(at(nil))--agent needs a model: pass --endpoint and --model (or set DESKPILOT_ENDPOINT and DESKPILOT_MODEL)") }
        } else if task.steps.isEmpty && task.goal == nil {
            throw InputError("\(at(nil))the task has neither 'steps:' nor a 'goal:'")
        }
        for item in task.setup where !canFindText {
            if case .waitFor(.text, _) = item.kind { throw InputError("\(at(item.source))\(TargetResolver.textUnavailable)") }
        }
        for item in task.setup where !canFindElements {
            if case .waitFor(.element, _) = item.kind { throw InputError("\(at(item.source))\(TargetResolver.elementsUnavailable)") }
        }
        if !useAgent {
            if task.steps.isEmpty, task.goal != nil, !hasModel {
                throw InputError("\(at(nil))the task has only a 'goal:', which needs a model: pass --endpoint and --model (or --agent with them)")
            }
            for step in task.steps where !canFindText {
                for target in targets(of: step.kind) {
                    if case .text = target { throw InputError("\(at(step.source))\(TargetResolver.textUnavailable)") }
                }
                if case .waitFor(.text, _) = step.kind { throw InputError("\(at(step.source))\(TargetResolver.textUnavailable)") }
            }
            for step in task.steps where !canFindElements {
                for target in targets(of: step.kind) {
                    if case .element = target { throw InputError("\(at(step.source))\(TargetResolver.elementsUnavailable)") }
                }
                if case .waitFor(.element, _) = step.kind { throw InputError("\(at(step.source))\(TargetResolver.elementsUnavailable)") }
            }
            for step in task.steps {
                if case .goal = step.kind, !hasModel {
                    throw InputError("\(at(step.source))a 'goal' step needs a model: pass --endpoint and --model (or set DESKPILOT_ENDPOINT and DESKPILOT_MODEL)")
                }
            }
        }
        for check in task.checks where !canFindText {
            if containsScreenText(check.kind) {
                throw InputError("\(at(check.source))\(TargetResolver.textUnavailable)")
            }
        }
        for check in task.checks where !canFindElements {
            if containsElement(check.kind) {
                throw InputError("\(at(check.source))\(TargetResolver.elementsUnavailable)")
            }
        }
    }

    static func targets(of kind: TaskStep.Kind) -> [Target] {
        switch kind {
        case .click(let t, _, _), .move(let t): [t]
        case .drag(let a, let b, _): [a, b]
        case .scroll(let t, _, _): t.map { [$0] } ?? []
        default: []
        }
    }

    static func containsElement(_ kind: Check.Kind) -> Bool {
        switch kind {
        case .element, .elementText: true
        case .all(let l), .any(let l): l.contains { containsElement($0.kind) }
        case .not(let c): containsElement(c.kind)
        default: false
        }
    }

    static func containsScreenText(_ kind: Check.Kind) -> Bool {
        switch kind {
        case .screenText: true
        case .all(let l), .any(let l): l.contains { containsScreenText($0.kind) }
        case .not(let c): containsScreenText(c.kind)
        default: false
        }
    }
}
