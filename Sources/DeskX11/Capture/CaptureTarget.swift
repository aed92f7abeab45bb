import DeskCore

/// What part of the screen to capture.
public enum CaptureTarget: Sendable, Hashable {
    /// The whole root window.
    case root
    /// One RandR monitor, 0-based in the order ``X11Display/monitors()`` lists them.
    case monitor(Int)
    /// A rectangle in root-window pixels; it must lie inside the screen.
    case region(Rect)
    /// The area a window covers on screen (what is visible there, including anything on top of it).
    case window(UInt)
}
