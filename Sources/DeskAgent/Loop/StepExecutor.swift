import DeskCore
import Foundation

/// Runs the steps of one goal for any ``Decider``: observe → decide → policy gate → confirmation → execute →
/// settle → record, until the decider ends the run or a limit, a stop request or a lack of progress does.
///
/// Every action goes through the ``ActionExecutor`` (the run's one policy check point). What a denied or
/// failed action does is the decider's ``DenialHandling``: a model is told in its next turn and chooses
/// another way; a planner's run ends.
public struct StepExecutor: Sendable {
    public let configuration: AgentConfiguration
    public let actions: ActionExecutor
    public let trace: RunTrace
    public let reporter: any StepReporter
    public let redactor: Redactor
    /// What the observation mode adds to each screenshot.
    public let enrichers: [any ObservationEnricher]

    public init(configuration: AgentConfiguration, actions: ActionExecutor, trace: RunTrace, reporter: any StepReporter,
                redactor: Redactor, enrichers: [any ObservationEnricher] = []) {
        self.configuration = configuration
        self.actions = actions
        self.trace = trace
        self.reporter = reporter
        self.redactor = redactor
        self.enrichers = enrichers
    }

    /// Runs `goal` to its end. Steps are numbered from `firstStep`; `cap` is the most steps; `startedAt`
    /// (monotonic seconds) is when the run began, for `maxDuration`.
    public func run(goal: String, decider: any Decider, firstStep: Int = 1, cap: Int,
                    startedAt: Double) async -> AgentOutcome {
        var decider = decider
        var run = GoalRun(firstStep: firstStep, redactor: redactor,
                          progress: ProgressDetector(warnAfter: configuration.noProgressWarn,
                                                     stopAfter: configuration.noProgressStop))
        while true {
            if let ended = limitReached(run, cap: cap, startedAt: startedAt) { return ended }
            if let ended = await step(&run, goal: goal, decider: &decider) { return ended }
        }
    }

    /// Runs one step numbered `number` for `decider` — a scripted task's input step — with no limits of its
    /// own; returns the outcome when the step ends the run, nil when the run goes on.
    public func runStep(_ number: Int, goal: String, decider: any Decider) async -> AgentOutcome? {
        var decider = decider
        var run = GoalRun(firstStep: number, redactor: redactor,
                          progress: ProgressDetector(warnAfter: configuration.noProgressWarn,
                                                     stopAfter: configuration.noProgressStop))
        return await step(&run, goal: goal, decider: &decider)
    }

    /// The outcome when a stop request or a limit ends the run before the next step.
    func limitReached(_ run: GoalRun, cap: Int, startedAt: Double) -> AgentOutcome? {
        if let why = StopFlag.current.requested { return run.outcome(.stopped, why) }
        if run.used >= cap { return run.outcome(.maxSteps, "reached the limit of \(cap) steps") }
        if let limit = configuration.maxDuration, MonotonicClock.now() - startedAt >= limit {
            return run.outcome(.maxDuration, "reached the time limit of \(limit.formatted) s")
        }
        if let budget = configuration.budgetTokens, run.tokens >= budget {
            return run.outcome(.tokenBudget, "used \(run.tokens) tokens of a budget of \(budget)")
        }
        return nil
    }

