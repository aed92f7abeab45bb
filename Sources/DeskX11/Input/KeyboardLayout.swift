/// One key press as the keymap needs it: the modifier keys to hold, then the key itself.
struct KeyStroke: Hashable, Sendable {
    var keycode: UInt8
    /// Modifier keycodes pressed before the key and released after it, in press order.
    var modifierKeys: [UInt8]
}

/// A copy of an XKB keymap (types, symbols, modifier map, key names) and the keyboard state that decides
/// which level a key types, in plain Swift so lookups are testable without a server.
///
/// Lookups follow the server's own rules: the key's effective group (wrap / clamp / redirect for keys with
/// fewer groups), the level its key type gives for a modifier state, and which modifier keys can reach that
/// level from the current state (Caps Lock and Num Lock included). Nothing switches the group: a keysym that
/// only another group has is treated as missing, so it gets a spare key instead of an `XkbLockGroup`
/// (xdotool#484).
struct KeyboardLayout: Equatable, Sendable {
    struct KeyType: Equatable, Sendable {
        struct Entry: Equatable, Sendable {
            var active: Bool
            var level: Int
            var mask: UInt8
        }
        var modsMask: UInt8
        var numLevels: Int
        var entries: [Entry]

        /// The level the type selects under real modifier state `mods`.
        func level(for mods: UInt8) -> Int {
            let relevant = mods & modsMask
            for entry in entries where entry.active && entry.mask == relevant { return entry.level }
            return 0
        }
    }

    struct Key: Equatable, Sendable {
        /// Keysyms per group, then per level.
        var groups: [[UInt32]]
        /// The key type index of each group.
        var typeIndices: [Int]
        /// XKB group_info: group count in the low nibble, out-of-range handling in the top bits.
        var groupInfo: UInt8
        /// The XKB key name (`AC01`, `I248`), empty when the keymap names none.
        var name: String

        static let empty = Key(groups: [], typeIndices: [], groupInfo: 0, name: "")
    }

    /// The keyboard state lookups are made in.
    struct State: Equatable, Sendable {
        /// The effective group (0-based).
        var group: Int
        /// The real modifiers in effect before deskpilot presses anything (locks, keys held by someone else).
        var mods: UInt8
    }

    var minKeycode: Int
    var maxKeycode: Int
    var types: [KeyType]
    /// Indexed by keycode (0…255).
    var keys: [Key]
    /// The real modifiers each keycode sets, indexed by keycode.
    var modmap: [UInt8]

    static let shiftMask: UInt8 = 1
    static let lockMask: UInt8 = 2
    static let controlMask: UInt8 = 4

    static let shiftL: UInt32 = 0xffe1
    static let shiftR: UInt32 = 0xffe2
    static let isoLevel3Shift: UInt32 = 0xfe03
    static let modeSwitch: UInt32 = 0xff7e
    static let isoLevel5Shift: UInt32 = 0xfe11

    /// Keycodes with no symbols in any group: where temporary bindings go, highest first.
    var freeKeycodes: [UInt8] {
        (minKeycode...maxKeycode).reversed().compactMap { kc in
            keys[kc].groups.isEmpty ? UInt8(kc) : nil
        }
    }

    /// The group of `key` used when the keyboard is in `group`, or nil for a key without symbols.
    func effectiveGroup(of key: Key, in group: Int) -> Int? {
        let count = key.groups.count
        guard count > 0 else { return nil }
        if group >= 0 && group < count { return group }
        switch key.groupInfo & 0xC0 {
        case 0x40: return count - 1
        case 0x80:
            let target = Int((key.groupInfo >> 4) & 0x3)
            return target < count ? target : 0
        default: return ((group % count) + count) % count
        }
    }

    /// The keysym `keycode` types at `level` in `state`'s group.
    func keysym(keycode: Int, level: Int, state: State) -> UInt32? {
        guard keycode >= 0, keycode < keys.count, let g = effectiveGroup(of: keys[keycode], in: state.group) else { return nil }
        let syms = keys[keycode].groups[g]
        return level < syms.count ? syms[level] : nil
    }

    /// A keycode whose first level in the current group is `keysym` (for modifier keys and chord keys), the
    /// lowest such; falls back to any level or group. Keycodes 203–207 (evdev's duplicate Meta/Super/Hyper keys
    /// no real keyboard sends) only when nothing else has it.
    func keycode(forKeysym keysym: UInt32, state: State) -> UInt8? {
        var fallback: UInt8?
        var fake: UInt8?
        for kc in minKeycode...maxKeycode {
            let key = keys[kc]
            guard let g = effectiveGroup(of: key, in: state.group) else { continue }
            let isFake = (203...207).contains(kc)
            if key.groups[g].first == keysym {
                if !isFake { return UInt8(kc) }
                if fake == nil { fake = UInt8(kc) }
            } else if fallback == nil, key.groups.contains(where: { $0.contains(keysym) }) {
                fallback = UInt8(kc)
            }
        }
        return fake ?? fallback
    }

    /// The keycode of the key named `name` (`AB03`), if the keymap names keys.
    func keycode(named name: String) -> UInt8? {
        for kc in minKeycode...maxKeycode where keys[kc].name == name { return UInt8(kc) }
        return nil
    }

