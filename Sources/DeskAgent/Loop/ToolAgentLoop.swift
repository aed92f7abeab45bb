import DeskCore
import DeskModels
import Foundation

/// The agent loop for providers with their own computer tool (Anthropic Messages, OpenAI Responses):
/// observe → send the screenshot and the previous calls' results → run each tool call through the one
/// ``ActionExecutor`` → settle → repeat, until the model ends its turn without calls (its text is the final
/// message), a limit, a stop request, a policy abort or an unacknowledged safety check ends it.
///
/// Every action of a call passes the policy on its own; a call that fails or is denied gets our one-line
/// error as its result, so the model can recover, and whatever it pressed is released. Coordinates are pixels
/// of the screenshot as sent (the tool is declared with that size) and are mapped back exactly, each mapping
/// in the trace. Each model call is also recorded as a `model_call` event: the request (images elided, never
/// the key), status, usage, stop reason; each safety check as a `safety_check` event.
public final class ToolAgentLoop: Sendable {
    public let configuration: AgentConfiguration
    public let session: any ComputerToolSession
    public let executor: ActionExecutor
    public let trace: RunTrace
    public let reporter: any StepReporter
    public let redactor: Redactor
    public let safety: SafetyCheckGate

    /// Characters of a model's text kept in a trace event; the rest is cut with a note.
    public static let traceTextLimit = 16 << 10

    public init(configuration: AgentConfiguration, session: any ComputerToolSession, executor: ActionExecutor,
                trace: RunTrace, reporter: any StepReporter, redactor: Redactor, safety: SafetyCheckGate) {
        self.configuration = configuration
        self.session = session
        self.executor = executor
        self.trace = trace
        self.reporter = reporter
        self.redactor = redactor
        self.safety = safety
    }

    private var desktop: Desktop { executor.desktop }

    /// `text` cut to ``traceTextLimit`` characters with a note saying how much there was.
    public static func capped(_ text: String) -> String {
        guard text.count > traceTextLimit else { return text }
        return String(text.prefix(traceTextLimit)) + " … [truncated: \(text.utf8.count) bytes in all]"
    }

