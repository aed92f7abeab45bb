import Testing
@testable import DeskCore

@Suite("Policy key chord patterns")
struct PolicyKeyPatternTests {
    /// Every spelling of each default-denied chord that must still be caught: aliases, order, case, sides.
    static let deniedVariants: [(pattern: String, chord: String)] = [
        ("ctrl+alt+backspace", "ctrl+alt+backspace"),
        ("ctrl+alt+backspace", "Alt+Ctrl+BackSpace"),
        ("ctrl+alt+backspace", "control_r alt_l back_space"),
        ("ctrl+alt+backspace", "ALT CONTROL BKSP"),
        ("ctrl+alt+delete", "ctrl+alt+del"),
        ("ctrl+alt+delete", "Del+Alt+Ctrl"),
        ("ctrl+alt+delete", "Control_R+Alt_R+Delete"),
        ("ctrl+alt+delete", "ctrl+alt+KP_Delete"),
        ("ctrl+alt+delete", "ctrl+alt+shift+delete"),
        ("ctrl+alt+delete", "option+control+delete"),
        ("ctrl+alt+delete", "ctrl+meta_l+delete"),
        ("ctrl+alt+f*", "ctrl+alt+f1"),
        ("ctrl+alt+f*", "ctrl+alt+F7"),
        ("ctrl+alt+f*", "alt ctrl f12"),
        ("ctrl+alt+f*", "ctrl+alt+L1"),
        ("super+l", "super+l"),
        ("super+l", "win+L"),
        ("super+l", "meta l"),
        ("super+l", "cmd+l"),
        ("super+l", "Super_R+l"),
        ("super+l", "l+super"),
        ("super+*", "super"),
        ("super+*", "super+e"),
        ("super+*", "Hyper_L+tab"),
        ("xf86switch_vt_*", "XF86Switch_VT_3"),
        ("shift+tab", "ISO_Left_Tab+shift"),
        ("ctrl+return", "ctrl+KP_Enter"),
        ("ctrl+pageup", "ctrl+Page_Up"),
    ]

    @Test(arguments: deniedVariants)
    func denyPatternCatchesEverySpelling(_ example: (pattern: String, chord: String)) throws {
        let pattern = try KeyChordPattern(example.pattern)
        let chord = try KeyChord.parse(example.chord)
        #expect(pattern.matches(chord, exactModifiers: false), "\(example.pattern) should match \(example.chord) (\(chord.normalized))")
    }

    static let notMatching: [(pattern: String, chord: String)] = [
        ("ctrl+alt+delete", "ctrl+delete"),
        ("ctrl+alt+delete", "alt+delete"),
        ("ctrl+alt+delete", "ctrl+alt+backspace"),
        ("ctrl+alt+f*", "ctrl+f1"),
        ("ctrl+alt+f*", "ctrl+alt+g"),
        ("super+l", "super+k"),
        ("super+l", "ctrl+l"),
        ("super", "super+l"),
        ("xf86switch_vt_*", "XF86AudioMute"),
        ("ctrl+alt+f?", "ctrl+alt+f10"),
    ]

    @Test(arguments: notMatching)
    func denyPatternLeavesOtherChordsAlone(_ example: (pattern: String, chord: String)) throws {
        let pattern = try KeyChordPattern(example.pattern)
        #expect(!pattern.matches(try KeyChord.parse(example.chord), exactModifiers: false))
    }

    @Test func allowListNeedsExactModifiers() throws {
        let pattern = try KeyChordPattern("ctrl+c")
        #expect(pattern.matches(try KeyChord.parse("Control_R+C"), exactModifiers: true))
        #expect(!pattern.matches(try KeyChord.parse("ctrl+alt+c"), exactModifiers: true))
        #expect(pattern.matches(try KeyChord.parse("ctrl+alt+c"), exactModifiers: false))
    }

    @Test func badPatternsAreRejected() {
        #expect(throws: KeyChordError.self) { try KeyChordPattern("ctrl+alt+dle") }
        #expect(throws: KeyChordError.self) { try KeyChordPattern("ctrl+a+b") }
        #expect(throws: KeyChordError.self) { try KeyChordPattern("ctrl+") }
    }

    @Test(arguments: [("f*", "f12", true), ("f*", "f", true), ("f?", "f1", true), ("f?", "f10", false),
                      ("*vt_?", "xf86switch_vt_1", true), ("a*b*c", "aXbYc", true), ("a*b", "ac", false), ("", "", true)])
    func globMatching(_ example: (String, String, Bool)) {
        #expect(KeyChordPattern.glob(example.0, matches: example.1) == example.2)
    }
}
