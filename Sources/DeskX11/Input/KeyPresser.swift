internal import CX11
import DeskCore
import Foundation
import Synchronization

/// Key chords (`ctrl+shift+t`), and holding / letting go of one key (`press` / `release`).
///
/// Modifiers are pressed in the order written, then the key, and released in reverse. Each modifier is the
/// key of that exact keysym (`Shift_R` presses only Shift_R, unlike xdotool#481). The chord's key is the key
/// that has its keysym in the active group, with whatever Shift/Level3 its level needs beyond the chord's own
/// modifiers; a letter the group lacks goes to its US-layout position (so under `ru`, ctrl+c is Control +
/// the key labelled C, which GTK and Qt match as a copy shortcut); any other missing keysym is bound to a
/// spare key for the duration of the chord.
final class KeyPresser: Sendable {
    let map: KeyboardMap
    let binder: SpareKeyBinder
    let state: InputState
    var options: InputOptions {
        get { settings.withLock { $0 } }
        set { settings.withLock { $0 = newValue } }
    }
    private let settings: Mutex<InputOptions>

    init(map: KeyboardMap, binder: SpareKeyBinder, state: InputState, options: InputOptions) {
        self.map = map
        self.binder = binder
        self.state = state
        settings = Mutex(options)
    }

    /// The keysym value of a canonical name, as Xlib knows it.
    static func keysymValue(_ key: KeyName) throws -> UInt32 {
        let value = XStringToKeysym(key.keysym)
        guard value != 0 else {
            throw KeyChordError(chord: key.keysym, message: "the X library does not know the keysym '\(key.keysym)'")
        }
        return UInt32(truncatingIfNeeded: value)
    }

    /// Presses and releases a chord.
    func chord(_ text: String) throws {
        let chord = try KeyChord.parse(text)
        var layout = try map.layout()
        let keyboardState = map.state()
        var sequence: [UInt8] = []
        for modifier in chord.modifiers {
            let sym = try Self.keysymValue(modifier)
            guard let kc = layout.keycode(forKeysym: sym, state: keyboardState) else {
                throw InputError("the modifier \(modifier.keysym) in key chord '\(text)' is not on the keyboard map of display \(map.display.name)")
            }
            if !sequence.contains(kc) { sequence.append(kc) }
        }
        var mainKey: UInt8?
        var usedBinding = false
        if let key = chord.key {
            let sym = try Self.keysymValue(key)
            var stroke = resolve(sym, layout: layout, state: keyboardState)
            if stroke == nil {
                if try binder.ensure([SpareBinding(lower: sym, upper: nil)], layout: layout) {
                    layout = try map.layout()
                }
                stroke = layout.stroke(forKeysym: sym, state: keyboardState)
                usedBinding = true
            }
            guard let stroke else {
                throw InputError("no key can send \(key.keysym) (key chord '\(text)') on display \(map.display.name)")
            }
            let chordMask = sequence.reduce(UInt8(0)) { $0 | layout.modmap[Int($1)] }
            for m in stroke.modifierKeys where layout.modmap[Int(m)] & chordMask == 0 && !sequence.contains(m) {
                sequence.append(m)
            }
            mainKey = stroke.keycode
        }
        var pressed: [UInt8] = []
        defer {
            for kc in pressed.reversed() { state.key(kc, down: false) }
            map.display.sync()
            state.settle()
            if usedBinding && !options.keepBindings { try? binder.restoreAll() }
        }
        // The policy judged the window that had the keyboard when the chord began: before each further key,
        // check it still has it (one round trip per key); at most the key in flight lands elsewhere.
        let total = sequence.count + (mainKey == nil ? 0 : 1)
        var watch = total > 1 ? KeyboardTargetWatch(display: map.display) : nil
        func checkTarget() throws {
            guard !pressed.isEmpty else { return }
            if watch?.moved() == true {
                throw FocusMoved(window: map.display.focusDescription(), typed: pressed.count, total: total,
                                 during: "the key chord '\(text)'", unit: "keys")
            }
        }
        for kc in sequence {
            try checkTarget()
            state.key(kc, down: true)
            pressed.append(kc)
        }
        if let mainKey {
            try checkTarget()
            state.key(mainKey, down: true)
            pressed.append(mainKey)
            state.flush()
            try Pause.sleep(options.chordHold)
            state.key(mainKey, down: false)
            pressed.removeLast()
            if usedBinding { binder.markUsed(mainKey, at: Pause.now()) }
        } else {
            state.flush()
            try Pause.sleep(options.chordHold)
        }
        try checkMouseKeys(text)
    }

    /// Throws when the key just sent switched MouseKeys (its level was `Pointer_EnableKeys`), after switching
    /// it back: deskpilot never leaves MouseKeys other than it found it.
    private func checkMouseKeys(_ key: String) throws {
        if state.restoreMouseKeys() { throw MouseKeysSwitched(key: key, nowOn: !state.mouseKeysFound) }
    }

    /// The stroke for a chord's key: in the active group, else a letter/digit/punctuation key at its US position.
    private func resolve(_ sym: UInt32, layout: KeyboardLayout, state: KeyboardLayout.State) -> KeyStroke? {
        if let stroke = layout.stroke(forKeysym: sym, state: state) { return stroke }
        if let name = KeyboardLayout.usPositionName(forKeysym: sym), let kc = layout.keycode(named: name) {
            return KeyStroke(keycode: kc, modifierKeys: [])
        }
        return nil
    }

    /// The key (and level modifiers) to hold for `press KEY`; only keys on the map can be held, since a spare
    /// binding cannot outlive the command that made it.
    private func holdStroke(_ name: String) throws -> KeyStroke {
        let key = try KeyName.named(name)
        let sym = try Self.keysymValue(key)
        let layout = try map.layout()
        let keyboardState = map.state()
        if key.isModifier, let kc = layout.keycode(forKeysym: sym, state: keyboardState) {
            return KeyStroke(keycode: kc, modifierKeys: [])
        }
        if let stroke = resolve(sym, layout: layout, state: keyboardState) { return stroke }
        throw InputError("the key \(key.keysym) is not on the keyboard map of display \(map.display.name), so it cannot be held (press/release need a key the layout has)")
    }

    /// Presses and keeps holding `name` (with the level modifiers its keysym needs).
    func press(_ name: String) throws {
        let stroke = try holdStroke(name)
        state.autorepeat(stroke.keycode, on: false)
        state.noteHeld(name, keycodes: stroke.modifierKeys + [stroke.keycode])
        for m in stroke.modifierKeys { state.key(m, down: true) }
        state.key(stroke.keycode, down: true)
        map.display.sync()
        if state.restoreMouseKeys() {
            state.releaseAll()
            throw MouseKeysSwitched(key: name, nowOn: !state.mouseKeysFound)
        }
    }

    /// Lets go of `name` (and the level modifiers ``press(_:)`` pressed for it).
    func release(_ name: String) throws {
        let stroke = try holdStroke(name)
        state.key(stroke.keycode, down: false)
        for m in stroke.modifierKeys.reversed() { state.key(m, down: false) }
        state.autorepeat(stroke.keycode, on: true)
        state.noteReleased(stroke.keycode)
        map.display.sync()
        state.settle()
    }
}
