/// An ``ActionPerformer`` that holds every action while a person has the desktop (``PauseFlag``), then hands
/// it to the real performer. Wrapping the performer — rather than the loop — pauses scripted tasks, agent
/// runs and daemon jobs alike, between actions.
///
/// An action already under way (a long `type`) is not cut in the middle by a pause; the kill hotkey and
/// `deskpilot stop` are the way to interrupt one.
public final class PausingPerformer: ActionPerformer, Sendable {
    /// The performer that injects input.
    public let inner: any ActionPerformer
    public let pause: PauseFlag
    public let stop: StopFlag

    public init(_ inner: any ActionPerformer, pause: PauseFlag = .shared, stop: StopFlag = .shared) {
        self.inner = inner
        self.pause = pause
        self.stop = stop
    }

    public func perform(_ action: ScreenAction) throws {
        try pause.waitWhilePaused(stop: stop)
        try inner.perform(action)
    }

    public func focus(window: UInt) throws {
        try pause.waitWhilePaused(stop: stop)
        try inner.focus(window: window)
    }

    /// Releasing held input must happen even while paused (it is what a person taking over wants most).
    public func releaseAll() { inner.releaseAll() }

    public var keptKeyNames: [String] { inner.keptKeyNames }
}
