import DeskCore
import DeskModels
import Foundation

/// Answers one chat request: ``ModelClient`` over HTTP, or any other provider of a vision-language model.
public protocol ModelCompleting: Sendable {
    func complete(_ request: ChatRequest) async throws -> ChatReply
}

extension ModelClient: ModelCompleting {}

/// A vision-language model deciding: encode the screen and the history the dialect's plan keeps, build the
/// request, ask (re-asking after unparsable answers), parse, and map the answer's points onto the screen.
///
/// Denials and failures go back to the model as text in its next turn (``DenialHandling/feedBack``).
public struct ModelDecider: Decider {
    public let dialect: Dialect
    public let model: any ModelCompleting
    public let configuration: AgentConfiguration
    let codec: any FrameCodec
    let redactor: Redactor
    private let planner: HistoryPlanner
    /// Native frames kept for the history (older turns are sent as text only).
    private let framesToKeep: Int
    private var turns: [Turn] = []

    public var name: String { "the model" }
    public var denialHandling: DenialHandling { .feedBack }

    public init(dialect: Dialect, model: any ModelCompleting, configuration: AgentConfiguration, codec: any FrameCodec,
                redactor: Redactor) {
        self.dialect = dialect
        self.model = model
        self.configuration = configuration
        self.codec = codec
        self.redactor = redactor
        planner = HistoryPlanner(rule: configuration.historyRule ?? dialect.defaultHistoryRule)
        framesToKeep = configuration.framesToKeep(dialect: dialect)
    }

    /// One earlier step, kept for the history.
    private struct Turn {
        var step: Int
        var answer: String
        var captureTime: UInt64
        var sendSize: Size
        /// The frame at native size while it may still be sent.
        var frame: Frame?
        /// Encoded images of this frame by size, so an unchanged plan does not re-encode.
        var encoded: [Size: EncodedImage] = [:]
    }

    public mutating func decide(_ observation: Observation, context: DecisionContext) async -> Decision {
        let frame = observation.frame
        var timings = StepTimings()

        // Encode the current frame and the history the plan keeps.
        let encodeStart = MonotonicClock.now()
        let sendSize = dialect.sendSize(for: frame.size)
        let current: EncodedImage
        do {
            current = try encode(observation.markedFrame ?? frame, at: sendSize)
        } catch {
            return .end(RunEnding.forError(error), "encoding the screenshot failed: \(error)", error: "\(error)")
        }
        let plan = planner.plan(steps: turns.map { HistoryStep(step: $0.step, captureTime: $0.captureTime, size: $0.sendSize) }
            + [HistoryStep(step: context.step, captureTime: frame.captureTime, size: sendSize)])
        let (history, images) = history(plan: plan, step: context.step, sendSize: sendSize)
        timings.encodeMs = ms(since: encodeStart)

        // Build the request, with what the last step has to tell the model.
        let requestStart = MonotonicClock.now()
        var request = dialect.buildRequest(goal: context.goal, history: history, current: current,
                                           currentStep: context.step, plan: plan, language: configuration.language)
        if let extra = observation.text(markGrammar: dialect.markGrammar) {
            Self.appendText(redactor.redact(extra), to: &request)
        }
        if !observation.sendsScreenshot { Self.removeImages(from: &request) }
        var note: String?
        if !context.feedback.isEmpty {
            Self.appendText(context.feedback.joined(separator: "\n"), to: &request)
            note = redactor.redact(context.feedback.joined(separator: " | "))
        }
        timings.requestMs = ms(since: requestStart)

        var (decision, parsed) = await ask(request, timings: &timings, images: images, context: context)
        decision.sentImage = [UInt8](current.data)
        decision.note = note
        decision.timings = timings
        guard let parsed else { return decision }
        turns.append(Turn(step: context.step, answer: decision.answer ?? "", captureTime: frame.captureTime,
                          sendSize: sendSize, frame: framesToKeep > 0 ? frame : nil, encoded: [sendSize: current]))
        // Drop native frames no plan can use any more.
        if turns.count > framesToKeep {
            for i in turns.indices.dropLast(framesToKeep) {
                turns[i].frame = nil
                turns[i].encoded = [:]
            }
        }
        decision.next = mapped(parsed.actions, screen: frame.rect, sendSize: sendSize, observation: observation)
        if parsed.actions.isEmpty { decision.noActionFeedback = "Your answer contained no action. \(dialect.formatReminder)" }
        return decision
    }

    /// The earlier turns as the plan sends them (images re-encoded only when their size changed).
    private mutating func history(plan: HistoryPlan, step: Int, sendSize: Size) -> ([HistoryTurn], [TraceImage]) {
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
        return (history, images)
    }