    /// The modifier keys that can be pressed to reach a level, with the real modifiers each one sets.
    func levelModifierKeys(state: State) -> [(keycode: UInt8, mask: UInt8)] {
        var result: [(UInt8, UInt8)] = []
        for candidates in [[Self.shiftL, Self.shiftR], [Self.isoLevel3Shift, Self.modeSwitch], [Self.isoLevel5Shift]] {
            for sym in candidates {
                if let kc = keycode(forKeysym: sym, state: state), modmap[Int(kc)] != 0 {
                    result.append((kc, modmap[Int(kc)]))
                    break
                }
            }
        }
        return result
    }

    /// How to type `keysym` in `state` without switching the group: the key that has it in the effective group
    /// and the fewest modifier keys that select its level, or nil when the current group lacks it (or no
    /// combination of Shift / Level3 / Level5 reaches it from the current state).
    func stroke(forKeysym keysym: UInt32, state: State) -> KeyStroke? {
        index(state: state).stroke(forAnyOf: [keysym])
    }

    /// Like ``stroke(forKeysym:state:)``, for the first of several keysyms that type the same thing.
    func stroke(forAnyOf keysyms: [UInt32], state: State) -> KeyStroke? {
        index(state: state).stroke(forAnyOf: keysyms)
    }

    /// Lookup tables for one state, built in one pass over the keymap (typing looks up every character).
    func index(state: State) -> Index { Index(layout: self, state: state) }

    /// Where each keysym is in the effective group, and which keysyms type each scalar.
    struct Index {
        let layout: KeyboardLayout
        let state: State
        private(set) var positions: [UInt32: [(keycode: Int, level: Int)]] = [:]
        private(set) var keysymsByScalar: [UInt32: [UInt32]] = [:]
        private let combos: [[(keycode: UInt8, mask: UInt8)]]

        init(layout: KeyboardLayout, state: State) {
            self.layout = layout
            self.state = state
            for kc in layout.minKeycode...layout.maxKeycode {
                let key = layout.keys[kc]
                guard let g = layout.effectiveGroup(of: key, in: state.group) else { continue }
                for (level, sym) in key.groups[g].enumerated() where sym != 0 {
                    positions[sym, default: []].append((kc, level))
                    if let scalar = KeysymText.scalar(forKeysym: sym) {
                        if !(keysymsByScalar[scalar.value]?.contains(sym) ?? false) {
                            keysymsByScalar[scalar.value, default: []].append(sym)
                        }
                    }
                }
            }
            // Subsets of the level modifiers, fewest keys first.
            var combos: [[(keycode: UInt8, mask: UInt8)]] = [[]]
            for key in layout.levelModifierKeys(state: state) { combos += combos.map { $0 + [key] } }
            combos.sort { $0.count < $1.count }
            self.combos = combos
        }

        /// The keysyms in the effective group that type `scalar`.
        func keysyms(typing scalar: Unicode.Scalar) -> [UInt32] { keysymsByScalar[scalar.value] ?? [] }

        /// The cheapest stroke for any of `keysyms`: fewest modifier keys, then real keycodes over evdev's
        /// duplicates (203–207), then the lowest keycode.
        func stroke(forAnyOf keysyms: [UInt32]) -> KeyStroke? {
            var best: (rank: (Int, Int, Int), stroke: KeyStroke)?
            for sym in keysyms {
                for (kc, level) in positions[sym] ?? [] {
                    let key = layout.keys[kc]
                    guard let g = layout.effectiveGroup(of: key, in: state.group) else { continue }
                    let typeIndex = g < key.typeIndices.count ? key.typeIndices[g] : 0
                    guard typeIndex < layout.types.count else { continue }
                    let type = layout.types[typeIndex]
                    for combo in combos {
                        let mods = combo.reduce(state.mods) { $0 | $1.mask }
                        guard type.level(for: mods) == level else { continue }
                        let rank = (combo.count, (203...207).contains(kc) ? 1 : 0, kc)
                        let isBetter = best.map { rank < $0.rank } ?? true
                        if isBetter { best = (rank, KeyStroke(keycode: UInt8(kc), modifierKeys: combo.map(\.keycode))) }
                        break
                    }
                }
            }
            return best?.stroke
        }
    }

    /// The US-layout key name for a letter, digit or ASCII punctuation keysym: where `ctrl+c` goes when the
    /// active layout has no `c` (under `ru`, as GTK and Qt match shortcuts by physical key).
    static func usPositionName(forKeysym keysym: UInt32) -> String? {
        guard keysym < 0x80, let scalar = Unicode.Scalar(keysym) else { return nil }
        let c = Character(scalar).lowercased().first ?? Character(scalar)
        let rows: [(prefix: String, keys: String, shifted: String)] = [
            ("AE", "1234567890-=", "!@#$%^&*()_+"),
            ("AD", "qwertyuiop[]", "QWERTYUIOP{}"),
            ("AC", "asdfghjkl;'", "ASDFGHJKL:\""),
            ("AB", "zxcvbnm,./", "ZXCVBNM<>?"),
        ]
        for row in rows {
            for (i, k) in row.keys.enumerated() where k == c {
                return row.prefix + String(format2: i + 1)
            }
            for (i, k) in row.shifted.enumerated() where k == Character(scalar) {
                return row.prefix + String(format2: i + 1)
            }
        }
        switch Character(scalar) {
        case "`", "~": return "TLDE"
        case "\\", "|": return "BKSL"
        default: return nil
        }
    }
}

extension String {
    /// A number with at least two digits (`01`), as XKB key names write them.
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