    /// One step; returns the outcome when it ends the run.
    func step(_ run: inout GoalRun, goal: String, decider: inout any Decider) async -> AgentOutcome? {
        let number = run.nextStep
        var event = StepEvent(step: number, time: Date())
        var timings = StepTimings()

        // Observe.
        let observation: Observation
        do {
            observation = try observe(&run, timings: &timings)
        } catch {
            run.countStep()
            return finish(event, error: error, run.outcome(RunEnding.forError(error), "capture failed: \(error)"))
        }

        // Decide.
        let context = DecisionContext(goal: goal, step: number, history: run.history, feedback: run.feedback,
                                      promptTokens: run.prompt, completionTokens: run.completion)
        let decision = await decider.decide(observation, context: context)
        if case .wait(let seconds) = decision.next {
            return waitForChange(&run, after: observation.frame, seconds: seconds)
        }
        run.countStep()
        run.feedback = []
        event.observation = observation.text(markGrammar: "").map { redactor.redact($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        run.prompt += decision.cost.promptTokens
        run.completion += decision.cost.completionTokens
        timings.merge(decision.timings)
        event.take(decision)
        guard case .act(let actionList) = decision.next else {
            return ended(decision, event: event, frame: observation.frame, timings: timings, run: run)
        }
        do {
            event.frame = try writeFrame(number, observation.frame, decision, timings: &timings)
        } catch {
            event.timings = timings
            return finish(event, error: error, run.outcome(.environmentError, "\(error)"))
        }

        // Gate, confirm, execute, settle — action by action.
        var acted = ActedStep(before: observation.frame)
        let ending = act(actionList, step: number, handling: decider.denialHandling, deciderName: decider.name,
                         run: &run, acted: &acted)
        if actionList.isEmpty, let text = decision.noActionFeedback {
            run.feedback.append(text)
            acted.decisions.append("no action")
        }
        decider.learn(from: acted.records)

        // Record.
        if let failed = record(event, acted: acted, decision, frame: observation.frame, timings: timings, run: &run) {
            return failed
        }
        return ending
    }

    /// A decision that ends the run: its step is recorded (and reported when the decider says how).
    func ended(_ decision: Decision, event: StepEvent, frame: Frame, timings: StepTimings, run: GoalRun) -> AgentOutcome? {
        guard case .end(let end) = decision.next else { return nil }
        var event = event
        var timings = timings
        event.frame = try? writeFrame(event.step, frame, decision, timings: &timings)
        event.timings = timings
        if let reported = end.reported {
            report(step: event.step, action: decision.reportedAction ?? "none", target: decision.source, decision,
                   verdict: reported, changed: nil, note: end.note)
        }
        return finish(event, error: end.error, run.outcome(end.ending, end.reason))
    }

    // MARK: - Observe

    /// The screen the step decides on: the settled frame of the last action, else a fresh capture; then
    /// whatever the observation mode adds.
    func observe(_ run: inout GoalRun, timings: inout StepTimings) throws -> Observation {
        let frame: Frame
        if let settled = run.observation {
            frame = settled
        } else {
            let start = MonotonicClock.now()
            frame = try actions.desktop.screen.capture()
            timings.captureMs = ms(since: start)
        }
        run.observation = nil
        var observation = Observation(frame: frame)
        for enricher in enrichers { try enricher.enrich(&observation) }
        return observation
    }

    /// A decider that waits is shown the screen again once it changes (or the time is up); no step is used.
    func waitForChange(_ run: inout GoalRun, after frame: Frame, seconds: Double) -> AgentOutcome? {
        do {
            run.observation = try actions.settler.waitForChange(after: frame, timeout: max(0.01, seconds)).frame
            return nil
        } catch let stop as StoppedError {
            return run.outcome(.stopped, stop.reason)
        } catch {
            return run.outcome(RunEnding.forError(error), "capture failed: \(error)")
        }
    }

    // MARK: - Act

    /// Runs a decision's actions in order; returns the outcome when one of them ends the run.
    func act(_ list: [DecidedAction], step: Int, handling: DenialHandling, deciderName: String,
             run: inout GoalRun, acted: inout ActedStep) -> AgentOutcome? {
        var skipping: Int?
        // The rest of `decided`'s group is left out, and what the group pressed is released.
        func skipGroup(of decided: DecidedAction) {
            skipping = decided.group
            for release in decided.groupCleanup { _ = try? actions.execute(release, step: step, before: acted.before) }
        }
        for (index, decided) in list.enumerated() {
            if let skipping, decided.group == skipping { continue }
            var record = TraceAction(index: index, modelAction: decided.modelAction, mapping: decided.mapping,
                                     points: decided.points, action: nil, description: "", executed: false)
            record.grounding = decided.grounding
            record.mark = decided.mark
            let action: ScreenAction
            switch decided.action {
            case .failure(let unmappable):
                let kind = decided.modelAction?.kind.rawValue ?? "action"
                record.description = "\(kind) (unmappable)"
                record.error = unmappable.description
                acted.records.append(record)
                acted.decisions.append("unmappable")
                switch handling {
                case .feedBack:
                    run.feedback.append("Your action \(kind) could not be performed: \(unmappable.description). Give points inside the screenshot.")
                case .skip: continue
                case .skipGroup:
                    skipGroup(of: decided)
                    continue
                case .abort: return run.outcome(.inputError, "\(kind) could not be performed: \(unmappable.description)")
                }
                return nil
            case .success(let screenAction):
                action = screenAction
            }
            record.action = action
            record.description = decided.label ?? PolicyGate.describe(action, redactor: redactor)
            if action.isTerminal {
                record.decision = TraceDecision(verdict: .allow)
                acted.records.append(record)
                return terminal(action, deciderName: deciderName, run: &run, acted: &acted)
            }
            switch execute(action, record: record, step: step, handling: handling, run: &run, acted: &acted) {
            case .next: continue
            case .skipGroup: skipGroup(of: decided)
            case .stop: return nil
            case .end(let outcome): return outcome
            }
        }
        return nil
    }

    /// finished, infeasible or call_user: the run ends, unless a person answers the question.
    func terminal(_ action: ScreenAction, deciderName: String, run: inout GoalRun,
                  acted: inout ActedStep) -> AgentOutcome? {
        switch action {
        case .finished(let message):
            acted.decisions.append("finished")
            return run.outcome(.finished, message ?? "\(deciderName) says the goal is done")
        case .infeasible(let reason):
            acted.decisions.append("infeasible")
            return run.outcome(.infeasible, reason ?? "\(deciderName) says the goal cannot be done")
        case .callUser(let question):
            let q = question ?? "The agent needs help to continue."
            if let prompt = actions.desktop.prompt, prompt.isInteractive,
               let reply = prompt.ask("deskpilot: the model asks: \(q)\nYour answer (empty to stop): "),
               !reply.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                run.feedback.append("The user answered your question: \(reply)")
                acted.decisions.append("user answered")
                run.progress.reset()
                return nil
            }
            acted.decisions.append("call_user")
            return run.outcome(.callUser, q)
        default:
            return nil
        }
    }

    /// What a step does after one action.
    enum ActionVerdict {
        case next, skipGroup, stop, end(AgentOutcome)
    }

    /// One non-terminal action through the gate, the input and settle.
    func execute(_ action: ScreenAction, record: TraceAction, step: Int, handling: DenialHandling,
                 run: inout GoalRun, acted: inout ActedStep) -> ActionVerdict {
        var record = record
        let exec: ActionExecution
        do {
            exec = try actions.execute(action, step: step, before: acted.before)
        } catch {
            record.error = error.description
            acted.records.append(record)
            return .end(run.outcome(.stopped, error.reason))
        }
        acted.note(exec, in: &record)
        for refusal in exec.releasedHeldKeys {
            let rule = refusal.decision.rule.map { " (\($0))" } ?? ""
            reporter.message("released \(refusal.key) before \(record.description): \(PolicyGate.describe(refusal.judged)) is refused\(rule): \(refusal.decision.reason)")
        }
        if let gate = exec.gate, !gate.runs, !gate.simulated {
            acted.records.append(record)
            return denied(gate, description: record.description, handling: handling, run: &run)
        }
        if let error = exec.error {
            record.error = "\(error)"
            acted.records.append(record)
            let ending = RunEnding.forError(error)
            // An input error is the decider's mistake (a key name that does not exist): a model can correct it.
            guard ending == .inputError, handling != .abort else {
                return .end(run.outcome(ending, "\(record.description) failed: \(error)"))
            }
            if handling == .skip { return .next }
            if handling == .skipGroup { return .skipGroup }
            run.feedback.append("Your action \(record.description) failed: \(error). Try something else.")
            return .stop
        }
        acted.records.append(record)
        if exec.executed { acted.performed.append(action) }
        guard let settled = exec.settle else { return .next }
        acted.before = settled.frame
        run.observation = settled.frame
        acted.lastChanged = settled.changed
        switch run.progress.record(action, screenChanged: settled.changed) {
        case .ok:
            return .next
        case .warn(let n):
            run.feedback.append("Your last \(n) actions were the same (\(record.description)) and the screen did not change. Try something different.")
            return .next
        case .stop(let n):
            return .end(run.outcome(.noProgress, "no progress: \(record.description) repeated \(n) times without any change on screen"))
        }
    }

    /// An action the gate did not let through: a run limit, an aborting rule, or the decider's handling.
    func denied(_ gate: GateResult, description: String, handling: DenialHandling, run: inout GoalRun) -> ActionVerdict {
        let why = gate.note ?? gate.decision.reason
        if gate.limitReached {
            let rule = gate.decision.rule ?? ""
            return .end(run.outcome(rule.contains("duration") ? .maxDuration : .maxSteps, gate.decision.reason))
        }
        if gate.aborts { return .end(run.outcome(.policyAbort, "policy denied \(description): \(why)")) }
        switch handling {
        case .abort: return .end(run.outcome(.stepFailed, "policy denied \(description): \(why)"))
        case .skip: return .next
        case .skipGroup: return .skipGroup
        case .feedBack:
            run.feedback.append("Your action \(description) was not performed: \(why). Choose another way.")
            return .stop
        }
    }

    // MARK: - Record

    /// Writes the step's frame: the image the decider sent, else the observed frame (whose encoding then
    /// counts as the step's encode time).
    func writeFrame(_ step: Int, _ frame: Frame, _ decision: Decision, timings: inout StepTimings) throws -> String? {
        if let png = decision.sentImage { return try trace.writeFrame(step: step, frame: nil, png: png) }
        let start = MonotonicClock.now()
        let path = try trace.writeFrame(step: step, frame: frame)
        if trace.recorder != nil { timings.encodeMs = ms(since: start) }
        return path
    }

    /// Writes the step's event (actions, annotated frame, stage times) and prints its line; returns the
    /// outcome when the trace cannot be written.
    func record(_ event: StepEvent, acted: ActedStep, _ decision: Decision, frame: Frame, timings: StepTimings,
                run: inout GoalRun) -> AgentOutcome? {
        var event = event
        var timings = timings
        timings.policyMs = acted.policyMs
        timings.actMs = acted.actMs
        timings.settleMs = acted.settleMs
        event.actions = acted.records
        event.annotated = trace.writeAnnotated(step: event.step, frame: frame, actions: acted.performed.isEmpty
            ? acted.records.compactMap(\.action).filter { !$0.isTerminal } : acted.performed)
        report(step: event.step,
               action: decision.reportedAction
                   ?? acted.records.map { $0.action?.kind.rawValue ?? $0.modelAction?.kind.rawValue ?? "?" }
                   .joined(separator: "+").nonEmpty ?? "none",
               target: acted.records.first?.description, decision,
               verdict: acted.decisions.joined(separator: ", ").nonEmpty ?? "-", changed: acted.lastChanged,
               note: decision.thought.map { redactor.redact($0) })
        timings.traceMs = trace.lastWriteMs
        event.timings = timings
        do {
            try trace.record(.step(event))
        } catch {
            return run.outcome(.environmentError, "\(error)")
        }
        run.history.append(PastStep(step: event.step, answer: decision.answer, thought: decision.thought,
                                    actions: acted.records.map(\.description), screenChanged: acted.lastChanged))
        return nil
    }

    /// Records the step that ended the run and returns `outcome`; a trace error takes precedence.
    func finish(_ event: StepEvent, error: (any Error)?, _ outcome: AgentOutcome) -> AgentOutcome {
        finish(event, error: error.map { "\($0)" }, outcome)
    }

    func finish(_ event: StepEvent, error: String?, _ outcome: AgentOutcome) -> AgentOutcome {
        var event = event
        if let error { event.error = error }
        do {
            try trace.record(.step(event))
        } catch {
            return AgentOutcome(ending: .environmentError, reason: "\(error)", steps: outcome.steps,
                                promptTokens: outcome.promptTokens, completionTokens: outcome.completionTokens)
        }
        return outcome
    }

    /// One line of live output for the step.
    func report(step: Int, action: String, target: String?, _ decision: Decision, verdict: String, changed: Bool?,
                note: String?) {
        reporter.step(StepOutcome(step: step, action: action, target: target, modelSeconds: decision.cost.seconds,
                                  tokens: decision.cost.stepTokens, decision: verdict, screenChanged: changed,
                                  note: note.map { $0.count > 120 ? String($0.prefix(117)) + "…" : $0 }))
    }

    func ms(since start: Double) -> Double { (MonotonicClock.now() - start) * 1000 }
}

/// What one goal's run carries from step to step.
struct GoalRun {
    var nextStep: Int
    /// Steps used.
    var used = 0
    var prompt = 0
    var completion = 0
    /// What the decider is told in its next turn.
    var feedback: [String] = []
    /// The settled screen after the last action: the next step looks at it without a new capture.
    var observation: Frame?
    var progress: ProgressDetector
    var history: [PastStep] = []
    let redactor: Redactor

