internal import CX11
import DeskCore
import Foundation
import Synchronization

/// Every key and button this process holds down through XTest, so that all of them can be released on any
/// exit path (error, stop request, signal): the one place XTest key and button events are sent.
///
/// What could outlive a SIGKILL goes into the display's runtime journal (``DisplayJournal``) before the
/// event that causes it is sent: each keycode and button the first time it is pressed, keys whose
/// autorepeat is off, keys kept down after exit. One journal write per new key, not per event, so a long
/// `type` writes it a few dozen times.
final class InputState: Sendable {
    let display: X11Display
    /// The runtime journal of this injector; nil when the private runtime folder is unusable.
    let journal: DisplayJournal?
    /// MouseKeys as this injector found it before its first key (restored when a key switched it); read
    /// then, so pointer-only commands pay no round trip for it.
    var mouseKeysFound: Bool {
        if let found = held.withLock({ $0.mouseKeysFound }) { return found }
        let now = display.mouseKeysEnabled
        return held.withLock { h in
            if h.mouseKeysFound == nil { h.mouseKeysFound = now }
            return h.mouseKeysFound ?? now
        }
    }

    private struct Held {
        var keys: [UInt8] = []
        var buttons: [UInt32] = []
        /// Keys whose autorepeat this process turned off while holding them.
        var repeatOff: Set<UInt8> = []
        /// Keys held on purpose beyond this process (`act press`), and the name each was pressed by.
        var kept: [KeptKey] = []
        /// Names of keys `press` holds, by the keys pressed for them (for ``keepHeld()``).
        var pressedNames: [KeptKey] = []
        /// Whether any key was sent (only a key can switch MouseKeys).
        var keysSent = false
        var mouseKeysFound: Bool?
        /// Keycodes and buttons already in the journal.
        var journaledKeys: Set<UInt8> = []
        var journaledButtons: Set<UInt32> = []
    }
    private let held = Mutex(Held())

    init(display: X11Display, journal: DisplayJournal?) {
        self.display = display
        self.journal = journal
    }

    /// Sends a key event (not flushed) and records it.
    func key(_ keycode: UInt8, down: Bool) {
        if down {
            let found = mouseKeysFound
            let first = held.withLock { h in
                h.keysSent = true
                return h.journaledKeys.insert(keycode).inserted
            }
            if first {
                journal?.update { r in
                    r.keys.insert(keycode)
                    if r.mouseKeysFound == nil { r.mouseKeysFound = found }
                }
            }
        }
        display.withDisplay { d in _ = XTestFakeKeyEvent(d, UInt32(keycode), down ? 1 : 0, 0) }
        held.withLock { h in
            if down {
                h.keys.append(keycode)
            } else if let i = h.keys.lastIndex(of: keycode) {
                h.keys.remove(at: i)
            }
        }
    }

    /// Sends a button event for a physical button number (not flushed) and records it.
    func button(_ number: UInt32, down: Bool) {
        if down, held.withLock({ h in h.journaledButtons.insert(number).inserted }) {
            journal?.update { r in r.buttons.insert(number) }
        }
        display.withDisplay { d in _ = XTestFakeButtonEvent(d, number, down ? 1 : 0, 0) }
        held.withLock { h in
            if down {
                h.buttons.append(number)
            } else if let i = h.buttons.lastIndex(of: number) {
                h.buttons.remove(at: i)
            }
        }
    }

    /// Turns the server's autorepeat of `keycode` off while deskpilot holds it, or back on: a held key
    /// must not keep typing (27 ctrl+q from `press q`, `press ctrl`). Per-key autorepeat is server state,
    /// so a key `act press` leaves down stays quiet after the process exits, until `act release`.
    func autorepeat(_ keycode: UInt8, on: Bool) {
        if !on { journal?.update { r in r.repeatOff.insert(keycode) } }
        Self.setAutorepeat(display, keycode, on: on)
        held.withLock { h in
            if on { h.repeatOff.remove(keycode) } else { h.repeatOff.insert(keycode) }
        }
        if on { journal?.update { r in r.repeatOff.remove(keycode) } }
    }

    static func setAutorepeat(_ display: X11Display, _ keycode: UInt8, on: Bool) {
        display.withDisplay { d in
            var values = XKeyboardControl()
            values.key = Int32(keycode)
            values.auto_repeat_mode = on ? AutoRepeatModeDefault : AutoRepeatModeOff
            _ = XChangeKeyboardControl(d, UInt(KBKey | KBAutoRepeatMode), &values)
        }
    }

    /// Moves the pointer to root coordinates (not flushed).
    func motion(to point: Point) {
        display.withDisplay { d in _ = XTestFakeMotionEvent(d, -1, Int32(point.x), Int32(point.y), 0) }
    }

    func flush() { display.withDisplay { _ = XFlush($0) } }

