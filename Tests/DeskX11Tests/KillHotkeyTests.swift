import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// The kill hotkey's grab on a real Xvfb, pressed with XTest from another connection (XTest key events
/// trigger passive grabs as a keyboard's do). The handler here only counts: setting the process-wide stop
/// flag would stop other tests running in this process; the stop itself is tested on deskpilot processes
/// in KillHotkeyStopTests.
@Suite("Kill hotkey grab", .ownThread)
struct KillHotkeyTests {
    /// Waits up to `timeout` seconds for `condition`.
    static func eventually(_ timeout: Double = 5, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    @Test func theDefaultChordFiresAndNearMissesDoNot() throws {
        let session = try XvfbSession.start(screen: Size(width: 640, height: 480))
        defer { session.stop() }
        let hotkey = try KillHotkey(displayName: session.displayName, chord: Policy.defaultKillSwitch, onPress: {})
        defer { hotkey.stop() }
        let fixture = try FixtureApp(displayName: session.displayName)
        defer { fixture.stop() }
        let injector = try InputInjector(display: try X11Display(name: session.displayName))
        try injector.focus(fixture.window)

        // A passive grab that fires takes its key away from the focused window. So each near miss the
        // fixture receives is one the grab let pass: the hotkey's connection never got it.
        let mark = fixture.count
        for nearMiss in ["ctrl+alt+Escape", "ctrl+shift+Escape", "Escape", "ctrl+alt+shift+Tab"] {
            try injector.key(nearMiss)
        }
        let lastNearMiss = try fixture.waitFor(type: "key_release", after: mark, where: { ["Tab", "ISO_Left_Tab"].contains($0.string("name")) })
        let pressed = fixture.events()[mark...].filter { $0.type == "key_press" }.compactMap { $0.string("name") }
        #expect(pressed.filter { $0 == "Escape" }.count == 3, "\(pressed) up to \(lastNearMiss)")
        #expect(pressed.filter { $0 == "Tab" || $0 == "ISO_Left_Tab" }.count == 1, "\(pressed)")
        #expect(hotkey.pressCount == 0)

        try injector.key("ctrl+alt+shift+Escape")
        #expect(Self.eventually { hotkey.pressCount == 1 })
        // Sides do not matter: the grab is on modifier bits, which both sides set.
        try injector.key("Control_R+Alt_L+Shift_R+Escape")
        #expect(Self.eventually { hotkey.pressCount == 2 })
        #expect(injector.display.pressedKeycodes().isEmpty)
    }

    @Test func locksDoNotDisarmIt() throws {
        let session = try XvfbSession.start(screen: Size(width: 640, height: 480))
        defer { session.stop() }
        let hotkey = try KillHotkey(displayName: session.displayName, chord: Policy.defaultKillSwitch, onPress: {})
        defer { hotkey.stop() }
        let injector = try InputInjector(display: try X11Display(name: session.displayName))
        try injector.key("Caps_Lock")
        try injector.key("Num_Lock")
        defer {
            try? injector.key("Caps_Lock")
            try? injector.key("Num_Lock")
        }
        try injector.key("ctrl+alt+shift+Escape")
        #expect(Self.eventually { hotkey.pressCount == 1 })
    }

    @Test func aPolicyChordIsGrabbedAndTheGrabIsExclusiveUntilStopped() throws {
        let session = try XvfbSession.start(screen: Size(width: 640, height: 480))
        defer { session.stop() }
        let chord = try KeyChord.parse("ctrl+super+F12")
        let first = try KillHotkey(displayName: session.displayName, chord: chord, onPress: {})
        // A second client cannot hold the same passive grab: the error says what to do.
        do {
            let second = try KillHotkey(displayName: session.displayName, chord: chord, onPress: {})
            second.stop()
            Issue.record("a second grab of the same chord succeeded")
        } catch let error as X11Error {
            #expect(error.description.contains("kill_switch"))
        }
        let injector = try InputInjector(display: try X11Display(name: session.displayName))
        try injector.key("ctrl+super+F12")
        #expect(Self.eventually { first.pressCount == 1 })
        first.stop()
        first.stop()

        // Released: another client may grab it now, and the old one no longer counts.
        let again = try KillHotkey(displayName: session.displayName, chord: chord, onPress: {})
        defer { again.stop() }
        try injector.key("ctrl+super+F12")
        #expect(Self.eventually { again.pressCount == 1 })
        #expect(first.pressCount == 1)
    }

    @Test(arguments: ["escape", "ctrl+alt+shift+NoSuchKey"])
    func chordsThatCannotBeGrabbedAreRefused(text: String) throws {
        let session = try XvfbSession.start(screen: Size(width: 640, height: 480))
        defer { session.stop() }
        // "NoSuchKey" does not even parse as a chord; build it by hand to reach the X-side check.
        let chord = (try? KeyChord.parse(text)) ?? KeyChord(modifiers: [.controlL], key: nil)
        #expect(throws: X11Error.self) {
            let hotkey = try KillHotkey(displayName: session.displayName, chord: chord, onPress: {})
            hotkey.stop()
        }
    }
}
