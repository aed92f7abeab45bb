import Foundation
import Testing
@testable import DeskCore

@Suite("KeyChord parsing")
struct KeyChordTests {
    /// (as written, canonical press order, normalized form)
    static let valid: [(String, String, String)] = [
        ("ctrl+shift+t", "Control_L+Shift_L+t", "ctrl+shift+t"),
        ("ctrl c", "Control_L+c", "ctrl+c"),
        ("Ctrl+Alt+Delete", "Control_L+Alt_L+Delete", "ctrl+alt+delete"),
        ("CTRL+ALT+DEL", "Control_L+Alt_L+Delete", "ctrl+alt+delete"),
        ("alt+ctrl+del", "Alt_L+Control_L+Delete", "ctrl+alt+delete"),
        ("control_r + alt_r + delete", "Control_R+Alt_R+Delete", "ctrl+alt+delete"),
        ("ctrl+C", "Control_L+c", "ctrl+c"),
        ("shift", "Shift_L", "shift"),
        ("Shift_R", "Shift_R", "shift"),
        ("ctrl alt", "Control_L+Alt_L", "ctrl+alt"),
        ("ctrl++", "Control_L+plus", "ctrl+plus"),
        ("ctrl + +", "Control_L+plus", "ctrl+plus"),
        ("ctrl +", "Control_L+plus", "ctrl+plus"),
        ("+", "plus", "plus"),
        ("ctrl+-", "Control_L+minus", "ctrl+minus"),
        ("ctrl+minus", "Control_L+minus", "ctrl+minus"),
        ("shift+/", "Shift_L+slash", "shift+slash"),
        ("enter", "Return", "return"),
        ("Return", "Return", "return"),
        ("esc", "Escape", "escape"),
        ("arrowup", "Up", "up"),
        ("ArrowDown", "Down", "down"),
        ("arrowleft", "Left", "left"),
        ("right", "Right", "right"),
        ("pageup", "Prior", "prior"),
        ("page_up", "Prior", "prior"),
        ("pgup", "Prior", "prior"),
        ("Page_Up", "Prior", "prior"),
        ("pagedown", "Next", "next"),
        ("pgdn", "Next", "next"),
        ("home", "Home", "home"),
        ("END", "End", "end"),
        ("ins", "Insert", "insert"),
        ("backspace", "BackSpace", "backspace"),
        ("tab", "Tab", "tab"),
        ("shift tab", "Shift_L+Tab", "shift+tab"),
        ("ISO_Left_Tab", "ISO_Left_Tab", "iso_left_tab"),
        ("space", "space", "space"),
        ("win+l", "Super_L+l", "super+l"),
        ("super l", "Super_L+l", "super+l"),
        ("meta+l", "Super_L+l", "super+l"),
        ("cmd+q", "Super_L+q", "super+q"),
        ("command+q", "Super_L+q", "super+q"),
        ("option+f4", "Alt_L+F4", "alt+f4"),
        ("control+s", "Control_L+s", "ctrl+s"),
        ("capslock", "Caps_Lock", "caps_lock"),
        ("printscreen", "Print", "print"),
        ("f1", "F1", "f1"),
        ("ctrl+alt+F12", "Control_L+Alt_L+F12", "ctrl+alt+f12"),
        ("F24", "F24", "f24"),
        ("xf86audiomute", "XF86AudioMute", "xf86audiomute"),
        ("XF86AudioMute", "XF86AudioMute", "xf86audiomute"),
        ("KP_Enter", "KP_Enter", "kp_enter"),
        ("ctrl+1", "Control_L+1", "ctrl+1"),
        ("altgr+e", "ISO_Level3_Shift+e", "altgr+e"),
        ("ctrl+ctrl+c", "Control_L+c", "ctrl+c"),
        ("c+ctrl", "Control_L+c", "ctrl+c"),
        ("  ctrl\t+ shift +t ", "Control_L+Shift_L+t", "ctrl+shift+t"),
        ("é", "U00E9", "u00e9"),
        ("U20AC", "U20AC", "u20ac"),
        ("u0041", "a", "a"),
    ]

    @Test(arguments: valid)
    func parsesAndCanonicalises(_ example: (String, String, String)) throws {
        let chord = try KeyChord.parse(example.0)
        #expect(chord.description == example.1, "press order of \(example.0)")
        #expect(chord.normalized == example.2, "normalized form of \(example.0)")
    }

    @Test(arguments: valid.map(\.0))
    func descriptionParsesBackToTheSameChord(_ text: String) throws {
        let chord = try KeyChord.parse(text)
        #expect(try KeyChord.parse(chord.description) == chord)
    }

    @Test func modifiersKeepWrittenOrderAndKeyIsLast() throws {
        let chord = try KeyChord.parse("shift+ctrl+t")
        #expect(chord.modifiers.map(\.keysym) == ["Shift_L", "Control_L"])
        #expect(chord.key?.keysym == "t")
        #expect(chord.keys.map(\.keysym) == ["Shift_L", "Control_L", "t"])
        #expect(chord.modifierClasses == [.ctrl, .shift])
    }

