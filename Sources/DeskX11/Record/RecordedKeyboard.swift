internal import CX11
import DeskCore

/// Reads recorded key events the way the server did when they happened: a copy of the keymap kept up to
/// date with every keymap change recorded before the event, and the modifier state the recorded presses and
/// releases build up (RECORD's device events do not carry a trustworthy state, so it is tracked here).
struct RecordedKeyboard {
    private(set) var layout: KeyboardLayout
    private var group: Int
    private var lockedMods: UInt8
    private var held: [UInt8: UInt8] = [:]

    init(layout: KeyboardLayout, state: KeyboardLayout.State) {
        self.layout = layout
        self.group = state.group
        // Locks (Caps Lock, Num Lock) in force at the start stay in force until their key is pressed.
        self.lockedMods = state.mods & (KeyboardLayout.lockMask | 0x10)
    }

    /// The real modifiers in effect now.
    var mods: UInt8 { held.values.reduce(lockedMods, |) }

    mutating func replace(layout: KeyboardLayout) { self.layout = layout }

    /// Applies new symbols sent by a client, key by key. Core requests leave the type to the server: one
    /// level, two levels, or alphabetic for a lowercase/uppercase pair — the indices of XKB's canonical types.
    mutating func apply(_ edit: KeymapEdit) {
        for change in edit.keys {
            let kc = Int(change.keycode)
            guard kc < layout.keys.count else { continue }
            let types = change.typeIndices ?? change.groups.map(Self.inferredType)
            let info = change.groupInfo ?? UInt8(change.groups.count & 0x0f)
            layout.keys[kc] = KeyboardLayout.Key(groups: change.groups, typeIndices: types, groupInfo: info,
                                                 name: layout.keys[kc].name)
        }
    }

    static func inferredType(_ syms: [UInt32]) -> Int {
        guard syms.count >= 2 else { return 0 }
        if let lower = KeysymText.scalar(forKeysym: syms[0]), let upper = KeysymText.scalar(forKeysym: syms[1]),
           String(lower).uppercased() == String(upper), String(lower) != String(upper) {
            return 2
        }
        return 1
    }

    /// A key went down: the keysym it produces in the current state, updating modifier and lock state.
    mutating func press(_ keycode: UInt8) -> (keysym: UInt32, text: String?, modifiers: Set<ModifierClass>)? {
        let kc = Int(keycode)
        let state = KeyboardLayout.State(group: group, mods: mods)
        var keysym: UInt32 = 0
        if kc < layout.keys.count, let g = layout.effectiveGroup(of: layout.keys[kc], in: group) {
            let key = layout.keys[kc]
            let typeIndex = g < key.typeIndices.count ? key.typeIndices[g] : 0
            var level = typeIndex < layout.types.count ? layout.types[typeIndex].level(for: state.mods) : 0
            if level >= key.groups[g].count { level = 0 }
            keysym = key.groups[g].isEmpty ? 0 : key.groups[g][level]
        }
        let modifiers = chordModifiers()
        let modBits = kc < layout.modmap.count ? layout.modmap[kc] : 0
        if modBits != 0 {
            if modBits & (KeyboardLayout.lockMask | 0x10) != 0 {
                lockedMods ^= modBits & (KeyboardLayout.lockMask | 0x10)
            } else {
                held[keycode] = modBits
            }
        }
        guard keysym != 0 else { return nil }
        let text = KeysymText.scalar(forKeysym: keysym).flatMap { scalar -> String? in
            scalar.value < 0x20 || scalar.value == 0x7f ? nil : String(scalar)
        }
        return (keysym, text, modifiers)
    }

    mutating func release(_ keycode: UInt8) {
        held.removeValue(forKey: keycode)
    }

    /// The chord modifier classes of the keys held now, by the keysym on each held key's first level.
    private func chordModifiers() -> Set<ModifierClass> {
        var classes = Set<ModifierClass>()
        for kc in held.keys {
            let key = layout.keys[Int(kc)]
            guard let g = layout.effectiveGroup(of: key, in: group), let sym = key.groups[g].first,
                  let name = Self.keysymName(sym), let cls = ModifierClass(keysym: name) else { continue }
            classes.insert(cls)
        }
        return classes
    }

    /// The X name of a keysym (`a`, `Return`, `EuroSign`, `U20AC`), nil when Xlib knows none.
    static func keysymName(_ keysym: UInt32) -> String? {
        guard let c = XKeysymToString(KeySym(keysym)) else {
            return keysym >= KeysymText.unicodeOffset ? "U" + String(keysym - KeysymText.unicodeOffset, radix: 16, uppercase: true) : nil
        }
        return String(cString: c)
    }
}
