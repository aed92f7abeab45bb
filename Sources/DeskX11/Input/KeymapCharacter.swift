internal import CX11
import DeskCore

extension KeyboardLayout {
    /// The keysym a chord types, pressed as ``KeyPresser`` presses it: the modifier keys of
    /// `modifierKeysyms`, plus the level modifiers the key for `keysym` needs that the chord does not set,
    /// then that key; the key's type picks the level from those modifiers on top of `state`'s (Caps Lock
    /// included). Nil when a modifier or the key is not on the keymap (a spare binding would be made).
    func keysymTyped(pressing keysym: UInt32, modifierKeysyms: [UInt32], state: State) -> UInt32? {
        var chordMask: UInt8 = 0
        for sym in modifierKeysyms {
            guard let keycode = keycode(forKeysym: sym, state: state) else { return nil }
            chordMask |= modmap[Int(keycode)]
        }
        let usPosition = Self.usPositionName(forKeysym: keysym).flatMap { keycode(named: $0) }
        guard let stroke = stroke(forKeysym: keysym, state: state) ?? usPosition.map({ KeyStroke(keycode: $0, modifierKeys: []) })
        else { return nil }
        var mask = chordMask
        for modifier in stroke.modifierKeys where modmap[Int(modifier)] & chordMask == 0 { mask |= modmap[Int(modifier)] }
        let key = keys[Int(stroke.keycode)]
        guard let group = effectiveGroup(of: key, in: state.group) else { return nil }
        let typeIndex = group < key.typeIndices.count ? key.typeIndices[group] : 0
        guard typeIndex < types.count else { return nil }
        return self.keysym(keycode: Int(stroke.keycode), level: types[typeIndex].level(for: state.mods | mask), state: state)
    }
}

extension X11Display {
    /// What the chord of the keysym named `name` with the modifier keys `modifierKeysyms` (`Shift_L`,
    /// `ISO_Level3_Shift`) types on this display's keymap (the XTEST keyboard's, which deskpilot presses):
    /// `/` for shift+7 on a German layout. Nil when that types nothing, a key is not on the keymap, or the
    /// keymap cannot be read.
    public func typedCharacter(keysym name: String, modifierKeysyms: [String]) -> Character? {
        let value = UInt32(truncatingIfNeeded: XStringToKeysym(name))
        let modifiers = modifierKeysyms.map { UInt32(truncatingIfNeeded: XStringToKeysym($0)) }
        guard value != 0, !modifiers.contains(0), let map = try? KeyboardMap(display: self), let layout = try? map.layout(),
              let typed = layout.keysymTyped(pressing: value, modifierKeysyms: modifiers, state: map.state()),
              let scalar = KeysymText.scalar(forKeysym: typed) else { return nil }
        return Character(scalar)
    }
}
