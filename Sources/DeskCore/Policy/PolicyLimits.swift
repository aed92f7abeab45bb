/// A policy's `limits`: caps on one run. `nil` means no cap from this source.
public struct PolicyLimits: Sendable, Hashable, Codable {
    /// Most model steps (or script steps) a run may take; reaching it ends the run with exit 1.
    public var maxSteps: Int?
    /// Longest a run may last, in seconds; reaching it ends the run with exit 1.
    public var maxDuration: Double?
    /// Most actions executed in any 60-second window; faster actions are delayed, not denied.
    public var maxActionsPerMinute: Int?
    /// Most characters typed in one run (text and single key presses that type something).
    public var maxTypedCharacters: Int?

    public init(maxSteps: Int? = nil, maxDuration: Double? = nil, maxActionsPerMinute: Int? = nil,
                maxTypedCharacters: Int? = nil) {
        self.maxSteps = maxSteps
        self.maxDuration = maxDuration
        self.maxActionsPerMinute = maxActionsPerMinute
        self.maxTypedCharacters = maxTypedCharacters
    }

    /// These limits combined with `other` (e.g. command-line flags): for each limit the stricter wins,
    /// and a limit set on only one side applies.
    public func merged(with other: PolicyLimits) -> PolicyLimits {
        PolicyLimits(maxSteps: Self.stricter(maxSteps, other.maxSteps),
                     maxDuration: Self.stricter(maxDuration, other.maxDuration),
                     maxActionsPerMinute: Self.stricter(maxActionsPerMinute, other.maxActionsPerMinute),
                     maxTypedCharacters: Self.stricter(maxTypedCharacters, other.maxTypedCharacters))
    }

    private static func stricter<T: Comparable>(_ a: T?, _ b: T?) -> T? {
        switch (a, b) {
        case let (a?, b?): min(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        case (nil, nil): nil
        }
    }
}
