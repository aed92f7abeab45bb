/// One step as the live output prints it and a run summary lists it.
public struct StepOutcome: Sendable, Hashable, Codable {
    /// 1-based step number.
    public var step: Int
    /// The action's kind (`click`, `type`, `finished`), or `none` when the step produced no action.
    public var action: String
    /// Where it acted or what it typed (already redacted), e.g. `(640,360) in XTerm 'bash'`.
    public var target: String?
    /// Seconds spent waiting for the model in this step (retries included); nil for scripted steps.
    public var modelSeconds: Double?
    /// Tokens the model reported for this step.
    public var tokens: Int?
    /// The policy decision (`allow`, `deny: …`, `confirmed`, `dry-run`).
    public var decision: String
    /// Whether the screen changed after the action (nil when not measured).
    public var screenChanged: Bool?
    /// A short note: the model's thought, a parse error, a no-progress warning.
    public var note: String?

    public init(step: Int, action: String, target: String? = nil, modelSeconds: Double? = nil, tokens: Int? = nil,
                decision: String, screenChanged: Bool? = nil, note: String? = nil) {
        self.step = step
        self.action = action
        self.target = target
        self.modelSeconds = modelSeconds
        self.tokens = tokens
        self.decision = decision
        self.screenChanged = screenChanged
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case step, action, target, tokens, decision, note
        case modelSeconds = "model_s", screenChanged = "screen_changed"
    }

    /// The one human-readable line the CLI prints for this step.
    public var line: String {
        var parts = ["step \(step)", action]
        if let target { parts.append(target) }
        if let modelSeconds { parts.append(String(format: "model %.2fs", modelSeconds)) }
        if let tokens { parts.append("\(tokens) tok") }
        parts.append(decision)
        if screenChanged == false { parts.append("no change") }
        var line = parts.joined(separator: " | ")
        if let note, !note.isEmpty { line += " — " + note }
        return line
    }
}
