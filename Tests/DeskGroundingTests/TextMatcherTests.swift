import DeskCore
@testable import DeskGrounding
import Testing
import DeskTestSupport

/// Builds OCR lines by hand: words laid out left to right at 8 px per character with one space between.
private func line(_ text: String, x: Int = 100, y: Int = 100, confidence: Double = 0.95) -> OCRLine {
    var cursor = x
    let words = text.split(separator: " ").map { word -> OCRWord in
        defer { cursor += (word.count + 1) * 8 }
        return OCRWord(text: "\(word)", box: Rect(x: cursor, y: y, width: word.count * 8, height: 14),
                       confidence: confidence)
    }
    return OCRLine(words: words)
}

@Suite("Text matching", .ownThread)
struct TextMatcherTests {
    @Test func exactWordScoresHighest() throws {
        let found = TextMatcher.matches("Save", in: [line("Save")])
        let first = try #require(found.first)
        #expect(first.text == "Save")
        #expect(first.box == Rect(x: 100, y: 100, width: 32, height: 14))
        #expect(first.point == Point(x: 116, y: 107))
        #expect(first.score > 0.95)
    }

    @Test func caseIsIgnoredButRanksBelowExact() throws {
        let found = TextMatcher.matches("save", in: [line("SAVE", y: 10), line("save", y: 60)])
        #expect(found.count == 2)
        #expect(found.first?.text == "save")
        #expect(found.last?.text == "SAVE")
        #expect((found.last?.score ?? 0) >= TextQuery.defaultThreshold)
    }

    @Test func phraseSpansAdjacentWordsOfALine() throws {
        let found = TextMatcher.matches("Save As", in: [line("File Save As Print")])
        let first = try #require(found.first)
        #expect(first.text == "Save As")
        #expect(first.box.x == 140)
        #expect(first.box.width == 8 * 7)
    }

    @Test func phraseSpansRegionsOnTheSameBaseline() throws {
        // Region detection may split a monospaced "Zoom In" at its wide space.
        let found = TextMatcher.matches("Zoom In", in: [line("Zoom", x: 40), line("In", x: 88)])
        let first = try #require(found.first)
        #expect(first.text == "Zoom In")
        #expect(first.box == Rect(x: 40, y: 100, width: 64, height: 14))
    }

    @Test func linesOnDifferentRowsAreNotJoined() {
        #expect(TextMatcher.matches("Zoom In", in: [line("Zoom", x: 40, y: 100), line("In", x: 88, y: 140)]).isEmpty)
    }

    @Test(arguments: [("Preferences", "Preferenccs"), ("Download", "Dovnload"), ("Open", "0pen"), ("Name", "Narne"),
                      ("Settings", "Setings"), ("Brightness", "Brighlnese")])
    func toleratesOCRErrorsInLongerWords(query: String, seen: String) throws {
        let first = try #require(TextMatcher.matches(query, in: [line(seen)]).first)
        #expect(first.text == seen)
        #expect(first.score >= TextQuery.defaultThreshold)
        #expect(first.score < 0.97)
    }

    @Test(arguments: [("OK", "OX"), ("Cut", "Cat"), ("Save", "Sofa"), ("Print", "Pains"), ("Zoom In", "Zoom On")])
    func rejectsTooManyErrorsAndShortWordErrors(query: String, seen: String) {
        #expect(TextMatcher.matches(query, in: [line(seen)]).isEmpty)
    }

    @Test func toleratesWordsSplitOrJoinedByOCR() throws {
        #expect(TextMatcher.matches("Save As", in: [line("SaveAs")]).first?.text == "SaveAs")
        #expect(TextMatcher.matches("Settings", in: [line("Sett ings")]).first?.text == "Sett ings")
    }

    @Test func punctuationAroundAWordIsIgnored() throws {
        let first = try #require(TextMatcher.matches("Name", in: [line("Name:")]).first)
        #expect(first.text == "Name:")
        #expect(first.score > 0.9)
    }

    @Test func aWholeLineRanksAboveTheSameWordsInsideALongerLine() throws {
        let found = TextMatcher.matches("Save", in: [line("Save As", y: 10), line("Save", y: 60)])
        #expect(found.count == 2)
        #expect(found.first?.box.y == 60)
    }