    /// Keys and buttons currently held by this process (not counting kept keys), keys first.
    var heldInput: (keys: [UInt8], buttons: [UInt32]) {
        held.withLock { h in (h.keys, h.buttons) }
    }

    /// Keys held down on purpose beyond this process (`act press`, or adopted from an earlier one).
    var keptKeys: [KeptKey] { held.withLock { $0.kept } }

    /// Releases everything held, newest first, and waits until the server has processed it. Kept keys stay.
    func releaseAll() {
        let (keys, buttons, quiet) = held.withLock { h in
            let taken = (h.keys, h.buttons, h.repeatOff)
            h.keys.removeAll()
            h.buttons.removeAll()
            return taken
        }
        if !keys.isEmpty || !buttons.isEmpty {
            display.withDisplay { d in
                for b in buttons.reversed() { _ = XTestFakeButtonEvent(d, b, 0, 0) }
                for k in keys.reversed() { _ = XTestFakeKeyEvent(d, UInt32(k), 0, 0) }
                _ = XSync(d, 0)
            }
            for k in quiet where keys.contains(k) { autorepeat(k, on: true) }
            display.withDisplay { _ = XSync($0, 0) }
        }
        settle()
    }

    /// Forgets, in the journal, the keys and buttons pressed so far once none is held (the end of an action).
    func settle() {
        let keptCodes: Set<UInt8>? = held.withLock { h in
            guard h.keys.isEmpty, h.buttons.isEmpty else { return nil }
            let kept = Set(h.kept.flatMap(\.keycodes))
            h.journaledKeys = kept
            h.journaledButtons = []
            return kept
        }
        guard let keptCodes else { return }
        journal?.update { r in
            r.keys = keptCodes
            r.buttons = []
            // MouseKeys was checked after the last key (and switched back if it changed).
            if keptCodes.isEmpty { r.mouseKeysFound = nil }
        }
    }

    /// Remembers that `press` holds `keycodes` for the key named `name`.
    func noteHeld(_ name: String, keycodes: [UInt8]) {
        held.withLock { h in
            h.pressedNames.removeAll { $0.keycodes.last == keycodes.last }
            h.pressedNames.append(KeptKey(name: name, keycodes: keycodes))
        }
    }

    /// The keys pressed for `keycode` were let go (`release`): it is no longer kept nor named.
    func noteReleased(_ keycode: UInt8) {
        let kept = held.withLock { h in
            h.pressedNames.removeAll { $0.keycodes.last == keycode }
            h.kept.removeAll { $0.keycodes.last == keycode }
            return h.kept
        }
        journal?.update { r in r.kept = kept }
    }

    /// Keeps what is held so it stays down after this process exits (`act press`); the journal lists it as
    /// kept, for the next command to adopt and judge again.
    func keepHeld() {
        let kept = held.withLock { h in
            for entry in h.pressedNames where entry.keycodes.allSatisfy(h.keys.contains) {
                h.kept.removeAll { $0.keycodes.last == entry.keycodes.last }
                h.kept.append(entry)
            }
            h.pressedNames.removeAll()
            h.keys.removeAll()
            h.buttons.removeAll()
            return h.kept
        }
        journal?.update { r in r.kept = kept }
        settle()
    }

    /// Takes over keys an earlier command kept down (from its journal): they are this process's to judge,
    /// release or keep; the journal lists them before the earlier journal is removed.
    func adopt(_ keys: [KeptKey], repeatOff: Set<UInt8>) {
        let (kept, quiet) = held.withLock { h in
            for key in keys where !h.kept.contains(key) { h.kept.append(key) }
            h.repeatOff.formUnion(repeatOff)
            h.journaledKeys.formUnion(keys.flatMap(\.keycodes))
            return (h.kept, h.repeatOff)
        }
        journal?.update { r in
            r.kept = kept
            r.repeatOff.formUnion(quiet)
            r.keys.formUnion(kept.flatMap(\.keycodes))
        }
    }

    /// Lets go of a kept key (it was judged again and refused): key up, level modifiers up, autorepeat back on.
    func releaseKept(_ key: KeptKey) {
        display.withDisplay { d in
            for k in key.keycodes.reversed() { _ = XTestFakeKeyEvent(d, UInt32(k), 0, 0) }
            _ = XSync(d, 0)
        }
        let quiet = held.withLock { h in h.repeatOff.intersection(key.keycodes) }
        for k in quiet { autorepeat(k, on: true) }
        noteReleased(key.keycodes.last ?? 0)
        settle()
    }

    /// Switches MouseKeys back to what this injector found, when something (a key whose level is
    /// `Pointer_EnableKeys`) switched it; true when it did.
    func restoreMouseKeys() -> Bool {
        guard held.withLock({ $0.keysSent }), display.mouseKeysEnabled != mouseKeysFound else { return false }
        display.setMouseKeys(mouseKeysFound)
        return true
    }
}
