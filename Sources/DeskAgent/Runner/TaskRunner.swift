import DeskCore
import Foundation
import Synchronization

/// Runs a scripted task: setup, steps (each through the run's one policy check point), then checks.
///
/// A `goal` step hands a sub-goal to the agent loop, which continues the task's step numbering; with
/// ``Options/useAgent`` the task's top-level goal is handed to the agent instead of running the steps
/// (what `eval` measures). Background setup commands are stopped when the run ends.
public final class TaskRunner: Sendable {
    public struct Options: Sendable, Hashable {
        /// Run the top-level goal through the agent instead of the scripted steps.
        public var useAgent: Bool
        /// Seconds a failing check is retried.
        public var checkGrace: Double

        public init(useAgent: Bool = false, checkGrace: Double = 2.0) {
            self.useAgent = useAgent
            self.checkGrace = checkGrace
        }
    }

    public let task: TaskFile
    public let executor: ActionExecutor
    public let trace: RunTrace
    public let reporter: any StepReporter
    public let agent: AgentLoop?
    public let options: Options
    private struct SetupProcesses {
        /// Every background command started, stopped when the run ends.
        var background: [any LaunchedProcess] = []
        /// Background commands of the setup, with where they were written and when they started.
        var launched: [(process: any LaunchedProcess, command: TaskCommand, at: String, startedAt: Double)] = []
    }
    private let setupProcesses = Mutex(SetupProcesses())
    private var desktop: Desktop { executor.desktop }
    private var resolver: TargetResolver { TargetResolver(desktop: desktop) }
    /// Runs the input steps (no redaction here: the trace recorder and the final line redact).
    private var steps: StepExecutor {
        StepExecutor(configuration: AgentConfiguration(), actions: executor, trace: trace, reporter: reporter,
                     redactor: Redactor())
    }

    public init(task: TaskFile, executor: ActionExecutor, trace: RunTrace, reporter: any StepReporter,
                agent: AgentLoop?, options: Options = Options()) {
        self.task = task
        self.executor = executor
        self.trace = trace
        self.reporter = reporter
        self.agent = agent
        self.options = options
    }

    /// Runs the task to its end. Background commands are stopped before returning.
    public func run(startedAt: Double = MonotonicClock.now()) async -> TaskOutcome {
        defer { stopBackground() }
        var step = 0
        var prompt = 0, completion = 0
        func ended(_ ending: RunEnding, _ reason: String) -> TaskOutcome {
            TaskOutcome(ending: ending, reason: reason, steps: step, promptTokens: prompt, completionTokens: completion)
        }
        do {
            try runSetup()
        } catch {
            let ending: RunEnding = error is StoppedError ? .stopped : error is RunTimeLimit ? .maxDuration : RunEnding.forError(error)
            return ended(ending, "setup: \(error)")
        }

        if options.useAgent, let goal = task.goal {
            guard let agent else { return ended(.inputError, "--agent needs a model") }
            let result = await agent.run(goal: goal, firstStep: 1, startedAt: startedAt)
            step = result.steps
            prompt = result.promptTokens
            completion = result.completionTokens
            if result.ending != .finished { return ended(result.ending, "agent: \(result.reason)") }
        } else if task.steps.isEmpty, let goal = task.goal, let agent {
            let result = await agent.run(goal: goal, firstStep: 1, startedAt: startedAt)
            step = result.steps
            prompt = result.promptTokens
            completion = result.completionTokens
            if result.ending != .finished { return ended(result.ending, "agent: \(result.reason)") }
        } else {
            for taskStep in task.steps {
                if let why = StopFlag.current.requested { return ended(.stopped, why) }
                step += 1
                if case .goal(let goal, let maxSteps) = taskStep.kind {
                    guard let agent else { return ended(.inputError, "\(where_(taskStep.source))a goal step needs a model") }
                    reporter.message("step \(step): goal \"\(goal)\"")
                    let result = await agent.run(goal: goal, firstStep: step, maxSteps: maxSteps, startedAt: startedAt)
                    step += max(0, result.steps - 1)
                    prompt += result.promptTokens
                    completion += result.completionTokens
                    if result.ending != .finished {
                        return ended(result.ending, "\(where_(taskStep.source))goal \"\(goal)\": \(result.reason)")
                    }
                    continue
                }
                if let failure = await runStep(taskStep, number: step) { return ended(failure.0, failure.1) }
            }
        }

        let evaluator = CheckEvaluator(desktop: desktop, directory: task.directory, grace: options.checkGrace)
        let results: [CheckResult]
        do {
            results = try evaluator.evaluate(task.checks)
        } catch {
            return ended(.stopped, error.reason)
        }
        for result in results {
            reporter.message("check \(result.passed ? "passed" : "FAILED"): \(result.name)" + (result.passed ? "" : " — \(result.detail)"))
            do { try trace.record(.check(result.event)) } catch { return ended(.environmentError, "\(error)") }
        }
        var outcome = ended(.finished, task.checks.isEmpty ? "all \(step) steps done" : "all \(results.count) checks passed")
        outcome.checks = results
        if let failed = results.first(where: { !$0.passed }) {
            outcome.ending = .checkFailed
            outcome.reason = "check failed: \(failed.name)" + (failed.source.map { " (\($0))" } ?? "") + ": \(failed.detail)"
        }
        return outcome
    }

