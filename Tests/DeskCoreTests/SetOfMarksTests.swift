import DeskCore
import Testing

@Suite("Set-of-Mark marks and observation modes")
struct SetOfMarksTests {
    static func candidate(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ label: String, tree: Bool) -> SetOfMarks.Candidate {
        SetOfMarks.Candidate(box: Rect(x: x, y: y, width: w, height: h), label: label, fromTree: tree)
    }

    @Test func marksAreNumberedInReadingOrderAndOCRGivesWayToTheTree() {
        let marks = SetOfMarks.marks([
            Self.candidate(300, 10, 60, 24, "push button \"Save\"", tree: true),
            Self.candidate(10, 12, 60, 24, "push button \"OK\"", tree: true),
            Self.candidate(20, 16, 30, 12, "text \"OK\"", tree: false),          // inside the OK button
            Self.candidate(10, 200, 80, 14, "text \"Status: ready\"", tree: false),
            Self.candidate(0, 0, 400, 300, "panel \"Main\"", tree: true),        // holds the buttons: a container
        ])
        #expect(marks.map(\.id) == [1, 2, 3])
        #expect(marks.map(\.label) == ["push button \"OK\"", "push button \"Save\"", "text \"Status: ready\""])
    }

    @Test func theTableNamesEachMarkWithItsBox() {
        let table = SetOfMarks.table([ObservationMark(id: 7, box: Rect(x: 5, y: 6, width: 30, height: 20), label: "push button \"=\"")])
        #expect(table == "[7] push button \"=\" at (5, 6) size 30x20")
    }

    @Test func treeCandidatesAreTheActionableElementsOnScreen() {
        let tree = A11yTree(nodes: [
            A11yNode(id: 0, parent: nil, depth: 0, role: "application", name: "app", box: Rect(x: 0, y: 0, width: 0, height: 0), app: "app"),
            A11yNode(id: 1, parent: 0, depth: 1, role: "frame", name: "Main", box: Rect(x: 0, y: 0, width: 400, height: 300), app: "app", window: 1),
            A11yNode(id: 2, parent: 1, depth: 2, role: "push button", name: "OK", box: Rect(x: 10, y: 10, width: 50, height: 20), app: "app", window: 1),
            A11yNode(id: 3, parent: 1, depth: 2, role: "label", name: "Hint", box: Rect(x: 10, y: 40, width: 50, height: 20), app: "app", window: 1),
            A11yNode(id: 4, parent: 1, depth: 2, role: "push button", name: "Far", box: Rect(x: 5000, y: 10, width: 50, height: 20), app: "app", window: 1),
        ])
        let candidates = SetOfMarks.candidates(from: tree, screen: Rect(x: 0, y: 0, width: 1280, height: 800))
        #expect(candidates.map(\.label) == ["push button \"OK\""])
    }

    @Test(arguments: [("screenshot", ObservationMode.screenshot), ("a11y", .a11y), ("screenshot+a11y", .screenshotA11y),
                      ("screenshot_a11y_tree", .screenshotA11y), ("SoM", .som)])
    func modesReadByName(name: String, mode: ObservationMode) {
        #expect(ObservationMode(name: name) == mode)
    }

    @Test func whatEachModeSends() {
        #expect(!ObservationMode.a11y.sendsScreenshot && ObservationMode.a11y.sendsTree)
        #expect(ObservationMode.screenshotA11y.sendsScreenshot && ObservationMode.screenshotA11y.sendsTree)
        #expect(ObservationMode.som.sendsMarks && !ObservationMode.som.sendsTree)
        #expect(ObservationMode(name: "pixels") == nil)
    }
}
