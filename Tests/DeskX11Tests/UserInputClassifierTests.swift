import DeskCore
import Testing
import DeskTestSupport

/// The pure half of "a person takes over": which source devices count as a person.
@Suite("User input classification", .ownThread)
struct UserInputClassifierTests {
    /// What Xvfb lists (no physical device), plus what a laptop adds.
    static let devices: [InputDevice] = [
        InputDevice(id: 2, name: "Virtual core pointer", use: .masterPointer, attachment: 3),
        InputDevice(id: 3, name: "Virtual core keyboard", use: .masterKeyboard, attachment: 2),
        InputDevice(id: 4, name: "Virtual core XTEST pointer", use: .slavePointer, attachment: 2),
        InputDevice(id: 5, name: "Virtual core XTEST keyboard", use: .slaveKeyboard, attachment: 3),
        InputDevice(id: 6, name: "Power Button", use: .slaveKeyboard, attachment: 3),
        InputDevice(id: 7, name: "Video Bus", use: .slaveKeyboard, attachment: 3),
        InputDevice(id: 8, name: "SynPS/2 Synaptics TouchPad", use: .slavePointer, attachment: 2),
        InputDevice(id: 9, name: "AT Translated Set 2 keyboard", use: .slaveKeyboard, attachment: 3),
        InputDevice(id: 10, name: "Logitech USB Receiver", use: .floatingSlave, attachment: 0),
        InputDevice(id: 11, name: "second pointer", use: .masterPointer, attachment: 12),
        InputDevice(id: 13, name: "second pointer XTEST pointer", use: .slavePointer, attachment: 11),
        InputDevice(id: 14, name: "xwayland-pointer:13", use: .slavePointer, attachment: 2),
    ]

    @Test(arguments: [
        (4, false), (5, false), (13, false),  // XTEST: deskpilot's own input and any other injector's
        (2, false), (3, false), (11, false),  // masters are never the source of a raw event
        (6, false), (7, false),               // buttons the machine presses
        (8, true), (9, true), (10, true), (14, true),
        (99, true),                           // plugged in after the list was read
    ])
    func sourceDevicesAreJudged(source: Int, person: Bool) {
        #expect(UserInputClassifier.isPerson(sourceID: source, devices: Self.devices) == person)
    }

    @Test func verdictsNameTheDevice() {
        #expect(UserInputClassifier.classify(sourceID: 9, devices: Self.devices) == .person(device: "AT Translated Set 2 keyboard"))
        #expect(UserInputClassifier.classify(sourceID: 5, devices: Self.devices) == .injected(device: "Virtual core XTEST keyboard"))
        #expect(UserInputClassifier.classify(sourceID: 6, devices: Self.devices) == .ignored(device: "Power Button"))
        #expect(UserInputClassifier.classify(sourceID: 42, devices: []) == .unknownDevice(id: 42))
    }

    @Test func onlyTheServersXTestNamesCountAsInjected() {
        #expect(UserInputClassifier.isXTestDevice(name: "Virtual core XTEST keyboard"))
        #expect(UserInputClassifier.isXTestDevice(name: "Virtual core XTEST pointer"))
        #expect(!UserInputClassifier.isXTestDevice(name: "XTEST keyboard clone by a USB gadget"))
        #expect(!UserInputClassifier.isXTestDevice(name: "Virtual core pointer"))
    }

    @Test func heldModifierKeysymsBecomeKeyNames() {
        // Control_L, 'a', Alt_R, Control_L again, ISO_Level3_Shift.
        let names = HeldModifiers.keyNames(heldKeysyms: [0xFFE3, 0x61, 0xFFEA, 0xFFE3, 0xFE03]).map(\.keysym)
        #expect(names == ["Control_L", "Alt_R", "ISO_Level3_Shift"])
        #expect(HeldModifiers.keyNames(heldKeysyms: [0x61, 0xFF1B]).isEmpty)
    }
}
