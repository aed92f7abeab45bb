import Foundation

/// One observe → ask → act step.
public struct StepEvent: Sendable, Hashable, Codable {
    public static let type = "step"

    /// 1-based step number; also the number of the frame files.
    public var step: Int
    public var time: Date
    /// `frames/0001.png`, relative to the run folder; absent when capture failed.
    public var frame: String?
    /// `annotated/0001.png`, when an annotated frame was written.
    public var annotated: String?
    public var request: TraceRequest?
    /// The raw model answer (redacted).
    public var answer: String?
    /// The model's thought, as the dialect extracted it.
    public var thought: String?
    public var parseError: String?
    public var actions: [TraceAction]
    /// Feedback sent to the model or loop remarks (`no progress 3x`).
    public var note: String?
    /// An error that ended or spoiled the step (capture, request, settle).
    public var error: String?
    /// For scripted task steps: the step as the task file wrote it (`click text:"OK"`), and its line.
    public var source: String?
    /// What the step's observation mode showed the model as text: the accessibility tree, the Set-of-Mark
    /// table (`--observe a11y|screenshot+a11y|som`).
    public var observation: String?
    public var timings: StepTimings

    public init(step: Int, time: Date, frame: String? = nil, annotated: String? = nil,
                request: TraceRequest? = nil, answer: String? = nil, thought: String? = nil,
                parseError: String? = nil, actions: [TraceAction] = [], note: String? = nil,
                error: String? = nil, source: String? = nil, timings: StepTimings = StepTimings()) {
        self.step = step
        self.time = time
        self.frame = frame
        self.annotated = annotated
        self.request = request
        self.answer = answer
        self.thought = thought
        self.parseError = parseError
        self.actions = actions
        self.note = note
        self.error = error
        self.source = source
        self.timings = timings
    }

    enum CodingKeys: String, CodingKey {
        case step, time, frame, annotated, request, answer, thought, parseError = "parse_error", actions, note
        case error, source, observation, timings
    }
}
