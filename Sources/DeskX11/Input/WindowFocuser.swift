internal import CX11
import DeskCore
import Foundation

/// Gives a window the keyboard focus: through the window manager (`_NET_ACTIVE_WINDOW`) when one runs,
/// directly (raise + `XSetInputFocus`) when none does — on a bare Xvfb focus otherwise follows the pointer,
/// and `_NET_ACTIVE_WINDOW` has nobody to act on it.
final class WindowFocuser: Sendable {
    let display: X11Display

    init(display: X11Display) {
        self.display = display
    }

    /// Whether the running window manager says it supports `_NET_ACTIVE_WINDOW`.
    private var wmActivates: Bool {
        guard display.hasWindowManager, let supported = display.propertyLongs(display.root, "_NET_SUPPORTED") else {
            return false
        }
        return supported.contains(display.atom("_NET_ACTIVE_WINDOW"))
    }

    func focus(_ window: UInt, timeout: Double = 2) throws {
        let hex = "0x" + String(window, radix: 16)
        let viewable: Bool
        do {
            viewable = try display.checked("reading the attributes of window \(hex)") { d in
                var attributes = XWindowAttributes()
                guard XGetWindowAttributes(d, window, &attributes) != 0 else { return false }
                return attributes.map_state == IsViewable
            }
        } catch let error as X11Error where error.code == .requestFailed {
            viewable = false  // BadWindow: no such window, reported below as the caller's mistake
        }
        guard viewable else {
            throw InputError("window \(hex) does not exist or is not viewable (unmapped or minimized) on display \(display.name)")
        }
        if wmActivates {
            let type = display.atom("_NET_ACTIVE_WINDOW")
            try display.checked("asking the window manager to activate window \(hex)") { d in
                var event = XEvent()
                event.xclient.type = ClientMessage
                event.xclient.serial = 0
                event.xclient.send_event = 1
                event.xclient.display = d
                event.xclient.window = window
                event.xclient.message_type = type
                event.xclient.format = 32
                // Source 2 = a pager or tool acting for the user, which window managers obey without
                // focus-stealing prevention; timestamp 0 = CurrentTime.
                event.xclient.data.l.0 = 2
                event.xclient.data.l.1 = 0
                event.xclient.data.l.2 = 0
                _ = XSendEvent(d, display.root, 0, SubstructureRedirectMask | SubstructureNotifyMask, &event)
            }
        } else {
            try display.checked("raising window \(hex)") { d in XRaiseWindow(d, window) }
            try display.setInputFocus(window)
        }
        let deadline = Pause.now() + timeout
        while true {
            if hasFocus(window) { return }
            if Pause.now() >= deadline {
                throw InputFailure("window \(hex) did not take the keyboard focus within \(timeout) s on display \(display.name)")
            }
            try Pause.sleep(0.01)
        }
    }

    /// True when the focus is `window` or inside it (a WM may focus the client inside its frame or vice versa).
    private func hasFocus(_ window: UInt) -> Bool {
        let focus: UInt = display.withDisplay { d in
            var focus: UInt = 0
            var revert: Int32 = 0
            XGetInputFocus(d, &focus, &revert)
            return focus
        }
        guard focus > 1 else { return false }  // None or PointerRoot
        return isSelfOrAncestor(window, of: focus) || isSelfOrAncestor(focus, of: window)
    }

    /// True when `ancestor` is `window` or one of its parents (a reparenting WM may focus the frame, and the
    /// window is then a descendant of the focus).
    private func isSelfOrAncestor(_ ancestor: UInt, of window: UInt) -> Bool {
        var current = window
        for _ in 0..<64 {
            if current == ancestor { return true }
            guard let parent = display.parentWindow(of: current), parent != 0, parent != display.root else { return false }
            current = parent
        }
        return false
    }
}