    // MARK: - Setup

    /// How long a background command must keep running to count as started: one that ends with an error
    /// status sooner fails the setup with its status and last line of output.
    static let launchGrace = 0.5

    private func runSetup() throws {
        try checkPrograms()
        defer { setupProcesses.withLock { $0.launched = [] } }
        for item in task.setup {
            try StopFlag.current.check()
            let at = where_(item.source)
            switch item.kind {
            case .run(let command, let isBackground, let timeout):
                guard let launcher = desktop.launcher else { throw EnvironmentError("\(at)no process launcher") }
                if isBackground {
                    reporter.message("setup: started \(command)")
                    let process = try launcher.start(command.resolvedArguments, directory: task.directory)
                    setupProcesses.withLock {
                        $0.background.append(process)
                        $0.launched.append((process, command, at, MonotonicClock.now()))
                    }
                } else {
                    reporter.message("setup: running \(command)")
                    let result = try launcher.run(command.resolvedArguments, directory: task.directory, timeout: timeout)
                    guard let status = result.status else {
                        throw StepFailure("\(at)setup command \(command) did not finish within \(timeout.formatted)s")
                    }
                    guard status == 0 else {
                        let err = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                        throw StepFailure("\(at)setup command \(command) exited with \(status)" + (err.isEmpty ? "" : ": \(err.suffix(300))"))
                    }
                }
            case .waitFor(let condition, let timeout):
                if let limit = try waitWithinLimit(condition, timeout: timeout, at: at) { throw limit }
                // What was waited for is up: a later exit of those programs is the steps' business (and may
                // be the display going away), not an early exit.
                setupProcesses.withLock { $0.launched = [] }
            case .focus(let matcher):
                guard let window = TargetResolver.firstWindow(matching: matcher, in: desktop.windows.windows()) else {
                    throw StepFailure("\(at)no window matches [\(matcher)] to focus")
                }
                try desktop.performer.focus(window: window.id)
            }
        }
        // A program that dies at once (a bad argument, a missing library) must fail here, not later as "no
        // window appeared" — or not at all when nothing waits for it.
        if let last = setupProcesses.withLock({ $0.launched.map(\.startedAt).max() }) {
            let wait = last + Self.launchGrace - MonotonicClock.now()
            if wait > 0 { Settler.sleep(wait) }
        }
        try checkLaunched()
    }

    /// Every program the setup names must exist before anything starts (exit 2).
    private func checkPrograms() throws {
        guard let launcher = desktop.launcher else { return }
        for item in task.setup {
            guard case .run(let command, _, _) = item.kind, let program = command.programName else { continue }
            if launcher.executablePath(program, directory: task.directory) == nil {
                throw InputError("\(where_(item.source))cannot start '\(program)': not found in PATH")
            }
        }
    }

    /// Fails when a background command of the setup not yet waited for has already ended with an error status.
    private func checkLaunched() throws {
        for entry in setupProcesses.withLock({ $0.launched }) {
            guard let status = entry.process.poll(), status != 0 else { continue }
            let line = entry.process.lastOutputLine.map { ": \($0.suffix(300))" } ?? ""
            let elapsed = MonotonicClock.now() - entry.startedAt
            throw StepFailure("\(entry.at)\(entry.command) exited with status \(status) \(elapsed < 5 ? "at once" : "during the setup")\(line)")
        }
    }

    private func stopBackground() {
        let background = setupProcesses.withLock { state in
            defer { state.background = [] }
            return state.background
        }
        for process in background.reversed() { process.terminate() }
    }

    // MARK: - Steps

