internal import CX11
import DeskCore
import Foundation

/// Every key and button this process holds down through XTest, so that all of them can be released on any
/// exit path (error, stop request, signal): the one place XTest key and button events are sent.
final class InputState: @unchecked Sendable {
    let display: X11Display
    private let lock = NSLock()
    private var heldKeys: [UInt8] = []
    private var heldButtons: [UInt32] = []
    /// Keys whose autorepeat this process turned off while holding them.
    private var repeatOff: Set<UInt8> = []

    init(display: X11Display) {
        self.display = display
    }

    /// Sends a key event (not flushed) and records it.
    func key(_ keycode: UInt8, down: Bool) {
        display.withDisplay { d in _ = XTestFakeKeyEvent(d, UInt32(keycode), down ? 1 : 0, 0) }
        lock.lock()
        if down {
            heldKeys.append(keycode)
        } else if let i = heldKeys.lastIndex(of: keycode) {
            heldKeys.remove(at: i)
        }
        lock.unlock()
    }

    /// Sends a button event for a physical button number (not flushed) and records it.
    func button(_ number: UInt32, down: Bool) {
        display.withDisplay { d in _ = XTestFakeButtonEvent(d, number, down ? 1 : 0, 0) }
        lock.lock()
        if down {
            heldButtons.append(number)
        } else if let i = heldButtons.lastIndex(of: number) {
            heldButtons.remove(at: i)
        }
        lock.unlock()
    }

    /// Turns the server's autorepeat of `keycode` off while deskpilot holds it, or back on: a held key
    /// must not keep typing (27 ctrl+q from `press q`, `press ctrl`). Per-key autorepeat is server state,
    /// so a key `act press` leaves down stays quiet after the process exits, until `act release`.
    func autorepeat(_ keycode: UInt8, on: Bool) {
        display.withDisplay { d in
            var values = XKeyboardControl()
            values.key = Int32(keycode)
            values.auto_repeat_mode = on ? AutoRepeatModeDefault : AutoRepeatModeOff
            _ = XChangeKeyboardControl(d, UInt(KBKey | KBAutoRepeatMode), &values)
        }
        lock.lock()
        if on { repeatOff.remove(keycode) } else { repeatOff.insert(keycode) }
        lock.unlock()
    }

    /// Moves the pointer to root coordinates (not flushed).
    func motion(to point: Point) {
        display.withDisplay { d in _ = XTestFakeMotionEvent(d, -1, Int32(point.x), Int32(point.y), 0) }
    }

    func flush() { display.withDisplay { _ = XFlush($0) } }

    /// Keys and buttons currently held by this process, keys first.
    var held: (keys: [UInt8], buttons: [UInt32]) {
        lock.lock()
        defer { lock.unlock() }
        return (heldKeys, heldButtons)
    }

    /// Releases everything held, newest first, and waits until the server has processed it.
    func releaseAll() {
        lock.lock()
        let keys = heldKeys
        let buttons = heldButtons
        let quiet = repeatOff
        heldKeys.removeAll()
        heldButtons.removeAll()
        lock.unlock()
        guard !keys.isEmpty || !buttons.isEmpty else { return }
        display.withDisplay { d in
            for b in buttons.reversed() { _ = XTestFakeButtonEvent(d, b, 0, 0) }
            for k in keys.reversed() { _ = XTestFakeKeyEvent(d, UInt32(k), 0, 0) }
            _ = XSync(d, 0)
        }
        for k in quiet where keys.contains(k) { autorepeat(k, on: true) }
        display.withDisplay { _ = XSync($0, 0) }
    }

    /// Stops tracking what is held, so it stays down after this process exits (`act press`).
    func forgetHeld() {
        lock.lock()
        heldKeys.removeAll()
        heldButtons.removeAll()
        lock.unlock()
    }
}
