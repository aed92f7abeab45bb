import DeskCore
import DeskModels
import Foundation

/// A computer-use provider deciding (Anthropic Messages, OpenAI Responses): its own computer tool, whose
/// calls the one ``StepExecutor`` runs like any decider's actions.
///
/// Each step sends the screenshot at the size the tool is declared with, with every previous call's result;
/// each call's actions form one group (``DenialHandling/skipGroup``): a call that is denied or fails gets our
/// one-line error as its result and whatever it pressed is released, so the model can recover, while the
/// turn's other calls still run. Queries (`cursor_position`, `zoom`) are answered here without acting. The
/// model ending its turn without calls is `finished` with its text. Every model call is also a `model_call`
/// trace event (images elided, never the key), every safety check a `safety_check` event.
public struct ToolDecider: Decider {
    public let session: any ComputerToolSession
    public let codec: any FrameCodec
    public let trace: RunTrace
    public let redactor: Redactor
    public let safety: SafetyCheckGate
    public let windows: any WindowLookup

    /// Characters of a model's text kept in a trace event; the rest is cut with a note.
    public static let traceTextLimit = 16 << 10

    /// Results waiting to go back with the next screenshot, one per call, in the calls' order.
    private var results: [ComputerToolResult] = []
    /// The last turn's calls that acted: their slot in ``results`` and the indices of their actions.
    private var acting: [(slot: Int, call: ComputerToolCall, actions: Range<Int>)] = []
    private var sentSize = Size(width: 0, height: 0)

    public var name: String { "the model" }
    public var denialHandling: DenialHandling { .skipGroup }

    public init(session: any ComputerToolSession, codec: any FrameCodec, trace: RunTrace, redactor: Redactor,
                safety: SafetyCheckGate, windows: any WindowLookup) {
        self.session = session
        self.codec = codec
        self.trace = trace
        self.redactor = redactor
        self.safety = safety
        self.windows = windows
    }

    /// `text` cut to ``traceTextLimit`` characters with a note saying how much there was.
    public static func capped(_ text: String) -> String {
        guard text.count > traceTextLimit else { return text }
        return String(text.prefix(traceTextLimit)) + " … [truncated: \(text.utf8.count) bytes in all]"
    }

