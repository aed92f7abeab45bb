import DeskCore
import DeskModels
import Foundation

extension AgentLoop {
    /// The loop with a ``ScreenPlanner`` in the model's place: observe → decide → policy → act → settle →
    /// record, with the same limits, stop checks, progress detection and trace events as a model run.
    ///
    /// Each `.act` decision is one step (its thought, its actions, every action through the policy gate); the
    /// final `.finished` is a step too, as a model's `finished` answer is. A `.wait` decision is no step: the
    /// loop waits for the screen to change (or the time given) and shows the planner the new screen.
    func runPlanned(goal: String, planner makePlanner: @Sendable (String) throws -> any ScreenPlanner,
                    firstStep: Int, cap: Int, startedAt: Double) -> AgentOutcome {
        var used = 0
        var step = firstStep - 1
        func outcome(_ ending: RunEnding, _ reason: String) -> AgentOutcome {
            AgentOutcome(ending: ending, reason: redactor.redact(reason), steps: used, promptTokens: 0, completionTokens: 0)
        }
        let planner: any ScreenPlanner
        do {
            planner = try makePlanner(goal)
        } catch {
            return outcome(RunEnding.forError(error), "\(error)")
        }
        var progress = ProgressDetector(warnAfter: configuration.noProgressWarn, stopAfter: configuration.noProgressStop)
        var observation: Frame?
        let desktop = executor.desktop

        while true {
            if let why = StopFlag.current.requested { return outcome(.stopped, why) }
            if used >= cap { return outcome(.maxSteps, "reached the limit of \(cap) steps") }
            if let limit = configuration.maxDuration, MonotonicClock.now() - startedAt >= limit {
                return outcome(.maxDuration, "reached the time limit of \(limit.formatted) s")
            }
            var timings = StepTimings()

            let frame: Frame
            if let observation {
                frame = observation
            } else {
                let t = MonotonicClock.now()
                do { frame = try desktop.screen.capture() } catch {
                    step += 1
                    used += 1
                    return finishStep(StepEvent(step: step, time: Date()), error: error,
                                      outcome: outcome(RunEnding.forError(error), "capture failed: \(error)"))
                }
                timings.captureMs = ms(since: t)
            }
            observation = nil

            // Decide (the planner's time is the step's "model" time).
            let decideStart = MonotonicClock.now()
            let decision: PlannerDecision
            do {
                decision = try planner.next(frame: frame, windows: desktop.windows.windows())
            } catch {
                step += 1
                used += 1
                var event = StepEvent(step: step, time: Date())
                event.frame = try? trace.writeFrame(step: step, frame: frame)
                timings.modelMs = ms(since: decideStart)
                event.timings = timings
                report(step: step, action: "none", target: nil, modelSeconds: timings.modelMs.map { $0 / 1000 } ?? 0,
                       tokens: nil, decision: "failed", changed: nil, note: "\(error)")
                return finishStep(event, error: error, outcome: outcome(RunEnding.forError(error), "\(error)"))
            }
            let decideMs = ms(since: decideStart)

            let thought: String
            let actions: [ScreenAction]
            switch decision {
            case .wait(let seconds, _):
                do {
                    observation = try executor.settler.waitForChange(after: frame, timeout: max(0.01, seconds)).frame
                } catch let stop as StoppedError {
                    return outcome(.stopped, stop.reason)
                } catch {
                    return outcome(RunEnding.forError(error), "capture failed: \(error)")
                }
                continue
            case .finished(let message):
                thought = message
                actions = [.finished(message: message)]
            case .act(let list, let why):
                thought = why
                actions = list
            }

            step += 1
            used += 1
            var event = StepEvent(step: step, time: Date())
            timings.modelMs = decideMs
            let encodeStart = MonotonicClock.now()
            do {
                event.frame = try trace.writeFrame(step: step, frame: frame)
            } catch {
                return finishStep(event, error: error, outcome: outcome(.environmentError, "\(error)"))
            }
            if trace.recorder != nil { timings.encodeMs = ms(since: encodeStart) }
            event.thought = redactor.redact(thought)
            // The planner's answer as a model would have written it, for the trace and the report.
            event.answer = redactor.redact("Thought: \(thought)\nAction: "
                + actions.map { PolicyGate.describe($0) }.joined(separator: "; "))

            let mapping: CoordinateMapping?
            do {
                mapping = try CoordinateMapping(convention: .absoluteOnSent, screen: frame.rect, sentImage: frame.size)
            } catch {
                mapping = nil
            }
            var traceActions: [TraceAction] = []
            var performed: [ScreenAction] = []
            var decisions: [String] = []
            var lastChanged: Bool?
            var ending: AgentOutcome?
            var before = frame
            var policyMs = 0.0, actMs = 0.0, settleMs = 0.0
            actions: for (index, action) in actions.enumerated() {
                // In the mapping's terms the planner answered in pixels of the frame it was shown.
                let modelAction = action.mapPoints { ModelPoint(x: Double($0.x - frame.origin.x), y: Double($0.y - frame.origin.y)) }
                var record = TraceAction(index: index, modelAction: modelAction, mapping: mapping,
                                         points: mapping.flatMap { try? $0.records(for: modelAction) }, action: action,
                                         description: PolicyGate.describe(action, redactor: redactor), executed: false)
                if case .finished(let message) = action {
                    record.decision = TraceDecision(verdict: .allow)
                    traceActions.append(record)
                    decisions.append("finished")
                    ending = outcome(.finished, message ?? "the planner says the goal is done")
                    break actions
                }
                let exec: ActionExecution
                do {
                    exec = try executor.execute(action, step: step, before: before)
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
                    // A planner cannot choose another way: a denied action ends the run.
                    if gate.limitReached {
                        let rule = gate.decision.rule ?? ""
                        ending = outcome(rule.contains("duration") ? .maxDuration : .maxSteps, gate.decision.reason)
                    } else {
                        ending = outcome(gate.aborts ? .policyAbort : .stepFailed,
                                         "policy denied \(record.description): \(gate.note ?? gate.decision.reason)")
                    }
                    break actions
                }
                if let error = exec.error {
                    record.error = "\(error)"
                    traceActions.append(record)
                    ending = outcome(RunEnding.forError(error), "\(record.description) failed: \(error)")
                    break actions
                }
                traceActions.append(record)
                if exec.executed { performed.append(action) }
                if let settled = exec.settle {
                    before = settled.frame
                    observation = settled.frame
                    lastChanged = settled.changed
                    if case .stop(let n) = progress.record(action, screenChanged: settled.changed) {
                        ending = outcome(.noProgress, "no progress: \(record.description) repeated \(n) times without any change on screen")
                        break actions
                    }
                }
            }
            timings.policyMs = policyMs
            timings.actMs = actMs
            timings.settleMs = settleMs
            event.actions = traceActions
            event.annotated = trace.writeAnnotated(step: step, frame: frame, actions: performed.isEmpty
                ? traceActions.compactMap(\.action).filter { !$0.isTerminal } : performed)
            report(step: step, action: traceActions.compactMap { $0.action?.kind.rawValue }.joined(separator: "+").nonEmpty ?? "none",
                   target: traceActions.first?.description, modelSeconds: decideMs / 1000, tokens: nil,
                   decision: decisions.joined(separator: ", ").nonEmpty ?? "-", changed: lastChanged,
                   note: redactor.redact(thought))
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
}
