import DeskCore
import DeskTesting
import Foundation
import Testing
import DeskTestSupport

/// `--observe som|a11y|screenshot+a11y` end to end: the real binary, a real Xvfb (and for the tree a real
/// desktop with the accessibility bus and galculator), the scripted model server answering by mark number.
@Suite(.serialized, .enabled(if: EndToEnd.available, "needs Xvfb and the built deskpilot binaries"), .ownThread)
struct ObservationModeTests {
    /// The fixture has no accessibility tree: its marks come from OCR. The model clicks OK and Save by mark,
    /// names a mark that does not exist once (and is told so), then finishes.
    @Test(arguments: [
        ("ui-tars-1.5", ["Action: click(mark={{mark:OK}})", "Action: click(mark=999)", "Action: click(mark={{mark:Save}})",
                         "Action: finished(content='done')"]),
        ("qwen2.5-vl", [#"<tool_call>{"name": "computer_use", "arguments": {"action": "left_click", "mark": {{mark:OK}}}}</tool_call>"#,
                        #"<tool_call>{"name": "computer_use", "arguments": {"action": "left_click", "mark": 999}}</tool_call>"#,
                        #"<tool_call>{"name": "computer_use", "arguments": {"action": "left_click", "mark": {{mark:Save}}}}</tool_call>"#,
                        #"<tool_call>{"name": "computer_use", "arguments": {"action": "terminate", "status": "success"}}</tool_call>"#]),
    ])
    func aModelDrivesTheFixtureByMarkNumbers(dialect: String, answers: [String]) async throws {
        let dir = try temporaryFolder()
        let xvfb = try EndToEnd.Xvfb()
        defer { xvfb.stop() }
        let fixture = try EndToEnd.Fixture(display: xvfb.display, log: dir + "/fixture.log")
        defer { fixture.stop() }
        let server = try await ScriptedModelServer.start(script: answers.map { .text($0) })
        let result = try await EndToEnd.run(["agent", "press OK, then Save", "--display", xvfb.display,
                                             "--endpoint", server.baseURL.absoluteString, "--model", server.modelName,
                                             "--dialect", dialect, "--observe", "som", "--trace-dir", dir + "/traces",
                                             "--timeout", "20s"])
        let requests = await server.requests
        await server.stop()
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let events = fixture.events
        #expect(events.contains("\"label\":\"OK\"") && events.contains("\"label\":\"Save\""), "\(events)")
        #expect(!events.contains("\"label\":\"Cancel\""))

        // The model was shown the mark table and the grammar, and told about the mark that is not there.
        let first = String(decoding: try #require(requests.first).body, as: UTF8.self)
        #expect(first.contains(#"text \"OK\""#) && first.contains("mark"), "\(first)")
        #expect(first.contains("image_url"), "som sends the (marked) screenshot")
        let third = String(decoding: requests[2].body, as: UTF8.self)
        #expect(third.contains("there is no mark 999"), "\(third)")

        // The trace keeps the mark table, the marked frame and which mark each click used.
        let (folder, trace) = try EndToEnd.trace(in: dir + "/traces")
        let steps = trace.compactMap { if case .step(let s) = $0 { s } else { nil } }
        #expect(steps.first?.observation?.contains(#"text "OK""#) == true)
        let marked = steps.first?.actions.first?.modelAction?.points.first?.mark
        #expect(marked != nil)
        let frame = try #require(steps.first?.frame)
        #expect(FileManager.default.fileExists(atPath: folder + "/" + frame))
    }

    /// galculator on a real desktop: `som` marks every key from the tree and the model computes 7 + 8 by mark
    /// numbers; `a11y` sends the tree as text and no image, and the model computes it from the tree's boxes.
    @Test func galculatorThroughTheTreeAndItsMarks() async throws {
        let dir = try temporaryFolder()
        let task = dir + "/calc.yaml"
        try """
            name: calc
            goal: compute 7 + 8
            screen: 1280x800
            desktop: openbox
            setup:
              - launch: galculator
              - wait_for: {window: {class: Galculator}, timeout: 30s}
              - wait_for: {element: {role: button, name: "7"}, timeout: 30s}
            steps:
              - goal: "compute 7 + 8 and copy the result"
            checks:
              - command: ["sh", "-c", "test \\"$(xclip -o -selection clipboard)\\" = 15"]

            """.write(toFile: task, atomically: true, encoding: .utf8)
        /// `run TASK --observe MODE` against a scripted model: its exit status and the first request's body.
        func run(observe mode: String, dialect: String, answers: [String]) async throws -> (EndToEnd.Result, String) {
            let server = try await ScriptedModelServer.start(script: answers.map { .text($0) })
            let result = try await EndToEnd.run(["run", task, "--headless", "--observe", mode, "--endpoint", server.baseURL.absoluteString,
                                                 "--model", server.modelName, "--dialect", dialect, "--trace-dir", dir + "/" + mode],
                                                timeout: 150)
            let requests = await server.requests
            await server.stop()
            return (result, String(decoding: try #require(requests.first).body, as: UTF8.self))
        }
        let som = ["Action: click(mark={{mark:7}})", "Action: click(mark={{mark:+}})", "Action: click(mark={{mark:8}})",
                   "Action: click(mark={{mark:=}})", "Action: hotkey(key='ctrl c')", "Action: finished(content='15')"]
        let (result, table) = try await run(observe: "som", dialect: "ui-tars-1.5", answers: som)
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(table.contains(#"toggle button \"=\""#), "\(table)")

        // The same through the tree as text alone: the model reads each key's position and size from it and
        // clicks its centre (ui-tars-1.0 points are thousandths of the screen).
        let a11y = ["7", "+", "8", "="].map { "Action: click(start_box='({{a11y:\($0)}})')" }
            + ["Action: hotkey(key='ctrl c')", "Action: finished(content='15')"]
        let (tree, body) = try await run(observe: "a11y", dialect: "ui-tars-1.0", answers: a11y)
        #expect(tree.status == 0, "stdout: \(tree.stdout)\nstderr: \(tree.stderr)")
        #expect(body.contains(#"toggle button\t=\t"#), "\(body)")
        #expect(!body.contains("image_url"), "a11y sends no screenshot")
    }
}
