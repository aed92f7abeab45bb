import DeskCore
@testable import DeskX11
import Foundation

/// A private Xvfb (optionally with a keyboard layout set by `setxkbmap`), the fixture app focused on it, an
/// injector, and the keymap as it was before the test — for the input tests.
final class InputTestBed: Sendable {
    let session: XvfbSession
    let display: X11Display
    let fixture: FixtureApp
    let injector: InputInjector
    let keymapBefore: KeymapSnapshot

    struct SetupError: Error, CustomStringConvertible { var description: String }

    init(layout: String? = nil, variant: String? = nil, screen: Size = Size(width: 1280, height: 800),
         fixtureGeometry: Rect? = nil, options: InputOptions = .init(), focus: Bool = true) throws {
        session = try XvfbSession.start(screen: screen)
        if let layout { try Self.setLayout(layout, variant: variant, display: session.displayName) }
        display = try X11Display(name: session.displayName)
        fixture = try FixtureApp(displayName: session.displayName, geometry: fixtureGeometry)
        keymapBefore = try KeymapSnapshot.capture(display)
        injector = try InputInjector(display: display, options: options)
        if focus { try injector.focus(fixture.window) }
    }

    /// Runs `setxkbmap` on the display and fails when it does.
    static func setLayout(_ layout: String, variant: String? = nil, display: String) throws {
        var argv = ["setxkbmap", "-display", display, "-layout", layout]
        if let variant { argv += ["-variant", variant] }
        let child = try ChildProcess.spawn(argv)
        guard let status = child.wait(timeout: 15), status == 0 else {
            throw SetupError(description: "setxkbmap \(layout) failed on \(display)")
        }
    }

    /// What is wrong with the display after a test: held keys or buttons, or a keymap that differs.
    func leftovers() throws -> [String] {
        var problems: [String] = []
        let keys = display.pressedKeycodes()
        if !keys.isEmpty { problems.append("keys still down: \(keys)") }
        let buttons = display.pressedButtons()
        if !buttons.isEmpty { problems.append("buttons still down: \(buttons)") }
        let after = try KeymapSnapshot.capture(display)
        if after != keymapBefore {
            problems.append("keymap differs at keycodes \(after.differingKeycodes(from: keymapBefore))")
        }
        return problems
    }

    /// Clears the fixture's text field with its ctrl+shift+Delete helper and waits for the empty text.
    func clearField() throws {
        let mark = fixture.count
        try injector.key("ctrl+shift+Delete")
        try fixture.waitFor(type: "text", after: mark, where: { $0.string("value") == "" })
    }

    /// Types `text` (or pastes it), then clears the field; returns the field's content just before the clear,
    /// i.e. after every typed key was processed (a late extra key cannot hide behind an early match).
    func typeAndRead(_ text: String, method: TypingMethod = .keys) throws -> String? {
        try read { try injector.type(text, method: method) }
    }

    /// Runs `typing` (anything that types into the focused fixture), then clears the field; returns the field's
    /// content just before the clear.
    func read(after typing: () throws -> Void) throws -> String? {
        let mark = fixture.count
        try typing()
        try injector.key("ctrl+shift+Delete")
        let clear = try fixture.waitFor(type: "text", after: mark, timeout: 10, where: { $0.string("value") == "" })
        let all = fixture.events()
        guard let clearIndex = all[mark...].firstIndex(where: { $0.type == "text" && $0.string("value") == "" && $0.double("time") == clear.double("time") }) else {
            return nil
        }
        return all[mark..<clearIndex].last(where: { $0.type == "text" })?.string("value")
    }
}
