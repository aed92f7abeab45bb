import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// `focus` moves keyboard input to the named window on a bare Xvfb, where focus otherwise follows the pointer.
@Suite("Input focus", .ownThread)
struct InputFocusTests {
    @Test func focusMovesKeyboardInputToTheNamedWindow() throws {
        let bed = try InputTestBed(fixtureGeometry: Rect(x: 0, y: 0, width: 500, height: 400), focus: false)
        let other = try FixtureApp(displayName: bed.session.displayName,
                                   geometry: Rect(x: 600, y: 0, width: 500, height: 400), title: "Beta window")
        // The pointer rests on the first window: without focus, keys would go there.
        try bed.injector.move(to: Point(x: 100, y: 100))
        let selected = try WindowSelector.parse("title:^beta").resolve(on: bed.display)
        #expect(selected == other.window)
        try bed.injector.focus(selected)
        try bed.injector.type("to beta")
        #expect(other.waitForText("to beta") == "to beta")
        try bed.injector.focus(bed.fixture.window)
        try bed.injector.type("to alpha")
        #expect(bed.fixture.waitForText("to alpha") == "to alpha")
        #expect(other.lastText == "to beta")
        #expect(try bed.leftovers() == [])
    }

    @Test func selectorsParse() throws {
        #expect(try WindowSelector.parse("0x3a00007") == .id(0x3a00007))
        #expect(try WindowSelector.parse("1234") == .id(1234))
        #expect(try WindowSelector.parse("class:Firefox") == .className("Firefox"))
        #expect(try WindowSelector.parse("title:Report.*") == .title("Report.*"))
        #expect(throws: InputError.self) { try WindowSelector.parse("title:(") }
        #expect(throws: InputError.self) { try WindowSelector.parse("firefox") }
        let windows = [WindowInfo(id: 1, instance: "xterm", className: "XTerm", title: "bash", rect: Rect(x: 0, y: 0, width: 1, height: 1), focused: false, pid: nil),
                       WindowInfo(id: 2, instance: "xterm", className: "XTerm", title: "vim", rect: Rect(x: 0, y: 0, width: 1, height: 1), focused: false, pid: nil)]
        #expect(WindowSelector.className("xterm").matches(in: windows).map(\.id) == [2, 1])
        #expect(WindowSelector.title("VIM").matches(in: windows).map(\.id) == [2])
    }

    @Test func unviewableWindowIsAnInputError() throws {
        let bed = try InputTestBed(focus: false)
        #expect(throws: InputError.self) { try bed.injector.focus(0x7ff_fff0) }
    }
}