    @Test func modifierOnlyChordHasNoKey() throws {
        let chord = try KeyChord.parse("super")
        #expect(chord.key == nil)
        #expect(chord.modifiers == [.superL])
        #expect(chord.modifiers[0].isModifier)
        #expect(chord.modifiers[0].modifierClass == .super)
    }

    /// (as written, fragment the message must contain, a suggestion that must be offered or nil)
    static let invalid: [(String, String, String?)] = [
        ("", "empty key chord", nil),
        ("   ", "empty key chord", nil),
        ("ctrl+", "ends with '+'", nil),
        ("ctrl++a", "expected '+' or a space", nil),
        ("ctlr+c", "unknown key 'ctlr'", "ctrl"),
        ("ctrl+escpae", "unknown key 'escpae'", "escape"),
        ("backspcae", "unknown key 'backspcae'", "backspace"),
        ("ctrl+pgdown", "unknown key 'pgdown'", "pgdn"),
        ("xf86audiomut", "unknown key", "XF86AudioMute"),
        ("ctrl+a+b", "more than one key", nil),
        ("ctrl a b", "more than one key", nil),
        ("ctrl+f99", "unknown key 'f99'", nil),
        ("ctrl+10", "unknown key '10'", nil),
        ("ctrl+é!", "is not a key name", nil),
        ("a+b+c+d+e+f+g+h+i", "at most 8 keys", nil),
    ]

    @Test(arguments: invalid)
    func rejectsWithAClearMessage(_ example: (String, String, String?)) {
        #expect(throws: KeyChordError.self) { try KeyChord.parse(example.0) }
        do {
            _ = try KeyChord.parse(example.0)
        } catch {
            #expect(error.description.contains(example.1), "\(error.description)")
            #expect(error.exitStatus == .usage)
            if let suggestion = example.2 {
                #expect(error.suggestions.contains(suggestion), "suggestions for \(example.0): \(error.suggestions)")
                #expect(error.description.contains("did you mean"))
            }
        }
    }

    @Test func rejectsOverlongText() {
        let text = String(repeating: "a", count: KeyChord.maximumLength + 1)
        #expect(throws: KeyChordError.self) { try KeyChord.parse(text) }
    }

    @Test func codableAsAString() throws {
        let chord = try KeyChord.parse("ctrl shift t")
        let data = try JSONEncoder().encode([chord])
        #expect(String(decoding: data, as: UTF8.self) == #"["Control_L+Shift_L+t"]"#)
        #expect(try JSONDecoder().decode([KeyChord].self, from: data) == [chord])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([KeyChord].self, from: Data(#"["ctlr+t"]"#.utf8)) }
    }

    @Test func keyNamesResolveOneKey() throws {
        #expect(try KeyName.named("Enter").keysym == "Return")
        #expect(try KeyName.named("shift_r").keysym == "Shift_R")
        #expect(KeyName(keysym: "Page_Down")?.keysym == "Next")
        #expect(KeyName(keysym: "return") == nil, "exact keysym lookup is case-significant")
        #expect(KeyName(keysym: "A")?.keysym == "a")
        #expect(throws: KeyChordError.self) { try KeyName.named("nosuchkey") }
    }

    @Test func keysKnowWhatTheyType() throws {
        #expect(try KeyName.named("a").character == "a")
        #expect(try KeyName.named("enter").character == "\n")
        #expect(try KeyName.named("minus").character == "-")
        #expect(try KeyName.named("KP_5").character == "5")
        #expect(try KeyName.named("U00E9").character == "é")
        #expect(try KeyName.named("F1").character == nil)
        #expect(try KeyName.named("ctrl").character == nil)
    }

    @Test func everyAliasAndPunctuationTargetIsAKnownKeysym() {
        for (alias, keysym) in KeyNameAliases.aliases {
            #expect(KeySymbolTable.nameSet.contains(keysym), "alias \(alias) → \(keysym)")
        }
        for (character, keysym) in KeyNameAliases.punctuation {
            #expect(KeySymbolTable.nameSet.contains(keysym), "\(character) → \(keysym)")
        }
        for canonical in KeySymbolTable.synonyms.values {
            #expect(KeySymbolTable.nameSet.contains(canonical))
        }
    }

    @Test func editDistanceCountsTranspositionAsOne() {
        #expect(KeyNameSuggester.editDistance(Array("ctlr".utf8), Array("ctrl".utf8)) == 1)
        #expect(KeyNameSuggester.editDistance(Array("kitten".utf8), Array("sitting".utf8)) == 3)
        #expect(KeyNameSuggester.editDistance([], Array("abc".utf8)) == 3)
    }

    /// Random chord-like text never crashes the parser; whatever parses round-trips through its description.
    @Test func randomTextEitherParsesAndRoundTripsOrThrows() throws {
        var generator = ChordFuzzGenerator(seed: 0x5EED)
        let alphabet = Array("ctrlaltshiftsuperdel+ +-_*éЖ1F\t\u{200B}xX")
        for _ in 0..<1000 {
            let length = Int(generator.next() % 14)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            do {
                let chord = try KeyChord.parse(text)
                #expect(try KeyChord.parse(chord.description) == chord, "\(text)")
                #expect(!chord.keys.isEmpty)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }
}

/// A small deterministic generator so the randomized test is reproducible.
private struct ChordFuzzGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