    /// Asks the model, re-asking after answers that do not parse, and maps the parsed actions.
    private func ask(_ request: ChatRequest, timings: inout StepTimings, images: [TraceImage],
                     context: DecisionContext) async -> (Decision, ParsedAnswer?) {
        var request = request
        var cost = DecisionCost(stepTokens: 0)
        var attempts = 0
        var parseErrors: [String] = []
        var parsed: ParsedAnswer?
        var answer = ""
        for attempt in 0...configuration.parseRetries {
            let reply: ChatReply
            do {
                reply = try await askModel(request)
            } catch let stop as StoppedError {
                var decision = Decision.end(.stopped, stop.reason)
                decision.cost = cost
                return (decision, nil)
            } catch {
                timings.modelMs = (cost.seconds ?? 0) * 1000
                var decision = Decision.end(RunEnding.forError(error), "\(error)", error: "\(error)")
                decision.cost = cost
                return (decision, nil)
            }
            cost.seconds = (cost.seconds ?? 0) + reply.latency
            attempts += reply.attempts
            answer = reply.text
            if let usage = reply.usage {
                cost.promptTokens += usage.promptTokens
                cost.completionTokens += usage.completionTokens
                cost.stepTokens = (cost.stepTokens ?? 0) + usage.totalTokens
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
        let modelMs = (cost.seconds ?? 0) * 1000
        timings.modelMs = modelMs
        var decision = Decision(next: .act([]), answer: answer, cost: cost)
        decision.request = TraceRequest(images: images, promptTokens: context.promptTokens + cost.promptTokens,
                                        completionTokens: context.completionTokens + cost.completionTokens,
                                        attempts: attempts, modelMs: modelMs)
        if !parseErrors.isEmpty { decision.parseError = parseErrors.joined(separator: " | ") }
        guard let parsed else {
            decision.next = .end(DecisionEnd(
                ending: .parseFailure,
                reason: "the model's answer could not be parsed after \(configuration.parseRetries + 1) tries: \(parseErrors.last ?? "")",
                reported: "parse error", note: parseErrors.last))
            return (decision, nil)
        }
        decision.thought = parsed.thought
        return (decision, parsed)
    }

    /// The parsed actions on the screen; an answer whose points cannot be mapped at all ends the run.
    private func mapped(_ actions: [ModelAction], screen: Rect, sendSize: Size, observation: Observation) -> Decision.Next {
        let mapping: CoordinateMapping
        do {
            mapping = try dialect.mapping(screen: screen, sentImage: sendSize)
        } catch {
            return .end(DecisionEnd(ending: .inputError, reason: "\(error)", error: "\(error)"))
        }
        return .act(actions.map { given in
            let placed: Result<ScreenAction, UnmappableAction>
            let modelAction: ModelAction
            switch Self.resolvingMarks(given, observation: observation, mapping: mapping) {
            case .success(let resolved): modelAction = resolved
            case .failure(let problem):
                return DecidedAction(modelAction: given, mapping: mapping, points: nil, action: .failure(problem))
            }
            do throws(CoordinateError) {
                _ = try mapping.records(for: modelAction)
                placed = .success(try mapping.toScreen(modelAction))
            } catch {
                placed = .failure(UnmappableAction(error.description))
            }
            var decided = DecidedAction(modelAction: modelAction, mapping: mapping,
                                        points: try? mapping.records(for: modelAction), action: placed)
            decided.mark = modelAction.points.lazy.compactMap(\.mark).first
            return decided
        })
    }

    /// The action with every mark it names replaced by the mark's centre in the model's space (the mark
    /// number stays on the point, for the trace). A mark the observation does not have is a mistake the
    /// model hears about.
    static func resolvingMarks(_ action: ModelAction, observation: Observation,
                               mapping: CoordinateMapping) -> Result<ModelAction, UnmappableAction> {
        var missing: Int?
        let resolved = action.mapPoints { p -> ModelPoint in
            guard let id = p.mark else { return p }
            guard let mark = observation.mark(id) else {
                missing = id
                return p
            }
            let centre = mark.box.center
            let screen = mapping.screen
            // The exact model point that maps back onto the centre pixel.
            let x = Double(centre.x - screen.x) / Double(max(1, screen.width)) * mapping.modelWidth
            let y = Double(centre.y - screen.y) / Double(max(1, screen.height)) * mapping.modelHeight
            return ModelPoint(x: x, y: y, mark: id)
        }
        if let missing {
            let range = observation.marks.isEmpty ? "this screenshot has no marks"
                : "the marks are 1 to \(observation.marks.count)"
            return .failure(UnmappableAction("there is no mark \(missing): \(range)"))
        }
        return .success(resolved)
    }

    /// Takes the screenshots out of a request, for a model shown the tree as text only.
    static func removeImages(from request: inout ChatRequest) {
        for i in request.messages.indices {
            guard case .parts(let parts) = request.messages[i].content else { continue }
            let kept = parts.filter { if case .imageURL = $0 { false } else { true } }
            request.messages[i].content = kept.count == 1 && kept[0].text != nil ? .text(kept[0].text!) : .parts(kept)
        }
    }

    /// Calls the model, giving up early (with ``StoppedError``) when a stop is requested meanwhile.
    private func askModel(_ request: ChatRequest) async throws -> ChatReply {
        let model = self.model
        return try await untilStopped { try await model.complete(request) }
    }

    private func encode(_ frame: Frame, at size: Size) throws -> EncodedImage {
        let scaled = size == frame.size ? frame : codec.resize(frame, to: size)
        return EncodedImage(data: Data(try codec.encodePNG(scaled)), size: size)
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

    private func ms(since start: Double) -> Double { (MonotonicClock.now() - start) * 1000 }
}