    @Test func lowConfidenceLowersTheScore() throws {
        let sure = try #require(TextMatcher.matches("Save", in: [line("Save", confidence: 0.95)]).first)
        let unsure = try #require(TextMatcher.matches("Save", in: [line("Save", confidence: 0.2)]).first)
        #expect(unsure.score < sure.score)
    }

    @Test func readingOrderIsRowsThenColumns() {
        let a = TextMatch(text: "a", box: Rect(x: 500, y: 100, width: 20, height: 14), score: 1)
        let b = TextMatch(text: "b", box: Rect(x: 10, y: 103, width: 20, height: 14), score: 1)
        let c = TextMatch(text: "c", box: Rect(x: 10, y: 300, width: 20, height: 14), score: 1)
        #expect([c, a, b].sorted(by: TextMatcher.readingOrder).map(\.text) == ["b", "a", "c"])
    }

    @Test func closestTextsComeMostSimilarFirst() {
        let lines = [line("Settings", y: 10), line("Setup Wizard", y: 40), line("Quit", y: 70)]
        let closest = TextMatcher.closest(to: "Setings", in: lines, limit: 2)
        #expect(closest.first == "Settings")
        #expect(!closest.contains("Quit"))
    }

    @Test func emptyQueryMatchesNothing() {
        #expect(TextMatcher.matches("   ", in: [line("Save")]).isEmpty)
    }

    @Test func foldingDropsEdgePunctuationAndTypography() {
        #expect(TextFolding.fold("“Save…”") == "save")
        #expect(TextFolding.fold("ﬁle") == "file")
        #expect(TextFolding.compact("Save As…") == "saveas")
        #expect(TextFolding.shapes("Narne") == TextFolding.shapes("Name"))
        #expect(TextFolding.shapes("0pen 1tem") == TextFolding.shapes("Open Item"))
    }

    @Test func editDistanceStopsAtTheLimit() {
        #expect(EditDistance.distance("kitten", "sitting") == 3)
        #expect(EditDistance.distance("kitten", "sitting", limit: 1) == 2)
        #expect(EditDistance.distance("", "abc") == 3)
        #expect(EditDistance.similarity("same", "same") == 1)
    }
}

@Suite("Query scopes", .ownThread)
struct TextScopeTests {
    let windows = [
        WindowBox(id: 0x100, instance: "panel0", className: "LabelsPanel", title: "Left panel", rect: Rect(x: 0, y: 0, width: 500, height: 500)),
        WindowBox(id: 0x200, instance: "xterm", className: "XTerm", title: "Terminal", rect: Rect(x: 400, y: 0, width: 500, height: 500)),
    ]

    @Test func parsesRegionsAndWindowNames() {
        #expect(TextScope(parsing: "10,20,30,40") == .region(Rect(x: 10, y: 20, width: 30, height: 40)))
        #expect(TextScope(parsing: "XTerm") == .window("XTerm"))
    }

    @Test func selectsWindowsByIDClassOrTitle() throws {
        #expect(try TextScope.window("0x200").area(windows: windows) == windows[1].rect)
        #expect(try TextScope.window("512").area(windows: windows) == windows[1].rect)
        #expect(try TextScope.window("xterm").area(windows: windows) == windows[1].rect)
        #expect(try TextScope.window("left").area(windows: windows) == windows[0].rect)
        #expect(throws: LocateFailure.self) { try TextScope.window("Firefox").area(windows: windows) }
    }

    @Test func aCoveredPartOfAWindowIsOutOfScope() {
        // (450, 10) is inside both windows; the terminal is on top there.
        #expect(!TextScope.window("LabelsPanel").contains(Point(x: 450, y: 10), windows: windows))
        #expect(TextScope.window("LabelsPanel").contains(Point(x: 100, y: 10), windows: windows))
        #expect(TextScope.window("XTerm").contains(Point(x: 450, y: 10), windows: windows))
        #expect(!TextScope.region(Rect(x: 0, y: 0, width: 10, height: 10)).contains(Point(x: 10, y: 5), windows: []))
    }
}
