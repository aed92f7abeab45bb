internal import CX11

extension X11Display {
    /// Whether the XKB MouseKeys control is on: keypad keys then click, drag and move the pointer.
    public var mouseKeysEnabled: Bool {
        withDisplay { d in
            // Xlib blocks forever on a lost connection (an Xvfb that died).
            guard !X11ErrorTrap.isLost(d), let desc = XkbAllocKeyboard() else { return false }
            defer { XkbFreeKeyboard(desc, 0, 1) }
            guard XkbGetControls(d, UInt(XkbControlsEnabledMask), desc) == Success, let controls = desc.pointee.ctrls else {
                return false
            }
            return controls.pointee.enabled_ctrls & UInt32(XkbMouseKeysMask) != 0
        }
    }

    /// Switches MouseKeys on or off on the core keyboard, and waits until the server did it.
    public func setMouseKeys(_ on: Bool) {
        withDisplay { d in
            guard !X11ErrorTrap.isLost(d) else { return }
            _ = XkbChangeEnabledControls(d, UInt32(XkbUseCoreKbd), UInt32(XkbMouseKeysMask), on ? UInt32(XkbMouseKeysMask) : 0)
            _ = XSync(d, 0)
        }
    }
}

extension X11Display {
    /// Whether the key that types `keysym` (a keysym name) autorepeats now (the server's per-key setting).
    public func autorepeats(keysym: String) -> Bool {
        withDisplay { d in
            let keycode = Int(XKeysymToKeycode(d, XStringToKeysym(keysym)))
            var state = XKeyboardState()
            XGetKeyboardControl(d, &state)
            return withUnsafeBytes(of: &state.auto_repeats) { bits in (bits[keycode / 8] >> (keycode % 8)) & 1 == 1 }
        }
    }
}
