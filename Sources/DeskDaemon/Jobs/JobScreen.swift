import DeskCore

/// The screen of one job: each observation is a safe point, so a stopped job ends before it looks again
/// and a paused one waits there.
final class JobScreen: ScreenSource, Sendable {
    let inner: any ScreenSource
    let performer: JobPerformer

    init(inner: any ScreenSource, performer: JobPerformer) {
        self.inner = inner
        self.performer = performer
    }

    var screenRect: Rect { inner.screenRect }

    func capture() throws -> Frame {
        try performer.checkpoint()
        return try inner.capture()
    }
}
