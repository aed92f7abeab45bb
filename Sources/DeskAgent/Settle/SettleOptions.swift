/// How long to wait for the screen after an action.
public struct SettleOptions: Sendable, Hashable, Codable {
    /// Always wait at least this long (seconds): an app may take a moment before it starts drawing.
    public var minimum: Double
    /// Never wait longer (seconds), even if the screen keeps changing (a clock, a video, a spinner).
    public var maximum: Double
    /// The screen counts as quiet after this long (seconds) without damage.
    public var quietWindow: Double
    /// Polling interval (seconds) when no damage watcher is available and frames are compared instead.
    public var pollInterval: Double

    public init(minimum: Double = 0.1, maximum: Double = 3.0, quietWindow: Double = 0.1, pollInterval: Double = 0.1) {
        self.minimum = max(0, minimum)
        self.maximum = max(self.minimum, maximum)
        self.quietWindow = max(0, quietWindow)
        self.pollInterval = max(0.005, pollInterval)
    }

    /// The defaults of the CLI: 100 ms minimum, 3 s maximum.
    public static let standard = SettleOptions()
}
