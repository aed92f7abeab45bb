/// The generic kind of a modifier key, ignoring which side of the keyboard it is on.
///
/// Policies match chords by class (`ctrl+alt+delete` covers `Control_R+Alt_L+Delete`), and traces
/// print chords with these names.
public enum ModifierClass: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case ctrl, alt, shift, `super`
    /// AltGr (`ISO_Level3_Shift`, `Mode_switch`): chooses a key's third level on most layouts.
    case altgr

    /// The fixed order modifiers take in ``KeyChord/normalized`` (the order people usually write them).
    public static func < (lhs: ModifierClass, rhs: ModifierClass) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .ctrl: 0
        case .alt: 1
        case .shift: 2
        case .super: 3
        case .altgr: 4
        }
    }

    /// The class of a canonical keysym name, or `nil` when the key is not a chord modifier.
    ///
    /// `Meta_*` counts as alt because X keymaps put Meta on the Alt keys (Mod1); `Hyper_*` counts as
    /// super. Lock keys (`Caps_Lock`, `Num_Lock`) toggle rather than modify a chord, so they are plain keys.
    public init?(keysym: String) {
        switch keysym {
        case "Control_L", "Control_R": self = .ctrl
        case "Alt_L", "Alt_R", "Meta_L", "Meta_R": self = .alt
        case "Shift_L", "Shift_R": self = .shift
        case "Super_L", "Super_R", "Hyper_L", "Hyper_R": self = .super
        case "ISO_Level3_Shift", "Mode_switch", "ISO_Level5_Shift": self = .altgr
        default: return nil
        }
    }

    /// The left-hand keysym pressed for this class when a chord names only the class.
    public var defaultKeysym: String {
        switch self {
        case .ctrl: "Control_L"
        case .alt: "Alt_L"
        case .shift: "Shift_L"
        case .super: "Super_L"
        case .altgr: "ISO_Level3_Shift"
        }
    }
}
