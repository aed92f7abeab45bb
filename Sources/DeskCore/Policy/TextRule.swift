/// One `text.deny` entry: a pattern over the normalised typed stream and the reason shown when it matches.
public struct TextRule: Sendable, Hashable, Codable {
    public var pattern: PolicyRegex
    /// Shown to the model and in the trace; defaults to naming the pattern.
    public var reason: String?

    public init(pattern: PolicyRegex, reason: String? = nil) {
        self.pattern = pattern
        self.reason = reason
    }
}
