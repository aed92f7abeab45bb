import DeskCore
import DeskModels
import Foundation

/// observe → build the request → call the model → parse → policy → act → settle → record, until the model
/// says it is done, asks for a person, gives up, or a limit, a stop request or a lack of progress ends it.
///
/// Every action goes through the ``ActionExecutor`` (the run's one policy check point). Parse errors, policy
/// denials, unmappable points, input errors and "no progress" warnings go back to the model as text in its
/// next turn; a `call_user` question is put to the person at the terminal when there is one.
///
/// A model-less "vision model" (the `local` dialect, a ``ScreenPlanner``) runs through the same loop: see
/// ``init(configuration:dialect:planner:executor:trace:reporter:redactor:)``.
public final class AgentLoop: @unchecked Sendable {
    public let configuration: AgentConfiguration
    public let dialect: Dialect
    /// The model's HTTP client; nil when a planner stands in for the model.
    public let client: ModelClient?
    /// Makes the planner for a goal, when one stands in for the model (it throws a usage error naming the
    /// part of the goal it cannot read).
    public let planner: (@Sendable (String) throws -> any ScreenPlanner)?
    public let executor: ActionExecutor
    public let trace: RunTrace
    public let reporter: any StepReporter
    public let redactor: Redactor

    private var desktop: Desktop { executor.desktop }

    public init(configuration: AgentConfiguration, dialect: Dialect, client: ModelClient, executor: ActionExecutor,
                trace: RunTrace, reporter: any StepReporter, redactor: Redactor) {
        self.configuration = configuration
        self.dialect = dialect
        self.client = client
        self.planner = nil
        self.executor = executor
        self.trace = trace
        self.reporter = reporter
        self.redactor = redactor
    }

    /// A loop driven by a planner instead of a model: `planner` makes one for each goal the loop is given.
    public init(configuration: AgentConfiguration, dialect: Dialect = .local,
                planner: @escaping @Sendable (String) throws -> any ScreenPlanner, executor: ActionExecutor,
                trace: RunTrace, reporter: any StepReporter, redactor: Redactor) {
        self.configuration = configuration
        self.dialect = dialect
        self.client = nil
        self.planner = planner
        self.executor = executor
        self.trace = trace
        self.reporter = reporter
        self.redactor = redactor
    }

    /// One earlier step, kept for the history.
    private struct Turn {
        var step: Int
        var answer: String
        var captureTime: UInt64
        var sendSize: Size
        /// The frame at native size while it may still be sent (see `framesToKeep`).
        var frame: Frame?
        /// Encoded images of this frame by size, so an unchanged plan does not re-encode.
        var encoded: [Size: EncodedImage] = [:]
    }

