import CX11
import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// Windows under a real window manager (openbox): reparented clients are listed with their client area and
/// frame, focus goes through `_NET_ACTIVE_WINDOW`, and dialogs are found by their parent.
@Suite(.serialized, .ownThread) struct DesktopWindowTests {
    /// Waits until `body` returns a value, polling (the WM maps and places windows asynchronously).
    func eventually<T>(timeout: Double = 15, _ body: () throws -> T?) rethrows -> T? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let value = try body() { return value }
            usleep(50_000)
        }
        return try body()
    }

    @Test func clientAreaFrameAndFocusUnderOpenbox() throws {
        let desktop = try DesktopSession.start(.openbox, screen: Size(width: 1280, height: 800))
        defer { desktop.stop() }
        let display = try X11Display(name: desktop.displayName)
        let alpha = try FixtureApp(displayName: desktop.displayName, geometry: Rect(x: 100, y: 100, width: 400, height: 300),
                                   title: "Alpha window")
        let beta = try FixtureApp(displayName: desktop.displayName, geometry: Rect(x: 600, y: 100, width: 400, height: 300),
                                  title: "Beta window")
        // Both are managed (listed by the WM, framed) before anything is clicked.
        let listed = eventually {
            let windows = display.windows()
            let managed = windows.filter { [alpha.window, beta.window].contains($0.id) && $0.frame != nil }
            return managed.count == 2 ? windows : nil
        }
        let windows = try #require(listed, "openbox never managed both windows: \(display.windows())")
        let a = try #require(windows.first { $0.id == alpha.window })
        let frame = try #require(a.frame)
        #expect(frame.width > a.rect.width || frame.height > a.rect.height, "openbox draws a title bar")
        #expect(frame.y < a.rect.y, "the title bar is above the client area")

        // A click at in_window (10, 10) lands 10 px into the client area, not on the decorations.
        let injector = try InputInjector(display: display)
        let mark = alpha.count
        try injector.click(at: Point(x: a.rect.x + 10, y: a.rect.y + 10))
        let press = try alpha.waitFor(type: "button_press", after: mark)
        #expect(press.int("x") == 10 && press.int("y") == 10, "\(press)")

        // Focus through the WM: _NET_ACTIVE_WINDOW follows, keys go to the chosen window.
        try injector.move(to: Point(x: a.rect.x + 50, y: a.rect.y + 50))
        try injector.focus(beta.window)
        // openbox sets _NET_ACTIVE_WINDOW when it has handled the focus change, a moment after the focus moved.
        #expect(eventually { display.propertyLongs(display.root, "_NET_ACTIVE_WINDOW")?.first == beta.window ? true : nil } == true)
        try injector.type("to beta")
        #expect(beta.waitForText("to beta") == "to beta")
        try injector.focus(alpha.window)
        #expect(eventually { display.propertyLongs(display.root, "_NET_ACTIVE_WINDOW")?.first == alpha.window ? true : nil } == true)
        try injector.type("to alpha")
        #expect(alpha.waitForText("to alpha") == "to alpha")
        #expect(try WindowSelector.parse("title:^beta").resolve(on: display) == beta.window)
    }

    @Test func theGTKSaveDialogIsFoundByTitleAndByItsParent() throws {
        let desktop = try DesktopSession.start(.openbox, screen: Size(width: 1280, height: 800))
        let home = NSTemporaryDirectory() + "deskpilot-home-\(UUID().uuidString)"
        // The folder goes after the desktop: the app writes its settings there until it is stopped.
        defer {
            desktop.stop()
            try? FileManager.default.removeItem(atPath: home)
        }
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        _ = try desktop.spawn(["mousepad"], environment: ["HOME": home])
        let display = try X11Display(name: desktop.displayName)
        let main = try #require(eventually { try? WindowSelector.parse("class:Mousepad").resolve(on: display) },
                                "mousepad never showed a window")
        let injector = try InputInjector(display: display)
        try injector.focus(main)
        try injector.key("ctrl+shift+s")
        let dialog = try #require(eventually { try? WindowSelector.parse("dialog:class:Mousepad").resolve(on: display) },
                                  "no dialog of mousepad appeared: \(display.windows())")
        let info = try #require(display.windows().first { $0.id == dialog })
        #expect(info.title == "Save As")
        #expect(info.transientFor == main)
        #expect(try WindowSelector.parse("title:^Save As$").resolve(on: display) == dialog)
        try injector.key("Escape")
    }
}

/// Typing and chords stop when another window takes the keyboard, but not when the focus moves inside one
/// window — a reparenting window manager focuses the frame and the client in turn, toolkits their own child
/// windows.
@Suite(.ownThread) struct KeyboardTargetWatchTests {
    @Test func onlyAnotherTopLevelWindowCountsAsAMove() throws {
        let bed = try InputTestBed(fixtureGeometry: Rect(x: 0, y: 0, width: 500, height: 400), focus: false)
        let other = try FixtureApp(displayName: bed.session.displayName,
                                   geometry: Rect(x: 600, y: 0, width: 500, height: 400), title: "Beta window")
        let display = bed.display
        // A child window inside the fixture, as a frame holds its client.
        let inner: UInt = display.withDisplay { d in
            let w = XCreateSimpleWindow(d, bed.fixture.window, 10, 10, 50, 50, 0, 0, 0)
            XMapWindow(d, w)
            XSync(d, 0)
            return w
        }
        #expect(display.rootChild(containing: inner) == bed.fixture.window)
        try display.setInputFocus(bed.fixture.window)
        var watch = KeyboardTargetWatch(display: display)
        #expect(watch.topLevel == bed.fixture.window)
        var moved = watch.moved()
        #expect(!moved)
        try display.setInputFocus(inner)
        moved = watch.moved()
        #expect(!moved, "a child of the same top level")
        try display.setInputFocus(bed.fixture.window)
        moved = watch.moved()
        #expect(!moved)
        try display.setInputFocus(other.window)
        moved = watch.moved()
        #expect(moved)
        try display.setInputFocus(inner)
        moved = watch.moved()
        #expect(!moved, "back in the first window")
    }
}
