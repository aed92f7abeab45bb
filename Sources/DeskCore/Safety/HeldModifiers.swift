/// Turns the keysyms of keys the X server reports held into the modifier keys the policy engine treats as
/// part of a chord, so that a chord split over separate commands (`act press ctrl`, `act press alt`,
/// `act key Delete`) is judged whole, as the engine already does within one run.
public enum HeldModifiers {
    /// The modifier keysyms (values from X11's `keysymdef.h`) and their canonical names.
    public static let keysymNames: [UInt32: String] = [
        0xFFE1: "Shift_L", 0xFFE2: "Shift_R", 0xFFE3: "Control_L", 0xFFE4: "Control_R",
        0xFFE7: "Meta_L", 0xFFE8: "Meta_R", 0xFFE9: "Alt_L", 0xFFEA: "Alt_R",
        0xFFEB: "Super_L", 0xFFEC: "Super_R", 0xFFED: "Hyper_L", 0xFFEE: "Hyper_R",
        0xFE03: "ISO_Level3_Shift", 0xFF7E: "Mode_switch", 0xFE11: "ISO_Level5_Shift",
    ]

    /// The held modifier keys among `keysyms` (one per held keycode, its first-level keysym), in order and
    /// without duplicates; other keys are left out.
    public static func keyNames(heldKeysyms keysyms: [UInt32]) -> [KeyName] {
        var seen = Set<String>()
        var result: [KeyName] = []
        for value in keysyms {
            guard let name = keysymNames[value], seen.insert(name).inserted, let key = KeyName(keysym: name) else { continue }
            result.append(key)
        }
        return result
    }
}