    /// Runs one scripted step; returns the ending and reason when it ends the task.
    private func runStep(_ taskStep: TaskStep, number step: Int) async -> (RunEnding, String)? {
        let at = where_(taskStep.source)
        var event = StepEvent(step: step, time: Date())
        event.source = describe(taskStep)
        func fail(_ ending: RunEnding, _ reason: String, error: String? = nil) -> (RunEnding, String) {
            event.error = error ?? reason
            try? trace.record(.step(event))
            reporter.step(StepOutcome(step: step, action: Self.kindName(taskStep.kind), target: event.source,
                                      decision: "failed", note: reason))
            return (ending, reason)
        }
        do {
            switch taskStep.kind {
            case .wait(let seconds):
                // A wait never outlasts the run's max_duration.
                if let left = executor.gate.secondsLeft, left < seconds {
                    Settler.sleep(left)
                    try StopFlag.current.check()
                    return fail(.maxDuration, "\(at)wait \(seconds.formatted)s: \(RunTimeLimit(policy: executor.gate.policy).reason)")
                }
                Settler.sleep(seconds)
                try StopFlag.current.check()
                try trace.record(.step(event))
                reporter.step(StepOutcome(step: step, action: "wait", target: "\(seconds.formatted)s", decision: "-"))
                return nil
            case .waitFor(let condition, let timeout):
                if let limit = try waitWithinLimit(condition, timeout: timeout, at: at) {
                    return fail(.maxDuration, "\(at)wait_for \(condition): \(limit.reason)")
                }
                try trace.record(.step(event))
                reporter.step(StepOutcome(step: step, action: "wait_for", target: condition.description, decision: "-"))
                return nil
            case .focus(let matcher):
                guard let window = TargetResolver.firstWindow(matching: matcher, in: desktop.windows.windows()) else {
                    return fail(.stepFailed, "\(at)no window matches [\(matcher)] to focus")
                }
                if !executor.dryRun { try desktop.performer.focus(window: window.id) }
                try trace.record(.step(event))
                reporter.step(StepOutcome(step: step, action: "focus", target: window.description,
                                          decision: executor.dryRun ? "dry-run" : "-"))
                return nil
            case .goal:
                return nil
            default:
                break
            }

            // An input step is a step like an agent's: one executor observes, gates, acts, settles and records.
            let decider = ScriptedStepDecider(label: describe(taskStep), kindName: Self.kindName(taskStep.kind),
                                              grounded: { () throws -> (ScreenAction, [TraceGrounding]) in
                var groundings: [TraceGrounding] = []
                let action = try self.screenAction(for: taskStep.kind, at: taskStep.source, groundings: &groundings)
                return (action, groundings)
            })
            guard let ended = await steps.runStep(step, goal: task.goal ?? task.name, decider: decider) else { return nil }
            // Reasons name the task file's line, as every failing step's does.
            let located = ended.ending == .stopped || ended.reason.hasPrefix(at) ? ended.reason : at + ended.reason
            return (ended.ending, located)
        } catch let stop as StoppedError {
            return fail(.stopped, stop.reason)
        } catch {
            let ending = RunEnding.forError(error)
            return fail(ending, "\(error)")
        }
    }

    /// The screen action a pointer or keyboard step performs.
    /// `groundings` gets how each grounded target was found, for the trace.
    private func screenAction(for kind: TaskStep.Kind, at source: SourceLocation?,
                              groundings: inout [TraceGrounding]) throws -> ScreenAction {
        var found: [TraceGrounding] = []
        defer { groundings = found }
        func point(_ target: Target) throws -> Point {
            let located = try resolver.locate(target, where: source)
            if let g = located.grounding { found.append(g) }
            return located.point
        }
        switch kind {
        case .click(let target, let button, let count):
            return .click(at: try point(target), button: button, count: count)
        case .move(let target):
            return .move(to: try point(target))
        case .drag(let from, let to, let button):
            return .drag(from: try point(from), to: try point(to), button: button)
        case .scroll(let target, let direction, let notches):
            return .scroll(at: try target.map { try point($0) }, direction: direction, notches: notches)
        case .key(let chord):
            return .key(chord: chord.normalized)
        case .type(let text):
            return .type(text: text.resolved)
        default:
            throw InputError("\(where_(source))this step performs no input action")
        }
    }

    /// Waits as ``waitFor(_:timeout:at:)`` does, but never past the run's max_duration: returns the limit
    /// when the wait was cut short by it and the condition did not come true in time.
    private func waitWithinLimit(_ condition: WaitCondition, timeout: Double, at: String) throws -> RunTimeLimit? {
        guard let left = executor.gate.secondsLeft, left < timeout else {
            try waitFor(condition, timeout: timeout, at: at)
            return nil
        }
        do {
            try waitFor(condition, timeout: left, at: at)
            return nil
        } catch is StepFailure {
            return RunTimeLimit(policy: executor.gate.policy)
        }
    }

