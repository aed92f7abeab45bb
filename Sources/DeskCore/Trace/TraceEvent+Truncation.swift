extension TraceEvent {
    /// The most characters of a model's answer (and of its thought) a trace keeps per step.
    public static let maximumModelText = 65_536

    /// This event with a step's model answer and thought cut to ``maximumModelText`` characters, each cut
    /// ending with a note of how much was left out, so a huge answer cannot swell the trace or the report.
    public func truncatingModelText(to maximum: Int = TraceEvent.maximumModelText) -> TraceEvent {
        guard case .step(var e) = self else { return self }
        func cut(_ text: String?) -> String? {
            guard let text, text.count > maximum else { return text }
            return String(text.prefix(maximum)) + "\n[… truncated: \(text.count - maximum) more characters]"
        }
        let answer = e.answer
        e.answer = cut(answer)
        // A long thought that is the whole answer is not stored twice.
        if let thought = e.thought, thought == answer, thought.count > 1024 { e.thought = nil } else { e.thought = cut(e.thought) }
        return .step(e)
    }
}