    public mutating func decide(_ observation: Observation, context: DecisionContext) async -> Decision {
        let frame = observation.frame
        var timings = StepTimings()
        let encodeStart = MonotonicClock.now()
        let sendSize = session.screenshotSize(for: frame.size)
        sentSize = sendSize
        let screenshot: EncodedImage
        // The computer tool always takes a screenshot (its action schema is fixed): the observation mode's
        // marks are drawn on it, and the tree or the mark table goes along as text.
        do { screenshot = try encode(observation.markedFrame ?? frame, at: sendSize) } catch {
            return .end(RunEnding.forError(error), "encoding the screenshot failed: \(error)", error: "\(error)")
        }
        timings.encodeMs = (MonotonicClock.now() - encodeStart) * 1000
        let extra = observation.text(markGrammar: "Name a marked element by the pixel centre of its box.")
        let note = (context.feedback + [extra].compactMap { $0 }).joined(separator: "\n").nonEmpty
        let input = ComputerToolInput(screenshot: screenshot, step: context.step, results: results, note: note)
        results = []
        acting = []

        let turn: ComputerToolTurn
        do {
            let session = self.session
            turn = try await untilStopped { try await session.next(input) }
        } catch let stop as StoppedError {
            return .end(.stopped, stop.reason)
        } catch {
            recordCall(step: context.step, turn: nil, error: "\(error)")
            var decision = Decision.end(RunEnding.forError(error), "\(error)", error: "\(error)")
            decision.sentImage = [UInt8](screenshot.data)
            return decision
        }
        recordCall(step: context.step, turn: turn, error: nil)
        timings.modelMs = turn.latency * 1000
        let text = Self.capped(redactor.redact(turn.text))
        var decision = Decision(next: .act([]), thought: turn.text.isEmpty ? nil : text, answer: text,
                                cost: DecisionCost(seconds: turn.latency, promptTokens: turn.usage.promptTokens,
                                                   completionTokens: turn.usage.outputTokens,
                                                   stepTokens: turn.usage.totalTokens),
                                timings: timings)
        decision.sentImage = [UInt8](screenshot.data)
        decision.source = session.providerName
        decision.note = note.map(redactor.redact)
        decision.request = TraceRequest(images: [TraceImage(step: context.step, width: sendSize.width, height: sendSize.height)],
                                        promptTokens: context.promptTokens + turn.usage.promptTokens,
                                        completionTokens: context.completionTokens + turn.usage.outputTokens,
                                        attempts: turn.attempts, modelMs: turn.latency * 1000)
        if turn.finished {
            let said = turn.text.trimmingCharacters(in: .whitespacesAndNewlines)
            decision.reportedAction = "finished"
            decision.next = .act([DecidedAction(action: .success(.finished(message: said.isEmpty ? "the model ended its turn" : said)))])
            return decision
        }
        let mapping: CoordinateMapping
        do {
            mapping = try CoordinateMapping(convention: .absoluteOnSent, screen: frame.rect, sentImage: sendSize)
        } catch {
            return .end(.inputError, "\(error)", error: "\(error)")
        }
        decision.reportedAction = turn.calls.map(\.name).joined(separator: "+")
        var decided: [DecidedAction] = []
        var answered: [String] = []
        for (number, call) in turn.calls.enumerated() {
            var result = ComputerToolResult(callID: call.id)
            if let why = call.error {
                result.error = "error: \(why)"
                results.append(result)
                answered.append("\(call.name) rejected: \(why)")
                continue
            }
            if !call.safetyChecks.isEmpty {
                let verdict = safety.judge(call.safetyChecks, action: call.name)
                recordSafety(step: context.step, call: call, acknowledged: verdict.acknowledged, by: verdict.by)
                guard verdict.acknowledged else {
                    // Nothing of a turn that holds an unacknowledged check runs: the run ends here.
                    let codes = call.safetyChecks.map { $0.code ?? $0.id }.joined(separator: ", ")
                    decision.reportedAction = call.name
                    decision.next = .end(DecisionEnd(
                        ending: .policyAbort,
                        reason: "the provider's safety check (\(codes)) on \(call.name) was not acknowledged: \(verdict.note)",
                        error: "safety check \(codes) not acknowledged: \(verdict.note)", reported: "safety check refused"))
                    return decision
                }
                result.acknowledged = call.safetyChecks
            }
            switch call.query {
            case .cursorPosition?:
                if let p = windows.pointer() {
                    let x = Int((Double(p.x - frame.rect.x) * Double(sendSize.width) / Double(frame.width)).rounded())
                    let y = Int((Double(p.y - frame.rect.y) * Double(sendSize.height) / Double(frame.height)).rounded())
                    result.text = "X=\(x),Y=\(y)"
                } else {
                    result.error = "error: the pointer position cannot be read on this display"
                }
                answered.append("cursor_position → \(result.text ?? "?")")
            case .zoom(let a, let b)?:
                do {
                    let p = try mapping.toScreen(a), q = try mapping.toScreen(b)
                    let local = Rect(x: p.x - frame.rect.x, y: p.y - frame.rect.y, width: max(1, q.x - p.x), height: max(1, q.y - p.y))
                    guard let crop = frame.cropped(to: local) else { throw InputError("the zoom region \(local) is not on the screen") }
                    result.image = try encode(crop, at: crop.size)
                    answered.append("zoom \(local.width)x\(local.height) at \(local.x),\(local.y) (full resolution)")
                } catch {
                    result.error = "error: zoom failed: \(error)"
                    answered.append("zoom failed: \(error)")
                }
            case .screenshot?, nil:
                break
            }
            results.append(result)
            if call.actions.isEmpty { continue }
            let cleanup = call.cleanup.compactMap { try? mapping.toScreen($0) }
            let first = decided.count
            for modelAction in call.actions {
                let placed: Result<ScreenAction, UnmappableAction>
                do throws(CoordinateError) {
                    placed = .success(try mapping.toScreen(modelAction))
                } catch {
                    placed = .failure(UnmappableAction(error.description))
                }
                var action = DecidedAction(modelAction: modelAction, mapping: mapping,
                                           points: try? mapping.records(for: modelAction), action: placed)
                action.group = number
                action.groupCleanup = cleanup
                decided.append(action)
            }
            acting.append((results.count - 1, call, first..<decided.count))
        }
        if !answered.isEmpty {
            let said = redactor.redact(answered.joined(separator: "; "))
            decision.note = [decision.note, said].compactMap { $0 }.joined(separator: " | ")
        }
        decision.next = .act(decided)
        return decision
    }

    /// Each acting call's result from what its actions came to: the first denial or failure is its error.
    public mutating func learn(from records: [TraceAction]) {
        for (slot, call, range) in acting {
            var result = results[slot]
            for record in records where range.contains(record.index) {
                if let error = record.error {
                    result.error = record.action == nil
                        ? "error: \(call.name) was not performed: \(error); give points inside the \(sentSize.width)x\(sentSize.height) screenshot"
                        : "error: \(record.description) failed: \(TraceText.oneLine(error, limit: 300))"
                    break
                }
                if let decision = record.decision, decision.verdict == .deny || decision.verdict == .deniedByPerson {
                    result.error = "error: \(record.description) was not performed: \(decision.reason ?? "the policy denied it"). Choose another way."
                    break
                }
            }
            results[slot] = result
        }
        acting = []
    }

    // MARK: - Trace events

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

    private func encode(_ frame: Frame, at size: Size) throws -> EncodedImage {
        let scaled = size == frame.size ? frame : codec.resize(frame, to: size)
        return EncodedImage(data: Data(try codec.encodePNG(scaled)), size: size)
    }
}