    init(firstStep: Int, redactor: Redactor, progress: ProgressDetector) {
        nextStep = firstStep
        self.redactor = redactor
        self.progress = progress
    }

    var tokens: Int { prompt + completion }

    mutating func countStep() {
        used += 1
        nextStep += 1
    }

    func outcome(_ ending: RunEnding, _ reason: String) -> AgentOutcome {
        AgentOutcome(ending: ending, reason: redactor.redact(reason), steps: used, promptTokens: prompt,
                     completionTokens: completion)
    }
}

/// What a step's actions did, for its trace event and its line of output.
struct ActedStep {
    /// The screen the next action is chosen on.
    var before: Frame
    var records: [TraceAction] = []
    var performed: [ScreenAction] = []
    var decisions: [String] = []
    var lastChanged: Bool?
    var policyMs = 0.0
    var actMs = 0.0
    var settleMs = 0.0

    init(before: Frame) { self.before = before }

    /// Copies what executing one action did into its trace record and the step's stage times.
    mutating func note(_ exec: ActionExecution, in record: inout TraceAction) {
        policyMs += exec.policyMs ?? 0
        actMs += exec.actMs ?? 0
        settleMs += exec.settleMs ?? 0
        record.decision = exec.gate?.traceDecision
        record.executed = exec.executed
        record.actMs = exec.actMs
        decisions.append(exec.gate?.summary ?? "error")
    }
}

extension StepEvent {
    /// Takes what the decider says about the step.
    mutating func take(_ decision: Decision) {
        answer = decision.answer
        thought = decision.thought
        request = decision.request
        parseError = decision.parseError
        note = decision.note
        source = decision.source
    }
}

extension StepTimings {
    /// Takes every stage time `other` has.
    mutating func merge(_ other: StepTimings) {
        captureMs = other.captureMs ?? captureMs
        encodeMs = other.encodeMs ?? encodeMs
        requestMs = other.requestMs ?? requestMs
        modelMs = other.modelMs ?? modelMs
        parseMs = other.parseMs ?? parseMs
        policyMs = other.policyMs ?? policyMs
        actMs = other.actMs ?? actMs
        settleMs = other.settleMs ?? settleMs
        traceMs = other.traceMs ?? traceMs
    }
}

extension String {
    /// nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