    /// Waits for a window, a quiet screen, or a text on the screen.
    private func waitFor(_ condition: WaitCondition, timeout: Double, at: String) throws {
        // A pause (the job's, or a person taking over) moves the deadline by as long as it lasted.
        var end = MonotonicClock.now() + timeout
        switch condition {
        case .window(let matcher):
            while true {
                try StopFlag.current.check()
                if TargetResolver.firstWindow(matching: matcher, in: desktop.windows.windows()) != nil { return }
                try checkLaunched()
                if MonotonicClock.now() >= end {
                    let names = desktop.windows.windows().map(\.description).joined(separator: "; ")
                    throw StepFailure("\(at)no window matching [\(matcher)] appeared within \(timeout.formatted)s (windows: \(names.isEmpty ? "none" : names))")
                }
                end += Settler.sleep(0.05)
            }
        case .screenStable(let quiet):
            var last = try desktop.screen.capture()
            var stableSince = MonotonicClock.now()
            // A blinking caret (every 500 ms in most editors) is not a change.
            var blinks = BlinkFilter()
            while true {
                try StopFlag.current.check()
                if MonotonicClock.now() - stableSince >= quiet { return }
                if MonotonicClock.now() >= end {
                    throw StepFailure("\(at)the screen did not stay unchanged for \(quiet.formatted)s within \(timeout.formatted)s")
                }
                end += Settler.sleep(min(0.05, quiet / 4))
                let next = try desktop.screen.capture()
                let tiles = desktop.codec.changedTiles(last, next)
                if !tiles.isEmpty {
                    if !blinks.isBlink(tiles, from: last, to: next) { stableSince = MonotonicClock.now() }
                    last = next
                }
            }
        case .text(let text):
            guard desktop.textFinder != nil else { throw InputError("\(at)\(TargetResolver.textUnavailable)") }
            let search = TextSearch(text)
            while true {
                try StopFlag.current.check()
                // The finder reads only what changed since its last look, so polling an idle screen is cheap.
                let frame = try desktop.screen.capture()
                if try TargetResolver.findText(search, in: frame, desktop: desktop) != nil { return }
                if MonotonicClock.now() >= end {
                    throw StepFailure("\(at)the text \(search) did not appear within \(timeout.formatted)s"
                                      + TargetResolver.closestNote(text, desktop: desktop))
                }
                end += Settler.sleep(0.2)
            }
        case .element(let query):
            guard desktop.elementFinder != nil else { throw InputError("\(at)\(TargetResolver.elementsUnavailable)") }
            while true {
                try StopFlag.current.check()
                // The tree is walked again only when the screen changed.
                let frame = try desktop.screen.capture()
                if try TargetResolver.findElement(query, in: frame, desktop: desktop) != nil { return }
                if MonotonicClock.now() >= end {
                    throw StepFailure("\(at)no \(query) appeared within \(timeout.formatted)s"
                                      + (query.name.map { TargetResolver.closestNote($0, desktop: desktop) } ?? ""))
                }
                end += Settler.sleep(0.2)
            }
        }
    }

    private func where_(_ source: SourceLocation?) -> String { source.map { "\($0): " } ?? "" }

    /// The step as the task file writes it (secrets as their references), for the trace and live output.
    private func describe(_ step: TaskStep) -> String {
        let text: String
        switch step.kind {
        case .click(let t, let b, let n):
            text = (n >= 3 ? "triple_click" : n == 2 ? "double_click" : b == .right ? "right_click" : b == .middle ? "middle_click" : "click") + " \(t)"
        case .move(let t): text = "move \(t)"
        case .drag(let a, let b, _): text = "drag \(a) → \(b)"
        case .scroll(let t, let d, let n): text = "scroll \(d.rawValue) \(n)" + (t.map { " at \($0)" } ?? "")
        case .key(let c): text = "key \(c.normalized)"
        case .type(let t):
            let shown = t.description.replacingOccurrences(of: "\n", with: "\\n")
            text = "type \"\(shown.count > 60 ? String(shown.prefix(57)) + "…" : shown)\""
        case .focus(let m): text = "focus [\(m)]"
        case .wait(let s): text = "wait \(s.formatted)s"
        case .waitFor(let c, _): text = "wait_for \(c)"
        case .goal(let g, _): text = "goal \"\(g)\""
        }
        return step.source.map { "\(text) (\($0))" } ?? text
    }

    static func kindName(_ kind: TaskStep.Kind) -> String {
        switch kind {
        case .click(_, let b, let n): n >= 3 ? "triple_click" : n == 2 ? "double_click" : b == .right ? "right_click" : "click"
        case .move: "move"
        case .drag: "drag"
        case .scroll: "scroll"
        case .key: "key"
        case .type: "type"
        case .focus: "focus"
        case .wait: "wait"
        case .waitFor: "wait_for"
        case .goal: "goal"
        }
    }
}
