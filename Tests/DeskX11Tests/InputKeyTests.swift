import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// Key chords, held keys and key names against a real Xvfb and the fixture app.
@Suite("Input keys", .ownThread)
struct InputKeyTests {
    /// The fixture's key presses logged since `mark`.
    static func presses(_ bed: InputTestBed, after mark: Int) -> [FixtureEvent] {
        Array(bed.fixture.events()[mark...].filter { $0.type == "key_press" })
    }

    /// Runs `body`, then waits until the fixture logged `releases` key releases after it.
    static func run(_ bed: InputTestBed, releases: Int, _ body: () throws -> Void) throws -> Int {
        let mark = bed.fixture.count
        try body()
        let deadline = Date().addingTimeInterval(5)
        while bed.fixture.events()[mark...].filter({ $0.type == "key_release" }).count < releases, Date() < deadline {
            usleep(2_000)
        }
        return mark
    }

    @Test func chordArrivesWithModifierState() throws {
        let bed = try InputTestBed()
        let mark = try Self.run(bed, releases: 3) { try bed.injector.key("ctrl+shift+t") }
        let presses = Self.presses(bed, after: mark)
        #expect(presses.map { $0.string("name") ?? "" } == ["Control_L", "Shift_L", "T"])
        let t = try #require(presses.last)
        #expect((t.int("state") ?? 0) & 0x5 == 0x5, "T arrived with state \(t.int("state") ?? -1)")
        let releases = bed.fixture.events()[mark...].filter { $0.type == "key_release" }.map { $0.string("name") ?? "" }
        #expect(releases == ["T", "Shift_L", "Control_L"])
        #expect(try bed.leftovers() == [])
    }

    @Test func rightShiftPressesOnlyRightShift() throws {
        let bed = try InputTestBed()
        let mark = try Self.run(bed, releases: 1) { try bed.injector.key("Shift_R") }
        let presses = Self.presses(bed, after: mark)
        #expect(presses.map { $0.string("name") ?? "" } == ["Shift_R"])
        #expect(try bed.leftovers() == [])
    }

    @Test func shiftedPunctuationGetsShiftAdded() throws {
        let bed = try InputTestBed()
        let mark = try Self.run(bed, releases: 3) { try bed.injector.key("ctrl+plus") }
        let last = try #require(Self.presses(bed, after: mark).last)
        #expect(last.string("name") == "plus")
        #expect((last.int("state") ?? 0) & 0x5 == 0x5)
        #expect(try bed.leftovers() == [])
    }

    @Test func letterChordUnderRussianUsesTheUSPosition() throws {
        let bed = try InputTestBed(layout: "ru")
        let mark = try Self.run(bed, releases: 2) { try bed.injector.key("ctrl+c") }
        let last = try #require(Self.presses(bed, after: mark).last)
        #expect(last.int("keycode") == 54, "ctrl+c went to keycode \(last.int("keycode") ?? -1)")
        #expect(last.string("name") == "Cyrillic_es")
        #expect((last.int("state") ?? 0) & 0x4 == 0x4)
        #expect(try bed.leftovers() == [])
    }

    @Test func altGrLevelUnderGerman() throws {
        let bed = try InputTestBed(layout: "de")
        let mark = try Self.run(bed, releases: 2) { try bed.injector.key("altgr+q") }
        let last = try #require(Self.presses(bed, after: mark).last)
        #expect(last.string("name") == "at")
        #expect(try bed.leftovers() == [])
    }

    @Test func chordKeyMissingFromTheLayoutIsBoundForTheChord() throws {
        let bed = try InputTestBed()
        let got = try bed.read { try bed.injector.key("€") }
        #expect(got == "€")
        #expect(try bed.leftovers() == [])
    }

    @Test func returnIsReturnNotLinefeed() throws {
        let bed = try InputTestBed()
        let mark = try Self.run(bed, releases: 3) { try bed.injector.type("a\nb") }
        #expect(Self.presses(bed, after: mark).map { $0.string("name") ?? "" } == ["a", "Return", "b"])
        #expect(try bed.leftovers() == [])
    }

    @Test func unknownKeyNameSuggestsCloseNames() throws {
        let bed = try InputTestBed(focus: false)
        do {
            try bed.injector.key("ctlr+c")
            Issue.record("an unknown key name was accepted")
        } catch let error as KeyChordError {
            #expect(error.suggestions.contains("ctrl"))
            #expect(error.exitStatus == .usage)
        }
    }

    @Test func pressHoldsUntilRelease() throws {
        let bed = try InputTestBed()
        try bed.injector.press("shift")
        #expect(bed.display.pressedKeycodes() == [50])
        try bed.injector.release("shift")
        #expect(bed.display.pressedKeycodes() == [])
        try bed.injector.press("a")
        bed.injector.releaseAll()
        #expect(try bed.leftovers() == [])
    }

    @Test func keyMissingFromTheLayoutCannotBeHeld() throws {
        let bed = try InputTestBed()
        #expect(throws: InputError.self) { try bed.injector.press("€") }
        #expect(try bed.leftovers() == [])
    }

    @Test func typingUntypableControlCharacterIsAnInputError() throws {
        let bed = try InputTestBed()
        #expect(throws: InputError.self) { try bed.injector.type("bell\u{7}") }
        #expect(try bed.leftovers() == [])
    }
}