    public func run(goal: String, firstStep: Int = 1, maxSteps: Int? = nil,
                    startedAt: Double = MonotonicClock.now()) async -> AgentOutcome {
        let cap = maxSteps ?? configuration.maxSteps
        var progress = ProgressDetector(warnAfter: configuration.noProgressWarn, stopAfter: configuration.noProgressStop)
        var results: [ComputerToolResult] = []
        var notes: [String] = []
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
            var event = StepEvent(step: step, time: Date(), source: session.providerName)

            // Observe and encode at the size the tool is declared with.
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
            let encodeStart = MonotonicClock.now()
            let sendSize = session.screenshotSize(for: frame.size)
            let screenshot: EncodedImage
            do { screenshot = try encode(frame, at: sendSize) } catch {
                return finishStep(event, error: error, outcome: outcome(RunEnding.forError(error), "encoding the screenshot failed: \(error)"))
            }
            timings.encodeMs = ms(since: encodeStart)
            do {
                event.frame = try trace.writeFrame(step: step, frame: nil, png: [UInt8](screenshot.data))
            } catch {
                return finishStep(event, error: error, outcome: outcome(.environmentError, "\(error)"))
            }
            if !notes.isEmpty { event.note = redactor.redact(notes.joined(separator: " | ")) }
            let input = ComputerToolInput(screenshot: screenshot, step: step, results: results,
                                          note: notes.isEmpty ? nil : notes.joined(separator: "\n"))
            results = []
            notes = []

            // Ask.
            let turn: ComputerToolTurn
            do {
                turn = try await ask(input)
            } catch let stop as StoppedError {
                return finishStep(event, error: nil, outcome: outcome(.stopped, stop.reason))
            } catch {
                recordCall(step: step, turn: nil, error: "\(error)")
                event.timings = timings
                return finishStep(event, error: error, outcome: outcome(RunEnding.forError(error), "\(error)"))
            }
            prompt += turn.usage.promptTokens
            completion += turn.usage.outputTokens
            timings.modelMs = turn.latency * 1000
            recordCall(step: step, turn: turn, error: nil)
            event.answer = Self.capped(redactor.redact(turn.text))
            event.thought = turn.text.isEmpty ? nil : Self.capped(redactor.redact(turn.text))
            event.request = TraceRequest(images: [TraceImage(step: step, width: sendSize.width, height: sendSize.height)],
                                         promptTokens: prompt, completionTokens: completion, attempts: turn.attempts,
                                         modelMs: turn.latency * 1000)

            if turn.finished {
                report(step: step, action: "finished", target: nil, modelSeconds: turn.latency, tokens: turn.usage.totalTokens,
                       decision: "finished", changed: nil, note: turn.text)
                event.timings = timings
                let text = turn.text.trimmingCharacters(in: .whitespacesAndNewlines)
                return finishStep(event, error: nil, outcome: outcome(.finished, text.isEmpty ? "the model ended its turn" : text))
            }

            // Act: every call, in order.
            let mapping: CoordinateMapping
            do {
                mapping = try CoordinateMapping(convention: .absoluteOnSent, screen: frame.rect, sentImage: sendSize)
            } catch {
                return finishStep(event, error: error, outcome: outcome(.inputError, "\(error)"))
            }
            var records: [TraceAction] = []
            var performed: [ScreenAction] = []
            var decisions: [String] = []
            var lastChanged: Bool?
            var ending: AgentOutcome?
            var before = frame
            var policyMs = 0.0, actMs = 0.0, settleMs = 0.0

            calls: for call in turn.calls {
                var result = ComputerToolResult(callID: call.id)
                defer { results.append(result) }
                if let why = call.error {
                    result.error = "error: \(why)"
                    records.append(TraceAction(index: records.count, action: nil, description: "\(call.name) (not run)",
                                               executed: false, error: why))
                    decisions.append("rejected")
                    continue
                }
                if !call.safetyChecks.isEmpty {
                    let verdict = safety.judge(call.safetyChecks, action: call.name)
                    recordSafety(step: step, call: call, acknowledged: verdict.acknowledged, by: verdict.by)
                    guard verdict.acknowledged else {
                        let codes = call.safetyChecks.map { $0.code ?? $0.id }.joined(separator: ", ")
                        records.append(TraceAction(index: records.count, action: nil, description: "\(call.name) (safety check)",
                                                   decision: TraceDecision(verdict: .deny, rule: "safety_check", reason: verdict.note),
                                                   executed: false, error: "safety check \(codes) not acknowledged: \(verdict.note)"))
                        decisions.append("safety check refused")
                        ending = outcome(.policyAbort, "the provider's safety check (\(codes)) on \(call.name) was not acknowledged: \(verdict.note)")
                        break calls
                    }
                    result.acknowledged = call.safetyChecks
                }
                switch call.query {
                case .cursorPosition?:
                    if let p = desktop.windows.pointer() {
                        let x = Int((Double(p.x - frame.rect.x) * Double(sendSize.width) / Double(frame.width)).rounded())
                        let y = Int((Double(p.y - frame.rect.y) * Double(sendSize.height) / Double(frame.height)).rounded())
                        result.text = "X=\(x),Y=\(y)"
                    } else {
                        result.error = "error: the pointer position cannot be read on this display"
                    }
                    records.append(TraceAction(index: records.count, action: nil, description: "cursor_position → \(result.text ?? "?")", executed: true))
                case .zoom(let a, let b)?:
                    do {
                        let p = try mapping.toScreen(a), q = try mapping.toScreen(b)
                        let local = Rect(x: p.x - frame.rect.x, y: p.y - frame.rect.y, width: max(1, q.x - p.x), height: max(1, q.y - p.y))
                        guard let crop = before.cropped(to: local) else { throw InputError("the zoom region \(local) is not on the screen") }
                        result.image = try encode(crop, at: crop.size)
                        records.append(TraceAction(index: records.count, action: nil,
                                                   description: "zoom \(local.width)x\(local.height) at \(local.x),\(local.y) (full resolution)", executed: true))
                    } catch {
                        result.error = "error: zoom failed: \(error)"
                        records.append(TraceAction(index: records.count, action: nil, description: "zoom", executed: false, error: "\(error)"))
                    }
                case .screenshot?, nil:
                    break
                }
                if call.actions.isEmpty, call.query == .screenshot {
                    records.append(TraceAction(index: records.count, action: nil, description: "screenshot", executed: true))
                }

                var failed = false
                for modelAction in call.actions {
                    var record = TraceAction(index: records.count, modelAction: modelAction, mapping: mapping, action: nil,
                                             description: "", executed: false)
                    let screenAction: ScreenAction
                    do {
                        record.points = try mapping.records(for: modelAction)
                        screenAction = try mapping.toScreen(modelAction)
                    } catch {
                        record.description = "\(modelAction.kind.rawValue) (unmappable)"
                        record.error = error.description
                        records.append(record)
                        result.error = "error: \(call.name) was not performed: \(error.description); give points inside the \(sendSize.width)x\(sendSize.height) screenshot"
                        failed = true
                        break
                    }
                    record.action = screenAction
                    record.description = PolicyGate.describe(screenAction, redactor: redactor)
                    let exec: ActionExecution
                    do {
                        exec = try executor.execute(screenAction, step: step, before: before)
                    } catch {
                        record.error = error.description
                        records.append(record)
                        ending = outcome(.stopped, error.reason)
                        failed = true
                        break
                    }
                    policyMs += exec.policyMs ?? 0
                    actMs += exec.actMs ?? 0
                    settleMs += exec.settleMs ?? 0
                    record.decision = exec.gate?.traceDecision
                    record.executed = exec.executed
                    record.actMs = exec.actMs
                    decisions.append(exec.gate?.summary ?? "error")
                    if let gate = exec.gate, !gate.runs, !gate.simulated {
                        records.append(record)
                        if gate.limitReached {
                            let rule = gate.decision.rule ?? ""
                            ending = outcome(rule.contains("duration") ? .maxDuration : .maxSteps, gate.decision.reason)
                        } else if gate.aborts {
                            ending = outcome(.policyAbort, "policy denied \(record.description): \(gate.decision.reason)")
                        }
                        result.error = "error: \(record.description) was not performed: \(gate.note ?? gate.decision.reason). Choose another way."
                        failed = true
                        break
                    }
                    if let error = exec.error {
                        record.error = "\(error)"
                        records.append(record)
                        let status = RunEnding.forError(error)
                        if status != .inputError { ending = outcome(status, "\(record.description) failed: \(error)") }
                        result.error = "error: \(record.description) failed: \(TraceText.oneLine("\(error)", limit: 300))"
                        failed = true
                        break
                    }
                    records.append(record)
                    if exec.executed { performed.append(screenAction) }
                    if let settled = exec.settle {
                        before = settled.frame
                        observation = settled.frame
                        lastChanged = settled.changed
                        switch progress.record(screenAction, screenChanged: settled.changed) {
                        case .ok: break
                        case .warn(let n):
                            notes.append("Your last \(n) actions were the same (\(record.description)) and the screen did not change. Try something different.")
                        case .stop(let n):
                            ending = outcome(.noProgress, "no progress: \(record.description) repeated \(n) times without any change on screen")
                        }
                    }
                    if ending != nil { break }
                }
                if failed { release(call.cleanup, mapping: mapping, step: step, before: before) }
                if ending != nil { break calls }
            }

            timings.policyMs = policyMs
            timings.actMs = actMs
            timings.settleMs = settleMs
            event.actions = records
            event.annotated = trace.writeAnnotated(step: step, frame: frame, actions: performed)
            report(step: step, action: turn.calls.map(\.name).joined(separator: "+").nonEmpty ?? "none",
                   target: records.first?.description, modelSeconds: turn.latency, tokens: turn.usage.totalTokens,
                   decision: decisions.joined(separator: ", ").nonEmpty ?? "-", changed: lastChanged,
                   note: turn.text.isEmpty ? nil : redactor.redact(turn.text))
            timings.traceMs = trace.lastWriteMs
            event.timings = timings
            do { try trace.record(.step(event)) } catch { return outcome(.environmentError, "\(error)") }
            if let ending { return ending }
        }
    }

    /// Runs a failed call's cleanup (releasing keys and buttons it pressed) through the executor; failures
    /// here are left to the performer's release-all on exit.
    func release(_ cleanup: [ModelAction], mapping: CoordinateMapping, step: Int, before: Frame) {
        for action in cleanup {
            guard let screen = try? mapping.toScreen(action) else { continue }
            _ = try? executor.execute(screen, step: step, before: before)
        }
    }

    /// Calls the model, giving up early (with ``StoppedError``) when a stop is requested meanwhile.
    private func ask(_ input: ComputerToolInput) async throws -> ComputerToolTurn {
        let session = self.session
        return try await withThrowingTaskGroup(of: ComputerToolTurn?.self) { group in
            group.addTask { try await session.next(input) }
            group.addTask {
                while !Task.isCancelled {
                    if let why = StopFlag.current.requested { throw StoppedError(reason: why) }
                    try await Task.sleep(for: .milliseconds(20))
                }
                return nil
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let turn = next { return turn }
            }
            throw StoppedError(reason: StopFlag.current.requested ?? "cancelled")
        }
    }

    /// A `model_call` event: what was sent (no image bytes, never the key) and what came back.
    func recordCall(step: Int, turn: ComputerToolTurn?, error: String?) {
        var fields: [String: JSONValue] = ["step": .number(Double(step)), "provider": .string(session.providerName)]
        if let turn {
            fields["request"] = turn.request
            fields["attempts"] = .number(Double(turn.attempts))
            fields["model_ms"] = .number((turn.latency * 1000).rounded())
            if let s = turn.stopReason { fields["stop_reason"] = .string(s) }
            fields["usage"] = .object(["input_tokens": .number(Double(turn.usage.inputTokens)),
                                       "output_tokens": .number(Double(turn.usage.outputTokens)),
                                       "cache_creation_input_tokens": .number(Double(turn.usage.cacheCreationTokens)),
                                       "cache_read_input_tokens": .number(Double(turn.usage.cacheReadTokens))])
            fields["calls"] = .array(turn.calls.map { c in
                var o: [String: JSONValue] = ["id": .string(c.id), "name": .string(c.name), "input": c.input]
                if let e = c.error { o["error"] = .string(e) }
                return .object(o)
            })
            fields["reply_bytes"] = .number(Double(turn.raw.utf8.count))
        }
        if let error { fields["error"] = .string(redactor.redact(error)) }
        try? trace.record(.other(type: "model_call", fields: .object(fields)))
    }

    /// A `safety_check` event per check: what it said, whether and by whom it was acknowledged, and when.
    func recordSafety(step: Int, call: ComputerToolCall, acknowledged: Bool, by: SafetyCheckGate.Acknowledger?) {
        let time = ISO8601DateFormatter().string(from: Date())
        for check in call.safetyChecks {
            var fields: [String: JSONValue] = ["step": .number(Double(step)), "call_id": .string(call.id), "id": .string(check.id),
                                               "acknowledged": .bool(acknowledged), "time": .string(time)]
            if let code = check.code { fields["code"] = .string(code) }
            if let m = check.message { fields["message"] = .string(redactor.redact(m)) }
            fields["acknowledged_by"] = by.map { .string($0.rawValue) } ?? .null
            try? trace.record(.other(type: "safety_check", fields: .object(fields)))
        }
    }

    func finishStep(_ event: StepEvent, error: (any Error)?, outcome: AgentOutcome) -> AgentOutcome {
        var event = event
        if let error { event.error = redactor.redact("\(error)") }
        do { try trace.record(.step(event)) } catch {
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

    private func encode(_ frame: Frame, at size: Size) throws -> EncodedImage {
        let scaled = size == frame.size ? frame : desktop.codec.resize(frame, to: size)
        return EncodedImage(data: Data(try desktop.codec.encodePNG(scaled)), size: size)
    }

    func ms(since start: Double) -> Double { (MonotonicClock.now() - start) * 1000 }
}
