/// Where the agent loop and the task runner get their observations from.
///
/// The executable implements it over an X11 capturer; tests use a fake that returns scripted frames.
/// A run uses one source from one task at a time, but that task may hop threads between steps.
public protocol ScreenSource: AnyObject, Sendable {
    /// The area a capture covers, in root-window pixels (the whole root, or one monitor).
    var screenRect: Rect { get }
    /// A fresh frame of ``screenRect``.
    func capture() throws -> Frame
}
