internal import CX11

/// Watches which top-level window the keyboard goes to while keys are sent, so that typing and chords stop
/// when another window takes it. Moves inside one top-level window do not count: a reparenting window
/// manager focuses the frame and then the client (or the reverse) a moment after `_NET_ACTIVE_WINDOW`, and
/// toolkits move focus between a toplevel and its own child windows — the policy judged the window, not
/// which of its X windows holds the focus.
struct KeyboardTargetWatch {
    let display: X11Display
    /// The root's child (a WM frame, or an unmanaged top level) holding the keyboard when the watch began.
    let topLevel: UInt
    /// The last raw target seen inside `topLevel`: while it does not change, a check is one round trip.
    private var lastTarget: UInt

    init(display: X11Display) {
        self.display = display
        lastTarget = display.keyboardTarget()
        topLevel = display.rootChild(containing: lastTarget)
    }

    /// True when the keyboard now goes to another top-level window (or to none).
    mutating func moved() -> Bool {
        let target = display.keyboardTarget()
        if target == lastTarget { return false }
        guard display.rootChild(containing: target) == topLevel else { return true }
        lastTarget = target
        return false
    }
}

extension X11Display {
    /// Gives `window` the keyboard directly, without asking a window manager.
    func setInputFocus(_ window: UInt) throws {
        try checked("focusing window 0x\(String(window, radix: 16))") { d in
            // PointerRoot on revert: if the window goes away, focus follows the pointer again as before.
            XSetInputFocus(d, window, Int32(RevertToPointerRoot), 0)
        }
    }

    /// The child of the root that holds `window` (the window itself when it is one); 0 for None, the root,
    /// or a window that is gone.
    func rootChild(containing window: UInt) -> UInt {
        guard window > 1, window != root else { return 0 }
        var current = window
        for _ in 0..<64 {
            guard let parent = parentWindow(of: current), parent != 0 else { return 0 }
            if parent == root { return current }
            current = parent
        }
        return current
    }
}
