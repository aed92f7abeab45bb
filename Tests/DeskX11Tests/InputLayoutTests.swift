import DeskCore
@testable import DeskX11
import Testing
import DeskTestSupport

/// Keymap lookups and keysym conversions, without a server.
@Suite("Input layout logic", .ownThread)
struct InputLayoutTests {
    @Test func keysymConversions() {
        #expect(KeysymText.scalar(forKeysym: 0x6d0) == "п")
        #expect(KeysymText.scalar(forKeysym: 0x20ac) == "€")
        #expect(KeysymText.scalar(forKeysym: 0x101_F600) == "😀")
        #expect(KeysymText.scalar(forKeysym: 0xff0d) == nil)
        #expect(KeysymText.keysymToBind(for: "é") == 0xe9)
        #expect(KeysymText.keysymToBind(for: "€") == 0x10020ac)
        #expect(KeysymText.controlKeysym(for: "\n") == 0xff0d)
        #expect(KeysymText.controlKeysym(for: "\t") == 0xff09)
        #expect(KeysymText.isUntypable("\u{7}"))
        #expect(!KeysymText.isUntypable("\n"))
    }

    @Test func casePairs() {
        #expect(KeysymText.casePair(of: "ł").map { [$0.lower, $0.upper] } == ["ł", "Ł"])
        #expect(KeysymText.casePair(of: "Ж").map { [$0.lower, $0.upper] } == ["ж", "Ж"])
        #expect(KeysymText.casePair(of: "ß") == nil)
        #expect(KeysymText.casePair(of: "日") == nil)
        #expect(KeysymText.casePair(of: "1") == nil)
    }

    @Test func usPositions() {
        #expect(KeyboardLayout.usPositionName(forKeysym: 0x63) == "AB03")  // c
        #expect(KeyboardLayout.usPositionName(forKeysym: 0x56) == "AB04")  // V
        #expect(KeyboardLayout.usPositionName(forKeysym: 0x31) == "AE01")  // 1
        #expect(KeyboardLayout.usPositionName(forKeysym: 0x3c) == "AB08")  // <
        #expect(KeyboardLayout.usPositionName(forKeysym: 0x60) == "TLDE")  // `
        #expect(KeyboardLayout.usPositionName(forKeysym: 0x6d0) == nil)
    }

    /// One ALPHABETIC letter key (a/A), Shift_L, and a FOUR_LEVEL key reached with Level3 (Mod5).
    static func sampleLayout() -> KeyboardLayout {
        let oneLevel = KeyboardLayout.KeyType(modsMask: 0, numLevels: 1, entries: [])
        let twoLevel = KeyboardLayout.KeyType(modsMask: 1, numLevels: 2, entries: [.init(active: true, level: 1, mask: 1)])
        let alphabetic = KeyboardLayout.KeyType(modsMask: 3, numLevels: 2,
                                                entries: [.init(active: true, level: 1, mask: 1), .init(active: true, level: 1, mask: 2)])
        let fourLevel = KeyboardLayout.KeyType(modsMask: 0x81, numLevels: 4,
                                               entries: [.init(active: true, level: 1, mask: 1), .init(active: true, level: 2, mask: 0x80),
                                                         .init(active: true, level: 3, mask: 0x81)])
        var keys = [KeyboardLayout.Key](repeating: .empty, count: 256)
        var modmap = [UInt8](repeating: 0, count: 256)
        keys[38] = .init(groups: [[0x61, 0x41]], typeIndices: [2], groupInfo: 1, name: "AC01")
        keys[50] = .init(groups: [[KeyboardLayout.shiftL]], typeIndices: [0], groupInfo: 1, name: "LFSH")
        modmap[50] = 1
        keys[92] = .init(groups: [[KeyboardLayout.isoLevel3Shift]], typeIndices: [0], groupInfo: 1, name: "LVL3")
        modmap[92] = 0x80
        keys[24] = .init(groups: [[0x71, 0x51, 0x40, 0x7c]], typeIndices: [3], groupInfo: 1, name: "AD01")
        keys[10] = .init(groups: [[0x31, 0x21], [0x6c1, 0x6e1]], typeIndices: [1, 1], groupInfo: 2, name: "AE01")
        return KeyboardLayout(minKeycode: 8, maxKeycode: 255, types: [oneLevel, twoLevel, alphabetic, fourLevel],
                              keys: keys, modmap: modmap)
    }

    @Test func levelsAndModifiers() {
        let layout = Self.sampleLayout()
        let plain = KeyboardLayout.State(group: 0, mods: 0)
        #expect(layout.stroke(forKeysym: 0x61, state: plain) == KeyStroke(keycode: 38, modifierKeys: []))
        #expect(layout.stroke(forKeysym: 0x41, state: plain) == KeyStroke(keycode: 38, modifierKeys: [50]))
        #expect(layout.stroke(forKeysym: 0x40, state: plain) == KeyStroke(keycode: 24, modifierKeys: [92]))
        #expect(layout.stroke(forKeysym: 0x7c, state: plain) == KeyStroke(keycode: 24, modifierKeys: [50, 92]))
        // Caps Lock on: the lowercase letter needs Shift, the capital needs nothing.
        let caps = KeyboardLayout.State(group: 0, mods: KeyboardLayout.lockMask)
        #expect(layout.stroke(forKeysym: 0x61, state: caps) == KeyStroke(keycode: 38, modifierKeys: [50]))
        #expect(layout.stroke(forKeysym: 0x41, state: caps) == KeyStroke(keycode: 38, modifierKeys: []))
        // Shift held by someone else: nothing reaches the lowercase level.
        #expect(layout.stroke(forKeysym: 0x61, state: .init(group: 0, mods: 1)) == nil)
    }

    @Test func groupsAreNotSwitched() {
        let layout = Self.sampleLayout()
        let second = KeyboardLayout.State(group: 1, mods: 0)
        // Keycode 10 has two groups; the one-group letter key wraps into group 1.
        #expect(layout.stroke(forKeysym: 0x6c1, state: second) == KeyStroke(keycode: 10, modifierKeys: []))
        #expect(layout.stroke(forKeysym: 0x31, state: second) == nil)
        #expect(layout.stroke(forKeysym: 0x61, state: second) == KeyStroke(keycode: 38, modifierKeys: []))
        #expect(layout.stroke(forKeysym: 0x31, state: .init(group: 0, mods: 0)) == KeyStroke(keycode: 10, modifierKeys: []))
    }

    @Test func freeKeycodesHighestFirst() {
        let layout = Self.sampleLayout()
        let free = layout.freeKeycodes
        #expect(free.first == 255)
        #expect(!free.contains(38) && !free.contains(92))
        #expect(free.last == 8)
    }
}