    /// Runs the loop for `goal`. Steps are numbered from `firstStep` (a task's sub-goal continues the task's
    /// numbering); `maxSteps` overrides the configuration's cap; `startedAt` (monotonic seconds) is when the
    /// run began, for `maxDuration`.
    public func run(goal: String, firstStep: Int = 1, maxSteps: Int? = nil,
                    startedAt: Double = MonotonicClock.now()) async -> AgentOutcome {
        let cap = maxSteps ?? configuration.maxSteps
        if let planner {
            return runPlanned(goal: goal, planner: planner, firstStep: firstStep, cap: cap, startedAt: startedAt)
        }
        let rule = configuration.historyRule ?? dialect.defaultHistoryRule
        let planner = HistoryPlanner(rule: rule)
        let keep = configuration.framesToKeep(dialect: dialect)
        var turns: [Turn] = []
        var progress = ProgressDetector(warnAfter: configuration.noProgressWarn, stopAfter: configuration.noProgressStop)
        var feedback: [String] = []
        var observation: Frame?
        var prompt = 0, completion = 0
        var used = 0
        var step = firstStep - 1

        func outcome(_ ending: RunEnding, _ reason: String) -> AgentOutcome {
            AgentOutcome(ending: ending, reason: redactor.redact(reason), steps: used, promptTokens: prompt,
                         completionTokens: completion)
        }

        while true {
            if let why = StopFlag.current.requested { return outcome(.stopped, why) }
            if used >= cap { return outcome(.maxSteps, "reached the limit of \(cap) steps") }
            if let limit = configuration.maxDuration, MonotonicClock.now() - startedAt >= limit {
                return outcome(.maxDuration, "reached the time limit of \(limit.formatted) s")
            }
            if let budget = configuration.budgetTokens, prompt + completion >= budget {
                return outcome(.tokenBudget, "used \(prompt + completion) tokens of a budget of \(budget)")
            }
            step += 1
            used += 1
            var timings = StepTimings()
            var event = StepEvent(step: step, time: Date())

            // Observe.
            let frame: Frame
            if let observation {
                frame = observation
            } else {
                let t = MonotonicClock.now()
                do { frame = try desktop.screen.capture() } catch {
                    return finishStep(event, error: error, outcome: outcome(RunEnding.forError(error), "capture failed: \(error)"))
                }
                timings.captureMs = ms(since: t)
            }
            observation = nil

            // Encode the current frame and the history the plan keeps.
            let encodeStart = MonotonicClock.now()
            let sendSize = dialect.sendSize(for: frame.size)
            let current: EncodedImage
            do {
                current = try encode(frame, at: sendSize)
            } catch {
                return finishStep(event, error: error, outcome: outcome(RunEnding.forError(error), "encoding the screenshot failed: \(error)"))
            }
            let plan = planner.plan(steps: turns.map { HistoryStep(step: $0.step, captureTime: $0.captureTime, size: $0.sendSize) }
                + [HistoryStep(step: step, captureTime: frame.captureTime, size: sendSize)])
            var history: [HistoryTurn] = []
            var images: [TraceImage] = []
            for i in turns.indices {
                var image: EncodedImage?
                if let size = plan.entry(forStep: turns[i].step)?.imageSize, let source = turns[i].frame {
                    if let cached = turns[i].encoded[size] {
                        image = cached
                    } else if let made = try? encode(source, at: size) {
                        turns[i].encoded = [size: made]
                        image = made
                    }
                }
                if let image {
                    images.append(TraceImage(step: turns[i].step, width: image.size.width, height: image.size.height,
                                             label: plan.entry(forStep: turns[i].step)?.label))
                }
                history.append(HistoryTurn(step: turns[i].step, answer: turns[i].answer, image: image))
            }
            images.append(TraceImage(step: step, width: sendSize.width, height: sendSize.height,
                                     label: plan.entry(forStep: step)?.label))
            timings.encodeMs = ms(since: encodeStart)

            let requestStart = MonotonicClock.now()
            var request = dialect.buildRequest(goal: goal, history: history, current: current, currentStep: step,
                                               plan: plan, language: configuration.language)
            if !feedback.isEmpty {
                Self.appendText(feedback.joined(separator: "\n"), to: &request)
                event.note = redactor.redact(feedback.joined(separator: " | "))
                feedback = []
            }
            timings.requestMs = ms(since: requestStart)
            do {
                event.frame = try trace.writeFrame(step: step, frame: nil, png: [UInt8](current.data))
            } catch {
                return finishStep(event, error: error, outcome: outcome(.environmentError, "\(error)"))
            }

            // Ask, re-asking after parse errors.
            var modelSeconds = 0.0
            var attempts = 0
            var parseErrors: [String] = []
            var parsed: ParsedAnswer?
            var answer = ""
            var stepTokens = 0
            for attempt in 0...configuration.parseRetries {
                let reply: ChatReply
                do {
                    reply = try await askModel(request)
                } catch let stop as StoppedError {
                    event.timings = timings
                    return finishStep(event, error: nil, outcome: outcome(.stopped, stop.reason))
                } catch {
                    timings.modelMs = modelSeconds * 1000
                    event.timings = timings
                    return finishStep(event, error: error, outcome: outcome(RunEnding.forError(error), "\(error)"))
                }
                modelSeconds += reply.latency
                attempts += reply.attempts
                answer = reply.text
                if let usage = reply.usage {
                    prompt += usage.promptTokens
                    completion += usage.completionTokens
                    stepTokens += usage.totalTokens
                }
                let parseStart = MonotonicClock.now()
                let result = dialect.parse(reply.text)
                timings.parseMs = (timings.parseMs ?? 0) + ms(since: parseStart)
                switch result {
                case .success(let p):
                    parsed = p
                case .failure(let error):
                    parseErrors.append(error.description)
                    if attempt < configuration.parseRetries {
                        request.messages.append(.assistant(reply.text))
                        request.messages.append(.user(dialect.feedback(for: error)))
                    }
                }
                if parsed != nil { break }
            }
            timings.modelMs = modelSeconds * 1000
            event.answer = answer
            event.request = TraceRequest(images: images, promptTokens: prompt, completionTokens: completion,
                                         attempts: attempts, modelMs: modelSeconds * 1000)
            if !parseErrors.isEmpty { event.parseError = parseErrors.joined(separator: " | ") }
            guard let parsed else {
                event.timings = timings
                report(step: step, action: "none", target: nil, modelSeconds: modelSeconds, tokens: stepTokens,
                       decision: "parse error", changed: nil, note: parseErrors.last)
                return finishStep(event, error: nil, outcome: outcome(.parseFailure,
                    "the model's answer could not be parsed after \(configuration.parseRetries + 1) tries: \(parseErrors.last ?? "")"))
            }
            event.thought = parsed.thought
            turns.append(Turn(step: step, answer: answer, captureTime: frame.captureTime, sendSize: sendSize,
                              frame: keep > 0 ? frame : nil, encoded: [sendSize: current]))
            // Drop native frames no plan can use any more.
            if turns.count > keep {
                for i in turns.indices.dropLast(keep) {
                    turns[i].frame = nil
                    turns[i].encoded = [:]
                }
            }

            // Map and act.
            let mapping: CoordinateMapping
            do {
                mapping = try dialect.mapping(screen: frame.rect, sentImage: sendSize)
            } catch {
                return finishStep(event, error: error, outcome: outcome(.inputError, "\(error)"))
            }
            var traceActions: [TraceAction] = []
            var performed: [ScreenAction] = []
            var decisions: [String] = []
            var lastChanged: Bool?
            var ending: AgentOutcome?
            var before = frame
            var policyMs = 0.0, actMs = 0.0, settleMs = 0.0
            actions: for (index, modelAction) in parsed.actions.enumerated() {
                var record = TraceAction(index: index, modelAction: modelAction, mapping: mapping, action: nil,
                                         description: "", executed: false)
                let screenAction: ScreenAction
                do {
                    record.points = try mapping.records(for: modelAction)
                    screenAction = try mapping.toScreen(modelAction)
                } catch {
                    record.description = "\(modelAction.kind.rawValue) (unmappable)"
                    record.error = error.description
                    traceActions.append(record)
                    feedback.append("Your action \(modelAction.kind.rawValue) could not be performed: \(error.description). Give points inside the screenshot.")
                    decisions.append("unmappable")
                    break actions
                }
                record.action = screenAction
                record.description = PolicyGate.describe(screenAction, redactor: redactor)

                switch screenAction {
                case .finished(let message):
                    record.decision = TraceDecision(verdict: .allow)
                    traceActions.append(record)
                    decisions.append("finished")
                    ending = outcome(.finished, message ?? "the model says the goal is done")
                    break actions
                case .infeasible(let reason):
                    record.decision = TraceDecision(verdict: .allow)
                    traceActions.append(record)
                    decisions.append("infeasible")
                    ending = outcome(.infeasible, reason ?? "the model says the goal cannot be done")
                    break actions
                case .callUser(let question):
                    record.decision = TraceDecision(verdict: .allow)
                    traceActions.append(record)
                    let q = question ?? "The agent needs help to continue."
                    if let prompt = desktop.prompt, prompt.isInteractive,
                       let reply = prompt.ask("deskpilot: the model asks: \(q)\nYour answer (empty to stop): "),
                       !reply.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        feedback.append("The user answered your question: \(reply)")
                        decisions.append("user answered")
                        progress.reset()
                    } else {
                        decisions.append("call_user")
                        ending = outcome(.callUser, q)
                    }
                    break actions
                default:
                    break
                }

                let exec: ActionExecution
                do {
                    exec = try executor.execute(screenAction, step: step, before: before)
                } catch {
                    record.error = error.description
                    traceActions.append(record)
                    ending = outcome(.stopped, error.reason)
                    break actions
                }
                Self.note(exec, in: &record, policyMs: &policyMs, actMs: &actMs, settleMs: &settleMs,
                          decisions: &decisions)
                if let gate = exec.gate, !gate.runs, !gate.simulated {
                    traceActions.append(record)
                    if gate.limitReached {
                        let rule = gate.decision.rule ?? ""
                        ending = outcome(rule.contains("duration") ? .maxDuration : .maxSteps, gate.decision.reason)
                    } else if gate.aborts {
                        ending = outcome(.policyAbort, "policy denied \(record.description): \(gate.decision.reason)")
                    } else {
                        feedback.append("Your action \(record.description) was not performed: \(gate.note ?? gate.decision.reason). Choose another way.")
                    }
                    break actions
                }
                if let error = exec.error {
                    record.error = "\(error)"
                    traceActions.append(record)
                    let status = RunEnding.forError(error)
                    if status == .inputError {
                        // The model's mistake (a key name that does not exist): it can correct it.
                        feedback.append("Your action \(record.description) failed: \(error). Try something else.")
                    } else {
                        ending = outcome(status, "\(record.description) failed: \(error)")
                    }
                    break actions
                }
                traceActions.append(record)
                if exec.executed { performed.append(screenAction) }
                if let settled = exec.settle {
                    before = settled.frame
                    observation = settled.frame
                    lastChanged = settled.changed
                    switch progress.record(screenAction, screenChanged: settled.changed) {
                    case .ok: break
                    case .warn(let n):
                        feedback.append("Your last \(n) actions were the same (\(record.description)) and the screen did not change. Try something different.")
                    case .stop(let n):
                        ending = outcome(.noProgress, "no progress: \(record.description) repeated \(n) times without any change on screen")
                        break actions
                    }
                }
            }
            if parsed.actions.isEmpty {
                feedback.append("Your answer contained no action. \(dialect.formatReminder)")
                decisions.append("no action")
            }
            timings.policyMs = policyMs
            timings.actMs = actMs
            timings.settleMs = settleMs
            event.actions = traceActions
            event.annotated = trace.writeAnnotated(step: step, frame: frame, actions: performed.isEmpty
                ? traceActions.compactMap(\.action).filter { !$0.isTerminal } : performed)
            let first = traceActions.first
            report(step: step, action: traceActions.map { $0.action?.kind.rawValue ?? $0.modelAction?.kind.rawValue ?? "?" }
                    .joined(separator: "+").nonEmpty ?? "none",
                   target: first?.description, modelSeconds: modelSeconds, tokens: stepTokens,
                   decision: decisions.joined(separator: ", ").nonEmpty ?? "-", changed: lastChanged,
                   note: parsed.thought.map { redactor.redact($0) })
            timings.traceMs = trace.lastWriteMs
            event.timings = timings
            do {
                try trace.record(.step(event))
            } catch {
                return outcome(.environmentError, "\(error)")
            }
            if let ending { return ending }
        }
    }

    /// Records the step that ended the run and returns `outcome`; a trace error takes precedence.
    func finishStep(_ event: StepEvent, error: (any Error)?, outcome: AgentOutcome) -> AgentOutcome {
        var event = event
        if let error { event.error = "\(error)" }
        do {
            try trace.record(.step(event))
        } catch {
            return AgentOutcome(ending: .environmentError, reason: "\(error)", steps: outcome.steps,
                                promptTokens: outcome.promptTokens, completionTokens: outcome.completionTokens)
        }
        return outcome
    }

    func report(step: Int, action: String, target: String?, modelSeconds: Double, tokens: Int?,
                        decision: String, changed: Bool?, note: String?) {
        reporter.step(StepOutcome(step: step, action: action, target: target, modelSeconds: modelSeconds,
                                  tokens: tokens, decision: decision, screenChanged: changed,
                                  note: note.map { $0.count > 120 ? String($0.prefix(117)) + "…" : $0 }))
    }

    /// Calls the model, giving up early (with ``StoppedError``) when a stop is requested meanwhile.
    private func askModel(_ request: ChatRequest) async throws -> ChatReply {
        guard let client = self.client else { throw InputError("this agent loop has no model client") }
        return try await withThrowingTaskGroup(of: ChatReply?.self) { group in
            group.addTask { try await client.complete(request) }
            group.addTask {
                while !Task.isCancelled {
                    if let why = StopFlag.current.requested { throw StoppedError(reason: why) }
                    try await Task.sleep(for: .milliseconds(20))
                }
                return nil
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let reply = next { return reply }
            }
            throw StoppedError(reason: StopFlag.current.requested ?? "cancelled")
        }
    }

    private func encode(_ frame: Frame, at size: Size) throws -> EncodedImage {
        let scaled = size == frame.size ? frame : desktop.codec.resize(frame, to: size)
        return EncodedImage(data: Data(try desktop.codec.encodePNG(scaled)), size: size)
    }

    /// Adds `text` to the last user message (the one with the current screenshot), after the image.
    static func appendText(_ text: String, to request: inout ChatRequest) {
        guard let last = request.messages.indices.last(where: { request.messages[$0].role == .user }) else {
            request.messages.append(.user(text))
            return
        }
        switch request.messages[last].content {
        case .parts(let parts): request.messages[last].content = .parts(parts + [.text(text)])
        case .text(let s): request.messages[last].content = .text(s + "\n" + text)
        }
    }

    func ms(since start: Double) -> Double { (MonotonicClock.now() - start) * 1000 }
}

extension String {
    /// nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
