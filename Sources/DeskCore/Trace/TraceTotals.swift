/// Totals over a run's steps, computed from the events (so they exist for an interrupted run too).
public struct TraceTotals: Sendable, Hashable, Codable {
    public var steps: Int
    public var actions: Int
    public var executed: Int
    /// Actions the policy or a person refused.
    public var denied: Int
    public var parseErrors: Int
    /// Steps or actions that recorded an error.
    public var errors: Int
    public var promptTokens: Int
    public var completionTokens: Int
    /// Summed per stage over all steps, in milliseconds.
    public var timings: StepTimings

    public init(steps: [StepEvent]) {
        self.steps = steps.count
        let actions = steps.flatMap(\.actions)
        self.actions = actions.count
        executed = actions.filter(\.executed).count
        denied = actions.filter {
            guard let v = $0.decision?.verdict else { return false }
            return v == .deny || v == .deniedByPerson
        }.count
        parseErrors = steps.filter { $0.parseError != nil }.count
        errors = steps.filter { $0.error != nil }.count + actions.filter { $0.error != nil }.count
        promptTokens = steps.compactMap { $0.request?.promptTokens }.reduce(0, +)
        completionTokens = steps.compactMap { $0.request?.completionTokens }.reduce(0, +)
        var t = StepTimings()
        func add(_ kp: WritableKeyPath<StepTimings, Double?>) {
            let values = steps.compactMap { $0.timings[keyPath: kp] }
            t[keyPath: kp] = values.isEmpty ? nil : values.reduce(0, +)
        }
        for kp in [\StepTimings.captureMs, \.encodeMs, \.requestMs, \.modelMs, \.parseMs, \.policyMs, \.actMs,
                   \.settleMs, \.traceMs] {
            add(kp)
        }
        timings = t
    }

    enum CodingKeys: String, CodingKey {
        case steps, actions, executed, denied, parseErrors = "parse_errors", errors
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", timings
    }
}
