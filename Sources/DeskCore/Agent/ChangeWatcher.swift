/// Tells when the screen changes, from X DAMAGE events in the executable (a hint, which the settle logic
/// confirms with a tile diff) or from a script in tests.
public protocol ChangeWatcher: AnyObject, Sendable {
    /// Forgets damage seen so far: called just before acting, so only what the action caused counts.
    func arm()
    /// Waits until no damage has arrived for `quietWindow` seconds, but at least `minimum` and at most
    /// `maximum` seconds after the call. Throws ``StoppedError`` when a stop is requested while waiting.
    func waitForQuiet(quietWindow: Double, minimum: Double, maximum: Double) throws -> DamageSummary
    /// Waits up to `timeout` seconds for any damage; true when some arrived.
    func waitForChange(timeout: Double) throws -> Bool
}

/// What a watcher saw while waiting.
public struct DamageSummary: Sendable, Hashable, Codable {
    /// Damage notifications received (NonEmpty level: one per quiet→dirty transition).
    public var events: Int
    /// Seconds waited.
    public var waited: Double
    /// False when ``ChangeWatcher/waitForQuiet(quietWindow:minimum:maximum:)`` gave up at the maximum
    /// with the screen still changing.
    public var quiet: Bool

    public init(events: Int, waited: Double, quiet: Bool) {
        self.events = events
        self.waited = waited
        self.quiet = quiet
    }
}
