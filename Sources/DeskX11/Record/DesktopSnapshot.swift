import DeskCore

/// The screen and its windows as they were just before a recorded press: what the recorder names the
/// press's target from, so the application's reaction to the press (a menu opening, a button redrawn) is
/// never what gets named.
public struct DesktopSnapshot: Sendable {
    public var frame: Frame
    /// Top-level windows, bottom to top.
    public var windows: [WindowInfo]
    /// The top-level window that had the keyboard focus.
    public var focused: UInt?
    /// Monotonic time (seconds) the capture started.
    public var time: Double

    public init(frame: Frame, windows: [WindowInfo], focused: UInt?, time: Double) {
        self.frame = frame
        self.windows = windows
        self.focused = focused
        self.time = time
    }

    /// The topmost window containing `point`.
    public func window(at point: Point) -> WindowInfo? {
        windows.last { $0.rect.contains(point) }
    }
}

extension WindowInfo {
    /// The window as window matchers (policies, `--window`, `--secret-window`) see it.
    public var policyWindow: PolicyWindow {
        PolicyWindow(id: UInt64(id), className: className, instanceName: instance, title: title)
    }
}
