import DeskCore
import DeskGrounding
import Testing
import DeskTestSupport

@Suite("Local dialect: reading goals", .ownThread)
struct LocalPlanTests {
    @Test func readsTheIssueExample() throws {
        let plan = try LocalPlan.parse("click Save, then type 'hello world' into Name and press ctrl+s")
        #expect(plan.steps == [
            .click(target: "Save", button: .left, count: 1),
            .type(text: "hello world", into: "Name"),
            .press(chord: "ctrl+s"),
        ])
    }

    @Test(arguments: [
        ("click the Save button", LocalStep.click(target: "Save", button: .left, count: 1)),
        ("click on 'Save As'", .click(target: "Save As", button: .left, count: 1)),
        ("double click report.txt", .click(target: "report.txt", button: .left, count: 2)),
        ("double-click \"My Documents\"", .click(target: "My Documents", button: .left, count: 2)),
        ("right click Desktop", .click(target: "Desktop", button: .right, count: 1)),
        ("Right-click the Trash icon", .click(target: "Trash", button: .right, count: 1)),
        ("middle click New Tab", .click(target: "New Tab", button: .middle, count: 1)),
        ("type 'a, b; c' into the Search field", .type(text: "a, b; c", into: "Search")),
        ("type \"don't stop\"", .type(text: "don't stop", into: nil)),
        ("type hello into Name", .type(text: "hello", into: "Name")),
        ("press the Enter key", .press(chord: "Enter")),
        ("hit ctrl+shift+t", .press(chord: "ctrl+shift+t")),
        ("scroll down", .scroll(direction: .down, notches: 3, over: nil)),
        ("scroll up 5 times in Messages", .scroll(direction: .up, notches: 5, over: "Messages")),
        ("wait for Saved", .waitFor(text: "Saved")),
        ("wait until 'Upload complete' appears", .waitFor(text: "Upload complete")),
        ("wait 2s", .wait(seconds: 2)),
        ("wait 500ms", .wait(seconds: 0.5)),
        ("drag report.txt to Trash", .drag(from: "report.txt", to: "Trash")),
        ("drag 'Move to' onto Archive", .drag(from: "Move to", to: "Archive")),
    ])
    func readsEachKindOfStep(goal: String, step: LocalStep) throws {
        #expect(try LocalPlan.parse(goal).steps == [step])
    }

    @Test func splitsAtSeparatorsButNotInsideQuotesOrFileNames() throws {
        let plan = try LocalPlan.parse("type 'one. two, three'; click report.txt\nthen press Return. wait for Done")
        #expect(plan.steps == [
            .type(text: "one. two, three", into: nil),
            .click(target: "report.txt", button: .left, count: 1),
            .press(chord: "Return"),
            .waitFor(text: "Done"),
        ])
    }

    @Test func andJoinsStepsOnlyBeforeAVerb() throws {
        #expect(try LocalPlan.parse("click Salt and Pepper").steps == [.click(target: "Salt and Pepper", button: .left, count: 1)])
        #expect(try LocalPlan.parse("click OK and then press Escape").steps.count == 2)
    }

    @Test(arguments: [
        ("frobnicate the widget", "frobnicate the widget", 1),
        ("click OK, then dance wildly", "dance wildly", 2),
        ("click OK, press ctrl+nope", "press ctrl+nope", 2),
        ("scroll sideways", "scroll sideways", 1),
        ("type", "type", 1),
        ("drag Trash", "drag Trash", 1),
        ("click", "click", 1),
    ])
    func namesThePartItCannotRead(goal: String, part: String, step: Int) {
        #expect(throws: LocalPlanError.self) { try LocalPlan.parse(goal) }
        do {
            _ = try LocalPlan.parse(goal)
        } catch {
            #expect(error.part == part)
            #expect(error.step == step)
            #expect(error.description.contains("'\(part)'"))
            #expect(error.exitStatus == .usage)
        }
    }

    @Test func anEmptyGoalIsAnError() {
        #expect(throws: LocalPlanError.self) { try LocalPlan.parse("  , ; ") }
    }
}
